"""Search: a Pagefind index of the articles and the /recherche/ page; see ``search.py``."""

from .search import (
    SETTINGS_DEFAULTS,
    pagefind_command,
    prepare_pages,
    register,
    settings_problems,
    split_elisions,
)

__all__ = [
    "SETTINGS_DEFAULTS",
    "pagefind_command",
    "prepare_pages",
    "register",
    "settings_problems",
    "split_elisions",
]
