"""Browser tests: the demo site built once, served over HTTP on 127.0.0.1, driven by Chromium.

Fixtures: ``site_url`` (base URL of the served demo, search index included), ``demo`` (the
BuiltSite), Playwright's ``page``/``context`` launched on Debian's Chromium (``make test``
installs it), and ``save_screenshot(page, name)`` writing into the session's temporary folder
(``<pytest basetemp>/screenshots/``, its path printed at the end of the run).
Mark browser tests with ``pytestmark = pytest.mark.browser``.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves the built site without a log line per request."""

    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def served(root: Path) -> Iterator[str]:
    """A static server of ``root`` on 127.0.0.1 and a free port: its base URL."""
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def http_server(tmp_path_factory):
    """A static server on 127.0.0.1 and a free port, serving a folder filled later."""
    root = tmp_path_factory.mktemp("browser-site")
    with served(root) as url:
        yield root, url


@pytest.fixture(scope="session")
def demo(http_server):
    """The demo content built once with the dev settings, search on, served by ``http_server``."""
    from tests.conftest import run_build

    root, url = http_server
    return run_build(ROOT / "content", root, "pelicanconf.py", SEARCH_ENABLED=True, FEED_DOMAIN=url)


@pytest.fixture(scope="session")
def site_url(demo, http_server):
    return http_server[1]


@pytest.fixture(scope="session")
def base_url(site_url):
    """Playwright resolves ``page.goto("/x/")`` against the served demo."""
    return site_url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} manque : make test l'installe (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, base_url):
    return {**browser_context_args, "base_url": base_url, "locale": "fr-FR"}


SCREENSHOTS = pytest.StashKey[Path]()


@pytest.fixture(scope="session")
def screenshots_dir(tmp_path_factory, pytestconfig) -> Path:
    """Where the screenshots of a run go: with the test output, not in the project."""
    folder = tmp_path_factory.mktemp("screenshots", numbered=False)
    pytestconfig.stash[SCREENSHOTS] = folder
    return folder


@pytest.fixture
def save_screenshot(screenshots_dir):
    """``save_screenshot(page, name)``: a full-page PNG in the run's screenshots folder."""

    def save(page, name: str) -> Path:
        path = screenshots_dir / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


def pytest_terminal_summary(terminalreporter, config):
    folder = config.stash.get(SCREENSHOTS, None)
    if folder is not None:
        terminalreporter.write_line(f"captures d’écran : {folder}")
