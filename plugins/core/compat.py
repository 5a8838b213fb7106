"""Every use of Pelican's private names and undocumented behaviours, in one place.

Pelican 4.12 gives plugins no public way to change an article's body after reading, to forget
what it memoized of a body, or to resolve ``{static}`` links in a fragment. Our plugins need
each, so this module does it for them and nothing else does: a plugin that needs a new private
name adds a function here, with a line in ``CHECK_ON_UPGRADE``. ``tests/core/test_compat.py``
fails on any Pelican version other than ``PELICAN_VERSION`` and prints that list, so an upgrade
starts by checking each entry against the new Pelican's source.
"""

from __future__ import annotations

from collections.abc import Iterable

import pelican.log
import pelican.readers
from pelican.contents import Content

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


# --- read_ahead: results read by a worker, given to Pelican's reader cache -------------------

CHECK_ON_UPGRADE += (
    "readers.Readers.read_file: sends the preread signal, then takes (content, metadata) from "
    "get_cached_data(path, (None, None)) and calls reader.read(path) only when it finds nothing",
    "readers._filter_discardable_metadata: what read_file does to a reader's metadata before "
    "caching it (drops the values marked _DISCARD)",
    "cache.FileStampDataCacher._cache, _get_file_stamp: entries are path -> (stamp, data); "
    "get_cached_data answers an entry whose stamp is the file's, whatever the caching policy",
    "log.LimitFilter._raised_messages, _group_count: the class-level memory of the messages "
    "already logged in the process, which drops a second build's repeated warnings",
)


def read_as_cached(reader, path: str) -> tuple:
    """``reader.read(path)`` in the form Pelican's reader cache keeps it."""
    content, metadata = reader.read(path)
    return content, pelican.readers._filter_discardable_metadata(metadata)


def file_stamp(readers, path: str):
    """What Pelican's reader cache compares to know a file unchanged (``CHECK_MODIFIED_METHOD``)."""
    return readers._get_file_stamp(path)


def offer_to_reader_cache(readers, path: str, stamp, result: tuple) -> None:
    """Pelican takes ``result`` (from ``read_as_cached``) instead of reading ``path``, as long as
    the file's stamp is still ``stamp``."""
    readers._cache[path] = (stamp, result)


def forget_logged_messages() -> None:
    """Let the next build of this process log the warnings an earlier one logged (tests)."""
    pelican.log.LimitFilter._raised_messages.clear()
    pelican.log.LimitFilter._group_count.clear()
