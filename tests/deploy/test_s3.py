"""S3 deploys against a real SeaweedFS server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import time
from dataclasses import replace

import pytest
from rich.console import Console

from deploy import DeployError, GateError, deploy, load_config, rollback
from deploy.__main__ import main
from deploy.gates import check_links
from deploy.s3 import STEPS, Buckets
from deploy.site import CACHE_IMMUTABLE, CACHE_SHORT
from tests.deploy.helpers import (
    CSS_V2,
    ROOT,
    SITE_URL,
    anonymous_status,
    bucket_state,
    download,
    make_site,
    public_state,
    read_json,
    site_files,
    store_of,
    write,
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
    current = read_json(client, store_of(bucket), "current.json")
    assert current["previous"] is None
    assert set(current["files"]) == set(files)


def test_second_deploy_without_change_uploads_nothing(site, s3_config, seaweed, capsys):
    deploy(site, s3_config, console=Console())
    capsys.readouterr()
    summary = deploy(site, s3_config, console=Console())
    assert (summary.uploaded, summary.deleted) == (0, 0)
    manifests = Buckets(s3_config, seaweed.client()).manifest_ids()
    assert len(manifests) == 1  # no new deploy recorded: rollback stays meaningful
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
    before = bucket_state(client, bucket), bucket_state(client, store_of(bucket))
    make_site(site, css=CSS_V2, body="Nouveau")
    (site / CSS_V2).unlink()  # every page now points at a stylesheet that is not built
    (site / "feeds/all.atom.xml").write_text("<feed")
    with pytest.raises(GateError) as raised:
        deploy(site, s3_config, console=quiet())
    gates = {problem.gate for problem in raised.value.problems}
    assert gates == {"links", "feeds"}
    assert (bucket_state(client, bucket), bucket_state(client, store_of(bucket))) == before


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


def test_a_missing_bucket_is_one_line_and_creates_nothing(site, s3_config, seaweed):
    config = replace(s3_config, s3_bucket="absent-site", s3_store_bucket="absent-site-deploys")
    with pytest.raises(DeployError) as raised:
        deploy(site, config, console=quiet())
    assert str(raised.value) == (
        f"bucket 'absent-site' does not exist at {seaweed.endpoint}: create it first, or fix "
        "DEPLOY_S3_BUCKET"
    )
    names = {bucket["Name"] for bucket in seaweed.client().list_buckets()["Buckets"]}
    assert "absent-site-deploys" not in names


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
    assert "blog/index.html" in keys
    assert "blog/current.json" in bucket_state(client, store_of(bucket))


def test_old_deploys_are_pruned_beyond_the_kept_count(tmp_path, s3_config, seaweed):
    config = replace(s3_config, s3_keep=2)
    for version in range(3):
        deploy(make_site(tmp_path / f"v{version}", body=f"v{version}"), config, console=quiet())
    buckets = Buckets(config, seaweed.client())
    manifests = buckets.manifest_ids()
    assert len(manifests) == 2
    kept = [buckets.read_json(f"manifests/{m}.json") for m in manifests]
    needed = {e["sha256"] for m in kept for e in m["files"].values()}
    assert buckets.blobs() == needed


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
    publish = deploy.s3.Buckets.publish

    def flaky(self, path, entry):
        calls.append(path)
        if len(calls) == 5:
            if stop == "ctrl-c":
                raise KeyboardInterrupt
            raise EndpointConnectionError(endpoint_url=seaweed.endpoint)
        return publish(self, path, entry)

    monkeypatch.setattr(deploy.s3.Buckets, "publish", flaky)
    assert main(["publish", str(site), "--settings", str(settings)]) == status
    assert message in capsys.readouterr().err
    monkeypatch.setattr(deploy.s3.Buckets, "publish", publish)
    assert main(["publish", str(site), "--settings", str(settings)]) == 0
    out = capsys.readouterr().out
    assert "completing the interrupted deploy" in out
    assert public_bytes(seaweed.client(), s3_settings["DEPLOY_S3_BUCKET"]) == site_files(site)
    unchanged = int(re.search(r"unchanged (\d+),", out).group(1))
    assert unchanged >= 4  # what the first run published is not sent again


# Runs ``python -m deploy`` and kills itself (SIGKILL) once it has made KILL_AFTER_WRITES writes
# of the site's files: kept objects in the store, public copies, then the deletion.
KILLER = """
import os, signal, sys, threading
import botocore.client

