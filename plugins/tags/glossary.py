"""Pure core of the glossary: ``glossary.yml`` entries, their anchors, and the page's order."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .taxonomy import (
    NO_SLUG,
    NO_SLUG_HINT,
    Problem,
    collation_key,
    index_letter,
    parse_aliases,
    unknown_keys,
)

ENTRY_KEYS = ("definition", "aliases")


@dataclass(frozen=True)
class GlossaryEntry:
    """One term: its definition, its other names, and the anchors of its entry on the page."""

    name: str
    definition: str
    aliases: tuple[str, ...] = ()
    anchor: str = ""  # the id of the entry, from the name
    alias_anchors: tuple[str, ...] = ()  # ids for each alias, so they can be linked too

    @property
    def letter(self) -> str:
        """The letter of the page's index this term is filed under."""
        return index_letter(self.name)


def parse_glossary_data(
    data: object, slugify: Callable[[str], str]
) -> tuple[tuple[GlossaryEntry, ...], list[Problem]]:
    """The entries of a parsed ``glossary.yml`` in French alphabetical order, and its problems."""
    problems: list[Problem] = []
    if data is None:
        return (), problems
    if not isinstance(data, Mapping):
        return (), [("", "doit associer chaque terme à sa définition (definition: ...)", "")]
    entries = []
    anchors: dict[str, str] = {}  # anchor -> the term that uses it
    for raw_name, entry in data.items():
        name = str(raw_name).strip()
        if isinstance(entry, str):
            message = f"« {name} » : écrivez la définition sous la clé definition"
            problems.append((name, message, f'{name}: {{definition: "..."}}'))
            continue
        if not isinstance(entry, Mapping):
            problems.append((name, f"« {name} » : attendu {{definition: ..., aliases: [...]}}", ""))
            continue
        problems.extend(unknown_keys(name, entry, ENTRY_KEYS))
        definition = entry.get("definition")
        if not isinstance(definition, str) or not definition.strip():
            problems.append((name, f"« {name} » : definition manquante ou vide", ""))
            continue
        if not slugify(name):
            problems.append((name, NO_SLUG.format(name=name), NO_SLUG_HINT))
            continue
        aliases, alias_problems = parse_aliases(name, entry.get("aliases"))
        problems.extend(alias_problems)
        own = []
        for label in (name, *aliases):
            anchor = slugify(label)
            owner = anchors.get(anchor)
            if owner is not None and owner != name:
                message = f"« {name} » : « {label} » est déjà un nom de « {owner} »"
                problems.append((name, message, "un nom ne peut mener qu'à un terme"))
                continue
            if anchor and owner is None:
                anchors[anchor] = name
                own.append(anchor)
        if not own or own[0] != slugify(name):
            continue  # its own name is taken: reported above
        entries.append(
            GlossaryEntry(
                name=name,
                definition=" ".join(definition.split()),
                aliases=aliases,
                anchor=own[0],
                alias_anchors=tuple(own[1:]),
            )
        )
    return tuple(sorted(entries, key=lambda e: collation_key(e.name))), problems
