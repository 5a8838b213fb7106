"""A result read in the worker and pickled is, once unpickled, what the main process reads."""

from __future__ import annotations

import datetime
import pickle

import pytest
from pelican.urlwrappers import URLWrapper

import plugins.authoring.authoring
import plugins.core.errors
from plugins.authoring.authoring import AuthoringMarkdownReader, InvalidHeader
from plugins.core import compat
from plugins.read_ahead import dumps, loads
from tests.conftest import ROOT, pelican_settings

from .conftest import SITES

FILES = sorted((SITES / "metadata").glob("*.md")) + sorted((ROOT / "content").rglob("*.md"))


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    output = tmp_path_factory.mktemp("read-ahead-results")
    return pelican_settings(ROOT / "content", output, "pelicanconf.py", {})


def mismatches(read, received, settings, where="result") -> list[str]:
    """Where ``received`` is not ``read``: class, attributes, identity of the settings."""
    if read is settings:
        return [] if received is read else [f"{where}: a copy instead of the settings"]
    if type(read) is not type(received):
        return [f"{where}: {type(read).__name__} became {type(received).__name__}"]
    if isinstance(read, dict):
        if list(read) != list(received):
            return [f"{where}: keys {list(read)} became {list(received)}"]
        return [
            problem
            for key in read
            for problem in mismatches(read[key], received[key], settings, f"{where}[{key!r}]")
        ]
    if isinstance(read, (list, tuple)):
        if len(read) != len(received):
            return [f"{where}: {len(read)} items became {len(received)}"]
        return [
            problem
            for number, (a, b) in enumerate(zip(read, received, strict=True))
            for problem in mismatches(a, b, settings, f"{where}[{number}]")
        ]
    if isinstance(read, URLWrapper):
        return mismatches(vars(read), vars(received), settings, f"{where}.__dict__")
    if isinstance(read, datetime.datetime) and read.tzinfo != received.tzinfo:
        return [f"{where}: time zone {read.tzinfo} became {received.tzinfo}"]
    return [] if read == received else [f"{where}: {read!r} became {received!r}"]


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_an_unpickled_result_has_the_same_classes_and_attributes(path, settings):
    reader = AuthoringMarkdownReader(settings)
    read = compat.read_as_cached(reader, str(path))
    received = loads(dumps(compat.read_as_cached(reader, str(path)), settings), settings)
    assert mismatches(read, received, settings) == []


def test_the_settings_are_referenced_not_copied(settings):
    reader = AuthoringMarkdownReader(settings)
    result = compat.read_as_cached(reader, str(SITES / "metadata" / "complet.md"))
    referenced = dumps(result, settings)
    copied = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    assert b"SLUG_REGEX_SUBSTITUTIONS" in copied
    assert b"SLUG_REGEX_SUBSTITUTIONS" not in referenced
    _, metadata = loads(referenced, settings)
    assert all(tag.settings is settings for tag in metadata["tags"])


def test_reading_leaves_nothing_that_a_result_from_the_cache_would_miss(settings):
    """A file Pelican takes from its cache is not read in the main process (as on warm builds).

    If this fails, reading started to leave state behind: on the reader (beyond what the
    ``authoring`` wrapper of ``read_file`` sets again before each file) or in module globals.
    """
    reader = AuthoringMarkdownReader(settings)

    def module_state():
        return {
            name: repr(value)
            for module in (plugins.authoring.authoring, plugins.core.errors)
            for name, value in vars(module).items()
        }

    before = module_state()
    for path in FILES:
        reader.read(str(path))
    with pytest.raises(InvalidHeader):
        reader.read(str(SITES / "problems" / "posts" / "date-impossible.md"))
    assert set(vars(reader)) == {"settings", "_source_path", "_md", "dates_from_file_name"}
    assert module_state() == before
