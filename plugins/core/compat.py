"""Every use of Pelican's private names and undocumented behaviours, in one place.

Pelican 4.12 gives plugins no public way to change an article's body after reading, to forget
what it memoized of a body, or to resolve ``{static}`` links in a fragment; nor to replace its
own log lines: "Could not process" after a file our checks already reported, two English
warnings for a slug used twice, and ``rich`` log lines wrapped at 80 columns off a terminal
(``adapt_log_messages``). Our plugins need each, so this module does it for them and nothing
else does: a plugin that needs a new private name adds a function here, with a line in
``CHECK_ON_UPGRADE``. ``tests/core/test_compat.py``
fails on any Pelican version other than ``PELICAN_VERSION`` and prints that list, so an upgrade
starts by checking each entry against the new Pelican's source.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
from collections.abc import Container, Iterable

import pelican.log
import pelican.readers
from pelican.contents import Content
from pelican.readers import MarkdownReader
from pelican.writers import Writer
from rich.logging import RichHandler

from .errors import ContentError, shown_path

PELICAN_VERSION = "4.12.0"

# What to check again in Pelican's source before changing PELICAN_VERSION.
CHECK_ON_UPGRADE = (
    "contents.Content._content: the body as read (HTML before {static} links are resolved)",
    "contents.Content._summary: the summary stored from the header or the settings",
    "contents.Content.get_content, get_summary: @memoized, cache keyed by (self, siteurl)",
    "contents.Content._update_content(html, siteurl): resolves {static}, {filename} links",
    "generators: a reader's exception is logged 'Could not process %s' (logger "
    "pelican.generators, inside the except block) and the file is skipped",
    "utils.get_original_items: a slug used twice gives two English warnings (logger "
    "pelican.utils), args (count, 'with slug \"…\"', paths…)",
    "log.console: the rich Console; pelican.log.init puts a RichHandler on the root logger",
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


# Pelican's own log lines.

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


# Pelican's line for a file linked with {static} that does not exist: it names neither the
# article nor the line. plugins/photos reports missing images with both.
MISSING_FILE = "Cannot get modification stamp for %s\n\t%s"
CHECK_ON_UPGRADE += (
    "cache.FileStampDataCacher._get_file_stamp: a missing linked file is logged (logger "
    "pelican.cache) as 'Cannot get modification stamp for %s\\n\\t%s' (path, error)",
)


class MissingFileLines(logging.Filter):
    """Drops Pelican's line about a missing file that ``reported(path)`` says a plugin reports."""

    def __init__(self, reported):
        super().__init__()
        self.reported = reported

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg != MISSING_FILE or not record.args:
            return True
        path = str(record.args[0])
        return os.path.exists(path) or not self.reported(path)


def leave_missing_files_to(reported) -> None:
    """From now on, Pelican's line about a missing file is left out when ``reported(path)``
    (None: every such line is shown again); one filter per process, replaced each build."""
    each = logging.getLogger("pelican.cache")
    for old in [f for f in each.filters if isinstance(f, MissingFileLines)]:
        each.removeFilter(old)
    if reported is not None:
        each.addFilter(MissingFileLines(reported))


def adapt_log_messages(pelican_object) -> None:
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


# --- authoring: Pelican's Markdown reader ---------------------------------------------------
# Pelican's reader has no hook before it parses a header, and reads a date from a file's name
# (FILENAME_METADATA) before it calls ``read``, when the reader does not know the file yet.

CHECK_ON_UPGRADE += (
    "readers.MarkdownReader._parse_metadata(meta): parses the header given by the meta "
    "extension (key -> list of lines); self._source_path is the file being read",
    "readers.Readers.read_file(base_path, path, ...): reads the file name's metadata (its "
    "process_metadata) before calling reader.read; readers.readers holds one reader per format",
)


class CheckedMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader with public hooks: ``source_path``, ``dates_from_file_name``
    (True while Pelican reads the file's name, before ``read``) and ``check_header(meta)``,
    called before Pelican parses a header."""

    dates_from_file_name = False

    @property
    def source_path(self) -> str:
        return self._source_path

    def check_header(self, meta: dict) -> None:
        """Raise to refuse the file; ``meta`` maps each header key to its lines."""

    def read(self, source_path):
        self.dates_from_file_name = False
        return super().read(source_path)

    def _parse_metadata(self, meta):
        self.check_header(meta)
        return super()._parse_metadata(meta)


def use_markdown_reader(readers, reader_class: type[CheckedMarkdownReader]) -> None:
    """Read Markdown with ``reader_class``, whose readers know each file before ``read``."""
    for extension in reader_class.file_extensions:
        readers.reader_classes[extension] = reader_class
    read_file = readers.read_file

    def read_file_named(base_path, path, *args, **kwargs):
        for reader in readers.readers.values():
            if isinstance(reader, CheckedMarkdownReader):
                reader._source_path = os.path.abspath(os.path.join(base_path, path))
                reader.dates_from_file_name = True
        return read_file(base_path, path, *args, **kwargs)

    readers.read_file = read_file_named


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


# --- search: Pagefind's Python client ---------------------------------------------------------
#
# The search plugin feeds Pagefind's service one page at a time. Pagefind's own client reads each
# answer after a 0.1 s pause (ten pages a second), refuses answers over 2 MiB (the bundle, in
# base64, is 10 MB at 3,000 articles), formats every request into a debug line (twice the cost
# of encoding it) and waits forever once the binary has exited. ``pagefind_service()`` is that
# client with its reading, sending and ending replaced; the plugin then calls only its public
# ``create_index`` and the index's ``add_html_file`` and ``get_files``.

PAGEFIND_VERSION = "1.5.2"
# The longest answer read from the service: the bundle, files in base64.
PAGEFIND_ANSWER_LIMIT = 2**30
# What is kept of the binary's own output, for the reason it ended.
PAGEFIND_OUTPUT_KEPT = 4096
# Seconds given to the service to end once asked.
PAGEFIND_STOP_WAIT = 5

CHECK_ON_UPGRADE += (
    "pagefind (1.5.2) service.PagefindService.launch: starts self._backend (self._bin --service, "
    "answers on its stdout, 2 MiB limit) and self._poll_task = self._wait_for_responses(), "
    "which still pauses 0.1 s per answer? If not, drop our launch and reader",
    "pagefind (1.5.2) PagefindService.send: a request is base64(JSON {message_id, payload}) "
    "followed by ',', self._message_id counts them, self._responses[id] is the future of each, "
    "made on self._loop",
    "pagefind (1.5.2) the service's answers: base64(JSON {message_id, payload}) followed by ','; "
    "payload type 'Error' with 'message' (and 'original_message' when the id is missing)",
)


class PagefindEnded(Exception):
    """Pagefind's service ended: its exit ``code`` and ``output`` (the end of what it printed);
    ``overrun`` when it was stopped for an answer over ``PAGEFIND_ANSWER_LIMIT``."""

    def __init__(self, code: int | None, output: str, overrun: bool = False):
        super().__init__(code, output)
        self.code, self.output, self.overrun = code, output, overrun


class PagefindRefused(Exception):
    """Pagefind's service answered a request with an error (its message)."""


def pagefind_service():
    """A client of Pagefind's service, to ``launch``, use and ``stop`` (``ended()``: why the
    binary ended, once its output closed). Its class is made here, once per build: builds
    without search never import pagefind."""
    import asyncio
    import base64
    import binascii
    import contextlib
    import json

    from pagefind.service import PagefindService

    class PagefindClient(PagefindService):
        failure: PagefindEnded | None = None

        async def launch(self):
            """Pagefind's ``launch`` with room for the answer carrying the whole bundle."""
            self._backend = await asyncio.create_subprocess_exec(
                self._bin,
                "--service",
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
                limit=PAGEFIND_ANSWER_LIMIT,
            )
            self._poll_task = self._loop.create_task(self._wait_for_responses())
            return self

        async def send(self, payload):
            """Pagefind's ``send`` without its debug lines; fails at once once the binary ended."""
            if self.failure is not None:
                raise self.failure
            self._message_id += 1
            future = self._responses[self._message_id] = self._loop.create_future()
            request = {"message_id": self._message_id, "payload": payload}
            self._backend.stdin.write(base64.b64encode(json.dumps(request).encode("utf-8")) + b",")
            await self._backend.stdin.drain()
            return await future

        async def _wait_for_responses(self) -> None:
            """Answers as they come; when the binary ends, every pending request fails with its
            exit code and last output (that of a binary that is not a service, or panics)."""
            stdout, output, overrun = self._backend.stdout, b"", False
            while True:
                try:
                    chunk = await stdout.readuntil(b",")
                except asyncio.IncompleteReadError as exc:
                    output = (output + exc.partial)[-PAGEFIND_OUTPUT_KEPT:]
                    break
                except asyncio.LimitOverrunError:
                    overrun = True
                    self._backend.kill()
                    break
                try:
                    self.answer(json.loads(base64.b64decode(chunk[:-1], validate=True)))
                except (ValueError, binascii.Error, TypeError, KeyError, AttributeError):
                    output = (output + chunk)[-PAGEFIND_OUTPUT_KEPT:]  # printed, not an answer
            code = await self._backend.wait()
            text = output.decode("utf-8", errors="replace")
            self.failure = PagefindEnded(code, text, overrun)
            for future in self._responses.values():
                if not future.done():
                    future.set_exception(self.failure)
                    future.exception()  # retrieved: a request whose writing failed is not awaited

        def answer(self, answer: dict) -> None:
            message_id = answer.get("message_id")
            payload = answer["payload"]
            if message_id is None and payload.get("original_message"):
                message_id = json.loads(payload["original_message"]).get("message_id")
            future = self._responses.pop(message_id, None)
            if future is None or future.done():
                return
            if payload["type"] == "Error":
                future.set_exception(PagefindRefused(payload["message"]))
            else:
                future.set_result(payload)

        async def ended(self) -> PagefindEnded | None:
            """Why the binary ended, once its output is closed (within the stop wait)."""
            if getattr(self, "_poll_task", None) is not None:
                await asyncio.wait({self._poll_task}, timeout=PAGEFIND_STOP_WAIT)
            return self.failure

        async def stop(self) -> None:
            """End the binary and reap it: its input closed, its pipes seen closed."""
            backend = getattr(self, "_backend", None)
            if backend is None:  # never launched
                return
            backend.stdin.close()
            if backend.returncode is None:
                with contextlib.suppress(ProcessLookupError):  # ended meanwhile
                    backend.terminate()
                try:
                    await asyncio.wait_for(backend.wait(), PAGEFIND_STOP_WAIT)
                except TimeoutError:
                    with contextlib.suppress(ProcessLookupError):
                        backend.kill()
                    await backend.wait()
            with contextlib.suppress(OSError):
                await backend.stdin.wait_closed()
            self._poll_task.cancel()
            await asyncio.wait({self._poll_task})

    return PagefindClient()


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


# --- preview: Pelican built again and again in one live process ------------------------------
# Pelican keeps, at module level, what it memoized of every content object it ever rendered and
# which warnings it has logged: in a process that builds once, nothing; in ``make serve``'s live
# process, every build's articles kept alive and a second build's warnings dropped.

CHECK_ON_UPGRADE += (
    "contents.Content.get_content, get_summary: the memoized cache holds every object rendered "
    "in the process (cleared whole between two live builds)",
    "log.LimitFilter._raised_messages, _group_count: cleared between two live builds, so that "
    "an error still there is shown again",
)


def forget_earlier_builds() -> None:
    """Before another build in this process: drop what Pelican memoized and logged before."""
    for method in (Content.get_content, Content.get_summary):
        cache = getattr(method, "cache", None)
        if cache is None:
            raise RuntimeError(f"Pelican's {method.__qualname__} is no longer memoized: see compat")
        cache.clear()
    forget_logged_messages()


CHECK_ON_UPGRADE += (
    "writers.Writer._written_files, _overridden_files: emptied before a live preview writes "
    "some files of a finished build again",
    "readers.Readers._cache: entries path -> (stamp, (content, metadata)) as the reader gave them "
    "(a live preview compares an edited file's metadata with the previous reading's)",
)


def forget_written(writer) -> None:
    """Let ``writer`` write again files it wrote during its build."""
    writer._written_files.clear()
    writer._overridden_files.clear()


def cached_reading(readers, path: str) -> tuple | None:
    """The (body, metadata) Pelican's reader cache holds for ``path``, None when none."""
    entry = getattr(readers, "_cache", {}).get(path)
    return entry[1] if entry else None
