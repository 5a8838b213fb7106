"""Command line: ``python -m deploy publish OUTPUT --settings publishconf.py [--dry-run]
[--force]``, ``python -m deploy rollback --settings publishconf.py [--dry-run]`` and
``python -m deploy forget PATH --settings publishconf.py`` (a takedown); ``--break-lock`` clears
the lock a dead deploy left.

Exit status: 0 on success, 1 on any failure (gates, settings, target), 130 when interrupted.
"""

from __future__ import annotations

import argparse
import os
import runpy
import sys
from pathlib import Path

from rich.console import Console

from deploy.config import DeployError, load_config
from deploy.core import deploy, forget, rollback

INTERRUPTED = 130


def read_settings(path: Path) -> dict:
    """The UPPER_CASE names of a Pelican settings file (it may import pelicanconf beside it)."""
    if not path.is_file():
        raise DeployError(f"{path}: no such settings file (give --settings publishconf.py)")
    folder = str(path.resolve().parent)
    sys.path.insert(0, folder)  # so that "from pelicanconf import *" finds its neighbour
    try:
        names = runpy.run_path(str(path))
    finally:
        sys.path.remove(folder)
    return {name: value for name, value in names.items() if name.isupper()}


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(prog="python -m deploy", description=__doc__)
    commands = main_parser.add_subparsers(dest="command", required=True)
    publish = commands.add_parser("publish", help="check the built site and send it")
    publish.add_argument("output", type=Path, help="the built site, e.g. output")
    publish.add_argument("--force", action="store_true", help="allow deleting many pages")
    back = commands.add_parser("rollback", help="put the previous deploy back online")
    takedown = commands.add_parser(
        "forget", help="remove a file from the site online and from every kept deploy"
    )
    takedown.add_argument("path", help="the file or page, e.g. 2021/03/retracted/")
    for command in (publish, back):
        command.add_argument("--dry-run", action="store_true", help="show changes, send nothing")
    for command in (publish, back, takedown):
        command.add_argument("--settings", type=Path, default=Path("publishconf.py"))
        command.add_argument(
            "--break-lock", action="store_true", help="clear the lock a dead deploy left"
        )
    return main_parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = parser().parse_args(argv)
    console = Console()
    errors = Console(stderr=True)
    try:
        config = load_config(read_settings(args.settings), os.environ)
        if args.command == "publish":
            deploy(
                args.output,
                config,
                dry_run=args.dry_run,
                force=args.force,
                console=console,
                break_lock=args.break_lock,
            )
        elif args.command == "rollback":
            rollback(config, dry_run=args.dry_run, console=console, break_lock=args.break_lock)
        else:
            forget(config, args.path, console=console, break_lock=args.break_lock)
    except DeployError as error:
        errors.print(f"error: {error}", markup=False, highlight=False, soft_wrap=True, style="red")
        return 1
    except KeyboardInterrupt:
        errors.print(
            "interrupted: the site online is still whole; run the same command again to finish",
            markup=False,
            highlight=False,
        )
        return INTERRUPTED
    return 0


if __name__ == "__main__":
    sys.exit(main())
