"""Approved comments from the server into ``content/comments/<slug>.yml``, idempotently.

The files are the site's comments, versioned with the posts; the server only collects and
moderates. A pull:

- adds each approved comment not pulled before, at the end of its article's file, in the
  contract's format (an id made of its date and author's name, ``reply_to`` when it answers a
  comment of the file), and never an e-mail or an address;
- updates a comment pulled before only if the file still holds it exactly as pulled (an author
  who edited it in the file, or removed it, has the last word);
- removes from the file a comment pulled before that the server no longer has approved (deleted
  in moderation), unless the server is not the one it came from: a new, empty database after a
  loss has another identity, and its silence deletes nothing.

What was pulled from which server is kept beside the files, in ``.pulled.json`` (versioned
too): server identity → Isso id → ``{slug, id, digest}``, the digest being that of the entry as
written. Files are edited as text (entries appended, replaced or removed by their lines): the
rest of a file, comments and layout included, stays as the author left it.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import yaml

RECORD = ".pulled.json"
ENTRY_KEYS = ("id", "reply_to", "author", "url", "date", "body")


@dataclass
class PullReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # edited or removed by an author: left alone
    skipped: list[str] = field(default_factory=list)  # not for an article of this site
    names: dict[int, str] = field(default_factory=dict)  # Isso id → id in the file, this server

    def lines(self) -> list[str]:
        return [
            *(f"ajouté : {name}" for name in self.added),
            *(f"mis à jour : {name}" for name in self.updated),
            *(f"retiré (supprimé sur le serveur) : {name}" for name in self.removed),
            *(f"laissé tel quel (modifié dans le fichier) : {name}" for name in self.kept),
            *(f"ignoré : {name}" for name in self.skipped),
        ]


def slug_of_uri(uri: str) -> str:
    """The article's slug from the page address the comment was posted on (its last part)."""
    parts = [part for part in uri.split("?")[0].split("#")[0].split("/") if part]
    last = parts[-1] if parts else ""
    return last[: -len(".html")] if last.endswith(".html") else last


def name_slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:40] or "anonyme"


def entry_of(comment: dict, file_id: str, reply_to: str | None, zone: ZoneInfo) -> dict:
    """A server comment as a file entry (Isso stores names and sites HTML-escaped)."""
    when = datetime.fromtimestamp(comment["created"], UTC).astimezone(zone)
    entry = {"id": file_id}
    if reply_to:
        entry["reply_to"] = reply_to
    entry["author"] = html.unescape(comment.get("author") or "").strip() or "Anonyme"
    website = html.unescape(comment.get("website") or "").strip()
    if re.match(r"(?i)https?://", website):
        entry["url"] = website
    entry["date"] = when.strftime("%Y-%m-%d %H:%M")
    entry["body"] = (comment.get("text") or "").replace("\r\n", "\n").strip()
    return entry


def digest(entry: dict) -> str:
    """What counts in an entry: its values, not their layout in the file."""
    values = {}
    for key in ENTRY_KEYS:
        value = entry.get(key)
        if isinstance(value, datetime):
            value = value.strftime("%Y-%m-%d %H:%M")
        values[key] = str(value).strip() if value is not None else None
    text = json.dumps(values, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def scalar(value: str) -> str:
    return yaml.safe_dump({"k": value}, allow_unicode=True, width=10_000)[3:].rstrip("\n")


def entry_text(entry: dict) -> str:
    """One entry in the contract's layout, a literal block for a body of several lines."""
    lines = []
    for key in ENTRY_KEYS[:-1]:
        if key in entry:
            prefix = "- " if not lines else "  "
            lines.append(f"{prefix}{key}: {scalar(str(entry[key]))}")
    body = entry["body"]
    plain = all(ch == "\n" or ch.isprintable() for ch in body)
    if "\n" in body and plain and not body[:1].isspace() and not re.search(r"[ \t]\n", body):
        lines.append("  body: |")
        lines.extend(f"    {line}" if line else "" for line in body.split("\n"))
    else:
        lines.append(f"  body: {scalar(body)}")
    return "\n".join(lines) + "\n"


def item_spans(text: str) -> list[tuple[int, int]]:
    """The lines (0-based, end excluded) of each item of the file's top list."""
    root = yaml.compose(text) if text.strip() else None
    if not isinstance(root, yaml.SequenceNode):
        return []
    starts = [node.start_mark.line for node in root.value]
    total = len(text.splitlines())
    return [
        (start, starts[i + 1] if i + 1 < len(starts) else total) for i, start in enumerate(starts)
    ]


def read_entries(text: str) -> list[dict]:
    data = yaml.safe_load(text) if text.strip() else []
    if data is None:
        return []
    if not isinstance(data, list):
        raise ValueError("un fichier de commentaires est une liste")
    return data


class CommentsFile:
    """One ``<slug>.yml``, edited as text."""

    def __init__(self, path: str):
        self.path = path
        self.text = ""
        if os.path.exists(path):
            with open(path, encoding="utf-8") as source:
                self.text = source.read()
        self.entries = read_entries(self.text)
        self.changed = False

    def ids(self) -> set[str]:
        return {str(e.get("id")) for e in self.entries if isinstance(e, dict)}

    def find(self, file_id: str) -> int | None:
        for index, entry in enumerate(self.entries):
            if isinstance(entry, dict) and str(entry.get("id")) == file_id:
                return index
        return None

    def _splice(self, index: int, new_text: str) -> None:
        lines = self.text.splitlines(keepends=True)
        start, end = item_spans(self.text)[index]
        # Blank lines and comments before the next item belong to it, not to this one.
        while end > start + 1 and (
            not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")
        ):
            end -= 1
        self.text = "".join(lines[:start]) + new_text + "".join(lines[end:])
        self.entries = read_entries(self.text)
        self.changed = True

    def append(self, entry: dict) -> None:
        if self.text and not self.text.endswith("\n"):
            self.text += "\n"
        if self.text.strip() in ("", "[]"):
            self.text = ""
        self.text += entry_text(entry)
        self.entries = read_entries(self.text)
        self.changed = True

    def replace(self, index: int, entry: dict) -> None:
        self._splice(index, entry_text(entry))

    def remove(self, index: int) -> None:
        self._splice(index, "")

    def save(self) -> None:
        if not self.changed:
            return
        os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
        if not self.entries:
            os.remove(self.path)
            return
        temporary = f"{self.path}.tmp"
        with open(temporary, "w", encoding="utf-8") as out:
            out.write(self.text)
        os.replace(temporary, self.path)


def new_id(entry: dict, taken: set[str]) -> str:
    base = f"{entry['date'][:10]}-{name_slug(entry['author'])}"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def load_record(folder: str) -> dict:
    try:
        with open(os.path.join(folder, RECORD), encoding="utf-8") as source:
            return json.load(source)
    except (OSError, ValueError):
        return {}


def save_record(folder: str, record: dict) -> None:
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, RECORD)
    with open(f"{path}.tmp", "w", encoding="utf-8") as out:
        json.dump(record, out, indent=1, sort_keys=True, ensure_ascii=False)
        out.write("\n")
    os.replace(f"{path}.tmp", path)


