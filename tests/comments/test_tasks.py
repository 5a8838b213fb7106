"""make serve starts a local comment server; make comments moderates and pulls; make publish
pulls first when a public server is set."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import tasks
from commentserver import client
from tests.comments.conftest import post
from tests.site.test_serve import dev_server, fetch  # noqa: F401 (fixture)

pytestmark = pytest.mark.server
SITES = Path(__file__).parent / "sites"
INVOKE = Path(sys.executable).parent / "invoke"


def test_make_serve_starts_a_local_comment_server_the_form_posts_to(dev_server):  # noqa: F811
    project, base = dev_server
    _, article = fetch(base + "/2010/09/le-client-roi/")
    endpoint = re.search(r'data-endpoint="([^"]+)"', article)[1]
    assert endpoint.startswith("http://127.0.0.1:")
    state = json.loads((project / ".cache/comments/server.json").read_text())
    assert state["url"] == endpoint
    assert (project / ".cache/comments/comments.sqlite").exists()
    status, _, _ = post(
        endpoint, {"author": "A", "text": "Depuis make serve.", "title": "T"},
        uri="/2010/09/le-client-roi/", origin=base,
    )  # fmt: skip
    assert status == 202
    assert [c["text"] for c in client.pending(endpoint, state["token"])] == ["Depuis make serve."]


def test_make_comments_lists_approves_and_pulls(comment_server, tmp_path):
    server = comment_server()
    content = tmp_path / "content"
    shutil.copytree(SITES / "billets", content)
    post(server.url, {"author": "Zoé", "text": "À approuver.", "title": "T"})
    post(server.url, {"author": "Spam", "text": "À supprimer.", "title": "T"})
    ids = {c["author"]: c["id"] for c in client.pending(server.url, server.token)}
    env = {**os.environ, "COMMENTS_URL": server.url, "COMMENTS_TOKEN": server.token}

    def make_comments(*args):
        return subprocess.run(
            [str(INVOKE), "comments", "--content", str(content), *args],
            cwd=tasks.ROOT, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip

    listed = make_comments()
    assert listed.returncode == 0, listed.stderr
    assert f"[{ids['Zoé']}] /2021/10/le-chat-en-ligne/ · Zoé : À approuver." in listed.stdout
    done = make_comments("--approve", str(ids["Zoé"]), "--delete", str(ids["Spam"]))
    assert done.returncode == 0, done.stderr
    assert "0 commentaire(s) en attente" in done.stdout
    assert "ajouté : le-chat-en-ligne.yml :" in done.stdout
    assert "À approuver." in (content / "comments" / "le-chat-en-ligne.yml").read_text()
    again = make_comments()
    assert "content/comments/ est à jour" in again.stdout


def test_publish_refuses_to_go_on_without_the_moderation_token(monkeypatch):
    monkeypatch.setenv("COMMENTS_URL", "https://commentaires.example")
    monkeypatch.delenv("COMMENTS_TOKEN", raising=False)
    with pytest.raises(SystemExit, match="COMMENTS_TOKEN manque"):
        tasks.pull_comments_before_publish("content")


def test_publish_pulls_before_building(comment_server, tmp_path, monkeypatch):
    server = comment_server()
    content = tmp_path / "content"
    shutil.copytree(SITES / "billets", content)
    post(server.url, {"author": "Yves", "text": "Publié avec le site.", "title": "T"})
    client.approve(server.url, server.token, client.pending(server.url, server.token)[0]["id"])
    monkeypatch.setenv("COMMENTS_URL", server.url)
    monkeypatch.setenv("COMMENTS_TOKEN", server.token)
    started = time.monotonic()
    tasks.pull_comments_before_publish(str(content))
    assert time.monotonic() - started < 10
    assert "Publié avec le site." in (content / "comments" / "le-chat-en-ligne.yml").read_text()
