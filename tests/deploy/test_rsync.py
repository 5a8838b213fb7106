"""rsync to a local directory: checksum comparison, deletion at the end, dry run."""

from __future__ import annotations

import shutil

import pytest
from rich.console import Console

from deploy import GateError, deploy, load_config, rollback
from deploy.config import DeployError
from deploy.rsync import parse_itemized
from tests.deploy.helpers import SITE_URL, make_site, site_files

if not shutil.which("rsync"):
    pytest.skip("rsync is not installed (apt-get install rsync)", allow_module_level=True)


def config_for(dest):
    return load_config(
        {"DEPLOY_TARGET": "rsync", "DEPLOY_RSYNC_DEST": str(dest), "SITEURL": SITE_URL}, {}
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
