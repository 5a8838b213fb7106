"""Reading a built site's Pagefind index, whether it is one bundle or split in parts."""

from __future__ import annotations

import gzip
import json
from pathlib import Path


def bundle_dirs(output: Path) -> list[Path]:
    """The bundles of the index: ``pagefind/``, or its parts ``pagefind/1/``, ``pagefind/2/``…"""
    return sorted(entry.parent for entry in (output / "pagefind").rglob("pagefind-entry.json"))


def bundle_fragments(bundle: Path) -> dict[str, dict]:
    """Pagefind's stored fragments (gzipped JSON behind a signature) of one bundle, by page URL."""
    result = {}
    for path in (bundle / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        fragment = json.loads(data[data.index(b"{") :])
        result[fragment["url"]] = fragment
    return result


def fragments(output: Path) -> dict[str, dict]:
    """The fragments of every part of an output's index, by page URL; a page indexed twice
    fails."""
    result: dict[str, dict] = {}
    for bundle in bundle_dirs(output):
        found = bundle_fragments(bundle)
        assert result.keys().isdisjoint(found), f"indexed twice: {result.keys() & found.keys()}"
        result.update(found)
    return result


def languages(output: Path) -> dict[str, int]:
    """Pages indexed per language, over every part."""
    counts: dict[str, int] = {}
    for bundle in bundle_dirs(output):
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        for name, language in entry["languages"].items():
            counts[name] = counts.get(name, 0) + language["page_count"]
    return counts


def bundle_state(output: Path) -> dict[str, int]:
    """Modification time of each file of the index, by path."""
    return {
        str(path.relative_to(output)): path.stat().st_mtime_ns
        for path in (output / "pagefind").rglob("*")
        if path.is_file()
    }
