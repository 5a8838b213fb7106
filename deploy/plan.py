"""What a deploy would change, what it did, and how both are shown to the maintainer."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)


@dataclass(frozen=True)
class Change:
    """One file to send (new or changed) or to delete; size is None when unknown."""

    path: str
    size: int | None
    new: bool = False


@dataclass(frozen=True)
class Plan:
    """The difference between the built site and what is online."""

    target: str
    uploads: tuple[Change, ...]
    deletes: tuple[Change, ...]
    unchanged: int
    online_pages: int

    @property
    def upload_bytes(self) -> int:
        return sum(change.size or 0 for change in self.uploads)

    @property
    def deleted_pages(self) -> list[str]:
        return [c.path for c in self.deletes if c.path.endswith((".html", ".htm"))]


@dataclass(frozen=True)
class DeploySummary:
    """What a deploy (or a rollback, or a dry run) did."""

    target: str
    uploaded: int
    unchanged: int
    deleted: int
    bytes_sent: int
    seconds: float
    dry_run: bool = False

    def line(self) -> str:
        """The one summary line: ``uploaded N, unchanged N, deleted N (X MB in Y s)``."""
        counts = f"uploaded {self.uploaded}, unchanged {self.unchanged}, deleted {self.deleted}"
        size = f"{self.bytes_sent / 1_000_000:.1f} MB in {self.seconds:.1f} s"
        prefix = "dry run, nothing sent: would have " if self.dry_run else ""
        return f"{prefix}{counts} ({size})"

    def __str__(self) -> str:
        return self.line()


def megabytes(size: int | None) -> str:
    return "?" if size is None else f"{size / 1_000_000:.2f} MB"


def print_plan(plan: Plan, console: Console) -> None:
    """List what a deploy would upload and delete, with counts and sizes (dry run)."""
    say = lambda text: console.print(text, markup=False, highlight=False, soft_wrap=True)  # noqa: E731
    new = sum(1 for c in plan.uploads if c.new)
    say(f"Dry run for {plan.target}:")
    say(
        f"would upload {len(plan.uploads)} files ({new} new, {len(plan.uploads) - new} changed), "
        f"{megabytes(plan.upload_bytes)}"
    )
    for change in plan.uploads:
        say(f"  {'+' if change.new else '~'} {change.path} ({megabytes(change.size)})")
    known = [c.size for c in plan.deletes if c.size is not None]
    deleted_size = f", {megabytes(sum(known))}" if known else ""
    say(f"would delete {len(plan.deletes)} files{deleted_size}")
    for change in plan.deletes:
        say(f"  - {change.path} ({megabytes(change.size)})")
    say(f"unchanged {plan.unchanged} files")


def progress_bar(console: Console) -> Progress:
    """The upload progress bar (drawn only on a terminal)."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
