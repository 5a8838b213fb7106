"""Every use of Pelican's private names and undocumented behaviours, in one place.

Pelican 4.12 gives plugins no public way to change an article's body after reading, to forget
what it memoized of a body, or to resolve ``{static}`` links in a fragment. Our plugins need
each, so this module does it for them and nothing else does: a plugin that needs a new private
name adds a function here, with a line in ``CHECK_ON_UPGRADE``. ``tests/core/test_compat.py``
fails on any Pelican version other than ``PELICAN_VERSION`` and prints that list, so an upgrade
starts by checking each entry against the new Pelican's source.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Container, Iterable

from pelican.contents import Content
from pelican.writers import Writer

PELICAN_VERSION = "4.12.0"

# What to check again in Pelican's source before changing PELICAN_VERSION.
CHECK_ON_UPGRADE = (
    "contents.Content._content: the body as read (HTML before {static} links are resolved)",
    "contents.Content._summary: the summary stored from the header or the settings",
    "contents.Content.get_content, get_summary: @memoized, cache keyed by (self, siteurl)",
    "contents.Content._update_content(html, siteurl): resolves {static}, {filename} links",
)


def body(content) -> str:
    """The body of an article or page as read, before Pelican resolves its links."""
    return content._content or ""


def set_body(content, html: str) -> None:
    """Replace the body that Pelican renders (callers then ``forget_rendered``)."""
    content._content = html


def stored_summary(content) -> str | None:
    """The summary Pelican keeps for the object (from the header or cut by its settings)."""
    value = getattr(content, "_summary", None)
    return value if isinstance(value, str) else None


def set_stored_summary(content, html: str) -> None:
    content._summary = html


def forget_rendered(contents: Iterable) -> None:
    """Drop Pelican's memoized body and summary of these objects: they were rewritten."""
    wanted = {id(content) for content in contents}
    if not wanted:
        return
    for method in (Content.get_content, Content.get_summary):
        cache = getattr(method, "cache", None)
        if cache is None:
            raise RuntimeError(f"Pelican's {method.__qualname__} is no longer memoized: see compat")
        for key in [key for key in cache if key and id(key[0]) in wanted]:
            del cache[key]


def resolve_links(content, html: str) -> str:
    """``html`` with its ``{static}``/``{filename}`` links resolved as Pelican does in a body."""
    return content._update_content(html, content.get_siteurl())


# --- site_writer: Pelican's Writer ------------------------------------------------------------
# Pelican's writer has no public way to keep a file it would write, nor to change a feed item.

CHECK_ON_UPGRADE += (
    "writers.Writer.write_file: renders each file with template.render(localcontext), "
    "localcontext being a copy of context plus the page's values, then opens it with _open_w, "
    "logs WRITING_LINE on the logger pelican.writers, sends content_written",
    "writers.Writer._open_w(filename, encoding, override): opens every output file; raises "
    "FileOverwriteFailedError on a second write without override",
    "writers.Writer._written_files, _overridden_files: the files _open_w opened this build",
    "writers.Writer._add_item_to_the_feed(feed, item): appends one entry to feed.items",
    "contents.Content._context: the build's shared context, kept by every content object",
)
WRITING_LINE = 'Writing "%s"'
WRITERS_LOGGER = "pelican.writers"


class HookedWriter(Writer):
    """Pelican's ``Writer``, with the private steps our writer changes under public names."""

    def open_output(self, filename: str, encoding: str, override: bool):
        """Open an output file as Pelican does: a second write of a file is refused (raises
        ``FileOverwriteFailedError``) unless one of the writes overrides."""
        return super()._open_w(filename, encoding, override)

    def already_written(self, filename: str) -> bool:
        return filename in self._written_files

    def count_as_written(self, filename: str, override: bool) -> None:
        """Record a file as written by this build without opening it (a later write of the same
        file is then refused or skipped as if it had been opened)."""
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)

    def feed_item_added(self, feed, item) -> None:
        """Called once Pelican has added ``item`` to ``feed`` (the last of ``feed.items``)."""

    def _open_w(self, filename, encoding, override=False):
        return self.open_output(filename, encoding, override)

    def _add_item_to_the_feed(self, feed, item):
        super()._add_item_to_the_feed(feed, item)
        self.feed_item_added(feed, item)


@contextlib.contextmanager
def writing_line_hidden(paths: Container[str]):
    """Within the block, Pelican does not log that it writes one of ``paths``."""

    def shown(record: logging.LogRecord) -> bool:
        return not (record.msg == WRITING_LINE and record.args and record.args[0] in paths)

    logger = logging.getLogger(WRITERS_LOGGER)
    logger.addFilter(shown)
    try:
        yield
    finally:
        logger.removeFilter(shown)


def content_fields(content) -> dict:
    """An article's or page's attributes, without its body and the build's context it keeps."""
    fields = dict(vars(content))
    fields.pop("_content", None)
    fields.pop("_context", None)
    return fields
