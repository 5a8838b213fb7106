"""The indexing process's decisions, without a process: parts, pages sent ahead, bundles kept."""

from __future__ import annotations

import pytest

from plugins.search import planner
from plugins.search.planner import (
    NEW_INDEX,
    OTHER,
    WRITE,
    Plan,
    Record,
    pages_ahead,
    part_of,
    record_from_json,
    record_json,
    routed,
)

KEY = {"output": "/site", "config": {}, "pagefind": "1.5.2"}


def record(pages: dict[str, str], others=(), started: int = 100) -> Record:
    """A record whose page ``x/index.html`` was made from ``x.md``."""
    sources = {page: page.split("/")[0] + ".md" for page in pages}
    return Record(pages, sources, frozenset(others), started)


def sent(plan: Plan, steps: list[str], on_disk: dict[str, str] | None = None) -> list[str]:
    """Run the page steps as the sender does (files on disk: ``on_disk`` digests, else the
    expected ones); the pages sent."""
    pages = []
    for step in steps:
        if step in (NEW_INDEX, WRITE) or (planned := plan.take(step)) is None:
            continue
        found = None if planned.html else (on_disk or {}).get(step, planned.digest or "disk")
        if plan.sending(step, planned, found) is not None:
            pages.append(step)
    return pages


def test_a_page_goes_to_the_same_part_in_every_build_and_the_parts_are_even():
    pages = [f"2021/{n:04}/index.html" for n in range(2000)]
    parts = [part_of(page, 2) for page in pages]
    assert parts == [part_of(page, 2) for page in pages]
    assert 900 < parts.count(0) < 1100


def test_an_article_goes_to_its_part_and_the_others_learn_its_content_file():
    page = ["page", "2021/01/a/index.html", True, "posts/a.md"]
    told = routed(page, 3)
    owner = part_of(page[1], 3)
    assert told[owner] == page
    assert [told[n] for n in range(3) if n != owner] == [[OTHER, "posts/a.md"]] * 2
    listing = ["page", "tags/index.html", False, None]
    assert routed(listing, 3) == [listing] * 3
    assert routed(page, 1) == [page]


def test_the_record_is_read_back_only_for_the_same_key_and_version():
    kept = record({"a/index.html": "d1"}, others=["b.md"])
    assert record_from_json(record_json(kept, KEY), KEY) == kept
    assert record_from_json(record_json(kept, KEY), {**KEY, "pagefind": "1.6"}) is None
    assert record_from_json({**record_json(kept, KEY), "version": 2}, KEY) is None
    assert record_from_json(["not", "a", "record"], KEY) is None


@pytest.mark.parametrize(
    ("unchanged", "changed", "expected"),
    [
        ({"a.md", "b.md"}, set(), None),  # nothing changed: the bundle will be kept
        ({"a.md", "b.md"}, {"other.md"}, None),  # only a file of another part
        ({"b.md"}, {"a.md"}, ["b/index.html"]),  # a.md edited: b's page is sent ahead
        ({"b.md"}, set(), ["b/index.html"]),  # a.md removed
        ({"a.md", "b.md"}, {"new.md"}, ["a/index.html", "b/index.html"]),  # a new file
    ],
)
def test_the_pages_of_unchanged_files_are_sent_ahead_when_a_file_of_the_part_changed(
    unchanged, changed, expected
):
    known = record({"a/index.html": "da", "b/index.html": "db"}, others=["other.md"])
    assert pages_ahead(known, unchanged, changed) == expected


def test_a_build_that_writes_the_recorded_pages_keeps_the_bundle():
    plan = Plan(record({"a/index.html": "da", "b/index.html": "db"}))
    assert plan.ahead({"a.md", "b.md"}, set()) == []
    assert plan.written("a/index.html", "da", "a.md") == []
    assert plan.written("tags/index.html", None) == []
    assert plan.written("b/index.html", "db", "b.md") == []
    assert plan.finish() is None


def test_without_a_record_every_searchable_page_is_sent_as_it_comes():
    plan = Plan(None)
    assert plan.written("a/index.html", "da", "a.md", "<a>") == [NEW_INDEX, "a/index.html"]
    assert plan.written("tags/index.html", None) == []
    assert plan.written("b/index.html", "db", "b.md", "<b>") == ["b/index.html"]
    assert sent(plan, ["a/index.html", "b/index.html"]) == ["a/index.html", "b/index.html"]
    assert plan.finish() == [] and plan.settle() == []
    assert plan.recorded(7) == Record(
        {"a/index.html": "da", "b/index.html": "db"},
        {"a/index.html": "a.md", "b/index.html": "b.md"},
        frozenset(),
        7,
    )


def test_the_first_page_that_differs_starts_an_index_with_the_pages_so_far():
    plan = Plan(record({"a/index.html": "da", "b/index.html": "db", "c/index.html": "dc"}))
    assert plan.written("a/index.html", "da") == []
    assert plan.written("b/index.html", "db") == []
    steps = plan.written("c/index.html", "new", html="<c>")
    assert steps == [NEW_INDEX, "a/index.html", "b/index.html", "c/index.html"]
    assert plan.take("a/index.html").digest is None  # read from the output when sent
    assert plan.take("c/index.html").html == "<c>"


