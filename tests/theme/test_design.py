"""The reading design on the demo site: cards and their pictures, the signature box, the guest
card, question navigation, page numbers, the fonts, and the typography of the interface."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from plugins.typography_fr import typeset
from plugins.typography_fr.typography_fr import TEXT_RULES
from tests.theme.conftest import ROOT, html_pages

FONTS = ROOT / "theme" / "static" / "fonts"
FONT_CSS = ROOT / "theme" / "static" / "css" / "05-fonts.css"
INTERVIEW = (
    "/2021/05/helene-ferrand-un-client-qui-se-plaint-est-un-client-qui-vous-laisse-une-chance/"
)
RESERVED = ("Charis", "SIL")  # Reserved Font Names of Charis SIL's licence


def test_every_template_string_and_name_reads_with_french_typography(demo):
    # Bodies and titles are typeset by typography_fr; what the theme writes around them (and
    # the names of series, tags, questionnaires) must be as well: typesetting the whole page
    # again (text rules) changes nothing.
    unstable = {}
    for path in html_pages(demo):
        html = path.read_text(encoding="utf-8")
        again = typeset(html, TEXT_RULES)
        if again != html:
            at = next(i for i, (a, b) in enumerate(zip(html, again, strict=False)) if a != b)
            unstable[path.relative_to(demo.output).as_posix()] = html[max(0, at - 60) : at + 20]
    assert unstable == {}


def test_interface_words_have_typographic_apostrophes_and_spaces(demo):
    interviews = demo.html("/interviews/").get_text()
    assert "s’abonner aux interviews" in interviews
    assert "L’Oeil du Sens du client" in demo.html("/series/").get_text()
    tag = demo.html("/tags/service-client/")
    assert tag.h1.get_text() == "Tag\u00a0: service client"
    article = demo.html("/2022/06/nps-pas-un-objectif/")
    assert article.select_one(".tag-list-label").get_text() == "Tags\u00a0:"
    assert "2\u00a0min de lecture" in article.select_one(".article-meta").get_text()


def test_the_front_page_opens_with_the_latest_article_then_cards(demo):
    home = demo.html("/")
    cards = home.select(".article-list .card")
    assert "card-lead" in cards[0]["class"]
    assert not any("card-lead" in card["class"] for card in cards[1:])
    assert not demo.html("/page/2/").select(".card-lead")
    assert not demo.html("/tags/service-client/").select(".card-lead")


def test_cards_show_a_cover_a_guest_photo_or_the_series_emblem(demo):
    cards = demo.html("/tags/service-client/").select(".card") + demo.html(
        "/tags/service-client/page/2/"
    ).select(".card")
    by_title = {card.select_one(".card-title").get_text(): card for card in cards}
    episode = by_title[
        "L’Oeil du Sens du client (3)\u00a0: Le magasin de bricolage du samedi matin"
    ]
    assert episode.select_one(".series-emblem").get_text() == "L’Oeil du Sens du client"
    guest = next(card for title, card in by_title.items() if title.startswith("Hélène Ferrand"))
    # A responsive variant of the portrait (issue 20), never the original.
    assert re.search(
        r"/portrait-helene-ferrand\.\d+\.\w+\.png$",
        guest.select_one(".card-image-guest img")["src"],
    )
    assert guest.select_one(".card-kicker").get_text() == "Interview"
    covered = demo.html("/tags/sncf/").select_one(".card .card-image img[src*='/quai-de-gare.']")
    assert covered is not None and covered["alt"] == ""


def test_cards_say_the_date_and_reading_time_and_the_comments_when_there_are_some(demo):
    cards = [
        card
        for path in html_pages(demo)
        for card in demo.html("/" + path.relative_to(demo.output).as_posix()).select(".card")
    ]
    commented = 0
    for card in cards:
        meta = card.select_one(".card-meta").get_text()
        assert re.search(r"\d{4} · \d+\u00a0min de lecture", meta), meta
        link = card.select_one(".card-title a")["href"]
        if "le-chat-en-ligne" in link:
            assert card.select_one(".comment-count").get_text() == "3\u00a0commentaires"
            commented += 1
        elif "nps-pas-un-objectif" in link:
            assert not card.select(".comment-count")
    assert commented


def test_an_article_ends_with_its_authors_signature_box(demo):
    page = demo.html("/2022/06/nps-pas-un-objectif/")
    box = page.select_one(".article-footer .author-box")
    assert box.select_one("a[rel=author]")["href"] == "/auteurs/le-sens-du-client/"
    assert box.select_one("img.author-photo")["src"] == "/images/auteurs/le-sens-du-client.svg"
    assert "La rédaction du Sens du client\u00a0:" in box.select_one(".author-bio").get_text()


def test_an_author_missing_from_authors_yml_is_named_without_a_box(demo):
    pages = [demo.html("/" + p.relative_to(demo.output).as_posix()) for p in html_pages(demo)]
    by_nadia = [
        page for page in pages if page.select_one(".article-meta a[href='/auteurs/nadia-roux/']")
    ]
    assert by_nadia
    for page in by_nadia:
        boxes = [a["href"] for a in page.select(".author-box a[rel=author]")]
        assert "/auteurs/nadia-roux/" not in boxes


def test_the_author_page_shows_the_bio_and_photo_above_the_articles(demo):
    page = demo.html("/auteurs/julien-marchand/")
    assert page.h1.get_text() == "Julien Marchand"
    box = page.select_one(".listing-header .author-box")
    assert box.select_one("img.author-photo") and box.select_one(".author-bio")
    assert page.select(".article-list .card")


def test_an_interview_has_its_guest_card_with_photo(demo):
    card = demo.html(INTERVIEW).select_one(".guest-card")
    assert re.search(
        r"/portrait-helene-ferrand\.\d+\.\w+\.png$", card.select_one("img.guest-photo")["src"]
    )
    assert card.select_one(".guest-name").get_text(strip=True) == "Hélène Ferrand"


def test_a_question_page_links_to_the_previous_and_next_questions(demo):
    nav = demo.html("/interviews/sens-du-client/definition/").select_one("nav.question-nav")
    assert nav.select_one("a[rel=prev]")["href"] == "/interviews/sens-du-client/qui/"
    assert nav.select_one("a[rel=next]")["href"].startswith("/interviews/sens-du-client/")
    first = demo.html("/interviews/sens-du-client/qui/").select_one("nav.question-nav")
    assert first.select_one("a[rel=prev]") is None and first.select_one("a[rel=next]")


def test_tag_pages_after_the_first_say_their_number_in_title_and_description(demo):
    first, second = demo.html("/tags/service-client/"), demo.html("/tags/service-client/page/2/")
    assert "(page" not in first.title.get_text()
    assert "(page 2)" in second.title.get_text()
    for page, expected in ((first, False), (second, True)):
        for selector in ('meta[name="description"]', 'meta[property="og:description"]'):
            assert ("(page 2)" in page.select_one(selector)["content"]) is expected, selector
    assert "(page 2)" in second.select_one('meta[property="og:title"]')["content"]


def test_an_interview_page_has_one_json_ld_graph(demo):
    scripts = demo.html(INTERVIEW).select('script[type="application/ld+json"]')
    assert len(scripts) == 1


def test_the_fonts_are_woff2_under_120_kb_with_their_licences(demo):
    fonts = sorted(FONTS.glob("*.woff2"))
    assert len(fonts) >= 4
    assert sum(font.stat().st_size for font in fonts) < 120 * 1024
    assert {p.name for p in FONTS.glob("LICENCE-*.txt")} == {
        "LICENCE-fonts-sil-charis.txt",
        "LICENCE-fonts-inter.txt",
    }
    for font in fonts:
        assert (demo.output / "theme" / font.name).exists()


def test_no_subset_font_carries_a_reserved_font_name():
    for font in FONTS.glob("*.woff2"):
        names = TTFont(font)["name"]
        for name_id in (1, 4, 6, 16, 17):
            record = names.getDebugName(name_id) or ""
            assert not any(word in record for word in RESERVED), (font.name, name_id, record)
        assert "Open Font License" in (names.getDebugName(13) or "") + (
            names.getDebugName(14) or ""
        ) or "OFL" in (names.getDebugName(14) or ""), font.name


def test_every_face_swaps_and_the_text_faces_are_preloaded(demo):
    css = FONT_CSS.read_text(encoding="utf-8")
    faces = re.findall(r"@font-face \{(.*?)\}", css, re.S)
    assert faces and all("font-display: swap" in face for face in faces)
    head = demo.html("/").head
    preloads = head.select('link[rel=preload][as=font][type="font/woff2"][crossorigin]')
    assert len(preloads) == 2
    for link in preloads:
        assert (demo.output / link["href"].lstrip("/")).exists()
        assert link["href"].rsplit("/", 1)[1] in css


def test_the_committed_fonts_are_what_make_fonts_cuts_from_the_packages():
    from theme.fonts import make_fonts

    face = make_fonts.FACES[0]  # one face: cutting them all takes seconds
    if not Path(face.source).exists():
        pytest.skip(f"{face.package} missing: make install installs it")
    committed = list(FONTS.glob(f"{face.file_stem}.*.woff2"))
    assert [p.read_bytes() for p in committed] == [make_fonts.subset_face(face)]
