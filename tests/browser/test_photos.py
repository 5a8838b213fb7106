"""A phone at 375 px and DPR 2 gets the right variant of an episode's photo, and a light page."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.browser

EPISODE = "/2025/02/la-pharmacie-de-garde/"
ORIGINAL = "/images/pharmacie-de-garde.jpg"
PAGE_BUDGET = 350 * 1024  # everything the page transfers: HTML, CSS, fonts, images
PHOTO_BUDGET = 200 * 1024  # the photos' share, leaving room for self-hosted fonts


def transfers(browser: Browser, url: str) -> dict[str, int]:
    """Bytes transferred per URL path (headers and body) by a 375 px, DPR 2 phone reading the
    whole page (scrolled to its end, so that lazy images load too)."""
    context = browser.new_context(
        viewport={"width": 375, "height": 800},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="fr-FR",
    )
    page = context.new_page()
    done = []
    page.on("requestfinished", lambda request: done.append(request))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.mouse.wheel(0, 20000)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    expect(page.locator("figure.photo img")).to_have_js_property("complete", True)
    sizes = {}
    for request in done:
        measured = request.sizes()
        path = urlsplit(request.url).path
        sizes[path] = measured["responseBodySize"] + measured["responseHeadersSize"]
    context.close()
    return sizes


def test_an_episode_page_on_a_phone_stays_within_its_budget_and_never_loads_the_original(
    browser: Browser, site_url
):
    sizes = transfers(browser, site_url + EPISODE)
    # Photos only: drawings (the author's SVG portrait in the signature box) pass untouched.
    images = {
        path: size
        for path, size in sizes.items()
        if path.startswith("/images/") and not path.endswith(".svg")
    }
    assert ORIGINAL not in sizes
    assert images, sizes
    # 343 CSS px of column at DPR 2: the 800 px AVIF, nothing wider, no second format.
    assert [p.rsplit(".", 1)[-1] for p in images] == ["avif"]
    assert all(".800." in path for path in images), images
    assert sum(images.values()) <= PHOTO_BUDGET, images
    assert sum(sizes.values()) <= PAGE_BUDGET, sizes
    print(f"\n{EPISODE} at 375 px, DPR 2: {sum(sizes.values())} bytes in all, images {images}")


def test_a_tap_on_the_photo_opens_its_largest_variant(browser: Browser, site_url):
    context = browser.new_context(viewport={"width": 375, "height": 800}, device_scale_factor=2)
    page = context.new_page()
    page.goto(site_url + EPISODE)
    link = page.locator("figure.photo a.photo-link")
    href = link.get_attribute("href")
    assert ".1600." in href and href.endswith(".jpg")
    link.click()
    page.wait_for_url(f"**{href}")
    assert page.evaluate("document.contentType") == "image/jpeg"
    context.close()
