"""The Movable Type export format, also written by TypePad and Hautetfort.

Entries are separated by a line of eight ``-``, sections of an entry by a line of five ``-``.
The first section holds ``KEY: value`` lines (``TITLE``, ``BASENAME``, ``DATE``…); the others
start with their name (``BODY:``, ``EXTENDED BODY:``, ``EXCERPT:``, ``KEYWORDS:``,
``COMMENT:``, ``PING:``). A comment opens with its own ``KEY: value`` lines (``AUTHOR``,
``EMAIL``, ``IP``, ``URL``, ``DATE``), then its text.

Why hand-written: no maintained Python library reads this format (Pelican's importer does not
know it); it is a few line rules. Each entry is decoded on its own, so one entry in another
encoding is reported by its title and the others are imported.
"""

from __future__ import annotations

import csv
import html
import re
from datetime import datetime

import markdown

from migrate.model import Export, Problem, SourceComment, SourceEntry, entry_label, readable

ENTRY_SEPARATOR = re.compile(rb"^-{8}[ \t]*\r?$", re.MULTILINE)
SECTION_SEPARATOR = re.compile(r"^-{5}[ \t]*$", re.MULTILINE)
FIELD = re.compile(r"^([A-Z][A-Z ]*[A-Z]):[ \t]?(.*)$")
# Date forms seen in exports: MT's own, then the 24-hour one some French hosts write.
DATE_FORMATS = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %I:%M %p", "%m/%d/%Y")
SECTIONS = ("BODY", "EXTENDED BODY", "EXCERPT", "KEYWORDS", "COMMENT", "PING")
COMMENT_FIELDS = ("AUTHOR", "EMAIL", "IP", "URL", "DATE")
PUBLISHED = {"publish", "published"}
DRAFT = {"draft", "review", "future", "unpublish"}
BLOCK_TAG = re.compile(r"<(p|div|ul|ol|table|blockquote|h[1-6]|pre)\b", re.IGNORECASE)


def looks_like(head: bytes) -> bool:
    """True when the first bytes of a file read like a Movable Type export."""
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    fields = {m.group(1) for line in text.splitlines()[:40] if (m := FIELD.match(line))}
    return "TITLE" in fields and bool({"DATE", "BASENAME", "STATUS", "AUTHOR"} & fields)


def read(data: bytes) -> Export:
    """Every entry of an export, and a problem for each one that cannot be used."""
    entries: list[SourceEntry] = []
    problems: list[Problem] = []
    chunks = ENTRY_SEPARATOR.split(data.removeprefix(b"\xef\xbb\xbf"))
    closed = len(chunks) - 1  # the last chunk follows the last separator
    for index, chunk in enumerate(chunks):
        if not chunk.strip():
            continue
        position = index + 1
        try:
            text = chunk.decode("utf-8")
        except UnicodeDecodeError as exc:
            title = _field(readable(chunk.replace(b"\r\n", b"\n")), "TITLE")
            problems.append(Problem(entry_label(position, title), _encoding_message(chunk, exc)))
            continue
        text = text.replace("\r\n", "\n")
        if index >= closed:
            title = _field(text, "TITLE")
            message = (
                "export tronqué : l'entrée ne se termine pas par une ligne de huit tirets, "
                "elle n'est pas importée (exportez de nouveau le blog)"
            )
            problems.append(Problem(entry_label(position, title), message))
            continue
        entry, entry_problems = read_entry(position, text)
        problems.extend(entry_problems)
        if entry is not None:
            entries.append(entry)
    undecodable = [p for p in problems if "pas en UTF-8" in p.message]
    if not entries and len(undecodable) > 1 and len(undecodable) == len(problems):
        # The whole file in another encoding: one message, not one per entry.
        message = (
            f"l'export n'est pas en UTF-8 ({len(undecodable)} entrées) : convertissez-le "
            "(iconv -f CP1252 -t UTF-8 export.txt > export-utf8.txt) et relancez l'import"
        )
        problems = [Problem("", message)]
    if not entries and not problems:
        problems.append(Problem("", "aucune entrée trouvée dans l'export Movable Type"))
    return Export("movable-type", tuple(entries), tuple(problems))


