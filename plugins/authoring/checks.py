"""Checks of an author's file that Pelican does not make, each reported once as ``path:line``.

Pelican reads a header leniently: a second ``Title:`` line becomes a list that crashes the feed
writer, ``10/02/2024`` is read as a date (dateutil guesses), ``Slug: ../../etc`` writes outside
the article's folder, a 300-character title makes a file name the system refuses, a file that is
not UTF-8 is only "Could not process". These checks run on every file each time Pelican reads
it (warm builds included: the header is read from the file, not from the reader's cache), before
Pelican's reader, so that a broken file is skipped with one French message and no traceback,
and everything else is built.

A control character in a body is found when the reader renders it (``refuse_control_characters``,
called by ``AuthoringMarkdownReader.read``): a refused file is never in the reader's cache, so a
warm build reports it again.

A *fatal* problem skips the file (``ERROR``); a *warning* keeps the page (``WARNING``). Strict
builds fail on either (``strict_build``).

Settings: ``AUTHORING_FOLLOW_OUTSIDE_LINKS`` (default False): a symbolic link of the content
folder that points outside it is refused unless this is true. ``AUTHORING_SLUG_MAX_LENGTH``
(default 80): a slug made from a long title is cut at a word boundary to this length.

Why hand-written: Python-Markdown's ``meta`` extension and Pelican keep no line numbers and merge
repeated keys; the header grammar below is the extension's, a dozen lines.
"""

from __future__ import annotations

import functools
import logging
import os
import re
from dataclasses import dataclass
from datetime import datetime

from pelican.contents import Article

from plugins.core import ContentError, quiet_slug, shown_path
from plugins.core.addresses import (
    OUTSIDE_HINT,
    OUTSIDE_MESSAGE,
    is_url_key,
    outside_content,
    unsafe_scheme,
)
from plugins.core.compat import AlreadyReported
from plugins.core.settings import PluginSettings

logger = logging.getLogger(__name__)

SETTINGS_DEFAULTS = {"AUTHORING_FOLLOW_OUTSIDE_LINKS": False, "AUTHORING_SLUG_MAX_LENGTH": 80}

# The grammar of Python-Markdown's meta extension (markdown/extensions/meta.py).
META_RE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
META_MORE_RE = re.compile(r"^[ ]{4,}(?P<value>.*)")
BEGIN_RE = re.compile(r"^-{3}(\s.*)?")
END_RE = re.compile(r"^(-{3}|\.{3})(\s.*)?")

DATE_KEYS = ("date", "modified")
DATE_FORMATS = {16: "%Y-%m-%d %H:%M", 10: "%Y-%m-%d"}  # by length: the contract's two formats
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?")
DATE_HINT = "attendu AAAA-MM-JJ ou AAAA-MM-JJ HH:MM"
# C0 controls but tab, DEL and C1 controls: XML 1.0 feeds cannot carry most of them, and none
# belongs in a title (they come from copy and paste).
CONTROL_RE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")
BODY_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # line ends allowed
MEDIA_KEYS = ("image", "guest_photo")
MEDIA_MARKERS = ("{static}", "{attach}", "|static|", "http://", "https://")
MARKDOWN_EXTENSIONS = ("md", "markdown", "mkd", "mdown")  # MarkdownReader.file_extensions


@dataclass(frozen=True)
class HeaderEntry:
    """One ``Key: value`` entry of a header, continuation lines joined."""

    line: int
    name: str  # as written
    value: str

    @property
    def key(self) -> str:
        return self.name.lower()


def header_entries(text: str) -> list[HeaderEntry]:
    """The header entries of a Markdown file, with their line numbers."""
    lines = text.split("\n")
    start = 1 if lines and BEGIN_RE.match(lines[0]) else 0
    entries: list[HeaderEntry] = []
    for number, line in enumerate(lines[start:], start=start + 1):
        if not line.strip() or END_RE.match(line):
            break
        found = META_RE.match(line)
        if found:
            entries.append(HeaderEntry(number, found["key"].strip(), found["value"].strip()))
            continue
        more = META_MORE_RE.match(line)
        if not (more and entries):
            break
        last = entries[-1]
        entries[-1] = HeaderEntry(last.line, last.name, f"{last.value} {more['value'].strip()}")
    return entries


def check_date(name: str, value: str) -> str | None:
    """Why a ``Date``/``Modified`` value is not one of the contract's dates, or None."""
    if DATE_RE.fullmatch(value):
        try:
            datetime.strptime(value, DATE_FORMATS[len(value)])
            return None
        except ValueError:
            pass
    return f"{name} « {value} » n'est pas une date valide"


