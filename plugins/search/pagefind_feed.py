"""The search plugin's indexing process: paths of written pages in, a Pagefind bundle out.

``search.py`` starts it once per build, as a script (``python pagefind_feed.py CONFIG``): it
imports neither Pelican nor the plugin package, so it starts in a tenth of a second, and it
runs on the other core, away from the build's GIL. Its asyncio loop reads, on standard input,
one JSON line per page Pelican writes (``["page", relative path, content page?]``) and
``["end"]`` at ``finalized``; it reads each content page back from the output, sends the
searchable ones to Pagefind's service (``pagefind.index``, elisions split), and at the end
writes the bundle and prints one JSON line: ``{"count": …}`` or ``{"error": "…"}`` (French).
Standard input closing before ``["end"]`` means the build failed: Pagefind is stopped and
nothing is written.

The bundle is current when no searchable page changed: ``CONFIG["record"]`` keeps a digest per
page of the build that wrote it (with the output, the options and Pagefind's version). Pages
whose digest is the recorded one are not sent; the first page that differs starts Pagefind,
which is then sent the searchable pages seen so far (read again from the output) and all the
next ones; a page that disappeared is only known at the end, where everything is sent then.
A page written twice in one build with other bytes is indexed again from the final files.

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

RECORD_VERSION = 2
# The marker Pagefind looks for; a page without it is not indexed.
SEARCHABLE_MARKER = "data-pagefind-body"
# A typographic apostrophe, as a character or an entity. It is an elision (l’entreprise, qu’il)
# or a contraction (aujourd’hui) when it stands between two letters (not ’ before a digit) of
# the page's text, not inside a tag (``split_elisions``).
APOSTROPHE = re.compile(r"’|&(?:rsquo|#8217|#x2019);")
LETTER = re.compile(r"[^\W\d_]")
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


class SearchIndexError(Exception):
    """Pagefind could not index the site; the message names the cause, in French."""


# --- Pure functions -------------------------------------------------------------------------


def split_elisions(html: str) -> str:
    """The page with straight apostrophes inside words of its text, so Pagefind indexes both
    parts; attributes (filter values such as a series name) keep their typographic ones."""

    def straight(match: re.Match) -> str:
        start, end = match.span()
        in_word = start > 0 and LETTER.match(html, start - 1) and LETTER.match(html, end)
        # Text, not a tag: the last angle bracket before it closes a tag.
        in_text = html.rfind(">", 0, start) > html.rfind("<", 0, start)
        return "'" if in_word and in_text else match.group()

    return APOSTROPHE.sub(straight, html)


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


def load_record(record: Path, key: dict, bundle: Path) -> dict[str, str] | None:
    """``{relative path: digest}`` of the pages in the bundle, if this record describes it."""
    try:
        known = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    usable = (
        isinstance(known, dict)
        and known.get("version") == RECORD_VERSION
        and known.get("key") == key
        and isinstance(known.get("pages"), dict)
        and (bundle / "pagefind-ui.js").exists()
    )
    return known["pages"] if usable else None


def save_record(record: Path, key: dict, pages: dict[str, str]) -> None:
    record.parent.mkdir(parents=True, exist_ok=True)
    content = {"version": RECORD_VERSION, "key": key, "pages": pages}
    record.write_text(json.dumps(content, sort_keys=True), encoding="utf-8")


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


# --- The pages of one build -----------------------------------------------------------------


class PageFeed:
    """The written pages of one build on their way to Pagefind, in the order they were written."""

    def __init__(self, output: Path, bundle: Path, record: Path, config: dict, key: dict):
        self.output, self.bundle, self.record = output, bundle, record
        self.config, self.key = config, key
        self.queue: asyncio.Queue = asyncio.Queue()  # unbounded: the build never waits
        self.ended = False
        self.pages: dict[str, str] = {}  # searchable pages of this build: digest by path
        self.known: dict[str, str] | None = None  # the recorded bundle's pages
        self.loaded = False
        self.rewritten = False  # a page was written again with other bytes
        self.service = None
        self.index = None
        self.failure: SearchIndexError | None = None
        self.quiet = 0  # pages without the marker written since the last searchable one
        self.unwritten = False  # pages sent since the bundle was last written
        self.early_write = False  # the bundle was written before the end
        self.sent = 0
        self.backlog, self.end_time = 0, 0.0  # pages still queued at "end", and when

    def receive(self, message: list | None) -> None:
        """One message of the build (None: its input closed)."""
        if message is None:
            if not self.ended:
                self.queue.put_nowait(ABORT)
        elif message[0] == "page":
            self.queue.put_nowait((message[1], message[2]))
        elif message[0] == END:
            self.ended = True
            self.backlog, self.end_time = self.queue.qsize(), time.perf_counter()
            self.queue.put_nowait(END)

    async def consume(self) -> bool:
        """Take every written page; whether the build ended (rather than failed)."""
        while (item := await self.queue.get()) not in (END, ABORT):
            if self.failure is None:
                try:
                    await self.take(*item)
                except SearchIndexError as exc:
                    self.failure = exc  # the first failure stops the sending
        return item == END

    async def take(self, relative: str, content: bool) -> None:
        """Digest a written page; send it to Pagefind once the bundle is not current. A listing
        (not ``content``) is not read: it only counts as a page without the marker."""
        if not self.loaded:
            check_pagefind()  # reported even when no page changed, like a broken install
            self.known = load_record(self.record, self.key, self.bundle)
            self.loaded = True
        html = self.read(relative) if content else None
        digest = html and page_digest(html)
        if relative in self.pages or not digest:
            if self.pages.get(relative, digest) != digest:
                self.rewritten = True  # written again: indexed from the final files at the end
            self.quiet += 1
            if self.quiet == EARLY_WRITE_AFTER and self.unwritten and not self.early_write:
                self.early_write = True
                await self.write()
            return
        self.quiet = 0
        self.pages[relative] = digest
        if self.index is None:
            if self.known is not None and self.known.get(relative) == digest:
                return
            await self.start(replay=list(self.pages)[:-1])
        await self.send(relative, html)

    def read(self, relative: str) -> str | None:
        """The page's HTML when it is marked searchable."""
        try:
            html = (self.output / relative).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        return html if SEARCHABLE_MARKER in html else None

    async def start(self, replay: list[str]) -> None:
        """A new index (Pagefind started if needed), sent the pages ``replay`` first, as they
        are now in the output (a page no longer searchable is dropped)."""
        if self.service is None:
            try:
                self.service = service_class()()
                await self.service.launch()
            except OSError as exc:
                self.service = None
                raise SearchIndexError(f"Pagefind n'a pas pu être lancé : {exc}") from exc
        self.index = await self.ask(self.service.create_index(self.config))
        for relative in replay:
            html = self.read(relative)
            if html is None:
                del self.pages[relative]
                continue
            self.pages[relative] = page_digest(html)
            await self.send(relative, html)

    async def send(self, relative: str, html: str) -> None:
        source = Path(relative).as_posix()  # Pagefind makes /2021/03/slug/ of it
        await self.ask(self.index.add_html_file(content=split_elisions(html), source_path=source))
        self.sent += 1
        self.unwritten = True

    async def write(self) -> None:
        """Write the bundle of the pages sent so far in place of the previous one (no stale
        fragments): beside it, then renamed, so that the output never has half a bundle."""
        files = await self.ask(self.index.get_files())
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
            await asyncio.wait({self.service._poll_task}, timeout=STOP_WAIT)
            raise self.service.failure or SearchIndexError(f"Pagefind : {exc}") from exc
        except Exception as exc:  # the pagefind package asserts the type of every answer
            raise SearchIndexError(f"Pagefind a répondu autre chose qu'attendu : {exc!r}") from exc

    async def conclude(self) -> int:
        """Write the bundle unless it is current; the number of searchable pages."""
        if self.failure is not None:
            raise self.failure
        if not self.loaded:  # no page written at all
            self.known = load_record(self.record, self.key, self.bundle)
            self.loaded = True
        current = (
            self.known is not None and not self.rewritten and set(self.known) == set(self.pages)
        )
        if self.index is None and current:
            return len(self.pages)
        if self.index is None or self.rewritten:
            await self.start(replay=list(self.pages))
        if self.unwritten or not self.early_write:
            await self.write()
        if not (self.bundle / "pagefind-ui.js").exists():
            raise SearchIndexError(f"Pagefind n'a rien écrit dans {self.bundle}")
        save_record(self.record, self.key, self.pages)
        return len(self.pages)

    async def stop(self) -> None:
        if self.service is not None and hasattr(self.service, "_backend"):
            await self.service.stop()
        self.service = self.index = None


class Messages(asyncio.Protocol):
    """The build's JSON lines, handed to the feed as they arrive, never held back."""

    def __init__(self, feed: PageFeed):
        self.feed = feed
        self.pending = b""

    def data_received(self, data: bytes) -> None:
        *lines, self.pending = (self.pending + data).split(b"\n")
        for line in lines:
            self.feed.receive(json.loads(line))

    def connection_lost(self, exc) -> None:
        self.feed.receive(None)


async def run(config: dict) -> dict | None:
    """Index the pages the build names on standard input; None when the build failed."""
    output = Path(config["output"])
    feed = PageFeed(
        output, Path(config["bundle"]), Path(config["record"]), config["config"], config["key"]
    )
    loop = asyncio.get_running_loop()
    transport, _ = await loop.connect_read_pipe(lambda: Messages(feed), sys.stdin)
    try:
        if not await feed.consume():
            return None
        waited = time.perf_counter() - feed.end_time
        count = await feed.conclude()
    except SearchIndexError as exc:
        return {"error": str(exc)}
    finally:
        await feed.stop()
        transport.close()
    return {
        "count": count,
        "sent": feed.sent,
        "early_write": feed.early_write,
        "backlog": feed.backlog,
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
