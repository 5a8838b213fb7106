"""The theme on a tiny site: no interviews, no series, two articles a page."""

from __future__ import annotations

from pathlib import Path

import pytest

SITE = Path(__file__).parent / "sites/small"
NEWEST, MIDDLE, OLDEST = (
    "/2020/03/le-troisieme-billet/",
    "/2020/02/le-deuxieme-billet/",
    "/2020/01/le-premier-billet/",
)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    from tests.conftest import run_build

    output = tmp_path_factory.mktemp("small")
    return run_build(SITE, output, "pelicanconf.py", DEFAULT_PAGINATION=2, SEARCH_ENABLED=False)


def card_links(page) -> list[str]:
    return [a["href"] for a in page.select(".card-title a")]


def test_the_tiny_site_builds_without_problems(small):
    assert small.problems == []


def test_home_without_interviews_or_series_shows_only_the_articles(small):
    home = small.html("/")
    assert home.select("main h2") and [h.get_text() for h in home.select("main h2")] == [
        "Derniers billets"
    ]
    assert card_links(home) == [NEWEST, MIDDLE]


def test_the_second_home_page_lists_the_rest_and_says_which_page_it_is(small):
    page = small.html("/page/2/")
    assert page.h1.get_text() == "Derniers billets"
    assert "Page 2 sur 2" in page.select_one(".listing-count").get_text()
    assert card_links(page) == [OLDEST]
    assert page.title.get_text().startswith("Derniers billets (page 2) · ")
    assert page.select_one(".pagination a[rel=prev]")["href"] == "/"


def test_an_article_links_to_its_older_and_newer_neighbours(small):
    nav = small.html(MIDDLE).select_one("nav.article-nav")
    assert nav.select_one("a[rel=prev]")["href"] == OLDEST
    assert nav.select_one("a[rel=next]")["href"] == NEWEST
    assert "Le premier billet" in nav.select_one("a[rel=prev]").get_text()


def test_the_newest_and_oldest_articles_have_one_neighbour(small):
    assert small.html(NEWEST).select_one("nav.article-nav a[rel=next]") is None
    assert small.html(OLDEST).select_one("nav.article-nav a[rel=prev]") is None


def test_a_hidden_article_has_no_neighbours_and_is_nobodys_neighbour(small):
    assert small.html("/2020/02/un-billet-cache/").select_one("nav.article-nav") is None
    assert small.html(NEWEST).select_one("a[rel=prev]")["href"] == MIDDLE


def test_a_card_summary_is_the_first_paragraph_only(small):
    oldest_card = small.html("/page/2/").select_one(".card")
    assert oldest_card.select_one(".card-summary").get_text(strip=True) == (
        "Le premier paragraphe du premier billet."
    )
    assert oldest_card.select_one(".card-summary h2") is None


def test_listings_share_the_card_and_the_count_wording(small):
    for url, count in (
        ("/categories/billets/", "3 billets"),
        ("/auteurs/alice-martin/", "1 billet"),
        ("/archives/2020/", "3 billets"),
        ("/archives/2020/02/", "1 billet"),
    ):
        page = small.html(url)
        assert page.select_one(".listing-count").get_text().startswith(count.replace(" ", "\u00a0"))
        assert page.select(".card .card-title a"), url
        assert page.select_one(".card time").get_text() in {
            "25 mars 2020",
            "20 février 2020",
            "15 janvier 2020",
        }


def test_period_archives_are_titled_in_french_whatever_the_locale(small):
    page = small.html("/archives/2020/02/")
    assert page.h1.get_text() == "Archives\u00a0: février 2020"
    assert page.title.get_text().startswith("Archives février 2020 · ")
    assert [a["href"] for a in page.select(".breadcrumb a")] == [
        "/archives/",
        "/archives/2020/",
    ]


def test_the_archives_link_each_year_and_month_to_its_page(small):
    page = small.html("/archives/")
    links = [a["href"] for a in page.select(".archive-year h2 a, .archive-year h3 a")]
    assert links == [
        "/archives/2020/",
        "/archives/2020/03/",
        "/archives/2020/02/",
        "/archives/2020/01/",
    ]
    assert all(small.exists(link) for link in links)