def check_header(entries: list[HeaderEntry]) -> list[ContentError]:
    """Problems of a header that make its file unusable (path left empty: the caller's)."""
    problems = []
    seen: dict[str, HeaderEntry] = {}
    for entry in entries:
        first = seen.setdefault(entry.key, entry)
        if first is not entry:
            message = f"clé « {entry.name} » répétée (déjà ligne {first.line})"
            problems.append(ContentError("", entry.line, message, "gardez une seule ligne"))
            continue
        control = CONTROL_RE.search(entry.value)
        if control:
            code = f"U+{ord(control[0]):04X}"
            message = f"{entry.name} contient un caractère de contrôle ({code})"
            problems.append(ContentError("", entry.line, message, "supprimez-le"))
        elif entry.key in DATE_KEYS:
            message = check_date(entry.name, entry.value)
            if message:
                problems.append(ContentError("", entry.line, message, DATE_HINT))
        elif entry.key == "title" and not entry.value:
            problems.append(ContentError("", entry.line, "Title vide", "écrivez le titre"))
        elif entry.key == "slug" and any(part in entry.value for part in ("/", "\\", "..")):
            message = f"Slug « {entry.value} » : un slug ne contient ni /, ni \\, ni .."
            problems.append(ContentError("", entry.line, message, "par exemple mon-billet"))
        elif is_url_key(entry.key) and unsafe_scheme(entry.value):
            scheme = unsafe_scheme(entry.value)
            message = f"{entry.name} : adresse « {scheme}: » refusée"
            hint = "seules http, https, mailto ou une adresse du site sont permises"
            problems.append(ContentError("", entry.line, message, hint))
        elif entry.key in MEDIA_KEYS and not entry.value.startswith(MEDIA_MARKERS):
            message = f"{entry.name} « {entry.value} » : ni {{static}}, ni http(s)"
            hint = "écrivez {static}/images/nom.jpg ou une adresse https://"
            problems.append(ContentError("", entry.line, message, hint))
    if "title" not in seen:
        problems.append(ContentError("", None, "Title manquant", "ajoutez une ligne Title: …"))
    return problems


def header_warnings(entries: list[HeaderEntry]) -> list[ContentError]:
    """Problems of a header that leave the page usable but worse (path left empty)."""
    keys = {entry.key: entry for entry in entries}
    image = keys.get("image")
    if image and image.value and not keys.get("image_alt", HeaderEntry(0, "", "")).value:
        message = "Image sans Image_alt : l'image de couverture n'aura pas de texte alternatif"
        return [ContentError("", image.line, message, "ajoutez Image_alt: ce que montre l'image")]
    return []


def cut_slug(slug: str, limit: int) -> str:
    """A slug no longer than ``limit``, cut between words when it is longer."""
    if len(slug) <= limit:
        return slug
    cut = slug[: limit + 1].rsplit("-", 1)[0] if "-" in slug[:limit] else slug[:limit]
    return cut.rstrip("-")[:limit]


