"""French typography (TYPOGRAPHY.md): see ``typography_fr.py``."""

from .typography_fr import (
    RULES,
    enabled_rules,
    register,
    typeset,
    typeset_text,
    typesetter,
    typo_filter,
)

__all__ = [
    "RULES",
    "enabled_rules",
    "register",
    "typeset",
    "typeset_text",
    "typesetter",
    "typo_filter",
]
