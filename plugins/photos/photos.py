"""Photos that load fast on a phone and tell no one where they were taken.

What it adds:

- Every raster image of a body (``<img>`` whose file is one of the site's static files: JPEG,
  PNG, WebP, AVIF, TIFF, BMP), every cover (``Image``) and guest portrait (``Guest_photo``) is
  published as variants (``PHOTOS_WIDTHS``, never wider than the original), in the modern formats
  of ``PHOTOS_FORMATS`` (AVIF, WebP) and a JPEG fallback (PNG for transparent or lossless
  sources), upright, with no metadata but the colour profile. The original is not published
  unless ``PHOTOS_PUBLISH_ORIGINALS`` (then stripped as well). SVG and GIF pass untouched.
- In bodies (a transform of the body pipeline, priority 45: before typography, which then
  spaces the captions too, and before ``media``, which leaves sized images alone): a
  ``<picture>`` with ``srcset``/``sizes`` (``PHOTOS_SIZES``), ``width``/``height``, lazy
  loading but for the page's first image (when it has no cover or portrait), inside a link to
  the largest variant; ``![alt](src "title")`` alone in its paragraph becomes ``<figure>`` with
  the title as ``<figcaption>``. A link to a photo's file leads to its largest variant.
- On articles and pages: ``cover_photo`` and ``guest_picture`` (``markup.Picture``) for the
  templates, which write them with the Jinja global ``picture(photo, alt, sizes, eager, link,
  class_)``; ``image`` and ``guest_photo`` point at the largest variant, ``image_width`` and
  ``image_height`` are the upright size, ``image_og`` (with ``image_og_width``/``_height``) the
  1200 × 630 crop that ``seo`` gives OpenGraph and Twitter.
- Errors (file missing, undecodable, over ``PHOTOS_MAX_MEGAPIXELS``): one line per article and
  image, ``path:line: message``; strict builds fail, dev builds keep the original link.

Cost: a photo is encoded once per content and recipe: the variants are kept under
``PHOTOS_CACHE_PATH`` (default ``CACHE_PATH/photos``, outside the output), one folder per
SHA-256 of the file's bytes, the recipe and the encoder's code (``encode.encoder_digest``),
whatever the content cache says. A build hashes the files it uses (again only when their size
or modification time changed: ``digests.json``), encodes only those without a complete cache
entry, on both cores (``speed.map_in_processes``), and copies the variants into the output once
every generator has read (Pelican empties the output before they read; a file already there,
with the same size, is left alone; those of an earlier build that no page uses any more are
removed). ``last-build.json`` in that folder says what the last build encoded.

Why Pillow directly and not ``pelican-image-process`` (3.4.0, evaluated): it rewrites the HTML
files after they are written (``content_written``), which would make every warm build rewrite
every page behind ``site_writer``; it processes only images given a class by the author; it keeps
its derivatives in the output folder and compares modification times, so every cold build
(``DELETE_OUTPUT_DIRECTORY``) encodes everything again and a changed setting keeps stale files;
it encodes in the build's process only; it neither applies the EXIF orientation nor keeps the
colour profile, publishes the original beside its derivatives, handles covers only in
``article_generator_context`` (which Pelican's content cache skips), and reports a broken image
with neither article nor line.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import posixpath
import re
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial

from markupsafe import Markup
from pelican import signals

from plugins.core import BuildState, ContentError, all_contents, compat, pipeline, plugin_enabled
from plugins.core.errors import header_line, shown_path
from plugins.core.pipeline import Plan
from plugins.core.settings import PluginSettings
from plugins.core.speed import map_in_processes

from .encode import Encoded, PhotoError, Recipe, encode_photo, encoder_digest, read_manifest
from .markup import HREF, IMG_TAG, Picture, output_name, picture_html, picture_of, rewrite_images

logger = logging.getLogger(__name__)

PLUGIN_NAME = "photos"
SETTINGS_DEFAULTS = {
    "PHOTOS_ENABLED": True,
    "PHOTOS_WIDTHS": (240, 480, 800, 1200, 1600),
    "PHOTOS_FORMATS": ("avif", "webp"),
    "PHOTOS_QUALITY": {"avif": 55, "webp": 72, "jpeg": 78},
    "PHOTOS_MAX_MEGAPIXELS": 50,
    "PHOTOS_PUBLISH_ORIGINALS": False,
    "PHOTOS_CACHE_PATH": "",  # empty: CACHE_PATH/photos
    # The column is 40rem with 1rem of padding on each side (theme/static/css/00-tokens.css).
    "PHOTOS_SIZES": "(min-width: 42rem) 38rem, calc(100vw - 2rem)",
}
MODERN_FORMATS = ("avif", "webp")
RASTER = (".jpg", ".jpeg", ".png", ".webp", ".avif", ".tif", ".tiff", ".bmp")
MEDIA_KEYS = ("image", "guest_photo")
TRANSFORM_PRIORITY = 45  # before typography (40: captions get French spacing) and media (30)
STATE_KEY = "photos_state"
STATS_FILE = "last-build.json"
PUBLISHED_FILE = "published.json"
DIGESTS_FILE = "digests.json"
MIN_ITEMS = 2  # one photo costs far more than a fork
MARKERS = ("{static}", "{attach}", "|static|", "{filename}")
SRC_ATTR = re.compile(r"""\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def settings_problems(settings: Mapping) -> list[tuple[str, str]]:
    """``(name, message)`` for each unusable photos setting."""
    problems = []
    widths = settings["PHOTOS_WIDTHS"]
    if not (
        isinstance(widths, (list, tuple))
        and widths
        and all(isinstance(w, int) and not isinstance(w, bool) and w > 0 for w in widths)
    ):
        problems.append(("PHOTOS_WIDTHS", f"PHOTOS_WIDTHS = {widths!r} : attendu des entiers > 0"))
    formats = settings["PHOTOS_FORMATS"]
    if not (isinstance(formats, (list, tuple)) and set(formats) <= set(MODERN_FORMATS)):
        problems.append(
            ("PHOTOS_FORMATS", f"PHOTOS_FORMATS = {formats!r} : attendu parmi avif, webp")
        )
    quality = settings["PHOTOS_QUALITY"]
    if not (
        isinstance(quality, Mapping)
        and all(isinstance(q, int) and 1 <= q <= 100 for q in quality.values())
    ):
        problems.append(("PHOTOS_QUALITY", f"PHOTOS_QUALITY = {quality!r} : attendu 1 à 100"))
    limit = settings["PHOTOS_MAX_MEGAPIXELS"]
    if not (isinstance(limit, (int, float)) and not isinstance(limit, bool) and limit > 0):
        problems.append(
            ("PHOTOS_MAX_MEGAPIXELS", f"PHOTOS_MAX_MEGAPIXELS = {limit!r} : attendu un nombre > 0")
        )
    return problems


