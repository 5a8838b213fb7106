"""Questionnaires: their YAML files read into frozen values, and headings matched to questions.

Pure functions over plain data; nothing here knows about Pelican. A problem is a ``Problem``
(a message, a hint and where it lies: a YAML key path or a heading's position), turned into a
``path:line: message`` error by the plugin, which looks the line up only when there is one.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

# Question ids are URL segments and HTML ids: keep them to what needs no escaping anywhere.
QUESTION_ID_RE = re.compile(r"\A[a-z0-9]+(?:-[a-z0-9]+)*\Z")
# Everything that is not a letter or a digit: punctuation, quotes of every kind (' ’ " “ ” « »),
# spaces of every width. Matching ignores all of them.
NOT_ALNUM_RE = re.compile(r"[\W_]+")
# Letters that Unicode decomposition leaves whole but French readers see as two.
LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})


@dataclass(frozen=True)
class Problem:
    """A mistake, located by a YAML key path (questionnaires) or a heading index (interviews)."""

    message: str
    hint: str = ""
    where: tuple = ()


@dataclass(frozen=True)
class Question:
    """One question of a questionnaire; ``number`` counts from 1."""

    id: str
    text: str
    number: int
    also: tuple[str, ...] = ()
    optional: bool = False
    url: str = ""
    save_as: str = ""


@dataclass(frozen=True)
class Questionnaire:
    """A questionnaire file: ``data/questionnaires/<id>.yml``."""

    id: str
    title: str
    description: str
    questions: tuple[Question, ...]
    url: str = ""
    save_as: str = ""
    keys: dict = field(default_factory=dict, compare=False, repr=False)

    def match(self, heading: str) -> Question | None:
        """The question a heading stands for, or None."""
        return self.keys.get(normalise(heading))


def normalise(text: str) -> str:
    """The matching key of a wording: no case, accents, punctuation, quotes or spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(LIGATURES))
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return NOT_ALNUM_RE.sub("", letters)


def parse_questionnaire(questionnaire_id: str, data) -> tuple[Questionnaire | None, list[Problem]]:
    """A questionnaire from its parsed YAML, or None with every problem found in it."""
    if not isinstance(data, dict):
        return None, [Problem("un questionnaire est un dictionnaire avec title et questions")]
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        return None, [Problem("« questions » manque ou est vide", "une liste de id et text")]
    problems: list[Problem] = []
    questions: list[Question] = []
    seen_ids: set[str] = set()
    for index, raw in enumerate(raw_questions):
        where = ("questions", index)
        if not isinstance(raw, dict):
            problems.append(Problem("une question doit avoir un id et un text", where=where))
            continue
        question_id = str(raw.get("id") or "").strip()
        text = raw.get("text")
        also = raw.get("also") or []
        also = [also] if isinstance(also, str) else also
        if not question_id:
            problems.append(Problem("question sans « id »", where=where))
        elif not QUESTION_ID_RE.match(question_id):
            hint = "minuscules sans accents, chiffres et tirets, par exemple « sens-du-client »"
            problems.append(Problem(f"id « {question_id} » invalide", hint, (*where, "id")))
        elif question_id in seen_ids:
            problems.append(Problem(f"id « {question_id} » en double", where=(*where, "id")))
        if not isinstance(text, str) or not text.strip():
            problems.append(Problem(f"question « {question_id} » sans « text »", where=where))
        if not isinstance(also, list) or not all(isinstance(a, str) for a in also):
            problems.append(Problem("« also » doit être une liste de formulations", where=where))
            also = []
        optional = raw.get("optional", False)
        if not isinstance(optional, bool):
            problems.append(Problem("« optional » vaut true ou false", where=(*where, "optional")))
        seen_ids.add(question_id)
        if isinstance(text, str) and text.strip() and question_id:
            question = Question(question_id, text.strip(), index + 1, tuple(also), optional is True)
            questions.append(question)
    keys, ambiguities = matching_keys(questions)
    problems.extend(ambiguities)
    if problems:
        return None, problems
    title = str(data.get("title") or questionnaire_id)
    description = str(data.get("description") or "")
    return Questionnaire(questionnaire_id, title, description, tuple(questions), keys=keys), []


def matching_keys(questions: Sequence[Question]) -> tuple[dict[str, Question], list[Problem]]:
    """Every normalised wording (text, older wordings, id) of every question, unambiguous."""
    keys: dict[str, Question] = {}
    problems = []
    for question in questions:
        for wording in (question.text, *question.also, question.id):
            key = normalise(wording)
            owner = keys.setdefault(key, question)
            if owner.id != question.id:
                where = ("questions", question.number - 1)
                message = f"« {wording} » désigne déjà la question « {owner.id} »"
                problems.append(Problem(message, "chaque formulation doit être unique", where))
    return keys, problems


def match_headings(
    questionnaire: Questionnaire, headings: Sequence[str], *, complete: bool = True
) -> tuple[list[Question | None], list[Problem]]:
    """The question of each heading, in order, and the problems (``where`` = heading index).

    A problem at ``where=()`` concerns the whole interview (an unanswered required question);
    a second answer has ``where=(index, index of the first)``. ``complete=False`` (a draft)
    skips the check of unanswered questions.
    """
    matches: list[Question | None] = []
    problems = []
    answered: dict[str, int] = {}
    for index, heading in enumerate(headings):
        question = questionnaire.match(heading)
        matches.append(question)
        if question is None:
            near = closest_question(questionnaire, heading)
            hint = f"question la plus proche : « {near.text} » (id {near.id})" if near else ""
            message = f"« {heading} » ne correspond à aucune question de « {questionnaire.id} »"
            problems.append(Problem(message, hint, (index,)))
        elif question.id in answered:
            message = f"la question « {question.id} » a déjà une réponse"
            problems.append(Problem(message, where=(index, answered[question.id])))
        else:
            answered[question.id] = index
    if complete:
        for question in questionnaire.questions:
            if not question.optional and question.id not in answered:
                message = f"question obligatoire sans réponse : « {question.text} »"
                problems.append(Problem(message, f"ajoutez « ## {question.text} »"))
    return matches, problems


def closest_question(questionnaire: Questionnaire, heading: str) -> Question | None:
    """The question whose wording is nearest to a heading, when one is near enough."""
    key = normalise(heading)
    found = difflib.get_close_matches(key, list(questionnaire.keys), n=1, cutoff=0.6)
    return questionnaire.keys[found[0]] if found else None
