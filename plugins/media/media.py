"""Images that do not make the page jump, and reading times.

- Every ``<img>`` of a body whose file is in the content folder gets its ``width`` and
  ``height`` (read from the file's header with ``imagesize``), ``loading="lazy"`` and
  ``decoding="async"``: the browser reserves the space and loads images below the fold only
  when the reader gets there.
- Covers (``Image``) get ``image_width``/``image_height`` for the template, and so do guest
  photos (``guest_photo_width``/``guest_photo_height``).
- ``article.reading_minutes``: words of the body at ``MEDIA_WORDS_PER_MINUTE`` (default 230),
  at least 1.

Bodies go through the body pipeline (``plugins.core.pipeline``), after typography: the sizes of
the images a body shows are the transform's job, so a replaced image is measured again; the
reading time is counted there too, as the transform's note, before interviews and mentions add
words of their own. Covers get their sizes in ``all_generators_finalized``, after ``authoring``
has resolved their ``{static}`` links.

The ``<img>`` rewriting is a small regular expression over tags because attributes must stay
byte-for-byte as the author wrote them; an HTML parser would reserialise the whole body.
"""

from __future__ import annotations

import logging
import os
import posixpath
import re
from collections.abc import Callable

import imagesize
from pelican import signals

from plugins.core import all_contents, compat, pipeline, plugin_enabled
from plugins.core.pipeline import Plan, Rewritten
from plugins.core.settings import PluginSettings

logger = logging.getLogger(__name__)

PLUGIN_NAME = "media"
SETTINGS_DEFAULTS = {"MEDIA_WORDS_PER_MINUTE": 230}


def settings_problems(settings) -> list[tuple[str, str]]:
    value = settings["MEDIA_WORDS_PER_MINUTE"]
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return []
    return [
        ("MEDIA_WORDS_PER_MINUTE", f"MEDIA_WORDS_PER_MINUTE = {value!r} : attendu un entier > 0")
    ]


SETTINGS = PluginSettings(PLUGIN_NAME, SETTINGS_DEFAULTS, settings_problems)
TRANSFORM_PRIORITY = 30  # after typography, before interviews and mentions (which add words)

IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
# The src attribute, quoted either way.
SRC_ATTR = re.compile(r"""\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
TAGS = re.compile(r"<[^>]+>")
WORD = re.compile(r"\w+(?:['’]\w+)*")


def enrich_images(html: str, size_of: Callable[[str], tuple[int, int] | None]) -> str:
    """Add width, height, lazy loading and async decoding to each ``<img>`` that lacks them."""

    def enrich(match: re.Match) -> str:
        tag = match.group(0)
        lowered = tag.lower()
        extra = []
        src = SRC_ATTR.search(tag)
        if src and " width=" not in lowered and " height=" not in lowered:
            size = size_of(src.group(1) or src.group(2) or "")
            if size:
                extra.append(f'width="{size[0]}" height="{size[1]}"')
        if " loading=" not in lowered:
            extra.append('loading="lazy"')
        if " decoding=" not in lowered:
            extra.append('decoding="async"')
        if not extra:
            return tag
        closing = " />" if tag.endswith("/>") else ">"
        return f"{tag[: -len(closing.strip())].rstrip()} {' '.join(extra)}{closing}"

    return IMG_TAG.sub(enrich, html)


def reading_minutes(html: str, words_per_minute: int = 230) -> int:
    """Minutes to read an HTML body, rounded, at least one."""
    words = len(WORD.findall(TAGS.sub(" ", html)))
    return max(1, round(words / words_per_minute))


def file_size_reader(content_root: str, static_content: dict):
    """A function giving the pixel size of an image reference made in a file of ``source_dir``,
    or None when unknown; one per build (the table of static files is made once)."""
    path_by_url = {static.url: path for path, static in static_content.items()}

    def size_of(src: str, source_dir: str) -> tuple[int, int] | None:
        for marker in ("{static}", "{attach}", "{filename}"):
            if src.startswith(marker):
                target = src[len(marker) :]
                relative = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join(source_dir, target))
                )
                break
        else:
            relative = path_by_url.get(src.lstrip("/"))
        if not relative:
            return None
        try:
            width, height = imagesize.get(os.path.join(content_root, relative))
        except (OSError, ValueError):
            return None
        return (round(width), round(height)) if width > 0 and height > 0 else None

    return size_of


def plan_media(generators) -> Plan | None:
    """The body transform of this build: image sizes and lazy loading, then reading time."""
    settings = generators[0].settings
    if not plugin_enabled(settings, PLUGIN_NAME):
        return None
    per_minute = settings["MEDIA_WORDS_PER_MINUTE"]
    size_of = file_size_reader(settings["PATH"], generators[0].context.get("static_content", {}))

    def image_sizes(content) -> tuple:
        """The size of each image the body shows, as (src, size) pairs: the transform's job."""
        source_dir = posixpath.dirname(content.relative_source_path)
        sources = (SRC_ATTR.search(tag) for tag in IMG_TAG.findall(compat.body(content)))
        found = {m.group(1) or m.group(2) or "" for m in sources if m}
        return tuple((src, size_of(src, source_dir)) for src in sorted(found))

    def rewrite(body: str, sizes: tuple) -> Rewritten:
        body = enrich_images(body, dict(sizes).get)
        return Rewritten(body, notes=reading_minutes(body, per_minute))

    return Plan("media", TRANSFORM_PRIORITY, rewrite, job_of=image_sizes, inputs=(per_minute,))


def size_covers(generators) -> None:
    """Cover and guest photo sizes, and the reading time the body pipeline counted."""
    context = generators[0].context
    settings = generators[0].settings
    if not plugin_enabled(settings, PLUGIN_NAME):
        return
    outcome = pipeline.outcome(generators)
    size_of = file_size_reader(settings["PATH"], context.get("static_content", {}))
    for generator in generators:
        for content in all_contents(generator):
            source_dir = posixpath.dirname(content.relative_source_path)
            for key in ("image", "guest_photo"):
                url = getattr(content, key, None)
                size = size_of(url, source_dir) if isinstance(url, str) and url else None
                setattr(content, f"{key}_width", size[0] if size else None)
                setattr(content, f"{key}_height", size[1] if size else None)
            content.reading_minutes = outcome.notes(content, "media", 1)


def register():
    signals.initialized.connect(SETTINGS.configure)
    pipeline.register_transform(plan_media)
    signals.all_generators_finalized.connect(size_covers)
