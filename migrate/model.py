"""What every reader gives the mapper: entries as the old blog held them, and located problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Problem:
    """Something the import could not do, naming the entry (its title, or its position)."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where} : {self.message}" if self.where else self.message


@dataclass(frozen=True)
class SourceComment:
    """A reader's comment as exported; ``parent`` is the source id it answers, if any."""

    source_id: str
    author: str
    date: datetime
    body_html: str
    url: str = ""
    parent: str = ""


@dataclass(frozen=True)
class SourceEntry:
    """One post or page of the old blog, its body still HTML."""

    position: int
    title: str
    date: datetime
    body_html: str
    kind: str = "post"  # "post" or "page"
    draft: bool = False
    basename: str = ""
    author: str = ""
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    excerpt: str = ""
    old_url: str = ""
    comments: tuple[SourceComment, ...] = ()
    skipped_comments: int = 0  # spam, pending: never imported

    @property
    def label(self) -> str:
        """How messages name the entry."""
        return f"entrée {self.position} « {self.title} »"


@dataclass(frozen=True)
class Export:
    """A whole export file once read: its format, entries, and what could not be read."""

    format: str
    entries: tuple[SourceEntry, ...] = ()
    problems: tuple[Problem, ...] = field(default_factory=tuple)


def entry_label(position: int, title: str = "") -> str:
    """An entry named by its position, and its title when it has one."""
    return f"entrée {position} « {title} »" if title else f"entrée {position}"


def readable(raw: bytes) -> str:
    """Bytes of unknown encoding as text to name an entry: UTF-8, else Latin-1."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")
