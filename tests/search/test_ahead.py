"""After an edit, a warm build sends Pagefind the pages of the unchanged content files before it
writes anything: the index is ready sooner, and it is still the index of the pages written."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
import time
from pathlib import Path

from plugins.search.pagefind_feed import Pagefind, Part, record_key
from tests.conftest import run_build
from tests.search.bundles import fragments, languages
from tests.search.conftest import add_a_word
from tests.search.test_streaming import ENTRY, INTERVIEW

SITES = Path(__file__).parent / "sites"


def page_html(text: str) -> str:
    return (
        '<html lang="fr"><body><article data-pagefind-body>'
        f"<h1>Titre</h1><p>{text}</p></article></body></html>"
    )


def write_page(output: Path, name: str, text: str) -> None:
    page = output / name / "index.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(page_html(text), encoding="utf-8")


def run_in_thread(coroutine):
    # A thread of its own: Playwright's sync API (browser tests, same session) leaves an event
    # loop set on the main thread, where asyncio.run refuses to start another.
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


class Site:
    """Two content files (un.md, deux.md), their pages in an output folder, and one part of
    an index."""

    def __init__(self, root: Path):
        self.content, self.output = root / "content", root / "output"
        self.record = root / "cache" / "record.json"
        self.content.mkdir()
        for name in ("un", "deux"):
            (self.content / f"{name}.md").write_text(name, encoding="utf-8")
            write_page(self.output, name, f"Le mot {name}.")

    def feed(self) -> Part:
        key = record_key(str(self.output), {})
        return Part(self.output, self.output / "pagefind", self.record, {}, key, Pagefind())

    def build(self, feed: Part, before_writing=None, written=("un", "deux")) -> int:
        """One build writing the pages ``written``; ``before_writing`` runs once the pages sent
        ahead are in Pagefind."""
        started = time.time_ns()

        async def index() -> int:
            try:
                feed.ahead(str(self.content))
                await feed.steps_done()
                if before_writing:
                    before_writing()
                for name in written:
                    feed.receive(["page", f"{name}/index.html", True, f"{name}.md"])
                return await feed.finish(started)
            finally:
                await feed.stop()
                await feed.pagefind.stop()

        return run_in_thread(index())


def test_a_page_sent_ahead_then_written_otherwise_is_indexed_as_written(tmp_path):
    site = Site(tmp_path)
    assert site.build(site.feed()) == 2  # no record yet: nothing sent ahead
    os.utime(site.content / "un.md")  # an edit: deux's page is sent ahead

    def rewrite():
        write_page(site.output, "un", "Le mot un, modifié.")
        write_page(site.output, "deux", "Le mot zygomorphe.")  # its source did not change

    feed = site.feed()
    assert site.build(feed, before_writing=rewrite) == 2
    assert feed.plan.speculative == 1
    indexed = fragments(site.output)
    assert set(indexed) == {"/un/", "/deux/"}
    assert "zygomorphe" in indexed["/deux/"]["content"]
    assert "deux" not in indexed["/deux/"]["content"]
    assert "modifié" in indexed["/un/"]["content"]
    assert languages(site.output) == {"fr": 2}


def test_a_page_sent_ahead_that_the_build_does_not_write_leaves_the_index(tmp_path):
    site = Site(tmp_path)
    site.build(site.feed())
    os.utime(site.content / "un.md")
    feed = site.feed()
    assert site.build(feed, written=["un"]) == 1
    assert feed.plan.speculative == 1
    assert set(fragments(site.output)) == {"/un/"}
    assert languages(site.output) == {"fr": 1}


def test_nothing_is_sent_ahead_when_no_content_file_changed(tmp_path):
    site = Site(tmp_path)
    site.build(site.feed())
    bundle = {p: p.stat().st_mtime_ns for p in (site.output / "pagefind").rglob("*")}
    feed = site.feed()
    assert site.build(feed) == 2
    assert feed.plan.speculative == 0 and feed.sent == 0
    assert {p: p.stat().st_mtime_ns for p in (site.output / "pagefind").rglob("*")} == bundle


def test_a_warm_build_after_an_edit_sends_the_other_pages_ahead(warm, tmp_path, caplog):
    content, output, settings = warm
    settings["SEARCH_PARTITIONS"] = 1  # both articles in one index
    run_build(content, output, **settings)
    add_a_word(content)

    with caplog.at_level(logging.DEBUG, logger="plugins.search"):
        site = run_build(content, output, **settings)
    assert site.problems == []
    assert any("(1 d'avance)" in record.getMessage() for record in caplog.records)
    cold = run_build(content, tmp_path / "cold", SEARCH_PARTITIONS=1)
    assert fragments(output) == fragments(cold.output)
    assert set(fragments(output)) == {ENTRY, INTERVIEW}
    assert "zygomorphe" in fragments(output)[ENTRY]["content"]
    assert languages(output) == {"fr": 2}
