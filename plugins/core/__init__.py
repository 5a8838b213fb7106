"""The project's shared code: not a plugin, the library every plugin imports.

``errors`` (one error type for authors' mistakes), ``datafiles`` (YAML from the content folder),
``settings`` (defaults, validation, who is on), ``addresses`` (safe link schemes, files inside
the content folder, slugs without Pelican's warning), ``contents`` (where Pelican keeps articles
and pages), ``speed`` (both cores, memos kept from one build to the next), ``state`` (a plugin's
bookkeeping during one build, kept in the context), ``pipeline`` (the body transforms),
``compat`` (every use of Pelican's private names and log lines).
"""

from .addresses import quiet_slug
from .contents import CONTENT_LISTS, all_contents
from .datafiles import DataFileError, data_path, load_yaml_file, read_data_file
from .errors import ContentError, closest, header_line, report, shown_path
from .settings import plugin_enabled
from .speed import MISSING, BuildMemo, can_fork, compute_with_memo, map_in_processes
from .state import BuildState

__all__ = [
    "CONTENT_LISTS",
    "MISSING",
    "BuildMemo",
    "BuildState",
    "ContentError",
    "DataFileError",
    "all_contents",
    "can_fork",
    "closest",
    "compute_with_memo",
    "data_path",
    "header_line",
    "load_yaml_file",
    "map_in_processes",
    "plugin_enabled",
    "quiet_slug",
    "read_data_file",
    "report",
    "shown_path",
]
