"""The site's writer: Pelican's, with text feed titles, and warm builds that keep unchanged pages.

Feed titles. Pelican's feed writer passes each title through ``Markup(title).striptags()``,
treating it as HTML: a title like ``Le <b> du client`` loses words, and every no-break space of
French typography is collapsed into a plain space. In this project metadata is text (templates
autoescape it), so the title the feed library receives is replaced by the content's own title,
which the feed library escapes once for XML.

Unchanged pages. Most of a warm build is Jinja rendering every page again and writing it, even
with Pelican's content cache. With the cache on (``CACHE_CONTENT``), this writer records, for each
page and feed it writes, a fingerprint of its inputs and a digest of the bytes written
(``CACHE_PATH/site_writer.json``). On the next build (``LOAD_CONTENT_CACHE``), a page whose
fingerprint is the same and whose file is still there with the recorded bytes is neither rendered
nor written; Pelican's bookkeeping and the ``content_written`` signal go on as if it had been,
but Pelican's log line ``Writing "…"`` is left out for it (a debug line says it was kept). The
output folder must be kept for this (``DELETE_OUTPUT_DIRECTORY = False``); the files the writer
wrote before and no longer writes are then removed at the end of the build.

A page is kept when two things are as they were (``fingerprint.py``, ``usage.py``):

- its fingerprint: the settings, the code and templates (files of ``PLUGIN_PATHS``, the theme,
  the template folders), the installed versions, the static files' sizes and dates, the
  template, and the page's own values (what its local context holds that the shared context
  does not, whatever Pelican or a plugin named them), with the bodies of the content objects
  it is given of its own, alone or in a list (of a list cut into pages, those of the page
  written);
- its dependency record, taken while Jinja rendered it: the shared context's values it read by
  name (``tags``, ``glossary_items``, a plugin's index…) and the content objects it touched
  (read an attribute of, took from a list, passed to a function), each object by its metadata,
  attributes and summary. A title edit renders again the pages that showed that article, a
  data file the pages that read what a plugin made of it.

A body counts with the URLs of the files it links to. A feed counts its items (attributes,
summary, body). A plugin's bookkeeping in the context is declared as such
(``plugins.core.BuildState``) and left out. When any input cannot be fingerprinted, the page is
rendered. With ``SITE_WRITER_KEEP_CALLS`` (the live preview) the writer also keeps each call,
so that an edited body's pages can be written again alone (``render_again``).

Settings: ``SITE_WRITER_REUSE`` (default True; False always renders). Why hand-written: Pelican
has no incremental writer, and no plugin offers one (``pelican-incremental`` only filters what
to read and leaves links stale); the writer is where pages are rendered, so this is the place.
"""

from __future__ import annotations

import json
import logging
import os
import posixpath
import re
import sys
from dataclasses import dataclass, field
from importlib import metadata as package_metadata

import pelican as pelican_package
from pelican import signals
from pelican.contents import Content, Static
from pelican.paginator import Page
from pelican.utils import sanitised_join
from pelican.writers import FileOverwriteFailedError

from plugins.core import compat
from plugins.core.settings import PluginSettings

from .fingerprint import (
    Unfingerprintable,
    Walker,
    digest,
    digest_bytes,
    digest_text,
    files_digest,
    loader_folders,
)
from .usage import Usage, recording

logger = logging.getLogger(__name__)

SETTINGS_DEFAULTS = {
    "SITE_WRITER_REUSE": True,
    # Attributes that plugins derive from the body (or keep a copy of): they count as the body,
    # for the pages given the object, not in the catalog seen by every page. None of ours since
    # the body pipeline (plugins.core.pipeline) keeps its notes outside the content objects.
    "SITE_WRITER_BODY_ATTRIBUTES": (),
    # A live preview (``preview``) keeps each page's call and the content objects whose bodies
    # it shows, to write again only the pages of an edited body (``render_again``).
    "SITE_WRITER_KEEP_CALLS": False,
}
SETTINGS = PluginSettings("site_writer", SETTINGS_DEFAULTS)
RECORD_NAME = "site_writer.json"
RECORD_VERSION = 4
VERSIONED_PACKAGES = ("pelican", "jinja2", "markdown", "markupsafe", "feedgenerator")
# Lookup tables digested, sorted, with the catalog (Pelican orders ``staticfiles`` by what it
# happened to read this time).
CONTEXT_SKIPPED = frozenset(("generated_content", "static_content", "staticfiles"))
ABSENT = object()