def read_entry(position: int, text: str) -> tuple[SourceEntry | None, list[Problem]]:
    """One entry from its text, or None with the reason."""
    sections = SECTION_SEPARATOR.split(text)
    fields = _fields(sections[0])
    title = (fields.get("TITLE") or [""])[0].strip()
    label = entry_label(position, title)
    if not title:
        return None, [Problem(label, "entrée sans TITLE : elle n'est pas importée")]
    raw_date = (fields.get("DATE") or [""])[0].strip()
    date = parse_date(raw_date)
    if date is None:
        message = f"DATE « {raw_date} » impossible (attendu MM/JJ/AAAA hh:mm:ss AM) : non importée"
        return None, [Problem(label, message)]
    problems: list[Problem] = []
    parts: dict[str, str] = {}
    comments: list[SourceComment] = []
    convert = (fields.get("CONVERT BREAKS") or ["0"])[0].strip()
    for number, section in enumerate(sections[1:], start=1):
        name, _, rest = section.lstrip("\n").partition("\n")
        name = name.strip().rstrip(":")
        if name == "COMMENT":
            comment = read_comment(rest, f"{position}-{number}")
            if comment is None:
                problems.append(Problem(label, f"commentaire {number} sans DATE lisible : ignoré"))
            else:
                comments.append(comment)
        elif name in SECTIONS:
            parts[name] = rest.strip("\n")
    body = "\n\n".join(p for p in (parts.get("BODY", ""), parts.get("EXTENDED BODY", "")) if p)
    status = (fields.get("STATUS") or ["Publish"])[0].strip().lower()
    if status not in PUBLISHED | DRAFT:
        problems.append(Problem(label, f"STATUS « {status} » inconnu : importée en brouillon"))
    categories = fields.get("PRIMARY CATEGORY", []) + fields.get("CATEGORY", [])
    entry = SourceEntry(
        position=position,
        title=html.unescape(title),
        date=date,
        body_html=to_html(body, convert),
        draft=status not in PUBLISHED,
        basename=(fields.get("BASENAME") or [""])[0].strip(),
        author=(fields.get("AUTHOR") or [""])[0].strip(),
        categories=tuple(dict.fromkeys(c.strip() for c in categories if c.strip())),
        tags=parse_tags((fields.get("TAGS") or [""])[0]),
        excerpt=parts.get("EXCERPT", "").strip(),
        comments=tuple(comments),
    )
    return entry, problems


def read_comment(text: str, source_id: str) -> SourceComment | None:
    """A comment section: its fields (e-mail and IP read, never kept), then its text."""
    lines = text.split("\n")
    fields: dict[str, str] = {}
    while lines and (match := FIELD.match(lines[0])) and match.group(1) in COMMENT_FIELDS:
        fields[match.group(1)] = match.group(2).strip()
        lines.pop(0)
    date = parse_date(fields.get("DATE", ""))
    if date is None:
        return None
    return SourceComment(
        source_id=source_id,
        author=fields.get("AUTHOR", "").strip() or "Anonyme",
        date=date,
        body_html=to_html("\n".join(lines).strip("\n"), "1"),
        url=fields.get("URL", ""),
    )


def parse_date(raw: str) -> datetime | None:
    """A date as Movable Type writes it, or None when it is no date."""
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(raw.strip(), pattern)
        except ValueError:
            continue
    return None


def parse_tags(raw: str) -> tuple[str, ...]:
    """``TAGS: "service client",restauration`` as a tuple of tags."""
    if not raw.strip():
        return ()
    row = next(csv.reader([raw], skipinitialspace=True))
    return tuple(dict.fromkeys(tag.strip() for tag in row if tag.strip()))


def to_html(text: str, convert_breaks: str) -> str:
    """A body as HTML. ``CONVERT BREAKS: markdown`` is rendered; ``0`` is HTML as typed, unless
    it holds no block at all (then, as with any other value, MT made blank lines paragraphs
    and line breaks ``<br>``)."""
    mode = convert_breaks.strip().lower()
    if mode in ("markdown", "markdown_with_smartypants"):
        return markdown.markdown(text)
    if mode == "0" and BLOCK_TAG.search(text):
        return text
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "\n".join(
        p if BLOCK_TAG.match(p) else "<p>" + p.replace("\n", "<br>\n") + "</p>" for p in paragraphs
    )


def _fields(section: str) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for line in section.split("\n"):
        match = FIELD.match(line)
        if match:
            fields.setdefault(match.group(1), []).append(match.group(2))
    return fields


def _field(text: str, name: str) -> str:
    values = _fields(SECTION_SEPARATOR.split(text)[0]).get(name) or [""]
    return values[0].strip()


def _encoding_message(chunk: bytes, exc: UnicodeDecodeError) -> str:
    line = chunk[: exc.start].count(b"\n") + 1
    return (
        f"pas en UTF-8 (octet 0x{chunk[exc.start]:02X} à la ligne {line} de l'entrée) : "
        "non importée ; convertissez l'export (iconv -f CP1252 -t UTF-8 export.txt) "
        "et relancez l'import"
    )
