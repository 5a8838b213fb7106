"""One import, end to end: detect the format, read, map with the site's data, write, report."""

from __future__ import annotations

import os
from dataclasses import dataclass

from migrate import feeds, movable_type, wordpress
from migrate.mapper import Mapped, Options, map_export
from migrate.model import Export, Problem
from migrate.report import outcome_line, report_text
from migrate.site import SiteData, load_site
from migrate.writer import MANIFEST, Written, read_manifest, write_if_different, write_import

REPORT = "import-report.md"
# Order matters: a WordPress export is also an RSS document.
FORMATS = (
    ("wordpress", wordpress),
    ("movable-type", movable_type),
    ("feed", feeds),
)


class CannotImport(Exception):
    """Nothing can be imported (export missing, empty or of an unknown format; no ASSETS folder)."""


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
        raise CannotImport(f"{path} : illisible ({exc.strerror})") from None
    if not data.strip():
        raise CannotImport(f"{path} : fichier vide")
    name = detect(data)
    if name is None:
        raise CannotImport(
            f"{path} : format inconnu (attendu un export Movable Type/TypePad/Hautetfort, "
            "un export WordPress WXR, ou un flux RSS ou Atom)"
        )
    return dict(FORMATS)[name].read(data)


def site_slugs(content: str, settings: dict, site: SiteData, imported: set[str]) -> frozenset:
    """(kind, slug) of the posts and pages already in the content folder that no import wrote:
    an imported entry must not take one (two articles with one slug is a build error)."""
    taken = set()
    for kind, folders in (("post", settings["ARTICLE_PATHS"]), ("page", settings["PAGE_PATHS"])):
        for folder in folders:
            for root, _, names in os.walk(os.path.join(content, folder)):
                for name in names:
                    path = os.path.join(root, name)
                    if name.endswith(".md") and os.path.relpath(path, content) not in imported:
                        slug = header_slug(path, site)
                        if slug:
                            taken.add((kind, slug))
    return frozenset(taken)


def header_slug(path: str, site: SiteData) -> str:
    """The slug a Markdown file will get: its ``Slug:``, else its title's."""
    fields = {}
    with open(path, encoding="utf-8", errors="replace") as stream:
        for line in stream:
            if not line.strip():
                break
            key, _, value = line.partition(":")
            fields[key.strip().casefold()] = value.strip()
    return fields.get("slug") or site.slug(fields.get("title", ""))


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
        raise CannotImport(f"ASSETS={assets} : dossier introuvable")
    export = read_export(source)
    site = load_site(content, settings)
    taken = site_slugs(content, settings, site, set(read_manifest(os.path.join(content, MANIFEST))))
    mapped = map_export(export, site, Options(assets=assets, old_base=old_base, taken=taken))
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
