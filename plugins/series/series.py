"""Series (rubriques): numbered episode titles, a page and a feed per series, episode navigation.

What it adds, for articles with ``Series: <name>`` (defined in ``data/series.yml``) and an
optional ``Series_number:``:

- Numbering: fixed numbers are kept; the other episodes are numbered 1, 2, 3… in date order,
  skipping the numbers already taken. Recomputed from every episode on each build, so adding an
  old episode renumbers the others, with or without the content cache.
- Titles: ``article.title`` becomes the display title (``title_format`` of the series, default
  ``"{series} ({number}) : {title}"``), so every place that shows a title (page, ``<title>``,
  listings, archives, tags, feeds, search, social cards) shows it; the author's title stays in
  ``article.bare_title``. With ``typography_fr`` in ``PLUGINS`` both are typeset as text.
  Titles are set in ``article_generator_finalized`` (the first signal that sees cached
  articles too): a plugin that copies titles in that same signal must come after ``series``
  in ``PLUGINS``; anything later (other ``*_finalized`` receivers, templates, feeds) sees them.
- ``article.series``: an ``Episode`` (``name``, ``slug``, ``url``, ``description``, ``number``,
  ``count``, ``episodes``, ``previous``, ``next``, ``series``), shown by
  ``partials/series_nav.html``. Drafts and hidden articles get a number after the published
  episodes but are not listed in the series (``episode.listed`` is false).
- Pages: ``/series/{slug}/`` (template ``series.html``: ``series`` and the paginated
  ``articles`` in episode order), ``/series/`` (template ``series_list.html``), and the Atom feed
  ``/feeds/series/{slug}.atom.xml``.
- Template variable ``series_list``: every series that has published episodes, the most
  recently updated first (``Series`` objects: ``name``, ``slug``, ``url``, ``description``,
  ``episodes``, ``count``, ``first``, ``latest``, ``feed_url``).

Settings (defaults in ``SETTINGS_DEFAULTS``): ``SERIES_URL``, ``SERIES_SAVE_AS``,
``SERIES_LIST_URL``, ``SERIES_LIST_SAVE_AS``, ``SERIES_FEED_ATOM`` (``None``: no feeds),
``SERIES_PAGINATION`` (episodes per series page; ``None``: one page),
``SERIES_TITLE_FORMAT`` (the default ``title_format``).

Errors, reported as ``path:line: message`` (dev builds go on, strict builds fail): a series
that ``series.yml`` does not define (with the closest name; the article is shown as a plain
article), two episodes with the same number (both files named), a ``Series_number`` that is not
a positive integer, a ``title_format`` with an unknown placeholder, a malformed ``series.yml``.

Why not ``pelican-series`` (3.1.1 on PyPI): its ``series_index`` is a position, not a number
(forced indexes are put first, then the others by date, so "episode 4" does not stay 4), it
has no data file, no title format, no series pages or feeds, keeps its results in module-level
dicts that survive autoreload, and crashes on a non-numeric index instead of naming the file.
Extending it would have meant replacing all of it.
"""

from __future__ import annotations

import logging
import os
import string
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import yaml
from pelican import signals
from pelican.urlwrappers import URLWrapper

from plugins.core import (
    ContentError,
    closest,
    data_path,
    header_line,
    plugin_enabled,
    read_data_file,
    shown_path,
)
from plugins.core.settings import PluginSettings
from plugins.typography_fr import typesetter

logger = logging.getLogger(__name__)

PLUGIN_NAME = "series"
DATA_FILE = "series.yml"
SETTINGS_DEFAULTS = {
    "SERIES_URL": "series/{slug}/",
    "SERIES_SAVE_AS": "series/{slug}/index.html",
    "SERIES_LIST_URL": "series/",
    "SERIES_LIST_SAVE_AS": "series/index.html",
    "SERIES_FEED_ATOM": "feeds/series/{slug}.atom.xml",
    "SERIES_PAGINATION": 10,
    "SERIES_TITLE_FORMAT": "{series} ({number}) : {title}",
}
PLACEHOLDERS = ("series", "number", "title")
ENTRY_KEYS = ("slug", "description", "title_format")
TEMPLATE = "series"
LIST_TEMPLATE = "series_list"


