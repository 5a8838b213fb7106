"""Headers and sending order of the site's files."""

from __future__ import annotations

import pytest

from deploy.site import (
    CACHE_ASSET,
    CACHE_IMMUTABLE,
    CACHE_SHORT,
    cache_control,
    content_type,
    is_fingerprinted,
    is_private,
    scan_site,
    site_path,
    upload_order,
)

HEADERS = [
    # path, Content-Type, Cache-Control
    ("index.html", "text/html; charset=utf-8", CACHE_SHORT),
    ("blog/article/index.html", "text/html; charset=utf-8", CACHE_SHORT),
    ("theme/css/site.3f2a9c1b.css", "text/css; charset=utf-8", CACHE_IMMUTABLE),
    ("theme/css/print.css", "text/css; charset=utf-8", CACHE_SHORT),
    ("theme/js/menu.0a1b2c3d4e.js", "text/javascript; charset=utf-8", CACHE_IMMUTABLE),
    ("sitemap.xml", "application/xml; charset=utf-8", CACHE_SHORT),
    ("data/series.json", "application/json", CACHE_SHORT),
    ("images/logo.png", "image/png", CACHE_ASSET),
    ("images/photo.jpg", "image/jpeg", CACHE_ASSET),
    ("images/schema.svg", "image/svg+xml", CACHE_ASSET),
    ("images/photo-9f8e7d6c.webp", "image/webp", CACHE_IMMUTABLE),
    ("theme/fonts/inter.woff2", "font/woff2", CACHE_ASSET),
    ("app.wasm", "application/wasm", CACHE_ASSET),
    ("pagefind/pagefind.js", "text/javascript; charset=utf-8", CACHE_SHORT),
    ("pagefind/pagefind-entry.json", "application/json", CACHE_SHORT),
    ("pagefind/wasm.fr.pagefind", "application/octet-stream", CACHE_SHORT),
    ("pagefind/fragment/fr_85167a5.pf_fragment", "application/octet-stream", CACHE_IMMUTABLE),
    ("pagefind/index/fr_75b914f.pf_index", "application/octet-stream", CACHE_IMMUTABLE),
    ("pagefind/filter/fr_1234abc.pf_filter", "application/octet-stream", CACHE_IMMUTABLE),
    ("pagefind/pagefind.fr_1b82357726.pf_meta", "application/octet-stream", CACHE_IMMUTABLE),
]


@pytest.mark.parametrize(("path", "kind", "cache"), HEADERS)
def test_each_kind_of_file_gets_its_content_type_and_cache_control(path, kind, cache):
    assert (content_type(path), cache_control(path)) == (kind, cache)


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (
            b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">',
            "application/atom+xml",
        ),
        (b'<?xml version="1.0"?><rss version="2.0">', "application/rss+xml"),
        (b'<?xml version="1.0"?><urlset>', "application/xml"),
    ],
)
def test_feeds_are_told_apart_by_their_root_element(head, kind):
    assert content_type("feeds/all.xml", head) == f"{kind}; charset=utf-8"


@pytest.mark.parametrize(
    ("name", "hashed"),
    [
        ("site.3f2a9c1b.css", True),
        ("app-0123456789abcdef.js", True),
        ("site.css", False),
        ("2024-01-31.png", False),  # a date is not a hash
        ("20240131.png", False),
        ("facade12.png", True),
        ("decade.png", False),  # a word made of hex letters is not either
        ("cafe.deadbeef.png", False),  # no digit
    ],
)
def test_fingerprinted_names_are_recognised(name, hashed):
    assert is_fingerprinted(f"theme/{name}") is hashed


def test_assets_go_first_pages_after_and_the_home_page_last():
    paths = [
        "index.html",
        "blog/index.html",
        "blog/a/index.html",
        "blog/post.html",
        "feeds/all.atom.xml",
        "images/logo.png",
        "theme/css/site.3f2a9c1b.css",
        "pagefind/pagefind.js",
        "pagefind/fragment/fr_85167a5.pf_fragment",
    ]
    order = upload_order(paths)
    assert order[:2] == ["pagefind/fragment/fr_85167a5.pf_fragment", "theme/css/site.3f2a9c1b.css"]
    assert order[2] == "images/logo.png"
    assert set(order[3:5]) == {"feeds/all.atom.xml", "pagefind/pagefind.js"}
    assert order[5:] == ["blog/post.html", "blog/a/index.html", "blog/index.html", "index.html"]


def test_scan_site_hashes_every_file_and_sniffs_feeds(site):
    files = scan_site(site)
    assert files["feeds/all.atom.xml"].content_type == "application/atom+xml; charset=utf-8"
    assert files["index.html"].size == (site / "index.html").stat().st_size
    assert len(files["index.html"].sha256) == 64
    assert len(files) == len([p for p in site.rglob("*") if p.is_file()])


@pytest.mark.parametrize(
    ("path", "private"),
    [
        (".git/config", True),
        (".env", True),
        (".env.production", True),
        ("images/.DS_Store", True),
        (".well-known/security.txt", True),
        ("certs/site.pem", True),
        ("certs/SITE.KEY", True),
        ("data/comments.sqlite", True),
        ("blog/post.html~", True),
        ("index.html", False),
        ("theme/css/site.3f2a9c1b.css", False),
        ("images/keyboard.png", False),
        ("feeds/environment.atom.xml", False),
    ],
)
def test_hidden_paths_and_denied_names_are_private(path, private):
    assert is_private(path) is private


def test_scan_site_leaves_private_files_out_and_the_gate_names_those_outside_git(site):
    from deploy.gates import check_private

    for path in (".git/config", ".git/objects/ab/cdef", ".env", "images/cle.pem", "a/.git/HEAD"):
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text("secret")
    files = scan_site(site)
    assert not [path for path in files if is_private(path)]
    assert [p.path for p in check_private(site)] == [".env", "a/.git/HEAD", "images/cle.pem"]


@pytest.mark.parametrize(
    ("given", "path"),
    [
        ("/2021/03/retire/", "2021/03/retire/index.html"),
        ("2021/03/retire/index.html", "2021/03/retire/index.html"),
        ("/images/erreur.png?x=1#haut", "images/erreur.png"),
        ("/", "index.html"),
    ],
)
def test_a_takedown_names_a_file_or_a_page_url(given, path):
    assert site_path(given) == path


def test_new_files_go_before_changed_ones_each_group_assets_first():
    paths = ["index.html", "blog/new.html", "theme/css/site.3f2a9c1b.css", "feeds/all.atom.xml"]
    new = {"blog/new.html", "theme/css/site.3f2a9c1b.css"}
    assert upload_order(paths, new) == [
        "theme/css/site.3f2a9c1b.css",
        "blog/new.html",
        "feeds/all.atom.xml",
        "index.html",
    ]
