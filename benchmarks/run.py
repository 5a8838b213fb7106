"""The build benchmark: vanilla Pelican against our site, cold, warm and after one edit.

For each size, on one generated content folder (``benchmarks/generate.py``), every build runs
in its own ``pelican`` process (what an author pays, start-up included), timed from outside,
its peak memory read from ``os.wait4``:

(a) vanilla Pelican: same version, its ``notmyidea`` theme, no plugin, our URLs and feeds;
(b) our site, cold: ``pelicanconf.py`` as it is, fresh output folder;
    then once more writing the cache (the dev server's first build);
(c) our site, warm: the cache loaded, nothing changed;
(d) our site, warm, after editing the body of one article;
(e) the preview (``make serve``'s live process): from a save to the reload, by kind of edit,
    against vanilla Pelican's ``--autoreload`` (``benchmarks/serve.py``; ``--no-serve`` skips it).

Builds (a) to (d) leave the corpus's photos as they are (``PHOTOS_ENABLED=false``, what vanilla
does too): their ratios are those of the targets, images excluded. Then, with photos, on their
own cache: (p) cold writing the cache, every photo encoded, and (q) warm, nothing changed, which
must encode none (``plugins/photos`` writes what a build encoded in ``last-build.json``); the
report gives what photos add to a cold build, per photo.

The bench-only ``timing_plugin`` (loaded in every build, vanilla included) reports the seconds
spent in each of our plugins' receivers, in Jinja rendering, and in the read and write phases.
With ``--verify``, the warm output is compared file by file with a cold build of the edited
content. Results are printed and written as JSON (``benchmarks/last-run.json``); several sizes
give the time per article at each, so that superlinear costs show.

Command line: ``python -m benchmarks.run [--sizes 750,1500] [--repeat N] [--verify]
[--profile] [--work DIR] [--json FILE]``; ``make bench SIZES=...`` runs it.
"""

from __future__ import annotations

import argparse
import datetime
import filecmp
import io
import json
import os
import platform
import pstats
import runpy
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import serve as serve_bench
from benchmarks.generate import DEFAULTS as GENERATOR_DEFAULTS
from benchmarks.generate import generate

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "benchmarks"
# Only the timing plugin: site_writer hashes every plugin folder, and work/ changes each build.
BENCH_PLUGINS = BENCH_DIR / "plugins"
BIN = Path(sys.executable).parent

CONFIG = {
    "sizes": [GENERATOR_DEFAULTS["articles"]],
    "repeat": 1,
    "seed": GENERATOR_DEFAULTS["seed"],
    "work": BENCH_DIR / "work",
    "json": BENCH_DIR / "last-run.json",
    "settings": "pelicanconf.py",
    # A warm build: Pelican's content cache, and the output folder kept so that the writer can
    # leave unchanged pages alone (plugins/site_writer). What `make serve` should pass.
    "warm_settings": {
        "CACHE_CONTENT": True,
        "LOAD_CONTENT_CACHE": True,
        "DELETE_OUTPUT_DIRECTORY": False,
    },
    # pelicanconf settings that belong to our theme and plugins, not to the vanilla build.
    "not_vanilla": {
        "THEME",
        "THEME_STATIC_PATHS",
        "PLUGIN_PATHS",
        "PLUGINS",
        "JINJA_ENVIRONMENT",
        "STRICT_BUILD",
        "TYPOGRIFY",
    },
    "edit": " Une phrase ajoutée pendant le banc d'essai ({n}).",
    "profile_top": 25,
}

# The builds with photos (plugins/photos), reported apart.
PHOTO_LABELS = {
    "photos_cold": "(p) avec les photos, à froid, en écrivant le cache",
    "photos_warm": "(q) avec les photos, à chaud, rien de changé",
}
LABELS = {
    "vanilla": "(a) Pelican nu (notmyidea, sans plugin)",
    "cold": "(b) notre site, à froid",
    "cold_cache": "    à froid, en écrivant le cache",
    "warm": "(c) à chaud, rien de changé",
    "edit": "(d) à chaud, un article modifié",
}


@dataclass(frozen=True)
class Build:
    """One measured ``pelican`` run."""

    seconds: float
    rss_mb: float
    timing: dict = field(default_factory=dict)
    cpu_seconds: float = 0.0  # user + system, worker processes and Pagefind included


