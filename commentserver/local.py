"""A comment server on 127.0.0.1 with its SQLite under the cache: ``make serve`` and the tests.

``start(folder, site_origins)`` writes ``isso.cfg`` and a token into ``folder``, starts
``python -m commentserver`` on a free port and waits until it answers; it returns a
``LocalServer`` (``url``, ``token``, ``stop()``). ``server.json`` in the folder tells ``make
comments`` where the running one is.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATE_FILE = "server.json"


@dataclass
class LocalServer:
    url: str
    token: str
    process: subprocess.Popen
    folder: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        (self.folder / STATE_FILE).unlink(missing_ok=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def config_text(
    db_path: Path, port: int, site_origins: list[str], ratelimit: int, smtp_port: int | None = None
) -> str:
    """Isso's settings for a local server: moderation on, guard as in production; e-mails
    (to the owner, and to commenters on a reply) only when an SMTP port on 127.0.0.1 is given."""
    hosts = "\n    ".join(site_origins)
    mail = "smtp" if smtp_port else "stdout"
    smtp = (
        f"""
[smtp]
host = 127.0.0.1
port = {smtp_port}
security = none
to = proprietaire@example.org
from = Commentaires <commentaires@example.org>
timeout = 5
"""
        if smtp_port
        else ""
    )
    return f"""[general]
dbpath = {db_path}
host =
    {hosts}
max-age = 15m
notify = {mail}
reply-notifications = {"true" if smtp_port else "false"}
gravatar = false
latest-enabled = false

[moderation]
enabled = true
purge-after = 30d

[server]
listen = http://127.0.0.1:{port}/

[guard]
enabled = true
ratelimit = {ratelimit}
direct-reply = 30
reply-to-self = true
require-author = true
require-email = false

[admin]
enabled = false
{smtp}"""


def start(
    folder: Path,
    site_origins: list[str],
    ratelimit: int = 2,
    timeout: float = 20,
    smtp_port: int | None = None,
) -> LocalServer:
    """Start a local comment server whose data lives in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(24)
    token_file = folder / "token"
    token_file.write_text(token, encoding="utf-8")
    os.chmod(token_file, 0o600)
    port = free_port()
    config = folder / "isso.cfg"
    config.write_text(
        config_text(folder / "comments.sqlite", port, site_origins, ratelimit, smtp_port)
    )
    log = open(folder / "server.log", "ab")  # noqa: SIM115 (the child keeps it)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "commentserver",
            "--config",
            str(config),
            "--token-file",
            str(token_file),
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # in the caller's process group: stopped with make serve, even when it is killed
    log.close()
    url = f"http://127.0.0.1:{port}"
    server = LocalServer(url, token, process, folder)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"le serveur de commentaires s'est arrêté ; voir {folder / 'server.log'}"
            )
        try:
            request = urllib.request.Request(
                f"{url}/moderation/comments?mode=pending",
                headers={"Authorization": f"Bearer {token}"},
            )
            with urllib.request.urlopen(request, timeout=2):
                break
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.1)
    else:
        server.stop()
        raise RuntimeError(
            f"le serveur de commentaires ne répond pas ; voir {folder / 'server.log'}"
        )
    (folder / STATE_FILE).write_text(json.dumps({"url": url, "token": token, "pid": process.pid}))
    return server


def running(folder: Path) -> tuple[str, str] | None:
    """``(url, token)`` of the local server ``make serve`` started, if one runs."""
    try:
        state = json.loads((folder / STATE_FILE).read_text())
        os.kill(state["pid"], 0)
    except (OSError, ValueError, KeyError):
        return None
    return state["url"], state["token"]
