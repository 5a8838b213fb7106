"""Bench (e): the preview, from a file's save to the page's reload, by kind of edit.

The live preview (``python -m preview``, what ``make serve`` runs) is started on the generated
content folder; a client listens to its events stream as a browser does. For each kind of edit
(``body``, ``metadata``, ``new``, ``delete``, ``data``, ``template``) the bench saves a file and
times the wait until the stream announces the build (the moment the page reloads); after a quick
path (an edited body) it also waits for the whole build owed, so that every edit starts from a
settled site. Vanilla Pelican's ``--autoreload`` (its own theme, no plugin) is measured the same
way on a body edit: from the save to the end of its build (its ``Done:`` line), when a reloading
server would reload. The peak memory (``VmHWM``) of the preview process is read at the end.

``run(size_run)`` is called by ``benchmarks/run.py`` for each size; its result is the ``serve``
object of ``last-run.json``.
"""

from __future__ import annotations

import json
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

CONFIG = {
    "edits": 10,  # of each kind
    "vanilla_edits": 5,  # each one a whole vanilla build: 20 s at 3,000 articles
    "kinds": ("body", "metadata", "new", "delete", "data", "template"),
    "start_timeout_s": 900,
    "edit_timeout_s": 300,
    "pause_s": 0.3,  # between a settled build and the next save
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Events:
    """The preview's events stream, read by a thread: each ``build`` event with its arrival."""

    def __init__(self, url: str):
        self.condition = threading.Condition()
        self.received: list[tuple[float, dict]] = []
        self.response = urllib.request.urlopen(url, timeout=CONFIG["edit_timeout_s"])
        threading.Thread(target=self.read, daemon=True).start()

    def read(self) -> None:
        name = None
        for raw in self.response:
            line = raw.decode("utf-8").rstrip("\n")
            if line.startswith("event: "):
                name = line.removeprefix("event: ")
            elif line.startswith("data: ") and name == "build":
                with self.condition:
                    self.received.append((time.perf_counter(), json.loads(line[6:])))
                    self.condition.notify_all()

    def next_after(self, count: int, timeout: float) -> tuple[float, dict]:
        """The first event after the ``count`` already received."""
        with self.condition:
            if not self.condition.wait_for(lambda: len(self.received) > count, timeout):
                raise TimeoutError("the preview announced no build")
            return self.received[count]

    def count(self) -> int:
        with self.condition:
            return len(self.received)


class Edits:
    """The files each kind of edit saves, in a generated content folder."""

    def __init__(self, content: Path, theme: Path):
        self.content = content
        self.template_file = theme / "templates" / "article.html"
        posts = sorted(p for p in content.glob("posts/**/*.md") if not is_interview(p))
        middle = len(posts) // 2
        self.body_posts = posts[middle : middle + CONFIG["edits"]]
        self.title_posts = posts[middle + CONFIG["edits"] : middle + 2 * CONFIG["edits"]]
        self.created: list[Path] = []

    def body(self, n: int) -> Path:
        path = self.body_posts[n % len(self.body_posts)]
        append(path, f" Une phrase ajoutée pendant le banc d'essai de l'aperçu ({n}).")
        return path

    def metadata(self, n: int) -> Path:
        path = self.title_posts[n % len(self.title_posts)]
        text = path.read_text(encoding="utf-8")
        path.write_text(
            re.sub(r"^Title: (.*)$", rf"Title: \1 (bis {n})", text, count=1, flags=re.M), "utf-8"
        )
        return path

    def new(self, n: int) -> Path:
        path = self.content / "posts" / "2026" / f"2026-01-{n + 1:02d}-apercu-nouveau-{n}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"Title: Un article écrit pendant l'aperçu, numéro {n}\n"
            f"Date: 2026-01-{n + 1:02d} 09:00\n"
            "Category: Expérience client\nTags: service client\n\n"
            "Un premier paragraphe, court.\n\nUn second, pour la forme.\n",
            "utf-8",
        )
        self.created.append(path)
        return path

    def delete(self, n: int) -> Path:
        path = self.created.pop()
        path.unlink()
        return path

    def data(self, n: int) -> Path:
        path = self.content / "data" / "glossary.yml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("definition: ", f"definition: ({n}) ", 1), "utf-8")
        return path

    def template(self, n: int) -> Path:
        append(self.template_file, f"{{# banc d'essai de l'aperçu {n} #}}<!-- {n} -->")
        return self.template_file


def is_interview(path: Path) -> bool:
    return "\nQuestionnaire:" in path.read_text(encoding="utf-8").split("\n\n")[0]


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + text + "\n", "utf-8")


