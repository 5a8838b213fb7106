"""Comments files (``content/comments/<article-slug>.yml``): read, checked, threaded.

Pure functions: a file's text in, ``Comment`` objects and ``ContentError`` values out. The
format is the authoring contract's (``shared/AUTHORING.md``, "Comments"): a YAML list, oldest
first, each item with ``id``, ``author``, ``date``, ``body`` and optional ``url`` and
``reply_to``. A comment with a mistake is reported at its line and left out; the rest of the
file still shows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

import yaml

from plugins.core.addresses import unsafe_scheme
from plugins.core.datafiles import ContractLoader, DataProblem
from plugins.core.errors import ContentError, closest

KEYS = ("id", "reply_to", "author", "url", "date", "body")
REQUIRED = ("id", "author", "date", "body")
DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d")
ANCHOR_PREFIX = "commentaire-"


@dataclass(frozen=True)
class Comment:
    """One approved comment, as its file gives it, and its cleaned HTML once rendered."""

    id: str
    author: str
    date: datetime
    body: str  # Markdown as written: untrusted
    url: str = ""
    reply_to: str | None = None
    line: int = 0
    html: str = ""  # filled by the renderer: cleaned, typeset
    replies: tuple[Comment, ...] = field(default=())

    @property
    def anchor(self) -> str:
        """The page anchor of this comment, built from its id (ids never change)."""
        return ANCHOR_PREFIX + re.sub(r"[^0-9A-Za-z_-]+", "-", self.id).strip("-")


def parse_date(value: object) -> datetime | None:
    """A comment's date: ``AAAA-MM-JJ HH:MM`` (seconds allowed) or ``AAAA-MM-JJ``; else None."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if not isinstance(value, str):
        return None
    for form in DATE_FORMATS:
        try:
            return datetime.strptime(value.strip(), form)
        except ValueError:
            continue
    return None


