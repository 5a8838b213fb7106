"""Publish to S3 (AWS or any S3-compatible server) with exact rollback.

Layout under ``DEPLOY_S3_PREFIX`` in the bucket:

- the site itself, one object per file, with its Content-Type and Cache-Control;
- ``_deploy/objects/<sha256>``: every file of every kept deploy, content-addressed. A file is
  uploaded there once, then copied server-side to its public key: so the bytes of any kept
  deploy stay in the bucket and ``rollback`` restores them exactly, without the build;
- ``_deploy/manifests/<id>.json``: each deploy's files (path → sha256, md5, size, headers) and
  the id of the deploy it replaced; ``_deploy/current.json``: a copy of the live one.

Order, so that a reader never gets a page whose stylesheet is missing: every upload to
``_deploy/objects/`` first (invisible), then public copies by rank (fingerprinted assets, other
assets, data and feeds, pages, section indexes, the home page), then deletions of stale objects,
then the manifest. A deploy stopped anywhere leaves the previous pages working; running it again
compares the public objects (size and MD5 ETag) with the build and completes.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from deploy.config import DeployConfig, DeployError
from deploy.plan import Change, Plan, progress_bar
from deploy.site import LocalFile, html_pages, upload_order, upload_rank

RESERVED = "_deploy/"
OBJECTS = "_deploy/objects/"
MANIFESTS = "_deploy/manifests/"
CURRENT = "_deploy/current.json"
WORKERS = 8
PLAIN_ETAG = re.compile(r"^[0-9a-f]{32}$")
MANIFEST_VERSION = 1


@dataclass(frozen=True)
class Entry:
    """A file as recorded in a manifest."""

    sha256: str
    md5: str
    size: int
    content_type: str
    cache_control: str

    @classmethod
    def of(cls, file: LocalFile) -> Entry:
        return cls(file.sha256, file.md5, file.size, file.content_type, file.cache_control)

    def headers(self) -> tuple[str, str]:
        return self.content_type, self.cache_control


@dataclass(frozen=True)
class Online:
    """A public object as listed: its ETag (without quotes) and size."""

    etag: str
    size: int


@dataclass(frozen=True)
class Prepared:
    """A plan for S3 and what is needed to carry it out."""

    plan: Plan
    desired: dict[str, Entry]
    copies: list[str]
    deletes: list[str]
    bucket: Bucket
    blobs_to_upload: dict[str, str] = field(default_factory=dict)  # sha256 → local path
    manifest: dict | None = None


def make_client(config: DeployConfig):
    """A boto3 S3 client: path-style addressing for non-AWS endpoints, credentials from boto3."""
    import boto3
    from botocore.config import Config

    options = {"retries": {"max_attempts": 5, "mode": "standard"}, "connect_timeout": 10}
    if config.s3_endpoint:
        options["s3"] = {"addressing_style": "path"}
    region = config.s3_region or ("us-east-1" if config.s3_endpoint else None)
    return boto3.session.Session().client(
        "s3",
        endpoint_url=config.s3_endpoint or None,
        region_name=region,
        config=Config(max_pool_connections=WORKERS * 2, **options),
    )


@contextmanager
def s3_errors(config: DeployConfig) -> Iterator[None]:
    """Turn boto3's exceptions into one-line DeployErrors."""
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

    try:
        yield
    except NoCredentialsError:
        raise DeployError(
            "no S3 credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
            "or AWS_PROFILE with ~/.aws/credentials"
        ) from None
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        if code == "NoSuchBucket":
            raise DeployError(
                f"bucket {config.s3_bucket!r} does not exist at {config.s3_endpoint or 'AWS'}: "
                "create it first, or fix DEPLOY_S3_BUCKET"
            ) from None
        raise DeployError(f"S3 error on {config.describe()}: {error}") from None
    except BotoCoreError as error:
        raise DeployError(f"S3 connection failed ({config.describe()}): {error}") from None


