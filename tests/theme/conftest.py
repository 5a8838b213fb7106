"""The demo content built with the project's settings, once per test module."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from tests.conftest import run_build

    return run_build(ROOT / "content", tmp_path_factory.mktemp("theme-demo"), "pelicanconf.py")


def html_pages(site) -> list[Path]:
    """Every HTML page of a built site, drafts and the search bundle left out."""
    skipped = ("brouillons/", "pagefind/")
    return sorted(
        path
        for path in site.output.rglob("*.html")
        if not path.relative_to(site.output).as_posix().startswith(skipped)
    )
