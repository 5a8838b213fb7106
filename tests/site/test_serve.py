"""`make serve`: the dev server builds, serves and rebuilds on changes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
SITES = Path(__file__).parent / "sites"


def fetch(url: str, attempts: int = 240) -> tuple[int, str]:
    for _ in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")
        except OSError:
            time.sleep(0.25)
    raise AssertionError(f"no answer from {url}")


@pytest.fixture
def dev_server(tmp_path):
    """The invoke serve task, run from a copy of the project with a small content folder."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("pelicanconf.py", "tasks.py", "theme", "plugins", "commentserver", "preview"):
        source = ROOT / name
        copy = shutil.copytree if source.is_dir() else shutil.copy
        copy(source, project / name)
    shutil.copytree(SITES / "basic", project / "content")
    port = free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "invoke"), "serve", "--port", str(port)],
        cwd=project,
        env={**os.environ, "LANG": "C"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    yield project, f"http://127.0.0.1:{port}"
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=10)


def test_dev_server_serves_home_article_and_tag_pages_in_french(dev_server):
    _, base = dev_server
    status, home = fetch(base + "/")
    assert status == 200 and 'lang="fr"' in home
    status, article = fetch(base + "/2010/09/le-client-roi/")
    assert status == 200 and "30 septembre 2010" in article
    status, _ = fetch(base + "/tags/amazon/")
    assert status == 200


def test_dev_server_answers_an_unknown_path_with_the_sites_404_page(dev_server):
    _, base = dev_server
    fetch(base + "/")
    status, page = fetch(base + "/2010/09/nulle-part/")
    assert status == 404
    assert "Page introuvable" in page and 'action="/recherche/"' in page


def test_dev_server_rebuilds_when_content_changes(dev_server):
    project, base = dev_server
    fetch(base + "/")
    post = project / "content/posts/2010/premier.md"
    post.write_text(post.read_text().replace("Premier paragraphe", "Paragraphe réécrit"))
    for _ in range(80):
        _, article = fetch(base + "/2010/09/le-client-roi/")
        if "Paragraphe réécrit" in article:
            break
        time.sleep(0.25)
    assert "Paragraphe réécrit" in article
