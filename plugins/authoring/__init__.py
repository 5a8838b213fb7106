"""Shared authoring helpers and the checks every article goes through.

Other plugins import the helpers (``ContentError``, ``load_yaml_file``, ``closest``,
``header_line``); as a Pelican plugin it validates the contract's header keys.
"""

from .authoring import CONTENT_LISTS, all_contents, register, validate_metadata
from .datafiles import DataFileError, data_path, load_yaml_file, read_data_file
from .errors import ContentError, closest, header_line, report, shown_path
from .settings import apply_defaults, plugin_enabled
from .speed import MISSING, BuildMemo, can_fork, compute_with_memo, map_in_processes

__all__ = [
    "CONTENT_LISTS",
    "MISSING",
    "BuildMemo",
    "ContentError",
    "DataFileError",
    "all_contents",
    "apply_defaults",
    "can_fork",
    "closest",
    "compute_with_memo",
    "data_path",
    "header_line",
    "load_yaml_file",
    "map_in_processes",
    "plugin_enabled",
    "read_data_file",
    "register",
    "report",
    "shown_path",
    "validate_metadata",
]
