"""Images that do not make the page jump, and reading times.

- Every ``<img>`` of a body whose file is in the content folder gets its ``width`` and
  ``height`` (read from the file's header with ``imagesize``), ``loading="lazy"`` and
  ``decoding="async"``: the browser reserves the space and loads images below the fold only
  when the reader gets there.
- Covers (``Image``) get ``image_width``/``image_height`` for the template, and so do guest
  photos (``guest_photo_width``/``guest_photo_height``).
- ``article.reading_minutes``: words of the body at ``MEDIA_WORDS_PER_MINUTE`` (default 230),
  at least 1.

Runs in ``all_generators_finalized`` (after ``{static}`` covers are resolved by ``authoring``)
on every build, so cached articles get the same treatment; reading times are kept from one
build to the next (``authoring.BuildMemo``, by body), since counting the words of every body
again cost a warm build more than half a second at 3,000 articles.

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

from plugins.core import BuildMemo, all_contents, compute_with_memo

logger = logging.getLogger(__name__)

SETTINGS_DEFAULTS = {"MEDIA_WORDS_PER_MINUTE": 230}

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


def file_size_reader(content_root: str, source_dir: str, static_urls: dict[str, str]):
    """A function giving the pixel size of a body image reference, or None when unknown."""
    path_by_url = {url: path for path, url in static_urls.items()}

    def size_of(src: str) -> tuple[int, int] | None:
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


def enrich_contents(generators) -> None:
    """Sizes, lazy loading and reading time for every article and page of this build."""
    context = generators[0].context
    settings = generators[0].settings
    per_minute = settings.get("MEDIA_WORDS_PER_MINUTE", SETTINGS_DEFAULTS["MEDIA_WORDS_PER_MINUTE"])
    static_urls = {path: s.url for path, s in context.get("static_content", {}).items()}
    contents = [content for generator in generators for content in all_contents(generator)]
    for content in contents:
        source_dir = posixpath.dirname(content.relative_source_path)
        size_of = file_size_reader(settings["PATH"], source_dir, static_urls)
        if not getattr(content, "_media_done", False):
            content._content = enrich_images(content._content or "", size_of)
            content._media_done = True
        for key in ("image", "guest_photo"):
            url = getattr(content, key, None)
            size = size_of(url) if isinstance(url, str) and url else None
            setattr(content, f"{key}_width", size[0] if size else None)
            setattr(content, f"{key}_height", size[1] if size else None)
    bodies = [content._content or "" for content in contents]
    memo = BuildMemo(settings, "media-reading", os.path.dirname(__file__))
    keys = [memo.key(body, per_minute) for body in bodies]
    minutes = compute_with_memo(
        memo, keys, lambda index: reading_minutes(bodies[index], per_minute)
    )
    for content, value in zip(contents, minutes, strict=True):
        content.reading_minutes = value
    memo.save()


def register():
    signals.all_generators_finalized.connect(enrich_contents)
