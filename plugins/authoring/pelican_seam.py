"""The one place where authoring adapts Pelican's own messages and logging (no public hook).

- Pelican logs "Could not process %s" (``pelican.generators``) for any exception a reader
  raises: for a file our checks already reported and refused, that second, generic line is
  dropped.
- Pelican reports a slug used twice in English, twice ("There are 2 items … with lang",
  "There are 2 original (not translated) items …", ``pelican.utils``): they become one French
  line naming every file.
- Pelican's ``rich`` console is 80 columns wide when it does not write to a terminal, so a log
  read in a file or in CI has ``fichier.md`` and ``:2:`` on different lines: there, each record
  becomes one plain line (``LEVEL message``).

What to check again on a new Pelican version: the message templates below
(``pelican/generators.py``, ``pelican/utils.py::get_original_items``), the logger names, and
``pelican.log.console`` and its ``RichHandler``. ``tests/site/test_checks.py`` fails on any other
Pelican version (and when a template is gone); ``tests/site/test_mistakes.py`` when a behaviour
changes.

Outside this module, authoring relies on two more things Pelican does not promise: generators
skip a file whose reading raises (``checks.guard_reading`` wraps ``Readers.read_file`` and
raises ``AlreadyReported`` subclasses), and ``_source_path``/``_parse_metadata`` of
``MarkdownReader`` (``authoring.py``, older).
"""

from __future__ import annotations

import logging
import re
import sys

import pelican.log
from rich.logging import RichHandler

from plugins.core import ContentError, shown_path

COULD_NOT_PROCESS = "Could not process %s"
SAME_LANG = 'There are %s items "%s" with lang %s'
SAME_SLUG = "There are %s original (not translated) items %s"
WITH_SLUG_RE = re.compile(r'with slug "(?P<slug>.*)"')


class AlreadyReported(Exception):
    """Base of the exceptions a reader raises for a file whose problem it has logged."""


class PelicanMessages(logging.Filter):
    """Drops or rewrites Pelican's messages that repeat ours or are in English."""

    def filter(self, record: logging.LogRecord) -> bool:
        template = record.msg if isinstance(record.msg, str) else ""
        if template == COULD_NOT_PROCESS:
            return not isinstance(sys.exc_info()[1], AlreadyReported)
        if template.startswith(SAME_LANG):
            return False  # the next message names the same files
        if template.startswith(SAME_SLUG):
            _count, with_slug, *paths = record.args
            found = WITH_SLUG_RE.search(str(with_slug))
            if not found:
                return True
            first, *others = (shown_path(str(path)) for path in paths)
            named = ", ".join(others)
            problem = ContentError(
                first,
                None,
                f"slug « {found['slug']} » aussi donné à {named}",
                "changez le Slug ou le titre de l'un d'eux",
            )
            record.msg, record.args = "%s", (str(problem),)
        return True


def adapt_pelican_messages(pelican_object) -> None:
    """Attach the filter to Pelican's loggers once per process; one line per record off a tty."""
    for name in ("pelican.generators", "pelican.utils"):
        each = logging.getLogger(name)
        if not any(isinstance(f, PelicanMessages) for f in each.filters):
            each.addFilter(PelicanMessages())
    one_line_logs()


class OneLineHandler(logging.Handler):
    """``LEVEL message`` on Pelican's console file, never wrapped (the message's own line
    breaks are kept: the strict verdict lists one problem a line)."""

    def __init__(self, level: int):
        super().__init__(level)
        self.setFormatter(logging.Formatter("%(levelname)-8s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            stream = pelican.log.console.file  # looked up each time: sys.stdout may change
            stream.write(self.format(record) + "\n")
            stream.flush()
        except Exception:
            self.handleError(record)


def one_line_logs() -> None:
    """Off a terminal, replace the rich handler by a plain one that never wraps."""
    if pelican.log.console.is_terminal:
        return
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, RichHandler):
            plain = OneLineHandler(handler.level)
            for each in handler.filters:
                plain.addFilter(each)
            root.removeHandler(handler)
            root.addHandler(plain)
