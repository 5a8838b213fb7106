"""Parallel reading: a forked worker fills Pelican's reader cache from the end of the file list.

A cold build spends most of its reading phase in ``MarkdownReader.read``, one file after the
other, on one core of two. When the articles (or pages) generator is created, this plugin forks
one worker that reads the generator's Markdown files from the END of its list, while Pelican
reads from the start as usual. Each result goes to Pelican's own reader cache, stamped as
Pelican stamps it: when Pelican comes to that file, ``Readers.read_file`` finds it there and
does not call ``read``, exactly as on a warm build. Everything else (signals, path metadata,
the Content object) happens in the main process either way; the output is a plain build's.

Why hand-written: Pelican reads one file after the other and no plugin reads in parallel; its
reader cache is the one place where Pelican takes a result it did not compute (the three
accesses to it are named functions of ``plugins.core.compat``).

- Meeting: the main process counts the files it has begun (one per ``*_generator_preread``)
  in a shared integer; the worker stops at the first file the main process has begun. Where
  they meet, one file may be read by both; never one result for another, as results are keyed
  by path and stamp. The results that arrived are put in the cache at each preread.
- Messages: a file whose reading logs anything, prints anything or raises is not sent: the main
  process reads it and reports it as without this plugin (``path:line`` errors, the strict
  build's count, Pelican's "Could not process"). So under ``--debug`` (Markdown logs each file)
  the worker sends nothing.
- Lifetime: the worker is ended as soon as the generator has read its files
  (``article_generator_pretaxonomy``, ``page_generator_finalized``), or with the generator
  object if the build fails before; it ignores Ctrl-C and writes nothing to the terminal.
  Without ``fork``, or below ``READ_AHEAD_MIN_FILES`` files to read, nothing is forked.

Settings: ``READ_AHEAD_ENABLED`` (default True), ``READ_AHEAD_MIN_FILES`` (default 16). One
INFO line per generator says how many results the worker sent.
"""

from __future__ import annotations

import contextlib
import gc
import io
import logging
import multiprocessing
import os
import pickle
import signal
import sys
import weakref
from collections.abc import Mapping

from babel.numbers import format_decimal
from pelican import signals
from pelican.readers import MarkdownReader
from pelican.utils import file_suffix

from plugins.core import can_fork, compat
from plugins.core.settings import PluginSettings, plugin_enabled

logger = logging.getLogger(__name__)

PLUGIN_NAME = "read_ahead"
SETTINGS_DEFAULTS = {"READ_AHEAD_ENABLED": True, "READ_AHEAD_MIN_FILES": 16}


def settings_problems(settings: Mapping) -> list[tuple[str, str]]:
    """``(name, message)`` for every unusable read_ahead setting."""
    problems = []
    enabled = settings.get("READ_AHEAD_ENABLED")
    if not isinstance(enabled, bool):
        message = f"READ_AHEAD_ENABLED = {enabled!r} n'est pas un booléen"
        problems.append(("READ_AHEAD_ENABLED", message))
    minimum = settings.get("READ_AHEAD_MIN_FILES")
    if not isinstance(minimum, int) or isinstance(minimum, bool) or minimum < 1:
        message = f"READ_AHEAD_MIN_FILES = {minimum!r} n'est pas un entier positif"
        problems.append(("READ_AHEAD_MIN_FILES", message))
    return problems


SETTINGS = PluginSettings(PLUGIN_NAME, SETTINGS_DEFAULTS, settings_problems)

# Tags, categories and authors hold the settings dict: sent as a reference, not copied per file.


def dumps(value, settings: dict) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.persistent_id = lambda obj: "settings" if obj is settings else None
    pickler.dump(value)
    return buffer.getvalue()


def loads(data: bytes, settings: dict):
    unpickler = pickle.Unpickler(io.BytesIO(data))
    unpickler.persistent_load = lambda name: settings
    return unpickler.load()


def files_to_read(generator, paths_key: str, excludes_key: str) -> list[str]:
    """Absolute paths of the Markdown files the generator will read, in the order it reads.

    Files either of Pelican's content caches answers for (when loaded) are left out: ``read``
    is not called for them. Other formats are not ours to read ahead.
    """
    settings, readers = generator.settings, generator.readers
    cached = settings.get("LOAD_CONTENT_CACHE")
    planned = []
    for relative in generator.get_files(settings[paths_key], exclude=settings[excludes_key]):
        path = os.path.abspath(os.path.join(generator.path, relative))  # as read_file makes it
        if not isinstance(readers.readers.get(file_suffix(path)), MarkdownReader):
            continue
        if cached and (
            generator.get_cached_data(relative, None) is not None
            or readers.get_cached_data(path, (None, None))[0] is not None
        ):
            continue
        planned.append(path)
    return planned


# --- The worker (forked child) --------------------------------------------------------------


class _Alarm(logging.Handler):
    """The worker's only handler: notes that something was logged."""

    def __init__(self):
        super().__init__(logging.NOTSET)
        self.raised = False

    def emit(self, record: logging.LogRecord) -> None:
        self.raised = True