def reuse_enabled(settings: dict) -> bool:
    """Whether this build records fingerprints (and reads them when the cache is loaded)."""
    options, _ = SETTINGS.resolve(settings)
    return bool(options["SITE_WRITER_REUSE"] and settings.get("CACHE_CONTENT"))


def record_path(settings: dict) -> str:
    return os.path.join(settings.get("CACHE_PATH", "cache"), RECORD_NAME)


def load_record(path: str) -> dict:
    """The previous build's record, empty when unusable: ``pages`` (``{output path:
    [fingerprint, digest, size, mtime]}``) and ``summaries`` (``{body and settings digest:
    summary digest}``)."""
    try:
        with open(path, encoding="utf-8") as source:
            record = json.load(source)
    except (OSError, ValueError):
        return {}
    if not isinstance(record, dict) or record.get("version") != RECORD_VERSION:
        return {}
    return record


def save_record(path: str, pages: dict[str, list[str]], summaries: dict[str, str]) -> None:
    """Write the record atomically, so that an interrupted build leaves the previous one."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    temporary = f"{path}.{os.getpid()}.tmp"
    record = {"version": RECORD_VERSION, "pages": pages, "summaries": summaries}
    with open(temporary, "w", encoding="utf-8") as out:
        json.dump(record, out, sort_keys=True)
    os.replace(temporary, path)


def file_digest(path: str) -> str | None:
    try:
        with open(path, "rb") as source:
            return digest_bytes(source.read())
    except OSError:
        return None


def file_stamp(path: str) -> list[int]:
    """Size and modification time of a file (empty when it is missing)."""
    try:
        info = os.stat(path)
    except OSError:
        return []
    return [info.st_size, info.st_mtime_ns]


def unchanged_file(path: str, entry: list) -> bool:
    """Whether a file still holds the bytes recorded in ``entry`` (``[fingerprint, digest,
    size, mtime]``): same size and date is enough, as for make and rsync; otherwise the bytes
    are read and compared by digest."""
    stamp = entry[2:4]
    if stamp and file_stamp(path) == stamp:
        return True
    return file_digest(path) == entry[1]


def identity(content: Content) -> str:
    """How a content object is named in fingerprints: its class and source file."""
    path = getattr(content, "relative_source_path", None) or content.get_relative_source_path()
    return f"{type(content).__name__}|{path}"


def own_values(shared: dict, given: dict) -> tuple[dict, list[str]]:
    """What a page is given besides the shared context: the values of its local context that are
    not the shared ones (new keys, or other values under a shared key), and the shared keys it
    lacks. Nothing is named: a value Pelican or a plugin adds to a page tomorrow is in it."""
    own = {key: value for key, value in given.items() if shared.get(key, ABSENT) is not value}
    return own, sorted(shared.keys() - given.keys())


def shown_objects(own: dict, shared_ids: frozenset[int], output_file: str | None) -> list:
    """The content objects whose bodies a page may show: those it is given of its own, alone or
    in a list. A list the shared context holds is the catalog's (a draft's ``all_articles``);
    a list cut into pages counts through the page written (``output_file``), not through its
    neighbours."""
    pages = [value for value in own.values() if isinstance(value, Page)]
    not_shown = shared_ids.union(id(page.paginator.object_list) for page in pages)
    shown = []
    for value in own.values():
        if isinstance(value, Content):
            shown.append(value)
        elif isinstance(value, Page):
            if value.save_as == output_file:
                shown.extend(item for item in value.object_list if isinstance(item, Content))
        elif isinstance(value, (list, tuple)) and id(value) not in not_shown:
            shown.extend(item for item in value if isinstance(item, Content))
    return shown


def versions() -> str:
    found = [sys.version]
    for name in VERSIONED_PACKAGES:
        try:
            found.append(f"{name}={package_metadata.version(name)}")
        except package_metadata.PackageNotFoundError:
            found.append(f"{name}=?")
    return "|".join(found)


def code_folders(settings: dict) -> list[str]:
    """Folders whose files shape every page: plugins, theme, templates. Data files are not among
    them: what a plugin makes of one reaches a page through the context or the content objects,
    which each page's dependency record covers (a glossary edit renders the glossary page and
    the articles that mention its terms, not the whole site)."""
    pelican_dir = os.path.dirname(pelican_package.__file__)
    # Our plugins are one package; PLUGIN_PATHS names the folder that holds it (the project),
    # which also holds the output and the cache: hashed as a folder, it would change every build.
    plugins_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    project_dir = os.path.dirname(plugins_dir)
    return [
        plugins_dir,
        *(
            path
            for path in settings.get("PLUGIN_PATHS", ())
            if os.path.abspath(path) != project_dir
        ),
        settings.get("THEME", ""),
        *settings.get("THEME_TEMPLATES_OVERRIDES", ()),
        os.path.join(pelican_dir, "themes", "simple"),
    ]


@dataclass
class BuildInputs:
    """What every page of a build depends on, computed once when the first page is written.

    Digests of big context and page values are kept by object (``Walker``): Pelican passes the
    same lists to many pages, and copies of the context share their values.
    """

    shared: str  # settings, code, versions, static files
    bodies: dict[int, str]  # id(content) -> digest of its body (and of its links' targets)
    folders: tuple[str, ...]  # the folders whose files were hashed (real paths)
    body_attributes: tuple[str, ...] = ()
    names: dict[int, str] = field(default_factory=dict)  # id(content) -> identity
    contexts: dict[int, tuple] = field(default_factory=dict)  # id(context) -> (it, SharedContext)
    templates: dict[int, str] = field(default_factory=dict)  # id(environment) -> "" if covered
    walker: Walker = None  # type: ignore[assignment]
    # For the digests of content objects and context values a page used (its dependencies).
    settings: dict = field(default_factory=dict)
    settings_digest: str = ""
    skipped: frozenset = frozenset()
    by_name: dict[str, Content] = field(default_factory=dict)  # identity -> content object
    urls: dict[str, str] = field(default_factory=dict)  # source path -> URL (links' targets)
    summaries: dict[str, str] = field(default_factory=dict)  # the previous build's
    summaries_used: dict[str, str] = field(default_factory=dict)
    entries: dict[int, str] = field(default_factory=dict)  # id(content) -> entry digest
    values: dict[tuple[int, str], str] = field(default_factory=dict)  # (context, name) -> digest

    def __post_init__(self):
        self.walker = Walker(self.name)

    def name(self, content: Content) -> str:
        """The identity of a content object (memoized: Pelican computes it with relpath)."""
        found = self.names.get(id(content))
        if found is None:
            found = self.names[id(content)] = identity(content)
        return found

    def body(self, content: Content) -> str:
        found = self.bodies.get(id(content))
        if found is None:
            found = self.bodies[id(content)] = body_digest(content, self.body_attributes, self.urls)
        return found

    def entry(self, content: Content) -> str:
        """Digest of what other pages may show of a content object (attributes, summary)."""
        found = self.entries.get(id(content))
        if found is None:
            key = f"{self.body(content)}|{self.settings_digest}"
            summary = summary_digest(content, key, self.summaries, self.summaries_used)
            tokens = {id(self.settings): "settings"}
            entry = catalog_entry(content, self.skipped, summary)
            found = self.entries[id(content)] = self.walker.digest(entry, tokens)
        return found

    def value(self, context: dict, name: str, value) -> str:
        """Digest of a context value a page read by name."""
        key = (id(context), name)
        found = self.values.get(key)
        if found is None:
            if name in CONTEXT_SKIPPED:  # lookup tables: their paths, sorted
                value = sorted(value) if isinstance(value, dict) else value
            tokens = {id(self.settings): "settings", id(context): "context"}
            found = self.values[key] = self.value_digest(value, tokens)
        return found

    def value_digest(self, value, tokens) -> str:
        """Digest of one value, contents named by identity (big containers memoized)."""
        return self.walker.digest(value, tokens)


# Pelican's links to other files in a body: ``{filename}path``, ``{static}path``, ``{attach}``.
LINK_TARGET = re.compile(r"""[{|](?:filename|static|attach)[}|]([^"'#?\s>]+)""")


def link_targets(content: Content, body: str, urls: dict[str, str]) -> list[str]:
    """The URLs of the files a body links to, as this build names them (a page showing the body
    changes when one moves or goes)."""
    found = []
    folder = posixpath.dirname(getattr(content, "relative_source_path", "") or "")
    for target in LINK_TARGET.findall(body):
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        path = posixpath.normpath(path)
        found.append(f"{path}={urls.get(path, '')}")
    return found


def body_digest(content: Content, body_attributes: tuple[str, ...], urls=None) -> str:
    """Digest of a content object's body, of its links' targets and of the attributes that stand
    for it."""
    parts = [compat.body(content)]
    if urls is not None and ("{" in parts[0] or "|" in parts[0]):
        parts.extend(link_targets(content, parts[0], urls))
    for name in body_attributes:
        value = getattr(content, name, None)
        parts.append(f"s{value}" if isinstance(value, str) else f"r{value!r}")
    return digest_text("\x00".join(parts))


def catalog_entry(content: Content, skipped: frozenset, summary: str | None) -> dict:
    """What other pages may show of a content object: its attributes and summary, not its body."""
    entry = {k: v for k, v in compat.content_fields(content).items() if k not in skipped}
    entry["summary"] = summary
    return entry


def summary_digest(content: Content, key: str, known: dict[str, str], used: dict[str, str]):
    """Digest of a content's summary. A summary cut from the body is the same as long as the body
    and the settings are: its digest is kept from build to build under ``key``, since cutting
    thousands of bodies again would cost a warm build more than rendering what changed."""
    if isinstance(content, Static):
        return None
    if "summary" in content.metadata:
        return digest_text(str(content.metadata["summary"]))
    found = used[key] = known.get(key) or digest_text(content.summary)
    return found


def build_inputs(settings: dict, context: dict, summaries: dict, used: dict) -> BuildInputs:
    """The shared part of every fingerprint of this build (raises Unfingerprintable).

    ``summaries`` are the previous build's summary digests; the ones this build needs are
    added to ``used``.
    """
    # A file Pelican failed to read is in ``generated_content`` as None: its path still counts
    # (a link to it is reported), it has no body.
    contents = sorted(context.get("generated_content", {}).items())
    failed = [path for path, content in contents if content is None]
    contents = [(path, content) for path, content in contents if content is not None]
    statics = sorted(context.get("static_content", {}).items())
    stats = []
    for path, static in statics:
        try:
            info = os.stat(static.source_path)
            stats.append((path, info.st_size, info.st_mtime_ns))
        except OSError:
            stats.append((path, None, None))
    body_attributes = tuple(SETTINGS.resolve(settings)[0]["SITE_WRITER_BODY_ATTRIBUTES"])
    skipped = frozenset(("settings", *body_attributes))
    settings_digest = digest(settings, identity)
    folders = tuple(sorted({os.path.realpath(f) for f in code_folders(settings) if f}))
    urls = {
        path: getattr(content, "url", "") or ""
        for path, content in (*contents, *statics)
        if content is not None
    }
    inputs = BuildInputs(
        "",
        {},
        folders,
        body_attributes=body_attributes,
        settings=settings,
        settings_digest=settings_digest,
        skipped=skipped,
        urls=urls,
        summaries=summaries,
        summaries_used=used,
    )
    inputs.by_name = {inputs.name(content): content for _, content in contents}
    parts = (
        versions(),
        files_digest(folders),
        settings_digest,
        digest(stats, identity),
        digest(failed, identity),
    )
    inputs.shared = digest_text("|".join(parts))
    return inputs


def template_identity(inputs: BuildInputs, template) -> str:
    """A template's name and file, once its folders are known to be among the hashed ones."""
    if template is None:
        return "feed"
    environment = id(template.environment)
    if environment not in inputs.templates:
        folders = [os.path.realpath(f) for f in loader_folders(template.environment.loader)]
        covered = all(
            any(f == root or f.startswith(root + os.sep) for root in inputs.folders)
            for f in folders
        )
        inputs.templates[environment] = "" if covered else ", ".join(folders)
    if inputs.templates[environment]:
        raise Unfingerprintable(
            f"templates outside hashed folders: {inputs.templates[environment]}"
        )
    return f"{template.name}|{template.filename}"


@dataclass(frozen=True)
class SharedContext:
    """A context as the first page written with it found it: what its pages share."""

    values: dict  # a copy: pages are compared with it, whatever the context becomes
    ids: frozenset[int]  # of its values


def shared_context(inputs: BuildInputs, settings: dict, context: dict) -> SharedContext:
    """The ``SharedContext`` of a context, made once per build."""
    known = inputs.contexts.get(id(context))
    if known is not None and known[0] is context:
        return known[1]
    values = dict(context)
    shared = SharedContext(values, frozenset(map(id, values.values())))
    inputs.contexts[id(context)] = (context, shared)
    return shared


class KeptOrRendered:
    """The template Pelican's writer is handed: renders only when the page it would write has
    changed, and otherwise tells the writer to keep the file."""

    def __init__(self, writer: SiteWriter, template, context: dict, call: str | None = None):
        self.writer, self.template, self.context = writer, template, context
        self.call = call  # the name of the write_file call, when calls are kept

    def render(self, localcontext: dict) -> str:
        writer = self.writer
        save_as = localcontext["output_file"]
        if writer.only is not None:  # writing again the pages of an edited body
            if save_as not in writer.only:
                writer.kept.add(sanitised_join(writer.output_path, save_as))
                return ""
            writer.produced.add(save_as)  # its record stays: the same names, other values
            return self.template.render(localcontext)
        if self.call is not None:
            writer.call_of[save_as] = self.call
        fingerprint = writer.fingerprint(
            self.template, self.context, localcontext, record_as=save_as
        )
        if writer.keep(save_as, fingerprint, self.context):
            return ""
        with recording(self.template.environment) as usage:
            output = self.template.render(localcontext)
        uses = writer.dependencies(self.context, localcontext, usage) if fingerprint else None
        writer.rendered(
            save_as, fingerprint if uses is not None else None, digest_text(output), uses
        )
        return output


def feed_listeners_may_differ(context) -> bool:
    """Whether a plugin listens to feeds in a way that could change a feed the fingerprint does
    not see. A receiver marked ``pure_feed_rewrite`` rewrites the feed from it and the context
    only (``plugins.feeds``), which the fingerprint covers: a kept feed is still right."""
    return any(
        not getattr(receiver, "pure_feed_rewrite", False)
        for signal in (signals.feed_generated, signals.feed_written)
        for receiver in signal.receivers_for(context)
    )


class SiteWriter(compat.HookedWriter):
    """Pelican's writer with text feed titles, keeping unchanged pages on warm builds."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.reuse = reuse_enabled(self.settings)
        load = self.reuse and self.settings.get("LOAD_CONTENT_CACHE")
        record = load_record(record_path(self.settings)) if load else {}
        self.previous: dict[str, list[str]] = record.get("pages", {})
        self.summaries: dict[str, str] = record.get("summaries", {})
        self.summaries_used: dict[str, str] = {}
        self.current: dict[str, list[str]] = {}
        self.produced: set[str] = set()
        self.kept: set[str] = set()  # absolute paths kept by the write under way
        self.inputs: BuildInputs | bool | None = None
        # Kept for a live preview (SITE_WRITER_KEEP_CALLS): each call by name, the call of each
        # file, the identities of the objects whose bodies each file shows (None: unknown).
        options, _ = SETTINGS.resolve(self.settings)
        self.keep_calls = self.reuse and bool(options["SITE_WRITER_KEEP_CALLS"])
        self.calls: dict[str, tuple] = {}
        self.call_of: dict[str, str] = {}
        self.shown: dict[str, frozenset[str] | None] = {}
        self.only: set[str] | None = None  # while writing again: the files to render
        self.items_of: list = []  # the objects whose bodies the page being fingerprinted shows
        if self.reuse:
            # Held weakly: disconnected with this writer, at the end of its build.
            signals.finalized.connect(self.finish)

    # Feed titles ------------------------------------------------------------------------------

    def feed_item_added(self, feed, item):
        feed.items[-1]["title"] = item.title

    # Keeping unchanged pages ------------------------------------------------------------------

    def write_file(self, name, template, context, *args, **kwargs):
        if not (self.reuse and name):
            return super().write_file(name, template, context, *args, **kwargs)
        call = None
        if self.keep_calls and self.only is None:
            call = f"file|{name}"
            self.calls[call] = ("file", (name, template, context, *args), kwargs)
        stand_in = KeptOrRendered(self, template, context, call)
        with compat.writing_line_hidden(self.kept):
            try:
                return super().write_file(name, stand_in, context, *args, **kwargs)
            finally:
                self.kept.clear()

    def write_feed(self, elements, context, path=None, url=None, feed_type="atom",
                   override_output=False, feed_title=None):  # fmt: skip
        if not (self.reuse and path) or feed_listeners_may_differ(context):
            return super().write_feed(
                elements, context, path, url, feed_type, override_output, feed_title
            )
        items = elements[: self.settings.get("FEED_MAX_ITEMS")]
        complete_path = sanitised_join(self.output_path, path)
        if self.only is not None:  # writing again the pages of an edited body
            if path not in self.only:
                return None
            return super().write_feed(
                elements, context, path, url, feed_type, override_output, feed_title
            )
        if self.keep_calls:
            name = f"feed|{path}"
            arguments = (elements, context, path, url, feed_type, override_output, feed_title)
            self.calls[name] = ("feed", arguments, {})
            self.call_of[path] = name
        call = ("feed", path, url, feed_type, override_output, feed_title)
        fingerprint = self.fingerprint(
            None, context, context, [call, list(items)], items, record_as=path
        )
        if self.keep(path, fingerprint, context):
            self.open_output(complete_path, "utf-8", override_output).close()
            self.kept.discard(complete_path)
            return None
        feed = super().write_feed(
            elements, context, path, url, feed_type, override_output, feed_title
        )
        self.rendered(path, fingerprint, file_digest(complete_path), {})
        return feed

    def open_output(self, filename, encoding, override):
        """Pelican's open, but a kept file is left as it is, and a second page for one file is
        an error, not the end of the build.

        ``output_paths`` names the sources of colliding articles and pages beforehand; this
        catches the rest (a page whose slug is ``interviews``, ``glossaire``, ``series``…), so
        a dev build goes on and a strict build fails at the end.
        """
        if filename in self.kept:
            self.count_as_written(filename, override)
            logger.debug('site_writer: "%s" gardé tel quel', filename)
            return open(os.devnull, "w", encoding=encoding)
        try:
            return super().open_output(filename, encoding, override)
        except FileOverwriteFailedError:
            shown = os.path.relpath(filename, self.output_path)
            logger.error(
                "%s : deux pages écrites dans ce même fichier ; la seconde est ignorée "
                "(changez le Slug de la page ou de l'article en cause)",
                shown,
            )
            return open(os.devnull, "w", encoding=encoding)

    def fingerprint(self, template, context: dict, given: dict, extra=(), items=None,
                    record_as: str | None = None):  # fmt: skip
        """The fingerprint of a page or feed (a ``str``), None when some input cannot be
        fingerprinted.

        ``given`` is what the template renders (a page's local context; the context itself for
        a feed), ``extra`` what else shapes the output; the bodies that count are those of
        ``items`` (a feed's), or of the objects the page is given of its own. When calls are
        kept, their identities are recorded for the file ``record_as``.
        """
        if self.keep_calls and record_as:
            self.shown[record_as] = None  # until known
        inputs = self.build_inputs(context)
        if not inputs:
            return None
        try:
            tokens = {id(self.settings): "settings", id(context): "context"}
            shared = shared_context(inputs, self.settings, context)
            own, lacking = own_values(shared.values, given)
            if items is None:
                items = shown_objects(own, shared.ids, given.get("output_file"))
            if self.keep_calls and record_as:
                self.shown[record_as] = frozenset(inputs.name(content) for content in items)
            parts = [
                template_identity(inputs, template),
                inputs.value_digest([own, lacking, *extra], tokens),
                *(f"{inputs.name(content)}|{inputs.body(content)}" for content in items),
            ]
            if template is None:  # a feed shows its items' attributes; it renders no template
                parts.extend(inputs.entry(content) for content in items)
            else:  # a page: what it read of its items is among its dependencies
                self.items_of = items
        except Unfingerprintable as exc:
            logger.debug("site_writer: rendering, cannot fingerprint %s", exc)
            return None
        return digest_text("|".join((inputs.shared, *parts)))

    def dependencies(self, context: dict, given: dict, usage: Usage) -> dict | None:
        """What a page used while rendering, with digests: the shared context's values it read
        by name, the content objects it touched or was given (their attributes and summary)."""
        inputs = self.build_inputs(context)
        if not inputs:
            return None
        try:
            shared = shared_context(inputs, self.settings, context)
            own, _ = own_values(shared.values, given)
            names = {}
            for name in sorted(usage.names):
                value = shared.values.get(name, ABSENT)
                if name in own or value is ABSENT:
                    continue  # the page's own values are in its fingerprint; the rest is code
                if name in self.settings and self.settings[name] is value:
                    continue  # the settings are in every fingerprint
                names[name] = inputs.value(context, name, value)
            contents = {*usage.contents.values(), *self.items_of}
            used = {inputs.name(content): inputs.entry(content) for content in contents}
        except Unfingerprintable as exc:
            logger.debug("site_writer: rendering, cannot record what a page used: %s", exc)
            return None
        return {"names": names, "contents": used}

    def unchanged_dependencies(self, context: dict, uses: dict) -> bool:
        """Whether what a page used when it was rendered is the same in this build."""
        inputs = self.build_inputs(context)
        if not inputs or not isinstance(uses, dict):
            return False
        try:
            shared = shared_context(inputs, self.settings, context)
            for name, recorded in uses.get("names", {}).items():
                value = shared.values.get(name, ABSENT)
                if value is ABSENT or inputs.value(context, name, value) != recorded:
                    return False
            for name, recorded in uses.get("contents", {}).items():
                content = inputs.by_name.get(name)
                if content is None or inputs.entry(content) != recorded:
                    return False
        except Unfingerprintable:
            return False
        return True

    def build_inputs(self, context: dict) -> BuildInputs | None:
        if self.inputs is None:
            try:
                self.inputs = build_inputs(
                    self.settings, context, self.summaries, self.summaries_used
                )
            except Unfingerprintable as exc:
                logger.info("site_writer: every page rendered (cannot fingerprint %s)", exc)
                self.inputs = False
        return self.inputs or None

    def keep(self, save_as: str, fingerprint: str | None, context: dict) -> bool:
        """Whether the file is kept as it is: same fingerprint, same dependencies, same bytes as
        recorded, and not written already by this build (Pelican then decides which page
        wins)."""
        self.produced.add(save_as)
        previous = self.previous.get(save_as)
        if fingerprint is None or not previous or previous[0] != fingerprint:
            return False
        path = sanitised_join(self.output_path, save_as)
        if self.already_written(path) or not unchanged_file(path, previous):
            return False
        if not self.unchanged_dependencies(context, previous[4] if len(previous) > 4 else None):
            return False
        self.kept.add(path)
        self.current[save_as] = previous
        return True

    def rendered(self, save_as: str, fingerprint: str | None, written: str | None,
                 uses: dict | None = None) -> None:  # fmt: skip
        self.produced.add(save_as)
        if fingerprint and written and uses is not None:
            self.current[save_as] = [fingerprint, written, None, None, uses]
        else:
            self.current.pop(save_as, None)

    def finish(self, pelican) -> None:
        """Remove the files this writer no longer produces; record this build's pages."""
        if pelican.settings is not self.settings:
            return  # another build's end
        if not self.settings.get("DELETE_OUTPUT_DIRECTORY"):
            for save_as in sorted(set(self.previous) - self.produced):
                remove_stale(self.output_path, save_as, self.previous[save_as][1])
        for save_as, entry in self.current.items():
            if entry[2] is None:  # written by this build: its size and date, for the next one
                entry[2:4] = file_stamp(sanitised_join(self.output_path, save_as)) or [None, None]
        kept = sum(1 for p, entry in self.current.items() if self.previous.get(p) == entry)
        rendered = len(self.produced) - kept
        logger.info("site_writer: %d fichier(s) gardé(s), %d rendu(s)", kept, rendered)
        save_record(record_path(self.settings), self.current, self.summaries_used)
        if self.keep_calls:
            pelican.site_writer = self  # where a live preview finds the calls of this build

    # Writing again the pages of an edited body (live preview) ---------------------------------

    def showing(self, content: Content) -> set[str] | None:
        """The files that show the body of ``content`` (None when some file's are unknown)."""
        if not self.keep_calls or any(names is None for names in self.shown.values()):
            return None
        name = identity(content)
        return {path for path, names in self.shown.items() if name in names}

    def touching(self, content: Content) -> set[str] | None:
        """The pages whose dependency record names ``content`` (they show its title, summary…);
        None when some page of this build has no record."""
        if not self.keep_calls:
            return None
        name, pages = identity(content), set()
        for path in self.produced:
            entry = self.current.get(path)
            if entry is None or len(entry) < 5 or not isinstance(entry[4], dict):
                return None
            if name in entry[4].get("contents", {}):
                pages.add(path)
        return pages

    def environments_of(self, files: set[str]) -> list:
        """The Jinja environments of the templates that wrote these files."""
        found = {}
        for path in files:
            kind, arguments, _ = self.calls[self.call_of[path]]
            template = arguments[1] if kind == "file" else None
            if template is not None:
                found[id(template.environment)] = template.environment
        return list(found.values())

    def render_again(self, files: set[str]) -> None:
        """Write these files again, as this build's calls wrote them (every other file of those
        calls left as it is), without telling the receivers of ``content_written``: a live
        preview shows an edited body at once, the next build brings the rest along."""
        calls = {self.call_of[path] for path in files}
        self.only = set(files)
        compat.forget_written(self)
        try:
            with signals.content_written.muted():
                for name in sorted(calls):
                    kind, arguments, keywords = self.calls[name]
                    method = self.write_feed if kind == "feed" else self.write_file
                    method(*arguments, **keywords)
        finally:
            self.only = None
            self.kept.clear()


def remove_stale(output_path: str, save_as: str, recorded: str) -> None:
    """Delete a file the writer wrote in an earlier build, if nobody has changed it since."""
    path = sanitised_join(output_path, save_as)
    if file_digest(path) != recorded:
        return
    os.remove(path)
    folder = os.path.dirname(path)
    root = os.path.realpath(output_path)
    while os.path.realpath(folder) != root and not os.listdir(folder):
        os.rmdir(folder)
        folder = os.path.dirname(folder)


def provide_writer(pelican):
    return SiteWriter


def register():
    signals.get_writer.connect(provide_writer)
