"""The worker on its own: a broken pipe ends it quietly; settings are checked once."""

from __future__ import annotations

import multiprocessing

from plugins.authoring.authoring import AuthoringMarkdownReader
from plugins.read_ahead.read_ahead import (
    SETTINGS_DEFAULTS,
    _Job,
    _work,
    settings_problems,
    shared_objects,
)
from tests.conftest import ROOT, pelican_settings

from .conftest import SITES


def test_a_worker_whose_main_process_stopped_listening_exits_without_error(tmp_path):
    settings = pelican_settings(ROOT / "content", tmp_path, "pelicanconf.py", {})
    reader = AuthoringMarkdownReader(settings)
    paths = [str(path) for path in sorted((SITES / "metadata").glob("*.md"))] * 10
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    job = _Job(
        paths=paths,
        readers=[reader] * len(paths),
        reads=[reader.read] * len(paths),
        claims=context.RawArray("b", len(paths)),
        lock=context.Lock(),
        waiting=context.RawValue("i", 0),  # "the main process waits": send every result at once
        receiver=receiver,
        sender=sender,
        shared=shared_objects(settings),
    )
    worker = context.Process(target=_work, args=(job,), daemon=True)
    worker.start()
    receiver.close()
    sender.close()
    worker.join(30)
    assert worker.exitcode == 0


def test_unusable_settings_are_named():
    assert settings_problems(SETTINGS_DEFAULTS) == []
    problems = settings_problems({"READ_AHEAD_ENABLED": "oui", "READ_AHEAD_MIN_FILES": 0})
    assert [name for name, _ in problems] == ["READ_AHEAD_ENABLED", "READ_AHEAD_MIN_FILES"]