def item_lines(text: str) -> list[tuple[int, dict[str, int]]]:
    """For each item of the file's list: its line and the line of each of its keys."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return []
    if not isinstance(root, yaml.SequenceNode):
        return []
    lines = []
    for node in root.value:
        keys = {}
        if isinstance(node, yaml.MappingNode):
            keys = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
        lines.append((node.start_mark.line + 1, keys))
    return lines


def parse_comments(path: str, text: str) -> tuple[list[Comment], list[ContentError]]:
    """The comments of one file, in file order, and every mistake found (``path:line``)."""
    try:
        data = yaml.load(text, Loader=ContractLoader)
    except DataProblem as exc:
        return [], [ContentError(path, exc.line, exc.message, exc.hint)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.context_mark or exc.problem_mark
        problem = "; ".join(part for part in (exc.context, exc.problem) if part)
        return [], [
            ContentError(path, mark.line + 1 if mark else None, f"YAML illisible : {problem}")
        ]
    if data is None:
        return [], []
    if not isinstance(data, list):
        return [], [
            ContentError(
                path,
                1,
                "un fichier de commentaires est une liste",
                "chaque commentaire commence par « - id: … »",
            )
        ]
    lines = item_lines(text)
    comments, errors, seen = [], [], {}
    for index, item in enumerate(data):
        line, key_lines = lines[index] if index < len(lines) else (None, {})
        comment, problems = parse_item(path, item, line, key_lines)
        errors.extend(problems)
        if comment is None:
            continue
        if comment.id in seen:
            errors.append(
                ContentError(
                    path,
                    key_lines.get("id", line),
                    f"deux commentaires ont l'id « {comment.id} » (déjà ligne {seen[comment.id]})",
                    "un id est unique dans le fichier et jamais réemployé",
                )
            )
            continue
        seen[comment.id] = key_lines.get("id", line)
        comments.append(comment)
    comments, reply_errors = check_replies(path, comments, lines_by_id(comments))
    return comments, errors + reply_errors


def parse_item(
    path: str, item: object, line: int | None, key_lines: Mapping[str, int]
) -> tuple[Comment | None, list[ContentError]]:
    """One list item as a Comment, or None with the reasons."""
    if not isinstance(item, dict):
        return None, [
            ContentError(
                path, line, "un commentaire est une suite de clés (id, author, date, body)"
            )
        ]
    errors = []
    for key in item:
        if key not in KEYS:
            guess = closest(str(key), KEYS)
            hint = (
                f"vouliez-vous dire « {guess} » ?"
                if guess
                else "clés permises : " + ", ".join(KEYS)
            )
            errors.append(
                ContentError(path, key_lines.get(str(key), line), f"clé « {key} » inconnue", hint)
            )
    for key in REQUIRED:
        value = item.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            errors.append(
                ContentError(path, key_lines.get(key, line), f"commentaire sans « {key} »")
            )
    if errors:
        return None, errors
    when = parse_date(item["date"])
    if when is None:
        return None, [
            ContentError(
                path,
                key_lines.get("date", line),
                f"date « {item['date']} » invalide",
                "attendu AAAA-MM-JJ HH:MM",
            )
        ]
    url = str(item.get("url") or "").strip()
    if url and (unsafe_scheme(url) or not re.match(r"(?i)https?://", url)):
        return None, [
            ContentError(
                path,
                key_lines.get("url", line),
                f"url « {url} » refusée",
                "seules les adresses http(s) sont permises",
            )
        ]
    reply_to = item.get("reply_to")
    comment = Comment(
        id=str(item["id"]).strip(),
        author=str(item["author"]).strip(),
        date=when,
        body=str(item["body"]),
        url=url,
        reply_to=str(reply_to).strip() if reply_to is not None else None,
        line=key_lines.get("reply_to", line) or 0 if reply_to is not None else line or 0,
    )
    return comment, []


def lines_by_id(comments: Iterable[Comment]) -> dict[str, int]:
    return {comment.id: comment.line for comment in comments}


def check_replies(
    path: str, comments: Sequence[Comment], lines: Mapping[str, int]
) -> tuple[list[Comment], list[ContentError]]:
    """Comments whose ``reply_to`` names a comment of the file; the others reported, dropped
    (with the replies hanging from them)."""
    known = {comment.id: comment for comment in comments}
    errors, bad = [], set()
    for comment in comments:
        target = comment.reply_to
        if target is None:
            continue
        if target not in known:
            hint = closest(target, known)
            errors.append(
                ContentError(
                    path,
                    comment.line,
                    f"reply_to « {target} » : aucun commentaire de ce fichier n'a cet id",
                    f"vouliez-vous dire « {hint} » ?" if hint else "",
                )
            )
            bad.add(comment.id)
        elif loops(comment, known):
            errors.append(
                ContentError(
                    path, comment.line, f"reply_to « {target} » : la réponse tourne en rond"
                )
            )
            bad.add(comment.id)
    kept = []
    for comment in comments:
        ancestors, current = set(), comment
        while current is not None and current.id not in bad and current.id not in ancestors:
            ancestors.add(current.id)
            current = known.get(current.reply_to) if current.reply_to else None
        if current is None:
            kept.append(comment)
    return kept, errors


def loops(comment: Comment, known: Mapping[str, Comment]) -> bool:
    seen, current = set(), comment
    while current is not None and current.reply_to:
        if current.id in seen:
            return True
        seen.add(current.id)
        current = known.get(current.reply_to)
    return False


def thread(comments: Sequence[Comment]) -> tuple[Comment, ...]:
    """The top-level comments, oldest first, each carrying its replies (oldest first)."""
    children: dict[str | None, list[Comment]] = {}
    for comment in sorted(comments, key=lambda c: c.date):
        children.setdefault(comment.reply_to, []).append(comment)

    def with_replies(comment: Comment) -> Comment:
        return replace(
            comment, replies=tuple(with_replies(c) for c in children.get(comment.id, ()))
        )

    return tuple(with_replies(comment) for comment in children.get(None, ()))


def flatten(threaded: Iterable[Comment]) -> list[Comment]:
    """Every comment of a thread, parents before their replies."""
    result = []
    for comment in threaded:
        result.append(comment)
        result.extend(flatten(comment.replies))
    return result
