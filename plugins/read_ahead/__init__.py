"""Parallel reading: a forked worker reads a generator's Markdown files from the end of its list.

See ``read_ahead.py`` for the design, the guarantees and the settings.
"""

from .read_ahead import (
    SETTINGS_DEFAULTS,
    ReadAhead,
    dumps,
    loads,
    plan_files,
    reader_state,
    register,
    shared_objects,
)

__all__ = [
    "SETTINGS_DEFAULTS",
    "ReadAhead",
    "dumps",
    "loads",
    "plan_files",
    "reader_state",
    "register",
    "shared_objects",
]
