"""What several browser tests do the same way."""

from __future__ import annotations

from playwright.sync_api import Page, expect

PHONE = {"width": 375, "height": 800}


def open_page(page: Page, url: str) -> None:
    """Go to a page and wait until it is complete (search results shown on the search page)."""
    page.goto(url)
    if url.startswith("/recherche/"):
        expect(page.locator(".pagefind-ui__result-link").first).to_be_visible()
    page.wait_for_load_state("networkidle")


def assert_fits_the_width(page: Page, name: str) -> None:
    """No horizontal scroll: the page's content is no wider than the window."""
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{name}: {widths[0]} px of content for {widths[1]} px"
