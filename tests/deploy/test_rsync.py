"""rsync to a local directory and over SSH to a real sshd: checksum comparison, new files before
changed ones and deletions at the end, private files left out, one deploy at a time."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from rich.console import Console

from deploy import GateError, deploy, load_config, rollback
from deploy.config import DeployError
from deploy.rsync import PASSES, parse_itemized
from tests.deploy.helpers import CSS_V2, SITE_URL, make_site, site_files, write

if not shutil.which("rsync"):
    pytest.skip("rsync is not installed (apt-get install rsync)", allow_module_level=True)


def config_for(dest, **settings):
    return load_config(
        {"DEPLOY_TARGET": "rsync", "DEPLOY_RSYNC_DEST": str(dest), "SITEURL": SITE_URL, **settings},
        {},
    )


def quiet() -> Console:
    return Console(quiet=True)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (">f+++++++++ blog/a.html", ("blog/a.html", True, False, True)),
        (">f.st...... index.html", ("index.html", True, False, False)),
        ("*deleting   blog/old page.html", ("blog/old page.html", False, True, False)),
        ("cd+++++++++ blog/", None),
        (".d..t...... ./", None),
        (".f...p..... unchanged-but-perms.txt", None),
    ],
)
def test_itemized_lines_are_read_as_files_sent_and_deleted(line, expected):
    item = parse_itemized(line)
    assert (item and (item.path, item.sent, item.deleted, item.new)) == expected


def test_rsync_publishes_then_sends_only_changes_and_deletes_after(site, tmp_path):
    dest = tmp_path / "www"
    config = config_for(dest)
    first = deploy(site, config, console=quiet())
    assert (first.uploaded, first.unchanged, first.deleted) == (len(site_files(site)), 0, 0)
    assert site_files(dest) == site_files(site)

    assert deploy(site, config, console=quiet()).uploaded == 0

    make_site(site, pages=3)  # the blog index and the feed change; article 4 is gone
    (site / "blog/article-4.html").unlink()
    page = site / "blog/article-1.html"
    page.write_text(page.read_text() + "\n")
    summary = deploy(site, config, console=quiet())
    assert summary.deleted == 1
    assert summary.uploaded == 3
    assert not (dest / "blog/article-4.html").exists()
    assert site_files(dest) == site_files(site)


def test_rsync_dry_run_changes_nothing_and_prints_counts(site, tmp_path, capsys):
    dest = tmp_path / "www"
    config = config_for(dest)
    deploy(site, config, console=quiet())
    before = site_files(dest)
    (site / "blog/article-4.html").unlink()
    make_site(site, pages=3, body="Modifié")
    summary = deploy(site, config, dry_run=True, console=Console())
    out = capsys.readouterr().out
    assert site_files(dest) == before
    assert (summary.uploaded, summary.deleted) == (6, 1)
    assert "would upload 6 files (0 new, 6 changed)" in out
    assert "would delete 1 files" in out and "- blog/article-4.html" in out


def test_rsync_shrink_gate_refuses_then_force_allows(tmp_path):
    dest = tmp_path / "www"
    config = config_for(dest)
    deploy(make_site(tmp_path / "big", pages=8), config, console=quiet())
    small = make_site(tmp_path / "small", pages=4)
    with pytest.raises(GateError, match="nothing was sent") as raised:
        deploy(small, config, console=quiet())
    assert [p.gate for p in raised.value.problems] == ["shrink"]
    assert len(site_files(dest)) == len(site_files(tmp_path / "big"))
    assert deploy(small, config, force=True, console=quiet()).deleted == 4


def test_rsync_has_no_rollback(tmp_path):
    with pytest.raises(DeployError, match="rollback is not available for DEPLOY_TARGET=rsync"):
        rollback(config_for(tmp_path / "www"), console=quiet())


def test_rsync_sends_new_files_then_changed_assets_then_pages_and_deletes_last(
    tmp_path, monkeypatch
):
    from deploy import rsync

    dest = tmp_path / "www"
    deploy(make_site(tmp_path / "v1", pages=5), config_for(dest), console=quiet())
    v2 = make_site(tmp_path / "v2", pages=4, css=CSS_V2, body="Version 2")
    write(v2 / "blog/nouveau.html", "<!doctype html><html><body><p>neuf</p></body></html>")
    passes = []
    run = rsync._run

    def recording(command, on_item=None):
        items = run(command, on_item)
        if "--dry-run" not in command:
            passes.append([("-" if i.deleted else "") + i.path for i in items])  # rsync's order
        return items

    monkeypatch.setattr(rsync, "_run", recording)
    deploy(v2, config_for(dest), console=quiet())
    assert len(passes) == len(PASSES)
    new_assets, new_pages, changed_assets, changed_pages = passes
    assert new_assets == [CSS_V2]
    assert new_pages == ["blog/nouveau.html"]
    assert changed_assets == ["feeds/all.atom.xml"]
    deleted = {"-blog/article-5.html", "-theme/css/site.3f2a9c1b.css"}
    assert set(changed_pages[-2:]) == deleted  # at the very end
    assert "index.html" in changed_pages
    assert site_files(dest) == site_files(v2)


def test_rsync_leaves_private_files_out_and_the_destination_s_own_alone(site, tmp_path):
    dest = tmp_path / "www"
    write(dest / ".htaccess", "Options -Indexes\n")  # the server's, not the site's
    write(site / ".git/config", "[remote]\n")
    config = config_for(dest)
    deploy(site, config, console=quiet())
    assert not (dest / ".git").exists()
    assert (dest / ".htaccess").exists()
    write(site / "images/.env.local", "SECRET=1\n")
    with pytest.raises(GateError) as raised:
        deploy(site, config, console=quiet())
    assert [str(p).split(":")[1].strip() for p in raised.value.problems] == ["images/.env.local"]


def test_rsync_refuses_while_another_deploy_holds_the_destination(site, tmp_path, capsys):
    dest = tmp_path / "www"
    lock_dir = tmp_path / "www.deploy-lock"
    lock_dir.mkdir()
    held = {"owner": "autre@machine (pid 1)", "host": "machine", "pid": 1, "created": "hier"}
    (lock_dir / "owner.json").write_text(json.dumps({**held, "expires_at": 4e9}))
    with pytest.raises(DeployError, match=r"another deploy is running on .*autre@machine"):
        deploy(site, config_for(dest), console=quiet())
    assert not dest.exists()
    deploy(site, config_for(dest), break_lock=True, console=Console())
    assert "cleared (--break-lock)" in capsys.readouterr().out
    assert site_files(dest) == site_files(site) and not lock_dir.exists()


# --- Over SSH, to a real sshd ---------------------------------------------------------------


@pytest.mark.server
def test_rsync_over_ssh_publishes_changes_and_deletions_and_takes_its_lock_there(
    tmp_path, sshd, monkeypatch, capsys
):
    monkeypatch.setenv("RSYNC_RSH", sshd.rsync_rsh)
    www = tmp_path / "srv/www/site"
    www.parent.mkdir(parents=True)
    config = config_for(f"{sshd.user_host}:{www}/")
    v1 = make_site(tmp_path / "v1", pages=5)
    write(v1 / ".git/HEAD", "ref: refs/heads/main\n")
    first = deploy(v1, config, console=quiet())
    assert (first.uploaded, first.deleted) == (len(site_files(v1)), 0)
    assert site_files(www) == site_files(v1) and not (www / ".git").exists()

    v2 = make_site(tmp_path / "v2", pages=4, css=CSS_V2, body="Version 2")
    dry = deploy(v2, config, dry_run=True, console=quiet())
    assert site_files(www) == site_files(v1)  # a dry run sends nothing
    second = deploy(v2, config, console=quiet())
    assert (second.uploaded, second.deleted) == (dry.uploaded, dry.deleted) == (8, 2)
    assert site_files(www) == site_files(v2)
    assert deploy(v2, config, console=quiet()).uploaded == 0

    lock_dir = tmp_path / "srv/www/site.deploy-lock"  # beside the site, not served
    lock_dir.mkdir()
    held = {"owner": "autre@machine (pid 1)", "host": "machine", "pid": 1, "expires_at": 1.0}
    (lock_dir / "owner.json").write_text(json.dumps(held))
    with pytest.raises(DeployError, match=r"a stale lock on .*--break-lock"):
        deploy(v1, config, console=quiet())
    assert site_files(www) == site_files(v2)
    deploy(v1, config, break_lock=True, console=quiet())
    assert site_files(www) == site_files(v1) and not lock_dir.exists()


@pytest.mark.server
def test_rsync_over_ssh_with_a_key_the_server_refuses_is_one_line(tmp_path, sshd, monkeypatch):
    other = tmp_path / "other_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(other)], check=True)
    monkeypatch.setenv("RSYNC_RSH", sshd.ssh_command(other, shared=False))
    config = config_for(f"{sshd.user_host}:{tmp_path}/www/")
    with pytest.raises(DeployError) as raised:
        deploy(make_site(tmp_path / "site"), config, console=quiet())
    assert "Permission denied" in str(raised.value)
    assert "\n" not in str(raised.value)