# --- Pure core ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesSpec:
    """One series as ``series.yml`` defines it."""

    name: str
    slug: str | None = None
    description: str = ""
    title_format: str = SETTINGS_DEFAULTS["SERIES_TITLE_FORMAT"]


@dataclass(frozen=True)
class EpisodeEntry:
    """What numbering needs to know of one episode."""

    key: int
    path: str
    date: datetime
    fixed: int | None = None


@dataclass(frozen=True)
class Numbering:
    """Numbers by entry key; ``duplicates`` pairs (entry, entry that already had the number)."""

    numbers: Mapping[int, int]
    duplicates: tuple[tuple[EpisodeEntry, EpisodeEntry], ...] = ()


def title_format_problem(title_format: object) -> str | None:
    """Why a ``title_format`` cannot be used, or None when it can."""
    if not isinstance(title_format, str):
        return "title_format doit être un texte"
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(title_format) if name]
    except ValueError as exc:
        return f"title_format illisible ({exc}) ; écrivez {{{{ et }}}} pour des accolades"
    for name in fields:
        if name not in PLACEHOLDERS:
            guess = closest(name, PLACEHOLDERS)
            maybe = f" ; vouliez-vous dire {{{guess}}} ?" if guess else ""
            allowed = ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)
            return f"title_format : {{{name}}} inconnu (possibles : {allowed}){maybe}"
    if "title" not in fields:
        return "title_format sans {title} : tous les épisodes auraient le même titre"
    try:
        format_title(title_format, "série", 1, "titre")
    except (ValueError, IndexError, KeyError, AttributeError) as exc:
        return f"title_format illisible ({exc})"
    return None


def format_title(title_format: str, series: str, number: int, title: str) -> str:
    """The display title of an episode."""
    return title_format.format(series=series, number=number, title=title)


def parse_series_data(data: object, default_format: str) -> tuple[dict[str, SeriesSpec], list]:
    """The series of a parsed ``series.yml`` and its problems as ``(keys, message, hint)``.

    ``keys`` locate the problem in the file: ``()`` for the whole file, ``(name,)`` for a series,
    ``(name, key)`` for one of its settings.
    """
    specs: dict[str, SeriesSpec] = {}
    problems: list[tuple[tuple[str, ...], str, str]] = []
    if data is None:
        return specs, problems
    if not isinstance(data, Mapping):
        problems.append(((), "doit associer chaque nom de série à ses réglages", ""))
        return specs, problems
    for name, entry in data.items():
        name = str(name)
        if entry is None:
            entry = {}
        if not isinstance(entry, Mapping):
            message = f"« {name} » : attendu slug, description, title_format"
            problems.append(((name,), message, ""))
            continue
        for key in entry:
            if key not in ENTRY_KEYS:
                guess = closest(str(key), ENTRY_KEYS)
                hint = f"vouliez-vous dire « {guess} » ?" if guess else ""
                problems.append(((name, str(key)), f"« {name} » : clé inconnue « {key} »", hint))
        title_format = entry.get("title_format", default_format)
        problem = title_format_problem(title_format)
        if problem:
            problems.append(((name, "title_format"), f"« {name} » : {problem}", ""))
            title_format = default_format
        slug = entry.get("slug")
        specs[name] = SeriesSpec(
            name=name,
            slug=str(slug) if slug else None,
            description=str(entry.get("description") or "").strip(),
            title_format=title_format,
        )
    return specs, problems


