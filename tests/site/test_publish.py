"""`make publish`: a strict build that fails sends nothing and names every broken file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SITES = Path(__file__).parent / "sites"
INVOKE = Path(sys.executable).parent / "invoke"


def run_publish(tmp_path, content, *options, env=None):
    environment = {**os.environ, "LANG": "C", **(env or {})}
    return subprocess.run(
        [
            str(INVOKE),
            "publish",
            "--content",
            str(content),
            "--output",
            str(tmp_path / "out"),
            *options,
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_publish_of_broken_content_fails_names_the_files_and_sends_nothing(tmp_path):
    destination = tmp_path / "online"
    result = run_publish(
        tmp_path,
        SITES / "broken",
        env={"DEPLOY_TARGET": "rsync", "DEPLOY_RSYNC_DEST": f"{destination}/"},
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    for name in ("mauvaise-date.md", "statut.md", "series.yml"):
        assert name in output
    assert "rien n'a été envoyé" in output
    assert not destination.exists()


def test_publish_without_a_deploy_target_says_what_to_set(tmp_path):
    result = run_publish(tmp_path, SITES / "other", env={"DEPLOY_TARGET": ""})
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "DEPLOY_TARGET" in output
    assert "Traceback" not in output