class BuildFailed(RuntimeError):
    """A benchmark build ended with an error; carries the end of its log."""


def project_settings(settings_file: str) -> dict:
    """The UPPER_CASE settings of a settings file, as Python values."""
    values = runpy.run_path(str(ROOT / settings_file))
    return {key: value for key, value in values.items() if key.isupper()}


def vanilla_settings(ours: dict) -> dict:
    """Our content, URLs, feeds and Markdown options, with Pelican's own theme and no plugin."""
    settings = {k: v for k, v in ours.items() if k not in CONFIG["not_vanilla"]}
    settings["DIRECT_TEMPLATES"] = [t for t in ours["DIRECT_TEMPLATES"] if t != "404"]
    settings["PLUGIN_PATHS"] = [str(BENCH_PLUGINS)]
    settings["PLUGINS"] = ["timing_plugin"]
    return settings


def write_settings_file(path: Path, settings: dict) -> Path:
    """A settings module holding ``settings`` (plain values only)."""
    lines = [f"{key} = {value!r}" for key, value in sorted(settings.items())]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('"""Generated by benchmarks/run.py."""\n\n' + "\n".join(lines) + "\n")
    return path


def pelican_command(content: Path, settings_file: Path, output: Path, overrides: dict) -> list:
    extra = [f"{key}={json.dumps(value)}" for key, value in overrides.items()]
    command = [str(BIN / "pelican"), str(content), "-s", str(settings_file), "-o", str(output)]
    return command + (["-e", *extra] if extra else [])


def measure(command: list, log: Path, timing_file: Path | None = None) -> Build:
    """Run one build in its own process: wall time, peak RSS (this child only), timings."""
    log.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    with open(log, "w", encoding="utf-8") as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise BuildFailed(f"{' '.join(command)}\n(status {process.returncode})\n{tail}")
    timing = {}
    if timing_file and timing_file.exists():
        timing = json.loads(timing_file.read_text(encoding="utf-8"))
    cpu = usage.ru_utime + usage.ru_stime
    return Build(round(seconds, 3), round(usage.ru_maxrss / 1024, 1), timing, round(cpu, 3))


def edit_article(path: Path, number: int) -> None:
    """Append a sentence to the last paragraph of an article (its summary does not change)."""
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(text + CONFIG["edit"].format(n=number) + "\n", "utf-8")


