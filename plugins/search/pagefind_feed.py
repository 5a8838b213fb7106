"""The search plugin's indexing process: paths of written pages in, a Pagefind bundle out.

``search.py`` starts it once per build, as a script (``python pagefind_feed.py CONFIG``): it
imports neither Pelican nor the plugin package, so it starts in a tenth of a second, and it runs
on the other core, away from the build's GIL. Its asyncio loop reads, on standard input, one
JSON line per page Pelican writes (``["page", relative path, content page?, content file]``) and
``["end"]`` at ``finalized``. When ``SEARCH_PARTITIONS`` splits the index, each part has a
``PageFeed`` of its own (an article or a page goes to its part, ``part_of``; the others are told
its content file, ``["other", content file]``), all of them sharing one Pagefind. It reads each
content page back from the output, sends the searchable ones to Pagefind's service
(``pagefind.index``, elisions split), and at the end writes the bundle and prints one JSON line:
``{"count": …}`` or ``{"error": "…"}`` (French). Standard input closing before ``["end"]`` means
the build failed: Pagefind is stopped and nothing is written. Two queues: the build's messages
are digested as they come (``consume``), the requests to Pagefind wait in an ``outbox`` of their
own (``send_all``), so that knowing a page unchanged never waits behind Pagefind.

The bundle is current when no searchable page changed: ``CONFIG["record"]`` keeps a digest and
the content file of each page of the build that wrote it (with the output, the options,
Pagefind's version and when that build began). Pages whose digest is the recorded one are not
sent; the first page that differs starts Pagefind, which is then sent the searchable pages
seen so far (read again from the output) and all the next ones; a page that disappeared is
only known at the end, where everything is sent then. A page written twice in one build with
other bytes is indexed again from the final files.

Sent ahead (``speculate``): Pagefind cannot update a bundle, so one edited article costs the
indexing of every page (about 8 s of Pagefind for 3,000 articles). When the output is kept
(``CONFIG["speculate"]``) and a content file changed or went since the recorded build began (not
counting those of the other parts' pages), Pagefind starts with the build, before Pelican has
read anything, and is sent the recorded pages of the other content files as they are in the
output (a page whose bytes are not the recorded ones is left for the build). The build's pages
are then checked against what was sent: a page written with other bytes is sent again (Pagefind
keeps the last page sent for a path), and a page sent but not written by the build makes the
index start again at the end.

Once the articles are written (``EARLY_WRITE_AFTER`` pages without the marker in a row: Pelican
writes its listings after them), the bundle is written while Pelican goes on; if a searchable
page comes after all, it is written again at the end.

The bundle is asked for (``get_files``) and written here, beside the old one, then renamed:
the service answers ``WriteFiles`` before its own writes reach the disk, and exits at once when
its input closes, which could lose the last files.

Pagefind's client reads each answer of the service after a 0.1 s pause (ten pages a second),
formats every request into its debug lines, and waits forever when the binary exits:
``Service`` reads answers as they come (with room for the bundle), sends without those lines,
and fails every pending request with the binary's exit code and last message when it ends.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import hashlib
import json
import os
import re
import resource
import shutil
import sys
import time
from importlib import metadata as package_metadata
from pathlib import Path

if __package__:
    from .stable_bundle import stable_files
else:  # run as a script by search.py: its folder is the first on sys.path
    from stable_bundle import stable_files

RECORD_VERSION = 3
# The marker Pagefind looks for; a page without it is not indexed.
SEARCHABLE_MARKER = "data-pagefind-body"
# A typographic apostrophe, as a character or an entity. It is an elision (l’entreprise, qu’il)
# or a contraction (aujourd’hui) when it stands between two letters (not ’ before a digit) of
# the page's text, not inside a tag (``split_elisions``).
ELISION = re.compile(r"(?<=[^\W\d_])(?:’|&(?:rsquo|#8217|#x2019);)(?=[^\W\d_])")
# Written pages without the marker in a row, after searchable ones, that mean the articles are
# done: the bundle is written then (and again at the end if a searchable page comes after all).
EARLY_WRITE_AFTER = 50
# The longest answer of the service: the bundle, files in base64 (10 MB for 3,000 articles).
ANSWER_LIMIT = 2**30
# What is kept of the binary's output for an error message.
NOISE_KEPT = 4096
# Seconds given to the service to end once asked.
STOP_WAIT = 5
END, ABORT = "end", "abort"
# The message naming the content file of a page of another part of the index.
OTHER = "other"
# Requests of the sender task besides page paths.
NEW_INDEX, WRITE = ":new-index", ":write"


class SearchIndexError(Exception):
    """Pagefind could not index the site; the message names the cause, in French."""


# --- Pure functions -------------------------------------------------------------------------


def split_elisions(html: str) -> str:
    """The page with straight apostrophes inside words of its text, so Pagefind indexes both
    parts; attributes (filter values such as a series name) keep their typographic ones."""

    def straight(match: re.Match) -> str:
        start = match.start()
        # Text, not a tag: the last angle bracket before it closes a tag.
        in_text = html.rfind(">", 0, start) > html.rfind("<", 0, start)
        return "'" if in_text else match.group()

    return ELISION.sub(straight, html)


def page_digest(html: str) -> str:
    return hashlib.sha256(html.encode("utf-8")).hexdigest()


def pagefind_version() -> str:
    try:
        return package_metadata.version("pagefind")
    except package_metadata.PackageNotFoundError:
        return "?"


def record_key(output: str, config: dict) -> dict:
    """What a recorded bundle must share with this build to be kept: output, options, version."""
    return {"output": output, "config": config, "pagefind": pagefind_version()}


def load_record(record: Path, key: dict, bundle: Path) -> dict | None:
    """The record of the bundle, if it describes it: ``pages`` (``{relative path: digest}``),
    ``sources`` (each page's content file), ``other_sources`` (those of the pages in other
    parts of the index) and ``started`` (when its build began, ns)."""
    try:
        known = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    usable = (
        isinstance(known, dict)
        and known.get("version") == RECORD_VERSION
        and known.get("key") == key
        and isinstance(known.get("pages"), dict)
        and isinstance(known.get("sources"), dict)
        and isinstance(known.get("started"), int)
        and isinstance(known.get("other_sources"), list)
        and (bundle / "pagefind-ui.js").exists()
    )
    return known if usable else None


def save_record(record: Path, key: dict, feed: PageFeed, started: int) -> None:
    record.parent.mkdir(parents=True, exist_ok=True)
    content = {
        "version": RECORD_VERSION,
        "key": key,
        "pages": feed.pages,
        "sources": feed.sources,
        "other_sources": sorted(feed.other_sources),
        "started": started,
    }
    record.write_text(json.dumps(content, sort_keys=True), encoding="utf-8")


def unchanged_files(content: Path, since: int) -> tuple[set[str], set[str]]:
    """Paths, relative to ``content``, of its files last modified before ``since`` (ns), and
    of the others."""
    unchanged, changed = set(), set()
    for folder, _, names in os.walk(content):
        for name in names:
            path = os.path.join(folder, name)
            try:
                modified = os.stat(path).st_mtime_ns
            except OSError:  # removed meanwhile
                continue
            relative = Path(path).relative_to(content).as_posix()
            (unchanged if modified < since else changed).add(relative)
    return unchanged, changed


def last_line(text: str) -> str:
    """The last non-empty line of a program's output: usually the reason it failed."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "aucun message"


