"""Redirects: old addresses answered by pages that send to the new ones; see ``redirects.py``."""

from .redirects import (
    MARKER,
    Redirect,
    old_file,
    parse_redirects,
    redirect_page,
    register,
    site_address,
    target_file,
)

__all__ = [
    "MARKER",
    "Redirect",
    "old_file",
    "parse_redirects",
    "redirect_page",
    "register",
    "site_address",
    "target_file",
]
