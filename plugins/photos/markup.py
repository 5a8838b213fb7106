"""The HTML of a responsive photo, and the rewriting of a body's ``<img>`` tags into it.

Pure functions: a ``Picture`` (the URLs and sizes of one photo's variants) in, HTML out. The
same ``picture_html`` writes the photos of bodies (through the body pipeline) and those of
templates (covers, cards, guest portraits, through the ``picture`` Jinja global).

A body's tags are rewritten with regular expressions, as ``media`` does: every attribute the
author wrote stays byte for byte (an HTML parser would reserialise the whole body).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from .encode import EXTENSIONS, MIME_TYPES, Encoded, Variant

IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
# One attribute of a tag: name, then its value double-quoted, single-quoted or bare.
ATTRIBUTE = re.compile(
    r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""", re.IGNORECASE
)
# A paragraph holding an image and nothing else: Markdown's ``![alt](src "title")`` alone.
LONE_IMAGE = re.compile(r"<p>\s*(<img\b[^>]*>)\s*</p>", re.IGNORECASE)
LINK_OPEN = re.compile(r"<a\b", re.IGNORECASE)
# The href of a link, quoted either way.
HREF = re.compile(r"""(<a\b[^>]*?\bhref\s*=\s*)(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
LINK_CLOSE = re.compile(r"</a\s*>", re.IGNORECASE)
# Attributes the picture sets itself; the author's other attributes (class, id…) are kept.
REPLACED = {"src", "srcset", "sizes", "width", "height", "loading", "decoding", "fetchpriority"}


@dataclass(frozen=True)
class Picture:
    """One photo as pages offer it; URLs are relative to the site's root."""

    width: int
    height: int
    sources: tuple[tuple[str, str], ...]  # (MIME type, srcset) of the modern formats
    srcset: str  # the fallback format's widths
    src: str  # the fallback for browsers without srcset
    largest: str  # the widest fallback: what a tap opens
    og: str  # the 1200 × 630 crop (OpenGraph, Twitter)
    og_width: int
    og_height: int


def output_name(base: str, encoded: Encoded, variant: Variant) -> str:
    """Where a variant is published: ``images/quai.800.3f2a9c1b7e04.avif`` for ``images/quai``.

    The key in the name makes it immutable (deploy caches such names for a year): an edited
    photo gets new names."""
    label = variant.file.rsplit(".", 1)[0]
    return f"{base}.{label}.{encoded.key[:12]}.{EXTENSIONS[variant.format]}"


def picture_of(encoded: Encoded, base: str, default_width: int = 800) -> Picture:
    """The ``Picture`` of an encoded photo published under ``base`` (its URL without suffix)."""

    def srcset(variants) -> str:
        return ", ".join(f"{output_name(base, encoded, v)} {v.width}w" for v in variants)

    fallback = encoded.of_format(encoded.fallback_format)
    default = max(
        (v for v in fallback if v.width <= default_width), key=lambda v: v.width, default=None
    ) or min(fallback, key=lambda v: v.width)
    modern = dict.fromkeys(v.format for v in encoded.variants if v.format != fallback[0].format)
    return Picture(
        width=encoded.width,
        height=encoded.height,
        sources=tuple((MIME_TYPES[fmt], srcset(encoded.of_format(fmt))) for fmt in modern),
        srcset=srcset(fallback),
        src=output_name(base, encoded, default),
        largest=output_name(base, encoded, encoded.largest),
        og=output_name(base, encoded, encoded.og),
        og_width=encoded.og.width,
        og_height=encoded.og.height,
    )


def prefixed(siteurl: str, srcset: str) -> str:
    """A srcset (or one URL) with the site's base URL before each URL."""
    return ", ".join(f"{siteurl}/{part.strip()}" for part in srcset.split(", "))


def picture_html(
    picture: Picture,
    siteurl: str,
    alt: str = "",
    sizes: str = "100vw",
    eager: bool = False,
    attributes: str = "",
    link: bool = True,
    alt_is_html: bool = False,
) -> str:
    """``<picture>`` with a source per modern format and the fallback ``<img>``; wrapped in a
    link to the largest variant when ``link``. ``attributes`` are added to the ``<img>`` as
    written; ``alt`` is escaped unless it comes from HTML already (``alt_is_html``)."""
    alt_text = alt if alt_is_html else html.escape(alt, quote=True)
    sources = "".join(
        f'<source type="{kind}" srcset="{prefixed(siteurl, srcset)}" sizes="{sizes}">'
        for kind, srcset in picture.sources
    )
    loading = (
        'loading="eager" fetchpriority="high" decoding="async"'
        if eager
        else 'loading="lazy" decoding="async"'
    )
    extra = f" {attributes.strip()}" if attributes.strip() else ""
    img = (
        f'<img src="{siteurl}/{picture.src}" srcset="{prefixed(siteurl, picture.srcset)}"'
        f' sizes="{sizes}" alt="{alt_text}" width="{picture.width}" height="{picture.height}"'
        f" {loading}{extra}>"
    )
    element = f"<picture>{sources}{img}</picture>"
    if link:
        element = f'<a class="photo-link" href="{siteurl}/{picture.largest}">{element}</a>'
    return element


def attributes_of(tag: str) -> list[tuple[str, str | None, str]]:
    """(name, value as written or None, the attribute's text) of each attribute of a tag."""
    inner = re.sub(r"^<img\b|/?>$", "", tag, flags=re.IGNORECASE)
    found = []
    for match in ATTRIBUTE.finditer(inner):
        value = next((g for g in match.groups()[1:] if g is not None), None)
        found.append((match.group(1).lower(), value, match.group(0)))
    return found


def inside_link(body: str, position: int) -> bool:
    """Whether ``position`` of ``body`` is inside an ``<a>`` element."""
    before = body[:position]
    opened = [m.start() for m in LINK_OPEN.finditer(before)]
    closed = [m.start() for m in LINK_CLOSE.finditer(before)]
    return bool(opened) and (not closed or opened[-1] > closed[-1])


def rewrite_images(body: str, job: tuple, siteurl: str, sizes: str) -> str:
    """``body`` with each of its photos as a ``<picture>``; a photo alone in its paragraph as a
    ``<figure>``, its title as the caption. ``job`` is ``(eager_first, ((src, found), …))``
    where ``found`` is a ``Picture``, or a replacement src (a photo kept as it is)."""
    eager_first, found = job
    by_src = dict(found)
    first = [eager_first]

    def replace(tag: str, position: int, alone: bool) -> str:
        attributes = attributes_of(tag)
        values = {name: value for name, value, _ in attributes}
        target = by_src.get(values.get("src") or "")
        if isinstance(target, str):
            return tag.replace(values["src"], target, 1)
        if not isinstance(target, Picture):
            return tag
        caption = values.get("title") if alone else None
        dropped = REPLACED | {"alt"} | ({"title"} if caption else set())
        kept = " ".join(text for name, _, text in attributes if name not in dropped)
        eager, first[0] = first[0], False
        element = picture_html(
            target,
            siteurl,
            alt=values.get("alt") or "",
            sizes=sizes,
            eager=eager,
            attributes=kept,
            link=not inside_link(body, position),
            alt_is_html=True,
        )
        if not alone:
            return element
        figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
        return f'<figure class="photo">{element}{figcaption}</figure>'

    pieces = []
    last = 0
    for match in LONE_IMAGE.finditer(body):
        pieces.append(inline(body, last, match.start(), replace))
        new = replace(match.group(1), match.start(1), alone=True)
        pieces.append(
            new if new.startswith("<figure") else match.group(0).replace(match.group(1), new, 1)
        )
        last = match.end()
    pieces.append(inline(body, last, len(body), replace))
    return relinked("".join(pieces), by_src, siteurl)


def relinked(body: str, by_src: dict, siteurl: str) -> str:
    """Links to a photo's file lead to its largest variant: the original is not published."""

    def relink(match: re.Match) -> str:
        href = match.group(2) if match.group(2) is not None else match.group(3)
        target = by_src.get(href)
        if not isinstance(target, Picture):
            return match.group(0)
        return f'{match.group(1)}"{siteurl}/{target.largest}"'

    return HREF.sub(relink, body)


def inline(body: str, start: int, end: int, replace) -> str:
    """The images of ``body[start:end]`` replaced where they stand."""
    pieces, last = [], start
    for match in IMG_TAG.finditer(body, start, end):
        pieces += [body[last : match.start()], replace(match.group(0), match.start(), False)]
        last = match.end()
    pieces.append(body[last:end])
    return "".join(pieces)