limit, lock, count = int(os.environ["KILL_AFTER_WRITES"]), threading.Lock(), [0]
original = botocore.client.BaseClient._make_api_call

def counting(self, operation, params):
    key, bucket = str(params.get("Key", "")), str(params.get("Bucket", ""))
    kept = operation == "PutObject" and "objects/" in key
    deletion = operation == "DeleteObjects" and not bucket.endswith("-deploys")
    if kept or operation == "CopyObject" or deletion:
        with lock:
            count[0] += 1
            if count[0] > limit:
                os.kill(os.getpid(), signal.SIGKILL)
    return original(self, operation, params)

botocore.client.BaseClient._make_api_call = counting
from deploy.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


# v2 changes 9 files: 9 objects kept (writes 1-9), 9 public copies (10-18: the 2 new files, then
# the 7 changed ones), then the deletion and the manifest. Kill among the kept objects, among
# the new files, among the changed ones, before the deletion.
@pytest.mark.parametrize(
    ("kill_after", "done"), [(3, []), (10, STEPS[:1]), (13, STEPS[:2]), (18, STEPS[:3])]
)
def test_a_deploy_killed_half_way_leaves_a_working_site_and_a_rerun_completes(
    tmp_path, s3_settings, seaweed, aws_env, capsys, kill_after, done
):
    client, bucket = seaweed.client(), s3_settings["DEPLOY_S3_BUCKET"]
    settings = write_settings(tmp_path / "publishconf.py", s3_settings)
    deploy(make_site(tmp_path / "v1"), load_config(s3_settings, {}), console=quiet())
    v1_id = read_json(client, store_of(bucket), "current.json")["id"]
    v2 = make_site(tmp_path / "v2", pages=5, css=CSS_V2, body="Version 2")
    command = [sys.executable, "-c", KILLER, "publish", str(v2), "--settings", str(settings)]
    env = {**aws_env, "KILL_AFTER_WRITES": str(kill_after), "PYTHONPATH": str(ROOT)}
    killed = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, timeout=60)
    assert killed.returncode == -9
    online = download(client, bucket, tmp_path / "online")
    assert check_links(online, SITE_URL) == []  # every page online still has its CSS
    pending = read_json(client, store_of(bucket), "pending.json")
    assert pending["done"] == list(done)  # the progress, recorded step by step
    assert pending["previous"] == v1_id

    # The lock of the killed process is cleared (it is gone), and the deploy completed.
    assert main(["publish", str(v2), "--settings", str(settings)]) == 0
    out = capsys.readouterr().out
    assert "cleared (its process is gone)" in out
    assert f"completing the interrupted deploy {pending['id']}" in out
    assert public_bytes(client, bucket) == site_files(v2)
    store = bucket_state(client, store_of(bucket))
    assert "pending.json" not in store and "lock.json" not in store
    current = read_json(client, store_of(bucket), "current.json")
    assert (current["id"], current["previous"]) == (pending["id"], v1_id)  # the chain is whole
    shutil.rmtree(online)


# --- Nothing private is public --------------------------------------------------------------