def test_a_page_gone_since_the_recorded_bundle_makes_an_index_of_the_pages_written():
    plan = Plan(record({"a/index.html": "da", "b/index.html": "db"}))
    plan.written("a/index.html", "da")
    assert plan.finish() == [NEW_INDEX, "a/index.html"]


def test_pages_sent_ahead_are_not_sent_again_when_the_build_writes_them_alike():
    plan = Plan(record({"a/index.html": "da", "b/index.html": "db"}))
    steps = plan.ahead({"b.md"}, {"a.md"})
    assert steps == [NEW_INDEX, "b/index.html"]
    assert plan.speculative == 1
    assert sent(plan, steps) == ["b/index.html"]
    assert not plan.may_write()  # b is not (yet) a page of this build
    assert plan.written("b/index.html", "db") == []
    assert plan.written("a/index.html", "da2", html="<a>") == ["a/index.html"]
    assert sent(plan, ["a/index.html"]) == ["a/index.html"]
    assert plan.may_write()
    assert plan.finish() == [] and plan.settle() == []


def test_a_page_sent_ahead_then_written_otherwise_is_sent_again():
    plan = Plan(record({"a/index.html": "da", "b/index.html": "db"}))
    sent(plan, plan.ahead({"b.md"}, {"a.md"}))
    assert plan.written("b/index.html", "db2", html="<b2>") == ["b/index.html"]
    assert plan.take("b/index.html").html == "<b2>"


def test_a_page_still_queued_ahead_takes_the_bytes_the_build_wrote():
    plan = Plan(record({"a/index.html": "da", "b/index.html": "db"}))
    plan.ahead({"b.md"}, {"a.md"})
    assert plan.written("b/index.html", "db2", html="<b2>") == []  # queued once
    queued = plan.take("b/index.html")
    assert (queued.digest, queued.html) == ("db2", "<b2>")


def test_a_page_ahead_whose_file_is_not_the_recorded_one_is_left_for_the_build():
    plan = Plan(record({"a/index.html": "da", "b/index.html": "db"}))
    steps = plan.ahead({"b.md"}, {"a.md"})
    assert sent(plan, steps, on_disk={"b/index.html": "rewritten"}) == []
    assert plan.written("b/index.html", "rewritten", html="<b>") == ["b/index.html"]


def test_a_page_sent_ahead_that_the_build_does_not_write_makes_a_new_index_at_the_end():
    plan = Plan(record({"a/index.html": "da", "b/index.html": "db"}))
    sent(plan, plan.ahead({"b.md"}, {"a.md"}))
    assert plan.written("a/index.html", "da2", html="<a>") == ["a/index.html"]
    sent(plan, ["a/index.html"])
    assert plan.finish() == []
    assert plan.settle() == [NEW_INDEX, "a/index.html"]


def test_a_page_queued_ahead_that_the_build_does_not_write_is_not_sent():
    plan = Plan(record({"a/index.html": "da", "b/index.html": "db"}))
    plan.ahead({"b.md"}, {"a.md"})
    plan.written("a/index.html", "da2", html="<a>")
    assert plan.finish() == []
    assert sent(plan, ["b/index.html", "a/index.html"]) == ["a/index.html"]


def test_a_page_written_twice_with_other_bytes_indexes_the_final_files():
    plan = Plan(None)
    sent(plan, plan.written("a/index.html", "d1", html="<1>"))
    assert plan.written("a/index.html", "d2", html="<2>") == []
    assert plan.finish() == [NEW_INDEX, "a/index.html"]
    assert sent(plan, ["a/index.html"], on_disk={"a/index.html": "d2"}) == ["a/index.html"]
    assert plan.pages == {"a/index.html": "d2"}  # recorded as sent


def test_listings_in_a_row_after_the_articles_ask_for_the_bundle_once(monkeypatch):
    monkeypatch.setattr(planner, "EARLY_WRITE_AFTER", 3)
    plan = Plan(None)
    plan.written("a/index.html", "da", html="<a>")
    assert [plan.written(f"tags/{n}/index.html", None) for n in range(5)] == [
        [],
        [],
        [WRITE],
        [],
        [],
    ]
    plan.written("b/index.html", "db", html="<b>")
    assert [plan.written(f"cat/{n}/index.html", None) for n in range(3)] == [[], [], []]


def test_a_page_of_another_part_means_the_articles_are_not_done(monkeypatch):
    monkeypatch.setattr(planner, "EARLY_WRITE_AFTER", 2)
    plan = Plan(None)
    plan.written("a/index.html", "da", html="<a>")
    plan.written("tags/index.html", None)
    plan.other_written("posts/b.md")
    assert plan.written("tags/2/index.html", None) == []
    assert plan.written("tags/3/index.html", None) == [WRITE]
    assert plan.recorded(0).other_sources == {"posts/b.md"}


def test_no_bundle_is_asked_for_early_while_the_recorded_one_may_still_do(monkeypatch):
    monkeypatch.setattr(planner, "EARLY_WRITE_AFTER", 1)
    plan = Plan(record({"a/index.html": "da"}))
    plan.written("a/index.html", "da")
    assert plan.written("tags/index.html", None) == []
