"""The worker on its own: a broken pipe ends it quietly; settings are checked once."""

from __future__ import annotations

import multiprocessing

from pelican.readers import Readers

from plugins.read_ahead.read_ahead import SETTINGS_DEFAULTS, _work, settings_problems
from tests.conftest import ROOT, pelican_settings

from .conftest import SITES


def test_a_worker_whose_main_process_stopped_listening_exits_without_error(tmp_path):
    settings = pelican_settings(ROOT / "content", tmp_path, "pelicanconf.py", {})
    readers = Readers(settings)
    paths = [str(path) for path in sorted((SITES / "metadata").glob("*.md"))] * 10
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    begun = context.RawValue("i", 0)
    worker = context.Process(target=_work, args=(readers, paths, begun, sender), daemon=True)
    worker.start()
    receiver.close()
    sender.close()
    worker.join(30)
    assert worker.exitcode == 0


def test_the_worker_stops_at_the_files_the_main_process_has_begun(tmp_path):
    settings = pelican_settings(ROOT / "content", tmp_path, "pelicanconf.py", {})
    readers = Readers(settings)
    paths = [str(path) for path in sorted((SITES / "metadata").glob("*.md"))] * 3
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    begun = context.RawValue("i", 4)
    worker = context.Process(target=_work, args=(readers, paths, begun, sender), daemon=True)
    worker.start()
    sender.close()
    worker.join(30)
    sent = []
    while receiver.poll():
        try:
            sent.append(receiver.recv_bytes())
        except EOFError:
            break
    assert worker.exitcode == 0
    assert len(sent) == len(paths) - 4


def test_unusable_settings_are_named():
    assert settings_problems(SETTINGS_DEFAULTS) == []
    problems = settings_problems({"READ_AHEAD_ENABLED": "oui", "READ_AHEAD_MIN_FILES": 0})
    assert [name for name, _ in problems] == ["READ_AHEAD_ENABLED", "READ_AHEAD_MIN_FILES"]