def parse_episode_number(raw: object) -> int | None:
    """A ``Series_number`` as an int (None when absent); ValueError unless a positive integer."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise ValueError(raw)
    number = int(str(raw).strip())
    if number < 1:
        raise ValueError(raw)
    return number


def number_episodes(entries: Iterable[EpisodeEntry], taken: Iterable[int] = ()) -> Numbering:
    """Fixed numbers first (the earliest episode keeps a disputed one), then 1, 2, 3… by date.

    Automatic numbers skip the numbers in ``taken`` and those fixed by the entries; an episode
    whose fixed number was already taken is numbered automatically.
    """
    ordered = sorted(entries, key=lambda e: (e.date, e.path))
    used = set(taken)
    owners: dict[int, EpisodeEntry] = {}
    numbers: dict[int, int] = {}
    duplicates = []
    for entry in ordered:
        if entry.fixed is None:
            continue
        if entry.fixed in owners or entry.fixed in used:
            duplicates.append((entry, owners.get(entry.fixed)))
        else:
            owners[entry.fixed] = entry
            numbers[entry.key] = entry.fixed
    used.update(owners)
    candidate = 1
    for entry in ordered:
        if entry.key in numbers:
            continue
        while candidate in used:
            candidate += 1
        numbers[entry.key] = candidate
        used.add(candidate)
    return Numbering(numbers, tuple(duplicates))


def settings_problems(settings: Mapping) -> list[tuple[str, str]]:
    """Every unusable ``SERIES_*`` setting, as (name, message)."""
    problems = []
    for name in ("SERIES_URL", "SERIES_SAVE_AS", "SERIES_LIST_URL", "SERIES_LIST_SAVE_AS"):
        if not isinstance(settings.get(name), str):
            problems.append((name, f"{name} must be a string"))
    feed = settings.get("SERIES_FEED_ATOM")
    if feed is not None and not isinstance(feed, str):
        problems.append(("SERIES_FEED_ATOM", "SERIES_FEED_ATOM must be a string or None"))
    size = settings.get("SERIES_PAGINATION")
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 1):
        problems.append(
            ("SERIES_PAGINATION", "SERIES_PAGINATION must be a positive integer or None")
        )
    problem = title_format_problem(settings.get("SERIES_TITLE_FORMAT"))
    if problem:
        problems.append(("SERIES_TITLE_FORMAT", f"SERIES_TITLE_FORMAT: {problem}"))
    return problems


def yaml_key_lines(text: str) -> dict[tuple[str, ...], int]:
    """The line (1-based) of each series and of each of its keys in ``series.yml``."""
    lines: dict[tuple[str, ...], int] = {}
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return lines
    if not isinstance(root, yaml.MappingNode):
        return lines
    for key_node, value_node in root.value:
        name = str(key_node.value)
        lines[(name,)] = key_node.start_mark.line + 1
        if isinstance(value_node, yaml.MappingNode):
            for sub_key, _ in value_node.value:
                lines[(name, str(sub_key.value))] = sub_key.start_mark.line + 1
    return lines


# --- Pelican objects ------------------------------------------------------------------------


class Series(URLWrapper):
    """A series with its URL (``SERIES_URL``/``SERIES_SAVE_AS``) and its published episodes."""

    def __init__(self, spec: SeriesSpec, settings: Mapping, description: str = ""):
        super().__init__(spec.name, settings)
        if spec.slug:
            self.slug = spec.slug
        self.description = description or spec.description
        self.title_format = spec.title_format
        self.episodes: tuple = ()  # in episode order
        self.first = self.latest = None  # by date

    def set_episodes(self, episodes: Sequence) -> None:
        """The published episodes, in episode order."""
        self.episodes = tuple(episodes)
        by_date = sorted(self.episodes, key=_date_order)
        self.first, self.latest = (by_date[0], by_date[-1]) if by_date else (None, None)

    @property
    def count(self) -> int:
        return len(self.episodes)

    @property
    def feed_url(self) -> str | None:
        feed = self.settings.get("SERIES_FEED_ATOM")
        return feed.format(slug=self.slug) if feed else None


@dataclass(frozen=True, eq=False)
class Episode:
    """An article's place in its series (``article.series``)."""

    series: Series
    number: int
    previous: object = None
    next: object = None
    listed: bool = True

    name = property(lambda self: self.series.name)
    slug = property(lambda self: self.series.slug)
    url = property(lambda self: self.series.url)
    description = property(lambda self: self.series.description)
    episodes = property(lambda self: self.series.episodes)
    count = property(lambda self: self.series.count)

    def __str__(self) -> str:
        return self.series.name


SETTINGS = PluginSettings(PLUGIN_NAME, SETTINGS_DEFAULTS, settings_problems)


