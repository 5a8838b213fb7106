"""Questionnaires: reading their YAML, and matching headings to questions."""

from __future__ import annotations

import pytest

from plugins.interviews.questionnaires import match_headings, normalise, parse_questionnaire

DATA = {
    "title": "Le questionnaire",
    "questions": [
        {"id": "qui", "text": "Qui êtes-vous ?"},
        {
            "id": "definition",
            "text": "Selon vous, pour une entreprise, qu'est-ce qu'« avoir le sens du client » ?",
            "also": ["Qu'est-ce que le sens du client pour vous ?"],
        },
        {"id": "conseil", "text": "Un conseil ?", "optional": True},
    ],
}
DEFINITION = "Selon vous, pour une entreprise, qu'est-ce qu'« avoir le sens du client » ?"


@pytest.fixture(scope="module")
def questionnaire():
    parsed, problems = parse_questionnaire("sens-du-client", DATA)
    assert problems == []
    return parsed


# --- matching ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Qui êtes-vous ?", "qui"),  # as written in the questionnaire
        ("Qui etes-vous?", "qui"),  # no accent, no space before "?"
        ("QUI ÊTES-VOUS", "qui"),  # case, no punctuation
        ("Qui  êtes \u00a0- vous\u202f?", "qui"),  # spaces of every width, a spaced hyphen
        ("qui", "qui"),  # the id
        ("definition", "definition"),
        ("DÉFINITION", "definition"),
        # Every kind of apostrophe and quotes around « avoir le sens du client »:
        (DEFINITION, "definition"),
        (DEFINITION.replace("'", "’"), "definition"),
        (DEFINITION.replace("« ", '"').replace(" »", '"'), "definition"),
        (DEFINITION.replace("« ", "“").replace(" »", "”"), "definition"),
        (DEFINITION.replace("« ", "«\u202f").replace(" »", "\u202f»"), "definition"),
        (DEFINITION.replace("« ", "'").replace(" »", "'"), "definition"),
        (DEFINITION.replace("'", "`"), "definition"),
        ("Selon vous pour une entreprise qu est ce qu avoir le sens du client", "definition"),
        # An older wording (also:), with its own variants:
        ("Qu'est-ce que le sens du client pour vous ?", "definition"),
        ("Qu’est-ce que le sens du client, pour vous ?", "definition"),
        ("Un conseil...", "conseil"),
        ("Un conseil…", "conseil"),
    ],
)
def test_a_heading_matches_its_question_whatever_the_case_accents_quotes_and_spaces(
    questionnaire, heading, expected
):
    question = questionnaire.match(heading)
    assert question is not None, heading
    assert question.id == expected


@pytest.mark.parametrize("heading", ["Qui sont-ils ?", "Un autre conseil ?", "sens", ""])
def test_a_different_wording_matches_no_question(questionnaire, heading):
    assert questionnaire.match(heading) is None


def test_normalise_folds_ligatures_accents_and_punctuation():
    assert normalise("L’Œil du « Sens » !") == normalise("l'oeil du sens") == "loeildusens"


def test_headings_are_matched_in_order_without_problem(questionnaire):
    matches, problems = match_headings(questionnaire, ["qui", "Definition", "Un conseil ?"])
    assert [q.id for q in matches] == ["qui", "definition", "conseil"]
    assert problems == []


def test_an_optional_question_may_be_left_unanswered(questionnaire):
    _, problems = match_headings(questionnaire, ["Qui êtes-vous ?", "definition"])
    assert problems == []


def test_an_unknown_heading_names_the_closest_question(questionnaire):
    matches, problems = match_headings(
        questionnaire, ["Qui êtes-vous ?", "Qu'est-ce que le sens du clien ?", "Un conseil ?"]
    )
    assert matches[1] is None
    unknown = [p for p in problems if p.where == (1,)]
    assert len(unknown) == 1
    assert "ne correspond à aucune question" in unknown[0].message
    assert "(id definition)" in unknown[0].hint


