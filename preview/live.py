"""The live build behind ``make serve``: Pelican loaded once, building again in the same process
on every save.

A build in a fresh ``pelican`` process pays Python's and Pelican's start-up, every import of
our plugins and of Markdown, and Jinja's first compilations before it reads a file. The live
site pays them once: ``LiveSite.build(changed)`` runs Pelican's own ``run()`` again with the
warm settings (content cache loaded, output folder kept), so ``site_writer`` keeps every page
whose inputs did not change and only the pages an edit touches are rendered and written. Every
kind of edit goes through that one path, which is why the served output is the output of a cold
build of the same content (``tests/preview/test_equivalence.py``): there is no second,
hand-kept model of which page shows what.

Before building, the files of the save are checked on their own (``check_changed``): a Markdown
file Pelican could not read, a data file YAML refuses, a template Jinja cannot parse, a settings
file Python cannot compile stop the build there, so the previous good pages stay served while
the problem is shown (``Outcome.problems``, each with its path and line). Problems logged during
a build that went on (an unknown tag, a questionnaire mismatch) are reported the same way.

A change of our plugins' Python code cannot be taken by a live process (its modules are
loaded): ``needs_restart`` tells the caller to start the process again.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import time
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from plugins.core import compat

logger = logging.getLogger(__name__)

# What ``make serve`` passes: a warm build, the output folder kept for site_writer, which keeps
# each page's call for the quick path of an edited body.
WARM_SETTINGS = {
    "CACHE_CONTENT": True,
    "LOAD_CONTENT_CACHE": True,
    "DELETE_OUTPUT_DIRECTORY": False,
    "SITE_WRITER_KEEP_CALLS": True,
}
# "path:line: message" (ContentError) or "path: message", as our plugins log problems.
PROBLEM_LINE = re.compile(r"^(?P<path>[^\s:][^:\n]*?)(?::(?P<line>\d+))?: (?P<message>.+)$", re.S)
TEMPLATE_SUFFIXES = (".html", ".xml", ".txt", ".j2", ".jinja")
MARKUP_SUFFIXES = (".md", ".markdown", ".mkd", ".mdown")
DATA_SUFFIXES = (".yml", ".yaml", ".json")


@dataclass(frozen=True)
class Problem:
    """One problem to show: where (the file as the author knows it, and its line) and what."""

    path: str
    line: int | None
    message: str
    blocking: bool = False  # the build was not run: the previous pages are still served

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}" if where else self.message


@dataclass(frozen=True)
class Outcome:
    """What one live build did."""

    seconds: float
    written: tuple[str, ...] = ()  # output files (relative) written or removed by the build
    problems: tuple[Problem, ...] = ()
    built: bool = True  # False when a check of the saved files stopped it
    quick: bool = False  # only the pages of an edited body: a whole build is still owed

    @property
    def blocked(self) -> bool:
        return not self.built


@dataclass
class LastBuild:
    """What the quick path needs of the last whole build: its generators and its writer."""

    generators: list
    writer: object


@dataclass
class LiveSite:
    """One site built again and again in this process (settings, content and output folders)."""

    settings_file: Path
    content: Path
    output: Path
    overrides: dict = field(default_factory=dict)
    last: LastBuild | None = field(default=None, repr=False)
    owed: bool = False  # a quick path ran since the last whole build
    # Digests of the files quick paths wrote since: the whole build that follows writes them
    # again with the same bytes, which is no news for the pages open.
    quick_digests: dict = field(default_factory=dict, repr=False)

    def settings(self) -> dict:
        """The settings of the next build, read again (a settings edit is taken as it is)."""
        from pelican.settings import read_settings

        override = {
            "PATH": str(self.content),
            "OUTPUT_PATH": str(self.output),
            **WARM_SETTINGS,
            **self.overrides,
        }
        return read_settings(str(self.settings_file), override=override)

    def build(self, changed: Iterable[str | Path] = ()) -> Outcome:
        """Check the saved files, then build the site again in this process (warm)."""
        start = time.perf_counter()
        changed = [Path(p) for p in changed]
        try:
            settings = self.settings()
        except Exception as exc:  # the settings file itself: shown, the last build kept
            problem = exception_problem(exc, self.settings_file)
            return Outcome(time.perf_counter() - start, (), (problem,), built=False)
        blocking = check_changed(settings, self.settings_file, changed)
        if blocking:
            return Outcome(time.perf_counter() - start, (), tuple(blocking), built=False)
        if len(changed) == 1 and self.last is not None:
            written = quick_body_edit(self.last, changed[0])
            if written is not None:
                self.owed = True
                self.quick_digests.update(file_digests(self.output, written))
                return Outcome(time.perf_counter() - start, written, quick=True)
        return self.build_whole(settings, start)

    def settle(self) -> Outcome:
        """The whole build owed after quick paths (feeds of other pages, search index)."""
        return self.build_whole(self.settings(), time.perf_counter())

    def build_whole(self, settings: dict, start: float) -> Outcome:
        self.last, self.owed = None, False  # freed before the next build reads everything
        quick, self.quick_digests = self.quick_digests, {}
        before = output_stamps(self.output)
        kept: list = []
        problems = run_pelican(settings, kept)
        after = output_stamps(self.output)
        written = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
        same = file_digests(self.output, written & quick.keys())
        written -= {path for path, digest in same.items() if quick[path] == digest}
        if kept and not problems:
            self.last = kept[0]
        return Outcome(time.perf_counter() - start, tuple(sorted(written)), tuple(problems))


def quick_body_edit(last: LastBuild, path: Path) -> tuple[str, ...] | None:
    """Write again the pages that show the body of the article or page saved at ``path``, when
    nothing but its body changed; None when that cannot be told (a whole build then runs).

    Nothing but the body: the metadata Pelican's reader gives is the same as at the last
    reading, reading logs nothing, and the body pipeline notes the same things of the new body
    (reading time, glossary terms, interview answers). The pages to write are those site_writer
    counts the body in (the article's own, the listings and feeds given it) and, when the
    summary changed (a first paragraph), those whose dependency record names the article.
    """
    from pelican.contents import Article, Page

    from plugins import fragments
    from plugins.core import pipeline

    writer, generators = last.writer, last.generators
    source = str(path.resolve())
    found = [
        (generator, content)
        for generator in generators
        for content in all_contents(generator)
        if getattr(content, "source_path", None) == source
    ]
    readers = getattr(found[0][0], "readers", None) if len(found) == 1 else None
    if readers is None or not path.is_file():
        return None
    generator, content = found[0]
    before = compat.cached_reading(readers, source)
    if before is None:
        return None
    errors = ErrorRecords(level=logging.WARNING)
    root = logging.getLogger()
    root.addHandler(errors)
    try:
        readers.read_file(
            base_path=generator.path,
            path=os.path.relpath(source, generator.path),
            content_class=Page if isinstance(content, Page) else Article,
            context=generator.context,
        )
    except Exception:
        return None
    finally:
        root.removeHandler(errors)
    after = compat.cached_reading(readers, source)
    if errors.problems or after is None or after[1] != before[1]:
        return None
    if after[0] == before[0]:
        return ()
    rewritten = pipeline.rewrite_again(generators, content, after[0])
    outcome = pipeline.outcome(generators)
    if rewritten is None or rewritten[1] != outcome.by_content.get(id(content)):
        return None
    showing = writer.showing(content)
    if showing is None:
        return None
    old_body, old_summary = compat.body(content), content.summary
    compat.set_body(content, rewritten[0])
    compat.forget_rendered([content])
    if content.summary != old_summary:  # the pages that show its summary too
        touching = writer.touching(content)
        if touching is None:
            compat.set_body(content, old_body)
            compat.forget_rendered([content])
            return None
        showing |= touching
    for environment in writer.environments_of(showing):
        fragments.forget(environment)  # cards of the article, rendered before the edit
    writer.render_again(showing)
    return tuple(sorted(showing))


def all_contents(generator) -> list:
    from plugins.core.contents import all_contents as contents_of

    return list(contents_of(generator))


def run_pelican(settings: dict, kept: list | None = None) -> list[Problem]:
    """One Pelican build with these settings; the problems it logged or raised. ``kept``
    receives the build's ``LastBuild`` when its writer kept its calls."""
    from pelican import Pelican, signals

    # What an earlier build of this process memoized or logged must not shape this one.
    compat.forget_earlier_builds()
    seen: list = []

    def keep_generators(generators):
        seen[:] = [generators]

    signals.all_generators_finalized.connect(keep_generators)
    try:
        pelican = Pelican(settings)
        pelican.run()
    except Exception as exc:
        logger.debug("live build failed", exc_info=True)
        return [exception_problem(exc, None)]
    finally:
        signals.all_generators_finalized.disconnect(keep_generators)
    writer = getattr(pelican, "site_writer", None)
    if kept is not None and seen and writer is not None:
        kept.append(LastBuild(seen[0], writer))
    return [problem_of(message) for message in getattr(pelican, "build_problems", ())]


def problem_of(message: str) -> Problem:
    """A logged problem line, its path and line taken apart when it names them."""
    found = PROBLEM_LINE.match(message)
    if found and ("/" in found["path"] or "." in found["path"]) and " " not in found["path"]:
        line = int(found["line"]) if found["line"] else None
        return Problem(found["path"], line, found["message"])
    return Problem("", None, message)


def exception_problem(exc: BaseException, default_path: Path | None) -> Problem:
    """A Problem for an exception: Jinja's and Python's syntax errors carry a file and a line;
    otherwise the deepest frame in a project file (template, settings) names them."""
    path = getattr(exc, "filename", None)
    line = getattr(exc, "lineno", None)
    if not path:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if not in_library(f.filename)]
        if frames:
            path, line = frames[-1].filename, frames[-1].lineno
    if not path and default_path is not None:
        path = str(default_path)
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return Problem(shown(path) if path else "", line, f"{type(exc).__name__}: {message}", True)