SETTINGS = PluginSettings(PLUGIN_NAME, SETTINGS_DEFAULTS, settings_problems)


def is_on(settings: Mapping) -> bool:
    return plugin_enabled(settings, PLUGIN_NAME) and bool(settings.get("PHOTOS_ENABLED", True))


def recipe_of(settings: Mapping) -> Recipe:
    """The recipe of this build's settings."""
    quality = {**SETTINGS_DEFAULTS["PHOTOS_QUALITY"], **settings["PHOTOS_QUALITY"]}
    return Recipe(
        widths=tuple(sorted(set(settings["PHOTOS_WIDTHS"]))),
        formats=tuple(dict.fromkeys(settings["PHOTOS_FORMATS"])),
        quality=tuple(sorted(quality.items())),
        max_megapixels=settings["PHOTOS_MAX_MEGAPIXELS"],
        original=bool(settings["PHOTOS_PUBLISH_ORIGINALS"]),
    )


def cache_folder(settings: Mapping) -> str:
    return settings.get("PHOTOS_CACHE_PATH") or os.path.join(
        settings.get("CACHE_PATH", "cache"), "photos"
    )


def entry_key(file_digest: str, recipe: Recipe, encoder: str) -> str:
    """The cache key of one file's bytes under one recipe and one encoder (``encoder_digest``)."""
    parts = (file_digest, repr(recipe), encoder)
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def file_digest(path: str, known: Mapping[str, list]) -> str | None:
    """SHA-256 of a file's bytes; read again only when its size or modification time changed
    since ``known`` (a blog's photos weigh gigabytes: ``make serve`` must not read them all)."""
    try:
        stat = os.stat(path)
        stamp = [stat.st_size, stat.st_mtime_ns]
        if known.get(path, [None, None])[:2] == stamp:
            return known[path][2]
        with open(path, "rb") as source:
            return hashlib.file_digest(source, "sha256").hexdigest()
    except OSError:
        return None