def check_pagefind() -> None:
    """SearchIndexError naming what is missing when the Pagefind binary cannot be found."""
    try:
        from pagefind.service import get_executable
    except ImportError as exc:
        raise SearchIndexError("le paquet Python pagefind[bin] n'est pas installé") from exc
    binary = get_executable()
    if binary is None:
        raise SearchIndexError("binaire Pagefind introuvable : installez pagefind[bin]")
    if not binary.exists():
        raise SearchIndexError(f"binaire Pagefind introuvable : {binary}")


# --- Pagefind's service ---------------------------------------------------------------------


def service_class():
    """Pagefind's service client, reading answers as they come (imported when first needed)."""
    from pagefind.service import PagefindService

    class Service(PagefindService):
        """Answers read without pause; when the binary ends, every request fails with its exit
        code and last message (the output of a binary that is not a service, or panics)."""

        failure: SearchIndexError | None = None

        async def launch(self):
            """Pagefind's ``launch`` with room for the answer carrying the whole bundle."""
            self._backend = await asyncio.create_subprocess_exec(
                self._bin,
                "--service",
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
                limit=ANSWER_LIMIT,
            )
            self._poll_task = self._loop.create_task(self._wait_for_responses())
            return self

        async def send(self, payload):
            """Pagefind's ``send`` without its debug lines, which format every page sent
            (twice the cost of encoding it), and failing at once once the binary ended."""
            if self.failure is not None:
                raise self.failure
            self._message_id += 1
            future = self._responses[self._message_id] = self._loop.create_future()
            request = {"message_id": self._message_id, "payload": payload}
            self._backend.stdin.write(base64.b64encode(json.dumps(request).encode("utf-8")) + b",")
            await self._backend.stdin.drain()
            return await future

        async def _wait_for_responses(self) -> None:
            stdout = self._backend.stdout
            noise = b""
            while True:
                try:
                    chunk = await stdout.readuntil(b",")
                except asyncio.IncompleteReadError as exc:
                    noise = (noise + exc.partial)[-NOISE_KEPT:]
                    break
                except asyncio.LimitOverrunError:
                    noise = "une réponse de Pagefind trop longue".encode()
                    self._backend.kill()
                    break
                try:
                    self.answer(json.loads(base64.b64decode(chunk[:-1], validate=True)))
                except (ValueError, binascii.Error, TypeError, KeyError, AttributeError):
                    noise = (noise + chunk)[-NOISE_KEPT:]  # printed by the binary, not an answer
            code = await self._backend.wait()
            reason = last_line(noise.decode("utf-8", errors="replace"))
            self.failure = SearchIndexError(f"Pagefind a échoué (code {code}) : {reason}")
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
                future.set_exception(SearchIndexError(f"Pagefind a refusé : {payload['message']}"))
            else:
                future.set_result(payload)

        async def stop(self) -> None:
            """End the binary and reap it: its input closed, its pipes seen closed."""
            backend = self._backend
            backend.stdin.close()
            if backend.returncode is None:
                with contextlib.suppress(ProcessLookupError):  # ended meanwhile
                    backend.terminate()
                try:
                    await asyncio.wait_for(backend.wait(), STOP_WAIT)
                except TimeoutError:
                    with contextlib.suppress(ProcessLookupError):
                        backend.kill()
                    await backend.wait()
            with contextlib.suppress(OSError):
                await backend.stdin.wait_closed()
            self._poll_task.cancel()
            await asyncio.wait({self._poll_task})

    return Service


