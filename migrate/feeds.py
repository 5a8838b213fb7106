"""RSS 2.0 and Atom feeds, read by feedparser: posts only (a feed carries no comments)."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import feedparser

from migrate.model import Export, Problem, SourceEntry, entry_label


def looks_like(head: bytes) -> bool:
    """True for an RSS or Atom document."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return start.startswith(b"<") and (b"<rss" in head or b"<feed" in head or b"<rdf:RDF" in head)


def read(data: bytes) -> Export:
    """Every entry of a feed; a feed cut short gives the entries before the break."""
    parsed = feedparser.parse(data)
    problems: list[Problem] = []
    entries: list[SourceEntry] = []
    for position, item in enumerate(parsed.entries, start=1):
        entry, problem = read_item(position, item)
        if problem:
            problems.append(problem)
        if entry:
            entries.append(entry)
    exception = getattr(parsed, "bozo_exception", None)
    if isinstance(exception, feedparser.CharacterEncodingOverride):
        encoding = parsed.get("encoding", "?")
        problems.append(Problem("", f"encodage annoncé faux : le flux a été lu en {encoding}"))
    elif parsed.bozo:
        after = f" après l'entrée {len(parsed.entries)}" if parsed.entries else ""
        error = str(getattr(parsed, "bozo_exception", "")) or "XML illisible"
        problems.append(
            Problem("", f"flux tronqué ou mal formé{after} ({error}) ; la suite n'est pas importée")
        )
    return Export("feed", tuple(entries), tuple(problems))


def local_date(raw: str) -> datetime | None:
    """The date as the old blog wrote it, in its own time zone (feedparser gives UTC, which
    can move a late post to the next day, and its file to another name)."""
    for parse in (datetime.fromisoformat, parsedate_to_datetime):
        try:
            return parse(raw.strip()).replace(tzinfo=None)
        except (TypeError, ValueError, IndexError):
            continue
    return None


def read_item(position: int, item) -> tuple[SourceEntry | None, Problem | None]:
    title = (item.get("title") or "").strip()
    label = entry_label(position, title)
    if not title:
        return None, Problem(label, "entrée sans titre : elle n'est pas importée")
    stamp = item.get("published_parsed") or item.get("updated_parsed")
    if stamp is None:
        raw = item.get("published") or item.get("updated") or ""
        return None, Problem(label, f"date « {raw} » impossible : non importée")
    date = local_date(item.get("published") or item.get("updated") or "") or datetime.fromtimestamp(
        calendar.timegm(stamp), UTC
    ).replace(tzinfo=None)
    contents = item.get("content") or []
    body = contents[0].get("value", "") if contents else item.get("summary", "")
    link = item.get("link", "")
    basename = urlsplit(link).path.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    entry = SourceEntry(
        position=position,
        title=title,
        date=date,
        body_html=body,
        basename=basename,
        author=item.get("author", ""),
        categories=(),
        tags=tuple(t.get("term", "") for t in item.get("tags", []) if t.get("term")),
        excerpt="",
        old_url=link,
    )
    return entry, None
