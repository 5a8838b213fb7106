"""Publish to S3 (AWS or any S3-compatible server) with exact rollback, one deploy at a time.

Two buckets. The site's bucket (``DEPLOY_S3_BUCKET``, under ``DEPLOY_S3_PREFIX``) holds the site
and nothing else: one object per file, with its Content-Type and Cache-Control. The store
(``DEPLOY_S3_STORE_BUCKET``, private, created on first use, same prefix) keeps what rollback and
takedowns need, where the public cannot read it:

- ``objects/<sha256>``: every file of every kept deploy, content-addressed. A file is uploaded
  there once, then copied server-side to its public key, so ``rollback`` restores any kept
  deploy byte for byte without the build;
- ``manifests/<id>.json``: each deploy's files (path → sha256, md5, size, headers) and the id of
  the deploy it replaced; ``current.json``: a copy of the live one;
- ``pending.json``: the deploy under way (its manifest and the steps done), removed when it is
  complete: the next run reads it and completes an interrupted deploy;
- ``lock.json``: created with a conditional put (``If-None-Match: *``), so that only one deploy,
  rollback or takedown runs at a time; it names its owner and when it expires.

Order, so that every page online finds its assets and the pages it links to at every moment:
the kept objects first (invisible), then the files not yet online (new fingerprinted assets,
other assets, new pages: no page online links to them yet), then the files that change (assets
before pages, section indexes and the home page last), then the deletions, then the manifest.
A deploy stopped anywhere leaves a site whose links all work; running it again compares the
public objects (size and MD5 ETag) with the build and completes.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from deploy import lock
from deploy.config import DeployConfig, DeployError
from deploy.plan import Change, Plan, progress_bar
from deploy.site import LocalFile, html_pages, site_path, upload_order, upload_rank

OBJECTS = "objects/"
MANIFESTS = "manifests/"
CURRENT = "current.json"
PENDING = "pending.json"
LOCK = "lock.json"
WORKERS = 8
PLAIN_ETAG = re.compile(r"^[0-9a-f]{32}$")
MANIFEST_VERSION = 2
# Seconds between two looks at another deploy's lock while waiting for it.
LOCK_POLL = 1.0
# What the public bucket answers when a conditional put finds the lock taken.
LOCK_TAKEN = ("PreconditionFailed", "412", "ConditionalRequestConflict", "409")
# The steps of a deploy, in order, as recorded in pending.json.
STEPS = ("kept", "new", "changed", "deleted")


@dataclass(frozen=True)
class Entry:
    """A file as recorded in a manifest."""

    sha256: str
    md5: str
    size: int
    content_type: str
    cache_control: str
    redirect: str = ""  # x-amz-website-redirect-location; absent from older manifests

    @classmethod
    def of(cls, file: LocalFile) -> Entry:
        return cls(
            file.sha256, file.md5, file.size, file.content_type, file.cache_control, file.redirect
        )

    def headers(self) -> tuple[str, str, str]:
        return self.content_type, self.cache_control, self.redirect


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
    buckets: Buckets
    new: frozenset[str] = frozenset()
    blobs_to_upload: dict[str, str] = field(default_factory=dict)  # sha256 → local path
    manifest: dict | None = None
    pending: dict | None = None


def make_client(config: DeployConfig):
    """A boto3 S3 client: path-style addressing for non-AWS endpoints, credentials from boto3."""
    import boto3
    from botocore.config import Config

    options = {"retries": {"max_attempts": 5, "mode": "standard"}, "connect_timeout": 10}
    if config.s3_endpoint:
        options["s3"] = {"addressing_style": "path"}
    return boto3.session.Session().client(
        "s3",
        endpoint_url=config.s3_endpoint or None,
        region_name=region_of(config),
        config=Config(max_pool_connections=WORKERS * 2, **options),
    )


def region_of(config: DeployConfig) -> str | None:
    return config.s3_region or ("us-east-1" if config.s3_endpoint else None)


def error_code(error) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


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
        if error_code(error) == "NoSuchBucket":
            raise DeployError(
                f"bucket {config.s3_bucket!r} does not exist at {config.s3_endpoint or 'AWS'}: "
                "create it first, or fix DEPLOY_S3_BUCKET"
            ) from None
        raise DeployError(f"S3 error on {config.describe()}: {error}") from None
    except BotoCoreError as error:
        raise DeployError(f"S3 connection failed ({config.describe()}): {error}") from None


class Buckets:
    """The deploy's view of the site's bucket and of the private store, under one prefix."""

    def __init__(self, config: DeployConfig, client=None):
        self.config = config
        self.site = config.s3_bucket
        self.store = config.s3_store_bucket
        self.prefix = config.s3_prefix
        self.client = client or make_client(config)

    def key(self, path: str) -> str:
        return self.prefix + path

    def _list(self, bucket: str, prefix: str) -> Iterator[dict]:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
            yield from page.get("Contents", [])

    # --- the public site

    def online(self) -> dict[str, Online]:
        """The public objects under the prefix, by site path: everything there is the site."""
        found = {}
        for item in self._list(self.site, self.prefix):
            path = item["Key"][len(self.prefix) :]
            if path and not path.endswith("/"):
                found[path] = Online(item["ETag"].strip('"'), item["Size"])
        return found

    def publish(self, path: str, entry: Entry) -> None:
        """Copy a kept object to its public key with the file's headers (server side); a
        redirect page also gets S3's website redirect, so the website endpoint answers 301."""
        redirect = {"WebsiteRedirectLocation": entry.redirect} if entry.redirect else {}
        self.client.copy_object(
            Bucket=self.site,
            Key=self.key(path),
            CopySource={"Bucket": self.store, "Key": self.key(OBJECTS + entry.sha256)},
            MetadataDirective="REPLACE",
            ContentType=entry.content_type,
            CacheControl=entry.cache_control,
            Metadata={"sha256": entry.sha256},
            **redirect,
        )

    def unpublish(self, paths: list[str]) -> None:
        self._delete(self.site, paths)

    # --- the private store

    def exists(self, bucket: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_bucket(Bucket=bucket)
        except ClientError as error:
            if error_code(error) in ("404", "NoSuchBucket", "NotFound"):
                return False
            raise
        return True

    def ensure_store(self) -> None:
        """Create the private store on first use (private: S3 buckets are, unless opened); the
        site's bucket must exist (a mistyped name creates nothing)."""
        if self.exists(self.store):
            return
        if not self.exists(self.site):
            where = self.config.s3_endpoint or "AWS"
            raise DeployError(
                f"bucket {self.site!r} does not exist at {where}: create it first, or fix "
                "DEPLOY_S3_BUCKET"
            )
        options = {}
        region = region_of(self.config)
        if region and region != "us-east-1":
            options["CreateBucketConfiguration"] = {"LocationConstraint": region}
        self.client.create_bucket(Bucket=self.store, **options)

    def blobs(self) -> set[str]:
        """The sha256 of every content-addressed copy kept for rollback."""
        start = self.key(OBJECTS)
        return {item["Key"][len(start) :] for item in self._list(self.store, start)}

    def manifest_ids(self) -> list[str]:
        start = self.key(MANIFESTS)
        return sorted(
            item["Key"][len(start) :].removesuffix(".json")
            for item in self._list(self.store, start)
        )

    def read_json(self, path: str) -> dict | None:
        try:
            body = self.client.get_object(Bucket=self.store, Key=self.key(path))["Body"].read()
        except (self.client.exceptions.NoSuchKey, self.client.exceptions.NoSuchBucket):
            return None
        return json.loads(body)

    def write_json(self, path: str, data: dict, **conditions) -> dict:
        return self.client.put_object(
            Bucket=self.store,
            Key=self.key(path),
            Body=json.dumps(data, indent=1, sort_keys=True).encode(),
            ContentType="application/json",
            **conditions,
        )

    def upload_blob(self, sha256: str, file: Path) -> None:
        with file.open("rb") as body:
            self.client.put_object(
                Bucket=self.store,
                Key=self.key(OBJECTS + sha256),
                Body=body,
                ContentType="application/octet-stream",
            )

    def forget(self, paths: list[str]) -> None:
        """Delete objects of the store."""
        self._delete(self.store, paths)

    def _delete(self, bucket: str, paths: list[str]) -> None:
        for start in range(0, len(paths), 1000):
            batch = paths[start : start + 1000]
            response = self.client.delete_objects(
                Bucket=bucket,
                Delete={"Objects": [{"Key": self.key(p)} for p in batch], "Quiet": True},
            )
            if response.get("Errors"):
                first = response["Errors"][0]
                raise DeployError(f"cannot delete {first['Key']}: {first.get('Message', '')}")


# --- The lock -------------------------------------------------------------------------------


def read_lock(buckets: Buckets) -> tuple[dict | None, str | None]:
    """The lock and its ETag, or (None, None)."""
    try:
        got = buckets.client.get_object(Bucket=buckets.store, Key=buckets.key(LOCK))
    except buckets.client.exceptions.NoSuchKey:
        return None, None
    return json.loads(got["Body"].read()), got["ETag"]


def clear_lock(buckets: Buckets, etag: str) -> None:
    """Delete the lock if it is still the one read (``If-Match``): never a newer one."""
    from botocore.exceptions import ClientError

    try:
        buckets.client.delete_object(Bucket=buckets.store, Key=buckets.key(LOCK), IfMatch=etag)
    except ClientError as error:
        if error_code(error) not in LOCK_TAKEN and error_code(error) != "NoSuchKey":
            raise


@contextmanager
def locked(config: DeployConfig, console: Console, break_lock: bool = False, buckets=None):
    """Hold the deploy lock of this site (``lock.json`` in the store) for the block.

    The lock is created with ``If-None-Match: *``: of two deploys, the server lets one create
    it and answers 412 to the other. A lock left by a process of this machine that is gone is
    cleared; another one is waited for (``DEPLOY_LOCK_WAIT``) or refused, naming its owner.
    """
    from botocore.exceptions import ClientError

    buckets = buckets or Buckets(config)
    token = lock.new_token()
    with s3_errors(config):
        buckets.ensure_store()
        deadline = time.time() + config.lock_wait
        while True:
            now = time.time()
            try:
                buckets.write_json(
                    LOCK, lock.record(token, config.lock_expiry, now), IfNoneMatch="*"
                )
                break
            except ClientError as error:
                if error_code(error) not in LOCK_TAKEN:
                    raise
            held, etag = read_lock(buckets)
            if held is None:
                continue  # released meanwhile
            dead = lock.is_dead_here(held)
            if break_lock or dead:
                why = "its process is gone" if dead else "--break-lock"
                _say(console, f"lock of {held.get('owner', '?')} cleared ({why})")
                clear_lock(buckets, etag)
                break_lock = False
                continue
            if now >= deadline or now >= float(held.get("expires_at", 0)):
                raise DeployError(lock.held_message(held, config.describe(), now))
            time.sleep(min(LOCK_POLL, max(0.0, deadline - now)))
    try:
        yield buckets
    finally:
        with s3_errors(config):
            held, etag = read_lock(buckets)
            if held and held.get("token") == token:  # never another deploy's lock
                clear_lock(buckets, etag)


# --- Plans ----------------------------------------------------------------------------------


def is_unchanged(entry: Entry, online: Online | None, recorded: Entry | None) -> bool:
    """True when the public object already holds this content with these headers."""
    if online is None or online.size != entry.size:
        return False
    if PLAIN_ETAG.match(online.etag):
        same = online.etag == entry.md5
    else:  # multipart or encrypted objects: trust the manifest
        same = recorded is not None and recorded.sha256 == entry.sha256
    return same and (recorded is None or recorded.headers() == entry.headers())


def record_of(entry: Entry) -> dict:
    """An entry as a manifest keeps it (no redirect key for the files that are no redirect, so
    manifests written before redirects existed read the same)."""
    record = vars(entry).copy()
    if not record["redirect"]:
        del record["redirect"]
    return record


def entries_of(manifest: dict | None) -> dict[str, Entry]:
    if not manifest:
        return {}
    return {path: Entry(**data) for path, data in manifest["files"].items()}


def diff(desired: dict[str, Entry], online: dict[str, Online], recorded: dict[str, Entry]):
    """(paths to publish, unchanged count, paths to delete) to make ``online`` match: new
    files before changed ones (``upload_order``)."""
    copies = [
        path
        for path, entry in desired.items()
        if not is_unchanged(entry, online.get(path), recorded.get(path))
    ]
    deletes = sorted(set(online) - set(desired))
    new = frozenset(copies) - set(online)
    return upload_order(copies, new), len(desired) - len(copies), deletes


def _plan(config, desired, online, copies, unchanged, deletes) -> Plan:
    return Plan(
        target=config.describe(),
        uploads=tuple(Change(p, desired[p].size, p not in online) for p in copies),
        deletes=tuple(Change(p, online[p].size) for p in deletes),
        unchanged=unchanged,
        online_pages=len(html_pages(online)),
    )


def _prepared(config, buckets, desired, online, manifest, pending, blobs) -> Prepared:
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
        buckets,
        frozenset(copies) - set(online),
        to_upload,
        manifest,
        pending,
    )


