"""Search in a real browser: French stemming, elisions, the header box, results that open."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import served
from tests.conftest import run_build
from tests.search.bundles import bundle_dirs

pytestmark = pytest.mark.browser

# Demo posts that say "entreprise" only elided: "l’entreprise", "d’entreprise".
ELISION_ONLY = "/2022/11/reseaux-sociaux-repondre-en-public-regler-en-prive/"
RESULT_LINK = ".pagefind-ui__result-link"
SEARCH_INPUT = ".pagefind-ui__search-input"


@pytest.fixture(scope="session")
def bundles(demo) -> list[str]:
    """URL paths of the index's parts, the first one's UI merging the others."""
    return [f"/{path.relative_to(demo.output).as_posix()}/" for path in bundle_dirs(demo.output)]


def search_urls(page: Page, query: str, bundles: list[str]) -> list[str]:
    """Every result URL of a query, through Pagefind's API, over the parts ``bundles``."""
    return page.evaluate(
        """async ([query, bundles]) => {
            const pagefind = await import(bundles[0] + "pagefind.js");
            for (const other of bundles.slice(1)) { await pagefind.mergeIndex(other); }
            const search = await pagefind.search(query);
            const pages = await Promise.all(search.results.map((r) => r.data()));
            return pages.map((p) => p.url);
        }""",
        [query, bundles],
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


def test_searching_entreprise_finds_a_post_that_only_says_l_entreprise(page: Page, bundles):
    page.goto("/recherche/")
    urls = search_urls(page, "entreprise", bundles)
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


def test_the_search_page_finds_articles_of_every_part_of_the_index(page: Page, bundles):
    assert len(bundles) == 2  # previews split the index (pelicanconf.py)
    counts = []
    for parts in (bundles[:1], bundles):  # a page each: a module is imported once per page
        other = page.context.new_page()
        other.goto("/")
        counts.append(len(search_urls(other, "client", parts)))
        other.close()
    first_only, merged = counts
    assert 0 < first_only < merged
    page.goto("/recherche/?q=client")
    expect(page.locator(".pagefind-ui__message")).to_contain_text(
        f"{merged} résultats pour « client »"
    )


def test_a_part_without_any_article_does_not_break_the_search(page: Page, tmp_path):
    content = tmp_path / "content"
    (content / "posts").mkdir(parents=True)
    (content / "posts" / "seul.md").write_text(
        "Title: Un billet bien seul\nDate: 2024-03-01\nCategory: Essais\n\n"
        "Le zeppelin du service client.\n",
        encoding="utf-8",
    )
    site = run_build(content, tmp_path / "output", "pelicanconf.py", SEARCH_PARTITIONS=2)
    assert site.problems == []
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    with served(site.output) as url:
        page.goto(f"{url}/recherche/?q=zeppelin")
        expect(page.locator(RESULT_LINK)).to_have_count(1)
        expect(page.locator(RESULT_LINK)).to_have_text("Un billet bien seul")
    assert errors == []
