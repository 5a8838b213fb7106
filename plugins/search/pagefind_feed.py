"""The search plugin's indexing process: paths of written pages in, a Pagefind bundle out.

``search.py`` starts it once per build (``python -m plugins.search CONFIG``), so that reading
pages back, digesting them and feeding Pagefind run on the other core, away from the build's
GIL. Its standard input carries one JSON line per page Pelican writes (``["page", path in the
output, content page?, content file]``) and ``["end"]`` at ``finalized``; at the end it prints
one JSON line, ``{"count": …}`` with figures, or ``{"error": "…"}`` (French). Its input closing
before ``["end"]`` means the build failed: Pagefind is stopped and nothing is written.

``planner.py`` decides; here each part of the index (``Part``) reads the pages it is told
about, runs its plan's steps in order in a task of its own (so that telling a page unchanged
never waits behind Pagefind) and writes the bundle. One Pagefind service serves every part: it
takes one request at a time, so the parts share one core, as a single index would.

The bundle is asked for (``get_files``) and written here, beside the old one, then renamed:
the service answers ``WriteFiles`` before its own writes reach the disk, and exits at once when
its input closes, which could lose the last files.
"""

from __future__ import annotations

import asyncio
import gc
import hashlib
import json
import os
import re
import resource
import shutil
import sys
from importlib import metadata as package_metadata
from pathlib import Path

from plugins.core import compat

from .planner import NEW_INDEX, OTHER, WRITE, Plan, Record, record_from_json, record_json, routed
from .stable_bundle import stable_files

# The marker Pagefind looks for; a page without it is not indexed.
SEARCHABLE_MARKER = "data-pagefind-body"
# A typographic apostrophe, as a character or an entity. It is an elision (l’entreprise, qu’il)
# or a contraction (aujourd’hui) when it stands between two letters (not ’ before a digit) of
# the page's text, not inside a tag (``split_elisions``).
ELISION = re.compile(r"(?<=[^\W\d_])(?:’|&(?:rsquo|#8217|#x2019);)(?=[^\W\d_])")
END = "end"


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


def last_line(text: str) -> str:
    """The last non-empty line of a program's output: usually the reason it failed."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "aucun message"


def ended_error(ended: compat.PagefindEnded) -> SearchIndexError:
    reason = "une réponse de Pagefind trop longue" if ended.overrun else last_line(ended.output)
    return SearchIndexError(f"Pagefind a échoué (code {ended.code}) : {reason}")


# --- Files ----------------------------------------------------------------------------------


def read_searchable(path: Path) -> str | None:
    """A page's HTML when it is marked searchable."""
    try:
        html = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return html if SEARCHABLE_MARKER in html else None


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


def load_record(path: Path, key: dict, bundle: Path) -> Record | None:
    """The record of the bundle, if it describes it."""
    try:
        known = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    record = record_from_json(known, key)
    return record if record is not None and (bundle / "pagefind-ui.js").exists() else None


def save_record(path: Path, record: Record, key: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record_json(record, key), sort_keys=True), encoding="utf-8")