def edit_target(content: Path, paths: list[str]) -> Path:
    """The article edited in (d): the first one from the middle of the archive that is not a
    questionnaire interview (an interview's answers are shared with questionnaire pages, which
    the writer conservatively counts as an input of every page: see RESULTS.md)."""
    ordered = sorted(paths)
    for path in ordered[len(ordered) // 2 :] + ordered:
        if "\nQuestionnaire:" not in (content / path).read_text(encoding="utf-8").split("\n\n")[0]:
            return content / path
    return content / ordered[len(ordered) // 2]


def differences(left: Path, right: Path, ignored: tuple[str, ...] = ()) -> list[str]:
    """Relative paths that differ between two folders (missing on one side, or other bytes)."""

    def files(root: Path) -> set[str]:
        found = {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
        return {name for name in found if not name.startswith(ignored)}

    a, b = files(left), files(right)
    differing = sorted(a ^ b)
    for name in sorted(a & b):
        if not filecmp.cmp(left / name, right / name, shallow=False):
            differing.append(name)
    return differing


class SizeRun:
    """The builds of one size, in one work folder."""

    def __init__(self, size: int, options: argparse.Namespace):
        self.size = size
        self.options = options
        self.work = Path(options.work) / f"size-{size}"
        self.content = self.work / "content"
        self.ours = project_settings(CONFIG["settings"])
        self.vanilla_file = write_settings_file(
            self.work / "vanillaconf.py", vanilla_settings(self.ours)
        )

    def overrides(self, label: str, warm: bool) -> dict:
        plugins = [*self.ours["PLUGINS"], "timing_plugin"]
        settings = {
            "PLUGIN_PATHS": [str(ROOT), str(BENCH_PLUGINS)],
            "PLUGINS": plugins,
            "CACHE_PATH": str(self.work / ("cache-photos" if label in PHOTO_LABELS else "cache")),
            "PHOTOS_ENABLED": label in PHOTO_LABELS,
            # One name for every build: a setting that differs between two builds is a change
            # the writer must render for.
            "TIMING_OUTPUT": str(self.work / "timing.json"),
        }
        return {**settings, **(CONFIG["warm_settings"] if warm else {})}

    def build(self, label: str, output: str, warm=False, fresh=False) -> Build:
        target = self.work / output
        if fresh:
            shutil.rmtree(target, ignore_errors=True)
        if label == "vanilla":
            timing_file = self.work / "timing-vanilla.json"
            command = pelican_command(
                self.content, self.vanilla_file, target, {"TIMING_OUTPUT": str(timing_file)}
            )
        else:
            overrides = self.overrides(label, warm)
            timing_file = Path(overrides["TIMING_OUTPUT"])
            settings_file = ROOT / CONFIG["settings"]
            command = pelican_command(self.content, settings_file, target, overrides)
        timing_file.unlink(missing_ok=True)
        build = measure(command, self.work / "logs" / f"{label}.log", timing_file)
        if timing_file.exists():
            timing_file.replace(self.work / f"timing-{label}.json")
        return build

    def run(self) -> dict:
        paths = generate(self.content, self.size, self.options.seed)
        edited = edit_target(self.content, paths)
        builds: dict[str, list[Build]] = {label: [] for label in LABELS}
        for round_number in range(self.options.repeat):
            builds["vanilla"].append(self.build("vanilla", "out-vanilla", fresh=True))
            builds["cold"].append(self.build("cold", "out-cold", fresh=True))
            shutil.rmtree(self.work / "cache", ignore_errors=True)
            builds["cold_cache"].append(self.build("cold_cache", "out-warm", warm=True, fresh=True))
            builds["warm"].append(self.build("warm", "out-warm", warm=True))
            edit_article(edited, round_number + 1)
            builds["edit"].append(self.build("edit", "out-warm", warm=True))
        result = summarize(self.size, builds)
        result["edited"] = str(edited.relative_to(self.content))
        result["photos"] = self.photo_builds(result)
        if self.options.verify:
            self.build("check", "out-check", fresh=True)
            # Pagefind names its files anew on every build, cold or warm: compared apart.
            bundle = self.ours.get("SEARCH_BUNDLE_DIR", "pagefind").strip("/") + "/"
            result["differences"] = differences(
                self.work / "out-warm", self.work / "out-check", ignored=(bundle,)
            )
            result["identical"] = not result["differences"]
        if self.options.serve:
            result["serve"] = serve_bench.run(self)
        if self.options.profile:
            result["profile"] = {
                "cold": self.profile("cold", warm=False),
                "warm": self.profile("warm", warm=True),
            }
        return result

    def photo_builds(self, result: dict) -> dict:
        """(p) cold with photos, writing the cache, then (q) warm: what photos cost a cold
        build, per photo, and whether a warm one encodes any."""
        stats_file = self.work / "cache-photos" / "photos" / "last-build.json"
        shutil.rmtree(self.work / "cache-photos", ignore_errors=True)
        cold = self.build("photos_cold", "out-photos", warm=True, fresh=True)
        cold_stats = json.loads(stats_file.read_text(encoding="utf-8"))
        warm = self.build("photos_warm", "out-photos", warm=True)
        warm_stats = json.loads(stats_file.read_text(encoding="utf-8"))
        photos = max(cold_stats["encoded"], 1)
        baseline = result["seconds"]["cold_cache"]
        baseline_cpu = result["cpu_s"]["cold_cache"]
        return {
            "photos": cold_stats["photos"],
            "encoded_cold": cold_stats["encoded"],
            "encoded_warm": warm_stats["encoded"],
            "failed": cold_stats["failed"],
            "seconds": {"photos_cold": cold.seconds, "photos_warm": warm.seconds},
            "cpu_s": {"photos_cold": cold.cpu_seconds, "photos_warm": warm.cpu_seconds},
            "rss_mb": {"photos_cold": cold.rss_mb, "photos_warm": warm.rss_mb},
            "added_s": round(cold.seconds - baseline, 3),
            "per_photo_s": round((cold.seconds - baseline) / photos, 3),
            "per_photo_cpu_s": round((cold.cpu_seconds - baseline_cpu) / photos, 3),
            "encoding_wall_s": cold_stats["seconds"],
            "warm_ratio_to_c": round(warm.seconds / result["seconds"]["warm"], 3),
        }

    def profile(self, label: str, warm: bool) -> str:
        """The top entries of a cProfile of one build (``--profile``)."""
        stats_file = self.work / f"profile-{label}.prof"
        output = self.work / ("out-warm" if warm else "out-profile")
        if not warm:
            shutil.rmtree(output, ignore_errors=True)
        settings_file = ROOT / CONFIG["settings"]
        build = pelican_command(self.content, settings_file, output, self.overrides(label, warm))
        profiled = [str(BIN / "python"), "-m", "cProfile", "-o", str(stats_file), "-m", "pelican"]
        measure(profiled + build[1:], self.work / "logs" / f"profile-{label}.log")
        text = io.StringIO()
        stats = pstats.Stats(str(stats_file), stream=text).strip_dirs()
        stats.sort_stats("tottime").print_stats(CONFIG["profile_top"])
        stats.sort_stats("cumulative").print_stats(CONFIG["profile_top"])
        return text.getvalue()


def summarize(size: int, builds: dict[str, list[Build]]) -> dict:
    """Medians per build kind, ratios against vanilla, per-plugin seconds of the cold build."""
    seconds = {label: statistics.median(b.seconds for b in runs) for label, runs in builds.items()}
    rss = {label: max(b.rss_mb for b in runs) for label, runs in builds.items()}
    vanilla = seconds["vanilla"]
    cold = builds["cold"][-1].timing
    return {
        "articles": size,
        "seconds": seconds,
        "ratios": {label: round(value / vanilla, 3) for label, value in seconds.items()},
        "rss_mb": rss,
        "cpu_s": {
            label: statistics.median(b.cpu_seconds for b in runs) for label, runs in builds.items()
        },
        "runs": {label: [b.seconds for b in runs] for label, runs in builds.items()},
        "timing": {label: runs[-1].timing for label, runs in builds.items()},
        "plugins": cold.get("plugins", {}),
    }


def headline(result: dict) -> dict:
    """The figures ``last-run.json`` keeps at its top level, for one size."""
    seconds = result["seconds"]
    ours = [v for k, v in result["rss_mb"].items() if k != "vanilla"]
    return {
        "articles": result["articles"],
        "vanilla_s": seconds["vanilla"],
        "cold_s": seconds["cold"],
        "cold_cache_s": seconds["cold_cache"],
        "warm_s": seconds["warm"],
        "edit_s": seconds["edit"],
        "peak_rss_mb": max(ours),
        "vanilla_rss_mb": result["rss_mb"]["vanilla"],
        "plugins": result["plugins"],
        "ratios": result["ratios"],
        "cold_ratios": {
            label: round(value / seconds["cold"], 3) for label, value in seconds.items()
        },
        "cpu_s": result["cpu_s"],
        "identical": result.get("identical"),
        "photos": result.get("photos"),
        "serve": result.get("serve"),
    }


def machine() -> dict:
    """Where the figures were measured."""
    model = "?"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            model = next(
                (line.split(":", 1)[1].strip() for line in info if line.startswith("model name")),
                "?",
            )
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "load": load,
    }


def report(result: dict) -> str:
    """The table of one size: seconds, ratio to vanilla, peak memory; then where time goes."""
    lines = [f"\n{result['articles']} articles"]
    lines.append(
        f"{'construction':<42}{'secondes':>10}{'× (a)':>8}{'× (b)':>8}{'CPU (s)':>9}"
        f"{'RSS max (Mo)':>14}"
    )
    cold = result["seconds"]["cold"]
    for label, title in LABELS.items():
        lines.append(
            f"{title:<42}{result['seconds'][label]:>10.2f}{result['ratios'][label]:>8.2f}"
            f"{result['seconds'][label] / cold:>8.2f}{result['cpu_s'][label]:>9.1f}"
            f"{result['rss_mb'][label]:>14.0f}"
        )
    if "identical" in result:
        verdict = (
            "identique" if result["identical"] else f"DIFFÉRENT : {result['differences'][:10]}"
        )
        lines.append(f"sortie à chaud comparée à une construction à froid : {verdict}")
    timing = result["timing"]
    lines.append(
        f"\n{'temps (s)':<28}" + "".join(f"{k:>12}" for k in ("vanilla", "cold", "warm", "edit"))
    )
    for key in ("read_s", "write_s", "render_s", "renders"):
        row = [timing[label].get(key, 0) for label in ("vanilla", "cold", "warm", "edit")]
        lines.append(f"{key:<28}" + "".join(f"{value:>12}" for value in row))
    plugins = sorted(
        {name for label in ("cold", "warm", "edit") for name in timing[label].get("plugins", {})}
    )
    for name in plugins:
        row = [
            timing[label].get("plugins", {}).get(name, 0)
            for label in ("vanilla", "cold", "warm", "edit")
        ]
        lines.append(f"{'plugin ' + name:<28}" + "".join(f"{value:>12}" for value in row))
    return "\n".join(lines)


def photo_report(result: dict) -> str:
    """What photos add: builds (p) and (q), seconds per photo, encodings of the warm build."""
    photos = result.get("photos")
    if not photos:
        return ""
    lines = [f"\nphotos : {photos['photos']} images, {photos['encoded_cold']} encodées à froid"]
    for label, title in PHOTO_LABELS.items():
        lines.append(
            f"{title:<52}{photos['seconds'][label]:>8.2f} s{photos['cpu_s'][label]:>8.1f} s CPU"
            f"{photos['rss_mb'][label]:>8.0f} Mo"
        )
    lines.append(
        f"ajouté à froid par les photos : {photos['added_s']:.2f} s, soit "
        f"{photos['per_photo_s']:.2f} s ({photos['per_photo_cpu_s']:.2f} s CPU) par photo ; "
        f"encodage (attente comprise) {photos['encoding_wall_s']:.2f} s"
    )
    verdict = "aucune" if photos["encoded_warm"] == 0 else f"{photos['encoded_warm']} : ANOMALIE"
    lines.append(f"à chaud : {verdict} photo encodée ; (q) = {photos['warm_ratio_to_c']:.2f} × (c)")
    return "\n".join(lines)


def scaling(results: list[dict]) -> str:
    """Milliseconds per article at each size, and the ratio to the smallest size."""
    labels = ("vanilla", "cold", "warm", "edit")
    first = results[0]
    lines = ["\nms par article" + "".join(f"{label:>16}" for label in labels)]
    for result in results:
        cells = []
        for label in labels:
            per = 1000 * result["seconds"][label] / result["articles"]
            base = 1000 * first["seconds"][label] / first["articles"]
            cells.append(f"{per:>8.2f} ({per / base:>4.2f})")
        lines.append(f"{result['articles']:>14}" + "".join(f"{c:>16}" for c in cells))
    return "\n".join(lines)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, CONFIG["sizes"])))
    parser.add_argument("--repeat", type=int, default=CONFIG["repeat"])
    parser.add_argument("--seed", type=int, default=CONFIG["seed"])
    parser.add_argument("--work", type=Path, default=CONFIG["work"])
    parser.add_argument("--json", type=Path, default=CONFIG["json"])
    parser.add_argument("--verify", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--no-serve", dest="serve", action="store_false", help="skip (e), the preview's reloads"
    )
    options = parser.parse_args(argv)
    sizes = sorted(int(size) for size in options.sizes.split(",") if size.strip())
    results = []
    for size in sizes:
        result = SizeRun(size, options).run()
        print(report(result), flush=True)
        print(photo_report(result), flush=True)
        if "serve" in result:
            print(serve_bench.report(result["serve"]), flush=True)
        for text in result.get("profile", {}).values():
            print(text)
        results.append(result)
    if len(results) > 1:
        print(scaling(results))
    summary = {
        # The targets are set at the default size: its figures lead when it was measured.
        **headline(next((r for r in results if r["articles"] == CONFIG["sizes"][0]), results[-1])),
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "machine": machine(),
        "seed": options.seed,
        "sizes": [{k: v for k, v in r.items() if k != "profile"} for r in results],
    }
    options.json.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return summary


if __name__ == "__main__":
    try:
        main()
    except BuildFailed as failure:
        raise SystemExit(f"Une construction du banc d'essai a échoué :\n{failure}") from None
