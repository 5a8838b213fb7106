"""The Pelican adapter: settings, one pass per content object, foreign languages left alone."""

from types import SimpleNamespace

import pytest

from plugins.typography_fr import RULES, enabled_rules
from plugins.typography_fr.typography_fr import settings_problems, typeset_content

NN = "\u202f"
ALL = frozenset(RULES)


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        (None, ALL),
        ({"ordinals": False}, ALL - {"ordinals"}),
        ({"ordinals": False, "quotes": True, "nope": False}, ALL - {"ordinals"}),
        ({"quotes", "punctuation"}, {"quotes", "punctuation"}),
        (["quotes", "nope"], {"quotes"}),
        ("quotes", {"quotes"}),
    ],
)
def test_enabled_rules_from_the_setting(setting, expected):
    assert enabled_rules(setting) == expected


def test_settings_problems_name_the_unknown_rule_and_the_closest_one():
    problems = settings_problems({"TYPOGRAPHY_FR_RULES": {"guillemet": False}})
    assert len(problems) == 1
    assert "unknown rule 'guillemet'" in problems[0]
    assert "did you mean 'guillemets'" in problems[0]


def test_settings_problems_refuse_a_wrong_type_and_typogrify():
    assert "must be a dict" in settings_problems({"TYPOGRAPHY_FR_RULES": 3})[0]
    assert "TYPOGRIFY" in settings_problems({"TYPOGRIFY": True})[0]
    assert settings_problems({"TYPOGRAPHY_FR_RULES": {"quotes": False}}) == []


def content(lang="fr", **metadata):
    return SimpleNamespace(
        _content="<p>Oui!</p>", lang=lang, metadata=dict(metadata), title=metadata.get("title")
    )


def test_a_content_object_is_typeset_once():
    article = content(title="Vraiment?", summary="<p>Bien!</p>")
    article._summary = article.metadata["summary"]
    assert typeset_content(article, ALL)
    assert article._content == f"<p>Oui{NN}!</p>"
    assert article.title == article.metadata["title"] == f"Vraiment{NN}?"
    assert article._summary == article.metadata["summary"] == f"<p>Bien{NN}!</p>"
    assert not typeset_content(article, ALL)  # marked: a second receiver does no work


def test_a_content_object_in_another_language_is_left_alone():
    article = content(lang="en", title="Really?")
    typeset_content(article, ALL)
    assert article._content == "<p>Oui!</p>"
    assert article.title == "Really?"
