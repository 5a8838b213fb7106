"""One error type for authors' mistakes, and helpers to point at the right line."""

from __future__ import annotations

import difflib
import logging
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class ContentError:
    """A mistake in the content, located at ``path:line``."""

    path: str
    line: int | None
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}: {self.message}{hint}"


def report(errors, logger: logging.Logger, level: int = logging.ERROR) -> None:
    """Log every error, each on its own line, in a stable order."""
    for error in sorted(errors, key=lambda e: (e.path, e.line or 0, e.message)):
        logger.log(level, "%s", error)


def closest(word: str, choices, cutoff: float = 0.6) -> str | None:
    """The choice nearest to ``word``, or None when nothing is close."""
    by_key = {str(choice).casefold(): choice for choice in choices}
    found = difflib.get_close_matches(word.casefold(), list(by_key), n=1, cutoff=cutoff)
    return by_key[found[0]] if found else None


def header_line(path: str, key: str) -> int | None:
    """The line of a ``Key: value`` header entry in a Markdown file (1-based)."""
    wanted = key.casefold()
    try:
        with open(path, encoding="utf-8") as source:
            for number, line in enumerate(source, start=1):
                if not line.strip():
                    return None
                name, sep, _ = line.partition(":")
                if sep and name.strip().casefold() == wanted:
                    return number
    except OSError:
        return None
    return None


def shown_path(path: str) -> str:
    """A path as the author typed it: relative to the current folder when inside it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative
