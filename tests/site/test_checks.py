"""The pure checks behind authors' messages: header grammar, dates, URLs, slugs, YAML keys."""

from __future__ import annotations

import pytest

from plugins.authoring.checks import (
    check_date,
    check_header,
    cut_slug,
    header_entries,
    header_warnings,
)
from plugins.core.addresses import unsafe_scheme
from plugins.core.datafiles import DataFileError, load_yaml_file


def test_header_entries_keep_line_numbers_and_join_continuation_lines():
    text = "---\nTitle: Un\nSummary: début\n    suite\nDate: 2020-01-01\n\nTitle: corps\n"
    entries = header_entries(text)
    assert [(e.line, e.key, e.value) for e in entries] == [
        (2, "title", "Un"),
        (3, "summary", "début suite"),
        (5, "date", "2020-01-01"),
    ]


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("2024-02-10", True),
        ("2024-02-10 09:15", True),
        ("2024-02-29", True),
        ("2023-02-29", False),
        ("10/02/2024", False),
        ("24-02-10", False),
        ("2024-02-10T09:15", False),
        ("2024-02-10 09:15:00", False),
        ("2024-2-1", False),
        ("2024-02-10 25:00", False),
    ],
)
def test_only_the_contract_formats_are_dates(value, valid):
    assert (check_date("Date", value) is None) is valid


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("https://example.org", None),
        ("HTTP://example.org", None),
        ("mailto:a@example.org", None),
        ("/tags/x/", None),
        ("page/", None),
        ("#ancre", None),
        ("javascript:alert(1)", "javascript"),
        ("JaVaScRiPt:alert(1)", "javascript"),
        (" java\tscript:alert(1)", "javascript"),
        ("data:text/html,x", "data"),
        ("VBScript:x", "vbscript"),
        ("ftp://example.org", "ftp"),
    ],
)
def test_only_web_and_mail_schemes_are_safe(url, scheme):
    assert unsafe_scheme(url) == scheme


def test_a_repeated_key_names_both_lines():
    (problem,) = check_header(header_entries("Title: Un\nDate: 2020-01-01\nTitle: Deux\n"))
    assert problem.line == 3 and "« Title » répétée (déjà ligne 1)" in problem.message


def test_a_correct_header_has_no_problem():
    text = (
        "Title: Bien\nDate: 2020-01-01 10:00\nSlug: bien\nGuest_url: https://example.org\n"
        "Image: {static}/images/a.png\nImage_alt: Une image\nGuest_photo: https://x.org/p.jpg\n"
    )
    entries = header_entries(text)
    assert check_header(entries) == [] and header_warnings(entries) == []


@pytest.mark.parametrize(
    ("slug", "cut"),
    [
        ("court", "court"),
        ("a" * 90, "a" * 80),
        ("-".join(["mot"] * 30), "-".join(["mot"] * 20)),
        ("-".join(["abcdefghi"] * 9), "-".join(["abcdefghi"] * 8)),
    ],
)
def test_long_slugs_are_cut_between_words(slug, cut):
    assert cut_slug(slug, 80) == cut
    assert len(cut_slug(slug, 80)) <= 80


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("a: 1\nb: 2\na: 3\n", 3, "clé « a » répétée (déjà ligne 1)"),
        ("x:\n  - {id: q, id: r}\n", 2, "clé « id » répétée"),
        ("x:\n  url: 'javascript:alert(1)'\n", 2, "adresse « javascript: » refusée"),
        ("x:\n  links:\n    site: DATA:x\n", 3, "adresse « data: » refusée"),
    ],
)
def test_data_files_refuse_repeated_keys_and_unsafe_links(tmp_path, text, line, words):
    path = tmp_path / "data.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as raised:
        load_yaml_file(str(path))
    assert raised.value.error.line == line and words in raised.value.error.message


def test_yaml_merge_keys_are_not_repeated_keys(tmp_path):
    path = tmp_path / "data.yml"
    path.write_text("base: &b {a: 1}\nx:\n  <<: *b\n  a: 2\n", encoding="utf-8")
    assert load_yaml_file(str(path)) == {"base": {"a": 1}, "x": {"a": 2}}
