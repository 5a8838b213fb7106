"""S3 deploys against a real SeaweedFS server on 127.0.0.1."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import replace

import pytest
from rich.console import Console

from deploy import DeployError, GateError, deploy, rollback
from deploy.__main__ import main
from deploy.gates import check_links
from deploy.s3 import Bucket
from deploy.site import CACHE_IMMUTABLE, CACHE_SHORT
from tests.deploy.helpers import (
    CSS_V2,
    ROOT,
    SITE_URL,
    bucket_state,
    download,
    make_site,
    public_state,
    site_files,
    write_settings,
)

pytestmark = pytest.mark.server


def quiet() -> Console:
    return Console(quiet=True)


def expected_public(site) -> dict[str, bytes]:
    return site_files(site)


def public_bytes(client, bucket) -> dict[str, bytes]:
    return {key: data for key, (data, _, _) in public_state(client, bucket).items()}


def test_first_deploy_uploads_everything_with_the_right_headers(site, s3_config, seaweed):
    summary = deploy(site, s3_config, console=quiet())
    files = site_files(site)
    assert (summary.uploaded, summary.unchanged, summary.deleted) == (len(files), 0, 0)
    client, bucket = seaweed.client(), s3_config.s3_bucket
    assert public_bytes(client, bucket) == files
    expected = {
        "index.html": ("text/html; charset=utf-8", CACHE_SHORT),
        "blog/article-1.html": ("text/html; charset=utf-8", CACHE_SHORT),
        "theme/css/site.3f2a9c1b.css": ("text/css; charset=utf-8", CACHE_IMMUTABLE),
        "feeds/all.atom.xml": ("application/atom+xml; charset=utf-8", CACHE_SHORT),
        "images/logo.png": ("image/png", "public, max-age=86400"),
        "pagefind/pagefind.js": ("text/javascript; charset=utf-8", CACHE_SHORT),
        "pagefind/fragment/fr_85167a5.pf_fragment": ("application/octet-stream", CACHE_IMMUTABLE),
    }
    for key, (kind, cache) in expected.items():
        head = client.head_object(Bucket=bucket, Key=key)
        assert (head["ContentType"], head["CacheControl"]) == (kind, cache), key
    current = json.loads(
        client.get_object(Bucket=bucket, Key="_deploy/current.json")["Body"].read()
    )
    assert current["previous"] is None
    assert set(current["files"]) == set(files)


def test_second_deploy_without_change_uploads_nothing(site, s3_config, seaweed, capsys):
    deploy(site, s3_config, console=Console())
    capsys.readouterr()
    summary = deploy(site, s3_config, console=Console())
    assert (summary.uploaded, summary.deleted) == (0, 0)
    manifests = Bucket(s3_config, seaweed.client())._list("_deploy/manifests/")
    assert len(list(manifests)) == 1  # no new deploy recorded: rollback stays meaningful
    assert summary.unchanged == len(site_files(site))
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"uploaded 0, unchanged {summary.unchanged}, deleted 0 (")
    assert lines[0].endswith(" s)") and " MB in " in lines[0]


def test_editing_one_file_uploads_only_that_file(site, s3_config, seaweed):
    deploy(site, s3_config, console=quiet())
    page = site / "blog/article-2.html"
    page.write_text(page.read_text().replace("Bonjour", "Bonjour, lecteur"))
    summary = deploy(site, s3_config, console=quiet())
    assert (summary.uploaded, summary.deleted) == (1, 0)
    assert summary.bytes_sent == page.stat().st_size
    got = seaweed.client().get_object(Bucket=s3_config.s3_bucket, Key="blog/article-2.html")
    assert got["Body"].read() == page.read_bytes()


def test_a_removed_page_is_deleted(site, s3_config, seaweed):
    deploy(site, s3_config, console=quiet())
    make_site(site, pages=3)  # the blog index and feed no longer list article 4
    (site / "blog/article-4.html").unlink()
    summary = deploy(site, s3_config, console=quiet())
    assert summary.deleted == 1
    assert public_bytes(seaweed.client(), s3_config.s3_bucket) == site_files(site)


def test_a_failing_gate_leaves_the_bucket_byte_for_byte_unchanged(site, s3_config, seaweed):
    deploy(site, s3_config, console=quiet())
    client, bucket = seaweed.client(), s3_config.s3_bucket
    before = bucket_state(client, bucket)
    make_site(site, css=CSS_V2, body="Nouveau")
    (site / CSS_V2).unlink()  # every page now points at a stylesheet that is not built
    (site / "feeds/all.atom.xml").write_text("<feed")
    with pytest.raises(GateError) as raised:
        deploy(site, s3_config, console=quiet())
    gates = {problem.gate for problem in raised.value.problems}
    assert gates == {"links", "feeds"}
    assert bucket_state(client, bucket) == before


def test_the_shrink_gate_refuses_and_force_allows(tmp_path, s3_config, seaweed):
    big = make_site(tmp_path / "big", pages=8)  # 10 pages online
    deploy(big, s3_config, console=quiet())
    small = make_site(tmp_path / "small", pages=5)  # deletes 3 of 10: 30%
    before = bucket_state(seaweed.client(), s3_config.s3_bucket)
    with pytest.raises(GateError) as raised:
        deploy(small, s3_config, console=quiet())
    [problem] = raised.value.problems
    assert problem.gate == "shrink"
    assert "would delete 3 of the 10 HTML pages online (30% > 20%)" in problem.message
    assert bucket_state(seaweed.client(), s3_config.s3_bucket) == before
    summary = deploy(small, s3_config, force=True, console=quiet())
    assert summary.deleted == 3


def test_rollback_restores_the_previous_deploy_exactly(tmp_path, s3_config, seaweed):
    client, bucket = seaweed.client(), s3_config.s3_bucket
    v1_site = make_site(tmp_path / "v1", pages=4)
    deploy(v1_site, s3_config, console=quiet())
    v1 = public_state(client, bucket)
    v2_site = make_site(tmp_path / "v2", pages=5, css=CSS_V2, body="Version 2")
    deploy(v2_site, s3_config, console=quiet())
    assert public_state(client, bucket) != v1
    summary = rollback(s3_config, console=quiet())
    assert public_state(client, bucket) == v1  # bytes and headers
    assert summary.deleted == 2  # article 5 and the new stylesheet
    # Deploying v2 again publishes its differences from v1, from the objects kept in the bucket.
    again = deploy(v2_site, s3_config, console=quiet())
    old = site_files(v1_site)
    assert again.uploaded == sum(old.get(p) != data for p, data in site_files(v2_site).items())
    assert again.bytes_sent == 0
    assert public_bytes(client, bucket) == site_files(v2_site)


def test_rollback_needs_a_previous_deploy(site, s3_config):
    with pytest.raises(DeployError, match="no deploy recorded"):
        rollback(s3_config, console=quiet())
    deploy(site, s3_config, console=quiet())
    with pytest.raises(DeployError, match="only one deploy recorded"):
        rollback(s3_config, console=quiet())


def test_dry_run_sends_nothing_and_prints_counts(site, s3_config, seaweed, capsys):
    client, bucket = seaweed.client(), s3_config.s3_bucket
    deploy(site, s3_config, console=quiet())
    before = bucket_state(client, bucket)
    make_site(site, pages=3, body="Modifié")
    (site / "blog/article-4.html").unlink()
    summary = deploy(site, s3_config, dry_run=True, console=Console())
    out = capsys.readouterr().out
    assert bucket_state(client, bucket) == before
    assert summary.dry_run and summary.uploaded == 6 and summary.deleted == 1
    assert "would upload 6 files (0 new, 6 changed)" in out
    assert "would delete 1 files" in out and "- blog/article-4.html" in out
    assert (
        out.strip()
        .splitlines()[-1]
        .startswith("dry run, nothing sent: would have uploaded 6, unchanged")
    )


def test_prefix_keeps_the_site_in_its_folder_and_leaves_the_rest(site, s3_config, seaweed):
    client, bucket = seaweed.client(), s3_config.s3_bucket
    client.put_object(Bucket=bucket, Key="autre/garder.txt", Body=b"keep")
    config = replace(s3_config, s3_prefix="blog/")
    deploy(site, config, console=quiet())
    keys = set(bucket_state(client, bucket))
    assert "autre/garder.txt" in keys
    assert {k for k in keys if not k.startswith("autre/")} == {
        k for k in keys if k.startswith("blog/")
    }
    assert "blog/index.html" in keys and "blog/_deploy/current.json" in keys


def test_old_deploys_are_pruned_beyond_the_kept_count(tmp_path, s3_config, seaweed):
    config = replace(s3_config, s3_keep=2)
    for version in range(3):
        deploy(make_site(tmp_path / f"v{version}", body=f"v{version}"), config, console=quiet())
    bucket = Bucket(config, seaweed.client())
    manifests = list(bucket._list("_deploy/manifests/"))
    assert len(manifests) == 2
    kept = [bucket.read_json(m["Key"]) for m in manifests]
    needed = {e["sha256"] for m in kept for e in m["files"].values()}
    assert bucket.blobs() == needed


@pytest.mark.parametrize(
    ("stop", "status", "message"),
    [("network", 1, "S3 connection failed"), ("ctrl-c", 130, "interrupted: the site online")],
)
def test_a_deploy_stopped_half_way_fails_and_a_rerun_completes(
    tmp_path, s3_settings, seaweed, monkeypatch, capsys, stop, status, message
):
    from botocore.exceptions import EndpointConnectionError

    import deploy.s3

    settings = write_settings(tmp_path / "publishconf.py", s3_settings)
    site = make_site(tmp_path / "site")
    calls = []
    publish = deploy.s3.Bucket.publish

    def flaky(self, path, entry):
        calls.append(path)
        if len(calls) == 5:
            if stop == "ctrl-c":
                raise KeyboardInterrupt
            raise EndpointConnectionError(endpoint_url=seaweed.endpoint)
        return publish(self, path, entry)

    monkeypatch.setattr(deploy.s3.Bucket, "publish", flaky)
    assert main(["publish", str(site), "--settings", str(settings)]) == status
    assert message in capsys.readouterr().err
    monkeypatch.setattr(deploy.s3.Bucket, "publish", publish)
    assert main(["publish", str(site), "--settings", str(settings)]) == 0
    out = capsys.readouterr().out
    assert public_bytes(seaweed.client(), s3_settings["DEPLOY_S3_BUCKET"]) == site_files(site)
    unchanged = int(re.search(r"unchanged (\d+),", out).group(1))
    assert unchanged >= 4  # what the first run published is not sent again


KILLER = """
import os, signal, sys, threading
import botocore.client