def read_digests(cache: str) -> dict[str, list]:
    """The digests of the last build: ``{path: [size, mtime_ns, digest]}``."""
    try:
        with open(os.path.join(cache, DIGESTS_FILE), encoding="utf-8") as source:
            known = json.load(source)
    except (OSError, ValueError):
        return {}
    return known if isinstance(known, dict) else {}


def write_json(path: str, value) -> None:
    """Write ``value`` as JSON atomically (builds may share a cache folder)."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "w", encoding="utf-8") as out:
        json.dump(value, out)
    os.replace(temporary, path)


def entry_folder(cache: str, key: str) -> str:
    return os.path.join(cache, key[:2], key)


def encode_entry(item: tuple[str, str, str, Recipe]) -> Encoded | str:
    """Encode one photo into its cache entry (in a worker): the result, or the error's text."""
    path, folder, key, recipe = item
    try:
        return encode_photo(path, folder, key, recipe)
    except PhotoError as error:
        return str(error)


# --- Which images a build shows ------------------------------------------------------------


@dataclass(frozen=True)
class Use:
    """One image shown by one content object: in its body (``src`` as written) or its header."""

    source_path: str  # of the article or page
    src: str
    key: str  # "body", "link" (a link to the file), or the metadata key (image, guest_photo)


def static_path_of(src: str, source_dir: str, path_by_url: Mapping[str, str]) -> str | None:
    """The content-relative path an image reference names (``{static}``, relative ``{static}``
    or the static file's URL), None when it names no file of the content folder."""
    for marker in MARKERS:
        if src.startswith(marker):
            target = src[len(marker) :]
            if target.startswith("/"):
                return posixpath.normpath(target.lstrip("/"))
            return posixpath.normpath(posixpath.join(source_dir, target))
    return path_by_url.get(src.lstrip("/"))


def is_raster(path: str) -> bool:
    return path.lower().endswith(RASTER)


def body_sources(body: str) -> list[str]:
    """The ``src`` of each ``<img>`` of a body, in order, once each."""
    found = (SRC_ATTR.search(tag) for tag in IMG_TAG.findall(body))
    return list(dict.fromkeys(m.group(1) or m.group(2) or "" for m in found if m))


def body_links(body: str) -> list[str]:
    """The ``href`` of each link of a body, once each."""
    return list(dict.fromkeys(m.group(2) or m.group(3) or "" for m in HREF.finditer(body)))


# --- The build's photos --------------------------------------------------------------------


@dataclass
class PhotoState(BuildState):
    """This build's photos: by static path, the ``Picture`` or the error; the files to publish."""

    pictures: dict[str, Picture] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)
    published: dict[str, str] = field(default_factory=dict)  # output path -> cache file
    path_by_url: dict[str, str] = field(default_factory=dict)
    encoded: int = 0


