"""The Pelican adapter: settings, one pass per content object, foreign languages left alone."""

from types import SimpleNamespace

import pytest

from plugins.core.pipeline import SKIP
from plugins.typography_fr import RULES, enabled_rules
from plugins.typography_fr.typography_fr import (
    plan_typography,
    settings_problems,
    typeset_titles,
)

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
    problems = [m for _, m in settings_problems({"TYPOGRAPHY_FR_RULES": {"guillemet": False}})]
    assert len(problems) == 1
    assert "unknown rule 'guillemet'" in problems[0]
    assert "did you mean 'guillemets'" in problems[0]


def test_settings_problems_refuse_a_wrong_type_and_typogrify():
    assert "must be a dict" in settings_problems({"TYPOGRAPHY_FR_RULES": 3})[0][1]
    assert "TYPOGRIFY" in settings_problems({"TYPOGRIFY": True})[0][1]
    assert settings_problems({"TYPOGRAPHY_FR_RULES": {"quotes": False}}) == []


def content(lang="fr", **metadata):
    return SimpleNamespace(
        _content="<p>Oui!</p>", lang=lang, metadata=dict(metadata), title=metadata.get("title")
    )


def generator_of(*contents, rules=None):
    settings = {"PLUGINS": ["plugins.typography_fr"], "TYPOGRAPHY_FR_RULES": rules}
    return SimpleNamespace(settings=settings, articles=list(contents))


def test_the_body_transform_typesets_a_french_body():
    article = content()
    plan = plan_typography([generator_of(article)])
    assert plan.rewrite(article._content, plan.job_of(article)) == f"<p>Oui{NN}!</p>"


def test_the_body_transform_follows_the_rules_setting():
    article = content()
    plan = plan_typography([generator_of(article, rules={"punctuation": False})])
    assert plan.rewrite(article._content, plan.job_of(article)) == "<p>Oui!</p>"


def test_titles_and_summaries_are_typeset_with_the_generator():
    article = content(title="Vraiment?", summary="<p>Bien!</p>")
    article._summary = article.metadata["summary"]
    typeset_titles(generator_of(article))
    assert article.title == article.metadata["title"] == f"Vraiment{NN}?"
    assert article._summary == article.metadata["summary"] == f"<p>Bien{NN}!</p>"


def test_a_content_object_in_another_language_is_left_alone():
    article = content(lang="en", title="Really?")
    generator = generator_of(article)
    assert plan_typography([generator]).job_of(article) is SKIP
    typeset_titles(generator)
    assert article.title == "Really?"


def test_a_build_without_the_plugin_plans_nothing():
    generator = generator_of(content())
    generator.settings["PLUGINS"] = ["plugins.media"]
    assert plan_typography([generator]) is None
