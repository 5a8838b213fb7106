"""A copy of the project's demo site (content, theme, settings) that the live preview builds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from preview import LiveSite

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path) -> Path:
    """Content, theme and settings file copied: edits of every kind are made in the copy."""
    target = tmp_path / "project"
    target.mkdir()
    shutil.copytree(ROOT / "content", target / "content")
    shutil.copytree(ROOT / "theme", target / "theme")
    shutil.copy(ROOT / "pelicanconf.py", target / "pelicanconf.py")
    return target


@pytest.fixture
def live(project, tmp_path) -> LiveSite:
    """The project's copy as ``make serve`` keeps it: built once, warm from then on."""
    site = LiveSite(
        project / "pelicanconf.py",
        project / "content",
        tmp_path / "served",
        {"CACHE_PATH": str(tmp_path / "cache")},
    )
    first = site.build()
    assert first.built and not first.problems, first.problems
    return site