def test_the_public_gets_the_site_and_nothing_else(tmp_path, s3_config, seaweed):
    """Read anonymously, the site's bucket serves the current site; the deploys kept for
    rollback, a page deleted since, files of .git/ are refused."""
    client, bucket = seaweed.client(), s3_config.s3_bucket
    v1 = make_site(tmp_path / "v1", pages=5)
    write(v1 / ".git/config", "[remote]\n url = secret\n")  # kept by OUTPUT_RETENTION
    deploy(v1, s3_config, console=quiet())
    v2 = make_site(tmp_path / "v2", pages=4, css=CSS_V2)
    deploy(v2, s3_config, console=quiet())

    assert public_bytes(client, bucket) == site_files(v2)  # the bucket holds the site only
    for key in site_files(v2):
        assert anonymous_status(seaweed.endpoint, bucket, key) == 200, key
    store = store_of(bucket)
    kept = sorted(bucket_state(client, store))
    assert "current.json" in kept and any(k.startswith("objects/") for k in kept)
    for key in kept:
        assert anonymous_status(seaweed.endpoint, store, key) == 403, key
    # Gone from the site: S3 answers 403 to a reader who may not list the bucket; SeaweedFS 404.
    for key in ("blog/article-5.html", "theme/css/site.3f2a9c1b.css", ".git/config"):
        assert anonymous_status(seaweed.endpoint, bucket, key) in (403, 404), key
    for key in ("_deploy/current.json", "manifests/", "objects/"):
        assert anonymous_status(seaweed.endpoint, bucket, key) in (403, 404), key


def test_a_private_file_in_the_output_stops_the_deploy_and_names_it(site, s3_config, seaweed):
    client, bucket = seaweed.client(), s3_config.s3_bucket
    write(site / ".git/HEAD", "ref: refs/heads/main\n")
    write(site / ".env", "AWS_SECRET_ACCESS_KEY=x\n")
    write(site / "images/server.key", "-----BEGIN PRIVATE KEY-----\n")
    with pytest.raises(GateError) as raised:
        deploy(site, s3_config, console=quiet())
    assert sorted(str(p) for p in raised.value.problems) == [
        f"private: {path}: not a file of the site (hidden, or named like *.pem, *.key, .env*, "
        "*.sqlite, *~): remove it from the output, it is never published"
        for path in (".env", "images/server.key")
    ]
    assert bucket_state(client, bucket) == {}
    (site / ".env").unlink()
    (site / "images/server.key").unlink()
    deploy(site, s3_config, console=quiet())  # .git/ alone is expected, and left out
    assert public_bytes(client, bucket) == site_files(site)


# --- One deploy at a time -------------------------------------------------------------------


def hold_lock(client, store: str, *, expires_in: float, owner="autre@machine (pid 1)") -> dict:
    """A lock as another deploy, on another machine, leaves it."""
    now = time.time()
    lock = {
        "owner": owner,
        "host": "machine",
        "pid": 1,
        "token": "autre",
        "created": "2026-12-04T10:00:00+00:00",
        "expires": "2026-12-04T11:00:00+00:00",
        "expires_at": now + expires_in,
    }
    client.put_object(Bucket=store, Key="lock.json", Body=json.dumps(lock).encode())
    return lock


def test_a_deploy_refuses_while_another_holds_the_lock(site, s3_config, seaweed, capsys):
    client, bucket = seaweed.client(), s3_config.s3_bucket
    client.create_bucket(Bucket=store_of(bucket))
    hold_lock(client, store_of(bucket), expires_in=600)
    with pytest.raises(DeployError) as raised:
        deploy(site, s3_config, console=quiet())
    assert str(raised.value).startswith(
        f"another deploy is running on s3://{bucket}/ at {seaweed.endpoint}: autre@machine "
        "(pid 1) since 2026-12-04T10:00:00+00:00 (its lock expires at 2026-12-04T11:00:00+00:00)"
    )
    assert bucket_state(client, bucket) == {}
    with pytest.raises(DeployError, match="another deploy is running"):
        rollback(s3_config, console=quiet())

    hold_lock(client, store_of(bucket), expires_in=-1)  # its owner died long ago
    with pytest.raises(DeployError, match=r"a stale lock .* run again with --break-lock"):
        deploy(site, s3_config, console=quiet())
    deploy(site, s3_config, break_lock=True, console=Console())
    assert "lock of autre@machine (pid 1) cleared (--break-lock)" in capsys.readouterr().out
    assert public_bytes(client, bucket) == site_files(site)
    assert "lock.json" not in bucket_state(client, store_of(bucket))  # released