def peak_rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def summary(times: list[float]) -> dict:
    return {
        "median_s": round(statistics.median(times), 3),
        "worst_s": round(max(times), 3),
        "runs_s": [round(t, 3) for t in times],
    }


def measure_preview(work: Path, content: Path, overrides: dict) -> dict:
    """Start the preview on ``content``, save files of every kind, time each reload."""
    port = free_port()
    theme = work / "serve-theme"  # a copy: the template edits stay out of the project
    subprocess.run(["cp", "-r", str(ROOT / "theme"), str(theme)], check=True)
    extra = [
        f"{key}={json.dumps(value)}" for key, value in {**overrides, "THEME": str(theme)}.items()
    ]
    log = open(work / "logs" / "serve.log", "w", encoding="utf-8")  # noqa: SIM115
    command = [
        str(BIN / "python"), "-m", "preview", str(content), "--output", str(work / "out-serve"),
        "--port", str(port), "-e", *extra,
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        events = connect(f"http://127.0.0.1:{port}/_live/events", process)
        edits = Edits(content, theme)
        results = {}
        for kind in CONFIG["kinds"]:
            times = []
            for n in range(CONFIG["edits"]):
                time.sleep(CONFIG["pause_s"])
                seen = events.count()
                start = time.perf_counter()
                getattr(edits, kind)(n)
                arrived, event = events.next_after(seen, CONFIG["edit_timeout_s"])
                times.append(arrived - start)
                if event.get("quick"):  # the whole build owed, before the next save
                    events.next_after(seen + 1, CONFIG["edit_timeout_s"])
            results[kind] = summary(times)
        results["rss_mb"] = peak_rss_mb(process.pid)
        return results
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def connect(url: str, process: subprocess.Popen) -> Events:
    deadline = time.monotonic() + CONFIG["start_timeout_s"]
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the preview process ended before serving")
        try:
            return Events(url)
        except OSError:
            time.sleep(0.5)
    raise TimeoutError("the preview did not start")


def measure_vanilla(work: Path, content: Path, settings_file: Path) -> list[float]:
    """Vanilla Pelican's ``--autoreload``: from a body edit's save to the end of its build."""
    output = work / "out-vanilla-autoreload"
    command = [
        str(BIN / "pelican"), str(content), "-s", str(settings_file), "-o", str(output),
        "--autoreload",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    done = threading.Condition()
    ends: list[float] = []

    def read():
        for line in process.stdout:
            if line.startswith("Done:"):
                with done:
                    ends.append(time.perf_counter())
                    done.notify_all()

    threading.Thread(target=read, daemon=True).start()
    posts = sorted(p for p in content.glob("posts/**/*.md") if not is_interview(p))
    times = []
    try:
        with done:
            if not done.wait_for(lambda: ends, CONFIG["start_timeout_s"]):
                raise TimeoutError("vanilla --autoreload did not build")
        for n in range(CONFIG["vanilla_edits"]):
            time.sleep(1.0)  # Pelican's watcher settles before it takes a change
            seen = len(ends)
            start = time.perf_counter()
            append(posts[n], f" Une phrase ajoutée pendant le banc d'essai de Pelican ({n}).")
            with done:
                if not done.wait_for(lambda seen=seen: len(ends) > seen, CONFIG["edit_timeout_s"]):
                    raise TimeoutError("vanilla --autoreload did not rebuild")
                times.append(ends[seen] - start)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    return times


def run(size_run) -> dict:
    """Bench (e) for one size: the ``serve`` object of ``last-run.json``."""
    work = size_run.work
    overrides = {"CACHE_PATH": str(work / "cache-serve")}
    ours = measure_preview(work, size_run.content, overrides)
    vanilla = measure_vanilla(work, size_run.content, size_run.vanilla_file)
    result = {kind: ours[kind] for kind in CONFIG["kinds"]}
    result["vanilla_autoreload_s"] = round(statistics.median(vanilla), 3)
    result["vanilla_autoreload_runs_s"] = [round(t, 3) for t in vanilla]
    result["rss_mb"] = ours["rss_mb"]
    return result


def report(result: dict) -> str:
    """The table of bench (e)."""
    lines = ["\n(e) aperçu : de l'enregistrement au rechargement"]
    lines.append(f"{'modification':<16}{'médiane (s)':>14}{'pire (s)':>12}")
    for kind in CONFIG["kinds"]:
        lines.append(f"{kind:<16}{result[kind]['median_s']:>14.2f}{result[kind]['worst_s']:>12.2f}")
    lines.append(f"{'Pelican --autoreload (corps)':<28}{result['vanilla_autoreload_s']:>10.2f}")
    lines.append(f"mémoire du processus d'aperçu : {result['rss_mb']} Mo")
    return "\n".join(lines)
