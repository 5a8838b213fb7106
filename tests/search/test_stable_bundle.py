"""Pagefind's filter, meta and entry files written in a stable order (``stable_bundle``)."""

from __future__ import annotations

import json

from plugins.search.stable_bundle import decode, encode, stable_files

FRAGMENT = {"path": "fragment/fr_1a2b3c4.pf_fragment", "content": b"\x1f\x8bfragment"}


def bundle(values: list, filters: list) -> list[dict]:
    """A bundle as Pagefind gives it: one filter's values and the meta's filters in the order of
    its hash maps."""
    filter_file = {"path": "filter/fr_aaaaaaa.pf_filter", "content": encode(["Série", values])}
    formats = encode(["Format", [["Billet", [0]]]])
    other = {"path": "filter/fr_bbbbbbb.pf_filter", "content": formats}
    meta = ["1.5.2", [["fr_1a2b3c4", 120]], [["a", "z", "fr_ccccccc"]], filters, [], ["title"]]
    entry = {
        "version": "1.5.2",
        "languages": {"fr": {"hash": "fr_0123456789", "wasm": "fr", "page_count": 1}},
        "include_characters": ["_", "‿"],
    }
    return [
        FRAGMENT,
        filter_file,
        other,
        {"path": "pagefind.fr_0123456789.pf_meta", "content": encode(meta)},
        {"path": "pagefind-entry.json", "content": json.dumps(entry).encode()},
    ]


def as_dict(files: list[dict]) -> dict[str, bytes]:
    return {file["path"]: file["content"] for file in files}


def test_the_same_index_in_another_hash_map_order_gives_the_same_files():
    values = [["Irritant", [2, 7]], ["L'Oeil du Sens du client", [1, 4]]]
    filters = [["Série", "fr_aaaaaaa"], ["Format", "fr_bbbbbbb"]]
    one = as_dict(stable_files(bundle(values, filters)))
    other = as_dict(stable_files(bundle(values[::-1], filters[::-1])))
    assert one == other
    assert one[FRAGMENT["path"]] == FRAGMENT["content"]  # the rest is Pagefind's own

    # The files name each other: entry → meta → filters, values sorted.
    entry = json.loads(one["pagefind-entry.json"])
    meta = decode(one[f"pagefind.{entry['languages']['fr']['hash']}.pf_meta"])
    assert [name for name, _ in meta[3]] == ["Format", "Série"]
    series = decode(one[f"filter/{dict(meta[3])['Série']}.pf_filter"])
    assert series == ["Série", sorted(values)]
    assert meta[2] == [["a", "z", "fr_ccccccc"]]  # word index chunks untouched
    assert len([p for p in one if p.startswith("filter/")]) == 2
    assert one["pagefind-entry.json"].decode().startswith('{"version":"1.5.2","languages":')


def test_a_bundle_in_an_unknown_format_is_left_as_it_is():
    files = [{"path": "filter/fr_aaaaaaa.pf_filter", "content": b"not gzip"}, FRAGMENT]
    assert stable_files(files) == files
