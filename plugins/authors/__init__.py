"""Authors' profiles from ``data/authors.yml`` (optional): see ``authors.py``."""

from .authors import AuthorProfile, parse_authors, register

__all__ = ["AuthorProfile", "parse_authors", "register"]
