"""Publish to a GitHub Pages branch with ghp-import, from inside the project's git repository.

The remote branch is fetched into the local one first, so ghp-import's commit extends the
published history (no force push) and ``rollback`` can push a commit restoring the tree of the
commit before. Never forcing is also what keeps two deploys apart: the second push is refused by
the remote (not a fast-forward) and that deploy fails, leaving the first one online.
Only the site's files are committed (ghp-import would take everything, ``.git/`` included).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from deploy.config import DeployConfig, DeployError
from deploy.plan import Change, Plan
from deploy.site import LocalFile, html_pages, site_path


@dataclass(frozen=True)
class Prepared:
    plan: Plan
    paths: tuple[str, ...] = ()  # the site's files (ghp-import would take .git/ and the rest)


@dataclass(frozen=True)
class TreeEntry:
    blob: str
    size: int


def _git(
    config: DeployConfig, *args: str, check: bool = True, env=None, stdin: str | None = None
) -> subprocess.CompletedProcess:
    result = subprocess.run(
        ["git", *args],
        cwd=config.repo_dir,
        capture_output=True,
        text=True,
        check=False,
        env=env,
        input=stdin,
    )
    if check and result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise DeployError(f"git {args[0]} failed: {detail[0] if detail else result.returncode}")
    return result


def git_blob(data: bytes) -> str:
    """The id git gives a file's content."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _branch_ref(config: DeployConfig) -> str:
    return f"refs/heads/{config.ghpages_branch}"


def fetch(config: DeployConfig) -> str | None:
    """Bring the published branch into the local one; its commit, or None if unpublished."""
    if _git(config, "rev-parse", "--git-dir", check=False).returncode != 0:
        raise DeployError(f"{config.repo_dir} is not a git repository: ghp-import needs one")
    if _git(config, "remote", "get-url", config.ghpages_remote, check=False).returncode != 0:
        raise DeployError(
            f"no git remote {config.ghpages_remote!r}: add it (git remote add) "
            "or set DEPLOY_GHPAGES_REMOTE"
        )
    ref = _branch_ref(config)
    remote_has = _git(config, "ls-remote", "--exit-code", config.ghpages_remote, ref, check=False)
    if remote_has.returncode == 0:
        _git(config, "fetch", "--quiet", config.ghpages_remote, f"+{ref}:{ref}")
    found = _git(config, "rev-parse", "--verify", "--quiet", ref, check=False)
    return found.stdout.strip() if found.returncode == 0 else None


def tree(config: DeployConfig, commit: str | None) -> dict[str, TreeEntry]:
    """The files of a commit: path → (blob id, size)."""
    if not commit:
        return {}
    listing = _git(config, "ls-tree", "-r", "-l", "-z", commit).stdout
    entries = {}
    for record in filter(None, listing.split("\0")):
        meta, path = record.split("\t", 1)
        _mode, kind, blob, size = meta.split()
        if kind == "blob":
            entries[path] = TreeEntry(blob, int(size) if size.isdigit() else 0)
    return entries


def local_tree(site_dir: Path, files: dict[str, LocalFile], config: DeployConfig):
    """What ghp-import will commit: the site, .nojekyll and CNAME."""
    entries = {}
    for path in files:
        data = (Path(site_dir) / path).read_bytes()
        entries[path] = TreeEntry(git_blob(data), len(data))
    entries[".nojekyll"] = TreeEntry(git_blob(b""), 0)
    if config.cname:
        data = config.cname.encode()  # ghp-import writes it without a newline
        entries["CNAME"] = TreeEntry(git_blob(data), len(data))
    return entries


def compare(target: str, desired: dict[str, TreeEntry], online: dict[str, TreeEntry]) -> Plan:
    changed = [p for p, e in sorted(desired.items()) if online.get(p) != e]
    deleted = sorted(set(online) - set(desired))
    return Plan(
        target=target,
        uploads=tuple(Change(p, desired[p].size, p not in online) for p in changed),
        deletes=tuple(Change(p, online[p].size) for p in deleted),
        unchanged=len(desired) - len(changed),
        online_pages=len(html_pages(online)),
    )


def prepare(site_dir: Path, files: dict[str, LocalFile], config: DeployConfig) -> Prepared:
    """Compare the build with the published branch (fetches it, pushes nothing)."""
    online = tree(config, fetch(config))
    plan = compare(config.describe(), local_tree(site_dir, files, config), online)
    return Prepared(plan, tuple(sorted(files)))


