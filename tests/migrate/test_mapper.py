"""The mapper's rules on their own: series titles, questionnaires, guests, tags, bodies."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from pelican.settings import read_settings

from migrate import markup
from migrate.mapper import Options, map_export, match_questionnaire, match_series
from migrate.model import Export, SourceComment, SourceEntry
from migrate.site import load_site

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(__file__).parent / "fixtures" / "site"


@pytest.fixture(scope="module")
def site():
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(SITE)})
    return load_site(str(SITE), settings)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "L'Oeil du Sens du client (12) : Courtepaille",
            ("L'Oeil du Sens du client", 12, "Courtepaille"),
        ),
        (
            "L’Œil du Sens du client (13) : la pharmacie",
            ("L'Oeil du Sens du client", 13, "la pharmacie"),
        ),
        ("l'oeil du sens du client (2): Fnac", ("L'Oeil du Sens du client", 2, "Fnac")),
        (
            "IRRITANT : le livre électronique en France",
            ("Irritant", None, "le livre électronique en France"),
        ),
        ("IRRITANT: la file d'attente", ("Irritant", None, "la file d'attente")),
        ("Irritant\u00a0: le serveur vocal", ("Irritant", None, "le serveur vocal")),
        ("L'Oeil du client (3) : rien", None),
        ("Un billet sur l'irritant : les files", None),
    ],
)
def test_a_title_that_fits_a_series_format_gives_series_number_and_bare_title(
    site, title, expected
):
    assert match_series(title, site) == expected


def body(html: str):
    return markup.parse(html)


QUESTIONS = [
    "Qui êtes-vous ?",
    "Selon vous, pour une entreprise, qu'est-ce qu'« avoir le sens du client » ?",
    "Racontez-nous une expérience client réussie que vous avez vécue.",
    "Et à l'inverse, une expérience qui vous a fait fuir ?",
]


@pytest.mark.parametrize(
    ("html", "answered"),
    [
        # bold paragraphs, straight and curly apostrophes, quotes of another kind, no space
        (
            "<p><strong>Qui êtes-vous?</strong></p><p>R.</p>"
            "<p><b>Selon vous, pour une entreprise, qu’est-ce qu’"
            '"avoir le sens du client" ?</b></p><p>R.</p>'
            "<p><strong>Et à l’inverse, une expérience qui vous a fait « fuir » ?</strong></p>",
            {"qui", "definition", "irritant"},
        ),
        # h3 headings with older wordings, numbered, accents dropped
        (
            "<h3>1. Qui etes vous</h3><p>R.</p><h3>Qu'est-ce que le sens du client pour vous ?</h3>"
            "<p>R.</p><h4>Votre meilleur souvenir de client ?</h4><p>R.</p>",
            {"qui", "definition", "exemple"},
        ),
        # plain paragraphs asking the questions
        (
            "".join(f"<p>{q}</p><p>Réponse.</p>" for q in QUESTIONS),
            {"qui", "definition", "exemple", "irritant"},
        ),
    ],
)
def test_questions_as_bold_paragraphs_or_headings_become_level_2_headings(site, html, answered):
    soup = body(html)
    questionnaire, found = match_questionnaire(soup, site.questionnaires)
    assert questionnaire.id == "sens-du-client" and found == answered
    assert len(soup.find_all("h2")) == len(answered)


def test_fewer_than_half_of_the_questions_is_no_interview(site):
    soup = body("<p><strong>Qui êtes-vous ?</strong></p><p>Moi.</p><h2>Autre chose</h2>")
    assert match_questionnaire(soup, site.questionnaires) is None
    assert soup.find("h2").get_text() == "Autre chose"


def test_other_level_2_headings_of_an_interview_step_down(site):
    soup = body("<h2>Son parcours</h2>" + "".join(f"<h3>{q}</h3><p>R.</p>" for q in QUESTIONS))
    match_questionnaire(soup, site.questionnaires)
    assert soup.find("h3").get_text() == "Son parcours"


def entry(title: str, html: str, **fields) -> SourceEntry:
    values = {"position": 1, "date": datetime(2011, 1, 17, 9, 0), "basename": "billet"}
    return SourceEntry(title=title, body_html=html, **{**values, **fields})


def mapped_text(site, *entries) -> tuple[dict[str, str], list[str]]:
    mapped = map_export(Export("test", tuple(entries)), site, Options())
    files = {path: data.decode() for path, data in mapped.files.items()}
    return files, [str(problem) for problem in mapped.problems]


QUESTIONNAIRE_BODY = "".join(f"<p><strong>{q}</strong></p><p>Réponse.</p>" for q in QUESTIONS)


@pytest.mark.parametrize(
    ("title", "guest", "company"),
    [
        (
            "Florence Lescuyer (groupe Le Monde) et le Sens du client",
            "Florence Lescuyer",
            "groupe Le Monde",
        ),
        ("3 questions à Sophie Callies", "Sophie Callies", ""),
        ("Entretien avec Karim Belaïd (Orange)", "Karim Belaïd", "Orange"),
    ],
)
def test_the_guest_is_taken_from_the_title(site, title, guest, company):
    files, problems = mapped_text(site, entry(title, QUESTIONNAIRE_BODY))
    text = files["posts/2011/2011-01-17-billet.md"]
    assert f"\nGuest: {guest}\n" in text and "\nQuestionnaire: sens-du-client\n" in text
    assert (f"\nGuest_company: {company}\n" in text) == bool(company)
    assert problems == []


def test_a_title_that_names_no_guest_is_reported_and_no_questionnaire_written(site):
    files, problems = mapped_text(site, entry("Le questionnaire de janvier", QUESTIONNAIRE_BODY))
    assert "Questionnaire:" not in files["posts/2011/2011-01-17-billet.md"]
    assert any(
        "ne nomme pas l'invité" in p and "« Le questionnaire de janvier »" in p for p in problems
    )


def test_tags_go_through_the_aliases_of_tags_yml(site):
    files, _ = mapped_text(site, entry("Soldes", "<p>x</p>", tags=("CDiscount", "soldes")))
    assert "\nTags: Cdiscount, soldes\n" in files["posts/2011/2011-01-17-billet.md"]


def test_layout_junk_is_dropped_and_structure_kept():
    html = (
        '<div><p style="x"><span style="color:red">Un</span>&nbsp;&nbsp;&nbsp;texte '
        "<em>vif</em></p><p>&nbsp;</p><p><br></p><table><tr><th>a</th></tr><tr><td>1</td></tr>"
        "</table><ol><li>un</li></ol><blockquote><p>cité</p></blockquote></div>"
    )
    text = markup.to_markdown(markup.parse(html))
    assert text == "Un texte *vif*\n\n| a |\n| --- |\n| 1 |\n\n1. un\n\n> cité\n"


def test_comments_keep_threading_and_never_an_address(site):
    comments = (
        SourceComment(
            "7", "Claire Martin", datetime(2011, 3, 15, 12), "<p>Écrivez à c@x.fr, 10.0.0.1</p>"
        ),
        SourceComment("8", "Claire Martin", datetime(2011, 3, 15, 13), "<p>Encore</p>", parent="7"),
        SourceComment("9", "Zoé", datetime(2011, 3, 16), "<p>Réponse</p>", parent="404"),
    )
    files, problems = mapped_text(site, entry("Billet", "<p>x</p>", comments=comments))
    text = files["comments/billet.yml"]
    assert "id: 2011-03-15-claire-martin\n" in text and "id: 2011-03-15-claire-martin-2\n" in text
    assert "reply_to: 2011-03-15-claire-martin\n" in text
    assert "c@x.fr" not in text and "10.0.0.1" not in text
    assert any("réponse de Zoé à un commentaire absent" in p for p in problems)


def test_a_tag_that_gives_no_address_is_dropped_and_named(site):
    files, problems = mapped_text(site, entry("Soldes", "<p>x</p>", tags=("😀", "soldes")))
    assert "\nTags: soldes\n" in files["posts/2011/2011-01-17-billet.md"]
    assert any("tag « 😀 »" in p and "« Soldes »" in p for p in problems)


def test_the_old_address_follows_the_migrate_old_url_setting(site):
    settings = {
        **site.settings,
        "MIGRATE_OLD_URL": "{base}/archive/{year}/{month}/{day}/{basename}.html",
    }
    hautetfort = replace(site, settings=settings)
    mapped = map_export(
        Export("test", (entry("Billet", "<p>x</p>"),)),
        hautetfort,
        Options(old_base="http://sensduclient.hautetfort.com/"),
    )
    assert mapped.redirects == {"/archive/2011/01/17/billet.html": "/2011/01/billet/"}
