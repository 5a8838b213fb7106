"""Where Pelican keeps content objects: one list of names for every plugin."""

from __future__ import annotations

# The lists in which Pelican's article and page generators keep content objects.
CONTENT_LISTS = (
    "articles",
    "hidden_articles",
    "drafts",
    "drafts_translations",
    "pages",
    "hidden_pages",
    "draft_pages",
    "draft_translations",
    "translations",
    "hidden_translations",
)


def all_contents(generator):
    """Every article and page of a generator, whatever its status, translations included."""
    for attr in CONTENT_LISTS:
        yield from getattr(generator, attr, ())
