"""The theme's pages on the demo content: home, article, 404, favicon and social card."""

from __future__ import annotations

import struct

import pytest

from tests.theme.conftest import html_pages
from tests.theme.share_image import share_image_png

SHARE_IMAGE = "/theme/partage.png"


@pytest.fixture(scope="module")
def home(demo):
    return demo.html("/")


def test_the_demo_builds_without_problems(demo):
    assert demo.problems == []


def test_home_shows_latest_articles_then_three_interviews_then_the_series(home):
    sections = [h.get_text() for h in home.select("main section > h2")]
    assert sections == ["Derniers billets", "Les dernières interviews", "Les séries"]
    assert len(home.select("main h1")) == 1
    assert len(home.select("#derniers-billets ~ .article-list h3.card-title")) == 10


def test_home_interviews_name_the_guest_their_role_and_company(demo, home):
    items = home.select("section[aria-labelledby=dernieres-interviews] .interview-item")
    assert len(items) == 3
    for item in items:
        link = item.select_one(".interview-guest a")
        assert demo.html(link["href"]).select_one(".guest-card"), link["href"]
        assert item.select_one(".interview-role").get_text(strip=True)


def test_home_series_link_to_their_page_and_latest_episode(demo, home):
    items = home.select(".home-series")
    assert len(items) >= 2
    for item in items:
        series_url, latest_url = [a["href"] for a in item.select("a")]
        series_page = demo.html(series_url)
        assert series_page.select_one(".series-facts a")["href"] == latest_url


def test_home_sections_stay_on_the_first_page(demo):
    for url in ("/page/2/", "/categories/rubriques/", "/tags/", "/auteurs/nadia-roux/"):
        page = demo.html(url)
        assert page.select_one(".home-section, .home-intro") is None, url


def test_every_page_links_the_svg_favicon_that_the_build_copies(demo):
    for path in html_pages(demo):
        icons = [
            link["href"]
            for link in demo.html("/" + path.relative_to(demo.output).as_posix()).select(
                "link[rel~=icon]"
            )
        ]
        assert icons == ["/theme/favicon.svg"], path
    svg = demo.file("/theme/favicon.svg").read_text("utf-8")
    assert svg.startswith("<svg") and 'viewBox="0 0 32 32"' in svg


def test_pages_without_a_cover_share_the_default_1200_by_630_image(demo, home):
    assert home.select_one("meta[property='og:image']")["content"].endswith(SHARE_IMAGE)
    data = demo.file(SHARE_IMAGE).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1200, 630)
    assert len(data) < 30 * 1024


def test_the_share_image_is_the_drawing_of_its_generator(demo):
    assert demo.file(SHARE_IMAGE).read_bytes() == share_image_png()


def test_an_article_page_shows_everything_a_reader_needs(demo):
    page = demo.html(
        "/2021/05/helene-ferrand-un-client-qui-se-plaint-est-un-client-qui-vous-laisse-une-chance/"
    )
    meta = page.select_one(".article-header .article-meta")
    assert meta.select_one("time[datetime]") and "min de lecture" in meta.get_text()
    assert meta.select_one("a[rel=author]") and meta.select_one("a[href^='/categories/']")
    for selector in (
        ".guest-card",
        ".article-footer a[rel=tag]",
        ".share a[href^='https://www.linkedin.com/']",
        ".react a[href^='mailto:']",
        "nav.article-nav a[rel=next]",
        "nav.article-nav a[rel=prev]",
    ):
        assert page.select_one(selector), selector


def test_an_episode_shows_its_series_navigation_and_cover(demo):
    episodes = [
        demo.html("/" + p.relative_to(demo.output).as_posix())
        for p in sorted(demo.output.glob("20*/*/*/index.html"))
    ]
    assert any(page.select_one("nav.series-nav a") for page in episodes)
    covers = [page.select_one(".cover img") for page in episodes if page.select_one(".cover img")]
    assert covers and all(img.get("width") and img.get("height") for img in covers)


def test_the_404_page_offers_search_and_ways_back(demo):
    page = demo.html("/404.html")
    form = page.select_one("main form[role=search]")
    assert form["action"] == "/recherche/" and form["method"] == "get"
    field = form.select_one("input[name=q]")
    assert page.select_one(f"label[for={field['id']}]").get_text(strip=True)
    links = [a["href"] for a in page.select("main ul a")]
    assert links[0] == "/" and "/archives/" in links and "/interviews/" in links
