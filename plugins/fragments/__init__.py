"""Partial templates rendered once per build and reused on every page; see ``fragments.py``."""

from .fragments import add_fragment_function, forget, fragment_key, register, render_fragment

__all__ = ["add_fragment_function", "forget", "fragment_key", "register", "render_fragment"]
