"""Pure core of the tags: ``tags.yml``, canonical names, French order, tags seen together."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations

from plugins.core import closest

ENTRY_KEYS = ("description", "aliases")
# Ligatures that NFKD leaves whole, and that French dictionaries sort as two letters.
LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})
# Dictionary order ignores punctuation: "e-commerce" sorts as "ecommerce", "l'Oeil" as "loeil".
NOT_SORTED = re.compile(r"[^\w\s]|_")

Problem = tuple[str, str, str]  # (entry name, or "" for the whole file; message; hint)


@dataclass(frozen=True)
class TagSpec:
    """One tag as ``tags.yml`` describes it."""

    name: str
    description: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    """The tags of ``tags.yml``, by the key (slug) of their name and of each alias."""

    specs: Mapping[str, TagSpec] = field(default_factory=dict)  # canonical name -> spec
    by_key: Mapping[str, str] = field(default_factory=dict)  # key of a name or alias -> name


@dataclass(frozen=True)
class Resolution:
    """How the tags written in articles map to canonical tags."""

    canonical: Mapping[str, str]  # each written spelling -> its canonical name
    names: Mapping[str, tuple[str, ...]]  # canonical name -> every name that means it
    merges: tuple[tuple[str, tuple[str, ...]], ...]  # undeclared spellings folded into a tag


NO_SLUG = "« {name} » : aucune adresse possible (ni lettre ni chiffre), ignoré"
NO_SLUG_HINT = "écrivez-le en toutes lettres"


def parse_tags_data(data: object) -> tuple[dict[str, TagSpec], list[Problem]]:
    """The tags of a parsed ``tags.yml`` and its problems."""
    specs: dict[str, TagSpec] = {}
    problems: list[Problem] = []
    if data is None:
        return specs, problems
    if not isinstance(data, Mapping):
        problems.append(("", "doit associer chaque tag à sa description et ses alias", ""))
        return specs, problems
    for raw_name, entry in data.items():
        name = str(raw_name).strip()
        entry = {} if entry is None else entry
        if not isinstance(entry, Mapping):
            message = f"« {name} » : attendu {{description: ..., aliases: [...]}}"
            problems.append((name, message, ""))
            continue
        problems.extend(unknown_keys(name, entry, ENTRY_KEYS))
        description = entry.get("description") or ""
        if not isinstance(description, str):
            problems.append((name, f"« {name} » : description doit être un texte", ""))
            description = ""
        aliases, alias_problems = parse_aliases(name, entry.get("aliases"))
        problems.extend(alias_problems)
        specs[name] = TagSpec(name, description.strip(), aliases)
    return specs, problems


def parse_aliases(name: str, raw: object) -> tuple[tuple[str, ...], list[Problem]]:
    """The ``aliases`` of an entry: a list of texts (one text alone is accepted)."""
    if raw is None:
        return (), []
    if isinstance(raw, str | int | float):
        raw = [raw]
    if not isinstance(raw, list) or any(isinstance(alias, Mapping | list) for alias in raw):
        return (), [(name, f"« {name} » : aliases doit être une liste de textes", "")]
    return tuple(str(alias).strip() for alias in raw if str(alias).strip()), []


def build_vocabulary(
    specs: Mapping[str, TagSpec], key: Callable[[str], str]
) -> tuple[Vocabulary, list[Problem]]:
    """Index names and aliases by key; an alias naming another tag, or two tags, is a problem."""
    by_key: dict[str, str] = {}
    problems: list[Problem] = []
    for name in specs:
        if not key(name):
            problems.append((name, NO_SLUG.format(name=name), NO_SLUG_HINT))
            continue
        other = by_key.get(key(name))
        if other is not None:
            problems.append((name, f"« {name} » et « {other} » sont le même tag", "gardez-en un"))
            continue
        by_key[key(name)] = name
    for name, spec in specs.items():
        for alias in spec.aliases:
            owner = by_key.get(key(alias))
            if owner is None:
                by_key[key(alias)] = name
            elif owner != name:
                message = f"« {name} » : l'alias « {alias} » désigne déjà « {owner} »"
                problems.append((name, message, "un alias ne peut mener qu'à un tag"))
    return Vocabulary(dict(specs), by_key), problems


def resolve_tags(
    vocabulary: Vocabulary,
    published: Iterable[Sequence[str]],
    others: Iterable[Sequence[str]],
    key: Callable[[str], str],
) -> Resolution:
    """Canonical names for every written tag.

    Aliases go to their tag. Spellings with the same key (case, accents, punctuation) are one
    tag: the spelling of ``tags.yml`` when it has one, else the one most used by published
    articles; a tie goes to fewer capitals, then more accents (French keeps them), then
    code-point order, so that the choice never depends on the order articles are read.
    """
    uses: Counter[str] = Counter()
    seen: dict[str, None] = {}
    for names in published:
        uses.update(dict.fromkeys(names, 1))
        seen.update(dict.fromkeys(names))
    for names in others:
        seen.update(dict.fromkeys(names))
    groups: dict[str, list[str]] = defaultdict(list)  # canonical key -> written spellings
    for name in seen:
        declared = vocabulary.by_key.get(key(name))
        groups[key(declared) if declared else key(name)].append(name)
    canonical: dict[str, str] = {}
    names: dict[str, tuple[str, ...]] = {}
    merges = []
    for group_key, spellings in groups.items():
        declared = vocabulary.by_key.get(group_key)
        chosen = declared or min(spellings, key=lambda s: _spelling_rank(s, uses[s]))
        for spelling in spellings:
            canonical[spelling] = chosen
        aliases = vocabulary.specs[declared].aliases if declared else ()
        names[chosen] = tuple(dict.fromkeys((chosen, *aliases, *sorted(spellings))))
        undeclared = sorted(
            s for s in spellings if s != chosen and not _is_declared(s, declared, vocabulary, key)
        )
        if undeclared:
            merges.append((chosen, tuple(undeclared)))
    return Resolution(canonical, names, tuple(sorted(merges, key=lambda m: collation_key(m[0]))))


@lru_cache(maxsize=65536)  # tag names are sorted again and again (tag index, related tags)
def collation_key(text: str) -> tuple[str, str, str]:
    """French dictionary order: é sorts with e, œ with oe, case and punctuation last."""
    decomposed = unicodedata.normalize("NFKD", text.translate(LIGATURES))
    base = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    primary = " ".join(NOT_SORTED.sub("", base).split())
    return primary, text.casefold(), text


def index_letter(text: str) -> str:
    """The letter a name is filed under in an A–Z index; ``#`` for digits and symbols."""
    primary = collation_key(text)[0]
    first = primary[:1].upper()
    return first if "A" <= first <= "Z" else "#"


