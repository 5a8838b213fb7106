"""A build that reads the content cache writes the same theme pages as a cold build."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_cached_build_writes_the_same_pages(tmp_path):
    from tests.conftest import run_build

    cache = {
        "CACHE_CONTENT": True,
        "LOAD_CONTENT_CACHE": True,
        "CACHE_PATH": str(tmp_path / "cache"),
        "SEARCH_ENABLED": False,
    }
    cold = run_build(ROOT / "content", tmp_path / "cold", "pelicanconf.py", **cache)
    warm = run_build(ROOT / "content", tmp_path / "warm", "pelicanconf.py", **cache)
    pages = sorted(p.relative_to(cold.output) for p in cold.output.rglob("*.html"))
    assert len(pages) > 40
    assert sorted(p.relative_to(warm.output) for p in warm.output.rglob("*.html")) == pages
    differing = [
        str(p) for p in pages if (cold.output / p).read_bytes() != (warm.output / p).read_bytes()
    ]
    assert differing == []
