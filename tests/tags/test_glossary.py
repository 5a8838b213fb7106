"""glossary.yml: entries, anchors for names and aliases, French order, author mistakes."""

from __future__ import annotations

from pelican.utils import slugify

from plugins.tags import GlossaryEntry, parse_glossary_data


def slug(name):
    return slugify(name, regex_subs=[(r"['’]", " "), (r"[^\w\s-]", ""), (r"[-\s]+", "-")])


def test_entries_come_in_french_order_with_an_anchor_per_name_and_alias():
    entries, problems = parse_glossary_data(
        {
            "NPS": {"definition": "Net  Promoter\n Score.", "aliases": ["Net Promoter Score"]},
            "écoute": {"definition": "Écouter."},
            "Effort": {"definition": "Ce que fait le client."},
            "œil du client": {"definition": "Le regard."},
        },
        slug,
    )
    assert problems == []
    assert [entry.name for entry in entries] == ["écoute", "Effort", "NPS", "œil du client"]
    nps = entries[2]
    assert nps == GlossaryEntry(
        "NPS", "Net Promoter Score.", ("Net Promoter Score",), "nps", ("net-promoter-score",)
    )
    assert entries[3].anchor == "oeil-du-client"
    assert entries[0].letter == "E"


def test_glossary_mistakes_are_reported_and_the_other_terms_kept():
    entries, problems = parse_glossary_data(
        {
            "NPS": "Net Promoter Score",
            "CSAT": {"definiton": "x"},
            "CES": {"definition": "  "},
            "ROI": {"definition": "Retour.", "aliases": ["nps"]},
            "Irritant": {"definition": "Un point de friction."},
        },
        slug,
    )
    messages = {name: message for name, message, _ in problems}
    assert "écrivez la définition sous la clé definition" in messages["NPS"]
    assert "clé inconnue « definiton »" in " ".join(m for n, m, _ in problems if n == "CSAT")
    assert "definition manquante" in messages["CES"]
    assert [entry.name for entry in entries] == ["Irritant", "ROI"]


def test_a_name_already_used_by_another_term_is_reported():
    entries, problems = parse_glossary_data(
        {"NPS": {"definition": "a"}, "ROI": {"definition": "b", "aliases": ["NPS"]}}, slug
    )
    assert problems[0][1] == "« ROI » : « NPS » est déjà un nom de « NPS »"
    assert [entry.alias_anchors for entry in entries] == [(), ()]