def tags_seen_together(
    usages: Iterable[Sequence[str]], limit: int
) -> dict[str, tuple[tuple[str, int], ...]]:
    """For each tag, the tags most often on the same articles, with the number of articles.

    Ranked by Jaccard similarity: shared articles over articles with either tag. A very common
    tag has a large union with everything, so it does not come first everywhere (raw counts
    would favour it), and a pair seen once between rare tags does not jump ahead of a steady
    pairing the way PMI or lift would let it.
    """
    counts: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for names in usages:
        unique = sorted(set(names))
        counts.update(unique)
        pairs.update(combinations(unique, 2))
    neighbours: dict[str, list[tuple[float, int, str]]] = defaultdict(list)
    for (a, b), together in pairs.items():
        jaccard = together / (counts[a] + counts[b] - together)
        neighbours[a].append((jaccard, together, b))
        neighbours[b].append((jaccard, together, a))
    return {
        tag: tuple(
            (other, together)
            for _, together, other in sorted(
                found, key=lambda n: (-n[0], -n[1], collation_key(n[2]))
            )[:limit]
        )
        for tag, found in neighbours.items()
    }


def _spelling_rank(spelling: str, uses: int) -> tuple:
    capitals = sum(c.isupper() for c in spelling)
    accents = sum(not c.isascii() for c in spelling)
    return -uses, capitals, -accents, spelling


def _is_declared(spelling: str, declared: str | None, vocabulary: Vocabulary, key) -> bool:
    if declared is None:
        return False
    spec = vocabulary.specs[declared]
    return spelling in spec.aliases or key(spelling) != key(declared)


def unknown_keys(name: str, entry: Mapping, known: Sequence[str]) -> list[Problem]:
    """Keys of an entry that the file format does not know, with the closest known one."""
    problems = []
    for entry_key in entry:
        if entry_key not in known:
            guess = closest(str(entry_key), known)
            hint = f"vouliez-vous dire « {guess} » ?" if guess else f"clés : {', '.join(known)}"
            problems.append((name, f"« {name} » : clé inconnue « {entry_key} »", hint))
    return problems
