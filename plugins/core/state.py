"""What a plugin keeps for itself during one build, declared as such."""

from __future__ import annotations


class BuildState:
    """Base of what a plugin keeps in the build's context for its own bookkeeping: pages
    written so far, memos keyed by object ids. Templates do not show it, so it is no input of
    any page: ``site_writer`` leaves it out of the fingerprints that decide whether a warm build
    renders a page again. Subclass it rather than keep such state at module level."""
