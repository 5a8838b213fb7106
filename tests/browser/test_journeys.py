"""Reader journeys in a real browser: from the home page into a series, across interviews,
from an article to a tag, and through the page with the keyboard only."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

INTERVIEW = (
    "/2021/05/helene-ferrand-un-client-qui-se-plaint-est-un-client-qui-vous-laisse-une-chance/"
)


def test_home_to_a_series_to_its_first_episode_to_the_next_one(page: Page):
    page.goto("/")
    series = page.locator(".home-series .card-title a").first
    series_name = series.inner_text()
    series.click()
    expect(page.locator("h1")).to_have_text(series_name)
    page.locator(".series-episodes a").first.click()
    expect(page.locator(".series-nav-title")).to_contain_text("Épisode 1 sur")
    page.locator(".series-nav-next a").click()
    expect(page.locator(".series-nav-title")).to_contain_text("Épisode 2 sur")
    expect(page.locator("h1")).to_contain_text("(2)")


def test_an_interview_to_every_answer_to_a_question_to_another_guest(page: Page):
    page.goto(INTERVIEW)
    guest = page.locator(".guest-name").inner_text()
    page.get_by_role("link", name="Toutes les réponses à cette question").first.click()
    expect(page).to_have_url(re.compile(r"/interviews/[^/]+/[^/]+/$"))
    other = page.locator(".interview-reply-link a").filter(has_not_text=guest).first
    other_guest = (
        other.inner_text()
        .removeprefix("Lire l’interview avec ")
        .removeprefix("Lire l'interview avec ")
    )
    other.click()
    expect(page).to_have_url(re.compile(r"/20\d\d/\d\d/[^/]+/#"))
    expect(page.locator(".guest-name")).to_have_text(other_guest)
    assert INTERVIEW not in page.url


def test_a_tag_mentioned_in_an_article_body_leads_to_the_tag_page_listing_it(page: Page):
    page.goto(INTERVIEW)
    mentions = page.locator(".article-body a[rel~=tag]")
    if mentions.count() == 0:
        pytest.skip("the tags plugin puts no tag link in article bodies")
    tag = mentions.first.inner_text()
    mentions.first.click()
    expect(page).to_have_url(re.compile(r"/tags/[^/]+/$"))
    expect(page.locator("h1")).to_contain_text("Tag")
    listed = page.locator(".card-title a, .pagination a")
    assert listed.count() > 0, f"the page of the tag {tag!r} lists nothing"


def focused(page: Page) -> dict:
    return page.evaluate(
        """() => {
            const e = document.activeElement;
            const style = getComputedStyle(e);
            const box = e.getBoundingClientRect();
            return {tag: e.tagName, id: e.id, text: e.innerText.trim(),
                    outline: parseFloat(style.outlineWidth) || 0, outlineStyle: style.outlineStyle,
                    visible: box.width > 0 && box.bottom > 0 && box.right > 0};
        }"""
    )


def test_tab_from_the_top_reaches_the_skip_link_then_the_title_then_the_menu(page: Page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = focused(page)
    assert (skip["text"], skip["visible"]) == ("Aller au contenu", True)
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Le Sens du client"
    menu = []
    for _ in range(4):
        page.keyboard.press("Tab")
        menu.append(focused(page))
    assert [item["text"] for item in menu] == ["Interviews", "Séries", "Tags", "Archives"]
    assert all(item["outline"] >= 2 and item["outlineStyle"] != "none" for item in menu)


def test_enter_on_the_skip_link_moves_focus_to_the_main_content(page: Page):
    page.goto("/2022/06/nps-pas-un-objectif/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "contenu"
    page.keyboard.press("Tab")
    first_in_main = page.evaluate("() => !!document.activeElement.closest('main')")
    assert first_in_main
