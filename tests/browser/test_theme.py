"""Every kind of page, light and dark, desktop and phone: no axe violation, no sideways scroll,
a dark background in dark mode; screenshots of each in test-artifacts/ to look at."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.browser.helpers import PHONE, assert_fits_the_width, open_page

pytestmark = pytest.mark.browser

# Kinds of page a reader meets (name for screenshots, URL).
PAGES = {
    "accueil": "/",
    "accueil-page-2": "/page/2/",
    "article": "/2022/06/nps-pas-un-objectif/",
    "episode": "/2021/03/la-boulangerie-de-la-gare/",
    "interview": (
        "/2021/05/helene-ferrand-un-client-qui-se-plaint-est-un-client-qui-vous-laisse-une-chance/"
    ),
    "interviews": "/interviews/",
    "question": "/interviews/sens-du-client/definition/",
    "serie": "/series/oeil-du-sens-du-client/",
    "series": "/series/",
    "tag": "/tags/service-client/",
    "tags": "/tags/",
    "categorie": "/categories/rubriques/",
    "archives": "/archives/",
    "archives-mois": "/archives/2022/06/",
    "recherche": "/recherche/?q=client",
    "introuvable": "/404.html",
}
# The light-mode axe check of these three is in test_pages.py.
CHECKED_ELSEWHERE = {"accueil", "article", "recherche"}


def luminance(rgb: str) -> float:
    """Relative luminance (WCAG) of a computed ``rgb(r, g, b)`` colour."""
    channels = [int(part) / 255 for part in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_luminance_of_black_and_white():
    assert luminance("rgb(0, 0, 0)") == 0
    assert luminance("rgb(255, 255, 255)") == pytest.approx(1)


@pytest.mark.parametrize("name", [name for name in PAGES if name not in CHECKED_ELSEWHERE])
def test_page_has_no_accessibility_violation_in_light_mode(page: Page, name, save_screenshot):
    open_page(page, PAGES[name])
    save_screenshot(page, f"{name}-clair")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("name", PAGES)
def test_page_is_dark_and_contrasted_in_dark_mode(page: Page, name, save_screenshot):
    page.emulate_media(color_scheme="dark")
    open_page(page, PAGES[name])
    save_screenshot(page, f"{name}-sombre")
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert luminance(background) < 0.05, background
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("name", PAGES)
def test_page_fits_a_375_pixel_phone_without_horizontal_scroll(page: Page, name, save_screenshot):
    page.set_viewport_size(PHONE)
    open_page(page, PAGES[name])
    save_screenshot(page, f"{name}-375px")
    assert_fits_the_width(page, name)


def test_no_page_requests_a_missing_file(page: Page):
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    for name, url in PAGES.items():
        if name != "introuvable":
            open_page(page, url)
    assert missing == []
