"""Search: a Pagefind index of the articles, rebuilt at the end of every build, and /recherche/.

What it adds:

- The page ``/recherche/`` (template ``search.html``; settings ``SEARCH_URL``, ``SEARCH_SAVE_AS``)
  where the Pagefind UI, in French, searches titles and bodies of articles and filters them by
  category, series and format (interview or not). It reads ``?q=``, so the header's plain GET
  form (``partials/search_box.html``) leads to the results, and search engines can link to it.
- After every build (``finalized``: ``pelican -s publishconf.py``, ``make build`` and the dev
  server alike), the Pagefind index in ``pagefind/`` of the output. Only pages marked
  ``data-pagefind-body`` (the article element) are indexed, so pages like "À propos" are not.
- Template variables: the settings ``SEARCH_URL`` and ``SEARCH_BUNDLE_DIR``.

Settings (defaults in ``SETTINGS_DEFAULTS``): ``SEARCH_ENABLED`` (False skips Pagefind, for
fast test builds; the page is still written), ``SEARCH_URL``, ``SEARCH_SAVE_AS``,
``SEARCH_BUNDLE_DIR`` (where the index goes in the output), ``SEARCH_EXCLUDE_SELECTORS``
(parts of an article that are not its text: meta line, series navigation, guest card),
``SEARCH_TIMEOUT`` (seconds).

French elisions: Pagefind splits words on the straight apostrophe (``d'entreprise`` is indexed
as ``entreprise`` too) but not on the typographic one the site prints, so ``l’entreprise``
would be one word that a search for "entreprise" never finds. Pagefind therefore reads a
copy of each searchable page in which an apostrophe between two letters is straight, and
writes its index into the real output (``--output-path``); the search page turns typed
apostrophes straight (``processTerm``) and shows excerpts with typographic ones again.

A Pagefind failure (binary missing, bad exit, timeout) is logged as one error naming the
cause, so strict builds fail; never a traceback. Why hand-written: Pagefind does the search;
no maintained Pelican plugin runs it (pelican-search drives Stork, which is archived), and
none knows about French elisions: this is the few lines of glue.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from authoring import apply_defaults, plugin_enabled
from pelican import signals
from pelican.generators import Generator

logger = logging.getLogger(__name__)

PLUGIN_NAME = "search"
TEMPLATE = "search"
SETTINGS_DEFAULTS = {
    "SEARCH_ENABLED": True,
    "SEARCH_URL": "recherche/",
    "SEARCH_SAVE_AS": "recherche/index.html",
    "SEARCH_BUNDLE_DIR": "pagefind",
    "SEARCH_EXCLUDE_SELECTORS": (".article-meta", ".series-nav", ".guest-card"),
    "SEARCH_TIMEOUT": 120,
}
SETTING_TYPES = {
    "SEARCH_ENABLED": bool,
    "SEARCH_URL": str,
    "SEARCH_SAVE_AS": str,
    "SEARCH_BUNDLE_DIR": str,
    "SEARCH_EXCLUDE_SELECTORS": (list, tuple),
    "SEARCH_TIMEOUT": (int, float),
}
# The marker Pagefind looks for; a page without it is not indexed.
SEARCHABLE_MARKER = "data-pagefind-body"
# A typographic apostrophe (as a character or an entity) between two letters: an elision
# (l’entreprise, qu’il) or a contraction (aujourd’hui). Letters only: not ’ before a digit.
ELISION = re.compile(r"(?<=[^\W\d_])(?:’|&rsquo;|&#8217;|&#x2019;)(?=[^\W\d_])")
# The text between two tags (Pagefind reads it); attributes are inside tags, left alone.
TEXT = re.compile(r"(?<=>)[^<]+")


class SearchIndexError(Exception):
    """Pagefind could not index the site; the message names the cause, in French."""


def split_elisions(html: str) -> str:
    """The page with straight apostrophes inside words of its text, so Pagefind indexes both
    parts; attributes (filter values such as a series name) keep their typographic ones."""
    return TEXT.sub(lambda text: ELISION.sub("'", text.group()), html)


def settings_problems(settings: Mapping) -> list[tuple[str, str]]:
    """``(name, message)`` for every search setting of the wrong type."""
    problems = []
    for name, expected in SETTING_TYPES.items():
        value = settings.get(name, SETTINGS_DEFAULTS[name])
        wrong = not isinstance(value, expected) or (
            expected is not bool and isinstance(value, bool)
        )
        if wrong:
            problems.append((name, f"{name} = {value!r} n'est pas utilisable"))
    return problems


def searchable_pages(output: Path, bundle_dir: str) -> Iterator[tuple[Path, str]]:
    """``(relative path, html)`` of every written page marked for the index, in path order."""
    for path in sorted(output.rglob("*.html")):
        relative = path.relative_to(output)
        if relative.parts[0] == bundle_dir:
            continue
        html = path.read_text(encoding="utf-8")
        if SEARCHABLE_MARKER in html:
            yield relative, html


def prepare_pages(pages: list[tuple[Path, str]], copy: Path) -> None:
    """Copy the searchable pages into ``copy``, elisions split."""
    for relative, html in pages:
        target = copy / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(split_elisions(html), encoding="utf-8")


def index_digest(pages: list[tuple[Path, str]], command: list[str]) -> str:
    """A fingerprint of what Pagefind would index, and how."""
    digest = hashlib.sha256(" ".join(command[3:]).encode("utf-8"))
    for relative, html in pages:
        digest.update(str(relative).encode("utf-8") + b"\0" + html.encode("utf-8") + b"\0")
    return digest.hexdigest()


def index_is_current(record: Path, output: Path, bundle: Path, digest: str) -> bool:
    """Whether the bundle in the output was made by Pagefind from exactly these pages."""
    try:
        known = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        known == {"output": str(output.resolve()), "digest": digest}
        and (bundle / "pagefind-ui.js").exists()
    )


def pagefind_command(site: Path, bundle: Path, exclude_selectors=()) -> list[str]:
    """The Pagefind command indexing ``site`` into ``bundle``."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(bundle)]
    for selector in exclude_selectors:
        command += ["--exclude-selectors", selector]
    return [*command, "--quiet"]