def pull(
    folder: str,
    server: str,
    approved: Sequence[dict],
    zone: ZoneInfo,
    slugs: set[str] | None = None,
) -> PullReport:
    """Bring ``folder`` (``content/comments``) in line with the server's approved comments."""
    report = PullReport()
    record = load_record(folder)
    pulled = record.setdefault(server, {})
    files: dict[str, CommentsFile] = {}

    unreadable: dict[str, str] = {}

    def file_for(slug: str) -> CommentsFile | None:
        if slug not in files and slug not in unreadable:
            path = os.path.join(folder, f"{slug}.yml")
            try:
                files[slug] = CommentsFile(path)
            except (yaml.YAMLError, ValueError, UnicodeDecodeError) as exc:
                # Never write into a file the author must fix first; the next pull will do.
                unreadable[slug] = " ".join(str(exc).split())
                report.skipped.append(f"{slug}.yml illisible, laissé tel quel : {unreadable[slug]}")
        return files.get(slug)

    present = set()
    for comment in sorted(approved, key=lambda c: (c["created"], c["id"])):
        key = str(comment["id"])
        present.add(key)
        known = pulled.get(key)
        slug = known["slug"] if known else slug_of_uri(comment.get("uri", ""))
        if not slug or (slugs is not None and slug not in slugs):
            report.skipped.append(f"{comment.get('uri')} (commentaire {key} : aucun billet)")
            continue
        target = file_for(slug)
        if target is None:
            continue
        reply_to = comment.get("reply_to")
        if reply_to and reply_to not in target.ids():
            reply_to = None  # the comment answered is no longer there: shown on its own
        if known:
            index = target.find(known["id"])
            if index is None or digest(target.entries[index]) != known["digest"]:
                report.kept.append(f"{slug}.yml : {known['id']}")
                continue
            entry = entry_of(comment, known["id"], target.entries[index].get("reply_to"), zone)
            if digest(entry) != known["digest"]:
                target.replace(index, entry)
                known["digest"] = digest(entry)
                report.updated.append(f"{slug}.yml : {known['id']}")
            continue
        entry = entry_of(comment, "", reply_to, zone)
        entry["id"] = new_id(
            entry, target.ids() | {v["id"] for v in pulled.values() if v["slug"] == slug}
        )
        target.append(entry)
        pulled[key] = {"slug": slug, "id": entry["id"], "digest": digest(entry)}
        report.added.append(f"{slug}.yml : {entry['id']}")
    for key in sorted(set(pulled) - present, key=int):
        target = file_for(pulled[key]["slug"])
        if target is None:
            continue
        known = pulled.pop(key)
        index = target.find(known["id"])
        if index is not None:
            target.remove(index)
            report.removed.append(f"{known['slug']}.yml : {known['id']}")
    report.names = {int(key): value["id"] for key, value in pulled.items()}
    for target in files.values():
        target.save()
    if (
        report.added
        or report.updated
        or report.removed
        or not os.path.exists(os.path.join(folder, RECORD))
    ):
        save_record(folder, record)
    return report