def prepare(site_dir: Path, files: dict[str, LocalFile], config: DeployConfig, buckets=None):
    """Compare the build with the bucket (reads only; the store may not exist yet)."""
    buckets = buckets or Buckets(config)
    with s3_errors(config):
        online = buckets.online()
        manifest = buckets.read_json(CURRENT)
        pending = buckets.read_json(PENDING)
        blobs = buckets.blobs() if manifest or pending else set()
    desired = {path: Entry.of(file) for path, file in files.items()}
    return _prepared(config, buckets, desired, online, manifest, pending, blobs)


# --- Carrying a plan out --------------------------------------------------------------------


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


def _apply(prepared: Prepared, site_dir: Path | None, console: Console, step=None) -> int:
    """Upload kept objects, publish new then changed files by rank, delete stale objects;
    ``step(name)`` is told each step done. Returns the bytes uploaded."""
    buckets, blobs = prepared.buckets, prepared.blobs_to_upload
    step = step or (lambda name: None)
    steps = len(blobs) + len(prepared.copies) + len(prepared.deletes)
    sent = sum(prepared.desired[path].size for path in blobs.values())
    with progress_bar(console) as progress:
        task = progress.add_task("uploading", total=steps)
        advance = lambda: progress.advance(task)  # noqa: E731
        _parallel(lambda sha: buckets.upload_blob(sha, site_dir / blobs[sha]), list(blobs), advance)
        step("kept")
        progress.update(task, description="publishing")
        group_of = lambda p: (p in prepared.new, upload_rank(p))  # noqa: E731
        for (new, _rank), group in itertools.groupby(prepared.copies, key=group_of):
            if not new:
                step("new")  # every new file is online
            # Each group is online before the next starts: pages never precede their assets.
            paths = list(group)
            _parallel(lambda p: buckets.publish(p, prepared.desired[p]), paths, advance)
        step("new")
        step("changed")
        progress.update(task, description="deleting")
        buckets.unpublish(prepared.deletes)
        progress.advance(task, len(prepared.deletes))
        step("deleted")
    return sent