limit, lock, count = int(os.environ["KILL_AFTER_WRITES"]), threading.Lock(), [0]
original = botocore.client.BaseClient._make_api_call

def counting(self, operation, params):
    if operation in ("PutObject", "CopyObject"):
        with lock:
            count[0] += 1
            if count[0] > limit:
                os.kill(os.getpid(), signal.SIGKILL)
    return original(self, operation, params)

botocore.client.BaseClient._make_api_call = counting
from deploy.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


# v2 changes 9 files: 9 objects kept (writes 1-9), 9 public copies (10-18), then the deletion
# and the manifest (19-20). Kill among the kept objects, among the copies, before the manifest.
@pytest.mark.parametrize("kill_after", [3, 13, 18])
def test_a_deploy_killed_half_way_leaves_a_working_site_and_a_rerun_completes(
    tmp_path, s3_settings, seaweed, aws_env, kill_after
):
    client, bucket = seaweed.client(), s3_settings["DEPLOY_S3_BUCKET"]
    settings = write_settings(tmp_path / "publishconf.py", s3_settings)
    deploy(make_site(tmp_path / "v1"), load_config(s3_settings, {}), console=quiet())
    v2 = make_site(tmp_path / "v2", pages=5, css=CSS_V2, body="Version 2")
    command = [sys.executable, "-c", KILLER, "publish", str(v2), "--settings", str(settings)]
    env = {**aws_env, "KILL_AFTER_WRITES": str(kill_after), "PYTHONPATH": str(ROOT)}
    killed = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, timeout=60)
    assert killed.returncode == -9
    online = download(client, bucket, tmp_path / "online")
    assert check_links(online, SITE_URL) == []  # every page online still has its CSS
    assert main(["publish", str(v2), "--settings", str(settings)]) == 0
    assert public_bytes(client, bucket) == site_files(v2)
    shutil.rmtree(online)


from deploy import load_config  # noqa: E402