def prepare(generators) -> PhotoState:
    """Find every photo the build shows, encode those the cache lacks, say what to publish."""
    context = generators[0].context
    settings = generators[0].settings
    state = context.get(STATE_KEY)
    if isinstance(state, PhotoState):
        return state
    state = PhotoState()
    context[STATE_KEY] = state
    static_content = context.get("static_content", {})
    state.path_by_url = {static.url: path for path, static in static_content.items()}
    recipe = recipe_of(settings)
    cache = cache_folder(settings)
    wanted: dict[str, None] = {}
    covers = set()
    for use in uses_of(generators):
        path = static_path_of(use.src, posixpath.dirname(use.source_path), state.path_by_url)
        if path is None or not is_raster(path):
            continue
        exists = os.path.isfile(os.path.join(settings["PATH"], path))
        if path in static_content and exists and use.key != "link":
            wanted[path] = None
            if use.key == "image":
                covers.add(path)
        elif not exists and any(use.src.startswith(m) for m in MARKERS):
            state.missing.add(path)
    started = time.perf_counter()
    entries, to_encode = {}, []
    known, digests, encoder = read_digests(cache), {}, encoder_digest()
    for path in wanted:
        source = os.path.join(settings["PATH"], path)
        digest = file_digest(source, known)
        if digest is not None:
            stat = os.stat(source)
            digests[source] = [stat.st_size, stat.st_mtime_ns, digest]
        if digest is None:
            state.errors[path] = "fichier illisible"
            continue
        key = entry_key(digest, recipe, encoder)
        folder = entry_folder(cache, key)
        encoded = read_manifest(folder)
        if encoded is None:
            to_encode.append((path, (source, folder, key, recipe)))
        entries[path] = encoded
    results = map_in_processes(encode_entry, [item for _, item in to_encode], MIN_ITEMS)
    for (path, _), result in zip(to_encode, results, strict=True):
        if isinstance(result, Encoded):
            state.encoded += 1
            entries[path] = result
        else:
            state.errors[path] = result
            entries.pop(path, None)
    for path, encoded in entries.items():
        static = static_content[path]
        base = posixpath.splitext(static.url)[0]
        save_base = posixpath.splitext(static.save_as)[0]
        state.pictures[path] = picture_of(encoded, base)
        folder = entry_folder(cache, encoded.key)
        for variant in encoded.variants:
            state.published[output_name(save_base, encoded, variant)] = os.path.join(
                folder, variant.file
            )
        if path in covers:
            state.published[output_name(save_base, encoded, encoded.og)] = os.path.join(
                folder, encoded.og.file
            )
        if encoded.original:
            state.published[static.save_as] = os.path.join(folder, encoded.original.file)
    others = {name: value for name, value in known.items() if name not in digests}
    merged = {**{n: v for n, v in others.items() if os.path.exists(n)}, **digests}
    if merged != known:
        write_json(os.path.join(cache, DIGESTS_FILE), merged)
    write_stats(cache, state, len(wanted), time.perf_counter() - started)
    unpublish_originals(generators, set(state.pictures))
    return state


def uses_of(generators):
    """Every image reference of every article and page: body images, covers, guest photos."""
    for generator in generators:
        for content in all_contents(generator):
            source_path = content.relative_source_path
            for src in body_sources(compat.body(content)):
                yield Use(source_path, src, "body")
            for href in body_links(compat.body(content)):
                yield Use(source_path, href, "link")
            for key in MEDIA_KEYS:
                value = getattr(content, key, None) or content.metadata.get(key)
                if isinstance(value, str) and value and "://" not in value:
                    yield Use(source_path, value, key)


def unpublish_originals(generators, paths: set[str]) -> None:
    """Keep the originals of the encoded photos out of the output (the static generator would
    copy them): variants replace them, and a stripped copy when the settings ask for one."""
    for generator in generators:
        staticfiles = getattr(generator, "staticfiles", None)
        if isinstance(staticfiles, list):
            staticfiles[:] = [s for s in staticfiles if s.relative_source_path not in paths]