def _manifest_id() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")


def _say(console: Console, text: str) -> None:
    console.print(text, markup=False, highlight=False, soft_wrap=True)


def _journal(prepared: Prepared, console: Console) -> dict:
    """The record of this deploy in pending.json: an interrupted one with the same files is
    completed under its own id; one with other files is replaced by this one."""
    files = {p: record_of(e) for p, e in sorted(prepared.desired.items())}
    earlier = prepared.pending
    if earlier:
        what = f"deploy {earlier['id']} (started {earlier['started']} by {earlier['owner']})"
        done = ", ".join(earlier.get("done", [])) or "nothing"
        if earlier["files"] == files:
            _say(console, f"completing the interrupted {what}; done before: {done}")
            return {**earlier, "resumed": lock.iso(time.time())}
        _say(console, f"the interrupted {what} is replaced by this one")
    current = prepared.manifest
    return {
        "version": MANIFEST_VERSION,
        "id": _manifest_id(),
        "owner": lock.owner_name(),
        "started": lock.iso(time.time()),
        "previous": current["id"] if current else None,
        "files": files,
        "done": [],
    }


def send(prepared: Prepared, site_dir: Path, config: DeployConfig, console: Console) -> int:
    """Carry out the plan (under the lock), record the manifest, prune old deploys; returns the
    bytes sent."""
    buckets = prepared.buckets
    with s3_errors(config):
        current = prepared.manifest
        same_site = bool(current) and entries_of(current) == prepared.desired
        if same_site and not (prepared.pending or prepared.copies or prepared.deletes):
            return 0  # the site online: a new manifest would only make rollback a no-op
        buckets.ensure_store()
        journal = _journal(prepared, console)
        buckets.write_json(PENDING, journal)

        def step(name: str) -> None:
            if name not in journal["done"]:
                journal["done"].append(name)
                buckets.write_json(PENDING, journal)

        sent = _apply(prepared, Path(site_dir), console, step)
        if same_site:  # an interrupted deploy of the site already recorded as current
            buckets.forget([PENDING])
            return sent
        manifest = {k: journal[k] for k in ("version", "id", "previous", "files")}
        manifest["created"] = lock.iso(time.time())
        buckets.write_json(f"{MANIFESTS}{manifest['id']}.json", manifest)
        buckets.write_json(CURRENT, manifest)  # the commit point of a deploy
        buckets.forget([PENDING])
        prune(buckets, manifest, config.s3_keep)
    return sent


