"""Authors' mistakes: each one named with its file and line, dev builds go on, strict ones fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_build

SITE = Path(__file__).parent / "sites" / "erreurs"
DATA = "sites/erreurs/data/questionnaires"
POSTS = "sites/erreurs/posts"
UNTYPESET = str.maketrans({"\u202f": " ", "\u00a0": " ", "’": "'"})  # when typography_fr is on


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return run_build(SITE, tmp_path_factory.mktemp("erreurs"), SEARCH_ENABLED=False)


def problem(built, where: str) -> str:
    """The one problem reported at ``where`` (``file:line``), typography undone."""
    found = [p for p in built.problems if f"{where}:" in p]
    assert len(found) == 1, (where, built.problems)
    return found[0].translate(UNTYPESET)


def test_a_heading_matching_no_question_names_the_closest_one(built):
    message = problem(built, f"{POSTS}/titres.md:16")
    assert "« Qu'est-ce que le sens du clien ? » ne correspond à aucune question" in message
    assert "question la plus proche : « Qu'est-ce qu'« avoir le sens du client » ? »" in message


def test_a_heading_far_from_every_question_is_reported_without_a_guess(built):
    message = problem(built, f"{POSTS}/titres.md:20")
    assert "« Quelle est votre couleur préférée ? » ne correspond à aucune question" in message
    assert "plus proche" not in message


def test_a_question_answered_twice_names_both_lines(built):
    message = problem(built, f"{POSTS}/titres.md:24")
    assert "la question « qui » a déjà une réponse" in message
    assert "première réponse ligne 12" in message


def test_a_required_question_unanswered_is_reported_at_the_questionnaire_line(built):
    message = problem(built, f"{POSTS}/titres.md:4")
    assert "question obligatoire sans réponse : « Qu'est-ce qu'« avoir le sens" in message


def test_an_unknown_questionnaire_lists_the_known_ones(built):
    message = problem(built, f"{POSTS}/inconnu.md:4")
    assert "questionnaire « portrai » inconnu" in message
    assert "« casse », « illisible », « portrait », « sans-questions »" in message
    assert "vouliez-vous dire « portrait » ?" in message


def test_a_questionnaire_without_guest_is_reported(built):
    assert "Questionnaire sans Guest" in problem(built, f"{POSTS}/sans-invite.md:3")


def test_an_invalid_questionnaire_file_reports_each_mistake_at_its_line(built):
    assert "id « qui » en double" in problem(built, f"{DATA}/casse.yml:5")
    assert "question « quoi » sans « text »" in problem(built, f"{DATA}/casse.yml:7")
    assert "id « Pas Un Id » invalide" in problem(built, f"{DATA}/casse.yml:8")
    assert "« questions » manque ou est vide" in problem(built, f"{DATA}/sans-questions.yml:1")


def test_an_unreadable_questionnaire_is_reported_once_with_its_line(built):
    assert "YAML illisible" in problem(built, f"{DATA}/illisible.yml:4")
    assert sum("illisible.yml" in p for p in built.problems) == 1


def test_an_interview_of_a_broken_questionnaire_gets_no_second_error(built):
    assert not any("posts/casse.md" in p for p in built.problems)


def test_every_mistake_is_reported_and_nothing_else(built):
    assert len(built.problems) == 11


def test_a_dev_build_still_renders_interviews_with_mistakes(built):
    page = built.html("/2020/02/des-titres-fautifs/")
    assert [h["id"] for h in page.select(".article-body h2")] == [
        "qui",
        "qu-est-ce-que-le-sens-du-clien",
        "quelle-est-votre-couleur-preferee",
        "qui-etes-vous",
    ]
    assert page.select_one(".guest-name").get_text() == "Tom Titre"
    # The wrong headings keep their wording and are not counted as answers.
    answers = built.html("/interviews/portrait/qui/").select(".interview-reply-body")
    assert [a.get_text(strip=True) for a in answers] == ["Tom."]


def test_a_strict_build_fails_listing_every_mistake_without_traceback(pelican_cli, tmp_path):
    env = {"SITEURL": "https://s.ex", "COLUMNS": "400"}  # one log record, one line
    result = pelican_cli(SITE, "publishconf.py", tmp_path / "out", env)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Construction stricte refusée : 11 problème(s)" in output
    assert "titres.md:16" in output and "casse.yml:5" in output
    assert "Traceback" not in output
