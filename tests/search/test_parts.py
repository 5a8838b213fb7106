"""An index split in parts (``SEARCH_PARTITIONS``, as previews do): each article in one part,
chosen by its path; an edit indexes again only the part of the edited article."""

from __future__ import annotations

import shutil
from pathlib import Path

from plugins.search.planner import part_of
from tests.conftest import run_build
from tests.search.bundles import (
    bundle_dirs,
    bundle_fragments,
    bundle_state,
    fragments,
    languages,
)
from tests.search.conftest import add_a_word
from tests.search.test_streaming import ENTRY, INTERVIEW

SITES = Path(__file__).parent / "sites"


def page_path(url: str) -> str:
    return url.strip("/") + "/index.html"


def part_urls(bundle: Path) -> set[str]:
    return set(bundle_fragments(bundle))


def test_each_article_is_in_the_one_part_its_path_names(tmp_path):
    site = run_build(SITES / "basic", tmp_path / "output", SEARCH_PARTITIONS=2)
    assert site.problems == []
    first, second = bundle_dirs(site.output)
    assert {part_of(page_path(INTERVIEW), 2), part_of(page_path(ENTRY), 2)} == {0, 1}
    for url in (ENTRY, INTERVIEW):
        owner = (first, second)[part_of(page_path(url), 2)]
        assert url in part_urls(owner)
    assert part_urls(first).isdisjoint(part_urls(second))
    assert languages(site.output) == {"fr": 2}


def test_an_edit_indexes_again_only_the_part_of_the_edited_article(warm):
    content, output, settings = warm
    settings["SEARCH_PARTITIONS"] = 2
    run_build(content, output, **settings)
    edited_part = bundle_dirs(output)[part_of(page_path(ENTRY), 2)]
    before = bundle_state(output)
    add_a_word(content)

    site = run_build(content, output, **settings)
    assert site.problems == []
    after = bundle_state(output)
    edited = str(edited_part.relative_to(output))
    changed = {name for name in after if before.get(name) != after[name]}
    assert changed and all(name.startswith(edited + "/") for name in changed)
    assert "zygomorphe" in fragments(output)[ENTRY]["content"]
    assert set(fragments(output)) == {ENTRY, INTERVIEW}


def test_an_output_kept_from_a_single_index_keeps_only_the_parts(tmp_path):
    output = tmp_path / "output"
    kept = {"DELETE_OUTPUT_DIRECTORY": False, "CACHE_PATH": str(tmp_path / "cache")}
    run_build(SITES / "basic", output, SEARCH_PARTITIONS=1, **kept)
    assert (output / "pagefind" / "pagefind-entry.json").exists()

    site = run_build(SITES / "basic", output, SEARCH_PARTITIONS=2, **kept)
    assert site.problems == []
    assert sorted(entry.name for entry in (output / "pagefind").iterdir()) == ["1", "2"]
    assert set(fragments(output)) == {ENTRY, INTERVIEW}


def test_a_part_without_any_article_is_still_a_bundle(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SITES / "basic", content)
    (content / "posts" / "entretien.md").unlink()
    site = run_build(content, tmp_path / "output", SEARCH_PARTITIONS=2)
    assert site.problems == []
    assert len(bundle_dirs(site.output)) == 2
    assert set(fragments(site.output)) == {ENTRY}
