"""Bench-only plugin: where a build's time goes, written as JSON when the build ends.

List it LAST in ``PLUGINS`` (the benchmark does, through ``-e``) with ``benchmarks`` in
``PLUGIN_PATHS``: at registration every other plugin has connected its receivers, and this one
wraps each receiver of a project plugin (a module under a folder of the environment variable
``TIMING_PROJECT_PATHS``, default the project's ``plugins/``) with a timer, keeping the order.
Generators and writers that plugins provide (``get_generators``, ``get_writer``) are timed the
same way, and ``jinja2.Template.render`` is wrapped to measure the theme's rendering. A writer's
time includes the rendering it asks for.

Written to ``TIMING_OUTPUT`` (JSON): ``plugins`` (seconds per plugin), ``render_s`` and
``renders`` (templates rendered), ``read_s`` (start → ``all_generators_finalized``), ``write_s``
(→ ``finalized``). Measuring tools are the one place where patching a library is the point, and
no profiler attributes time to Pelican plugins, hence these lines; the process ends with the
build, so the patches never outlive it.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import time
import weakref
from collections import defaultdict

import jinja2
from pelican import signals

# The one place the measures live: a process runs one build, then exits.
TOTALS: dict[str, float] = defaultdict(float)
COUNTS: dict[str, int] = defaultdict(int)
MARKS: dict[str, float] = {"start": time.perf_counter()}


def timed(label: str, function):
    """``function``, adding its run time to ``TOTALS[label]``."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            TOTALS[label] += time.perf_counter() - start
            COUNTS[label] += 1

    return wrapper


def timed_class(label: str, cls):
    """A subclass of a generator or writer class whose working methods are timed."""
    methods = ("generate_context", "generate_output", "write_file", "write_feed")
    overrides = {name: timed(label, getattr(cls, name)) for name in methods if hasattr(cls, name)}
    return type(cls.__name__, (cls,), overrides)


def plugin_of(receiver, project_paths: list[str]) -> str | None:
    """The project plugin a receiver comes from (its package below ``plugins``), or None."""
    module = sys.modules.get(getattr(receiver, "__module__", "") or "")
    source = os.path.realpath(getattr(module, "__file__", "") or "")
    if any(source.startswith(path + os.sep) for path in project_paths):
        return receiver.__module__.removeprefix("plugins.").split(".")[0]
    return None


def provider_wrapper(label: str, receiver):
    """Time the classes a ``get_generators``/``get_writer`` receiver provides."""

    @functools.wraps(receiver)
    def wrapper(sender):
        provided = receiver(sender)
        if isinstance(provided, type):
            return timed_class(label, provided)
        if isinstance(provided, (list, tuple)):
            return [timed_class(label, cls) for cls in provided]
        return provided

    return wrapper


def wrap_receivers(project_paths: list[str]) -> None:
    """Replace every project receiver of every Pelican signal by a timed one, in order."""
    for name in dir(signals):
        signal = getattr(signals, name)
        if not hasattr(signal, "receivers") or not signal.receivers:
            continue
        # blinker keeps weak references (weakref.ref, WeakMethod) or the receivers themselves.
        receivers = [
            ref() if isinstance(ref, weakref.ref) else ref for ref in signal.receivers.values()
        ]
        receivers = [receiver for receiver in receivers if receiver is not None]
        if not any(plugin_of(receiver, project_paths) for receiver in receivers):
            continue
        for receiver in receivers:
            signal.disconnect(receiver)
        for receiver in receivers:
            label = plugin_of(receiver, project_paths)
            if label is None:
                signal.connect(receiver, weak=False)
            elif name in ("get_generators", "get_writer"):
                signal.connect(provider_wrapper(label, receiver), weak=False)
            else:
                signal.connect(timed(label, receiver), weak=False)


def start(pelican) -> None:
    """Remember where to write the measures."""
    MARKS["initialized"] = time.perf_counter()
    MARKS["output"] = pelican.settings.get("TIMING_OUTPUT", "")


def end_of_reading(generators) -> None:
    MARKS["read"] = time.perf_counter()


def write_measures(pelican) -> None:
    """Write the totals as JSON."""
    now = time.perf_counter()
    measures = {
        "plugins": {
            label: round(TOTALS[label], 4) for label in sorted(TOTALS) if label != "render"
        },
        "calls": dict(sorted(COUNTS.items())),
        "render_s": round(TOTALS["render"], 4),
        "renders": COUNTS["render"],
        "read_s": round(MARKS.get("read", now) - MARKS["initialized"], 4),
        "write_s": round(now - MARKS.get("read", now), 4),
    }
    if MARKS.get("output"):
        with open(MARKS["output"], "w", encoding="utf-8") as out:
            json.dump(measures, out, indent=2)


def register():
    given = [p for p in os.environ.get("TIMING_PROJECT_PATHS", "").split(os.pathsep) if p]
    # benchmarks/plugins/timing_plugin/__init__.py → the repository root
    root = os.path.realpath(os.path.join(os.path.dirname(__file__), *[os.pardir] * 3))
    project_paths = [os.path.realpath(p) for p in given] or [os.path.join(root, "plugins")]
    wrap_receivers(project_paths)
    jinja2.Template.render = timed("render", jinja2.Template.render)
    signals.initialized.connect(start)
    signals.all_generators_finalized.connect(end_of_reading)
    signals.finalized.connect(write_measures)