class Bucket:
    """The deploy's view of one bucket and prefix."""

    def __init__(self, config: DeployConfig, client=None):
        self.config = config
        self.name = config.s3_bucket
        self.prefix = config.s3_prefix
        self.client = client or make_client(config)

    def key(self, path: str) -> str:
        return self.prefix + path

    def _list(self, prefix: str) -> Iterator[dict]:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.name, Prefix=prefix):
            yield from page.get("Contents", [])

    def online(self) -> dict[str, Online]:
        """The public objects under the prefix, by site path (not the _deploy/ area)."""
        found = {}
        for item in self._list(self.prefix):
            path = item["Key"][len(self.prefix) :]
            if path.startswith(RESERVED) or path.endswith("/") or not path:
                continue
            found[path] = Online(item["ETag"].strip('"'), item["Size"])
        return found

    def blobs(self) -> set[str]:
        """The sha256 of every content-addressed copy kept for rollback."""
        start = self.key(OBJECTS)
        return {item["Key"][len(start) :] for item in self._list(start)}

    def read_json(self, path: str) -> dict | None:
        try:
            body = self.client.get_object(Bucket=self.name, Key=self.key(path))["Body"].read()
        except self.client.exceptions.NoSuchKey:
            return None
        return json.loads(body)

    def write_json(self, path: str, data: dict) -> None:
        self.client.put_object(
            Bucket=self.name,
            Key=self.key(path),
            Body=json.dumps(data, indent=1, sort_keys=True).encode(),
            ContentType="application/json",
            CacheControl="no-cache",
        )

    def upload_blob(self, sha256: str, file: Path) -> None:
        with file.open("rb") as body:
            self.client.put_object(
                Bucket=self.name,
                Key=self.key(OBJECTS + sha256),
                Body=body,
                ContentType="application/octet-stream",
            )

    def publish(self, path: str, entry: Entry) -> None:
        """Copy a kept blob to its public key with the file's headers (server side)."""
        self.client.copy_object(
            Bucket=self.name,
            Key=self.key(path),
            CopySource={"Bucket": self.name, "Key": self.key(OBJECTS + entry.sha256)},
            MetadataDirective="REPLACE",
            ContentType=entry.content_type,
            CacheControl=entry.cache_control,
            Metadata={"sha256": entry.sha256},
        )

    def delete(self, paths: list[str]) -> None:
        for start in range(0, len(paths), 1000):
            batch = paths[start : start + 1000]
            response = self.client.delete_objects(
                Bucket=self.name,
                Delete={"Objects": [{"Key": self.key(p)} for p in batch], "Quiet": True},
            )
            if response.get("Errors"):
                first = response["Errors"][0]
                raise DeployError(f"cannot delete {first['Key']}: {first.get('Message', '')}")


def is_unchanged(entry: Entry, online: Online | None, recorded: Entry | None) -> bool:
    """True when the public object already holds this content with these headers."""
    if online is None or online.size != entry.size:
        return False
    if PLAIN_ETAG.match(online.etag):
        same = online.etag == entry.md5
    else:  # multipart or encrypted objects: trust the manifest
        same = recorded is not None and recorded.sha256 == entry.sha256
    return same and (recorded is None or recorded.headers() == entry.headers())


def entries_of(manifest: dict | None) -> dict[str, Entry]:
    if not manifest:
        return {}
    return {path: Entry(**data) for path, data in manifest["files"].items()}


def diff(desired: dict[str, Entry], online: dict[str, Online], recorded: dict[str, Entry]):
    """(paths to publish, unchanged count, paths to delete) to make ``online`` match."""
    copies = [
        path
        for path, entry in desired.items()
        if not is_unchanged(entry, online.get(path), recorded.get(path))
    ]
    deletes = sorted(set(online) - set(desired))
    return upload_order(copies), len(desired) - len(copies), deletes


def _plan(config, desired, online, copies, unchanged, deletes) -> Plan:
    return Plan(
        target=config.describe(),
        uploads=tuple(Change(p, desired[p].size, p not in online) for p in copies),
        deletes=tuple(Change(p, online[p].size) for p in deletes),
        unchanged=unchanged,
        online_pages=len(html_pages(online)),
    )


def prepare(site_dir: Path, files: dict[str, LocalFile], config: DeployConfig, bucket=None):
    """Compare the build with the bucket (reads only)."""
    bucket = bucket or Bucket(config)
    with s3_errors(config):
        online = bucket.online()
        manifest = bucket.read_json(CURRENT)
        blobs = bucket.blobs()
    desired = {path: Entry.of(file) for path, file in files.items()}
    copies, unchanged, deletes = diff(desired, online, entries_of(manifest))
    to_upload = {}
    for path, entry in desired.items():
        if entry.sha256 not in blobs:
            to_upload.setdefault(entry.sha256, path)
    return Prepared(
        _plan(config, desired, online, copies, unchanged, deletes),
        desired,
        copies,
        deletes,
        bucket,
        to_upload,
        manifest,
    )


