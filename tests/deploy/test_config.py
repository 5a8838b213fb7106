"""Settings: publishconf.py first, the environment over it, one line per mistake."""

from __future__ import annotations

import sys

import pytest

from deploy import DeployConfigError, load_config
from deploy.__main__ import main
from tests.deploy.helpers import write_settings


def test_settings_come_from_publishconf():
    config = load_config(
        {"DEPLOY_TARGET": "s3", "DEPLOY_S3_BUCKET": "blog", "DEPLOY_S3_PREFIX": "/fr/"}, {}
    )
    assert (config.target, config.s3_bucket, config.s3_prefix) == ("s3", "blog", "fr/")
    assert config.s3_endpoint == ""  # AWS
    assert config.search_enabled is True


def test_the_environment_overrides_settings_even_when_empty():
    settings = {"DEPLOY_TARGET": "rsync", "DEPLOY_RSYNC_DEST": "/srv/a", "DEPLOY_S3_ENDPOINT": "x"}
    environ = {
        "DEPLOY_TARGET": "s3",
        "DEPLOY_S3_BUCKET": "from-env",
        "DEPLOY_S3_ENDPOINT": "",
        "SEARCH_ENABLED": "false",  # a build setting: not read from the environment
    }
    config = load_config(settings, environ)
    assert (config.target, config.s3_bucket, config.s3_endpoint) == ("s3", "from-env", "")
    assert config.search_enabled is True


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({}, "DEPLOY_TARGET is not set: set it in publishconf.py or the environment"),
        ({"DEPLOY_TARGET": "ftp"}, "DEPLOY_TARGET is 'ftp': set it to one of s3, rsync, ghpages"),
        ({"DEPLOY_TARGET": "s3"}, "DEPLOY_S3_BUCKET is not set"),
        ({"DEPLOY_TARGET": "rsync"}, "DEPLOY_RSYNC_DEST is not set"),
        (
            {"DEPLOY_TARGET": "s3", "DEPLOY_S3_BUCKET": "b", "DEPLOY_S3_ENDPOINT": "localhost"},
            "DEPLOY_S3_ENDPOINT is 'localhost': set it to an http(s):// URL",
        ),
        (
            {"DEPLOY_TARGET": "s3", "DEPLOY_S3_BUCKET": "b", "AWS_SECRET_ACCESS_KEY": "s"},
            "AWS_SECRET_ACCESS_KEY is in the settings: remove it",
        ),
    ],
)
def test_a_wrong_setting_is_named_in_one_line(settings, message):
    with pytest.raises(DeployConfigError) as raised:
        load_config(settings, {})
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)


def test_ghpages_needs_no_setting_but_its_target():
    config = load_config({"DEPLOY_TARGET": "ghpages"}, {})
    assert (config.ghpages_branch, config.ghpages_remote, config.cname) == (
        "gh-pages",
        "origin",
        "",
    )


def test_cli_missing_setting_prints_one_line_and_fails(tmp_path, site, monkeypatch, capsys):
    monkeypatch.delenv("DEPLOY_TARGET", raising=False)
    settings = write_settings(tmp_path / "publishconf.py", {"SITENAME": "Le Sens du client"})
    status = main(["publish", str(site), "--settings", str(settings)])
    err = capsys.readouterr().err
    assert status == 1
    assert err.strip().splitlines() == [
        "error: DEPLOY_TARGET is not set: set it in publishconf.py or the environment "
        "(where to publish: s3, rsync or ghpages)"
    ]


def test_cli_reads_a_publishconf_that_imports_pelicanconf(tmp_path, site, monkeypatch, capsys):
    monkeypatch.delenv("DEPLOY_TARGET", raising=False)
    # Another test of this process may have imported the project's own pelicanconf.
    monkeypatch.delitem(sys.modules, "pelicanconf", raising=False)
    (tmp_path / "pelicanconf.py").write_text("SITEURL = ''\nDEPLOY_TARGET = 'rsync'\n")
    settings = tmp_path / "publishconf.py"
    settings.write_text("from pelicanconf import *\nSITEURL = 'https://x.example'\n")
    assert main(["publish", str(site), "--settings", str(settings)]) == 1
    assert "DEPLOY_RSYNC_DEST is not set" in capsys.readouterr().err