class Pagefind:
    """One Pagefind service for every part of the index, started when first needed: it takes
    one request at a time, so the parts share one core, as a single index would."""

    def __init__(self):
        self.service = None

    async def new_index(self, config: dict):
        if self.service is None:
            try:
                service = service_class()()
                await service.launch()
            except OSError as exc:
                raise SearchIndexError(f"Pagefind n'a pas pu être lancé : {exc}") from exc
            self.service = service
        return await self.service.create_index(config)

    async def stop(self) -> None:
        if self.service is not None and hasattr(self.service, "_backend"):
            await self.service.stop()
        self.service = None


def part_of(relative: str, parts: int) -> int:
    """The part of the index a page belongs to: by a digest of its path, the same in every
    build, and even."""
    digest = hashlib.blake2b(relative.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % parts


# --- The pages of one build -----------------------------------------------------------------


class PageFeed:
    """The written pages of one build on their way to Pagefind, in the order they were written.

    Two queues, so that knowing whether a page changed never waits for Pagefind: the build's
    messages (``queue``, digested as they come by ``consume``) and the requests to Pagefind
    (``outbox``, worked through by the ``sender`` task).
    """

    def __init__(
        self,
        output: Path,
        bundle: Path,
        record: Path,
        config: dict,
        key: dict,
        pagefind: Pagefind | None = None,
    ):
        self.output, self.bundle, self.record = output, bundle, record
        self.config, self.key = config, key
        self.pagefind = pagefind or Pagefind()
        self.own_pagefind = pagefind is None  # stopped with this feed
        self.queue: asyncio.Queue = asyncio.Queue()  # unbounded: the build never waits
        self.ended = False
        self.pages: dict[str, str] = {}  # searchable pages of this build: digest by path
        self.sources: dict[str, str | None] = {}  # their content file
        self.other_sources: set[str] = set()  # of the pages in the other parts of the index
        self.known: dict[str, str] | None = None  # the recorded bundle's pages
        self.recorded: dict = {}  # the whole record
        self.loaded = False
        self.rewritten = False  # a page was written again with other bytes
        self.index = None
        self.failure: SearchIndexError | None = None
        self.indexing = False  # an index of this build's pages is being made
        self.outbox: asyncio.Queue = asyncio.Queue()
        self.sender: asyncio.Task | None = None
        # Pages on their way to the index: the digest expected (None: the page as it is on
        # disk when sent) and the HTML, if already read.
        self.planned: dict[str, tuple[str | None, str | None]] = {}
        self.sent_pages: dict[str, str] = {}  # pages in the index: the digest sent
        self.speculative = 0  # pages of the recorded bundle sent before the build wrote them
        self.quiet = 0  # pages without the marker written since the last searchable one
        self.unwritten = False  # pages sent since the bundle was last written
        self.early_write = False  # the bundle was written before the end
        self.write_asked = False
        self.sent = 0
        self.backlog, self.end_time = 0, 0.0  # pages still queued at "end", and when

    def receive(self, message: list | None) -> None:
        """One message of the build (None: its input closed)."""
        if message is None:
            if not self.ended:
                self.queue.put_nowait(ABORT)
        elif message[0] in ("page", OTHER):
            self.queue.put_nowait(tuple(message))
        elif message[0] == END:
            self.ended = True
            self.backlog, self.end_time = self.queue.qsize(), time.perf_counter()
            self.queue.put_nowait(END)

    def load(self) -> None:
        if self.loaded:
            return
        self.loaded = True
        self.recorded = load_record(self.record, self.key, self.bundle) or {}
        self.known = self.recorded.get("pages")
        try:
            check_pagefind()  # reported even when no page changed, like a broken install
        except SearchIndexError as exc:
            self.failure = exc

    def speculate(self, content: str | None) -> None:
        """Before the build writes anything: when content files changed (or went) since the
        recorded bundle was made, other than those of the other parts' pages, send Pagefind at
        once the recorded pages made from the unchanged files, as they are in the output. An
        edit then finds most of the index already made; a page sent ahead that the build writes
        otherwise is sent again (``take``), one it does not write starts the index again at the
        end (``conclude``)."""
        self.load()
        if self.known is None or content is None or self.failure is not None:
            return
        unchanged, changed = unchanged_files(Path(content), self.recorded["started"])
        sources, others = self.recorded["sources"], set(self.recorded["other_sources"])
        ahead = [page for page in self.known if sources.get(page) in unchanged]
        gone = any(sources.get(page) not in unchanged for page in self.known if sources.get(page))
        if not gone and changed <= others:
            return  # the pages will most likely be the recorded ones: no Pagefind at all
        self.restart()
        for relative in ahead:
            self.plan(relative, self.known[relative])
            self.speculative += 1

    async def consume(self) -> bool:
        """Take every written page; whether the build ended (rather than failed)."""
        while (item := await self.queue.get()) not in (END, ABORT):
            if item[0] == OTHER:
                self.quiet = 0  # a searchable page all the same: the articles are not done
                if item[1]:
                    self.other_sources.add(item[1])
            else:
                self.take(*item[1:])
        return item == END

    def take(self, relative: str, content: bool, source: str | None = None) -> None:
        """Digest a written page; plan sending it once the bundle is not current. A listing
        (not ``content``) is not read: it only counts as a page without the marker."""
        self.load()
        html = self.read(relative) if content else None
        digest = html and page_digest(html)
        if relative in self.pages or not digest:
            if self.pages.get(relative, digest) != digest:
                self.rewritten = True  # written again: indexed from the final files at the end
            self.quiet += 1
            if self.quiet == EARLY_WRITE_AFTER and self.indexing and not self.write_asked:
                self.write_asked = True
                self.outbox.put_nowait(WRITE)
            return
        self.quiet = 0
        self.pages[relative] = digest
        self.sources[relative] = source
        if not self.indexing:
            if self.known is not None and self.known.get(relative) == digest:
                return
            self.restart()  # the first page that differs: the pages so far, then the next ones
            for earlier in list(self.pages)[:-1]:
                self.plan(earlier)
        elif self.sent_pages.get(relative) == digest:
            return
        elif relative in self.planned:
            if self.planned[relative][0] != digest:
                self.planned[relative] = (digest, html)  # still to send: this one instead
            return
        # New, or sent ahead with other bytes: Pagefind replaces a page sent again (same path).
        self.plan(relative, digest, html)

    def plan(self, relative: str, digest: str | None = None, html: str | None = None) -> None:
        self.planned[relative] = (digest, html)
        self.outbox.put_nowait(relative)

    def restart(self) -> None:
        """A new index for this build, to which the pages planned next are sent (the sender
        of an earlier one is cancelled, its Pagefind stopped)."""
        previous = self.sender
        if previous is not None:
            previous.cancel()  # now: it must not take what is planned for the new index
        self.indexing = True
        self.planned, self.sent_pages = {}, {}
        self.write_asked = False
        self.outbox = asyncio.Queue()
        self.outbox.put_nowait(NEW_INDEX)
        self.sender = asyncio.ensure_future(self.send_all(self.outbox, previous))

    async def send_all(self, outbox: asyncio.Queue, previous: asyncio.Task | None) -> None:
        """Work through the requests of one index, in order (the sender task)."""
        if previous is not None:
            await asyncio.wait({previous})
        while True:
            item = await outbox.get()
            try:
                if self.failure is None:
                    await self.handle(item)
            except SearchIndexError as exc:
                self.failure = exc  # the first failure stops the sending
            finally:
                outbox.task_done()

    async def handle(self, item: str) -> None:
        if item == NEW_INDEX:
            await self.start()
        elif item == WRITE:
            if all(self.pages.get(page) == digest for page, digest in self.sent_pages.items()):
                await self.write()  # unless a page sent ahead is not (yet) one of this build
                self.early_write = True
        elif (planned := self.planned.pop(item, None)) is not None:
            digest, html = planned
            if html is None:
                html = self.read(item)
                found = html and page_digest(html)
                if not found or (digest is not None and found != digest):
                    return  # not the page expected: sent if and when the build writes it
                if digest is None and item in self.pages:
                    self.pages[item] = found  # as it is on disk now
                digest = found
            # Known as sent before it is: a page the build names meanwhile is not planned twice.
            self.sent_pages[item] = digest
            await self.send(item, html)

    def read(self, relative: str) -> str | None:
        """The page's HTML when it is marked searchable."""
        try:
            html = (self.output / relative).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        return html if SEARCHABLE_MARKER in html else None

    async def start(self) -> None:
        """A new index (an earlier one of this build is left behind in Pagefind)."""
        self.index = await self.ask(self.pagefind.new_index(self.config))

    async def send(self, relative: str, html: str) -> None:
        source = Path(relative).as_posix()  # Pagefind makes /2021/03/slug/ of it
        await self.ask(self.index.add_html_file(content=split_elisions(html), source_path=source))
        self.sent += 1
        self.unwritten = True

    async def write(self) -> None:
        """Write the bundle of the pages sent so far in place of the previous one (no stale
        fragments): beside it, then renamed, so that the output never has half a bundle."""
        files = stable_files(await self.ask(self.index.get_files()))
        self.record.unlink(missing_ok=True)
        written = self.bundle.with_name(f"{self.bundle.name}.{os.getpid()}.tmp")
        shutil.rmtree(written, ignore_errors=True)
        for file in files:
            target = written / file["path"]
            if not target.resolve().is_relative_to(written.resolve()):
                raise SearchIndexError(
                    f"Pagefind a nommé un fichier hors du dossier : {file['path']}"
                )
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file["content"])
        shutil.rmtree(self.bundle, ignore_errors=True)
        written.rename(self.bundle)
        self.unwritten = False

    async def ask(self, request):
        """The answer to one request; any failure becomes a SearchIndexError naming the cause."""
        try:
            return await request
        except SearchIndexError:
            raise
        except OSError as exc:  # the pipe broke: the binary ended, its reader says why
            service = self.pagefind.service
            await asyncio.wait({service._poll_task}, timeout=STOP_WAIT)
            raise service.failure or SearchIndexError(f"Pagefind : {exc}") from exc
        except Exception as exc:  # the pagefind package asserts the type of every answer
            raise SearchIndexError(f"Pagefind a répondu autre chose qu'attendu : {exc!r}") from exc

    async def conclude(self, started: int = 0) -> int:
        """Write the bundle unless it is current; the number of searchable pages."""
        self.load()
        if self.failure is not None:
            raise self.failure
        if self.known is not None and not self.rewritten and self.known == self.pages:
            return len(self.pages)  # the recorded bundle is this build's (pages sent ahead or not)
        if not self.indexing or self.rewritten:
            self.replay_all()
        else:
            for page in [page for page in self.planned if page not in self.pages]:
                del self.planned[page]  # to be sent ahead, but not written by this build
        await self.outbox.join()
        if any(self.pages.get(page) != digest for page, digest in self.sent_pages.items()):
            self.replay_all()  # a page sent ahead was not written by this build, or otherwise
            await self.outbox.join()
        if self.failure is not None:
            raise self.failure
        if self.unwritten or not self.early_write:
            await self.write()
        if not (self.bundle / "pagefind-ui.js").exists():
            raise SearchIndexError(f"Pagefind n'a rien écrit dans {self.bundle}")
        save_record(self.record, self.key, self, started)
        return len(self.pages)

    def replay_all(self) -> None:
        """A new index of this build's pages, from the final files."""
        self.restart()
        for page in self.pages:
            self.plan(page)

    async def stop(self) -> None:
        if self.sender is not None:
            self.sender.cancel()
            await asyncio.wait({self.sender})
            self.sender = None
        if self.own_pagefind:
            await self.pagefind.stop()
        self.index = None


