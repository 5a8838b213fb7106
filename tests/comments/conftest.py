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

    def start(ratelimit: int = 50, origins=(SITE_ORIGIN,)):
        server = local.start(tmp_path / f"isso-{len(started)}", list(origins), ratelimit=ratelimit)
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
