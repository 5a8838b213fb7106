"""Feeds of every build have absolute, stable ids and links (plugins.feeds)."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from feedgenerator import Atom1Feed

from plugins.feeds import absolute_html, make_absolute
from tests.conftest import run_build

SITE = Path(__file__).parent / "sites" / "basic"
DEV = "http://127.0.0.1:8765"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<a href="/2021/03/x/">x</a>', f'<a href="{DEV}/2021/03/x/">x</a>'),
        ('<img src="/images/a.png" alt="">', f'<img src="{DEV}/images/a.png" alt="">'),
        ('<a href="https://ailleurs.example/">y</a>', '<a href="https://ailleurs.example/">y</a>'),
        ('<a href="//cdn.example/z">z</a>', '<a href="//cdn.example/z">z</a>'),
        ('<a href="#note">n</a>', '<a href="#note">n</a>'),
        (
            '<img srcset="/i/a-400.webp 400w, /i/a-800.webp 800w">',
            f'<img srcset="{DEV}/i/a-400.webp 400w, {DEV}/i/a-800.webp 800w">',
        ),
        ("<p>href=/pas/un/attribut</p>", "<p>href=/pas/un/attribut</p>"),
    ],
)
def test_root_relative_urls_of_a_content_become_absolute(html, expected):
    assert absolute_html(html, DEV) == expected


def test_a_feed_without_siteurl_gets_absolute_link_id_and_tag_uris():
    feed = Atom1Feed(title="t", link="/", description="")
    feed.add_item(title="a", link="/2021/03/a/", description="<a href='/b/'>b</a>", unique_id="")
    make_absolute(feed, DEV + "/")
    assert (feed.feed["link"], feed.feed["id"]) == (f"{DEV}/", f"{DEV}/")
    item = feed.items[0]
    assert item["link"] == f"{DEV}/2021/03/a/"
    assert item["unique_id"] == "tag:127.0.0.1:/2021/03/a/"
    assert item["description"] == f"<a href='{DEV}/b/'>b</a>"


@pytest.fixture(scope="module")
def dev_feeds(tmp_path_factory):
    site = run_build(SITE, tmp_path_factory.mktemp("dev"), "pelicanconf.py", FEED_DOMAIN=DEV)
    assert site.problems == []
    return site


@pytest.mark.parametrize("path", ["feeds/all.atom.xml", "feeds/tags/service-client.atom.xml"])
def test_a_development_builds_feeds_have_absolute_stable_ids_and_links(dev_feeds, path):
    feed = feedparser.parse(dev_feeds.output / path)
    assert not feed.bozo
    assert feed.feed.id == f"{DEV}/"
    assert feed.feed.link == f"{DEV}/"
    first = next(e for e in feed.entries if e.title == "Le premier billet")
    assert first.link == f"{DEV}/2021/03/le-premier-billet/"
    assert first.id == "tag:127.0.0.1,2021-03-01:/2021/03/le-premier-billet/"
    content = first.content[0].value
    assert f'href="{DEV}/2021/03/le-second-billet/"' in content
    assert f'src="{DEV}/images/quai.svg"' in content
    assert 'href="/' not in content and 'src="/' not in content


def test_the_ids_do_not_depend_on_the_dev_servers_port(dev_feeds, tmp_path):
    other = run_build(SITE, tmp_path, "pelicanconf.py", FEED_DOMAIN="http://127.0.0.1:9999")
    ids = [
        [e.id for e in feedparser.parse(site.output / "feeds/all.atom.xml").entries]
        for site in (dev_feeds, other)
    ]
    assert ids[0] == ids[1]


def test_a_public_build_keeps_pelicans_feeds_on_siteurl(tmp_path):
    public = "https://www.example.org"
    site = run_build(SITE, tmp_path, "pelicanconf.py", SITEURL=public, FEED_DOMAIN=public)
    feed = feedparser.parse(site.output / "feeds/all.atom.xml")
    assert feed.feed.id == f"{public}/"
    assert {e.id for e in feed.entries} == {
        "tag:www.example.org,2021-03-01:/2021/03/le-premier-billet/",
        "tag:www.example.org,2021-03-02:/2021/03/le-second-billet/",
    }
