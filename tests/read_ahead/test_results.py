"""A result read in the worker and pickled is, once unpickled, what the main process reads."""

from __future__ import annotations

import datetime
import pickle

import pytest
from pelican.readers import _DISCARD
from pelican.urlwrappers import URLWrapper

import plugins.authoring.authoring
import plugins.core.errors
from plugins.authoring.authoring import AuthoringMarkdownReader, InvalidHeader
from plugins.read_ahead import dumps, loads, reader_state, shared_objects
from tests.conftest import ROOT, pelican_settings

from .conftest import SITES

FILES = sorted((SITES / "metadata").glob("*.md")) + sorted((ROOT / "content").rglob("*.md"))


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    output = tmp_path_factory.mktemp("read-ahead-results")
    return pelican_settings(ROOT / "content", output, "pelicanconf.py", {})


def mismatches(read, received, settings, where="result") -> list[str]:
    """Where ``received`` is not ``read``: class, attributes, identity of shared objects."""
    if read is settings or read is _DISCARD:
        return [] if received is read else [f"{where}: a copy instead of the shared object"]
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
    shared = shared_objects(settings)
    read = reader.read(str(path))
    received = loads(dumps(reader.read(str(path)), shared), shared)
    assert mismatches(read, received, settings) == []


def test_empty_values_keep_the_marker_pelican_drops_by_identity(settings):
    reader = AuthoringMarkdownReader(settings)
    shared = shared_objects(settings)
    _, metadata = loads(dumps(reader.read(str(SITES / "metadata" / "vides.md")), shared), shared)
    assert [key for key, value in metadata.items() if value is _DISCARD] == [
        "category",
        "tags",
        "slug",
    ]
    assert pickle.loads(pickle.dumps(_DISCARD)) is not _DISCARD  # why it is a reference


def test_the_settings_are_referenced_not_copied(settings):
    reader = AuthoringMarkdownReader(settings)
    result = reader.read(str(SITES / "metadata" / "complet.md"))
    referenced = dumps(result, shared_objects(settings))
    copied = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    assert b"SLUG_REGEX_SUBSTITUTIONS" in copied
    assert b"SLUG_REGEX_SUBSTITUTIONS" not in referenced
    _, metadata = loads(referenced, shared_objects(settings))
    assert all(tag.settings is settings for tag in metadata["tags"])


def test_what_read_leaves_on_the_reader_is_sent_back(settings):
    """If this fails, check that the new state pickles and that ``reader_state`` sends it.

    Module globals of the authoring plugin must not change while files are read: the worker's
    changes would stay in the worker.
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
        assert reader_state(reader) == {"_source_path": str(path), "dates_from_file_name": False}
    with pytest.raises(InvalidHeader):
        reader.read(str(SITES / "problems" / "posts" / "date-impossible.md"))
    assert set(vars(reader)) == {"settings", "_source_path", "_md", "dates_from_file_name"}
    assert module_state() == before
