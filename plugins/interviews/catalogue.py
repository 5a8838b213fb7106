"""Interviews as values, their index across the site, and what is exported from it.

Pure functions: articles are only read (``date``, ``title``, ``url``, ``authors``), never changed.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .questionnaires import Question, Questionnaire
from .sections import plain_text

EXPORT_FIELDS = (
    "questionnaire", "question_id", "question", "guest", "role", "company", "date", "url",
    "answer",
)  # fmt: skip
# In a <script> element, "</script>" or "<!--" would end or change the element: JSON lets us
# write these three characters as escapes, which any JSON reader decodes back.
JSON_IN_HTML = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


@dataclass(frozen=True, eq=False)
class Answer:
    """A guest's answer to one question; ``html`` is ready to be shown beside other answers."""

    question: Question
    html: str
    url: str  # the interview at this question's anchor, relative to the site root

    @property
    def text(self) -> str:
        """The answer as plain text."""
        return plain_text(self.html)


@dataclass(frozen=True, eq=False)
class Interview:
    """An article with a guest: ``article.interview``."""

    article: Any
    guest: str
    role: str = ""
    company: str = ""
    url: str = ""  # the guest's own site
    photo: str = ""  # URL of the guest's portrait, ready for ``src``
    questionnaire: Questionnaire | None = None
    answers: tuple[Answer, ...] = ()

    @property
    def date(self):
        return self.article.date

    @property
    def title(self) -> str:
        return self.article.title


Reply = tuple[Interview, Answer]


@dataclass(frozen=True)
class InterviewIndex:
    """Every published interview (newest first) and every answer by question."""

    interviews: tuple[Interview, ...]
    questionnaires: tuple[Questionnaire, ...]
    replies: dict[tuple[str, str], tuple[Reply, ...]]

    def replies_to(self, questionnaire: Questionnaire, question: Question) -> tuple[Reply, ...]:
        """Every answer to a question, newest first."""
        return self.replies.get((questionnaire.id, question.id), ())

    def replies_by_question(self, questionnaire: Questionnaire) -> dict[str, tuple[Reply, ...]]:
        """The answers to each question of a questionnaire, by question id."""
        return {q.id: self.replies_to(questionnaire, q) for q in questionnaire.questions}

    def by_year(self) -> list[tuple[int, list[Interview]]]:
        """The interviews grouped by year, newest year first."""
        years: dict[int, list[Interview]] = {}
        for interview in self.interviews:
            years.setdefault(interview.date.year, []).append(interview)
        return list(years.items())


def build_index(
    interviews: Iterable[Interview], questionnaires: Sequence[Questionnaire]
) -> InterviewIndex:
    """The index of published interviews: one pass over their answers."""
    newest_first = tuple(sorted(interviews, key=lambda i: (i.date, i.title), reverse=True))
    replies: dict[tuple[str, str], list[Reply]] = {}
    for interview in newest_first:
        if interview.questionnaire is None:
            continue
        for answer in interview.answers:
            key = (interview.questionnaire.id, answer.question.id)
            replies.setdefault(key, []).append((interview, answer))
    frozen = {key: tuple(value) for key, value in replies.items()}
    return InterviewIndex(newest_first, tuple(questionnaires), frozen)


def export_rows(index: InterviewIndex, questionnaire: Questionnaire, siteurl: str) -> list[dict]:
    """One row per answer to a questionnaire, question by question, newest first."""
    rows = []
    for question in questionnaire.questions:
        for interview, answer in index.replies_to(questionnaire, question):
            rows.append(
                {
                    "questionnaire": questionnaire.id,
                    "question_id": question.id,
                    "question": question.text,
                    "guest": interview.guest,
                    "role": interview.role,
                    "company": interview.company,
                    "date": interview.date.date().isoformat(),
                    "url": f"{siteurl}/{answer.url}",
                    "answer": answer.text,
                }
            )
    return rows


def export_csv(rows: Sequence[dict]) -> str:
    """The rows as CSV (RFC 4180: comma, double quotes, CRLF), with a header line."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def export_json(
    index: InterviewIndex, questionnaire: Questionnaire, rows: Sequence[dict], siteurl: str
) -> str:
    """The questionnaire, its questions with their answer counts, and the rows, as JSON."""
    replies = index.replies_by_question(questionnaire)
    data = {
        "questionnaire": {
            "id": questionnaire.id,
            "title": questionnaire.title,
            "description": questionnaire.description,
            "url": f"{siteurl}/{questionnaire.url}",
        },
        "questions": [
            {
                "id": q.id,
                "text": q.text,
                "url": f"{siteurl}/{q.url}",
                "answers": len(replies[q.id]),
            }
            for q in questionnaire.questions
        ],
        "answers": list(rows),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def json_ld_fields(interview: Interview, siteurl: str) -> dict[str, Any]:
    """What schema.org says of an interview beyond an article: its genre, its guest (``about``)
    and its questionnaire (``isPartOf``); the seo plugin adds them to the page's one graph."""
    guest: dict[str, Any] = {"@type": "Person", "name": interview.guest}
    if interview.role:
        guest["jobTitle"] = interview.role
    if interview.company:
        guest["worksFor"] = {"@type": "Organization", "name": interview.company}
    if interview.url:
        guest["url"] = interview.url
    if interview.photo:
        relative = interview.photo.startswith("/") and not interview.photo.startswith("//")
        guest["image"] = f"{siteurl}{interview.photo}" if relative else interview.photo
    fields: dict[str, Any] = {"genre": "interview", "about": guest}
    if interview.questionnaire is not None:
        fields["isPartOf"] = {
            "@type": "CreativeWorkSeries",
            "name": interview.questionnaire.title,
            "url": f"{siteurl}/{interview.questionnaire.url}",
        }
    return fields


def json_ld(interview: Interview, siteurl: str, sitename: str) -> str:
    """schema.org JSON-LD of an interview page on its own, safe inside ``<script>``."""
    article = interview.article
    fields = json_ld_fields(interview, siteurl)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "genre": fields["genre"],
        "headline": article.title,
        "url": f"{siteurl}/{article.url}",
        "inLanguage": "fr",
        "datePublished": article.date.isoformat(),
        "about": fields["about"],
        "publisher": {"@type": "Organization", "name": sitename},
    }
    modified = getattr(article, "modified", None)
    if modified:
        data["dateModified"] = modified.isoformat()
    authors = getattr(article, "authors", None) or []
    if authors:
        data["author"] = [{"@type": "Person", "name": str(author)} for author in authors]
    if "isPartOf" in fields:
        data["isPartOf"] = fields["isPartOf"]
    return json.dumps(data, ensure_ascii=False).translate(JSON_IN_HTML)
