"""Builds with the worker write the same files and log the same problems as builds without."""

from __future__ import annotations

import gc
import logging
import os
import pickle
import signal

import pytest
from pelican import signals

import plugins.read_ahead.read_ahead as read_ahead_module
from tests.conftest import ROOT

from .conftest import (
    SITES,
    WITHOUT,
    build,
    child_processes,
    connected,
    differences,
    generators_seen,
    worker_reads_everything,
)

PROBLEMS = SITES / "problems"
BAD_DATE = "date-impossible.md:2: Date « 2020-02-30 10:00 »"
BAD_KEY = "2020-03-01-cle-mal-ecrite.md:4: clé d'en-tête inconnue « serie »"
# Pelican processes the date of a file's NAME before reading it (authoring is told which file).
BAD_NAME = "2020-02-31-nom-impossible.md: Date « 2020-02-31 » n'est pas une date valide"


def test_the_demo_site_is_byte_for_byte_the_same(tmp_path):
    before = child_processes()
    with generators_seen() as seen:
        site = build(ROOT / "content", tmp_path / "with", READ_AHEAD_MIN_FILES=1)
    plain = build(ROOT / "content", tmp_path / "without", **WITHOUT)
    assert differences(site.output, plain.output) == []
    assert site.problems == plain.problems
    assert seen["articles"].read_ahead.received > 0
    assert seen["pages"].read_ahead is not None  # the pages generator forks its own worker
    assert child_processes() == before


def test_a_generated_site_is_byte_for_byte_the_same_and_partly_read_by_the_worker(
    site_200, tmp_path, caplog
):
    caplog.set_level(logging.INFO, logger="plugins.read_ahead")
    with generators_seen() as seen:
        site = build(site_200, tmp_path / "with")
    plain = build(site_200, tmp_path / "without", **WITHOUT)
    assert differences(site.output, plain.output) == []
    session = seen["articles"].read_ahead
    assert len(session.paths) == 200
    assert 0 < session.received < 200  # it stopped where the main process was
    assert seen["pages"].read_ahead is None  # 2 pages: not worth a fork
    reports = [r.getMessage() for r in caplog.records if r.name == "plugins.read_ahead.read_ahead"]
    assert reports == [
        f"read_ahead : {session.received} fichiers lus en parallèle sur 200 (ArticlesGenerator)"
    ]


def test_header_problems_are_reported_once_with_their_line(site_40, copy_of, tmp_path):
    content = copy_of(site_40, PROBLEMS)
    with generators_seen() as seen, worker_reads_everything():
        site = build(content, tmp_path / "with")
    plain = build(content, tmp_path / "without", **WITHOUT)
    session = seen["articles"].read_ahead
    # Two were not sent: one logs a warning, one raises. The third one's body reads well (its
    # name fails in the main process, before Pelican asks for its reading).
    assert session.received == len(session.paths) - 2
    assert site.problems == plain.problems
    assert len([p for p in site.problems if BAD_DATE in p]) == 1
    assert len([p for p in site.problems if BAD_KEY in p]) == 1
    assert len([p for p in site.problems if BAD_NAME in p]) == 1
    assert not [p for p in site.problems if p.startswith("Could not process")]  # ours is enough
    assert len(site.problems) == 3
    assert differences(site.output, plain.output) == []


def test_a_strict_build_still_fails_on_a_problem_the_worker_met(site_40, copy_of, tmp_path):
    content = copy_of(site_40, PROBLEMS)
    with worker_reads_everything(), pytest.raises(SystemExit):
        build(content, tmp_path / "strict", STRICT_BUILD=True)


def test_a_warm_build_sends_the_worker_only_the_changed_files(site_40, copy_of, tmp_path):
    content = copy_of(site_40)
    cache = {
        "CACHE_CONTENT": True,
        "LOAD_CONTENT_CACHE": True,
        "CACHE_PATH": str(tmp_path / "cache"),
        "DELETE_OUTPUT_DIRECTORY": False,
    }
    build(content, tmp_path / "warm", **cache)
    posts = sorted((content / "posts").rglob("*.md"))
    for post in posts[:20]:
        with post.open("a", encoding="utf-8") as source:
            source.write("\nUne phrase ajoutée.\n")
    with generators_seen() as seen, worker_reads_everything():
        build(content, tmp_path / "warm", **cache)
    session = seen["articles"].read_ahead
    assert sorted(session.paths) == [str(post) for post in posts[:20]]
    assert session.received == 20
    plain = build(content, tmp_path / "cold", **WITHOUT)
    assert differences(tmp_path / "warm", plain.output) == []

    for post in posts[:5]:
        with post.open("a", encoding="utf-8") as source:
            source.write("\nEncore une.\n")
    with generators_seen() as seen:
        build(content, tmp_path / "warm", **cache)
    assert seen["articles"].read_ahead is None  # 5 files: fewer than READ_AHEAD_MIN_FILES


