"""Strict builds: count every warning and error of a build, and fail at the end if any.

Pelican's ``--fatal warnings`` stops at the first warning; authors need the whole list at
once. This plugin attaches a counting logging handler for the length of one build, lets every
generator report its problems, then, when ``STRICT_BUILD`` is true (``publishconf.py``), logs a
summary of all of them and exits with status 1. Dev builds (``STRICT_BUILD = False``) only log.
"""

from __future__ import annotations

import logging

from pelican import signals

from plugins.core.settings import PluginSettings

logger = logging.getLogger(__name__)

SETTINGS_DEFAULTS = {"STRICT_BUILD": False}
SETTINGS = PluginSettings("strict_build", SETTINGS_DEFAULTS)


class StrictBuildFailed(SystemExit):
    """Ends a strict build with status 1 once every problem has been logged."""


class ProblemCounter(logging.Handler):
    """Keeps the message of every WARNING or worse record logged during a build."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(" ".join(line.strip() for line in record.getMessage().splitlines()))


def start_counting(pelican) -> None:
    """Attach a fresh counter to the root logger for this Pelican instance."""
    SETTINGS.configure(pelican)
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, ProblemCounter)]:
        root.removeHandler(handler)  # left by an earlier Pelican instance in this process
    pelican.problem_counter = ProblemCounter()
    root.addHandler(pelican.problem_counter)


def conclude(pelican) -> None:
    """Fail a strict build that logged problems; start afresh for the next (autoreload) build."""
    counter = getattr(pelican, "problem_counter", None)
    if counter is None:
        return
    # A problem reported twice (two receivers meeting one file) is one problem to fix.
    problems, counter.messages = list(dict.fromkeys(counter.messages)), []
    pelican.build_problems = problems
    if problems and pelican.settings.get("STRICT_BUILD"):
        summary = "\n".join(f"  - {message}" for message in problems)
        logger.critical(
            "Construction stricte refusée : %d problème(s) à corriger.\n%s", len(problems), summary
        )
        raise StrictBuildFailed(1)


def register():
    signals.initialized.connect(start_counting)
    signals.finalized.connect(conclude)