def write_stats(cache: str, state: PhotoState, photos: int, seconds: float) -> None:
    """What this build encoded, for ``make bench`` and the tests (a warm build encodes none)."""
    stats = {
        "photos": photos,
        "encoded": state.encoded,
        "from_cache": photos - state.encoded - len(state.errors),
        "failed": len(state.errors),
        "seconds": round(seconds, 3),
    }
    write_json(os.path.join(cache, STATS_FILE), stats)


# --- Errors --------------------------------------------------------------------------------


def body_line(source_path: str, src: str) -> int | None:
    """The line of the source file where an image reference is written."""
    needle = src
    for marker in MARKERS:
        if src.startswith(marker):
            needle = src[len(marker) :]
    try:
        with open(source_path, encoding="utf-8") as source:
            for number, line in enumerate(source, start=1):
                if needle in line:
                    return number
    except OSError:
        return None
    return None


def report_problems(generators, state: PhotoState) -> None:
    """One line per article and image that could not be published as variants."""
    if not state.errors and not state.missing:
        return
    problems = []
    for generator in generators:
        for content in all_contents(generator):
            source_dir = posixpath.dirname(content.relative_source_path)
            body = compat.body(content)
            uses = [(src, "body") for src in body_sources(body)]
            uses += [(href, "body") for href in body_links(body) if href not in dict(uses)]
            uses += [
                (value, key)
                for key in MEDIA_KEYS
                if isinstance(value := content.metadata.get(key), str) and value
            ]
            for src, key in uses:
                path = static_path_of(src, source_dir, state.path_by_url)
                if path in state.errors:
                    message = f"image « {src} » : {state.errors[path]}"
                elif path in state.missing and key == "body":
                    message = f"image « {src} » : fichier introuvable"
                else:
                    continue  # missing covers are reported by authoring
                line = (
                    body_line(content.source_path, src)
                    if key == "body"
                    else header_line(content.source_path, key)
                )
                hint = "l'image est publiée telle quelle" if path in state.errors else ""
                problems.append(ContentError(shown_path(content.source_path), line, message, hint))
    for problem in sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.message)):
        logger.error("%s", problem)


# --- Bodies --------------------------------------------------------------------------------


def plan_photos(generators) -> Plan | None:
    """The body transform of this build: each photo of a body as a ``<picture>``."""
    settings = generators[0].settings
    if not is_on(settings):
        return None
    state = prepare(generators)
    report_problems(generators, state)
    siteurl = settings.get("SITEURL", "")

    def job_of(content):
        source_dir = posixpath.dirname(content.relative_source_path)
        found = []
        for src in body_sources(compat.body(content)):
            path = static_path_of(src, source_dir, state.path_by_url)
            if path in state.pictures:
                found.append((src, state.pictures[path]))
            elif path in state.missing:
                found.append((src, f"{siteurl}/{path}"))  # as written, without Pelican's warning
        shown = dict(found)
        for href in body_links(compat.body(content)):
            path = static_path_of(href, source_dir, state.path_by_url)
            if href not in shown and path in state.pictures:
                found.append((href, state.pictures[path]))  # a link to the photo's file
        if not found:
            return pipeline.SKIP
        # The cover, or else the guest's portrait, comes first on the page (templates).
        above = any(getattr(content, key, None) or content.metadata.get(key) for key in MEDIA_KEYS)
        return (not above, tuple(found))

    rewrite = partial(rewrite_images, siteurl=siteurl, sizes=settings["PHOTOS_SIZES"])
    return Plan(
        "photos",
        TRANSFORM_PRIORITY,
        rewrite,
        job_of=job_of,
        inputs=(siteurl, settings["PHOTOS_SIZES"]),
    )


