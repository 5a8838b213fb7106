"""Search: a Pagefind index of the articles, fed while the site is written, and /recherche/.

What it adds:

- The page ``/recherche/`` (template ``search.html``; settings ``SEARCH_URL``, ``SEARCH_SAVE_AS``)
  where the Pagefind UI, in French, searches titles and bodies of articles and filters them by
  category, series and format (interview or not). It reads ``?q=``, so the header's plain GET
  form (``partials/search_box.html``) leads to the results, and search engines can link to it.
- On every build (``pelican -s publishconf.py``, ``make build`` and the dev server alike), the
  Pagefind index in ``pagefind/`` of the output. Only pages marked ``data-pagefind-body`` (the
  article element) are indexed, so pages like "À propos" are not.
- Template variables: the settings ``SEARCH_URL``, ``SEARCH_BUNDLE_DIR`` and ``SEARCH_BUNDLES``
  (the index's folders in the output, set here).

Settings (defaults in ``SETTINGS_DEFAULTS``): ``SEARCH_ENABLED`` (False starts no Pagefind, for
fast test builds; the page is still written), ``SEARCH_URL``, ``SEARCH_SAVE_AS``,
``SEARCH_BUNDLE_DIR`` (where the index goes in the output), ``SEARCH_EXCLUDE_SELECTORS``
(parts of an article that are not its text: meta line, series navigation, guest card),
``SEARCH_TIMEOUT`` (seconds Pagefind may still take once the last page is written),
``SEARCH_PARTITIONS`` (1 to 8 parts of the index, below).

Parts. Pagefind cannot update an index: after one edit it indexes every article again (about 8 s
of its time for 3,000 articles). With ``SEARCH_PARTITIONS = n`` (``pelicanconf.py``: 2, for
previews), each article goes to one of ``n`` indexes, ``pagefind/1/`` to ``pagefind/n/``, chosen
by a digest of its path (the same in every build, and even: the ranking of each part follows the
whole site's). One indexing process and one Pagefind serve every part (Pagefind takes one
request at a time: the parts share the second core, as one index did); an edit makes only the
edited article's part be indexed again. The search page starts Pagefind's UI on the first part
and merges the others (``mergeIndex``, Pagefind's multisite search), skipping a part without any
article (a small site may have one, which Pagefind refuses to load). It costs readers one more
download per part on their first search, which is why the public site keeps one index
(``publishconf.py``).

Streaming. Pagefind's command line reads a finished site: run at ``finalized``, it read every
page back and indexed them while nothing else happened (about 10 s of a 3,000-article build, on
one core of two; 12 s again after editing one article). Pagefind's Python API
(``pagefind.index``) runs the binary as a service that takes one page at a time
(``add_html_file``, the URL computed from the page's path as the command line does), so the
pages can be indexed while Pelican writes the next ones:

- When the build starts (``get_generators``) it gets a ``SearchIndex``
  (``pelican.search_index``). Every page Pelican writes (``content_written``; also sent for the
  pages ``site_writer`` keeps without rendering, whose file is then the kept one) is named, in
  one short line on a pipe, to the indexing process (``pagefind_feed.py``), started with the
  first page (with the build when the output is kept): it reads each article or page back
  (listings never carry the marker), splits its elisions in memory and sends the searchable
  ones to Pagefind, and once the articles are done it writes the bundle while Pelican writes
  its listings. At ``finalized`` the plugin waits for the rest (the bundle again if a
  searchable page came late) and the process stops Pagefind.
- Why a process and not a thread: the Python side of feeding Pagefind (reading, digests,
  elisions, encoding the requests: about 2 s of CPU for 3,000 articles) would share the build's
  GIL; measured, a thread waiting for the GIL behind the rendering main thread got so little
  of it that most pages were still queued at ``finalized``. Run apart, it and Pagefind use the
  second core and the main thread only writes to a pipe (whose reader never holds it back).
- ``CACHE_PATH/search-index.json`` keeps a digest and the content file of each page of the
  build that wrote the bundle: a build where no searchable page changed keeps the bundle
  without starting Pagefind; after an edit, the process starts with the build
  (``get_generators``, before reading) and sends Pagefind the pages of the unchanged content
  files from the kept output, so the index is nearly made when Pelican writes the edited page
  (see ``pagefind_feed.py``). Only pages written by this build are indexed (the command line
  also read stale pages left in a kept output).
- Pagefind's service answers ``WriteFiles`` before its writes reach the disk and exits at once
  when its input closes (a bundle whose ``pagefind-entry.json`` was empty was seen): the
  process asks for the files (``get_files``) and writes them itself, beside the old bundle,
  then renames. The bundle's files are those of the command line; their order in the index is
  the order pages were written in, so some index file names differ.

French elisions: Pagefind splits words on the straight apostrophe (``d'entreprise`` is indexed
as ``entreprise`` too) but not on the typographic one the site prints, so ``l’entreprise``
would be one word that a search for "entreprise" never finds. Pagefind is therefore sent each
page with its apostrophes between two letters straight (``split_elisions``; the published page
keeps its typographic ones); the search page turns typed apostrophes straight
(``processTerm``) and shows excerpts with typographic ones again.

Errors. A Pagefind failure (binary missing, service exiting, refusing a page, not done within
``SEARCH_TIMEOUT`` after the last page) is logged once, at ``finalized``, as one error naming
the cause, so strict builds fail; never a traceback. The indexing process stops Pagefind when
its input closes before the build's "end": when ``SearchIndex``'s finalizer closes it
(``weakref.finalize``: a build that raised is dropped, or Python exits), or when the build's
process dies; on a timeout its process group, Pagefind included, is killed.

Why hand-written: Pagefind does the search and the indexing; no maintained Pelican plugin runs
it (pelican-search drives Stork, which is archived), none streams pages to it, and none knows
about French elisions: this is the glue.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
import weakref
from collections.abc import Mapping
from pathlib import Path
from signal import SIGKILL

from pelican import signals
from pelican.contents import Content
from pelican.generators import Generator

from plugins.core import apply_defaults, plugin_enabled

from .pagefind_feed import SearchIndexError, last_line, record_key

logger = logging.getLogger(__name__)

PLUGIN_NAME = "search"
TEMPLATE = "search"
SETTINGS_DEFAULTS = {
    "SEARCH_ENABLED": True,
    "SEARCH_URL": "recherche/",
    "SEARCH_SAVE_AS": "recherche/index.html",
    "SEARCH_BUNDLE_DIR": "pagefind",
    "SEARCH_EXCLUDE_SELECTORS": (".article-meta", ".series-nav", ".guest-card"),
    "SEARCH_TIMEOUT": 120,
    "SEARCH_PARTITIONS": 1,
}
SETTING_TYPES = {
    "SEARCH_ENABLED": bool,
    "SEARCH_URL": str,
    "SEARCH_SAVE_AS": str,
    "SEARCH_BUNDLE_DIR": str,
    "SEARCH_EXCLUDE_SELECTORS": (list, tuple),
    "SEARCH_TIMEOUT": (int, float),
    "SEARCH_PARTITIONS": int,
}
RECORD_NAME = "search-index.json"
FEED_SCRIPT = Path(__file__).with_name("pagefind_feed.py")
# Seconds the indexing process is given to end once its input is closed.
STOP_WAIT = 5
# Bytes of the pipe to the indexing process: a line per page written while it is busy.
PIPE_SIZE = 1 << 20
# The most parts an index may be split into (a reader's first search downloads one Pagefind per
# part).
MAX_PARTS = 8


# --- Pure functions -------------------------------------------------------------------------


def settings_problems(settings: Mapping) -> list[tuple[str, str]]:
    """``(name, message)`` for every search setting of the wrong type."""
    problems = []
    for name, expected in SETTING_TYPES.items():
        value = settings.get(name, SETTINGS_DEFAULTS[name])
        wrong = not isinstance(value, expected) or (
            expected is not bool and isinstance(value, bool)
        )
        if wrong:
            problems.append((name, f"{name} = {value!r} n'est pas utilisable"))
    parts = settings.get("SEARCH_PARTITIONS", 1)
    if isinstance(parts, int) and not isinstance(parts, bool) and not 1 <= parts <= MAX_PARTS:
        problems.append(
            ("SEARCH_PARTITIONS", f"SEARCH_PARTITIONS = {parts} : entre 1 et {MAX_PARTS}")
        )
    return problems


def bundle_dirs(settings: Mapping) -> list[str]:
    """The output folders of the index: ``SEARCH_BUNDLE_DIR``, or one below it per part."""
    base, parts = settings["SEARCH_BUNDLE_DIR"], settings["SEARCH_PARTITIONS"]
    return [base] if parts == 1 else [f"{base}/{number}" for number in range(1, parts + 1)]


def index_config(settings: Mapping) -> dict:
    """Pagefind's options for this site (``IndexConfig``): what the command line was given."""
    return {"exclude_selectors": list(settings["SEARCH_EXCLUDE_SELECTORS"])}