def test_a_far_heading_gets_no_closest_question(questionnaire):
    _, problems = match_headings(questionnaire, ["Qui êtes-vous ?", "definition", "Météo"])
    assert [p.where for p in problems] == [(2,)]
    assert problems[0].hint == ""


def test_a_question_answered_twice_points_at_both_answers(questionnaire):
    matches, problems = match_headings(questionnaire, ["qui", "definition", "Qui etes vous"])
    assert matches[2].id == "qui"
    assert [(p.message, p.where) for p in problems] == [
        ("la question « qui » a déjà une réponse", (2, 0))
    ]


def test_a_required_question_left_unanswered_is_a_problem_of_the_whole_interview(questionnaire):
    _, problems = match_headings(questionnaire, ["Qui êtes-vous ?"])
    assert [p.where for p in problems] == [()]
    assert "definition" not in problems[0].message
    assert "avoir le sens du client" in problems[0].message


def test_a_draft_may_leave_required_questions_unanswered(questionnaire):
    _, problems = match_headings(questionnaire, ["Qui êtes-vous ?"], complete=False)
    assert problems == []


# --- reading questionnaires -------------------------------------------------------------------


def test_a_questionnaire_keeps_its_order_numbers_and_wordings(questionnaire):
    assert questionnaire.title == "Le questionnaire"
    assert [(q.id, q.number, q.optional) for q in questionnaire.questions] == [
        ("qui", 1, False),
        ("definition", 2, False),
        ("conseil", 3, True),
    ]
    assert questionnaire.questions[1].also == ("Qu'est-ce que le sens du client pour vous ?",)


def test_a_single_older_wording_may_be_written_without_a_list():
    data = {"questions": [{"id": "qui", "text": "Qui ?", "also": "Vous êtes ?"}]}
    parsed, problems = parse_questionnaire("q", data)
    assert problems == []
    assert parsed.match("vous etes") is parsed.questions[0]
    assert parsed.title == "q"  # no title: the id


@pytest.mark.parametrize(
    ("data", "message", "where"),
    [
        (["qui"], "un questionnaire est un dictionnaire avec title et questions", ()),
        ({"title": "T"}, "« questions » manque ou est vide", ()),
        ({"questions": []}, "« questions » manque ou est vide", ()),
        ({"questions": ["Qui ?"]}, "une question doit avoir un id et un text", ("questions", 0)),
        ({"questions": [{"text": "Qui ?"}]}, "question sans « id »", ("questions", 0)),
        ({"questions": [{"id": "qui"}]}, "question « qui » sans « text »", ("questions", 0)),
        (
            {"questions": [{"id": "Qui ?", "text": "Qui ?"}]},
            "id « Qui ? » invalide",
            ("questions", 0, "id"),
        ),
        (
            {"questions": [{"id": "a", "text": "A ?"}, {"id": "a", "text": "B ?"}]},
            "id « a » en double",
            ("questions", 1, "id"),
        ),
        (
            {"questions": [{"id": "a", "text": "A ?"}, {"id": "b", "text": "B ?", "also": "a"}]},
            "« a » désigne déjà la question « a »",
            ("questions", 1),
        ),
        (
            {"questions": [{"id": "a", "text": "A ?", "optional": "oui"}]},
            "« optional » vaut true ou false",
            ("questions", 0, "optional"),
        ),
        (
            {"questions": [{"id": "a", "text": "A ?", "also": [1]}]},
            "« also » doit être une liste de formulations",
            ("questions", 0),
        ),
    ],
)
def test_an_invalid_questionnaire_reports_where_its_mistake_is(data, message, where):
    parsed, problems = parse_questionnaire("q", data)
    assert parsed is None
    assert [(p.message, p.where) for p in problems] == [(message, where)]


def test_every_mistake_of_a_questionnaire_is_reported_at_once():
    data = {"questions": [{"id": "a"}, {"id": "a", "text": "B"}, {"text": "C"}]}
    _, problems = parse_questionnaire("q", data)
    assert len(problems) == 3
