"""The pure core of the series plugin: numbering, numbers, title formats, series.yml, settings."""

from __future__ import annotations

from datetime import datetime

import pytest

from plugins.series import (
    EpisodeEntry,
    format_title,
    number_episodes,
    parse_episode_number,
    parse_series_data,
    title_format_problem,
)
from plugins.series.series import SETTINGS_DEFAULTS, settings_problems, yaml_key_lines

DEFAULT = SETTINGS_DEFAULTS["SERIES_TITLE_FORMAT"]


def entries(*fixed_numbers):
    """One entry per month of 2020, in date order, with these fixed numbers (None: automatic)."""
    return [
        EpisodeEntry(key, f"posts/{key}.md", datetime(2020, key + 1, 1), fixed)
        for key, fixed in enumerate(fixed_numbers)
    ]


def numbers(numbering, count):
    return [numbering.numbers[key] for key in range(count)]


@pytest.mark.parametrize(
    ("fixed", "expected"),
    [
        ((None, None, None), [1, 2, 3]),  # automatic: by date
        ((3, 1, 2), [3, 1, 2]),  # fixed: kept as written
        ((None, 3, None, None), [1, 3, 2, 4]),  # mixed: automatic numbers skip fixed ones
        ((None, None, 1), [2, 3, 1]),  # a fixed 1 pushes the automatic ones on
        ((10, None), [10, 1]),  # gaps are allowed
    ],
)
def test_episodes_are_numbered_by_date_around_fixed_numbers(fixed, expected):
    numbering = number_episodes(entries(*fixed))
    assert numbers(numbering, len(fixed)) == expected
    assert numbering.duplicates == ()


def test_numbering_follows_dates_not_the_order_given():
    given = list(reversed(entries(None, None, None)))
    assert numbers(number_episodes(given), 3) == [1, 2, 3]


def test_same_date_episodes_are_ordered_by_path_for_a_stable_numbering():
    same_day = [
        EpisodeEntry(0, "posts/b.md", datetime(2020, 1, 1)),
        EpisodeEntry(1, "posts/a.md", datetime(2020, 1, 1)),
    ]
    assert numbers(number_episodes(same_day), 2) == [2, 1]


def test_a_disputed_number_stays_with_the_earliest_episode_and_the_other_is_renumbered():
    first, second, third = entries(2, 2, None)
    numbering = number_episodes([third, second, first])
    assert numbering.duplicates == ((second, first),)
    assert numbering.numbers[first.key] == 2
    assert sorted(numbering.numbers.values()) == [1, 2, 3]  # no two episodes share a number


def test_taken_numbers_are_skipped_and_a_fixed_taken_number_is_a_duplicate_without_owner():
    late = entries(None, 1)
    numbering = number_episodes(late, taken={1, 2})
    assert numbering.numbers == {0: 3, 1: 4}
    assert numbering.duplicates == ((late[1], None),)


@pytest.mark.parametrize(("raw", "expected"), [(None, None), ("", None), ("4", 4), (" 12 ", 12)])
def test_episode_numbers_are_positive_integers_or_absent(raw, expected):
    assert parse_episode_number(raw) == expected


@pytest.mark.parametrize("raw", ["0", "-1", "2.5", "trois", "1er", True])
def test_anything_but_a_positive_integer_is_refused(raw):
    with pytest.raises(ValueError):
        parse_episode_number(raw)


@pytest.mark.parametrize(
    ("title_format", "expected"),
    [
        (DEFAULT, "L'Oeil (1) : Courtepaille"),
        ("IRRITANT : {title}", "IRRITANT : Courtepaille"),
        ("{series} n° {number:02d} – {title}", "L'Oeil n° 01 – Courtepaille"),
    ],
)
def test_display_titles_follow_the_series_format(title_format, expected):
    assert title_format_problem(title_format) is None
    assert format_title(title_format, "L'Oeil", 1, "Courtepaille") == expected


@pytest.mark.parametrize(
    ("title_format", "fragment"),
    [
        ("{serie} ({number}) : {title}", "{serie} inconnu"),
        ("{serie} ({number}) : {title}", "vouliez-vous dire {series}"),
        ("{0} : {title}", "{0} inconnu"),
        ("{series} } {title}", "illisible"),
        ("{series} ({number})", "sans {title}"),
        ("{number:x>y} {title}", "illisible"),
        (12, "doit être un texte"),
    ],
)
def test_an_unusable_title_format_is_explained(title_format, fragment):
    assert fragment in title_format_problem(title_format)


def test_series_yml_gives_each_series_its_settings_and_defaults():
    data = {
        "L'Oeil": {"slug": "oeil", "description": " Des instantanés. "},
        "Irritant": {"title_format": "IRRITANT : {title}"},
        "Vide": None,
    }
    specs, problems = parse_series_data(data, DEFAULT)
    assert problems == []
    assert specs["L'Oeil"].slug == "oeil"
    assert specs["L'Oeil"].description == "Des instantanés."
    assert specs["L'Oeil"].title_format == DEFAULT
    assert specs["Irritant"].title_format == "IRRITANT : {title}"
    assert specs["Vide"].slug is None


def test_series_yml_mistakes_are_located_by_series_and_key():
    data = {
        "A": {"titre_format": "x {title}"},
        "B": "une description",
        "C": {"title_format": "{nom} : {title}"},
    }
    specs, problems = parse_series_data(data, DEFAULT)
    located = {keys: (message, hint) for keys, message, hint in problems}
    assert located[("A", "titre_format")][1] == "vouliez-vous dire « title_format » ?"
    assert ("B",) in located
    assert "{nom} inconnu" in located[("C", "title_format")][0]
    assert specs["C"].title_format == DEFAULT  # a dev build still renders with the default
    assert "B" not in specs


def test_a_series_yml_that_is_not_a_mapping_is_one_problem():
    specs, problems = parse_series_data(["L'Oeil"], DEFAULT)
    assert specs == {}
    assert [keys for keys, _, _ in problems] == [()]


def test_series_yml_lines_are_found_for_each_series_and_key():
    text = '"L\'Oeil":\n  slug: oeil\n\nIrritant:\n  description: x\n  title_format: "{t}"\n'
    lines = yaml_key_lines(text)
    assert lines[("L'Oeil",)] == 1
    assert lines[("L'Oeil", "slug")] == 2
    assert lines[("Irritant", "title_format")] == 6


def test_default_settings_are_valid_and_bad_ones_are_each_named():
    assert settings_problems(SETTINGS_DEFAULTS) == []
    bad = {
        **SETTINGS_DEFAULTS,
        "SERIES_URL": None,
        "SERIES_PAGINATION": 0,
        "SERIES_FEED_ATOM": 3,
        "SERIES_TITLE_FORMAT": "{titre}",
    }
    assert [name for name, _ in settings_problems(bad)] == [
        "SERIES_URL",
        "SERIES_FEED_ATOM",
        "SERIES_PAGINATION",
        "SERIES_TITLE_FORMAT",
    ]
    assert settings_problems({**SETTINGS_DEFAULTS, "SERIES_PAGINATION": None}) == []
