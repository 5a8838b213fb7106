"""Feeds with absolute, stable ids and links in every build: see ``feeds.py``."""

from .feeds import absolute_html, make_absolute, register

__all__ = ["absolute_html", "make_absolute", "register"]