def kept_chain(buckets: Buckets, current: dict | None, keep: int) -> list[dict]:
    """The current deploy and the ones before it, ``keep`` in all at most."""
    kept, manifest = [], current
    while manifest and len(kept) < keep:
        kept.append(manifest)
        previous = manifest.get("previous")
        manifest = buckets.read_json(f"{MANIFESTS}{previous}.json") if previous else None
    return kept


def prune(buckets: Buckets, current: dict, keep: int) -> None:
    """Keep the current deploy and the ones before it (``keep`` in all) and their objects."""
    kept = kept_chain(buckets, current, keep)
    kept_ids = {m["id"] for m in kept}
    needed = {data["sha256"] for m in kept for data in m["files"].values()}
    stale = [f"{MANIFESTS}{i}.json" for i in buckets.manifest_ids() if i not in kept_ids]
    stale += [OBJECTS + sha for sha in sorted(buckets.blobs() - needed)]
    buckets.forget(stale)


def rollback(config: DeployConfig, console: Console, dry_run: bool = False, buckets=None):
    """Restore the deploy before the current one, byte for byte; returns the Plan."""
    buckets = buckets or Buckets(config)
    with s3_errors(config):
        current = buckets.read_json(CURRENT)
        if not current:
            raise DeployError(f"no deploy recorded in {config.describe()}: nothing to roll back")
        if buckets.read_json(PENDING):
            raise DeployError(
                f"a deploy to {config.describe()} was interrupted: publish again to complete "
                "it, then roll back"
            )
        if not current.get("previous"):
            raise DeployError(f"only one deploy recorded in {config.describe()}: no previous one")
        target = buckets.read_json(f"{MANIFESTS}{current['previous']}.json")
        if not target:
            raise DeployError(
                f"the previous deploy {current['previous']} was pruned (DEPLOY_S3_KEEP)"
            )
        desired = entries_of(target)
        missing = sorted({e.sha256 for e in desired.values()} - buckets.blobs())
        if missing:
            raise DeployError(
                f"cannot roll back to {target['id']}: {len(missing)} kept objects are missing "
                f"under {OBJECTS} of the store (first: {missing[0]})"
            )
        online = buckets.online()
        kept = {entry.sha256 for entry in desired.values()}
        prepared = _prepared(config, buckets, desired, online, current, None, kept)
        if not dry_run:
            _apply(prepared, None, console)
            buckets.write_json(CURRENT, target)
    return prepared.plan


