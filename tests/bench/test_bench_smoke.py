"""The benchmark runs end to end at a tiny size: every build succeeds, the JSON has its keys."""

from __future__ import annotations

import json

import pytest

from benchmarks import run


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    work = tmp_path_factory.mktemp("bench")
    summary = run.main(["--sizes", "40", "--work", str(work), "--json", str(work / "run.json")])
    return work, summary


def test_the_json_has_the_headline_figures(smoke):
    work, summary = smoke
    written = json.loads((work / "run.json").read_text(encoding="utf-8"))
    assert written == json.loads(json.dumps(summary))
    for key in ("articles", "vanilla_s", "cold_s", "warm_s", "edit_s", "peak_rss_mb", "plugins"):
        assert key in written, key
    assert written["articles"] == 40
    assert all(written[key] > 0 for key in ("vanilla_s", "cold_s", "warm_s", "edit_s"))


def test_both_sites_were_built_from_the_same_content(smoke):
    work, _ = smoke
    size = work / "size-40"
    vanilla_articles = list((size / "out-vanilla").glob("20*/*/*/index.html"))
    our_articles = list((size / "out-cold").glob("20*/*/*/index.html"))
    assert len(vanilla_articles) == len(our_articles) == 40


def test_our_plugins_are_timed(smoke):
    _, summary = smoke
    assert "site_writer" in summary["plugins"]
    plugins = run.project_settings("pelicanconf.py")["PLUGINS"]
    # The body pipeline's runner belongs to the core that every plugin imports.
    assert set(summary["plugins"]) <= {"core", *(name.removeprefix("plugins.") for name in plugins)}


def test_the_warm_build_renders_less_than_the_cold_one(smoke):
    # Every build of our site must get the same settings, or the writer rightly renders it all.
    _, summary = smoke
    timing = summary["sizes"][0]["timing"]
    assert timing["warm"]["renders"] < timing["cold"]["renders"] / 10


def test_cpu_time_and_ratios_to_the_cold_build_are_reported(smoke):
    _, summary = smoke
    assert set(summary["cpu_s"]) == set(run.LABELS)
    assert all(seconds > 0 for seconds in summary["cpu_s"].values())
    assert summary["cold_ratios"]["cold"] == 1.0
    assert summary["cold_ratios"]["warm"] == round(summary["warm_s"] / summary["cold_s"], 3)


def test_photos_are_encoded_cold_and_none_warm(smoke):
    _, summary = smoke
    photos = summary["photos"]
    assert photos["encoded_cold"] >= 1 and photos["failed"] == 0
    assert photos["encoded_warm"] == 0
    assert photos["per_photo_cpu_s"] is not None


def test_the_builds_of_the_targets_leave_photos_alone(smoke):
    work, _ = smoke
    size = work / "size-40"
    originals = sorted(p.name for p in (size / "content/images/photos").iterdir())
    assert originals and sorted(p.name for p in (size / "out-cold/images/photos").iterdir()) == (
        originals
    )
    assert not (size / "out-photos/images/photos" / originals[0]).exists()