class Messages(asyncio.Protocol):
    """The build's JSON lines, handed to the feeds of the parts as they arrive, never held back:
    an article or a page to its part (the other parts learn its content file), anything else
    to every part."""

    def __init__(self, feeds: list[PageFeed]):
        self.feeds = feeds
        self.pending = b""

    def data_received(self, data: bytes) -> None:
        *lines, self.pending = (self.pending + data).split(b"\n")
        for line in lines:
            message = json.loads(line)
            if message[0] == "page" and message[2] and len(self.feeds) > 1:
                owner = part_of(message[1], len(self.feeds))
                for part, feed in enumerate(self.feeds):
                    feed.receive(message if part == owner else [OTHER, message[3]])
            else:
                for feed in self.feeds:
                    feed.receive(message)

    def connection_lost(self, exc) -> None:
        for feed in self.feeds:
            feed.receive(None)


async def run(config: dict) -> dict | None:
    """Index the pages the build names on standard input; None when the build failed."""
    output, pagefind = Path(config["output"]), Pagefind()
    feeds = [
        PageFeed(
            output,
            Path(part["bundle"]),
            Path(part["record"]),
            config["config"],
            part["key"],
            pagefind,
        )
        for part in config["parts"]
    ]
    loop = asyncio.get_running_loop()
    transport, _ = await loop.connect_read_pipe(lambda: Messages(feeds), sys.stdin)
    try:
        if config.get("speculate"):
            for feed in feeds:
                feed.speculate(config.get("content"))
        if not all(await asyncio.gather(*(feed.consume() for feed in feeds))):
            return None
        waited = time.perf_counter() - feeds[0].end_time
        started = config.get("started", 0)
        counts = await asyncio.gather(*(feed.conclude(started) for feed in feeds))
    except SearchIndexError as exc:
        return {"error": str(exc)}
    finally:
        for feed in feeds:
            await feed.stop()
        await pagefind.stop()
        transport.close()
    return {
        "count": sum(counts),
        "sent": sum(feed.sent for feed in feeds),
        "speculative": sum(feed.speculative for feed in feeds),
        "early_write": all(feed.early_write for feed in feeds),
        "backlog": feeds[0].backlog,
        "waited": round(waited, 3),
        "cpu": round(sum(resource.getrusage(resource.RUSAGE_SELF)[:2]), 3),
        "pagefind_cpu": round(sum(resource.getrusage(resource.RUSAGE_CHILDREN)[:2]), 3),
    }


def main(argv: list[str]) -> int:
    result = asyncio.run(run(json.loads(argv[1])))
    if result is not None:
        sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
