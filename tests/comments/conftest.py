"""A real comment server (Isso behind our guard) on 127.0.0.1, started by the tests."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from commentserver import local

SITE_ORIGIN = "http://127.0.0.1:9"  # posts claim to come from the site (CORS origin)


def post(url: str, data: dict, uri: str = "/2021/10/le-chat-en-ligne/", origin=SITE_ORIGIN):
    """POST /new as the page's script does: ``(status, json, headers)``."""
    request = urllib.request.Request(
        f"{url}/new?uri={uri}",
        data=json.dumps(data).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Origin": origin},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read()), response.headers
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), error.headers


@pytest.fixture
def comment_server(tmp_path):
    """``start(ratelimit=…)`` → a LocalServer, stopped after the test."""
    started = []

    def start(ratelimit: int = 50, origins=(SITE_ORIGIN,), smtp_port=None):
        folder = tmp_path / f"isso-{len(started)}"
        server = local.start(folder, list(origins), ratelimit=ratelimit, smtp_port=smtp_port)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, as in tests/browser (make test installs it)."""
    import os

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} manque : make test l'installe (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


class MailSink:
    """A tiny SMTP server on 127.0.0.1 that keeps every message it receives (enough of the
    protocol for smtplib without TLS or login)."""

    def __init__(self):
        import email
        import socketserver
        import threading

        sink = self
        self.messages: list[str] = []

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                def say(line: str) -> None:
                    self.wfile.write((line + "\r\n").encode())

                say("220 sink")
                while True:
                    line = self.rfile.readline().decode("utf-8", "replace").strip()
                    verb = line.split(" ")[0].upper()
                    if not line or verb == "QUIT":
                        say("221 bye")
                        return
                    if verb == "EHLO":
                        say("250-sink")
                        say("250 8BITMIME")
                    elif verb == "DATA":
                        say("354 go on")
                        lines = []
                        while (data := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                            lines.append(data.decode("utf-8", "replace"))
                        message = email.message_from_string("".join(lines))
                        body = message.get_payload(decode=True).decode("utf-8", "replace")
                        sink.messages.append(f"To: {message['To']}\n{message['Subject']}\n{body}")
                        say("250 kept")
                    else:
                        say("250 ok")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def wait_for(self, count: int, timeout: float = 10) -> list[str]:
        import time

        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def mail_sink():
    sink = MailSink()
    yield sink
    sink.close()
