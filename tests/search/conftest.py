"""Fixtures of the search tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

SITES = Path(__file__).parent / "sites"


@pytest.fixture
def warm(tmp_path):
    """A content folder of its own and the settings of a warm build (kept output and cache)."""
    content = tmp_path / "content"
    shutil.copytree(SITES / "basic", content)
    settings = {
        "CACHE_CONTENT": True,
        "LOAD_CONTENT_CACHE": True,
        "DELETE_OUTPUT_DIRECTORY": False,
        "CACHE_PATH": str(tmp_path / "cache"),
    }
    return content, tmp_path / "output", settings


def add_a_word(content: Path, word: str = "zygomorphe") -> None:
    """Edit the published article ``posts/culture.md``: one more sentence at its end."""
    article = content / "posts/culture.md"
    article.write_text(article.read_text(encoding="utf-8") + f"\nUn mot {word}.\n", "utf-8")
