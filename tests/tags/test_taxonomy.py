"""tags.yml, canonical names, French order and the tags seen together."""

from __future__ import annotations

import pytest
from pelican.utils import slugify

from plugins.tags import (
    TagSpec,
    build_vocabulary,
    collation_key,
    index_letter,
    parse_tags_data,
    resolve_tags,
    tags_seen_together,
)


def key(name):
    return slugify(name, regex_subs=[(r"['’]", " "), (r"[^\w\s-]", ""), (r"[-\s]+", "-")])


def vocabulary(data):
    specs, problems = parse_tags_data(data)
    assert problems == []
    found, problems = build_vocabulary(specs, key)
    assert problems == []
    return found


def test_tags_yml_gives_descriptions_and_aliases():
    specs, problems = parse_tags_data(
        {"Cdiscount": {"description": " Le site. ", "aliases": ["CDiscount"]}, "Fnac": None}
    )
    assert problems == []
    assert specs["Cdiscount"] == TagSpec("Cdiscount", "Le site.", ("CDiscount",))
    assert specs["Fnac"] == TagSpec("Fnac")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (["Amazon"], "doit associer chaque tag"),
        ({"Amazon": "Le géant"}, "« Amazon » : attendu {description"),
        ({"Amazon": {"descrption": "x"}}, "clé inconnue « descrption »"),
        ({"Amazon": {"description": ["x"]}}, "description doit être un texte"),
        ({"Amazon": {"aliases": {"a": 1}}}, "aliases doit être une liste"),
    ],
)
def test_a_malformed_tags_yml_says_what_is_wrong(data, message):
    _, problems = parse_tags_data(data)
    assert any(message in problem[1] for problem in problems), problems


def test_a_misspelt_key_suggests_the_right_one():
    _, problems = parse_tags_data({"Amazon": {"alias": ["x"]}})
    assert problems[0][2] == "vouliez-vous dire « aliases » ?"


def test_an_alias_cannot_lead_to_two_tags_and_a_tag_cannot_be_written_twice():
    specs, _ = parse_tags_data(
        {"Fnac": {"aliases": ["Amazon"]}, "Amazon": {}, "FNAC": {}, "Darty": {"aliases": ["x"]}}
    )
    _, problems = build_vocabulary(specs, key)
    messages = " | ".join(problem[1] for problem in problems)
    assert "« FNAC » et « Fnac » sont le même tag" in messages
    assert "l'alias « Amazon » désigne déjà « Amazon »" in messages


def test_an_alias_files_the_article_under_its_tag():
    found = vocabulary({"Cdiscount": {"aliases": ["CDiscount"]}, "SNCF": {"aliases": ["Ouigo"]}})
    resolution = resolve_tags(found, [["CDiscount"], ["Ouigo", "SNCF"]], [], key)
    assert resolution.canonical == {"CDiscount": "Cdiscount", "Ouigo": "SNCF", "SNCF": "SNCF"}
    assert resolution.names["SNCF"] == ("SNCF", "Ouigo")
    assert resolution.merges == ()  # declared aliases are not merges to report


def test_case_and_accent_variants_are_one_tag_in_the_most_used_spelling():
    resolution = resolve_tags(
        vocabulary({}),
        [["E-commerce"], ["e-commerce"], ["e-commerce"], ["Reclamation"], ["réclamation"]],
        [],
        key,
    )
    assert resolution.canonical["E-commerce"] == "e-commerce"
    # a tie goes to fewer capitals, then to the accented spelling
    assert resolution.canonical["Reclamation"] == "réclamation"
    assert resolution.merges == (("e-commerce", ("E-commerce",)), ("réclamation", ("Reclamation",)))
    assert set(resolution.names["e-commerce"]) == {"e-commerce", "E-commerce"}


def test_the_spelling_of_tags_yml_wins_over_the_most_used_one():
    resolution = resolve_tags(vocabulary({"Fnac": {}}), [["FNAC"], ["FNAC"], ["Fnac"]], [], key)
    assert resolution.canonical == {"FNAC": "Fnac", "Fnac": "Fnac"}
    assert resolution.merges == (("Fnac", ("FNAC",)),)


def test_drafts_do_not_change_the_spelling_shown():
    resolution = resolve_tags(vocabulary({}), [["Fnac"]], [["FNAC"], ["FNAC"]], key)
    assert resolution.canonical["FNAC"] == "Fnac"


def test_the_choice_does_not_depend_on_the_reading_order():
    usages = [["FNAC"], ["Fnac"], ["fnac"]]
    first = resolve_tags(vocabulary({}), usages, [], key)
    second = resolve_tags(vocabulary({}), list(reversed(usages)), [], key)
    assert first.canonical == second.canonical == dict.fromkeys(["FNAC", "Fnac", "fnac"], "fnac")


def test_french_order_sorts_accents_ligatures_case_and_punctuation_like_a_dictionary():
    names = ["Zèbre", "œuvre", "effort", "écoute", "e-commerce", "Orange", "oeil", "Eau", "élan"]
    assert sorted(names, key=collation_key) == [
        "Eau", "e-commerce", "écoute", "effort", "élan", "oeil", "œuvre", "Orange", "Zèbre",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "letter"), [("écoute", "E"), ("Œuvre", "O"), ("3D", "#"), ("« Top »", "T")]
)
def test_each_name_is_filed_under_its_unaccented_initial(name, letter):
    assert index_letter(name) == letter


def test_tags_seen_together_do_not_favour_the_most_common_tag():
    usages = (
        [["service client", "banque"]] * 1
        + [["service client", "Amazon"]] * 1
        + [["service client"]] * 10
        + [["Amazon", "e-commerce"]] * 3
    )
    together = tags_seen_together(usages, limit=5)
    # Amazon is on 3 articles with e-commerce and on 1 with "service client"
    assert together["Amazon"][0] == ("e-commerce", 3)
    # banque's only companion is "service client"
    assert together["banque"] == (("service client", 1),)
    # for "service client", banque (always with it) outranks Amazon (mostly elsewhere)
    assert [name for name, _ in together["service client"]] == ["banque", "Amazon"]


def test_tags_seen_together_are_capped():
    usages = [["a", "b", "c", "d", "e"]]
    assert len(tags_seen_together(usages, limit=2)["a"]) == 2
