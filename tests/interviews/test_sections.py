"""Bodies cut at their level-2 headings, source lines of headings, plain text, exports, JSON-LD."""

from __future__ import annotations

import csv
import datetime
import io
import json
from types import SimpleNamespace

import pytest

from plugins.interviews.catalogue import (
    Answer,
    Interview,
    build_index,
    export_csv,
    export_rows,
    json_ld,
)
from plugins.interviews.interviews import interviews_settings
from plugins.interviews.questionnaires import Question, Questionnaire
from plugins.interviews.sections import (
    Heading,
    heading_lines,
    plain_text,
    render_sections,
    split_sections,
    unique_slugs,
    without_ids,
)

BODY = (
    "<p>Intro.</p>\n"
    '<h2 id="qui-etes-vous">Qui <em>êtes</em>-vous ?</h2>\n<p>Moi.</p>\n'
    '<h2 class="x" id="deux">Deux</h2>\n<p>Oui <a href="#fn:1" id="r1">1</a></p>\n'
    '<div class="footnote"><ol><li id="fn:1">Note</li></ol></div>'
)


def test_a_body_is_cut_into_introduction_sections_and_footnotes():
    sections = split_sections(BODY)
    assert sections.intro == "<p>Intro.</p>\n"
    assert [s.heading for s in sections.sections] == ["Qui êtes-vous ?", "Deux"]
    assert [s.attrs for s in sections.sections] == ["", ' class="x"']
    assert sections.sections[0].body == "\n<p>Moi.</p>\n"
    assert sections.tail.startswith('<div class="footnote">')


def test_a_body_without_heading_is_all_introduction():
    assert split_sections("<p>Rien.</p>").intro == "<p>Rien.</p>"
    assert split_sections("<p>Rien.</p>").sections == ()


def test_rendering_replaces_anchors_and_wordings_and_keeps_everything_else():
    sections = split_sections(BODY)
    html = render_sections(
        sections, [Heading("qui", "Qui êtes-vous ?", "/q/qui/"), Heading("deux", "Deux")]
    )
    assert '<h2 id="qui">Qui êtes-vous ?</h2>' in html
    assert '<a href="/q/qui/" aria-describedby="qui">Toutes les réponses à cette question</a>' in (
        html
    )
    assert '<h2 id="deux" class="x">Deux</h2>' in html
    assert html.count("Toutes les réponses") == 1
    assert html.startswith("<p>Intro.</p>") and html.endswith("</div>")
    assert "<p>Moi.</p>" in html and "Note" in html


def test_rendering_with_the_same_headings_gives_back_the_body():
    sections = split_sections(BODY)
    headings = [Heading("qui-etes-vous", "Qui <em>êtes</em>-vous ?"), Heading("deux", "Deux")]
    assert render_sections(sections, headings) == BODY.replace(
        '<h2 class="x" id="deux">', '<h2 id="deux" class="x">'
    )


def test_heading_lines_skip_fenced_code_and_other_levels():
    source = "\n".join(
        [
            "Title: T",  # 1
            "",
            "## Un",  # 3
            "### Pas deux",
            "```",
            "## Dans le code",
            "```",
            "~~~~",
            "## Encore du code",
            "```",
            "~~~~",
            "##Deux",  # 12
            "#### Non",
            "   ## Trois",  # 14
        ]
    )
    assert heading_lines(source) == [3, 12, 14]


def test_plain_text_keeps_one_line_per_block_and_decodes_entities():
    html = (
        "<p>Bruno, <em>vendeur</em> &amp; fier.</p>\n<ul><li>un</li><li>deux</li></ul><p>a<br>b</p>"
    )
    assert plain_text(html) == "Bruno, vendeur & fier.\nun\ndeux\na\nb"


def test_ids_are_removed_from_tags_but_not_from_text():
    assert without_ids('<p id="x">id="y" <a id=z href="#a">l</a></p>') == (
        '<p>id="y" <a href="#a">l</a></p>'
    )


def test_free_anchors_are_unique_and_never_empty():
    slugs = unique_slugs(
        ["Et après ?", "Et après ?", "?", "qui"],
        lambda t: t.strip("?").strip().lower().replace(" ", "-"),
        taken={"qui"},
    )
    assert slugs == ["et-après", "et-après-2", "question-3", "qui-2"]


# --- exports and JSON-LD ----------------------------------------------------------------------

