"""The body pipeline: every change our plugins make to an article's or a page's body, in order.

Pelican renders ``content`` from the body its reader produced; our plugins change that body
after reading (French typography, image sizes, interview headings, links on mentions). Each such
change is a *transform*: a plugin registers, in its ``register()``, a function that plans it for
one build::

    pipeline.register_transform(plan_typography)

A plan (``Plan``) has a name and a priority (higher runs first, as Python-Markdown orders its
processors) and says, for each content object, what the transform needs to know of it
(``job_of``; ``SKIP`` leaves it alone); its ``rewrite(body, job)`` is a pure function returning
the new body, or a ``Rewritten`` with *notes*: by-products that the plugin reads back after the
run (the words counted for a reading time, the answers of an interview, the glossary terms an
article uses) with ``outcome(generators).notes(content, name)``.

One runner applies every plan once per build, in ``all_generators_finalized`` (every article and
page is read, static files are known, tags are filed): the bodies as read go through the
transforms in priority order, on both cores (``speed.map_in_processes``), remembered from one warm
build to the next in one memo keyed by the body as read, each plan's ``inputs`` and each job
(``speed.BuildMemo``, ``CACHE_PATH/body-pipeline.pickle``), then Pelican's memoized renderings of
the changed objects are dropped (``compat.forget_rendered``). The outcome is kept on the first
generator: it is the build's marker that the bodies are done. A plugin that needs notes calls
``outcome(generators)``, which runs the pipeline if it has not run yet, so receivers need not be
connected in any particular order.

Why hand-written: Pelican has no notion of a post-reading body transform (its content cache
stores bodies as read, so any change must be made again on every build), and Python-Markdown's
registries work on one Markdown document, not on Pelican's content objects.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from blinker import signal
from pelican import signals

from . import compat
from .contents import all_contents
from .speed import BuildMemo, compute_with_memo

SKIP = None  # what ``job_of`` returns for a content object the transform leaves alone
OUTCOME_ATTRIBUTE = "body_pipeline"  # on the build's first generator
MEMO_NAME = "body-pipeline"

# Receivers take the build's generators and return a ``Plan`` (or None: not this build).
planners = signal("sens-du-client.body-transforms")


@dataclass(frozen=True)
class Rewritten:
    """A new body, and what the transform noted while rewriting it."""

    body: str
    notes: Any = None


@dataclass(frozen=True)
class Plan:
    """What one transform does to this build's bodies."""

    name: str
    priority: int  # higher runs first
    rewrite: Callable[[str, Any], str | Rewritten]  # pure: (body, job) -> new body
    job_of: Callable[[Any], Any] = lambda content: ()  # SKIP: leave that content alone
    inputs: Any = ()  # what ``rewrite`` depends on besides body and job (stable ``repr``)


@dataclass
class Outcome:
    """The result of this build's run: notes by content object and transform."""

    plans: tuple[Plan, ...] = ()
    by_content: dict[int, dict[str, Any]] = field(default_factory=dict)
    jobs: dict[int, tuple] = field(default_factory=dict)  # each plan's job, by content object

    def notes(self, content, name: str, default=None):
        """What transform ``name`` noted of ``content`` (``default`` if it was skipped)."""
        return self.by_content.get(id(content), {}).get(name, default)


def register_transform(planner: Callable[[Sequence], Plan | None]) -> None:
    """Add a transform to every build: ``planner(generators)`` returns its ``Plan``."""
    planners.connect(planner)
    signals.all_generators_finalized.connect(run)


def outcome(generators: Sequence) -> Outcome:
    """This build's outcome, running the pipeline first if it has not run yet."""
    run(generators)
    return getattr(generators[0], OUTCOME_ATTRIBUTE)


def run(generators: Sequence) -> None:
    """Apply every planned transform to every body of this build, once."""
    if not generators or hasattr(generators[0], OUTCOME_ATTRIBUTE):
        return
    plans = sorted(
        (plan for _, plan in planners.send(generators) if plan is not None),
        key=lambda plan: -plan.priority,
    )
    contents = list({id(c): c for g in generators for c in all_contents(g)}.values())
    result = Outcome(tuple(plans))
    setattr(generators[0], OUTCOME_ATTRIBUTE, result)
    if not plans or not contents:
        return
    memo = BuildMemo(generators[0].settings, MEMO_NAME, *code_folders(plans))
    shared = memo.key(*((plan.name, plan.priority, plan.inputs) for plan in plans))
    bodies = [compat.body(content) for content in contents]
    jobs = [tuple(plan.job_of(content) for plan in plans) for content in contents]
    keys = [memo.key(shared, body, job) for body, job in zip(bodies, jobs, strict=True)]
    results = compute_with_memo(
        memo, keys, lambda index: apply_plans(plans, bodies[index], jobs[index])
    )
    changed = []
    for content, body, job, (new_body, notes) in zip(contents, bodies, jobs, results, strict=True):
        result.by_content[id(content)] = notes
        result.jobs[id(content)] = job
        if new_body != body:
            compat.set_body(content, new_body)
            changed.append(content)
    memo.save()
    compat.forget_rendered(changed)


def rewrite_again(generators: Sequence, content, body: str) -> tuple[str, dict] | None:
    """What this build's plans make of another body of ``content`` (its jobs unchanged), and
    their notes; None when the pipeline did not see ``content``. For a live preview, which
    takes an edit of a body alone when nothing but the body changed."""
    result = getattr(generators[0], OUTCOME_ATTRIBUTE, None) if generators else None
    if result is None or id(content) not in result.jobs:
        return None
    return apply_plans(result.plans, body, result.jobs[id(content)])


def apply_plans(plans: Sequence[Plan], body: str, jobs: Sequence) -> tuple[str, dict]:
    """The body once every plan has rewritten it in turn, and their notes by name."""
    notes = {}
    for plan, job in zip(plans, jobs, strict=True):
        if job is SKIP:
            continue
        rewritten = plan.rewrite(body, job)
        if isinstance(rewritten, Rewritten):
            body, notes[plan.name] = rewritten.body, rewritten.notes
        else:
            body = rewritten
    return body, notes


def code_folders(plans: Sequence[Plan]) -> list[str]:
    """The folders of the code that rewrites bodies: a change there invalidates the memo."""
    modules = {getattr(plan.rewrite, "func", plan.rewrite).__module__ for plan in plans}
    folders = {os.path.dirname(os.path.abspath(sys.modules[name].__file__)) for name in modules}
    return sorted(folders)
