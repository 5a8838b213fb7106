"""Generated sites, builds with and without the worker, and ways to look at the worker."""

from __future__ import annotations

import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from pelican import signals

from plugins.core import compat
from tests.conftest import differences, run_build  # noqa: F401 (differences: for the tests)

HERE = Path(__file__).parent
SITES = HERE / "sites"
# Pagefind's file names change at every build; the site_writer tests switch it off too.
SETTINGS = {"SEARCH_ENABLED": False}
WITHOUT = {"READ_AHEAD_ENABLED": False}


def build(content: Path, output: Path, **settings):
    """A build in this process, which first forgets the warnings earlier builds logged.

    Pelican drops a warning it has already logged in the process (``LimitFilter``, class-level
    memory): a second build of the same files would otherwise log fewer problems.
    """
    compat.forget_logged_messages()
    return run_build(Path(content), Path(output), **{**SETTINGS, **settings})


def generated_site(folder: Path, articles: int) -> Path:
    from benchmarks.generate import generate

    content = folder / "content"
    generate(content, articles, 1)
    return content


@pytest.fixture(scope="session")
def site_200(tmp_path_factory) -> Path:
    return generated_site(tmp_path_factory.mktemp("read-ahead-200"), 200)


@pytest.fixture(scope="session")
def site_40(tmp_path_factory) -> Path:
    return generated_site(tmp_path_factory.mktemp("read-ahead-40"), 40)


@pytest.fixture(scope="session")
def site_40_without(site_40, tmp_path_factory):
    """The 40-article site built once without the worker: the reference output."""
    return build(site_40, tmp_path_factory.mktemp("read-ahead-40-without"), **WITHOUT)


@pytest.fixture
def copy_of(tmp_path):
    """``copy_of(content, *extra_sites)``: a content folder to edit, extra posts added."""

    def copy(content: Path, *extra: Path) -> Path:
        target = tmp_path / "content"
        shutil.copytree(content, target)
        for site in extra:
            shutil.copytree(site, target, dirs_exist_ok=True)
        return target

    return copy


def child_processes() -> set[int]:
    """Processes (zombies included) whose parent is this one."""
    mine = os.getpid()
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        fields = text[text.rindex(")") + 2 :].split()
        if int(fields[1]) == mine:
            children.add(int(text.split(" ", 1)[0]))
    return children


def running(pid: int) -> bool:
    """Whether a process exists and has not exited (a zombie has)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


@contextmanager
def generators_seen():
    """``{"articles": generator, "pages": generator}`` of the builds run inside the block."""
    seen = {}

    def articles(generator):
        seen["articles"] = generator

    def pages(generator):
        seen["pages"] = generator

    signals.article_generator_init.connect(articles)
    signals.page_generator_init.connect(pages)
    try:
        yield seen
    finally:
        signals.article_generator_init.disconnect(articles)
        signals.page_generator_init.disconnect(pages)


@contextmanager
def connected(signal, receiver):
    signal.connect(receiver)
    try:
        yield
    finally:
        signal.disconnect(receiver)


@contextmanager
def worker_reads_everything():
    """The main process waits at its first file until the worker has read all it could.

    Which files the worker reads otherwise depends on timing; with this, every planned file
    goes through the worker. Its results are taken while it works (a full pipe would stop it).
    """
    held = []

    def hold(generator):
        session = getattr(generator, "read_ahead", None)
        if session is None or session.process.pid is None or generator in held:
            return
        held.append(generator)
        deadline = time.monotonic() + 60
        while session.process.is_alive():
            assert time.monotonic() < deadline, "the worker did not finish"
            session.receive()
            time.sleep(0.01)
        session.receive()

    with (
        connected(signals.article_generator_preread, hold),
        connected(signals.page_generator_preread, hold),
    ):
        yield held
