"""What the import learns from the site itself: its settings, series, questionnaires and tags.

Everything is read from the content folder's ``data/`` files through the plugins' own parsers
(series formats, questionnaire matching, tag aliases), so an import recognises what the build
will recognise, and no series or question is named in this code.
"""

from __future__ import annotations

import os
import re
import string
from dataclasses import dataclass, field

from plugins.core import DataFileError, load_yaml_file, quiet_slug
from plugins.interviews import Questionnaire, parse_questionnaire
from plugins.series import SeriesSpec, parse_series_data
from plugins.tags.taxonomy import Vocabulary, build_vocabulary, parse_tags_data

SETTINGS_DEFAULTS = {
    # How a title names an interview's guest (and company): the group ``guest`` is required.
    "MIGRATE_GUEST_PATTERNS": (
        r"^(?P<guest>[^()]+?)\s*\((?P<company>[^()]+)\)\s+et\s+le\s+Sens\s+du\s+client\b",
        r"^\d+\s+questions?\s+(?:à|a)\s+(?P<guest>[^,:()]+?)(?:\s*\((?P<company>[^()]+)\))?\s*$",
        r"^(?:interview|entretien)\s+(?:avec|de|d['’])\s*(?P<guest>[^,:()]+?)"
        r"(?:\s*\((?P<company>[^()]+)\))?\s*$",
    ),
    # A post's old address when the export does not give it (Movable Type, TypePad, Hautetfort).
    # Placeholders: base (OLD_BASE), year, month, day, basename.
    "MIGRATE_OLD_URL": "{base}/{year}/{month}/{basename}.html",
}
SERIES_DEFAULT_FORMAT = "{series} ({number}) : {title}"
SPACE_RE = r"[\s\u00a0\u202f]*"
APOSTROPHES = "'’‘ʼ"
QUOTES = '"“”«»„'


@dataclass(frozen=True)
class SeriesMatcher:
    """One series and the regular expression its episode titles fit."""

    spec: SeriesSpec
    pattern: re.Pattern
    numbered: bool


@dataclass(frozen=True)
class SiteData:
    """The site's settings and data that the mapper uses."""

    settings: dict
    series: tuple[SeriesMatcher, ...] = ()
    questionnaires: tuple[Questionnaire, ...] = ()
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    guest_patterns: tuple[re.Pattern, ...] = ()
    problems: tuple[str, ...] = ()

    def slug(self, text: str) -> str:
        """The slug the site gives a name (tags, authors, comment ids)."""
        return quiet_slug(text, self.settings)

    def canonical_tag(self, tag: str) -> str:
        """A tag as the site files it: an alias of ``tags.yml`` becomes its tag."""
        return self.vocabulary.by_key.get(self.slug(tag), tag)


def load_site(content: str, settings: dict) -> SiteData:
    """The data files of a content folder, with their problems (the import goes on without)."""
    data_dir = os.path.join(content, settings.get("DATA_DIR", "data"))
    problems: list[str] = []
    series_data = _load(os.path.join(data_dir, "series.yml"), problems)
    default_format = settings.get("SERIES_TITLE_FORMAT", SERIES_DEFAULT_FORMAT)
    specs, series_problems = parse_series_data(series_data, default_format)
    problems += [f"series.yml : {message}" for _, message, _ in series_problems]
    questionnaires = []
    folder = os.path.join(data_dir, settings.get("INTERVIEWS_QUESTIONNAIRES_DIR", "questionnaires"))
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        questionnaire_id, extension = os.path.splitext(name)
        if extension not in (".yml", ".yaml"):
            continue
        parsed, found = parse_questionnaire(
            questionnaire_id, _load(os.path.join(folder, name), problems)
        )
        problems += [f"{name} : {problem.message}" for problem in found]
        if parsed is not None:
            questionnaires.append(parsed)
    tag_specs, tag_problems = parse_tags_data(_load(os.path.join(data_dir, "tags.yml"), problems))
    vocabulary, more = build_vocabulary(tag_specs, lambda name: quiet_slug(name, settings))
    problems += [f"tags.yml : {message}" for _, message, _ in (*tag_problems, *more)]
    patterns = []
    for raw in settings.get("MIGRATE_GUEST_PATTERNS", SETTINGS_DEFAULTS["MIGRATE_GUEST_PATTERNS"]):
        try:
            patterns.append(re.compile(raw, re.IGNORECASE))
        except re.error as exc:
            problems.append(f"MIGRATE_GUEST_PATTERNS : « {raw} » illisible ({exc})")
    return SiteData(
        settings=settings,
        series=tuple(series_matcher(spec) for spec in specs.values()),
        questionnaires=tuple(questionnaires),
        vocabulary=vocabulary,
        guest_patterns=tuple(patterns),
        problems=tuple(problems),
    )


def series_matcher(spec: SeriesSpec) -> SeriesMatcher:
    """The expression a series' titles fit: ``title_format`` with ``{series}``, ``{number}`` and
    ``{title}`` filled by the name, a number and any text; spaces, apostrophes and quotes as
    loose as old editors typed them, case ignored."""
    parts, numbered = [], False
    for literal, name, _, _ in string.Formatter().parse(spec.title_format):
        parts.append(loose(literal))
        if name == "series":
            parts.append(loose(spec.name))
        elif name == "number":
            parts.append(r"(?P<number>\d+)")
            numbered = True
        elif name == "title":
            parts.append(r"(?P<title>.+?)")
    pattern = re.compile("^" + "".join(parts) + "$", re.IGNORECASE | re.DOTALL)
    return SeriesMatcher(spec, pattern, numbered)


def loose(text: str) -> str:
    """A literal as a regular expression that forgives spacing, apostrophe and quote kinds."""
    out = []
    index = 0
    while index < len(text):
        char = text[index]
        index += 1
        if text[index - 1 : index + 1].casefold() == "oe":
            out.append("(?:oe|œ)")
            index += 1
        elif char.isspace():
            if not out or out[-1] != SPACE_RE:
                out.append(SPACE_RE)
        elif char in APOSTROPHES:
            out.append(f"[{APOSTROPHES}]")
        elif char in QUOTES:
            out.append(f"[{QUOTES}]{SPACE_RE}")
        elif char in "œŒ":
            out.append("(?:oe|œ)")
        else:
            out.append(re.escape(char))
    return "".join(out)


def _load(path: str, problems: list[str]):
    try:
        return load_yaml_file(path)
    except DataFileError as exc:
        problems.append(str(exc.error))
        return None
