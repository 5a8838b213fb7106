"""Search: a Pagefind index of the articles, fed while the site is written, and /recherche/.

What it adds: the page ``/recherche/`` (template ``search.html``), where Pagefind's UI, in
French, searches the articles' titles and bodies and filters them by category, series and
format; it reads ``?q=``, so the header's plain GET form leads to the results. On every build,
the index in ``pagefind/`` of the output: only pages marked ``data-pagefind-body`` (the article
element) are indexed. Template variables: ``SEARCH_URL``, ``SEARCH_BUNDLE_DIR`` and
``SEARCH_BUNDLES`` (the index's folders, set here).

Settings (defaults in ``SETTINGS_DEFAULTS``): ``SEARCH_ENABLED`` (False: no Pagefind, for fast
test builds; the page is still written), ``SEARCH_URL``, ``SEARCH_SAVE_AS``,
``SEARCH_BUNDLE_DIR``, ``SEARCH_EXCLUDE_SELECTORS`` (parts of an article that are not its text),
``SEARCH_TIMEOUT`` (seconds Pagefind may still take after the last page), ``SEARCH_PARTITIONS``
(1 to ``MAX_PARTS``).

Parts. Pagefind cannot update an index: after one edit it indexes every article again (about
8 s of its time for 3,000 articles). With ``SEARCH_PARTITIONS = n``, each article goes to one of
``n`` indexes, ``pagefind/1/`` to ``pagefind/n/``, by a digest of its path, so that an edit
indexes again only its part. The search page merges the parts (Pagefind's ``mergeIndex``),
which costs readers one download per part: the public site keeps one index.

Streaming. Pagefind's command line, run at ``finalized``, read every page back while nothing
else happened (about 10 s at 3,000 articles). Here every page Pelican writes
(``content_written``) is named, in one short line on a pipe, to an indexing process
(``pagefind_feed.py``) that feeds Pagefind's service while Pelican writes the next pages, and
writes the bundle once the articles are done; ``finalized`` waits for the rest. A process, not a
thread: reading, digesting and encoding the pages (about 2 s of CPU at 3,000 articles) would
share the build's GIL, and a thread behind the rendering main thread got so little of it that
most pages were still queued at ``finalized``. When the output is kept the process starts with
the build (``get_generators``), so that after an edit it sends Pagefind the unchanged pages
from the output while Pelican reads. The bundle's files are those of the command line; their
order follows the order pages reached Pagefind, so some file names differ.

French elisions: Pagefind splits words on the straight apostrophe but not on the typographic
one the site prints, so ``l’entreprise`` would be one word that a search for "entreprise" never
finds. Pagefind gets each page with its apostrophes between two letters straight
(``split_elisions``); the search page turns typed apostrophes straight (``processTerm``) and
shows excerpts with typographic ones again.

Errors. A Pagefind failure (binary missing, service exiting, refusing a page, not done within
``SEARCH_TIMEOUT``) is one error at ``finalized`` naming the cause, so strict builds fail; never
a traceback. A build that raised, or whose Python exits, stops its indexing process and
Pagefind with it (``FeedProcess``).

Why hand-written: no maintained Pelican plugin runs Pagefind (pelican-search drives Stork,
which is archived), none streams pages to it, and none knows about French elisions.
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

from plugins.core import plugin_enabled
from plugins.core.settings import PluginSettings

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
FEED_MODULE = "plugins.search"  # its __main__: the indexing process
# The project's root, where the indexing process finds the ``plugins`` package.
ROOT = Path(__file__).resolve().parents[2]
# Seconds the indexing process is given to end once its input is closed.
STOP_WAIT = 5
# Bytes of the pipe to the indexing process: a line per page written while it is busy.
PIPE_SIZE = 1 << 20
# The most parts an index may be split into (a reader's first search downloads one Pagefind per
# part).
MAX_PARTS = 8


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


SETTINGS = PluginSettings(PLUGIN_NAME, SETTINGS_DEFAULTS, settings_problems)


def register():
    signals.initialized.connect(configure)
    signals.get_generators.connect(provide_generator)
    signals.get_generators.connect(start_index)
    signals.finalized.connect(index_site)


def configure(pelican) -> None:
    """Apply the defaults and report unusable settings once per build."""
    if plugin_enabled(pelican.settings, PLUGIN_NAME):
        SETTINGS.configure(pelican)
        pelican.settings["SEARCH_BUNDLES"] = bundle_dirs(pelican.settings)  # for the templates


def provide_generator(pelican):
    """The search page's generator, for builds that use this plugin."""
    return SearchPageGenerator if plugin_enabled(pelican.settings, PLUGIN_NAME) else None


def start_index(pelican) -> None:
    """A build begins (``get_generators``, before reading): its index takes the pages written."""
    previous = getattr(pelican, "search_index", None)
    if previous is not None:
        previous.close()  # an earlier build of this Pelican (autoreload) that did not finish
    settings = pelican.settings
    enabled = plugin_enabled(settings, PLUGIN_NAME) and settings["SEARCH_ENABLED"]
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


# --- One build's index ----------------------------------------------------------------------


