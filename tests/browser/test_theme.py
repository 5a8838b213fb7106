"""Every kind of page, light and dark, desktop (1280 px) and phone (375 px): no axe violation,
no sideways scroll, a header under 80 px on phones, a dark background in dark mode; the text at
its measure, the site's own fonts under 120 KB, the first search result on the first screen.
Screenshots of each in the run's screenshots folder (conftest), to look at."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.helpers import PHONE, assert_fits_the_width, open_page

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
# Kinds of page a reader meets (name for screenshots, URL).
PAGES = {
    "accueil": "/",
    "accueil-page-2": "/page/2/",
    "article": "/2022/06/nps-pas-un-objectif/",
    "episode": "/2021/03/la-boulangerie-de-la-gare/",
    "interview": (
        "/2021/05/helene-ferrand-un-client-qui-se-plaint-est-un-client-qui-vous-laisse-une-chance/"
    ),
    "page": "/a-propos/",
    "auteur": "/auteurs/le-sens-du-client/",
    "interviews": "/interviews/",
    "questionnaire": "/interviews/sens-du-client/",
    "question": "/interviews/sens-du-client/definition/",
    "serie": "/series/oeil-du-sens-du-client/",
    "series": "/series/",
    "tag": "/tags/service-client/",
    "tag-page-2": "/tags/service-client/page/2/",
    "tags": "/tags/",
    "categorie": "/categories/rubriques/",
    "glossaire": "/glossaire/",
    "archives": "/archives/",
    "archives-mois": "/archives/2022/06/",
    "recherche": "/recherche/?q=client",
    "introuvable": "/404.html",
}
# The light-mode axe check of these three is in test_pages.py.
CHECKED_ELSEWHERE = {"accueil", "article", "recherche"}
HEADER_MAX = 80  # px, on a 375 px phone
FONTS_MAX = 120 * 1024  # bytes of web fonts, all faces together


def luminance(rgb: str) -> float:
    """Relative luminance (WCAG) of a computed ``rgb(r, g, b)`` colour."""
    channels = [int(part) / 255 for part in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_luminance_of_black_and_white():
    assert luminance("rgb(0, 0, 0)") == 0
    assert luminance("rgb(255, 255, 255)") == pytest.approx(1)


@pytest.mark.parametrize("name", [name for name in PAGES if name not in CHECKED_ELSEWHERE])
def test_page_has_no_accessibility_violation_at_1280_pixels(page: Page, name, save_screenshot):
    page.set_viewport_size(DESKTOP)
    open_page(page, PAGES[name])
    save_screenshot(page, f"{name}-1280")
    assert_fits_the_width(page, name)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("name", PAGES)
def test_page_is_dark_and_contrasted_in_dark_mode(page: Page, name, save_screenshot):
    page.emulate_media(color_scheme="dark")
    page.set_viewport_size(PHONE)
    open_page(page, PAGES[name])
    save_screenshot(page, f"{name}-375-sombre")
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert luminance(background) < 0.05, background
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("name", PAGES)
def test_page_fits_a_375_pixel_phone_under_a_header_of_less_than_80_pixels(
    page: Page, name, save_screenshot
):
    page.set_viewport_size(PHONE)
    open_page(page, PAGES[name])
    save_screenshot(page, f"{name}-375")
    assert_fits_the_width(page, name)
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < HEADER_MAX, f"{name}: header of {header['height']} px"


def test_no_page_requests_a_missing_file(page: Page):
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    for name, url in PAGES.items():
        if name != "introuvable":
            open_page(page, url)
    assert missing == []


def test_the_menu_opens_on_a_phone_without_javascript(browser, base_url, save_screenshot):
    context = browser.new_context(base_url=base_url, viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    glossary = page.get_by_role("link", name="Glossaire")
    expect(glossary).to_be_hidden()
    page.get_by_text("Menu", exact=True).click()
    expect(glossary).to_be_visible()
    expect(page.locator("header").get_by_role("searchbox")).to_be_visible()
    save_screenshot(page, "menu-375")
    assert_fits_the_width(page, "menu ouvert")
    glossary.click()
    expect(page.locator("h1")).to_have_text("Glossaire")
    context.close()


def test_search_is_one_tap_away_on_a_phone(page: Page):
    page.set_viewport_size(PHONE)
    page.goto("/2022/06/nps-pas-un-objectif/")
    page.get_by_role("link", name="Rechercher").click()
    expect(page.locator(".pagefind-ui__search-input")).to_be_focused()


def test_the_first_search_result_is_on_a_phones_first_screen(page: Page):
    page.set_viewport_size(PHONE)
    open_page(page, "/recherche/?q=client")
    first = page.locator(".pagefind-ui__result").first
    box = first.bounding_box()
    assert box["y"] + 60 < PHONE["height"], f"first result at {box['y']} px"
    meta = first.locator(".search-result-meta").inner_text()
    assert any(month in meta for month in ("janvier", "mars", "mai", "juin", "2021", "2022"))


def test_the_text_is_set_at_a_measure_of_60_to_75_characters(page: Page):
    page.set_viewport_size(DESKTOP)
    open_page(page, "/2022/06/nps-pas-un-objectif/")
    per_line = page.evaluate(
        """() => {
            const p = document.querySelector('.article-body p');
            const probe = document.createElement('span');
            probe.style.whiteSpace = 'nowrap';
            probe.textContent = p.textContent.slice(0, 200);
            p.appendChild(probe);
            const perChar = probe.getBoundingClientRect().width / probe.textContent.length;
            probe.remove();
            return p.getBoundingClientRect().width / perChar;
        }"""
    )
    assert 60 <= per_line <= 75, per_line


def test_pages_use_the_sites_own_fonts_under_120_kb(page: Page):
    sizes: dict[str, int] = {}

    def record(response):
        if response.request.resource_type == "font":
            sizes[response.url] = len(response.body())

    page.on("response", record)
    for name in ("accueil", "article", "interview", "recherche"):
        open_page(page, PAGES[name])
        page.evaluate("() => document.fonts.ready")
    families = page.evaluate(
        "() => [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
    )
    assert {'"Sens Texte"', '"Sens Interface"'} <= {
        f if f.startswith('"') else f'"{f}"' for f in families
    }
    assert sizes and all(url.endswith(".woff2") for url in sizes)
    assert sum(sizes.values()) < FONTS_MAX, sizes
