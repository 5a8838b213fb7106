"""Pages in a real browser: no third party, no cookie, no axe violation, no sideways scroll."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.browser.helpers import PHONE, assert_fits_the_width, open_page

pytestmark = pytest.mark.browser

ARTICLE = (
    "/2021/05/helene-ferrand-un-client-qui-se-plaint-est-un-client-qui-vous-laisse-une-chance/"
)
SEARCH = "/recherche/?q=client"
# Pages every check visits: add the new kinds of pages here (name for screenshots, URL).
PAGES = {
    "accueil": "/",
    "article": ARTICLE,
    "recherche": SEARCH,
}


def test_pages_request_nothing_from_other_hosts(page: Page):
    hosts = []
    page.on("request", lambda request: hosts.append((urlsplit(request.url).hostname, request.url)))
    for url in PAGES.values():
        open_page(page, url)
    assert hosts, "no request recorded"
    assert [url for host, url in hosts if host != "127.0.0.1"] == []


def test_reading_and_searching_sets_no_cookie(page: Page):
    for url in PAGES.values():
        open_page(page, url)
    assert page.context.cookies() == []


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_accessibility_violation(page: Page, name, save_screenshot):
    page.set_viewport_size({"width": 1280, "height": 800})
    open_page(page, PAGES[name])
    save_screenshot(page, f"{name}-1280")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("name", ["accueil", "article", "recherche"])
def test_page_fits_a_375_pixel_phone_without_horizontal_scroll(page: Page, name, save_screenshot):
    page.set_viewport_size(PHONE)
    open_page(page, PAGES[name])
    save_screenshot(page, f"{name}-375")
    assert_fits_the_width(page, name)