def feed_config(settings: Mapping, output: str, started: int) -> dict:
    """What the indexing process needs to know of this build (begun at ``started``, ns)."""
    config = index_config(settings)
    count = settings["SEARCH_PARTITIONS"]
    cache = os.path.abspath(settings["CACHE_PATH"])
    parts = []
    for number, bundle in enumerate(bundle_dirs(settings), start=1):
        record = RECORD_NAME if count == 1 else f"search-index-{number}-of-{count}.json"
        parts.append(
            {
                "bundle": os.path.join(output, bundle),
                "record": os.path.join(cache, record),
                "key": record_key(output, {**config, "part": [number, count]}),
            }
        )
    return {
        "output": output,
        "content": os.path.abspath(settings["PATH"]),
        # A kept output holds the last build's pages, which can be sent to Pagefind ahead.
        "speculate": not settings.get("DELETE_OUTPUT_DIRECTORY"),
        "started": started,
        "config": config,
        "parts": parts,
    }


def shown_content(context: Mapping | None) -> Content | None:
    """The article or page a written page shows: only those carry the marker (listings never
    do), so only those are read back."""
    for key in ("article", "page"):
        if isinstance(found := (context or {}).get(key), Content):
            return found
    return None


def source_name(content: Content | None, root: str) -> str | None:
    """The content file of a page, relative to the content folder (``PATH``)."""
    source = getattr(content, "source_path", None)
    if not source:
        return None
    return Path(os.path.relpath(source, root)).as_posix()


