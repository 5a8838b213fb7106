"""GitHub Pages through ghp-import, pushed to a local bare repository."""

from __future__ import annotations

import subprocess

import pytest
from rich.console import Console

from deploy import DeployError, deploy, forget, load_config, rollback
from tests.deploy.helpers import (
    CSS_V2,
    SITE_URL,
    git,
    make_site,
    site_files,
    with_repo,
    write,
)


def quiet() -> Console:
    return Console(quiet=True)


def published(bare, ref="gh-pages") -> dict[str, bytes]:
    names = git("ls-tree", "-r", "--name-only", "-z", ref, cwd=bare).split("\0")
    return {
        name: subprocess.run(
            ["git", "cat-file", "blob", f"{ref}:{name}"], cwd=bare, capture_output=True, check=True
        ).stdout
        for name in names
        if name
    }


@pytest.fixture
def ghpages(git_repos):
    work, bare = git_repos
    settings = {"DEPLOY_TARGET": "ghpages", "DEPLOY_CNAME": "www.sensduclient.example"}
    return with_repo(load_config({**settings, "SITEURL": SITE_URL}, {}), work), bare


def test_ghpages_pushes_the_site_with_nojekyll_and_cname(site, ghpages):
    config, bare = ghpages
    write(site / ".git/config", "[remote]\n")  # kept in the output by OUTPUT_RETENTION
    summary = deploy(site, config, console=quiet())
    files = published(bare)
    assert files.pop(".nojekyll") == b""
    assert files.pop("CNAME") == b"www.sensduclient.example"
    assert files == site_files(site)  # without .git/
    assert summary.uploaded == len(site_files(site)) + 2


def test_ghpages_counts_changes_dry_run_pushes_nothing_and_rollback_restores(
    tmp_path, ghpages, capsys
):
    config, bare = ghpages
    v1 = make_site(tmp_path / "v1")
    deploy(v1, config, console=quiet())
    first = git("rev-parse", "gh-pages", cwd=bare)
    assert deploy(v1, config, console=quiet()).uploaded == 0

    v2 = make_site(tmp_path / "v2", pages=5, css=CSS_V2)
    dry = deploy(v2, config, dry_run=True, console=Console())
    assert "would delete 1 files" in capsys.readouterr().out  # the old stylesheet
    assert git("rev-parse", "gh-pages", cwd=bare) == first  # nothing pushed
    assert dry.deleted == 1

    deploy(v2, config, console=quiet())
    assert {k: v for k, v in published(bare).items() if k not in (".nojekyll", "CNAME")} == (
        site_files(v2)
    )
    summary = rollback(config, console=quiet())
    assert summary.deleted == 2  # article 5 and the new stylesheet
    restored = published(bare)
    assert restored == published(bare, first.strip())
    assert git("rev-list", "--count", "gh-pages", cwd=bare).strip() == "3"  # v1, v2, rollback


def test_ghpages_outside_a_git_repository_is_a_gate_problem(site, tmp_path):
    config = with_repo(load_config({"DEPLOY_TARGET": "ghpages"}, {}), tmp_path)
    with pytest.raises(DeployError) as raised:
        deploy(site, config, console=quiet())
    assert [p.gate for p in raised.value.problems] == ["target"]
    assert "is not a git repository" in str(raised.value.problems[0])


def test_ghpages_forget_takes_a_file_out_of_every_published_version(tmp_path, ghpages):
    config, bare = ghpages
    for version in ("v1", "v2"):
        site = make_site(tmp_path / version, body=version)
        write(site / "images/erreur.png", b"\x89PNG published by mistake")
        deploy(site, config, console=quiet())
    before = git("log", "--format=%an %s", "gh-pages", cwd=bare)

    [done] = forget(config, "/images/erreur.png", console=quiet())
    assert done.startswith("removed images/erreur.png from 2 of the 2 versions")
    assert "images/erreur.png" not in published(bare)
    assert git("log", "--format=%H", "gh-pages", "--", "images/erreur.png", cwd=bare) == ""
    assert git("log", "--format=%an %s", "gh-pages", cwd=bare) == before  # same history
    rollback(config, console=quiet())  # v1 again, without the file
    assert "images/erreur.png" not in published(bare)
    assert published(bare)["index.html"] == site_files(tmp_path / "v1")["index.html"]
    with pytest.raises(DeployError, match="is in no published version"):
        forget(config, "images/erreur.png", console=quiet())
