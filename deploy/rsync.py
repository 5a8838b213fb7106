"""Publish with rsync to a local directory or over SSH (``user@host:/path/``).

rsync compares by checksum (``--checksum``) and writes each file to a temporary name before
renaming it. The site goes in four passes, so that every page online always finds what it links
to: new assets, new pages (``--ignore-existing``: no page online links to them yet), changed
assets, then changed pages with the deletions at the very end (``--delete-after``). An
interrupted deploy is completed by the next run: rsync sends what still differs.

Private files (hidden paths such as ``.git/``, ``.env``, and the deny list of ``deploy.site``)
are excluded from every pass; rsync also leaves the destination's own hidden files (a
``.htaccess``) alone, since excluded names are never deleted.

One deploy at a time: a lock directory beside the destination (``/var/www/site.deploy-lock``,
outside what the web server shows), created with ``mkdir``, which fails if it exists, over SSH
for a remote destination. It holds the owner and the expiry; ``--break-lock`` removes a stale one.

SSH options (port, key) come from ~/.ssh/config or the ``RSYNC_RSH`` environment variable.
Rollback is not offered: the destination keeps no history (rebuild an older commit instead).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from deploy import lock
from deploy.config import DeployConfig, DeployError
from deploy.plan import Change, Plan, progress_bar
from deploy.site import DENIED_NAMES, LocalFile, html_pages

BASE_OPTIONS = ("-a", "--checksum", "--itemize-changes")
# Never sent, never deleted at the destination: hidden names at any depth, and the deny list.
PRIVATE = tuple(f"--exclude={pattern}" for pattern in (".*", *DENIED_NAMES))
PAGES = ("--exclude=*.html", "--exclude=*.htm")
# The passes of a deploy, in order (the last one deletes).
PASSES = (
    ("new assets", ("--ignore-existing", *PAGES)),
    ("new pages", ("--ignore-existing",)),
    ("changed assets", PAGES),
    ("changed pages", ("--delete-after",)),
)
# A remote destination has a colon before its first slash (host:path, user@host:path).
REMOTE = re.compile(r"^[^/]*:")
LOCK_SUFFIX = ".deploy-lock"


@dataclass(frozen=True)
class Prepared:
    plan: Plan


@dataclass(frozen=True)
class Item:
    """One line of ``--itemize-changes``: a file sent, or deleted."""

    path: str
    sent: bool
    deleted: bool
    new: bool


def is_remote(dest: str) -> bool:
    return bool(REMOTE.match(dest)) or dest.startswith("rsync://")


def parse_itemized(line: str) -> Item | None:
    """Files from an itemize line (``>f+++++++++ a.html``, ``*deleting   b.html``)."""
    code, _, path = line.rstrip("\n").partition(" ")
    path = path.lstrip(" ")
    if not path or path.endswith("/"):
        return None  # directories, blank lines
    if code == "*deleting":
        return Item(path, sent=False, deleted=True, new=False)
    if len(code) == 11 and code[0] in "<>" and code[1] == "f":
        return Item(path, sent=True, deleted=False, new=code[2:] == "+" * 9)
    return None


def _rsync() -> str:
    found = shutil.which("rsync")
    if not found:
        raise DeployError("rsync is not installed: apt-get install rsync")
    return found


def _command(site_dir: Path, config: DeployConfig, *options: str) -> list[str]:
    source = f"{Path(site_dir)}/"
    return [_rsync(), *BASE_OPTIONS, *PRIVATE, *options, source, config.rsync_dest]


def _run(command: list[str], on_item=None) -> list[Item]:
    """Run rsync, collecting itemized files; a failure raises a one-line DeployError."""
    items = []
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        for line in process.stdout:
            item = parse_itemized(line)
            if item:
                items.append(item)
                if on_item:
                    on_item(item)
        errors = process.stderr.read().strip().splitlines()
        code = process.wait()
    if code != 0:
        detail = errors[0] if errors else f"exit status {code}"
        raise DeployError(f"rsync failed: {detail}")
    return items


def _local_size(config: DeployConfig, path: str) -> int | None:
    if is_remote(config.rsync_dest):
        return None
    file = Path(config.rsync_dest) / path
    return file.stat().st_size if file.is_file() else None


def prepare(site_dir: Path, files: dict[str, LocalFile], config: DeployConfig) -> Prepared:
    """Ask rsync what it would change (``--dry-run``; reads only)."""
    dest = config.rsync_dest
    if not is_remote(dest) and not Path(dest).parent.is_dir():
        raise DeployError(f"DEPLOY_RSYNC_DEST {dest}: its parent directory does not exist")
    items = _run(_command(site_dir, config, "--dry-run", "--delete-after"))
    sent = [i for i in items if i.sent]
    deleted = [i for i in items if i.deleted]
    new_pages = {i.path for i in sent if i.new}
    online_pages = len([p for p in html_pages(files) if p not in new_pages])
    online_pages += len(html_pages([i.path for i in deleted]))
    plan = Plan(
        target=dest,
        uploads=tuple(
            Change(i.path, files[i.path].size if i.path in files else None, i.new) for i in sent
        ),
        deletes=tuple(Change(i.path, _local_size(config, i.path)) for i in deleted),
        unchanged=len(files) - len(sent),
        online_pages=online_pages,
    )
    return Prepared(plan)


def send(prepared: Prepared, site_dir: Path, config: DeployConfig, console: Console) -> int:
    """New files, then changed ones, assets before pages, deletions last; returns the bytes
    sent."""
    plan = prepared.plan
    sizes = {change.path: change.size or 0 for change in plan.uploads}
    sent: set[str] = set()
    with progress_bar(console) as progress:
        task = progress.add_task("uploading", total=len(plan.uploads) + len(plan.deletes))

        def advance(item: Item) -> None:
            if item.path not in sent:
                progress.advance(task)
            if item.sent:
                sent.add(item.path)

        for name, options in PASSES:
            progress.update(task, description=name)
            _run(_command(site_dir, config, *options), advance)
    return sum(sizes.get(path, 0) for path in sent)


# --- The lock -------------------------------------------------------------------------------


def lock_place(dest: str) -> tuple[str | None, str]:
    """(SSH host or None, path of the lock directory): beside the destination, not in it."""
    host = None
    path = dest
    if REMOTE.match(dest):
        host, _, path = dest.partition(":")
    path = path.rstrip("/") or "."
    return host, path + LOCK_SUFFIX


def _remote_shell(host: str, script: str) -> subprocess.CompletedProcess:
    """Run a shell script on the destination's host the way rsync reaches it (RSYNC_RSH)."""
    ssh = shlex.split(os.environ.get("RSYNC_RSH") or "ssh")
    return subprocess.run(
        [*ssh, host, script], capture_output=True, text=True, timeout=60, check=False
    )