def stop_feed(holder: dict) -> None:
    """End a build's indexing process: its input closed, it stops Pagefind and exits; killed,
    with Pagefind (its process group), if it does not (``SearchIndex``'s finalizer)."""
    process = holder.pop("process", None)
    if "errors" in holder:
        holder.pop("errors").close()  # the process keeps its own descriptor
    if process is None:
        return
    with contextlib.suppress(OSError):  # a broken pipe: the process has ended
        process.stdin.close()
    try:
        process.wait(STOP_WAIT)
    except subprocess.TimeoutExpired:
        kill_feed(process)
        process.wait()
    process.stdout.close()


def kill_feed(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):  # the group has ended
        os.killpg(process.pid, SIGKILL)


class SearchIndex:
    """One build's search index: the written pages' paths go to the indexing process.

    The process is started with the build when the output is kept (it may send the last
    build's pages ahead), else with the first written page. Its finalizer holds it, not this
    object, so that dropping a build that raised ends it (so does the end of the Python process:
    the indexing process stops when its input closes).
    """

    def __init__(self, settings: Mapping, output_path: str):
        self.settings = settings
        self.output = os.path.abspath(output_path)
        self.content = os.path.abspath(settings["PATH"])
        self.started = time.time_ns()
        self.holder: dict = {}
        self.broken = False  # the process stopped reading: finish says why
        self.close = weakref.finalize(self, stop_feed, self.holder)
        signals.content_written.connect(self.page_written)
        if not settings.get("DELETE_OUTPUT_DIRECTORY"):
            self.process()

    def process(self) -> subprocess.Popen:
        process = self.holder.get("process")
        if process is None:
            config = json.dumps(feed_config(self.settings, self.output, self.started))
            # Closed by stop_feed; read if the process fails.
            errors = self.holder["errors"] = tempfile.TemporaryFile()  # noqa: SIM115
            process = self.holder["process"] = subprocess.Popen(
                [sys.executable, str(FEED_SCRIPT), config],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
                bufsize=0,  # each line goes at once
                start_new_session=True,  # its own process group, with Pagefind: killed together
            )
            with contextlib.suppress(OSError, AttributeError):  # Linux: room for 16,000 lines
                fcntl.fcntl(process.stdin, fcntl.F_SETPIPE_SZ, PIPE_SIZE)
        return process

    def send(self, message: list) -> None:
        if self.broken:
            return
        try:
            self.process().stdin.write(json.dumps(message).encode("utf-8") + b"\n")
        except OSError:  # a broken pipe (the process ended), or it could not start
            self.broken = True

    def page_written(self, path, context=None, **kwargs) -> None:
        """Name a written page to the indexing process (``content_written``): one short write."""
        if not self.close.alive:
            return
        relative = os.path.relpath(path, self.output)
        if relative.startswith(os.pardir) or not relative.endswith(".html"):
            return  # another build's output, or not a page
        shown = shown_content(context)
        content = context is None or shown is not None  # listings are never searchable
        self.send(["page", relative, content, source_name(shown, self.content)])

    def finish(self) -> int:
        """The number of pages indexed once the bundle is written; SearchIndexError."""
        signals.content_written.disconnect(self.page_written)
        timeout = self.settings["SEARCH_TIMEOUT"]
        started = time.perf_counter()
        self.send(["end"])  # starts the process if no page was written
        process, errors = self.holder.get("process"), self.holder.get("errors")
        if process is None:
            self.close()
            raise SearchIndexError("le processus d'indexation n'a pas pu être lancé")
        try:
            out, _ = process.communicate(timeout=timeout)
            errors.seek(0)
            err = errors.read().decode("utf-8", errors="replace")
        except subprocess.TimeoutExpired as exc:
            kill_feed(process)
            raise SearchIndexError(f"Pagefind n'a pas fini en {timeout} s") from exc
        finally:
            self.close()
        try:
            result = json.loads(out.decode("utf-8").splitlines()[-1])
        except (ValueError, IndexError):
            reason = last_line(err)
            raise SearchIndexError(
                f"l'indexation s'est arrêtée (code {process.returncode}) : {reason}"
            ) from None
        if "error" in result:
            raise SearchIndexError(result["error"])
        if self.settings["SEARCH_PARTITIONS"] > 1:
            remove_other_files(
                Path(self.output, self.settings["SEARCH_BUNDLE_DIR"]),
                self.settings["SEARCH_PARTITIONS"],
            )
        logger.debug(
            "Recherche : %d page(s) envoyée(s) à Pagefind (%d d'avance), index écrit %s ; à la "
            "fin, %d page(s) à prendre (%.2f s), %.2f s d'attente ; CPU : %.2f s d'indexation, "
            "%.2f s de Pagefind",
            result["sent"],
            result["speculative"],
            "en avance" if result["early_write"] else "à la fin",
            result["backlog"],
            result["waited"],
            time.perf_counter() - started,
            result["cpu"],
            result["pagefind_cpu"],
        )
        return result["count"]