def write_bundle(bundle: Path, files: list[dict]) -> None:
    """Put Pagefind's files in place of the previous bundle (no stale fragments): beside it,
    then renamed, so that the output never has half a bundle."""
    written = bundle.with_name(f"{bundle.name}.{os.getpid()}.tmp")
    shutil.rmtree(written, ignore_errors=True)
    for file in files:
        target = written / file["path"]
        if not target.resolve().is_relative_to(written.resolve()):
            raise SearchIndexError(f"Pagefind a nommé un fichier hors du dossier : {file['path']}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file["content"])
    shutil.rmtree(bundle, ignore_errors=True)
    written.rename(bundle)


def check_pagefind() -> SearchIndexError | None:
    """What is missing when the Pagefind binary cannot be found."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return SearchIndexError("le paquet Python pagefind[bin] n'est pas installé")
    binary = get_executable()
    if binary is None:
        return SearchIndexError("binaire Pagefind introuvable : installez pagefind[bin]")
    if not binary.exists():
        return SearchIndexError(f"binaire Pagefind introuvable : {binary}")
    return None


# --- Pagefind -------------------------------------------------------------------------------


class Pagefind:
    """Pagefind's service for every part of the index, started with the first index."""

    def __init__(self):
        self.service = None

    async def new_index(self, config: dict):
        if self.service is None:
            try:
                service = compat.pagefind_service()
                await service.launch()
            except OSError as exc:
                raise SearchIndexError(f"Pagefind n'a pas pu être lancé : {exc}") from exc
            self.service = service
        return await self.ask(self.service.create_index(config))

    async def ask(self, request):
        """The answer to one request; any failure becomes a SearchIndexError naming the cause."""
        try:
            return await request
        except compat.PagefindRefused as exc:
            raise SearchIndexError(f"Pagefind a refusé : {exc}") from None
        except compat.PagefindEnded as exc:
            raise ended_error(exc) from None
        except OSError as exc:  # the pipe broke: the binary ended, its reader says why
            ended = await self.service.ended()
            raise (ended_error(ended) if ended else SearchIndexError(f"Pagefind : {exc}")) from exc
        except Exception as exc:  # the pagefind package asserts the type of every answer
            raise SearchIndexError(f"Pagefind a répondu autre chose qu'attendu : {exc!r}") from exc

    async def stop(self) -> None:
        if self.service is not None:
            await self.service.stop()
        self.service = None


# --- The parts of the index -----------------------------------------------------------------


class Part:
    """One part of the index in one build: its plan, and the sender of its plan's steps."""

    def __init__(
        self, output: Path, bundle: Path, record: Path, config: dict, key: dict, pagefind: Pagefind
    ):
        self.output, self.bundle, self.record, self.key = output, bundle, record, key
        self.config, self.pagefind = config, pagefind
        self.plan = Plan(load_record(record, key, bundle))
        self.failure = check_pagefind()  # reported even when no page changed
        self.outbox: asyncio.Queue | None = None  # the steps of the current index
        self.sender: asyncio.Task | None = None
        self.pagefind_index = None
        self.bundle_written = False  # the bundle has every page sent to the current index
        self.sent, self.early_write = 0, False

    def ahead(self, content: str | None) -> None:
        """Before the build writes anything: what the content files' dates say."""
        if self.failure is None and content is not None and self.plan.record is not None:
            self.run(self.plan.ahead(*unchanged_files(Path(content), self.plan.record.started)))

    def receive(self, message: list) -> None:
        """A page the build wrote (``["page", path, content page?, content file]``), or one of
        another part (``["other", content file]``). A listing is not read."""
        if message[0] == OTHER:
            self.plan.other_written(message[1])
            return
        relative, content = message[1], message[2]
        source = message[3] if len(message) > 3 else None
        html = read_searchable(self.output / relative) if content else None
        self.run(self.plan.written(relative, html and page_digest(html), source, html))

    def run(self, steps: list[str]) -> None:
        for step in steps:
            if step == NEW_INDEX:  # the sender of an earlier index stops now, before its next
                previous = self.sender
                if previous is not None:
                    previous.cancel()
                self.outbox = asyncio.Queue()
                self.sender = asyncio.ensure_future(self.send_all(self.outbox, previous))
            self.outbox.put_nowait(step)

    async def send_all(self, outbox: asyncio.Queue, previous: asyncio.Task | None) -> None:
        """Run the steps of one index, in order; the first failure stops the sending."""
        if previous is not None:
            await asyncio.wait({previous})
        while True:
            step = await outbox.get()
            try:
                if self.failure is None:
                    await self.do(step)
            except SearchIndexError as exc:
                self.failure = exc
            finally:
                outbox.task_done()

    async def do(self, step: str) -> None:
        if step == NEW_INDEX:  # an earlier index of this build is left behind in Pagefind
            self.pagefind_index = await self.pagefind.new_index(self.config)
            self.bundle_written = False
        elif step == WRITE:
            if self.plan.may_write():
                await self.write()
                self.early_write = True
        elif (planned := self.plan.take(step)) is not None:
            html, found = planned.html, None
            if html is None:
                html = read_searchable(self.output / step)
                found = html and page_digest(html)
            if self.plan.sending(step, planned, found) is not None:
                source = Path(step).as_posix()  # Pagefind makes /2021/03/slug/ of it
                request = self.pagefind_index.add_html_file(
                    content=split_elisions(html), source_path=source
                )
                await self.pagefind.ask(request)
                self.sent += 1
                self.bundle_written = False

    async def write(self) -> None:
        files = stable_files(await self.pagefind.ask(self.pagefind_index.get_files()))
        self.record.unlink(missing_ok=True)
        write_bundle(self.bundle, files)
        self.bundle_written = True

    async def steps_done(self) -> None:
        if self.outbox is not None:
            await self.outbox.join()

    def backlog(self) -> int:
        """Steps still to run."""
        return self.outbox.qsize() if self.outbox is not None else 0

    async def finish(self, started: int = 0) -> int:
        """Write the bundle unless the recorded one is this build's; the number of searchable
        pages."""
        if self.failure is None and (steps := self.plan.finish()) is not None:
            self.run(steps)
            await self.steps_done()
            self.run(self.plan.settle())
            await self.steps_done()
            if self.failure is None:
                if not self.bundle_written:
                    await self.write()
                if not (self.bundle / "pagefind-ui.js").exists():
                    raise SearchIndexError(f"Pagefind n'a rien écrit dans {self.bundle}")
                save_record(self.record, self.plan.recorded(started), self.key)
        if self.failure is not None:
            raise self.failure
        return len(self.plan.pages)

    async def stop(self) -> None:
        if self.sender is not None:
            self.sender.cancel()
            await asyncio.wait({self.sender})
            self.sender = None
        self.pagefind_index = None


class Messages(asyncio.Protocol):
    """The build's JSON lines, handed to the parts as they arrive, never held back."""

    def __init__(self, parts: list[Part], ended: asyncio.Future):
        self.parts, self.ended = parts, ended
        self.pending = b""

    def data_received(self, data: bytes) -> None:
        *lines, self.pending = (self.pending + data).split(b"\n")
        for line in lines:
            message = json.loads(line)
            if message[0] == END:
                if not self.ended.done():
                    self.ended.set_result(True)
                continue
            for part, told in zip(self.parts, routed(message, len(self.parts)), strict=True):
                part.receive(told)

    def connection_lost(self, exc) -> None:
        if not self.ended.done():
            self.ended.set_result(False)


async def run(config: dict) -> dict | None:
    """Index the pages the build names on standard input; None when the build failed."""
    output, pagefind = Path(config["output"]), Pagefind()
    parts = [
        Part(
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
    ended = loop.create_future()
    transport, _ = await loop.connect_read_pipe(lambda: Messages(parts, ended), sys.stdin)
    try:
        if config.get("speculate"):
            for part in parts:
                part.ahead(config.get("content"))
        if not await ended:
            return None
        backlog = sum(part.backlog() for part in parts)
        started = config.get("started", 0)
        counts = await asyncio.gather(*(part.finish(started) for part in parts))
    except SearchIndexError as exc:
        return {"error": str(exc)}
    finally:
        for part in parts:
            await part.stop()
        await pagefind.stop()
        transport.close()
    return {
        "count": sum(counts),
        "sent": sum(part.sent for part in parts),
        "speculative": sum(part.plan.speculative for part in parts),
        "early_write": all(part.early_write for part in parts),
        "backlog": backlog,
        "cpu": round(sum(resource.getrusage(resource.RUSAGE_SELF)[:2]), 3),
        "pagefind_cpu": round(sum(resource.getrusage(resource.RUSAGE_CHILDREN)[:2]), 3),
    }


def main(argv: list[str]) -> int:
    # What is imported (Pelican, through the plugin package) lives until the end: left out of
    # every collection, including the one at exit, which would take a quarter of a second.
    gc.freeze()
    result = asyncio.run(run(json.loads(argv[1])))
    if result is not None:
        sys.stdout.write(json.dumps(result) + "\n")
    return 0
