"""Publish with rsync to a local directory or over SSH (``user@host:/path/``).

rsync compares by checksum (``--checksum``), writes each file to a temporary name before
renaming it, and deletes stale files only at the end (``--delete-after``). The site goes in two
passes, everything but the pages first, so that no new page is online before its assets. SSH
options (port, key) come from ~/.ssh/config or the ``RSYNC_RSH`` environment variable.
Rollback is not offered: the destination keeps no history (rebuild an older commit instead).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from deploy.config import DeployConfig, DeployError
from deploy.plan import Change, Plan, progress_bar
from deploy.site import LocalFile, html_pages

BASE_OPTIONS = ("-a", "--checksum", "--itemize-changes")
PAGES = ("--exclude=*.html", "--exclude=*.htm")
# A remote destination has a colon before its first slash (host:path, user@host:path).
REMOTE = re.compile(r"^[^/]*:")


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
    return [_rsync(), *BASE_OPTIONS, *options, f"{Path(site_dir)}/", config.rsync_dest]


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
    """Assets first, then pages and deletions; returns the bytes sent."""
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

        _run(_command(site_dir, config, *PAGES), advance)
        progress.update(task, description="pages")
        _run(_command(site_dir, config, "--delete-after"), advance)
    return sum(sizes.get(path, 0) for path in sent)
