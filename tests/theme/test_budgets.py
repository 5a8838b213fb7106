"""Every page of the demo is light, self-hosted and readable without JavaScript."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.theme.budgets import css_urls, is_foreign, page_weight, resource_urls
from tests.theme.conftest import html_pages

PAGE_BUDGET = 50 * 1024  # HTML + CSS + JS of one page, uncompressed
# Minified; the reading design (cards, menu, author and guest boxes, the search look) is about
# 23 KB, 5 KB once compressed; fonts are counted apart (test_fonts_weigh_under_120_kb).
CSS_BUDGET = 28 * 1024
SEARCH_PAGE = "recherche/index.html"


def soup_of(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "lxml")


# --- the measuring functions -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            '<img src="/a.png" srcset="/a-2x.png 2x, /a-3x.png 3x">',
            ["/a.png", "/a-2x.png", "/a-3x.png"],
        ),
        (
            '<link rel="stylesheet" href="/s.css"><link rel="canonical" href="https://x.fr/">',
            ["/s.css"],
        ),
        ('<link rel="icon" href="/f.svg"><script src="/j.js"></script>', ["/j.js", "/f.svg"]),
        (
            '<iframe src="https://www.youtube.com/embed/x"></iframe>',
            ["https://www.youtube.com/embed/x"],
        ),
        ("<div style=\"background: url('//cdn.example/b.png')\"></div>", ["//cdn.example/b.png"]),
        ('<a href="https://www.linkedin.com/">LinkedIn</a>', []),
    ],
)
def test_resource_urls_are_what_the_browser_fetches_not_the_links_readers_follow(html, expected):
    assert sorted(resource_urls(soup_of(html))) == sorted(expected)


@pytest.mark.parametrize(
    ("url", "foreign"),
    [
        ("/theme/site.css", False),
        ("theme/site.css", False),
        ("data:image/svg+xml,%3Csvg%3E", False),
        ("https://fonts.googleapis.com/css", True),
        ("//cdn.example/x.js", True),
        ("http://127.0.0.1:8000/x.png", True),
    ],
)
def test_a_url_is_foreign_when_it_names_a_host(url, foreign):
    assert is_foreign(url) is foreign


def test_css_urls_skip_data_uris_and_find_imports():
    css = '@import "https://x.example/a.css"; a { background: url(data:image/png;base64,AA) }'
    assert css_urls(css) == ["https://x.example/a.css"]


def test_page_weight_counts_html_and_local_css_and_js_but_not_the_search_bundle(tmp_path):
    (tmp_path / "s.css").write_text("a" * 100)
    (tmp_path / "pagefind").mkdir()
    (tmp_path / "pagefind/ui.js").write_text("b" * 1000)
    page = tmp_path / "index.html"
    page.write_text(
        '<link rel="stylesheet" href="/s.css"><script src="/pagefind/ui.js"></script>'
        '<img src="/big.png">'
    )
    assert page_weight(tmp_path, page) == page.stat().st_size + 100


# --- the demo site -----------------------------------------------------------------------------


def test_every_page_with_its_css_and_js_weighs_under_50_kb(demo):
    weights = {
        p.relative_to(demo.output).as_posix(): page_weight(demo.output, p) for p in html_pages(demo)
    }
    assert len(weights) > 40
    heavy = {name: weight for name, weight in weights.items() if weight > PAGE_BUDGET}
    assert heavy == {}


def test_the_stylesheet_weighs_under_28_kb(demo):
    bundles = list((demo.output / "theme").glob("site.*.css"))
    assert len(bundles) == 1
    assert bundles[0].stat().st_size < CSS_BUDGET


def test_no_page_or_stylesheet_loads_anything_from_another_host(demo):
    foreign = {}
    for path in html_pages(demo):
        urls = [url for url in resource_urls(soup_of(path.read_text("utf-8"))) if is_foreign(url)]
        if urls:
            foreign[path.relative_to(demo.output).as_posix()] = urls
    for css in (demo.output / "theme").glob("*.css"):
        urls = [url for url in css_urls(css.read_text("utf-8")) if is_foreign(url)]
        if urls:
            foreign[css.name] = urls
    assert foreign == {}


def test_only_the_search_page_loads_a_script(demo):
    with_scripts = [
        path.relative_to(demo.output).as_posix()
        for path in html_pages(demo)
        if soup_of(path.read_text("utf-8")).find("script", src=True)
    ]
    assert with_scripts == [SEARCH_PAGE]


def test_articles_are_readable_without_javascript(demo):
    articles = sorted(demo.output.glob("20[0-9][0-9]/[0-9][0-9]/*/index.html"))
    assert articles
    for path in articles:
        page = soup_of(path.read_text("utf-8"))
        body = page.select_one("main .article-body")
        assert body is not None, path
        assert len(body.get_text(" ", strip=True).split()) >= 50, path
        assert page.select_one("main h1").get_text(strip=True), path


def test_the_search_page_says_what_to_do_without_javascript(demo):
    page = demo.html("/recherche/")
    links = [a["href"] for a in page.select("noscript a")]
    assert "/archives/" in links
