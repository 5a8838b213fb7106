"""The shared speed helpers (``authoring.speed``): every core, results kept between builds."""

from __future__ import annotations

import os

import pytest

from benchmarks.generate import generate
from plugins.core.speed import MISSING, BuildMemo, compute_with_memo, map_in_processes
from tests.conftest import differences


def test_results_come_back_in_order_from_other_processes():
    parent = os.getpid()
    items = list(range(400))

    results = map_in_processes(lambda n: (n * n, os.getpid()), items, min_items=100)

    assert [square for square, _ in results] == [n * n for n in items]
    workers = {pid for _, pid in results}
    if (os.cpu_count() or 1) > 1:
        assert parent not in workers and len(workers) >= 1
    else:
        assert workers == {parent}


def test_closures_over_build_objects_reach_the_workers():
    class Unpicklable:
        def __reduce__(self):
            raise TypeError("never sent to a worker")

    holder = Unpicklable()
    results = map_in_processes(lambda n: type(holder).__name__ + str(n), range(300), min_items=2)
    assert results == [f"Unpicklable{n}" for n in range(300)]


def test_few_items_are_computed_here():
    assert map_in_processes(lambda _: os.getpid(), range(5)) == [os.getpid()] * 5


def test_an_error_in_a_worker_reaches_the_caller():
    def fail_on_seven(n):
        if n == 7:
            raise ValueError("sept")
        return n

    with pytest.raises(ValueError, match="sept"):
        map_in_processes(fail_on_seven, range(300), min_items=2)


def memo_settings(tmp_path, load=True):
    return {
        "CACHE_PATH": str(tmp_path / "cache"),
        "CACHE_CONTENT": True,
        "LOAD_CONTENT_CACHE": load,
    }


def code_folder(tmp_path, text="VALUE = 1\n") -> str:
    folder = tmp_path / "plugin"
    folder.mkdir(exist_ok=True)
    (folder / "plugin.py").write_text(text)
    return str(folder)


def test_a_memo_gives_back_what_the_previous_build_used(tmp_path):
    calls = []
    first = BuildMemo(memo_settings(tmp_path), "demo", code_folder(tmp_path))
    keys = [first.key("texte", n) for n in range(3)]
    assert compute_with_memo(first, keys, lambda i: calls.append(i) or f"r{i}") == [
        "r0",
        "r1",
        "r2",
    ]
    first.save()

    second = BuildMemo(memo_settings(tmp_path), "demo", code_folder(tmp_path))
    extra = second.key("texte", 9)
    result = compute_with_memo(second, [keys[1], extra], lambda i: calls.append(("new", i)) or "r9")
    assert result == ["r1", "r9"]
    assert calls == [0, 1, 2, ("new", 1)]  # only the unknown key was computed again
    second.save()

    third = BuildMemo(memo_settings(tmp_path), "demo", code_folder(tmp_path))
    assert third.get(keys[0]) is MISSING  # not used by the second build: dropped
    assert third.get(extra) == "r9"


def test_a_code_change_or_a_cold_build_forgets_the_memo(tmp_path):
    memo = BuildMemo(memo_settings(tmp_path), "demo", code_folder(tmp_path))
    memo.put("k", "v")
    memo.save()
    assert BuildMemo(memo_settings(tmp_path), "demo", code_folder(tmp_path)).get("k") == "v"
    assert (
        BuildMemo(memo_settings(tmp_path, load=False), "demo", code_folder(tmp_path)).get("k")
        is MISSING
    )
    changed = code_folder(tmp_path, "VALUE = 2\n")
    assert BuildMemo(memo_settings(tmp_path), "demo", changed).get("k") is MISSING


def test_a_memo_without_the_content_cache_writes_nothing(tmp_path):
    memo = BuildMemo({"CACHE_PATH": str(tmp_path / "cache")}, "demo", code_folder(tmp_path))
    memo.put("k", "v")
    memo.save()
    assert not (tmp_path / "cache").exists()


def test_a_damaged_memo_file_is_ignored(tmp_path):
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "demo.pickle").write_bytes(b"pas un pickle")
    assert BuildMemo(memo_settings(tmp_path), "demo", code_folder(tmp_path)).get("k") is MISSING


def test_warm_builds_from_the_memos_equal_a_cold_build(tmp_path, build_site):
    """Bodies rewritten in workers (cold) or taken from the body pipeline's memo (warm, after
    an edit) give the same site as a cold build of the edited content."""
    content = tmp_path / "content"
    paths = generate(content, 240, 3)
    warm = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "SEARCH_ENABLED": False}
    cache = {"CACHE_PATH": str(tmp_path / "cache")}
    build_site(content, output=tmp_path / "warm", **warm, **cache)
    assert (tmp_path / "cache" / "body-pipeline.pickle").exists()

    edited = content / sorted(paths)[len(paths) // 2]
    edited.write_text(edited.read_text() + '\nUn "ajout" tardif : la fidélisation ?\n')
    retagged = content / sorted(paths)[len(paths) // 3]
    header, body = retagged.read_text().split("\n\n", 1)
    header = "\n".join(
        "Tags: fidélisation, nouvelle étiquette" if line.startswith("Tags:") else line
        for line in header.splitlines()
    )
    retagged.write_text(f"{header}\n\n{body}")  # related articles and tags change
    build_site(content, output=tmp_path / "warm", **warm, **cache, DELETE_OUTPUT_DIRECTORY=False)

    cold = build_site(content, output=tmp_path / "cold", SEARCH_ENABLED=False)
    assert differences(tmp_path / "warm", cold.output) == []


def test_a_build_that_used_exactly_the_known_entries_does_not_rewrite_the_file(tmp_path):
    memo = BuildMemo(memo_settings(tmp_path), "demo", code_folder(tmp_path))
    memo.put("k", "v")
    memo.save()
    path = tmp_path / "cache" / "demo.pickle"
    path.write_bytes(path.read_bytes())  # same entries, a new date to compare with
    before = path.stat().st_mtime_ns

    again = BuildMemo(memo_settings(tmp_path), "demo", code_folder(tmp_path))
    assert again.get("k") == "v"
    again.save()
    assert path.stat().st_mtime_ns == before

    again.put("other", "w")
    again.save()
    assert BuildMemo(memo_settings(tmp_path), "demo", code_folder(tmp_path)).get("other") == "w"
