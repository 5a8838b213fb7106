"""``typesetter``: the one helper other plugins and the templates (``typo``) typeset with."""

from __future__ import annotations

from markupsafe import Markup

from plugins.typography_fr import typesetter, typo_filter

ON = {"PLUGINS": ["plugins.typography_fr"]}


def test_text_gets_the_text_rules_of_the_build():
    typeset = typesetter(ON)
    assert typeset('L\'Oeil : "vu"') == "L’Oeil\u00a0: «\u202fvu\u202f»"
    assert typeset("le 1er") == "le 1er"  # text: no <sup>


def test_html_gets_every_rule():
    assert typesetter(ON, html=True)("<p>le 1er</p>") == "<p>le 1<sup>er</sup></p>"


def test_the_rules_setting_is_followed():
    typeset = typesetter({**ON, "TYPOGRAPHY_FR_RULES": {"apostrophes": False}})
    assert typeset("L'Oeil : vu") == "L'Oeil\u00a0: vu"


def test_without_the_plugin_text_is_left_as_written():
    assert typesetter({"PLUGINS": []})("L'Oeil : vu") == "L'Oeil : vu"


def test_the_typo_filter_takes_names_of_any_kind():
    class Tag:
        def __str__(self):
            return "centre d'appels"

    typo = lambda value: typo_filter(typesetter(ON), value)  # noqa: E731
    assert typo(Tag()) == "centre d’appels"
    assert typo(None) == ""
    assert typo(Markup("<b>d'abord</b>")) == Markup("<b>d’abord</b>")