QUESTIONS = (Question("qui", "Qui ?", 1, url="i/q/qui/"), Question("quoi", "Quoi ?", 2))
QUESTIONNAIRE = Questionnaire("q", "Le questionnaire", "", QUESTIONS, url="i/q/")


def interview(day: int, guest: str, company: str = "", texts=("<p>A</p>", "<p>B</p>")):
    article = SimpleNamespace(
        date=datetime.datetime(2020, 1, day),
        title=f"Avec {guest}",
        url=f"2020/01/{day}/",
        authors=["Alice"],
        modified=None,
    )
    answers = tuple(
        Answer(q, text, f"{article.url}#{q.id}") for q, text in zip(QUESTIONS, texts, strict=False)
    )
    return Interview(article, guest, "Rôle", company, questionnaire=QUESTIONNAIRE, answers=answers)


def test_the_index_lists_interviews_and_answers_newest_first():
    older, newer = interview(1, "Ana"), interview(9, "Bob", texts=("<p>Qui Bob</p>",))
    index = build_index([older, newer], [QUESTIONNAIRE])
    assert [i.guest for i in index.interviews] == ["Bob", "Ana"]
    assert [i.guest for i, _ in index.replies_to(QUESTIONNAIRE, QUESTIONS[0])] == ["Bob", "Ana"]
    assert [i.guest for i, _ in index.replies_to(QUESTIONNAIRE, QUESTIONS[1])] == ["Ana"]
    assert index.by_year() == [(2020, [newer, older])]


def test_the_csv_export_reads_back_one_row_per_answer():
    index = build_index([interview(1, "Ana", 'Société "A", & fils')], [QUESTIONNAIRE])
    rows = export_rows(index, QUESTIONNAIRE, "https://site.example")
    parsed = list(csv.DictReader(io.StringIO(export_csv(rows))))
    assert parsed == [
        {
            "questionnaire": "q",
            "question_id": "qui",
            "question": "Qui ?",
            "guest": "Ana",
            "role": "Rôle",
            "company": 'Société "A", & fils',
            "date": "2020-01-01",
            "url": "https://site.example/2020/01/1/#qui",
            "answer": "A",
        },
        {
            "questionnaire": "q",
            "question_id": "quoi",
            "question": "Quoi ?",
            "guest": "Ana",
            "role": "Rôle",
            "company": 'Société "A", & fils',
            "date": "2020-01-01",
            "url": "https://site.example/2020/01/1/#quoi",
            "answer": "B",
        },
    ]


def test_json_ld_describes_the_guest_and_cannot_close_its_script_element():
    text = json_ld(interview(1, "Ana </script><script>alert(1)", "ACME"), "https://s.ex", "Site")
    assert "</" not in text and "<script" not in text
    data = json.loads(text)
    assert data["@type"] == "Article"
    assert data["about"] == {
        "@type": "Person",
        "name": "Ana </script><script>alert(1)",
        "jobTitle": "Rôle",
        "worksFor": {"@type": "Organization", "name": "ACME"},
    }
    assert data["url"] == "https://s.ex/2020/01/1/"
    assert data["author"] == [{"@type": "Person", "name": "Alice"}]


# --- settings ---------------------------------------------------------------------------------


def test_default_settings_are_valid():
    settings, problems = interviews_settings({})
    assert problems == []
    assert settings["INTERVIEWS_QUESTION_URL"] == "interviews/{questionnaire}/{question}/"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("INTERVIEWS_QUESTION_SAVE_AS", "interviews/{questionnaire}/index.html"),  # no {question}
        ("INTERVIEWS_QUESTIONNAIRE_URL", "interviews/{slug}/"),
        ("INTERVIEWS_URL", ""),
        ("INTERVIEWS_ANSWERS_PER_PAGE", 0),
        ("INTERVIEWS_ANSWERS_PER_PAGE", "20"),
        ("INTERVIEWS_SAVE_AS", "interviews/{"),
    ],
)
def test_an_invalid_setting_is_reported_and_replaced_by_its_default(key, value):
    settings, problems = interviews_settings({key: value})
    assert len(problems) == 1 and key in problems[0]
    assert settings[key] == interviews_settings({})[0][key]


def test_exports_and_feed_can_be_switched_off():
    off = {"INTERVIEWS_FEED_ATOM": None, "INTERVIEWS_EXPORT_CSV_SAVE_AS": ""}
    settings, problems = interviews_settings(off)
    assert problems == []
    assert settings["INTERVIEWS_FEED_ATOM"] == settings["INTERVIEWS_EXPORT_CSV_SAVE_AS"] == ""
