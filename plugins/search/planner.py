"""What the indexing process decides, without a process: which part of the index a page goes
to, which pages a part sends Pagefind and when, and whether its recorded bundle is kept.

Plain data in (paths, digests, the record of the last bundle), steps out: a page path to send,
``NEW_INDEX`` or ``WRITE``. ``pagefind_feed.py`` reads the pages, runs the steps in order and
tells the plan what it sent, so that every rule below is unit-tested without Pagefind.

- A part's bundle is kept when its searchable pages are the recorded ones, byte for byte.
- Otherwise the first page that differs starts an index, which gets the searchable pages seen so
  far (from the output) and every next one; a page gone is only known at the end, where
  everything is sent then.
- Sent ahead: Pagefind cannot update a bundle, so when content files of a part changed or went
  since the recorded build began, the recorded pages of its unchanged files are sent before the
  build writes anything. A page the build then writes otherwise is sent again (Pagefind keeps
  the last page sent for a path); one it does not write starts the index again at the end.
- A page written twice in one build with other bytes is indexed again from the final files.
- ``EARLY_WRITE_AFTER`` written pages in a row without the marker mean the articles are done
  (Pelican writes its listings after them): the bundle is written then, and again at the end if
  a searchable page came after all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

RECORD_VERSION = 3
# Written pages without the marker in a row, after searchable ones, that mean the articles are
# done (listings come next).
EARLY_WRITE_AFTER = 50
# Steps besides page paths: start a new index (later steps go to it), write the bundle.
NEW_INDEX, WRITE = ":new-index", ":write"
# The message a part gets for a page of another part: only its content file.
OTHER = "other"


def part_of(relative: str, parts: int) -> int:
    """The part of the index a page belongs to: by a digest of its path, the same in every
    build, and even."""
    digest = hashlib.blake2b(relative.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % parts


def routed(message: list, parts: int) -> list[list]:
    """What each part is told of one message of the build: an article or a page to its own
    part, its content file to the others; anything else (a listing, the end) to every part."""
    if message[0] == "page" and message[2] and parts > 1:
        owner = part_of(message[1], parts)
        return [message if part == owner else [OTHER, message[3]] for part in range(parts)]
    return [message] * parts


def sending_order(pages: Iterable[str]) -> list[str]:
    """The order in which pages planned together reach Pagefind: the order they were written."""
    return list(pages)


@dataclass(frozen=True)
class Record:
    """The bundle a part last wrote: its pages' digests and content files, the content files of
    the other parts' pages, and when the build that wrote it began (ns)."""

    pages: Mapping[str, str]
    sources: Mapping[str, str | None]
    other_sources: frozenset[str]
    started: int


def record_from_json(known: object, key: dict) -> Record | None:
    """The record read from its file, if it is one made for this key (output, options,
    Pagefind's version)."""
    usable = (
        isinstance(known, dict)
        and known.get("version") == RECORD_VERSION
        and known.get("key") == key
        and isinstance(known.get("pages"), dict)
        and isinstance(known.get("sources"), dict)
        and isinstance(known.get("started"), int)
        and isinstance(known.get("other_sources"), list)
    )
    if not usable:
        return None
    return Record(
        known["pages"], known["sources"], frozenset(known["other_sources"]), known["started"]
    )


def record_json(record: Record, key: dict) -> dict:
    return {
        "version": RECORD_VERSION,
        "key": key,
        "pages": dict(record.pages),
        "sources": dict(record.sources),
        "other_sources": sorted(record.other_sources),
        "started": record.started,
    }


def pages_ahead(record: Record, unchanged: set[str], changed: set[str]) -> list[str] | None:
    """The recorded pages to send before the build writes anything (those of content files not
    modified since the recorded build began), or None when the bundle will most likely be kept:
    no content file of this part changed or went."""
    sources = [record.sources.get(page) for page in record.pages]
    gone = any(source not in unchanged for source in sources if source)
    if not gone and changed <= record.other_sources:
        return None
    return [page for page, source in zip(record.pages, sources, strict=True) if source in unchanged]


@dataclass
class Planned:
    """A page on its way to the index: the digest expected (None: the page as it is on disk
    when sent) and its HTML (None: read from the output when sent)."""

    digest: str | None
    html: str | None = None


@dataclass
class Index:
    """One Pagefind index of this build's pages: what it is to get, what it was sent."""

    queued: dict[str, Planned] = field(default_factory=dict)
    sent: dict[str, str] = field(default_factory=dict)
    write_asked: bool = False


