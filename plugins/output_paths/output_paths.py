"""Two things written to the same output file are found before anything is written.

Pelican's writer stops the whole build with ``FileOverwriteFailedError`` when a second page
targets a file already written, naming only the output file. This plugin lists every planned
output (content objects, direct templates, taxonomy pages and their pagination) once all
generators have read their content, reports each collision with the source files involved,
and drops the later content object so that a dev build still completes.
"""

from __future__ import annotations

import logging
import math
import os
from dataclasses import dataclass

from pelican import signals

from plugins.core import CONTENT_LISTS

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlannedOutput:
    """One file the build will write, and what it comes from."""

    save_as: str
    source: str
    content: object = None


def paginated(save_as: str, count: int, settings: dict) -> list[str]:
    """The files of a listing of ``count`` articles, page 1 and the following ones."""
    per_page = settings.get("DEFAULT_PAGINATION") or 0
    pages = max(1, math.ceil(count / per_page)) if per_page else 1
    outputs = [save_as]
    base_name = os.path.dirname(save_as) if save_as.endswith("index.html") else save_as
    for number in range(2, pages + 1):
        for minimum, _url, pattern in settings.get("PAGINATION_PATTERNS", ()):
            if number >= minimum and minimum > 1:
                outputs.append(pattern.format(base_name=base_name, number=number, save_as=save_as))
    return outputs


def find_collisions(planned: list[PlannedOutput]) -> list[tuple[PlannedOutput, PlannedOutput]]:
    """Pairs (first, later) of planned outputs with the same file."""
    seen: dict[str, PlannedOutput] = {}
    collisions = []
    for output in planned:
        key = os.path.normpath(output.save_as)
        if key in seen:
            collisions.append((seen[key], output))
        else:
            seen[key] = output
    return collisions


def plan_outputs(articles_gen, pages_gen) -> list[PlannedOutput]:
    """Every output file of a build, listings first so that a content object is the later one."""
    settings = articles_gen.settings
    planned = []
    for name in settings.get("DIRECT_TEMPLATES", ()):
        save_as = settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html")
        count = len(articles_gen.articles) if name == "index" else 1
        for output in paginated(save_as, count, settings):
            planned.append(PlannedOutput(output, f"la page « {name} »"))
    for kind, index in (
        ("tag", articles_gen.tags),
        ("category", dict(articles_gen.categories)),
        ("author", dict(articles_gen.authors)),
    ):
        for wrapper, articles in index.items():
            for output in paginated(wrapper.save_as, len(articles), settings):
                planned.append(PlannedOutput(output, f"la page du {kind} « {wrapper.name} »"))
    contents = [
        *articles_gen.articles,
        *articles_gen.translations,
        *articles_gen.hidden_articles,
        *articles_gen.drafts,
        *pages_gen.pages,
        *pages_gen.hidden_pages,
        *pages_gen.draft_pages,
    ]
    for content in contents:
        if content.save_as:
            planned.append(PlannedOutput(content.save_as, content.relative_source_path, content))
    return planned


def drop_colliding_content(generators) -> None:
    """Report every output collision and keep the first writer of each file."""
    by_kind = {type(g).__name__: g for g in generators}
    articles_gen = by_kind.get("ArticlesGenerator")
    pages_gen = by_kind.get("PagesGenerator")
    if articles_gen is None or pages_gen is None:
        return
    for first, later in find_collisions(plan_outputs(articles_gen, pages_gen)):
        logger.error(
            "%s: écrirait %s, déjà produit par %s (changez son Slug)",
            later.source,
            later.save_as,
            first.source,
        )
        if later.content is not None:
            for generator in (articles_gen, pages_gen):
                for attr in CONTENT_LISTS:
                    items = getattr(generator, attr, None)
                    if items is not None and later.content in items:
                        items.remove(later.content)


def register():
    signals.all_generators_finalized.connect(drop_colliding_content)
