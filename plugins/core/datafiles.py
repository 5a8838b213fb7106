"""Data files (YAML) read from inside the content folder, with errors that name the line."""

from __future__ import annotations

import logging
import os

import yaml

from .errors import ContentError, shown_path

logger = logging.getLogger(__name__)


class DataFileError(Exception):
    """A data file that cannot be used; carries a ``ContentError``."""

    def __init__(self, error: ContentError):
        super().__init__(str(error))
        self.error = error


def data_path(settings: dict, *parts: str) -> str:
    """The path of a data file inside the content folder (``PATH``), never beside the settings."""
    return os.path.join(settings["PATH"], settings.get("DATA_DIR", "data"), *parts)


def load_yaml_file(path: str, default=None):
    """Parsed YAML, ``default`` when the file does not exist; DataFileError when unreadable."""
    if not os.path.exists(path):
        return default
    shown = shown_path(path)
    try:
        with open(path, encoding="utf-8") as source:
            return yaml.safe_load(source)
    except yaml.MarkedYAMLError as exc:
        # "while scanning a quoted scalar" points where the string starts: the author's line.
        mark = exc.context_mark or exc.problem_mark
        line = mark.line + 1 if mark else None
        problem = "; ".join(part for part in (exc.context, exc.problem) if part)
        raise DataFileError(ContentError(shown, line, f"YAML illisible : {problem}")) from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DataFileError(ContentError(shown, None, f"YAML illisible : {exc}")) from exc


def read_data_file(context: dict, *parts: str, default=None):
    """A data file of this build's content folder, parsed once per build and shared.

    An unreadable file is reported once (``path:line: message``) and read as ``default``, so a
    dev build goes on and a strict build fails at the end.
    """
    cache = context.setdefault("DATA_FILES", {})
    path = data_path(context, *parts)
    if path not in cache:
        try:
            cache[path] = load_yaml_file(path, default=default)
        except DataFileError as exc:
            logger.error("%s", exc.error)
            cache[path] = default
    return cache[path]