class Plan:
    """The searchable pages of one part in one build, and the steps that make its bundle."""

    def __init__(self, record: Record | None):
        self.record = record
        self.pages: dict[str, str] = {}  # this build's searchable pages: digest by path
        self.sources: dict[str, str | None] = {}  # their content file
        self.other_sources: set[str] = set()  # those of the other parts' pages
        self.rewritten = False  # a page written again with other bytes
        self.quiet = 0  # pages without the marker written since the last searchable one
        self.index: Index | None = None  # once the recorded bundle is known not to do
        self.speculative = 0  # recorded pages sent ahead

    def ahead(self, unchanged: set[str], changed: set[str]) -> list[str]:
        """Before the build writes anything, given the content files by modification."""
        ahead = None if self.record is None else pages_ahead(self.record, unchanged, changed)
        if ahead is None:
            return []
        self.speculative = len(ahead)
        return self.new_index() + self.plan(ahead, self.record.pages)

    def written(
        self, relative: str, digest: str | None, source: str | None = None, html: str | None = None
    ) -> list[str]:
        """A page the build wrote: its digest (None: not searchable, or not read) and HTML."""
        if relative in self.pages or digest is None:
            if self.pages.get(relative, digest) != digest:
                self.rewritten = True
            self.quiet += 1
            index = self.index
            if self.quiet == EARLY_WRITE_AFTER and index is not None and not index.write_asked:
                index.write_asked = True
                return [WRITE]
            return []
        self.quiet = 0
        self.pages[relative], self.sources[relative] = digest, source
        index = self.index
        if index is None:
            if self.record is not None and self.record.pages.get(relative) == digest:
                return []
            steps = self.new_index() + self.plan(list(self.pages)[:-1])  # the pages so far
            return steps + self.plan_page(relative, digest, html)
        if index.sent.get(relative) == digest:
            return []
        if relative in index.queued:
            if index.queued[relative].digest != digest:
                index.queued[relative] = Planned(digest, html)  # not sent yet: this one instead
            return []
        # New, or sent ahead with other bytes: Pagefind replaces a page sent again (same path).
        return self.plan_page(relative, digest, html)

    def other_written(self, source: str | None) -> None:
        """A page of another part: searchable all the same, so the articles are not done."""
        self.quiet = 0
        if source:
            self.other_sources.add(source)

    def take(self, relative: str) -> Planned | None:
        """The page to send for a step, None if it was replaced by a new index or already sent."""
        return self.index.queued.pop(relative, None) if self.index is not None else None

    def sending(self, relative: str, planned: Planned, found: str | None) -> str | None:
        """The digest sent for a page about to go; ``found``: that of its file now, for a page
        planned from disk. None: not the page expected, left for the build to write again."""
        if planned.html is not None:
            found = planned.digest
        elif not found or (planned.digest is not None and found != planned.digest):
            return None
        elif planned.digest is None and relative in self.pages:
            self.pages[relative] = found  # as it is on disk now
        self.index.sent[relative] = found
        return found

    def may_write(self) -> bool:
        """Whether every page sent is one of this build's, as written (not a page sent ahead
        that the build has not written yet, or wrote otherwise)."""
        return all(self.pages.get(page) == digest for page, digest in self.index.sent.items())

    def finish(self) -> list[str] | None:
        """At the end of the build: None when the recorded bundle is this build's, else the
        steps still to run before the bundle is written (then ``settle``)."""
        record = self.record
        if record is not None and not self.rewritten and record.pages == self.pages:
            return None
        if self.index is None or self.rewritten:
            return self.replay()
        for page in [page for page in self.index.queued if page not in self.pages]:
            del self.index.queued[page]  # to be sent ahead, but not written by this build
        return []

    def settle(self) -> list[str]:
        """Once every step ran: an index of the final files when a page sent ahead was not
        written by the build, or written otherwise."""
        return [] if self.may_write() else self.replay()

    def recorded(self, started: int) -> Record:
        """The record of the bundle written for this build (begun at ``started``, ns)."""
        return Record(self.pages, self.sources, frozenset(self.other_sources), started)

    def replay(self) -> list[str]:
        """A new index of this build's pages, from the final files."""
        return self.new_index() + self.plan(self.pages)

    def new_index(self) -> list[str]:
        self.index = Index()
        return [NEW_INDEX]

    def plan(self, pages: Iterable[str], digests: Mapping[str, str] | None = None) -> list[str]:
        """Pages for the current index, read when sent: their expected digests, else as on disk."""
        steps = sending_order(pages)
        for page in steps:
            self.index.queued[page] = Planned((digests or {}).get(page))
        return steps

    def plan_page(self, relative: str, digest: str, html: str) -> list[str]:
        self.index.queued[relative] = Planned(digest, html)
        return [relative]
