"""Redirects: ``data/redirects.yml`` read and checked, redirect pages written at old paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from plugins.redirects import old_file, parse_redirects, redirect_page, site_address

POST = """Title: La pharmacie de garde
Date: 2011-03-15 09:00
Slug: pharmacie-de-garde

La pharmacienne a appelé l'autre pharmacie.
"""
PAGE = "Title: À propos\nSlug: a-propos\n\nLe blog.\n"


@pytest.mark.parametrize(
    ("old", "expected"),
    [
        ("/2010/09/billet.html", "2010/09/billet.html"),
        ("/archives/2010/09/", "archives/2010/09/index.html"),
        ("/archives/123", "archives/123/index.html"),
        ("http://sensduclient.typepad.com/2010/09/billet.html", "2010/09/billet.html"),
        ("/2010/09/caf%C3%A9.html", "2010/09/café.html"),
    ],
)
def test_an_old_address_is_served_from_the_file_a_static_host_looks_for(old, expected):
    assert old_file(old) == (expected, None)


@pytest.mark.parametrize("old", ["/?p=12", "/../secret.html", "http://old.example/"])
def test_an_old_address_a_static_site_cannot_serve_is_refused(old):
    assert old_file(old)[1]


def test_parse_names_each_bad_line_and_keeps_the_good_ones():
    data = {
        "/a.html": "/2011/03/a/",
        "/b.html": "https://ailleurs.example/b/",
        "http://old.example/a.html": "/x/",
        "/c.html": 3,
    }
    lines = {"/a.html": 1, "/b.html": 2, "http://old.example/a.html": 3, "/c.html": 4}
    redirects, problems = parse_redirects(data, lines)
    assert [(r.old, r.save_as, r.target, r.line) for r in redirects] == [
        ("/a.html", "a.html", "/2011/03/a/", 1)
    ]
    assert [line for line, _ in problems] == [2, 3, 4]
    assert "même page que « /a.html » (ligne 1)" in problems[1][1]


def test_the_target_must_be_a_path_of_this_site():
    assert site_address("/2011/03/a/#commentaires") == ("/2011/03/a/#commentaires", None)
    assert site_address("2011/03/a/")[1] and site_address("//evil.example/")[1]


def test_the_page_sends_readers_and_engines_without_javascript():
    page = redirect_page("https://site.example/2011/03/a/?x=<b>", "L’Œil & co")
    assert (
        '<meta http-equiv="refresh" content="0; url=https://site.example/2011/03/a/?x=&lt;b&gt;">'
        in page
    )
    assert '<link rel="canonical" href="https://site.example/2011/03/a/?x=&lt;b&gt;">' in page
    assert "<script" not in page and "L’Œil &amp; co" in page and 'content="noindex"' in page


def small_site(tmp_path: Path, redirects: str) -> Path:
    content = tmp_path / "content"
    (content / "posts").mkdir(parents=True)
    (content / "pages").mkdir()
    (content / "data").mkdir()
    (content / "posts/2011-03-15-pharmacie-de-garde.md").write_text(POST, encoding="utf-8")
    (content / "pages/a-propos.md").write_text(PAGE, encoding="utf-8")
    (content / "data/redirects.yml").write_text(redirects, encoding="utf-8")
    return content


def test_the_build_writes_a_page_at_each_old_address(tmp_path, build_site):
    content = small_site(
        tmp_path,
        "/2011/03/pharmacie-de-garde.html: /2011/03/pharmacie-de-garde/\n"
        "http://sensduclient.typepad.com/about.html: /a-propos/\n"
        "/categorie/42: /archives/\n",
    )
    site = build_site(content)
    assert site.problems == []
    old = site.html("/2011/03/pharmacie-de-garde.html")
    assert old.find("meta", attrs={"http-equiv": "refresh"})["content"] == (
        "0; url=/2011/03/pharmacie-de-garde/"
    )
    assert old.find("a").get_text() == "La pharmacie de garde"  # the target's title
    assert site.html("/about.html").find("link", rel="canonical")["href"] == "/a-propos/"
    assert site.exists("/categorie/42/")
    sitemap = site.file("/sitemap.xml").read_text(encoding="utf-8")
    assert "pharmacie-de-garde.html" not in sitemap and "about.html" not in sitemap


def test_an_old_path_that_is_a_page_or_a_target_that_is_none_fails_the_strict_build(
    tmp_path, build_site
):
    content = small_site(
        tmp_path,
        "/a-propos/: /2011/03/pharmacie-de-garde/\n"
        "/2011/03/ancien.html: /2011/03/pas-de-billet/\n"
        "/ok.html: /a-propos/\n",
    )
    with pytest.raises(SystemExit):
        build_site(content, STRICT_BUILD=True)
    site = build_site(content)
    shown = [p for p in site.problems if "redirects.yml" in p]
    assert len(shown) == 2
    assert shown[0].endswith(
        "redirects.yml:1: « /a-propos/ » est aussi une page du site : la redirection la cacherait "
        "(retirez cette ligne)"
    )
    assert "redirects.yml:2: « /2011/03/pas-de-billet/ » n'est pas une page du site" in shown[1]
    assert "Cette page a déménagé" not in site.file("/a-propos/").read_text(encoding="utf-8")
    assert site.exists("/ok.html")


def test_a_malformed_redirects_file_is_one_line_with_its_line(tmp_path, build_site):
    content = small_site(tmp_path, "/a.html: /a-propos/\n/a.html: /a-propos/\n")
    site = build_site(content)
    assert any(
        "redirects.yml:2: clé « /a.html » répétée (déjà ligne 1)" in p for p in site.problems
    )


def test_a_rebuild_into_the_same_output_keeps_its_redirect_pages(tmp_path, build_site):
    content = small_site(
        tmp_path, "/2011/03/pharmacie-de-garde.html: /2011/03/pharmacie-de-garde/\n"
    )
    output = tmp_path / "sortie"
    build_site(content, output=output)
    site = build_site(content, output=output, DELETE_OUTPUT_DIRECTORY=False)
    assert site.problems == []  # last build's redirect page is no page of the site
    assert "Cette page a déménagé" in site.file("/2011/03/pharmacie-de-garde.html").read_text(
        encoding="utf-8"
    )