def _parallel(function: Callable, items: list, advance: Callable[[], None]) -> None:
    """Run function over items on a few threads; stop at the first failure."""
    if not items:
        return
    with ThreadPoolExecutor(WORKERS) as pool:
        futures = [pool.submit(function, item) for item in items]
        try:
            for future in as_completed(futures):
                future.result()
                advance()
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def _apply(bucket: Bucket, prepared: Prepared, site_dir: Path | None, console: Console) -> int:
    """Upload blobs, publish by rank, delete stale objects; returns the bytes uploaded."""
    blobs = prepared.blobs_to_upload
    steps = len(blobs) + len(prepared.copies) + len(prepared.deletes)
    sent = sum(prepared.desired[path].size for path in blobs.values())
    with progress_bar(console) as progress:
        task = progress.add_task("uploading", total=steps)
        advance = lambda: progress.advance(task)  # noqa: E731
        _parallel(lambda sha: bucket.upload_blob(sha, site_dir / blobs[sha]), list(blobs), advance)
        progress.update(task, description="publishing")
        for _rank, group in itertools.groupby(prepared.copies, key=upload_rank):
            # Each rank is online before the next starts: pages never precede their assets.
            paths = list(group)
            _parallel(lambda p: bucket.publish(p, prepared.desired[p]), paths, advance)
        progress.update(task, description="deleting")
        bucket.delete(prepared.deletes)
        progress.advance(task, len(prepared.deletes))
    return sent


def _manifest_id() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")


def send(prepared: Prepared, site_dir: Path, config: DeployConfig, console: Console) -> int:
    """Carry out the plan, record the manifest, prune old deploys; returns the bytes sent."""
    bucket = prepared.bucket
    with s3_errors(config):
        sent = _apply(bucket, prepared, Path(site_dir), console)
        if prepared.manifest and entries_of(prepared.manifest) == prepared.desired:
            return sent  # same site: a new manifest would only make rollback a no-op
        previous = prepared.manifest["id"] if prepared.manifest else None
        manifest = {
            "version": MANIFEST_VERSION,
            "id": _manifest_id(),
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "previous": previous,
            "files": {p: vars(e) for p, e in sorted(prepared.desired.items())},
        }
        bucket.write_json(f"{MANIFESTS}{manifest['id']}.json", manifest)
        bucket.write_json(CURRENT, manifest)  # the commit point of a deploy
        prune(bucket, manifest, config.s3_keep)
    return sent


def prune(bucket: Bucket, current: dict, keep: int) -> None:
    """Keep the current deploy and the ones before it (``keep`` in all) and their objects."""
    kept, manifest = [], current
    while manifest and len(kept) < keep:
        kept.append(manifest)
        previous = manifest.get("previous")
        manifest = bucket.read_json(f"{MANIFESTS}{previous}.json") if previous else None
    kept_ids = {m["id"] for m in kept}
    needed = {data["sha256"] for m in kept for data in m["files"].values()}
    stale = [
        item["Key"][len(bucket.prefix) :]
        for item in bucket._list(bucket.key(MANIFESTS))
        if item["Key"].rsplit("/", 1)[-1].removesuffix(".json") not in kept_ids
    ]
    stale += [OBJECTS + sha for sha in sorted(bucket.blobs() - needed)]
    bucket.delete(stale)


def rollback(config: DeployConfig, console: Console, dry_run: bool = False, bucket=None):
    """Restore the deploy before the current one, byte for byte; returns (Plan, bytes)."""
    bucket = bucket or Bucket(config)
    with s3_errors(config):
        current = bucket.read_json(CURRENT)
        if not current:
            raise DeployError(f"no deploy recorded in {config.describe()}: nothing to roll back")
        if not current.get("previous"):
            raise DeployError(f"only one deploy recorded in {config.describe()}: no previous one")
        target = bucket.read_json(f"{MANIFESTS}{current['previous']}.json")
        if not target:
            raise DeployError(
                f"the previous deploy {current['previous']} was pruned (DEPLOY_S3_KEEP)"
            )
        desired = entries_of(target)
        missing = sorted({e.sha256 for e in desired.values()} - bucket.blobs())
        if missing:
            raise DeployError(
                f"cannot roll back to {target['id']}: {len(missing)} kept objects are missing "
                f"under {OBJECTS} (first: {missing[0]})"
            )
        online = bucket.online()
        copies, unchanged, deletes = diff(desired, online, entries_of(current))
        plan = _plan(config, desired, online, copies, unchanged, deletes)
        prepared = Prepared(plan, desired, copies, deletes, bucket)
        if not dry_run:
            _apply(bucket, prepared, None, console)
            bucket.write_json(CURRENT, target)
    return prepared.plan