def kill_after(count: int):
    """A context receiver that kills the worker once the main process has read ``count``."""
    taken = []

    def receiver(generator, metadata):
        taken.append(metadata)
        if len(taken) == count:
            os.kill(generator.read_ahead.process.pid, signal.SIGKILL)

    return receiver


def test_a_killed_worker_only_means_the_main_process_reads_the_rest(
    site_40, site_40_without, tmp_path
):
    before = child_processes()
    with generators_seen() as seen, connected(signals.article_generator_context, kill_after(5)):
        site = build(site_40, tmp_path / "with")
    assert differences(site.output, site_40_without.output) == []
    assert site.problems == site_40_without.problems
    assert seen["articles"].read_ahead.received < 40
    assert child_processes() == before


def test_a_result_that_does_not_pickle_is_read_by_the_main_process(
    site_40, site_40_without, tmp_path, monkeypatch
):
    real_dumps = read_ahead_module.dumps

    def dumps_or_fail(value, settings):
        if len(value[0]) % 2:
            raise pickle.PicklingError("no")
        return real_dumps(value, settings)

    monkeypatch.setattr(read_ahead_module, "dumps", dumps_or_fail)
    with generators_seen() as seen, worker_reads_everything():
        site = build(site_40, tmp_path / "with")
    session = seen["articles"].read_ahead
    unsent = [path for path in session.paths if len(path) % 2]
    assert unsent and session.received == len(session.paths) - len(unsent)
    assert differences(site.output, site_40_without.output) == []


def test_the_worker_ignores_ctrl_c(site_40, site_40_without, tmp_path):
    def interrupt(generator):
        session = generator.read_ahead
        if session.received == 0:
            os.kill(session.process.pid, signal.SIGINT)

    with (
        generators_seen() as seen,
        connected(signals.article_generator_preread, interrupt),
        worker_reads_everything(),
    ):
        site = build(site_40, tmp_path / "with")
    session = seen["articles"].read_ahead
    assert session.received == len(session.paths)
    assert differences(site.output, site_40_without.output) == []


class Interrupted(BaseException):
    """Escapes Pelican's ``except Exception`` around each file, like a Ctrl-C."""


def test_a_build_that_raises_while_reading_leaves_no_process_behind(site_40, tmp_path):
    def interrupt(generator, metadata):
        raise Interrupted

    before = child_processes()
    with generators_seen() as seen, connected(signals.article_generator_context, interrupt):
        with pytest.raises(Interrupted):
            build(site_40, tmp_path / "with")
        assert seen["articles"].read_ahead.stop_with.alive  # nobody ended it
    del seen
    gc.collect()
    assert child_processes() == before


def test_the_command_line_build_prints_the_same_and_writes_the_same(
    site_40, copy_of, tmp_path, pelican_cli
):
    content = copy_of(site_40, PROBLEMS)
    runs = {}
    for name, enabled in (("with", "true"), ("without", "false")):
        output = tmp_path / name
        extra = ("-e", "SEARCH_ENABLED=false", f"READ_AHEAD_ENABLED={enabled}")
        # One hash seed: Pelican reads the files in the order of a set of their names.
        env = {"PYTHONHASHSEED": "0"}
        runs[name] = pelican_cli(content, "pelicanconf.py", output, env, *extra)
        assert runs[name].returncode == 0, runs[name].stderr
    assert differences(tmp_path / "with", tmp_path / "without") == []

    def messages(run):
        """The log, without its clock and the build's duration (rich wraps it on two lines)."""
        text = (run.stdout + run.stderr).split("Done: Processed")[0]
        return [line.split("]", 1)[-1].strip() for line in text.splitlines()]

    assert messages(runs["with"]) == messages(runs["without"])
    levels = [line.split()[0] for line in messages(runs["with"])]
    assert sorted(level for level in levels if level in ("ERROR", "WARNING")) == [
        *["ERROR"] * 2,
        "WARNING",
    ]
