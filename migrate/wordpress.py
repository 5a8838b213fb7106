"""WordPress's export (WXR): an RSS 2.0 file whose items carry ``wp:`` and ``content:`` fields.

Posts, pages and drafts are items with ``wp:post_type`` ``post`` or ``page``; categories and
tags are ``<category domain="category|post_tag">``; comments are ``wp:comment`` elements with
``wp:comment_parent`` for threading and ``wp:comment_approved`` (only approved ones are kept).
The file is read item by item (lxml), so a truncated export gives every item before the break.
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from email.utils import parsedate_to_datetime

from lxml import etree

from migrate.model import Export, Problem, SourceComment, SourceEntry, entry_label, readable

CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
KINDS = {"post": "post", "page": "page"}
ITEM_TITLE = re.compile(rb"<title>(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?</title>", re.DOTALL)
PUBLISHED = {"publish"}
DRAFTS = {"draft", "pending", "future", "private"}


def looks_like(head: bytes) -> bool:
    """True when the first bytes hold an RSS document with WordPress's export namespace."""
    return b"<rss" in head and b"wordpress.org/export/" in head


def read(data: bytes) -> Export:
    """Every post and page of a WXR file, and a problem for what cannot be used."""
    entries: list[SourceEntry] = []
    data, problems = without_undecodable_items(data)
    position = 0
    last_title = ""
    parser = etree.iterparse(io.BytesIO(data), events=("end",), tag="item", resolve_entities=False)
    try:
        for _, item in parser:
            position += 1
            entry, item_problems = read_item(position, item)
            last_title = entry.title if entry else last_title
            problems.extend(item_problems)
            if entry is not None:
                entries.append(entry)
            item.clear()
    except etree.XMLSyntaxError as exc:
        after = f" après l'entrée {position} « {last_title} »" if position else ""
        message = (
            f"export tronqué ou mal formé{after} (ligne {exc.lineno} : {exc.msg}) ; "
            "les entrées suivantes ne sont pas importées"
        )
        problems.append(Problem("", message))
    return Export("wordpress", tuple(entries), tuple(problems))


def without_undecodable_items(data: bytes) -> tuple[bytes, list[Problem]]:
    """The export without the items that are not UTF-8 (an XML parser would stop at the first
    one and lose every item after it), and a problem naming each by its position and title."""
    problems = []
    while True:
        try:
            data.decode("utf-8")
            return data, problems
        except UnicodeDecodeError as exc:
            start = data.rfind(b"<item>", 0, exc.start)
            end = data.find(b"</item>", exc.start)
            if start < 0 or end < 0:  # outside any item: the parser will name the line
                return data, problems
            end += len(b"</item>")
            item = data[start:end]
            title = ITEM_TITLE.search(item)
            position = data.count(b"<item>", 0, start) + len(problems) + 1
            label = entry_label(position, readable(title.group(1)) if title else "")
            message = (
                f"pas en UTF-8 (octet 0x{data[exc.start]:02X}) : non importée ; "
                "corrigez-la dans WordPress ou convertissez l'export (iconv)"
            )
            problems.append(Problem(label, message))
            data = data[:start] + data[end:]


def read_item(position: int, item) -> tuple[SourceEntry | None, list[Problem]]:
    """One ``<item>``: a post or page, None for attachments and other types."""
    wp = _namespace(item)
    kind = _text(item, f"{wp}post_type") or "post"
    title = _text(item, "title").strip()
    label = entry_label(position, title)
    if kind not in KINDS:
        return None, []
    if not title:
        return None, [Problem(label, "entrée sans titre : elle n'est pas importée")]
    date = parse_date(_text(item, f"{wp}post_date")) or parse_rfc822(_text(item, "pubDate"))
    if date is None:
        message = f"date « {_text(item, f'{wp}post_date')} » impossible : non importée"
        return None, [Problem(label, message)]
    status = _text(item, f"{wp}status") or "publish"
    problems = []
    if status == "trash":
        return None, [Problem(label, "à la corbeille dans WordPress : non importée")]
    if status not in PUBLISHED | DRAFTS:
        problems.append(Problem(label, f"statut « {status} » inconnu : importée en brouillon"))
    comments, skipped = read_comments(item, wp)
    categories = [c.text.strip() for c in item.iter("category") if _is(c, "category") and c.text]
    tags = [c.text.strip() for c in item.iter("category") if _is(c, "post_tag") and c.text]
    entry = SourceEntry(
        position=position,
        title=title,
        date=date,
        body_html=_text(item, CONTENT),
        kind=KINDS[kind],
        draft=status not in PUBLISHED,
        basename=_text(item, f"{wp}post_name").strip(),
        author=_text(item, DC_CREATOR).strip(),
        categories=tuple(dict.fromkeys(c for c in categories if c != "Uncategorized")),
        tags=tuple(dict.fromkeys(tags)),
        excerpt=_text(item, _excerpt_tag(item)).strip(),
        old_url=_text(item, "link").strip() if status in PUBLISHED else "",
        comments=tuple(comments),
        skipped_comments=skipped,
    )
    return entry, problems


def read_comments(item, wp: str) -> tuple[list[SourceComment], int]:
    """The approved comments of an item (e-mail and IP never read), and how many were left out."""
    comments, skipped = [], 0
    for element in item.iter(f"{wp}comment"):
        approved = _text(element, f"{wp}comment_approved")
        kind = _text(element, f"{wp}comment_type")
        date = parse_date(_text(element, f"{wp}comment_date"))
        if approved != "1" or kind in ("pingback", "trackback") or date is None:
            skipped += 1
            continue
        parent = _text(element, f"{wp}comment_parent").strip()
        comments.append(
            SourceComment(
                source_id=_text(element, f"{wp}comment_id").strip(),
                author=_text(element, f"{wp}comment_author").strip() or "Anonyme",
                date=date,
                body_html=_paragraphs(_text(element, f"{wp}comment_content")),
                url=_text(element, f"{wp}comment_author_url").strip(),
                parent="" if parent in ("", "0") else parent,
            )
        )
    return comments, skipped


def parse_date(raw: str) -> datetime | None:
    """``2010-09-30 08:00:00`` (WordPress's local time), None for ``0000-00-00`` or no date."""
    try:
        return datetime.strptime(raw.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def parse_rfc822(raw: str) -> datetime | None:
    try:
        return parsedate_to_datetime(raw).replace(tzinfo=None)
    except (TypeError, ValueError, IndexError):
        return None


def _paragraphs(text: str) -> str:
    """WordPress stores comments with bare line breaks: blank lines make paragraphs."""
    if "<p" in text:
        return text
    blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    return "\n".join("<p>" + b.replace("\n", "<br>") + "</p>" for b in blocks)


def _namespace(item) -> str:
    for uri in item.nsmap.values():
        if uri and uri.startswith("http://wordpress.org/export/") and "excerpt" not in uri:
            return "{" + uri + "}"
    return "{http://wordpress.org/export/1.2/}"


def _excerpt_tag(item) -> str:
    """WXR 1.0 to 1.2 each name their own excerpt namespace."""
    for uri in item.nsmap.values():
        if uri and uri.startswith("http://wordpress.org/export/") and uri.endswith("excerpt/"):
            return "{" + uri + "}encoded"
    return "{http://wordpress.org/export/1.2/excerpt/}encoded"


def _is(category, domain: str) -> bool:
    return category.get("domain") == domain


def _text(element, tag: str) -> str:
    found = element.find(tag)
    return found.text or "" if found is not None else ""
