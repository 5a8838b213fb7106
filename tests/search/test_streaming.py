"""Pages go to Pagefind as they are written: the same index as Pagefind reading the output,
warm builds (kept, edited, removed pages), and no Pagefind left running, whatever happens."""

from __future__ import annotations

import asyncio
import concurrent.futures
import gc
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pelican import signals

from plugins.search import SETTINGS_DEFAULTS, planner, split_elisions
from plugins.search.pagefind_feed import Pagefind, Part
from tests.conftest import run_build
from tests.search.bundles import fragments, languages

SITES = Path(__file__).parent / "sites"
ENTRY = "/2021/01/la-culture-d-abord/"
INTERVIEW = "/2022/09/entretien-avec-karim/"


@pytest.fixture
def mark(monkeypatch, tmp_path) -> bytes:
    """An environment variable that every process this test starts inherits (and keeps when
    its parent ends): Pagefind runs under the indexing process, not under pytest."""
    value = f"{os.getpid()}-{tmp_path.name}"
    monkeypatch.setenv("SEARCH_TEST_MARK", value)
    return f"SEARCH_TEST_MARK={value}".encode()


def marked_processes(mark: bytes) -> list[str]:
    """Command lines of the live processes started under ``mark``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or entry.name == str(os.getpid()):
            continue
        try:
            environment = (entry / "environ").read_bytes().split(b"\0")
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if mark in environment:
            found.append(command)
    return found


def fake_pagefind(folder: Path, body: str) -> Path:
    """A Python script standing for the Pagefind binary (its name says pagefind)."""
    script = folder / "pagefind-fake"
    script.write_text(f"#!{sys.executable}\nimport sys, time\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def test_the_streamed_index_is_the_one_pagefind_makes_from_the_written_site(tmp_path):
    site = run_build(SITES / "basic", tmp_path / "output")
    assert site.problems == []
    # Pagefind's command line over a copy of the searchable pages, elisions split: the old way.
    copy = tmp_path / "copy"
    for page in site.output.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if "data-pagefind-body" in html and "pagefind" not in page.relative_to(site.output).parts:
            target = copy / page.relative_to(site.output)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(split_elisions(html), encoding="utf-8")
    reference = tmp_path / "reference"
    command = [sys.executable, "-m", "pagefind", "--site", str(copy), "--output-path"]
    command += [str(reference / "pagefind"), "--quiet"]
    for selector in SETTINGS_DEFAULTS["SEARCH_EXCLUDE_SELECTORS"]:
        command += ["--exclude-selectors", selector]
    subprocess.run(command, check=True, capture_output=True, timeout=120)

    streamed, expected = fragments(site.output), fragments(reference)
    assert set(streamed) == {ENTRY, INTERVIEW}
    assert streamed == expected  # URLs, text, filters, meta, anchors
    assert languages(site.output) == languages(reference) == {"fr": 2}


def test_a_page_kept_by_the_warm_writer_is_indexed_and_an_edited_one_indexed_anew(warm):
    content, output, settings = warm
    run_build(content, output, **settings)
    interview = output / INTERVIEW.strip("/") / "index.html"
    kept = interview.stat().st_mtime_ns
    article = content / "posts/culture.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nUn mot zygomorphe.\n", "utf-8")

    site = run_build(content, output, **settings)
    assert site.problems == []
    assert interview.stat().st_mtime_ns == kept  # site_writer kept it, not rendered
    indexed = fragments(output)
    assert set(indexed) == {ENTRY, INTERVIEW}
    assert "zygomorphe" in indexed[ENTRY]["content"]
    assert "vingt ans" in indexed[INTERVIEW]["content"]


def test_a_removed_article_leaves_the_index_of_a_warm_build(warm):
    content, output, settings = warm
    run_build(content, output, **settings)
    assert set(fragments(output)) == {ENTRY, INTERVIEW}
    (content / "posts/entretien.md").unlink()  # every page still written is unchanged

    site = run_build(content, output, **settings)
    assert site.problems == []
    assert set(fragments(output)) == {ENTRY}


def test_no_pagefind_process_is_left_after_a_build(tmp_path, mark):
    site = run_build(SITES / "basic", tmp_path / "output")
    assert site.problems == []
    assert marked_processes(mark) == []


def test_a_build_that_raises_before_the_end_leaves_no_pagefind_running(tmp_path, mark):
    running, written = [], []

    def fail_after_pagefind_started(path, context=None):
        written.append(path)  # this receiver runs before the search index's: skip one page
        if len(written) > 1:
            for _ in range(100):  # the indexing process starts Pagefind on its own
                running[:] = [c for c in marked_processes(mark) if "--service" in c]
                if running:
                    raise RuntimeError("un gabarit en erreur")
                time.sleep(0.05)

    signals.content_written.connect(fail_after_pagefind_started)
    try:
        with pytest.raises(RuntimeError, match="gabarit") as raised:
            run_build(SITES / "basic", tmp_path / "output")
    finally:
        signals.content_written.disconnect(fail_after_pagefind_started)
    assert running, "Pagefind never started"
    del raised  # the traceback holds the failed build
    gc.collect()
    assert marked_processes(mark) == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "sys.stdin.buffer.read(10)\nprint('thread main panicked at index.rs', file=sys.stderr)"
            "\nsys.exit(101)",
            "Pagefind a échoué (code 101) : thread main panicked at index.rs",
        ),
        ("time.sleep(60)", "Pagefind n'a pas fini en 1 s"),
    ],
    ids=["crash", "no-answer"],
)
def test_a_pagefind_that_crashes_or_hangs_is_one_error_and_is_stopped(
    build_site, monkeypatch, tmp_path, mark, body, expected
):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake_pagefind(tmp_path, body)))
    site = build_site(SITES / "basic", SEARCH_TIMEOUT=1)
    assert site.problems == [f"Recherche : index non construit. {expected}"]
    assert marked_processes(mark) == []
    assert not (site.output / "pagefind").exists()


def test_a_searchable_page_after_the_early_write_is_in_the_final_bundle(tmp_path, monkeypatch):
    monkeypatch.setattr(planner, "EARLY_WRITE_AFTER", 2)
    output = tmp_path / "output"
    for name in ("un", "deux"):
        page = output / name / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(
            f'<html lang="fr"><body><article data-pagefind-body><h1>{name}</h1>'
            f"<p>L’article {name}.</p></article></body></html>",
            encoding="utf-8",
        )
    feed = Part(output, output / "pagefind", tmp_path / "record.json", {}, {"build": 1}, Pagefind())
    messages = [
        ["page", "un/index.html", True],
        ["page", "tags/index.html", False],  # listings: the articles seem done
        ["page", "tags/page/2/index.html", False],
        ["page", "deux/index.html", True],  # one more after all
    ]

    async def index() -> int:
        try:
            for message in messages:
                feed.receive(message)
            return await feed.finish()
        finally:
            await feed.stop()
            await feed.pagefind.stop()

    # A thread of its own: Playwright's sync API (browser tests, same session) leaves an event
    # loop set on the main thread, where asyncio.run refuses to start another.
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        assert thread.submit(asyncio.run, index()).result() == 2
    assert feed.early_write
    assert set(fragments(output)) == {"/un/", "/deux/"}
    assert "l'article deux" in fragments(output)["/deux/"]["content"].lower()
