"""The body pipeline: order, skips, notes, once per build, the memo, Pelican's memoized body."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from pelican.contents import Article

from plugins.core import pipeline
from plugins.core.pipeline import SKIP, Plan, Rewritten


@pytest.fixture
def planned():
    """Connect planners for one test only (the signal outlives tests in one process)."""
    connected = []

    def connect(*planners):
        for planner in planners:
            pipeline.planners.connect(planner)
            connected.append(planner)

    yield connect
    for planner in connected:
        pipeline.planners.disconnect(planner)


def body_of(html: str) -> SimpleNamespace:
    return SimpleNamespace(_content=html)


def build_of(*contents, cache=None):
    settings = {"CACHE_PATH": str(cache or "/nonexistent"), "CACHE_CONTENT": bool(cache)}
    settings["LOAD_CONTENT_CACHE"] = bool(cache)
    return [SimpleNamespace(settings=settings, articles=list(contents))]


def wrap(tag):
    return lambda generators: Plan(tag, ord(tag[0]), lambda body, job: f"<{tag}>{body}")


def test_transforms_run_by_priority_whatever_the_order_they_were_registered(planned):
    planned(wrap("a"), wrap("c"), wrap("b"))  # priorities: c > b > a
    article = body_of("x")
    pipeline.run(build_of(article))
    assert article._content == "<a><b><c>x"


def test_a_skipped_content_is_left_to_the_other_transforms(planned):
    only_long = lambda generators: Plan(  # noqa: E731
        "long",
        200,
        lambda body, job: body.upper(),
        job_of=lambda c: SKIP if len(c._content) < 3 else (),
    )
    planned(only_long, wrap("w"))
    short, long = body_of("x"), body_of("xyz")
    pipeline.run(build_of(short, long))
    assert (short._content, long._content) == ("<w>x", "<w>XYZ")


def test_notes_are_kept_by_content_and_transform(planned):
    counted = lambda generators: Plan(  # noqa: E731
        "count", 1, lambda body, job: Rewritten(body, notes=len(body.split()))
    )
    planned(counted)
    one, three = body_of("un"), body_of("un deux trois")
    generators = build_of(one, three)
    outcome = pipeline.outcome(generators)
    assert (outcome.notes(one, "count"), outcome.notes(three, "count")) == (1, 3)
    assert outcome.notes(one, "other", "none") == "none"


def test_a_second_run_in_one_build_changes_nothing(planned):
    planned(wrap("w"))
    article = body_of("x")
    generators = build_of(article)
    pipeline.run(generators)
    pipeline.outcome(generators)
    pipeline.run(generators)
    assert article._content == "<w>x"


def test_a_warm_build_rewrites_only_the_bodies_whose_inputs_changed(planned, tmp_path):
    calls = []

    def planner(generators):
        suffix = generators[0].settings.get("SUFFIX", "")

        def rewrite(body, job):
            calls.append(body)
            return body + suffix + job

        return Plan("s", 1, rewrite, job_of=lambda c: c.job, inputs=suffix)

    planned(planner)

    def build(**jobs):
        contents = [SimpleNamespace(_content=name, job=job) for name, job in jobs.items()]
        pipeline.run(build_of(*contents, cache=tmp_path))
        return [c._content for c in contents]

    assert build(a="1", b="2") == ["a1", "b2"]
    calls.clear()
    assert build(a="1", b="3") == ["a1", "b3"]  # b's job changed: b alone is rewritten
    assert calls == ["b"]


def test_pelican_renders_the_rewritten_body_even_if_it_rendered_it_before(planned):
    planned(wrap("w"))
    settings = {"SITEURL": "", "CACHE_PATH": "/nonexistent", "SLUGIFY_SOURCE": "title"}
    from pelican.settings import DEFAULT_CONFIG

    article = Article("<p>x</p>", metadata={"title": "T"}, settings={**DEFAULT_CONFIG, **settings})
    assert article.content == "<p>x</p>"  # memoized by Pelican
    pipeline.run([SimpleNamespace(settings=settings, articles=[article])])
    assert article.content == "<w><p>x</p>"
