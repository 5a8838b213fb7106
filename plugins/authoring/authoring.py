"""Header checks for the authoring contract (``shared/AUTHORING.md``).

Pelican's Markdown reader turns a bad ``Date`` into "Could not process file" with no reason, and
accepts any unknown header key in silence, so a typo (``Serie:``) yields a silently wrong page.
This plugin swaps in a Markdown reader that checks each header entry as it is read and names
the file, the line and, for a near miss, the key or value the author probably meant.

Settings: ``AUTHORING_EXTRA_KEYS`` (header keys other plugins or themes accept, besides the
contract's and Pelican's own).
"""

from __future__ import annotations

import logging
import os
import posixpath
from dataclasses import replace

from pelican import signals

from plugins.core import ContentError, all_contents, closest, compat, header_line, shown_path
from plugins.core.compat import AlreadyReported, adapt_log_messages
from plugins.core.datafiles import data_path, read_data_file

from .checks import (
    SETTINGS,
    guard_reading,
    refuse_control_characters,
    refuse_outside_statics,
)

logger = logging.getLogger(__name__)

CONTRACT_KEYS = frozenset(
    (
        "title", "date", "modified", "category", "tags", "author", "authors", "slug",
        "summary", "status", "image", "image_alt", "series", "series_number",
        "questionnaire", "guest", "guest_role", "guest_company", "guest_url", "guest_photo",
        "comments",
    )
)  # fmt: skip
# Keys Pelican itself understands; authors rarely need them but they are legitimate.
PELICAN_KEYS = frozenset(
    ("lang", "translation", "template", "save_as", "url", "path", "keywords", "description")
)
STATUSES = ("published", "draft", "hidden")
DATE_KEYS = ("date", "modified")


class InvalidHeader(AlreadyReported, ValueError):
    """Raised so that Pelican skips a file whose header cannot be used."""


def validate_metadata(path: str, raw: dict[str, list[str]], known_keys) -> list[ContentError]:
    """Problems in a Markdown header, given as the meta extension returns it."""
    errors = []
    for key, values in raw.items():
        name = key.lower()
        if name not in known_keys:
            guess = closest(name, known_keys)
            hint = f"vouliez-vous dire « {guess.capitalize()} » ?" if guess else ""
            line = header_line(path, name)  # read from the file only when there is a problem
            errors.append(ContentError(path, line, f"clé d'en-tête inconnue « {key} »", hint))
        elif name == "status":
            value = " ".join(values).strip().lower()
            if value not in STATUSES:
                guess = closest(value, STATUSES)
                hint = f"vouliez-vous dire « {guess} » ?" if guess else ""
                allowed = ", ".join(STATUSES)
                message = f"Status « {value} » inconnu (valeurs possibles : {allowed})"
                errors.append(ContentError(path, header_line(path, name), message, hint))
    return errors


class AuthoringMarkdownReader(compat.CheckedMarkdownReader):
    """Pelican's Markdown reader, with header errors reported as ``path:line: message``."""

    def check_header(self, meta):
        known = (
            CONTRACT_KEYS
            | PELICAN_KEYS
            | {key.lower() for key in self.settings.get("AUTHORING_EXTRA_KEYS", ())}
        )
        problems = validate_metadata(self.source_path, meta, known)
        problems = [replace(p, path=shown_path(p.path)) for p in problems]
        for problem in problems:
            fatal = problem.message.startswith("Status")
            (logger.error if fatal else logger.warning)("%s", problem)
        if any(problem.message.startswith("Status") for problem in problems):
            raise InvalidHeader(f"{self.source_path}: en-tête invalide")

    def read(self, source_path):
        content, metadata = super().read(source_path)
        refuse_control_characters(source_path, content)  # raised: never in the reader's cache
        return content, metadata

    def process_metadata(self, name, value):
        try:
            return super().process_metadata(name, value)
        except (ValueError, TypeError) as exc:
            if name not in DATE_KEYS:
                raise
            if self.dates_from_file_name:
                problem = ContentError(
                    shown_path(self.source_path),
                    None,
                    f"{name.capitalize()} « {value} » n'est pas une date valide "
                    "(elle est tirée du nom du fichier)",
                    "renommez le fichier en AAAA-MM-JJ-titre.md",
                )
            else:
                problem = ContentError(
                    shown_path(self.source_path),
                    header_line(self.source_path, name),
                    f"{name.capitalize()} « {value} » n'est pas une date valide",
                    "attendu AAAA-MM-JJ ou AAAA-MM-JJ HH:MM",
                )
            logger.error("%s", problem)
            raise InvalidHeader(str(problem)) from exc


def use_authoring_reader(readers) -> None:
    """Read Markdown with the checking reader, which knows the file before ``read`` starts."""
    compat.use_markdown_reader(readers, AuthoringMarkdownReader)


MEDIA_KEYS = ("image", "guest_photo")


def resolve_media_link(value: str, source_dir: str, static_urls: dict[str, str]) -> str | None:
    """The URL of a ``{static}`` or ``{attach}`` media reference; None when the file is unknown.

    Pelican resolves these markers inside the body only; covers and guest photos are metadata.
    """
    for marker in ("{static}", "{attach}", "|static|"):
        if value.startswith(marker):
            target = value[len(marker) :]
            path = (
                target.lstrip("/") if target.startswith("/") else posixpath.join(source_dir, target)
            )
            return static_urls.get(posixpath.normpath(path))
    return value


def resolve_media(generators) -> None:
    """Replace ``{static}`` references in media metadata by URLs, reporting missing files."""
    static_content = generators[0].context.get("static_content", {})
    static_urls = {path: static.url for path, static in static_content.items()}
    for generator in generators:
        for content in all_contents(generator):
            source_dir = posixpath.dirname(content.relative_source_path)
            for key in MEDIA_KEYS:
                value = content.metadata.get(key)
                if not isinstance(value, str) or "://" in value:
                    continue
                url = resolve_media_link(value, source_dir, static_urls)
                if url is None:
                    line = header_line(content.source_path, key)
                    logger.error(
                        "%s",
                        ContentError(
                            content.relative_source_path,
                            line,
                            f"{key.capitalize()} : fichier introuvable « {value} »",
                            "placez-le dans content/images/",
                        ),
                    )
                    url = ""
                setattr(content, key, url)


def check_all_data_files(generators) -> None:
    """Parse every YAML file of the content's data folder, so none is broken unnoticed."""
    context = generators[0].context
    root = data_path(context)
    for folder, _dirs, files in sorted(os.walk(root)):
        for name in sorted(files):
            if name.endswith((".yml", ".yaml")):
                relative = os.path.relpath(os.path.join(folder, name), root)
                read_data_file(context, *relative.split(os.sep))


def adapt_logs(pelican) -> None:
    """No generic or English line from Pelican beside ours; one line a record off a terminal."""
    adapt_log_messages(pelican)


def register():
    signals.initialized.connect(SETTINGS.configure)
    signals.initialized.connect(adapt_logs)
    signals.readers_init.connect(use_authoring_reader)
    signals.readers_init.connect(guard_reading)
    signals.static_generator_finalized.connect(refuse_outside_statics)
    signals.all_generators_finalized.connect(resolve_media)
    signals.all_generators_finalized.connect(check_all_data_files)