def last_line(text: str) -> str:
    """The last non-empty line of a program's output: usually the reason it failed."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "aucun message"


def check_pagefind() -> None:
    """SearchIndexError naming what is missing when the Pagefind binary cannot be found."""
    try:
        from pagefind.service import get_executable
    except ImportError as exc:
        raise SearchIndexError("le paquet Python pagefind[bin] n'est pas installé") from exc
    binary = get_executable()
    if binary is None:
        raise SearchIndexError("binaire Pagefind introuvable : installez pagefind[bin]")
    if not binary.exists():
        raise SearchIndexError(f"binaire Pagefind introuvable : {binary}")


def build_index(output: Path, settings: Mapping) -> int:
    """Index the searchable pages of a built site; their number. SearchIndexError on failure.

    Pagefind indexes the whole site each time (seconds at blog scale) and names some files
    differently on every run; when the searchable pages are exactly those of the bundle already
    in the output (a warm rebuild where no article changed), the bundle is kept as it is.
    """
    check_pagefind()
    bundle = output / settings["SEARCH_BUNDLE_DIR"]
    pages = list(searchable_pages(output, settings["SEARCH_BUNDLE_DIR"]))
    record = Path(settings["CACHE_PATH"]) / "search-index.json"
    options = pagefind_command(Path("site"), bundle, settings["SEARCH_EXCLUDE_SELECTORS"])
    digest = index_digest(pages, options)
    if index_is_current(record, output, bundle, digest):
        return len(pages)
    shutil.rmtree(bundle, ignore_errors=True)  # no stale fragments from an earlier build
    record.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="search-pages-") as copy:
        prepare_pages(pages, Path(copy))
        command = pagefind_command(Path(copy), bundle, settings["SEARCH_EXCLUDE_SELECTORS"])
        try:
            result = subprocess.run(
                command,
                capture_output=True,
                encoding="utf-8",
                errors="replace",
                timeout=settings["SEARCH_TIMEOUT"],
            )
        except subprocess.TimeoutExpired as exc:
            raise SearchIndexError(
                f"Pagefind n'a pas fini en {settings['SEARCH_TIMEOUT']} s"
            ) from exc
        except OSError as exc:
            raise SearchIndexError(f"Pagefind n'a pas pu être lancé : {exc}") from exc
    if result.returncode != 0:
        reason = last_line(result.stderr or result.stdout)
        raise SearchIndexError(f"Pagefind a échoué (code {result.returncode}) : {reason}")
    if not (bundle / "pagefind-ui.js").exists():
        raise SearchIndexError(f"Pagefind n'a rien écrit dans {bundle}")
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps({"output": str(output.resolve()), "digest": digest}), "utf-8")
    return len(pages)


class SearchPageGenerator(Generator):
    """Writes the search page; Pagefind's UI fills it in the browser."""

    def generate_output(self, writer) -> None:
        writer.write_file(
            self.settings["SEARCH_SAVE_AS"],
            self.get_template(TEMPLATE),
            self.context,
            relative_urls=self.settings.get("RELATIVE_URLS", False),
            template_name=TEMPLATE,
            url=self.settings["SEARCH_URL"],
        )


# --- Pelican adapters -----------------------------------------------------------------------


def _enabled(settings: Mapping, plugin: str = PLUGIN_NAME) -> bool:
    return plugin_enabled(settings, plugin)


def configure(pelican) -> None:
    """Apply the defaults and report unusable settings once per build."""
    settings = pelican.settings
    if not _enabled(settings):
        return
    apply_defaults(settings, SETTINGS_DEFAULTS, settings_problems, logger)


def provide_generator(pelican):
    """The search page's generator, for builds that use this plugin."""
    return SearchPageGenerator if _enabled(pelican.settings) else None


def index_site(pelican) -> None:
    """Run Pagefind over the finished output; a failure is one error naming its cause."""
    settings = pelican.settings
    if not (_enabled(settings) and settings["SEARCH_ENABLED"]):
        return
    try:
        count = build_index(Path(pelican.output_path), settings)
    except SearchIndexError as exc:
        logger.error("Recherche : index non construit. %s", exc)
        return
    logger.info("Recherche : %d page(s) indexée(s) par Pagefind", count)


def register():
    signals.initialized.connect(configure)
    signals.get_generators.connect(provide_generator)
    signals.finalized.connect(index_site)