# --- Takedowns ------------------------------------------------------------------------------


def forget(config: DeployConfig, path: str, console: Console, buckets=None) -> list[str]:
    """Remove one file from the site online and from every kept deploy (manifests and kept
    objects no other kept file uses); returns what was changed, for the maintainer."""
    buckets = buckets or Buckets(config)
    target = site_path(path)
    changed: list[str] = []
    with s3_errors(config):
        if target in buckets.online():
            buckets.unpublish([target])
            changed.append(f"deleted {target} from {config.describe()}")
        records = {f"{MANIFESTS}{i}.json": None for i in buckets.manifest_ids()}
        records.update({CURRENT: None, PENDING: None})
        uses: dict[str, int] = {}
        gone: set[str] = set()
        for record in records:
            data = buckets.read_json(record)
            if data is None:
                continue
            entry = data["files"].pop(target, None)
            if entry is not None:
                gone.add(entry["sha256"])
                buckets.write_json(record, data)
                changed.append(f"removed {target} from {record}")
            for kept in data["files"].values():
                uses[kept["sha256"]] = uses.get(kept["sha256"], 0) + 1
        unused = sorted(sha for sha in gone if not uses.get(sha))
        buckets.forget([OBJECTS + sha for sha in unused])
        changed += [f"deleted its kept copy {OBJECTS}{sha}" for sha in unused]
    if not changed:
        where = config.describe()
        raise DeployError(f"{target} is neither online nor in any kept deploy of {where}")
    return changed