def remove_other_files(folder: Path, parts: int) -> None:
    """Leave in the index's folder only its parts' folders (an output kept from a build that
    did not split the index has its files there)."""
    kept = {str(number) for number in range(1, parts + 1)}
    for entry in folder.iterdir() if folder.is_dir() else ():
        if entry.name not in kept:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


class SearchPageGenerator(Generator):
    """Writes the search page; Pagefind's UI fills it in the browser."""

    def generate_output(self, writer) -> None:
        writer.write_file(
            self.settings["SEARCH_SAVE_AS"],
            self.get_template(TEMPLATE),
            self.context,
            relative_urls=self.settings.get("RELATIVE_URLS", False),
            template_name=TEMPLATE,
            url=self.settings["SEARCH_URL"],
        )


# --- Pelican adapters -----------------------------------------------------------------------


def _enabled(settings: Mapping, plugin: str = PLUGIN_NAME) -> bool:
    return plugin_enabled(settings, plugin)


def configure(pelican) -> None:
    """Apply the defaults and report unusable settings once per build."""
    settings = pelican.settings
    if not _enabled(settings):
        return
    apply_defaults(settings, SETTINGS_DEFAULTS, settings_problems, logger)
    settings["SEARCH_BUNDLES"] = bundle_dirs(settings)  # for the templates


def provide_generator(pelican):
    """The search page's generator, for builds that use this plugin."""
    return SearchPageGenerator if _enabled(pelican.settings) else None


def start_index(pelican) -> None:
    """A build begins (``get_generators``, before reading): its index takes the pages written."""
    previous = getattr(pelican, "search_index", None)
    if previous is not None:
        previous.close()  # an earlier build of this Pelican (autoreload) that did not finish
    settings = pelican.settings
    enabled = _enabled(settings) and settings["SEARCH_ENABLED"]
    pelican.search_index = SearchIndex(settings, pelican.output_path) if enabled else None


def index_site(pelican) -> None:
    """Write the index of the pages sent; a failure is one error naming its cause."""
    index = getattr(pelican, "search_index", None)
    if index is None or index.settings is not pelican.settings:
        return
    pelican.search_index = None
    try:
        count = index.finish()
    except SearchIndexError as exc:
        logger.error("Recherche : index non construit. %s", exc)
        return
    logger.info("Recherche : %d page(s) indexée(s) par Pagefind", count)


def register():
    signals.initialized.connect(configure)
    signals.get_generators.connect(provide_generator)
    signals.get_generators.connect(start_index)
    signals.finalized.connect(index_site)