def _take(host: str | None, path: str, owner: dict) -> bool:
    """Create the lock directory with the owner's record; False if it exists."""
    record = json.dumps(owner)
    if host is None:
        try:
            os.mkdir(path)
        except FileExistsError:
            return False
        Path(path, "owner.json").write_text(record, encoding="utf-8")
        return True
    quoted = shlex.quote(path)
    script = f"mkdir {quoted} 2>/dev/null || exit 3; printf %s {shlex.quote(record)} > "
    result = _remote_shell(host, script + f"{quoted}/owner.json")
    if result.returncode == 3:
        return False
    if result.returncode != 0:
        detail = (result.stderr.strip().splitlines() or [f"exit status {result.returncode}"])[0]
        raise DeployError(f"cannot take the deploy lock on {host}: {detail}")
    return True


def _read(host: str | None, path: str) -> dict:
    if host is None:
        text = Path(path, "owner.json").read_text(encoding="utf-8") if Path(path).is_dir() else ""
    else:
        text = _remote_shell(host, f"cat {shlex.quote(path)}/owner.json").stdout
    try:
        return json.loads(text)
    except ValueError:
        return {}


def _clear(host: str | None, path: str, token: str | None = None) -> None:
    """Remove the lock directory; with a token, only if the lock is still that one."""
    if host is None:
        if token is None or _read(None, path).get("token") == token:
            shutil.rmtree(path, ignore_errors=True)
        return
    quoted = shlex.quote(path)
    script = f"rm -rf {quoted}"
    if token is not None:  # one connection: checked and removed there
        script = f"grep -qF {shlex.quote(token)} {quoted}/owner.json 2>/dev/null && {script}"
    _remote_shell(host, script)


@contextmanager
def locked(config: DeployConfig, console: Console, break_lock: bool = False):
    """Hold the destination's deploy lock for the block (a lock left by a process of this
    machine that is gone is cleared)."""
    host, path = lock_place(config.rsync_dest)
    token = lock.new_token()
    deadline = time.time() + config.lock_wait
    while True:
        now = time.time()
        if _take(host, path, lock.record(token, config.lock_expiry, now)):
            break
        held = _read(host, path)
        if not held and now < deadline + 5:
            time.sleep(0.2)  # being taken: its record is not written yet
            continue
        if break_lock or lock.is_dead_here(held):
            why = "--break-lock" if break_lock else "its process is gone"
            console.print(f"lock of {held.get('owner', '?')} cleared ({why})", markup=False)
            _clear(host, path)
            break_lock = False
            continue
        if now >= deadline or now >= float(held.get("expires_at", 0)):
            raise DeployError(lock.held_message(held, config.describe(), now))
        time.sleep(1.0)
    try:
        yield
    finally:
        _clear(host, path, token)  # never another deploy's lock
