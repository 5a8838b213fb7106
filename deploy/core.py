"""Gates, then the target: the one path every deploy, dry run and rollback takes."""

from __future__ import annotations

import time
from contextlib import nullcontext
from pathlib import Path

from rich.console import Console

from deploy import ghpages, rsync, s3
from deploy.config import DeployConfig, DeployError
from deploy.gates import GateProblem, check_shrink, check_site
from deploy.plan import DeploySummary, Plan, print_plan
from deploy.site import scan_site

TARGETS = {"s3": s3, "rsync": rsync, "ghpages": ghpages}


class GateError(DeployError):
    """The site failed one or more gates; nothing was sent."""

    def __init__(self, problems: list[GateProblem]):
        self.problems = problems
        count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
        super().__init__(f"deploy refused, {count} found: nothing was sent")


def _say(console: Console, text: str, style: str | None = None) -> None:
    console.print(text, markup=False, highlight=False, soft_wrap=True, style=style)


def _gates(site_dir: Path, config: DeployConfig, force: bool):
    """(problems, prepared target plan or None)."""
    files = scan_site(site_dir)
    problems = check_site(site_dir, config.site_url, config.search_enabled)
    try:
        prepared = TARGETS[config.target].prepare(site_dir, files, config)
    except DeployError as error:
        return [*problems, GateProblem("target", config.describe(), str(error))], None
    return problems + check_shrink(prepared.plan, config.max_deleted_pages, force), prepared


def run_gates(site_dir, config: DeployConfig, force: bool = False) -> list[GateProblem]:
    """Every reason not to deploy this build to this target (an empty list means go)."""
    return _gates(Path(site_dir), config, force)[0]


def _locked(config: DeployConfig, console: Console, break_lock: bool, dry_run: bool):
    """The target's deploy lock for a run that changes it (a dry run only reads)."""
    target = TARGETS[config.target]
    if dry_run or not hasattr(target, "locked"):
        return nullcontext()
    return target.locked(config, console, break_lock)


def _summary(plan: Plan, sent: int, start: float, dry_run: bool) -> DeploySummary:
    return DeploySummary(
        target=plan.target,
        uploaded=len(plan.uploads),
        unchanged=plan.unchanged,
        deleted=len(plan.deletes),
        bytes_sent=plan.upload_bytes if dry_run else sent,
        seconds=time.monotonic() - start,
        dry_run=dry_run,
    )


def deploy(
    site_dir,
    config: DeployConfig,
    dry_run: bool = False,
    force: bool = False,
    console=None,
    break_lock: bool = False,
) -> DeploySummary:
    """Check the build, then send what changed, holding the target's lock; raises GateError
    or DeployError on failure."""
    console = console or Console()
    start = time.monotonic()
    site_dir = Path(site_dir)
    with _locked(config, console, break_lock, dry_run):
        problems, prepared = _gates(site_dir, config, force)
        if prepared and dry_run:
            print_plan(prepared.plan, console)
        if problems:
            for problem in problems:
                _say(console, str(problem), "red")
            raise GateError(problems)
        sent = 0
        if not dry_run:
            sent = TARGETS[config.target].send(prepared, site_dir, config, console)
    summary = _summary(prepared.plan, sent, start, dry_run)
    _say(console, summary.line())
    return summary


def rollback(
    config: DeployConfig, dry_run: bool = False, console=None, break_lock: bool = False
) -> DeploySummary:
    """Put the previous deploy back online (S3: byte for byte; GitHub Pages: previous commit)."""
    console = console or Console()
    start = time.monotonic()
    target = TARGETS[config.target]
    if not hasattr(target, "rollback"):
        raise DeployError(
            f"rollback is not available for DEPLOY_TARGET={config.target}: "
            "check out the previous version and publish it again"
        )
    with _locked(config, console, break_lock, dry_run):
        plan = target.rollback(config, console, dry_run=dry_run)
    if dry_run:
        print_plan(plan, console)
    summary = _summary(plan, 0, start, dry_run)
    _say(console, summary.line())
    return summary


def forget(config: DeployConfig, path: str, console=None, break_lock: bool = False) -> list[str]:
    """Take one file down: from the site online and from every kept deploy (a takedown)."""
    console = console or Console()
    target = TARGETS[config.target]
    if not hasattr(target, "forget"):
        raise DeployError(
            f"DEPLOY_TARGET={config.target} keeps no earlier deploys: remove the file's source, "
            "build and publish again (the file is then deleted from the destination)"
        )
    with _locked(config, console, break_lock, dry_run=False):
        done = target.forget(config, path, console)
    for line in done:
        _say(console, line)
    return done