def in_library(filename: str) -> bool:
    return "site-packages" in filename or filename.startswith("<") or "/lib/python" in filename


def shown(path: str | Path) -> str:
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


def file_digests(output: Path, files) -> dict[str, str]:
    """Digests of some output files (those that are gone are left out)."""
    found = {}
    for name in files:
        with contextlib.suppress(OSError):
            found[name] = hashlib.blake2b((output / name).read_bytes(), digest_size=16).hexdigest()
    return found


def output_stamps(output: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of every output file, by relative path."""
    stamps = {}
    root = str(output)
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            try:
                info = os.stat(path)
            except OSError:
                continue
            stamps[os.path.relpath(path, root)] = (info.st_size, info.st_mtime_ns)
    return stamps


# Checking the saved files before a build -------------------------------------------------------


def check_changed(settings: dict, settings_file: Path, changed: list[Path]) -> list[Problem]:
    """Problems that stop the build: saved files Pelican, YAML, Jinja or Python cannot read."""
    problems = []
    content = Path(settings["PATH"]).resolve()
    for path in changed:
        if not path.is_file():
            continue  # deleted: the build takes it away
        resolved = path.resolve()
        if resolved == Path(settings_file).resolve() or path.suffix == ".py":
            problems += check_python(path)
        elif is_inside(resolved, content) and path.suffix in MARKUP_SUFFIXES:
            problems += check_markup(settings, content, resolved)
        elif is_inside(resolved, content) and path.suffix in DATA_SUFFIXES:
            problems += check_data(path)
        elif path.suffix in TEMPLATE_SUFFIXES and not is_inside(resolved, content):
            problems += check_template(path)
    return problems


def is_inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_python(path: Path) -> list[Problem]:
    try:
        compile(path.read_bytes(), str(path), "exec")
    except SyntaxError as exc:
        return [Problem(shown(path), exc.lineno, f"SyntaxError: {exc.msg}", True)]
    return []


def check_data(path: Path) -> list[Problem]:
    from plugins.core.datafiles import DataFileError, load_yaml_file

    if path.suffix == ".json":
        return []  # no JSON data file in the contract yet: the build reports its own problems
    try:
        load_yaml_file(str(path))
    except DataFileError as exc:
        error = exc.error
        return [Problem(error.path, error.line, str(error).split(": ", 1)[-1], True)]
    return []


def check_template(path: Path) -> list[Problem]:
    import jinja2

    try:
        jinja2.Environment().parse(path.read_text(encoding="utf-8"), path.name, str(path))
    except jinja2.TemplateSyntaxError as exc:
        return [Problem(shown(path), exc.lineno, f"TemplateSyntaxError: {exc.message}", True)]
    except UnicodeDecodeError as exc:
        return [Problem(shown(path), None, f"not UTF-8: {exc}", True)]
    return []


def check_markup(settings: dict, content: Path, path: Path) -> list[Problem]:
    """Read one Markdown file as the build would (our checking reader included); the errors it
    logs or raises stop the build, since Pelican would drop the file from the site."""
    from pelican.contents import Article, Page
    from pelican.readers import Readers

    relative = str(path.relative_to(content))
    in_pages = any(is_inside(path, content / p) for p in settings.get("PAGE_PATHS", ()))
    errors = ErrorRecords()
    root = logging.getLogger()
    root.addHandler(errors)
    try:
        readers = Readers(settings)
        readers.read_file(
            base_path=str(content),
            path=relative,
            content_class=Page if in_pages else Article,
            context={},
        )
    except Exception as exc:
        if not errors.problems:
            errors.problems.append(exception_problem(exc, path))
    finally:
        root.removeHandler(errors)
    return [Problem(p.path or shown(path), p.line, p.message, True) for p in errors.problems]


class ErrorRecords(logging.Handler):
    """The ERROR records logged while a saved file is checked, as problems."""

    def __init__(self, level: int = logging.ERROR):
        super().__init__(level=level)
        self.problems: list[Problem] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.problems.append(problem_of(record.getMessage()))


def needs_restart(changed: Iterable[str | Path], code_folder: Path) -> bool:
    """Whether a saved file is Python code of ours the live process has loaded."""
    folder = code_folder.resolve()
    return any(Path(p).suffix == ".py" and is_inside(Path(p).resolve(), folder) for p in changed)
