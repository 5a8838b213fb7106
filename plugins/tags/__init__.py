"""Tags as a web: canonical tags and aliases, linked mentions, related articles, the glossary."""

from .glossary import GlossaryEntry, parse_glossary_data
from .mentions import Term, compile_matcher, mark_first_mentions
from .related import RelatedIndex
from .tags import SETTINGS_DEFAULTS, TagLookup, register, tag_for, tag_link
from .taxonomy import (
    TagSpec,
    build_vocabulary,
    collation_key,
    index_letter,
    parse_tags_data,
    resolve_tags,
    tags_seen_together,
)

__all__ = [
    "SETTINGS_DEFAULTS",
    "GlossaryEntry",
    "RelatedIndex",
    "TagLookup",
    "TagSpec",
    "Term",
    "build_vocabulary",
    "collation_key",
    "compile_matcher",
    "index_letter",
    "mark_first_mentions",
    "parse_glossary_data",
    "parse_tags_data",
    "register",
    "resolve_tags",
    "tag_for",
    "tag_link",
    "tags_seen_together",
]
