"""The loop of a preview session: wait for saves, build, tell the pages, say it on the terminal."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from .live import LiveSite, Outcome, needs_restart
from .server import Broadcaster

# Milliseconds without a new change before a batch of saves is built (an editor's save can be
# several writes: a temporary file, a rename).
SETTLE_MS = 30
# Milliseconds without a save before the whole build owed after quick paths runs (it takes
# seconds on a big site: an author saving again soon gets the quick path first).
IDLE_MS = 1000


def report(outcome: Outcome, out=sys.stdout) -> None:
    """One line per build on the terminal, then its problems, one per line."""
    if outcome.quick:
        print(
            f"Aperçu : corps de l'article repris en {outcome.seconds:.2f} s, "
            f"{len(outcome.written)} fichier(s) écrit(s) ; la recherche suit",
            file=out,
        )
    elif outcome.blocked:
        print(
            f"Aperçu : modification refusée ({len(outcome.problems)} problème(s)), "
            "les pages précédentes restent servies :",
            file=out,
        )
    else:
        print(
            f"Aperçu : construit en {outcome.seconds:.2f} s, "
            f"{len(outcome.written)} fichier(s) changé(s)",
            file=out,
        )
    for problem in outcome.problems:
        print(f"  {problem}", file=out)
    out.flush()


def watch_and_build(
    site: LiveSite,
    broadcaster: Broadcaster,
    watched: Iterable[Path],
    code_folder: Path | None = None,
    stop: threading.Event | None = None,
    on_outcome: Callable[[Outcome], None] = report,
) -> bool:
    """Build on every batch of saves under ``watched`` until ``stop`` is set; returns True when
    Python code under ``code_folder`` changed and the process must start again."""
    import watchfiles

    folders = [str(path) for path in watched if Path(path).exists()]
    for changes in watchfiles.watch(
        *folders,
        step=SETTLE_MS,
        rust_timeout=IDLE_MS,
        yield_on_timeout=True,
        stop_event=stop,
        raise_interrupt=False,
    ):
        if not changes:
            if not site.owed:
                continue
            outcome = site.settle()
            on_outcome(outcome)
            broadcaster.publish(outcome)
            continue
        paths = sorted({Path(path) for _, path in changes})
        if code_folder is not None and needs_restart(paths, code_folder):
            return True
        outcome = site.build(paths)
        on_outcome(outcome)
        broadcaster.publish(outcome)
    return False