def encoding_problem(path: str, error: UnicodeDecodeError) -> ContentError:
    """What a file that is not UTF-8 seems to be, where, and how to convert it."""
    with open(path, "rb") as source:
        data = source.read()
    line = data.count(b"\n", 0, error.start) + 1
    name = os.path.basename(path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        found, source_encoding = "de l'UTF-16", "UTF-16"
    elif b"\x00" in data[:4096]:
        found, source_encoding = "un fichier binaire (ou de l'UTF-16 sans marque)", ""
    else:
        byte = data[error.start] if error.start < len(data) else 0
        found, source_encoding = f"l'octet 0x{byte:02x} (Latin-1 ou Windows-1252 ?)", "CP1252"
    message = f"ce fichier n'est pas en UTF-8 : {found}"
    hint = (
        f"enregistrez-le en UTF-8, ou : iconv -f {source_encoding} -t UTF-8 {name} > utf8-{name}"
        if source_encoding
        else "seuls les fichiers texte en UTF-8 sont lus"
    )
    return ContentError(shown_path(path), line if source_encoding else None, message, hint)


class FileRefused(AlreadyReported):
    """A content file that was reported and is skipped (Pelican says nothing more about it)."""


def read_header_text(path: str) -> tuple[str | None, UnicodeDecodeError | None]:
    """A file's first lines up to its header's end, decoded when they are UTF-8."""
    with open(path, "rb") as source:
        data = b""
        for raw in source:
            data += raw
            if not raw.strip():
                break
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        return None, error


def refuse(problems: list[ContentError], path: str) -> None:
    """Log a file's fatal problems and skip it."""
    for problem in problems:
        logger.error("%s", problem)
    raise FileRefused(f"{path}: fichier ignoré")


def located(problems: list[ContentError], path: str) -> list[ContentError]:
    shown = shown_path(path)
    return [ContentError(shown, p.line, p.message, p.hint) for p in problems]


def check_before_reading(path: str, settings, realpath=os.path.realpath) -> list[HeaderEntry]:
    """Refuse a file whose header breaks the contract; its header entries otherwise."""
    if outside_content(path, settings, realpath):
        refuse([ContentError(shown_path(path), None, OUTSIDE_MESSAGE, OUTSIDE_HINT)], path)
    text, error = read_header_text(path)
    if error is not None:
        refuse([encoding_problem(path, error)], path)
    entries = header_entries(text)
    problems = check_header(entries)
    if problems:
        refuse(located(problems, path), path)
    return entries


def nameless_values(content, lines: dict[str, int], settings) -> list[ContentError]:
    """Title, Category or authors that give no slug: their page would have no address."""
    problems = []
    if not getattr(content, "slug", None) and "slug" not in lines:
        message = f"Title « {getattr(content, 'title', '')} » ne donne aucune adresse"
        problems.append(ContentError("", lines.get("title"), message, "ajoutez Slug: mon-billet"))
    named = [("category", "CATEGORY", getattr(content, "category", None))]
    named += [("author", "AUTHOR", author) for author in getattr(content, "authors", ())]
    for key, kind, value in named:
        if value is not None and str(value).strip() and not quiet_slug(str(value), settings, kind):
            line = lines.get(key) or lines.get(f"{key}s")
            message = f"« {value} » : aucune adresse possible (ni lettre ni chiffre)"
            problems.append(ContentError("", line, message, "écrivez-le en toutes lettres"))
    return problems


def check_after_reading(content, entries: list[HeaderEntry], settings) -> None:
    """Checks that need Pelican's reading: missing date, tags without slug, long slugs."""
    path = content.source_path
    if isinstance(content, Article) and not getattr(content, "date", None):
        problem = ContentError(shown_path(path), None, "Date manquante", DATE_HINT)
        refuse([problem], path)
    lines = {entry.key: entry.line for entry in entries}
    nameless = nameless_values(content, lines, settings)
    if nameless:
        refuse(located(nameless, path), path)
    for warning in located(header_warnings(entries), path):
        logger.warning("%s", warning)
    tags = getattr(content, "tags", None)
    if tags:
        slugs = [quiet_slug(str(tag), settings) for tag in tags]
        kept = [tag for tag, slug in zip(tags, slugs, strict=True) if slug]
        for tag, slug in zip(tags, slugs, strict=True):
            if not slug:
                message = f"tag « {tag} » : aucune adresse possible (ni lettre ni chiffre), ignoré"
                problem = ContentError(shown_path(path), lines.get("tags"), message)
                logger.warning("%s", problem)
        if len(kept) != len(tags):
            content.tags = content.metadata["tags"] = kept
    limit = settings.get(
        "AUTHORING_SLUG_MAX_LENGTH", SETTINGS_DEFAULTS["AUTHORING_SLUG_MAX_LENGTH"]
    )
    slug = getattr(content, "slug", None)
    if "slug" not in lines and isinstance(slug, str) and limit and len(slug) > limit:
        content.slug = cut_slug(slug, limit)


def settings_problems(settings) -> list[tuple[str, str]]:
    limit = settings.get("AUTHORING_SLUG_MAX_LENGTH")
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 20:
        return [("AUTHORING_SLUG_MAX_LENGTH", "AUTHORING_SLUG_MAX_LENGTH : un entier, 20 au moins")]
    return []


SETTINGS = PluginSettings("authoring", SETTINGS_DEFAULTS, settings_problems)


def refuse_control_characters(path: str, html: str) -> None:
    """Refuse a file whose body holds a control character (no feed could carry it)."""
    if not BODY_CONTROL_RE.search(html or ""):
        return
    with open(path, encoding="utf-8-sig") as source:
        for number, line in enumerate(source, start=1):
            found = BODY_CONTROL_RE.search(line)
            if found:
                code = f"U+{ord(found[0]):04X}"
                message = f"le texte contient un caractère de contrôle ({code})"
                refuse([ContentError(shown_path(path), number, message, "supprimez-le")], path)
    refuse([ContentError(shown_path(path), None, "caractère de contrôle dans le texte")], path)


def guard_reading(readers) -> None:
    """Check each Markdown file before Pelican reads it, and its content object after."""
    read_file = readers.read_file
    settings = readers.settings
    realpath = functools.lru_cache(maxsize=None)(os.path.realpath)  # for this build's readers

    def read_checked(base_path, path, *args, **kwargs):
        full = os.path.abspath(os.path.join(base_path, path))
        fmt = kwargs.get("fmt") or os.path.splitext(path)[1].lstrip(".")
        if fmt not in MARKDOWN_EXTENSIONS:
            return read_file(base_path, path, *args, **kwargs)
        entries = check_before_reading(full, settings, realpath)
        try:
            content = read_file(base_path, path, *args, **kwargs)
        except UnicodeDecodeError as error:
            refuse([encoding_problem(full, error)], full)
        check_after_reading(content, entries, settings)
        return content

    readers.read_file = read_checked


def refuse_outside_statics(generator) -> None:
    """Drop the static files (images) that are links out of the content folder, saying so."""
    settings = generator.settings
    refused = [s for s in generator.staticfiles if outside_content(s.source_path, settings)]
    for static in refused:
        problem = ContentError(shown_path(static.source_path), None, OUTSIDE_MESSAGE, OUTSIDE_HINT)
        logger.error("%s", problem)
        generator.staticfiles.remove(static)
        generator.context["static_content"].pop(static.relative_source_path, None)
