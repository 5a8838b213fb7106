"""A rebuild where no searchable page changed keeps the Pagefind index as it is."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import run_build
from tests.search.bundles import bundle_dirs, bundle_state

SITES = Path(__file__).parent / "sites"


def test_pagefind_runs_again_only_when_a_searchable_page_changed(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SITES / "basic", content)
    output = tmp_path / "output"
    warm = {"DELETE_OUTPUT_DIRECTORY": False, "CACHE_PATH": str(tmp_path / "cache")}

    run_build(content, output, **warm)
    first = bundle_state(output)
    assert any(name.endswith("pagefind.js") for name in first)

    run_build(content, output, **warm)
    assert bundle_state(output) == first  # same pages: same index, untouched

    article = content / "posts/culture.md"  # a published, indexed article
    article.write_text(article.read_text(encoding="utf-8") + "\nUn mot ajouté.\n", "utf-8")
    run_build(content, output, **warm)
    assert bundle_state(output) != first
    assert all((bundle / "pagefind.js").exists() for bundle in bundle_dirs(output))