class FeedProcess:
    """The indexing process of one build, with Pagefind under it in its own process group.

    Its finalizer holds the process, not this object, so that dropping a build that raised ends
    it; so does the end of the build's process (the indexing process stops when its input
    closes). On a timeout its process group, Pagefind included, is killed.
    """

    def __init__(self, config: dict):
        errors = tempfile.TemporaryFile()  # noqa: SIM115 (read if the process fails)
        try:
            self.popen = subprocess.Popen(
                [sys.executable, "-m", FEED_MODULE, json.dumps(config)],
                cwd=ROOT,  # where plugins.search is found
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
                bufsize=0,  # each line goes at once
                start_new_session=True,
            )
        except OSError:
            errors.close()
            raise
        self.errors = errors
        with contextlib.suppress(OSError, AttributeError):  # Linux: room for 16,000 lines
            fcntl.fcntl(self.popen.stdin, fcntl.F_SETPIPE_SZ, PIPE_SIZE)
        self.stop = weakref.finalize(self, stop_process, self.popen, errors)

    def send(self, message: list) -> None:
        """One line on its input; OSError once it has ended."""
        self.popen.stdin.write(json.dumps(message).encode("utf-8") + b"\n")

    def result(self, timeout: float) -> dict:
        """Its last line once its input is closed; SearchIndexError if it failed, or took longer
        than ``timeout`` seconds."""
        try:
            out, _ = self.popen.communicate(timeout=timeout)
            self.errors.seek(0)
            err = self.errors.read().decode("utf-8", errors="replace")
        except subprocess.TimeoutExpired as exc:
            kill_group(self.popen)
            raise SearchIndexError(f"Pagefind n'a pas fini en {timeout} s") from exc
        finally:
            self.stop()
        try:
            return json.loads(out.decode("utf-8").splitlines()[-1])
        except (ValueError, IndexError):
            code = self.popen.returncode
            raise SearchIndexError(
                f"l'indexation s'est arrêtée (code {code}) : {last_line(err)}"
            ) from None


def stop_process(process: subprocess.Popen, errors) -> None:
    """End an indexing process: its input closed, it stops Pagefind and exits; killed, with
    Pagefind, if it does not."""
    errors.close()  # the process keeps its own descriptor
    with contextlib.suppress(OSError):  # a broken pipe: the process has ended
        process.stdin.close()
    try:
        process.wait(STOP_WAIT)
    except subprocess.TimeoutExpired:
        kill_group(process)
        process.wait()
    process.stdout.close()


def kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):  # the group has ended
        os.killpg(process.pid, SIGKILL)


class SearchIndex:
    """One build's search index: the written pages' paths go to its indexing process, started
    with the build when the output is kept (it may send the last build's pages ahead), else
    with the first written page."""

    def __init__(self, settings: Mapping, output_path: str):
        self.settings = settings
        self.output = os.path.abspath(output_path)
        self.content = os.path.abspath(settings["PATH"])
        self.started = time.time_ns()
        self.feed: FeedProcess | None = None
        self.broken = False  # the process could not start, or stopped reading: finish says why
        self.closed = False
        signals.content_written.connect(self.page_written)
        if not settings.get("DELETE_OUTPUT_DIRECTORY"):
            self.start()

    def start(self) -> FeedProcess | None:
        if self.feed is None and not self.broken:
            try:
                self.feed = FeedProcess(feed_config(self.settings, self.output, self.started))
            except OSError:
                self.broken = True
        return self.feed

    def send(self, message: list) -> None:
        feed = self.start()
        if feed is not None and not self.broken:
            try:
                feed.send(message)
            except OSError:  # a broken pipe: the process ended
                self.broken = True

    def page_written(self, path, context=None, **kwargs) -> None:
        """Name a written page to the indexing process (``content_written``): one short write."""
        if self.closed:
            return
        relative = os.path.relpath(path, self.output)
        if relative.startswith(os.pardir) or not relative.endswith(".html"):
            return  # another build's output, or not a page
        shown = shown_content(context)
        content = context is None or shown is not None  # listings are never searchable
        self.send(["page", relative, content, source_name(shown, self.content)])

    def close(self) -> None:
        """Stop indexing (an earlier build of this Pelican that did not finish)."""
        self.closed = True
        signals.content_written.disconnect(self.page_written)
        if self.feed is not None:
            self.feed.stop()

    def finish(self) -> int:
        """The number of pages indexed once the bundle is written; SearchIndexError."""
        self.closed = True
        signals.content_written.disconnect(self.page_written)
        started = time.perf_counter()
        self.send(["end"])  # starts the process if no page was written
        if self.feed is None:
            raise SearchIndexError("le processus d'indexation n'a pas pu être lancé")
        result = self.feed.result(self.settings["SEARCH_TIMEOUT"])
        if "error" in result:
            raise SearchIndexError(result["error"])
        if self.settings["SEARCH_PARTITIONS"] > 1:
            remove_other_files(
                Path(self.output, self.settings["SEARCH_BUNDLE_DIR"]),
                self.settings["SEARCH_PARTITIONS"],
            )
        logger.debug(
            "Recherche : %d page(s) envoyée(s) à Pagefind (%d d'avance), index écrit %s ; à la "
            "fin, %d page(s) à envoyer, %.2f s d'attente ; CPU : %.2f s d'indexation, %.2f s de "
            "Pagefind",
            result["sent"],
            result["speculative"],
            "en avance" if result["early_write"] else "à la fin",
            result["backlog"],
            time.perf_counter() - started,
            result["cpu"],
            result["pagefind_cpu"],
        )
        return result["count"]


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


# --- Pure functions -------------------------------------------------------------------------


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
