"""The preview's web server: the output folder as files, and one server-sent-events stream that
tells open pages to reload and shows the problems of the last save over the page.

Standard library only (``http.server``): ``livereload`` reloads every page on every build and
has no way to show a message in the page; a server-sent-events stream is a few lines and needs
no JavaScript library. HTML pages are served with a small script added before ``</body>`` (the
files on disk stay those of the build, so the output can be compared with a cold build); the
script listens to ``/_live/events``: a ``build`` event names the files the build wrote, and a
page reloads when it is one of them or when a stylesheet or script changed; ``problems`` are
shown in an overlay (file, line, message) until a build without them.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .live import Outcome, Problem

EVENTS_PATH = "/_live/events"
# Seconds between two comments on an idle stream, so that a closed tab ends its thread.
KEEPALIVE_S = 15.0
# Beyond this many written files, a build event says "everything" instead of listing them.
LISTED_FILES = 2000
ASSET_SUFFIXES = (".css", ".js")
SCRIPT = (Path(__file__).parent / "overlay.js").read_text(encoding="utf-8")


@dataclass
class Broadcaster:
    """The last build's news, handed to every open stream (one thread each)."""

    condition: threading.Condition = field(default_factory=threading.Condition)
    sequence: int = 0
    event: dict = field(default_factory=lambda: {"files": [], "all": False, "problems": []})

    def publish(self, outcome: Outcome) -> None:
        """Tell every open page what a build wrote and what went wrong."""
        files = [f for f in outcome.written if not f.startswith("pagefind")]
        event = {
            "files": files if len(files) <= LISTED_FILES else [],
            "all": len(files) > LISTED_FILES or any(f.endswith(ASSET_SUFFIXES) for f in files),
            "problems": [problem_data(p) for p in outcome.problems],
            "seconds": round(outcome.seconds, 3),
            "quick": outcome.quick,
        }
        with self.condition:
            self.sequence += 1
            self.event = event
            self.condition.notify_all()

    def wait(self, seen: int, timeout: float) -> tuple[int, dict | None]:
        """The next event after ``seen`` (None when ``timeout`` passed first)."""
        with self.condition:
            self.condition.wait_for(lambda: self.sequence != seen, timeout)
            if self.sequence == seen:
                return seen, None
            return self.sequence, self.event

    def current(self) -> tuple[int, dict]:
        with self.condition:
            return self.sequence, self.event


def problem_data(problem: Problem) -> dict:
    return {
        "path": problem.path,
        "line": problem.line,
        "message": problem.message,
        "blocking": problem.blocking,
    }


class PreviewHandler(SimpleHTTPRequestHandler):
    """Files of the output folder; HTML with the preview script; the events stream."""

    broadcaster: Broadcaster

    def __init__(self, *args, directory: str, broadcaster: Broadcaster, **kwargs):
        self.broadcaster = broadcaster
        super().__init__(*args, directory=directory, **kwargs)

    def do_GET(self):
        if self.path.split("?", 1)[0] == EVENTS_PATH:
            return self.stream_events()
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            return self.send_page(path)
        if not path.exists():
            return self.not_found()
        return super().do_GET()

    def send_page(self, path: Path, status: HTTPStatus = HTTPStatus.OK) -> None:
        """An HTML file with the preview script added (never on disk)."""
        try:
            html = path.read_bytes()
        except OSError:
            return self.not_found()
        script = f"<script>{SCRIPT}</script>".encode()
        at = html.rfind(b"</body>")
        body = html[:at] + script + html[at:] if at >= 0 else html + script
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def not_found(self) -> None:
        """Answer a missing file with the site's own ``404.html`` (status 404), as the public
        site does; a plain error while the site has none."""
        page = Path(self.directory) / "404.html"
        if not page.is_file():
            return self.send_error(HTTPStatus.NOT_FOUND, "Page introuvable")
        self.send_page(page, HTTPStatus.NOT_FOUND)

    def stream_events(self) -> None:
        """Server-sent events: the current state at once, then every build's news."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen, event = self.broadcaster.current()
        try:
            self.send_event("state", {"problems": event["problems"]})
            while True:
                seen, event = self.broadcaster.wait(seen, KEEPALIVE_S)
                if event is None:
                    self.wfile.write(b": keepalive\n\n")
                    self.wfile.flush()
                else:
                    self.send_event("build", event)
        except OSError:  # the page went away
            return

    def send_event(self, name: str, data: dict) -> None:
        payload = json.dumps(data, ensure_ascii=False)
        self.wfile.write(f"event: {name}\ndata: {payload}\n\n".encode())
        self.wfile.flush()

    def log_message(self, format, *args):
        pass  # every request on the terminal would hide the builds' lines


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True


def start_server(output: Path, host: str, port: int, broadcaster: Broadcaster) -> PreviewServer:
    """Serve ``output`` on ``host:port`` from a background thread; returns the server."""
    handler = partial(PreviewHandler, directory=str(output), broadcaster=broadcaster)
    server = PreviewServer((host, port), handler)
    threading.Thread(target=server.serve_forever, name="preview-server", daemon=True).start()
    return server