# Runs ``python -m deploy`` slowly: each public copy waits SLOW_COPY seconds.
SLOW = """
import os, sys, time
import botocore.client

original = botocore.client.BaseClient._make_api_call

def slow(self, operation, params):
    if operation == "CopyObject":
        time.sleep(float(os.environ["SLOW_COPY"]))
    return original(self, operation, params)

botocore.client.BaseClient._make_api_call = slow
from deploy.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


def store_keys(client, store: str) -> set[str]:
    """The keys of a store (none before the first deploy creates it)."""
    if store not in {b["Name"] for b in client.list_buckets()["Buckets"]}:
        return set()
    return {item["Key"] for item in client.list_objects_v2(Bucket=store).get("Contents", [])}


@pytest.mark.parametrize("wait", [0, 60])
def test_two_deploys_at_once_one_waits_or_refuses_and_the_site_stays_whole(
    tmp_path, s3_settings, seaweed, aws_env, wait
):
    client, bucket = seaweed.client(), s3_settings["DEPLOY_S3_BUCKET"]
    settings = write_settings(
        tmp_path / "publishconf.py", {**s3_settings, "DEPLOY_LOCK_WAIT": wait}
    )
    v1 = make_site(tmp_path / "v1", pages=5)
    v2 = make_site(tmp_path / "v2", pages=5, css=CSS_V2, body="Version 2")
    env = {**aws_env, "SLOW_COPY": "0.1", "PYTHONPATH": str(ROOT)}

    def start(site):
        command = [sys.executable, "-c", SLOW, "publish", str(site), "--settings", str(settings)]
        return subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )

    first = start(v1)
    deadline = time.monotonic() + 30
    while "lock.json" not in store_keys(client, store_of(bucket)):
        assert time.monotonic() < deadline and first.poll() is None
        time.sleep(0.05)
    second = start(v2)
    _, err1 = first.communicate(timeout=60)
    _, err2 = second.communicate(timeout=90)
    assert first.returncode == 0, err1
    if wait:
        assert second.returncode == 0, err2  # it waited for the first, then deployed
        assert public_bytes(client, bucket) == site_files(v2)
        current = read_json(client, store_of(bucket), "current.json")
        previous = read_json(client, store_of(bucket), f"manifests/{current['previous']}.json")
        assert set(previous["files"]) == set(site_files(v1))  # the chain is whole
    else:
        assert second.returncode == 1
        assert "error: another deploy is running on" in err2
        assert public_bytes(client, bucket) == site_files(v1)  # the first one, whole


# --- Takedowns ------------------------------------------------------------------------------


def test_forget_takes_a_file_down_from_the_site_and_every_kept_deploy(
    tmp_path, s3_settings, seaweed, capsys
):
    client, bucket = seaweed.client(), s3_settings["DEPLOY_S3_BUCKET"]
    config = load_config(s3_settings, {})
    settings = write_settings(tmp_path / "publishconf.py", s3_settings)
    v1 = make_site(tmp_path / "v1", pages=4)
    write(v1 / "images/erreur.png", b"\x89PNG published by mistake")
    deploy(v1, config, console=quiet())
    v2 = make_site(tmp_path / "v2", pages=4, body="Version 2")
    write(v2 / "images/erreur.png", b"\x89PNG published by mistake")
    deploy(v2, config, console=quiet())
    secret = hashlib.sha256(b"\x89PNG published by mistake").hexdigest()
    assert f"objects/{secret}" in bucket_state(client, store_of(bucket))

    assert main(["forget", "/images/erreur.png", "--settings", str(settings)]) == 0
    out = capsys.readouterr().out
    assert "deleted images/erreur.png from" in out
    assert anonymous_status(seaweed.endpoint, bucket, "images/erreur.png") in (403, 404)
    store = bucket_state(client, store_of(bucket))
    assert f"objects/{secret}" not in store
    for key, (data, _, _) in store.items():
        if key.endswith(".json"):
            assert "images/erreur.png" not in json.loads(data)["files"], key
    rollback(config, console=quiet())  # v1 again, without the file taken down
    assert "images/erreur.png" not in public_bytes(client, bucket)
    assert public_bytes(client, bucket)["index.html"] == site_files(v1)["index.html"]

    assert main(["forget", "images/erreur.png", "--settings", str(settings)]) == 1
    assert "images/erreur.png is neither online nor in any kept deploy" in capsys.readouterr().err