def send(prepared: Prepared, site_dir: Path, config: DeployConfig, console: Console) -> int:
    """Commit the site to the branch with ghp-import and push it; returns the bytes changed."""
    if not prepared.plan.uploads and not prepared.plan.deletes:
        return 0  # an identical commit would only make rollback a no-op
    command = [sys.executable, "-m", "ghp_import", "-n", "-p", "-m", "Deploy the site"]
    command += ["-b", config.ghpages_branch, "-r", config.ghpages_remote]
    if config.cname:
        command += ["-c", config.cname]
    with tempfile.TemporaryDirectory(prefix="ghpages-") as staged:
        for path in prepared.paths:  # the site's files only: no .git/, no private file
            target = Path(staged, path)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(Path(site_dir, path), target)
        result = subprocess.run(
            [*command, staged],
            cwd=config.repo_dir,
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise DeployError(f"ghp-import failed: {detail[-1] if detail else result.returncode}")
    return prepared.plan.upload_bytes


def _identity(config: DeployConfig) -> dict[str, str]:
    """A committer for the rollback commit when git has none configured."""
    env = dict(os.environ)
    if not _git(config, "config", "user.name", check=False).stdout.strip():
        env.setdefault("GIT_AUTHOR_NAME", "deploy")
        env.setdefault("GIT_COMMITTER_NAME", "deploy")
    if not _git(config, "config", "user.email", check=False).stdout.strip():
        env.setdefault("GIT_AUTHOR_EMAIL", "deploy@localhost")
        env.setdefault("GIT_COMMITTER_EMAIL", "deploy@localhost")
    return env


def rollback(config: DeployConfig, console: Console, dry_run: bool = False) -> Plan:
    """Push a commit restoring the tree of the published commit's parent."""
    tip = fetch(config)
    if not tip:
        raise DeployError(f"{config.describe()} does not exist: nothing to roll back")
    parent = _git(config, "rev-parse", "--verify", "--quiet", f"{tip}^", check=False)
    if parent.returncode != 0:
        raise DeployError(f"{config.describe()} has a single deploy: no previous one")
    previous = parent.stdout.strip()
    plan = compare(config.describe(), tree(config, previous), tree(config, tip))
    if dry_run:
        return plan
    commit = subprocess.run(
        ["git", "commit-tree", f"{previous}^{{tree}}", "-p", tip, "-m", f"Rollback to {previous}"],
        cwd=config.repo_dir,
        capture_output=True,
        text=True,
        env=_identity(config),
        check=False,
    )
    if commit.returncode != 0:
        raise DeployError(f"git commit-tree failed: {commit.stderr.strip()}")
    new = commit.stdout.strip()
    _git(config, "update-ref", _branch_ref(config), new, tip)
    _git(config, "push", "--quiet", config.ghpages_remote, _branch_ref(config))
    return plan


# What a rewritten commit keeps of the original: its authors, dates and message.
KEPT_FIELDS = {
    "GIT_AUTHOR_NAME": "%an",
    "GIT_AUTHOR_EMAIL": "%ae",
    "GIT_AUTHOR_DATE": "%aI",
    "GIT_COMMITTER_NAME": "%cn",
    "GIT_COMMITTER_EMAIL": "%ce",
    "GIT_COMMITTER_DATE": "%cI",
}


def forget(config: DeployConfig, path: str, console: Console) -> list[str]:
    """Take one file out of every published version: the branch's commits made again without
    it (same authors, dates and messages), pushed over the old history with a lease, so that a
    deploy pushed meanwhile makes this fail instead of being lost."""
    target = site_path(path)
    tip = fetch(config)
    if not tip:
        raise DeployError(f"{config.describe()} does not exist: nothing to take down")
    commits = _git(config, "rev-list", "--reverse", "--topo-order", tip).stdout.split()
    rewritten: dict[str, str] = {}
    found = 0
    with tempfile.TemporaryDirectory(prefix="forget-") as scratch:
        index = {**os.environ, "GIT_INDEX_FILE": str(Path(scratch, "index"))}
        for commit in commits:
            if _git(config, "ls-tree", "--name-only", commit, "--", target).stdout.strip():
                found += 1
            _git(config, "read-tree", commit, env=index)
            _git(config, "rm", "--cached", "--ignore-unmatch", "--quiet", "--", target, env=index)
            new_tree = _git(config, "write-tree", env=index).stdout.strip()
            fields = "%x00".join(KEPT_FIELDS.values())
            values = _git(config, "log", "-1", f"--format={fields}", commit).stdout.split("\0")
            message = _git(config, "log", "-1", "--format=%B", commit).stdout
            parents = _git(config, "rev-list", "--parents", "-n", "1", commit).stdout.split()[1:]
            env = {**os.environ, **dict(zip(KEPT_FIELDS, (v.strip() for v in values), strict=True))}
            options = [arg for parent in parents for arg in ("-p", rewritten[parent])]
            made = _git(
                config, "commit-tree", new_tree, *options, "-F", "-", env=env, stdin=message
            )
            rewritten[commit] = made.stdout.strip()
    if not found:
        raise DeployError(f"{target} is in no published version of {config.describe()}")
    ref = _branch_ref(config)
    _git(config, "update-ref", ref, rewritten[tip], tip)
    lease = f"--force-with-lease={ref}:{tip}"
    _git(config, "push", "--quiet", lease, config.ghpages_remote, f"{ref}:{ref}")
    return [
        f"removed {target} from {found} of the {len(commits)} versions of {config.describe()} "
        "(history rewritten and pushed; copies of the old commits elsewhere are not reached)"
    ]
