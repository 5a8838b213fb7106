"""Parallel reading: a forked worker fills Pelican's reader cache from the end of the file list.

See ``read_ahead.py`` for the design, the guarantees and the settings.
"""

from .read_ahead import SETTINGS_DEFAULTS, ReadAhead, dumps, files_to_read, loads, register

__all__ = ["SETTINGS_DEFAULTS", "ReadAhead", "dumps", "files_to_read", "loads", "register"]
