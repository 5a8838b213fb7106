"""Data files (YAML) read from inside the content folder, with errors that name the line."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

import yaml

from .addresses import OUTSIDE_HINT, OUTSIDE_MESSAGE, is_url_key, outside_content, unsafe_scheme
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


class DataProblem(Exception):
    """A mistake the loader found in a data file, at a line."""

    def __init__(self, line: int, message: str, hint: str = ""):
        super().__init__(message)
        self.line, self.message, self.hint = line, message, hint


class ContractLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a key written twice in one mapping (YAML forbids it, PyYAML
    keeps the last one in silence) and a link whose scheme a page must not carry."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            check_mapping(node)
        return super().construct_mapping(node, deep=deep)


ContractLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, ContractLoader.construct_mapping
)


def check_mapping(node: yaml.MappingNode) -> None:
    """Raise DataProblem for a repeated key or an unsafe URL in one mapping node."""
    seen: dict[tuple[str, str], int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            continue
        line = key_node.start_mark.line + 1
        first = seen.get((key_node.tag, key_node.value))
        if first is not None:
            raise DataProblem(
                line, f"clé « {key_node.value} » répétée (déjà ligne {first})", "gardez-en une"
            )
        seen[(key_node.tag, key_node.value)] = line
        links = [(key_node.value, value_node)] if is_url_key(key_node.value) else []
        if key_node.value == "links" and isinstance(value_node, yaml.MappingNode):
            links = [(k.value, v) for k, v in value_node.value]
        for name, value in links:
            scheme = isinstance(value, yaml.ScalarNode) and unsafe_scheme(str(value.value))
            if scheme:
                raise DataProblem(
                    value.start_mark.line + 1,
                    f"{name} : adresse « {scheme}: » refusée",
                    "seules http, https, mailto ou une adresse du site sont permises",
                )


def load_yaml_file(path: str, default=None):
    """Parsed YAML, ``default`` when the file does not exist; DataFileError when unreadable."""
    if not os.path.exists(path):
        return default
    shown = shown_path(path)
    try:
        with open(path, encoding="utf-8") as source:
            return yaml.load(source, Loader=ContractLoader)
    except DataProblem as exc:
        raise DataFileError(ContentError(shown, exc.line, exc.message, exc.hint)) from exc
    except yaml.MarkedYAMLError as exc:
        # "while scanning a quoted scalar" points where the string starts: the author's line.
        mark = exc.context_mark or exc.problem_mark
        line = mark.line + 1 if mark else None
        problem = "; ".join(part for part in (exc.context, exc.problem) if part)
        raise DataFileError(ContentError(shown, line, f"YAML illisible : {problem}")) from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DataFileError(ContentError(shown, None, f"YAML illisible : {exc}")) from exc


@dataclass(frozen=True)
class Unusable:
    """Stands in the build's data cache for a file absent or refused: the cache is part of the
    context that ``site_writer`` fingerprints, which a caller's ``object()`` default is not."""


def read_data_file(context: dict, *parts: str, default=None):
    """A data file of this build's content folder, parsed once per build and shared.

    An unreadable file is reported once (``path:line: message``) and read as ``default``, so a
    dev build goes on and a strict build fails at the end.
    """
    cache = context.setdefault("DATA_FILES", {})
    path = data_path(context, *parts)
    if path not in cache:
        cache[path] = load_reported(path, context)
    value = cache[path]
    return default if isinstance(value, Unusable) else value


def load_reported(path: str, settings) -> object:
    """A data file's data, or Unusable when it is absent or refused (then reported)."""
    if os.path.exists(path) and outside_content(path, settings):
        logger.error("%s", ContentError(shown_path(path), None, OUTSIDE_MESSAGE, OUTSIDE_HINT))
        return Unusable()
    try:
        return load_yaml_file(path, default=Unusable())
    except DataFileError as exc:
        logger.error("%s", exc.error)
        return Unusable()