def _quiet_child() -> tuple[_Alarm, io.StringIO]:
    """No Ctrl-C, no terminal; every record reaches the alarm (Pelican's duplicate filters
    removed, so that no message is hidden from it)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)
    sys.stdout = sys.stderr = printed = io.StringIO()
    alarm = _Alarm()
    logging.setLoggerClass(logging.Logger)
    root = logging.getLogger()
    for each in [root, *logging.Logger.manager.loggerDict.values()]:
        if isinstance(each, logging.Logger):
            each.handlers = [alarm] if each.handlers or each is root else []
            each.filters = []
    return alarm, printed


def _work(readers, paths: list[str], begun, sender) -> None:
    """Read from the end until the main process's files; send each clean result at once."""
    alarm, printed = _quiet_child()
    with contextlib.suppress(OSError):  # a broken pipe: the main process stopped listening
        for index in range(len(paths) - 1, -1, -1):
            if index < begun.value:
                break
            path = paths[index]
            alarm.raised, printed_before = False, printed.tell()
            try:
                stamp = compat.file_stamp(readers, path)
                result = compat.read_as_cached(readers.readers[file_suffix(path)], path)
                if alarm.raised or printed.tell() != printed_before:
                    continue
                message = dumps((path, stamp, result), readers.settings)
            except Exception:
                continue  # the main process reads it and reports it as Pelican does
            sender.send_bytes(message)
    sender.close()


# --- The main process's side ----------------------------------------------------------------


class ReadAhead:
    """One generator's worker, seen from the main process."""

    def __init__(self, readers, paths: list[str]):
        self.readers = readers
        self.paths = paths
        self.received = 0  # results put in Pelican's cache
        context = multiprocessing.get_context("fork")
        self.begun = context.RawValue("i", 0)  # files the main process has begun
        self.receiver, self._sender = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_work, args=(readers, paths, self.begun, self._sender), daemon=True
        )
        # The worker lives no longer than this object: a build that fails before ``close``
        # ends it when its generator goes.
        self.stop_with = weakref.finalize(self, _stop, self.process, self.receiver)

    def start(self) -> None:
        """Fork the worker; where the system refuses, Pelican simply reads everything."""
        # A Ctrl-C waits until the child ignores it. Frozen objects keep the child from copying
        # the parent's memory when it collects garbage.
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        gc.freeze()
        try:
            self.process.start()
        except OSError as error:
            logger.debug("read_ahead : pas de lecture parallèle (%s)", error)
        finally:
            gc.unfreeze()
            self._sender.close()  # the child's copy is the only one: its end is an end of file
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)

    def take_results(self) -> None:
        """The main process begins one more file: put the results that arrived in the cache."""
        self.begun.value += 1
        self.receive()

    def receive(self) -> None:
        with contextlib.suppress(EOFError, OSError):
            while self.receiver.poll():
                path, stamp, result = loads(self.receiver.recv_bytes(), self.readers.settings)
                compat.offer_to_reader_cache(self.readers, path, stamp, result)
                self.received += 1

    def close(self, label: str) -> None:
        """End the worker (if still there) and say how much it read."""
        if not self.stop_with.alive:
            return
        self.stop_with()
        logger.info(
            "read_ahead : %s fichiers lus en parallèle sur %s (%s)",
            format_decimal(self.received, locale="fr_FR"),
            format_decimal(len(self.paths), locale="fr_FR"),
            label,
        )


def _stop(process, receiver) -> None:
    receiver.close()
    if process.pid is None:  # never started
        return
    if process.is_alive():
        process.terminate()
        process.join(5)
        if process.is_alive():
            process.kill()
    process.join()
    process.close()


# --- Pelican's signals ----------------------------------------------------------------------


def start(generator, paths_key: str, excludes_key: str) -> None:
    """Fork the generator's worker when there is enough to read."""
    settings = generator.settings
    generator.read_ahead = None
    if not plugin_enabled(settings, PLUGIN_NAME) or not settings.get("READ_AHEAD_ENABLED"):
        return
    if not can_fork():
        return
    paths = files_to_read(generator, paths_key, excludes_key)
    if len(paths) < settings["READ_AHEAD_MIN_FILES"]:
        logger.debug("read_ahead : %d fichier(s) à lire, pas de lecture parallèle", len(paths))
        return
    generator.read_ahead = ReadAhead(generator.readers, paths)
    generator.read_ahead.start()


def start_articles(generator) -> None:
    start(generator, "ARTICLE_PATHS", "ARTICLE_EXCLUDES")


def start_pages(generator) -> None:
    start(generator, "PAGE_PATHS", "PAGE_EXCLUDES")


def take_results(generator) -> None:
    if getattr(generator, "read_ahead", None) is not None:
        generator.read_ahead.take_results()


def end(generator) -> None:
    """The generator has read its files: end the worker now."""
    if getattr(generator, "read_ahead", None) is not None:
        generator.read_ahead.close(type(generator).__name__)


def register():
    signals.initialized.connect(SETTINGS.configure)
    signals.article_generator_init.connect(start_articles)
    signals.page_generator_init.connect(start_pages)
    signals.article_generator_preread.connect(take_results)
    signals.page_generator_preread.connect(take_results)
    signals.article_generator_pretaxonomy.connect(end)
    signals.page_generator_finalized.connect(end)
