"""Search: a Pagefind index of the articles and the /recherche/ page; see ``search.py``."""

from .pagefind_feed import SearchIndexError, split_elisions
from .search import SETTINGS_DEFAULTS, index_config, register, settings_problems

__all__ = [
    "SETTINGS_DEFAULTS",
    "SearchIndexError",
    "index_config",
    "register",
    "settings_problems",
    "split_elisions",
]