# --- Adapters (signal receivers) ------------------------------------------------------------


def configure(pelican) -> None:
    """Apply the defaults, report unusable settings once, paginate series pages."""
    settings = pelican.settings
    if not plugin_enabled(settings, PLUGIN_NAME):
        return
    SETTINGS.configure(pelican)
    if settings["SERIES_PAGINATION"]:
        settings["PAGINATED_TEMPLATES"] = {
            **(settings.get("PAGINATED_TEMPLATES") or {}),
            TEMPLATE: settings["SERIES_PAGINATION"],
        }


def build_series(generator) -> None:
    """Number every episode, set display titles and ``article.series``, publish ``series_list``."""
    settings = generator.settings
    if not plugin_enabled(settings, PLUGIN_NAME):
        return
    context = generator.context
    typeset = typesetter(settings)
    specs, usable = _read_specs(context, settings)
    series = {
        name: Series(spec, settings, typeset(spec.description)) for name, spec in specs.items()
    }
    _check_slugs(series.values(), context)

    published = [a for a in generator.articles if _series_name(a)]
    unlisted = [a for a in (*generator.drafts, *generator.hidden_articles) if _series_name(a)]
    groups: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
    for listed, articles in ((True, published), (False, unlisted)):
        for article in articles:
            name = _series_name(article)
            if name in series:
                groups[name][0 if listed else 1].append(article)
            else:
                if usable:
                    _report_unknown(article, name, series)
                article.series = None

    for name, (listed, others) in groups.items():
        _number_series(series[name], listed, others, typeset)

    context["series_list"] = sorted(
        (s for s in series.values() if s.episodes),
        key=lambda s: (s.latest.date, s.slug),
        reverse=True,
    )


def write_series(generator, writer) -> None:
    """Write each series page (paginated), the list of series, and each series feed."""
    settings = generator.settings
    if not plugin_enabled(settings, PLUGIN_NAME):
        return
    context = generator.context
    all_series = context.get("series_list", [])
    relative = settings.get("RELATIVE_URLS", False)
    template = generator.get_template(TEMPLATE)
    for series in all_series:
        episodes = list(series.episodes)
        writer.write_file(
            series.save_as,
            template,
            context,
            relative_urls=relative,
            paginated={"articles": episodes},
            template_name=TEMPLATE,
            url=series.url,
            series=series,
            articles=episodes,
            page_name=series.page_name,
        )
        if series.feed_url:
            newest_first = sorted(episodes, key=_date_order, reverse=True)
            writer.write_feed(newest_first, context, series.feed_url, feed_title=series.name)
    writer.write_file(
        settings["SERIES_LIST_SAVE_AS"],
        generator.get_template(LIST_TEMPLATE),
        context,
        relative_urls=relative,
        url=settings["SERIES_LIST_URL"],
        template_name=LIST_TEMPLATE,
    )


def register():
    signals.initialized.connect(configure)
    signals.article_generator_finalized.connect(build_series)
    signals.article_writer_finalized.connect(write_series)


# --- Helpers of the adapters ----------------------------------------------------------------


def _read_specs(context: dict, settings: Mapping) -> tuple[dict[str, SeriesSpec], bool]:
    """The series of ``series.yml``, problems reported; False when the file is unreadable."""
    path = data_path(context, DATA_FILE)
    missing = object()
    data = read_data_file(context, DATA_FILE, default=missing)
    if data is missing:
        # Unreadable: read_data_file has reported it with its line; absent: every name is unknown.
        return {}, not os.path.exists(path)
    specs, problems = parse_series_data(data, settings["SERIES_TITLE_FORMAT"])
    if problems:
        with open(path, encoding="utf-8") as source:
            lines = yaml_key_lines(source.read())
        for keys, message, hint in problems:
            line = (lines.get(keys) or lines.get(keys[:1])) if keys else None
            logger.error("%s", ContentError(shown_path(path), line, message, hint))
    return specs, True


