"""One import, end to end: detect the format, read, map with the site's data, write, report."""

from __future__ import annotations

import os
from dataclasses import dataclass

from migrate import feeds, movable_type, wordpress
from migrate.mapper import Mapped, Options, map_export
from migrate.model import Export, Problem
from migrate.report import outcome_line, report_text
from migrate.site import load_site
from migrate.writer import Written, write_if_different, write_import

REPORT = "import-report.md"
# Order matters: a WordPress export is also an RSS document.
FORMATS = (
    ("wordpress", wordpress),
    ("movable-type", movable_type),
    ("feed", feeds),
)


class ImportError_(Exception):
    """The export cannot be imported at all (missing, empty, unknown format)."""


@dataclass(frozen=True)
class Result:
    export: Export
    mapped: Mapped
    written: Written
    report: str
    summary: str


def detect(data: bytes) -> str | None:
    """The format of an export from its first bytes, or None."""
    head = data[:8192]
    for name, module in FORMATS:
        if module.looks_like(head):
            return name
    return None


def read_export(path: str) -> Export:
    """An export file read by the reader of its format."""
    try:
        with open(path, "rb") as stream:
            data = stream.read()
    except OSError as exc:
        raise ImportError_(f"{path} : illisible ({exc.strerror})") from None
    if not data.strip():
        raise ImportError_(f"{path} : fichier vide")
    name = detect(data)
    if name is None:
        raise ImportError_(
            f"{path} : format inconnu (attendu un export Movable Type/TypePad/Hautetfort, "
            "un export WordPress WXR, ou un flux RSS ou Atom)"
        )
    return dict(FORMATS)[name].read(data)


def run_import(
    source: str,
    content: str,
    settings: dict,
    assets: str | None = None,
    old_base: str = "",
    force: bool = False,
) -> Result:
    """Import ``source`` into the content folder ``content``; returns what was done."""
    if assets and not os.path.isdir(assets):
        raise ImportError_(f"ASSETS={assets} : dossier introuvable")
    export = read_export(source)
    site = load_site(content, settings)
    mapped = map_export(export, site, Options(assets=assets, old_base=old_base))
    if export.format == "movable-type" and not old_base:
        mapped.problems.append(
            Problem("", "OLD_BASE absent : les anciennes adresses ne sont pas redirigées")
        )
    redirects_file = os.path.join(settings.get("DATA_DIR", "data"), "redirects.yml")
    written = write_import(
        content, mapped.files, mapped.images, mapped.redirects, redirects_file, force
    )
    report = report_text(os.path.basename(source), export.format, mapped, written, site.problems)
    write_if_different(os.path.join(content, REPORT), report.encode("utf-8"))
    return Result(export, mapped, written, report, outcome_line(written))
