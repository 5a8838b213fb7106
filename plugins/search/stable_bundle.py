"""The same Pagefind bundle for the same pages: its files made independent of hash-map order.

Pagefind (1.5) writes a filter's values, and the list of filters in its meta file, in the
iteration order of Rust hash maps, which changes from one run to the next: two builds of the
same site gave other ``filter/*.pf_filter`` and ``pagefind.*.pf_meta`` files (other bytes, so
other names) and another ``pagefind-entry.json``, and every publish sent them again. Here those
files are decoded (gzip, Pagefind's signature, CBOR), their unordered lists sorted, encoded again
and named after their new content, and the names they carry are updated: meta → filters, entry →
meta. Everything else of the bundle (fragments, word index, scripts) is left as Pagefind wrote
it: its bytes depend only on the pages and the order they were sent in.

Pagefind reads these files by the names listed in the entry and meta files, and fetches them
by those names only; a filter's values are shown sorted, which is also the order readers get.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re

SIGNATURE = b"pagefind_dcd"
META = re.compile(r"^pagefind\.(?P<hash>[^/.]+)\.pf_meta$")
FILTER = re.compile(r"^filter/(?P<hash>[^/.]+)\.pf_filter$")
ENTRY = "pagefind-entry.json"
# Fields of the meta file (a CBOR array): filters and sorts are [name, file hash] pairs.
META_FILTERS, META_SORTS = 3, 4


def decode(data: bytes) -> object:
    import cbor2

    raw = gzip.decompress(data)
    if not raw.startswith(SIGNATURE):
        raise ValueError("not a Pagefind data file")
    return cbor2.loads(raw[len(SIGNATURE) :])


def encode(value: object) -> bytes:
    """Pagefind's container: signature and CBOR, gzipped without a date (same bytes each run)."""
    import cbor2

    return gzip.compress(SIGNATURE + cbor2.dumps(value), compresslevel=9, mtime=0)


def renamed(old: str, data: bytes) -> str:
    """A hash of the new content in place of the old one, in its form: language, then as many
    hex digits."""
    language, _, digits = old.rpartition("_")
    fresh = hashlib.sha256(data).hexdigest()[: len(digits)]
    return f"{language}_{fresh}" if language else fresh


def stable_files(files: list[dict]) -> list[dict]:
    """Pagefind's bundle (``{"path", "content"}`` dicts, as ``get_files`` gives them) with its
    filter, meta and entry files in a stable order; a bundle it does not recognise (another
    Pagefind's format) is returned as it is: searchable, only not stable."""
    try:
        return _stable_files(files)
    except (ValueError, TypeError, KeyError, IndexError, OSError):  # CBOR and gzip errors too
        return files


def _named_pairs(pairs: list, names: dict[str, str]) -> list:
    """[name, file hash, …] items renamed and sorted by name (the other items as they are)."""
    fixed = [
        [item[0], names.get(item[1], item[1]), *item[2:]]
        if isinstance(item, list) and len(item) > 1 and isinstance(item[1], str)
        else item
        for item in pairs
    ]
    return sorted(fixed, key=lambda item: str(item[0] if isinstance(item, list) else item))


def _stable_files(files: list[dict]) -> list[dict]:
    by_path = {file["path"]: file["content"] for file in files}
    names: dict[str, str] = {}  # old hash → new hash
    result: dict[str, bytes] = {}
    for path, content in by_path.items():
        if found := FILTER.match(path):
            name, values = decode(content)
            data = encode([name, sorted(values, key=lambda item: item[0])])
            names[found["hash"]] = new = renamed(found["hash"], data)
            result[f"filter/{new}.pf_filter"] = data
    for path, content in by_path.items():
        if found := META.match(path):
            meta = decode(content)
            for field in (META_FILTERS, META_SORTS):
                if field < len(meta) and isinstance(meta[field], list):
                    meta[field] = _named_pairs(meta[field], names)
            data = encode(meta)
            names[found["hash"]] = new = renamed(found["hash"], data)
            result[f"pagefind.{new}.pf_meta"] = data
    for path, content in by_path.items():
        if path == ENTRY:
            entry = json.loads(content)
            for language in entry.get("languages", {}).values():
                language["hash"] = names.get(language["hash"], language["hash"])
            entry["languages"] = dict(sorted(entry.get("languages", {}).items()))
            result[path] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
        elif not (FILTER.match(path) or META.match(path)):
            result[path] = content
    return [{"path": path, "content": content} for path, content in result.items()]