def _check_slugs(all_series: Iterable[Series], context: dict) -> None:
    owners: dict[str, Series] = {}
    for series in all_series:
        if series.slug in owners:
            logger.error(
                "%s",
                ContentError(
                    shown_path(data_path(context, DATA_FILE)),
                    None,
                    f"« {series.name} » et « {owners[series.slug].name} » ont le même slug "
                    f"« {series.slug} »",
                    "donnez un slug à l'une d'elles",
                ),
            )
        owners.setdefault(series.slug, series)


def _date_order(article) -> tuple:
    return (article.date, article.source_path)


def _series_name(article) -> str:
    return str(article.metadata.get("series") or "").strip()


def _report_unknown(article, name: str, series: Mapping[str, Series]) -> None:
    guess = closest(name, series)
    if guess:
        hint = f"vouliez-vous dire « {guess} » ?"
    elif series:
        hint = "séries définies : " + ", ".join(f"« {n} »" for n in series)
    else:
        hint = "définissez-la dans data/series.yml"
    path = article.source_path
    message = f"série « {name} » inconnue de data/{DATA_FILE}"
    logger.error("%s", ContentError(shown_path(path), header_line(path, "series"), message, hint))


def _entries(articles: Sequence, start: int) -> list[EpisodeEntry]:
    """Numbering entries of articles (keys from ``start``), bad numbers reported."""
    entries = []
    for key, article in enumerate(articles, start=start):
        raw = article.metadata.get("series_number")
        try:
            fixed = parse_episode_number(raw)
        except ValueError:
            path = article.source_path
            logger.error(
                "%s",
                ContentError(
                    shown_path(path),
                    header_line(path, "series_number"),
                    f"Series_number « {raw} » n'est pas un entier positif",
                    "l'épisode est numéroté par sa date",
                ),
            )
            fixed = None
        entries.append(EpisodeEntry(key, article.source_path, article.date, fixed))
    return entries


def _report_duplicates(series: Series, numbering: Numbering) -> None:
    for entry, owner in numbering.duplicates:
        other = shown_path(owner.path) if owner else "un autre épisode"
        message = f"épisode n° {entry.fixed} de « {series.name} » déjà pris par {other}"
        logger.error(
            "%s",
            ContentError(
                shown_path(entry.path),
                header_line(entry.path, "series_number"),
                message,
                "changez l'un des Series_number",
            ),
        )


def _number_series(series: Series, listed: list, others: list, typeset) -> None:
    """Number one series' episodes, then set their titles and ``article.series``."""
    entries = _entries(listed, 0)
    numbering = number_episodes(entries)
    _report_duplicates(series, numbering)
    numbers = {id(a): numbering.numbers[e.key] for a, e in zip(listed, entries, strict=True)}
    episodes = sorted(listed, key=lambda a: (numbers[id(a)], a.date, a.source_path))
    series.set_episodes(episodes)

    # Drafts and hidden episodes come after the published ones and never take their numbers.
    owners = {numbering.numbers[e.key]: e for e in entries}
    other_entries = _entries(others, len(listed))
    other_numbering = number_episodes(other_entries, taken=owners)
    duplicates = tuple((e, o or owners.get(e.fixed)) for e, o in other_numbering.duplicates)
    _report_duplicates(series, Numbering(other_numbering.numbers, duplicates))
    for index, article in enumerate(episodes):
        previous = episodes[index - 1] if index else None
        following = episodes[index + 1] if index + 1 < len(episodes) else None
        _set_episode(article, Episode(series, numbers[id(article)], previous, following), typeset)
    for article, entry in zip(others, other_entries, strict=True):
        number = other_numbering.numbers[entry.key]
        _set_episode(article, Episode(series, number, listed=False), typeset)


def _set_episode(article, episode: Episode, typeset) -> None:
    # The cache stores articles as read (before this signal), so metadata["title"] is the
    # author's title on each build; bare_title guards against a second pass in the same build.
    bare = getattr(article, "bare_title", None) or article.metadata.get("title", article.title)
    article.bare_title = typeset(bare)
    title = typeset(format_title(episode.series.title_format, episode.name, episode.number, bare))
    article.title = article.metadata["title"] = title
    article.series = episode
    article.series_number = episode.number
