"""Search in a real browser: French stemming, elisions, the header box, results that open."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

# Demo posts that say "entreprise" only elided: "l’entreprise", "d’entreprise".
ELISION_ONLY = "/2022/11/reseaux-sociaux-repondre-en-public-regler-en-prive/"
RESULT_LINK = ".pagefind-ui__result-link"
SEARCH_INPUT = ".pagefind-ui__search-input"


def search_urls(page: Page, query: str) -> list[str]:
    """Every result URL of a query, through Pagefind's API as the search page loads it."""
    return page.evaluate(
        """async (query) => {
            const pagefind = await import("/pagefind/pagefind.js");
            const search = await pagefind.search(query);
            const pages = await Promise.all(search.results.map((r) => r.data()));
            return pages.map((p) => p.url);
        }""",
        query,
    )


def test_searching_clients_finds_posts_saying_client_and_opens_one(page: Page):
    page.goto("/recherche/")
    page.locator(SEARCH_INPUT).fill("clients")
    first = page.locator(RESULT_LINK).first
    expect(first).to_be_visible()
    expect(page.locator(".pagefind-ui__message")).to_contain_text("résultats pour « clients »")
    marks = page.locator(".pagefind-ui__result-excerpt mark").all_inner_texts()
    assert any(re.match(r"clients?\b", mark.lower()) for mark in marks), marks
    title = first.inner_text()
    first.click()
    expect(page).to_have_url(re.compile(r"/20\d\d/\d\d/[^/]+/$"))
    expect(page.locator("h1")).to_have_text(title)


def test_searching_entreprise_finds_a_post_that_only_says_l_entreprise(page: Page):
    page.goto("/recherche/")
    urls = search_urls(page, "entreprise")
    assert ELISION_ONLY in urls
    assert len(urls) >= 6  # the elided ones and those with the bare word


def test_a_typographic_apostrophe_typed_in_the_query_still_finds_the_elision(page: Page):
    page.goto("/recherche/?q=" + "l’entreprise")
    links = page.locator(RESULT_LINK)
    expect(links.first).to_be_visible()
    excerpts = " ".join(page.locator(".pagefind-ui__result-excerpt").all_inner_texts())
    assert "l’entreprise" in excerpts.lower()  # shown typographic again
    assert "l'entreprise" not in excerpts.lower()


def test_the_header_search_box_submits_to_the_search_page_which_runs_the_query(page: Page):
    page.goto(ELISION_ONLY)
    box = page.locator("header").get_by_role("searchbox")
    box.fill("réclamation")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/recherche/\?q=r%C3%A9clamation$"))
    expect(page.locator(SEARCH_INPUT)).to_have_value("réclamation")
    expect(page.locator(RESULT_LINK).first).to_be_visible()


def test_search_filters_offer_format_category_and_series(page: Page):
    page.goto("/recherche/?q=client")
    expect(page.locator(RESULT_LINK).first).to_be_visible()
    # The UI draws its filters one by one once the index has loaded them.
    names = page.locator(".pagefind-ui__filter-name")
    for name in ("Format", "Catégorie", "Série"):
        expect(names.filter(has_text=name)).to_have_count(1)
