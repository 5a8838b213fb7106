"""Two helpers for plugins that run a pure function over every article: on both cores, and
remembered from one build to the next.

``map_in_processes(function, items)`` is ``[function(item) for item in items]`` computed by
forked worker processes (one per core). The workers inherit the function and the items from
the build process (``fork``), so closures over the build's objects work and nothing is sent to
them; only the results travel back, pickled. Below ``min_items`` items, on one core or where
``fork`` does not exist, it simply loops. The function must be pure: whatever it changes in
the worker is lost; it must not log either (the worker's messages would not reach the build's
log handlers, so a strict build would not count them).

``BuildMemo`` keeps such results in ``CACHE_PATH/<name>.pickle`` when the content cache is on
(``CACHE_CONTENT``; read back with ``LOAD_CONTENT_CACHE``), keyed by a digest of everything the
result depends on: a warm build then computes only what changed. The code counts too: the file
is dropped when a Python file of the plugins' folders changed. Entries not used by a build are
dropped when it saves, so the file follows the site.

Why hand-written: Pelican caches only what its readers return (before any ``*_finalized``
receiver), and its parallelism stops at none; ``concurrent.futures`` pickles the function and
its arguments for each call, which closures over Pelican objects do not survive.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
from collections.abc import Callable, Iterable, Sequence
from typing import Any

MIN_ITEMS = 200  # below this, forking costs more than it saves
MISSING = object()

_job: tuple[Callable, Sequence] | None = None  # what forked workers run (inherited, not sent)


def map_in_processes(
    function: Callable[[Any], Any], items: Iterable, min_items: int = MIN_ITEMS
) -> list:
    """``[function(item) for item in items]``, computed on every core when worth it."""
    global _job
    items = list(items)
    processes = min(os.cpu_count() or 1, len(items) // max(min_items // 2, 1))
    if processes < 2 or len(items) < min_items or _job is not None or not can_fork():
        return [function(item) for item in items]
    _job = (function, items)
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            chunk = max(1, len(items) // (processes * 8))
            return pool.map(_run_one, range(len(items)), chunksize=chunk)
    finally:
        _job = None


def _run_one(index: int):
    function, items = _job  # type: ignore[misc]
    return function(items[index])


def can_fork() -> bool:
    """Whether this system starts processes by ``fork`` (children inherit the build's objects)."""
    return "fork" in multiprocessing.get_all_start_methods()


class BuildMemo:
    """Results of a pure function, kept from one build to the next in the cache folder."""

    def __init__(self, settings, name: str, *code_folders: str):
        self.path = os.path.join(settings.get("CACHE_PATH", "cache"), f"{name}.pickle")
        self.version = code_digest(*code_folders)
        self.saving = bool(settings.get("CACHE_CONTENT"))
        loading = self.saving and settings.get("LOAD_CONTENT_CACHE")
        self.known: dict[str, Any] = self._load() if loading else {}
        self.used: dict[str, Any] = {}

    @staticmethod
    def key(*parts: object) -> str:
        """A digest of the parts (strings, or values whose ``repr`` is stable)."""
        digest = hashlib.sha256()
        for part in parts:
            digest.update((part if isinstance(part, str) else repr(part)).encode("utf-8"))
            digest.update(b"\0")
        return digest.hexdigest()

    def get(self, key: str):
        """The value kept under ``key`` (then kept for the next build too), or ``MISSING``."""
        value = self.used.get(key, MISSING)
        if value is MISSING:
            value = self.known.get(key, MISSING)
            if value is not MISSING:
                self.used[key] = value
        return value

    def put(self, key: str, value) -> None:
        self.used[key] = value

    def save(self) -> None:
        """Write what this build used (atomically), when the content cache is on."""
        if not self.saving or self.used.keys() == self.known.keys():
            return  # nothing to save, or the file already holds exactly these entries
        os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
        temporary = f"{self.path}.{os.getpid()}.tmp"
        with open(temporary, "wb") as out:
            pickle.dump((self.version, self.used), out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.path)

    def _load(self) -> dict[str, Any]:
        try:
            with open(self.path, "rb") as source:
                version, values = pickle.load(source)
        except (OSError, ValueError, EOFError, pickle.UnpicklingError, TypeError):
            return {}
        return values if version == self.version and isinstance(values, dict) else {}


def code_digest(*folders: str) -> str:
    """A digest of the Python files of plugins' folders (and of this module)."""
    digest = hashlib.sha256()
    paths = sorted(
        os.path.join(folder, name)
        for folder in folders
        for name in os.listdir(folder)
        if name.endswith(".py")
    )
    for path in [*paths, __file__]:
        with open(path, "rb") as source:
            digest.update(path.encode("utf-8") + b"\0" + source.read() + b"\0")
    return digest.hexdigest()


def compute_with_memo(memo: BuildMemo, keys: Sequence[str], function: Callable[[int], Any]) -> list:
    """``function(i)`` for each index of ``keys``: from the memo when known, the others on
    every core; the new results are added to the memo."""
    results = [memo.get(key) for key in keys]
    missing = [index for index, value in enumerate(results) if value is MISSING]
    for index, value in zip(missing, map_in_processes(function, missing), strict=True):
        results[index] = value
        memo.put(keys[index], value)
    return results
