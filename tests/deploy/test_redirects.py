"""Redirect pages (plugins/redirects) become S3 website redirects, against a real SeaweedFS.

SeaweedFS 4.48 accepts ``x-amz-website-redirect-location`` but does not keep it (a HEAD does
not return it, and it serves no website endpoint): the test checks that every request that
publishes a redirect page carries the header, that no other page gets one, what SeaweedFS does
keep (the page, its type, the manifest's record), and that an unchanged redirect is not sent
again.
"""

from __future__ import annotations

import pytest
from rich.console import Console

from deploy import deploy, s3
from deploy.site import redirect_target, scan_site
from plugins.redirects import redirect_page
from tests.deploy.helpers import SITE_URL, read_json, store_of, write

pytestmark = pytest.mark.server

HEADER = "x-amz-website-redirect-location"


def add_redirect(site, old: str, target: str) -> None:
    write(site / old, redirect_page(SITE_URL + target, "Article 1"))


@pytest.fixture
def sent_headers(monkeypatch):
    """The headers of every CopyObject request the deploy sends, by key."""
    sent: dict[str, dict] = {}
    make_client = s3.make_client

    def recording_client(config):
        client = make_client(config)

        def record(request, **_):
            key = request.url.split(f"/{config.s3_bucket}/", 1)[-1]
            sent[key] = {
                name.lower(): value.decode() if isinstance(value, bytes) else value
                for name, value in request.headers.items()
            }

        client.meta.events.register("before-send.s3.CopyObject", record)
        return client

    monkeypatch.setattr(s3, "make_client", recording_client)
    return sent


def test_a_redirect_page_is_recognised_by_its_marker_and_target():
    page = redirect_page("https://sensduclient.example/blog/article-1.html", "Article 1")
    assert redirect_target(page.encode()) == "https://sensduclient.example/blog/article-1.html"
    plain = '<meta http-equiv="refresh" content="0; url=/ailleurs/">'
    assert redirect_target(plain.encode()) == ""  # only the plugin's pages


def test_redirect_pages_are_published_with_the_website_redirect_header(
    site, s3_config, seaweed, sent_headers
):
    add_redirect(site, "2010/09/ancien-billet.html", "/blog/article-1.html")
    assert scan_site(site)["2010/09/ancien-billet.html"].redirect.endswith("/article-1.html")

    deploy(site, s3_config, console=Console(quiet=True))

    target = SITE_URL + "/blog/article-1.html"
    assert sent_headers["2010/09/ancien-billet.html"][HEADER] == target
    assert all(
        HEADER not in headers for key, headers in sent_headers.items() if "ancien" not in key
    )
    client, bucket = seaweed.client(), s3_config.s3_bucket
    kept = client.get_object(Bucket=bucket, Key="2010/09/ancien-billet.html")
    assert kept["ContentType"].startswith("text/html")
    assert f'url={target}"' in kept["Body"].read().decode()
    manifest = read_json(client, store_of(bucket), "current.json")
    assert manifest["files"]["2010/09/ancien-billet.html"]["redirect"] == target
    assert "redirect" not in manifest["files"]["index.html"]


def test_an_unchanged_redirect_is_not_sent_again_and_a_new_target_is(
    site, s3_config, seaweed, sent_headers
):
    write(site / "ancien/index.html", redirect_page(SITE_URL + "/blog/article-1.html", "A"))
    deploy(site, s3_config, console=Console(quiet=True))
    sent_headers.clear()
    summary = deploy(site, s3_config, console=Console(quiet=True))
    assert summary.uploaded == 0 and not sent_headers

    write(site / "ancien/index.html", redirect_page(SITE_URL + "/blog/article-2.html", "A"))
    deploy(site, s3_config, console=Console(quiet=True))
    assert sent_headers["ancien/index.html"][HEADER] == SITE_URL + "/blog/article-2.html"
