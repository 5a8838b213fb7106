"""Shared fixtures: build a real site with the project's settings into a temporary folder."""

from __future__ import annotations

import filecmp
import logging
import os
import subprocess
import sys
import weakref
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
PELICAN = Path(sys.executable).parent / "pelican"


@dataclass
class BuiltSite:
    """The output of one build, with the problems it logged."""

    output: Path
    problems: list[str] = field(default_factory=list)

    def file(self, url: str) -> Path:
        """The output file served at ``url`` (``/tags/x/`` → ``tags/x/index.html``)."""
        path = url.lstrip("/")
        if path == "" or path.endswith("/"):
            path += "index.html"
        return self.output / path

    def html(self, url: str) -> BeautifulSoup:
        """The parsed page served at ``url``."""
        return BeautifulSoup(self.file(url).read_text(encoding="utf-8"), "lxml")

    def exists(self, url: str) -> bool:
        return self.file(url).exists()


def output_files(root: Path) -> dict[str, Path]:
    """Every file below ``root``, by its path relative to it."""
    return {str(p.relative_to(root)): p for p in sorted(root.rglob("*")) if p.is_file()}


def differences(left: Path, right: Path) -> list[str]:
    """Files present on one side only, or whose bytes differ: [] when two outputs are the same."""
    a, b = output_files(left), output_files(right)
    differing = sorted(set(a) ^ set(b))
    differing += [n for n in sorted(set(a) & set(b)) if not filecmp.cmp(a[n], b[n], shallow=False)]
    return differing


def pelican_settings(content: Path, output: Path, settings_file: str, overrides: dict) -> dict:
    from pelican.settings import read_settings

    override = {"PATH": str(content), "OUTPUT_PATH": str(output), **overrides}
    return read_settings(str(ROOT / settings_file), override=override)


def run_build(content: Path, output: Path, settings_file="pelicanconf.py", **overrides):
    """Build in this process (fast); strict failures end as SystemExit like on the command line."""
    from pelican import Pelican

    disconnect_all_plugins()
    settings = pelican_settings(content, output, settings_file, overrides)
    pelican = Pelican(settings)
    pelican.run()
    return BuiltSite(output, list(pelican.build_problems))


@pytest.fixture
def build_site(tmp_path):
    """``build_site(content_dir, **settings)`` → BuiltSite, built into a fresh temporary folder."""
    count = 0

    def build(content, settings_file="pelicanconf.py", output=None, **overrides):
        nonlocal count
        count += 1
        target = Path(output) if output else tmp_path / f"output-{count}"
        return run_build(Path(content), target, settings_file, **overrides)

    return build


@pytest.fixture
def pelican_cli(tmp_path):
    """Run the ``pelican`` command like a maintainer would; returns the CompletedProcess."""

    def run(content, settings_file="pelicanconf.py", output=None, env=None, *extra):
        target = output or tmp_path / "cli-output"
        environment = {**os.environ, "LANG": "C", "LC_ALL": "C", **(env or {})}
        command = [str(PELICAN), str(content), "-s", settings_file, "-o", str(target), *extra]
        return subprocess.run(
            command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300
        )

    return run


def disconnect_all_plugins() -> None:
    """Forget the receivers of our plugins: a build connects only those of its own settings.

    Pelican has no way to unregister a plugin, so in one test process the receivers of every
    build seen so far would also run in later builds with other settings (another theme,
    fewer plugins). Receivers defined by tests themselves stay connected.
    """
    from blinker import Signal
    from pelican.plugins import signals

    plugins_dir = str(ROOT / "plugins")
    for value in vars(signals).values():
        if not isinstance(value, Signal):
            continue
        for receiver in list(value.receivers.values()):
            function = receiver() if isinstance(receiver, weakref.ref) else receiver
            code = getattr(function, "__code__", None)
            if code is not None and code.co_filename.startswith(plugins_dir):
                value.disconnect(function)


@pytest.fixture(autouse=True)
def _isolated_pelican_builds():
    disconnect_all_plugins()
    yield
    logging.getLogger().setLevel(logging.WARNING)