# --- Covers and guest photos ---------------------------------------------------------------


def dress_covers(generators) -> None:
    """Covers and guest photos get their ``Picture``, upright size and OpenGraph crop."""
    settings = generators[0].settings
    if not is_on(settings):
        return
    pipeline.outcome(generators)  # the photos are prepared by then
    state = prepare(generators)
    for generator in generators:
        for content in all_contents(generator):
            source_dir = posixpath.dirname(content.relative_source_path)
            for key, name in (("image", "cover_photo"), ("guest_photo", "guest_picture")):
                value = getattr(content, key, None)
                path = (
                    static_path_of(value, source_dir, state.path_by_url)
                    if isinstance(value, str) and value
                    else None
                )
                picture = state.pictures.get(path)
                setattr(content, name, picture)
                if picture is None:
                    continue
                setattr(content, key, picture.largest)
                setattr(content, f"{key}_width", picture.width)
                setattr(content, f"{key}_height", picture.height)
                if key == "image":
                    content.image_og = picture.og
                    content.image_og_width = picture.og_width
                    content.image_og_height = picture.og_height
                    content.metadata["image_og"] = picture.og


# --- Templates -----------------------------------------------------------------------------


def add_picture_global(generator) -> None:
    """``picture(photo, alt, sizes, eager, link, class_)`` in templates: the same HTML as in
    bodies, with the page's SITEURL."""
    from jinja2 import pass_context

    column = generator.settings.get("PHOTOS_SIZES", SETTINGS_DEFAULTS["PHOTOS_SIZES"])

    @pass_context
    def picture(context, photo, alt="", sizes=None, eager=False, link=True, class_=""):
        if not isinstance(photo, Picture):
            return ""
        sizes = sizes or column
        attributes = f'class="{class_}"' if class_ else ""
        return Markup(
            picture_html(photo, context.get("SITEURL", ""), alt, sizes, eager, attributes, link)
        )

    generator.env.globals["picture"] = picture


# --- Output --------------------------------------------------------------------------------


def publish(generators) -> None:
    """Copy this build's variants into the output (emptied, when Pelican empties it, before
    generators read); remove those an earlier build left that no page uses now: a warm build
    leaves what a cold one would."""
    settings = generators[0].settings
    if not is_on(settings):
        return
    state = prepare(generators)
    output = settings["OUTPUT_PATH"]
    for relative, cached in sorted(state.published.items()):
        target = os.path.join(output, relative)
        if os.path.exists(target) and os.path.getsize(target) == os.path.getsize(cached):
            continue  # the key in the name says the bytes are the same
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(cached, target)
    forget_unused(cache_folder(settings), output, set(state.published))


def forget_unused(cache: str, output: str, published: set[str]) -> None:
    """Remove from the output the variants of the last build that this one did not publish."""
    record = os.path.join(cache, PUBLISHED_FILE)
    key = os.path.realpath(output)
    try:
        with open(record, encoding="utf-8") as source:
            known = json.load(source)
    except (OSError, ValueError):
        known = {}
    for relative in set(known.get(key, ())) - published:
        path = os.path.join(output, relative)
        if os.path.isfile(path) and os.path.realpath(path).startswith(key + os.sep):
            os.remove(path)
    known = {folder: files for folder, files in known.items() if os.path.isdir(folder)}
    known[key] = sorted(published)
    write_json(record, known)


def quiet_pelican_on_missing_images(pelican) -> None:
    """Pelican's own line about a missing image names no article: ours replaces it."""
    compat.leave_missing_files_to(is_raster if is_on(pelican.settings) else None)


def register():
    signals.initialized.connect(SETTINGS.configure)
    signals.initialized.connect(quiet_pelican_on_missing_images)
    signals.generator_init.connect(add_picture_global)
    pipeline.register_transform(plan_photos)
    signals.all_generators_finalized.connect(dress_covers)
    signals.all_generators_finalized.connect(publish)
