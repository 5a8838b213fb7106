"""Stable fingerprints of what a page is made of: the same inputs give the same digest in any
process, so that a warm build can tell which pages it would write exactly as before.

``Walker(refs).digest(value)`` walks plain data, dataclasses and ordinary objects; content
objects are not walked but named by ``refs(content)`` (their identity, with or without a digest of
their body), the big shared dicts (settings, the build context) by a token, and a plugin's
bookkeeping (``BuildState``, no input of any page) by its class alone. A value whose
identity across processes is unknown (a C object, a lock) raises ``Unfingerprintable``: the caller
then renders, which is always correct.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import functools
import hashlib
import logging
import os
import re
import types
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import jinja2
from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

from plugins.core import BuildState

Refs = Callable[[Content], str]
NO_TOKENS: Mapping[int, str] = types.MappingProxyType({})


class Unfingerprintable(TypeError):
    """A value whose identity across builds cannot be told; its page must be rendered."""


def new_hasher():
    return hashlib.blake2b(digest_size=16)


def digest_bytes(data: bytes) -> str:
    """Hex digest of some bytes (file contents, rendered pages)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def digest_text(text: str) -> str:
    return digest_bytes(text.encode("utf-8"))


def _tag(hasher, kind: bytes, text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    hasher.update(kind + len(data).to_bytes(4, "little") + data)


def _leaf(value, refs: Refs, tokens: Mapping[int, str]) -> tuple[bytes, str] | None:
    """The (kind, text) standing for a value that is not walked into, or None for containers."""
    if value is None or isinstance(value, (bool, int, float)):
        return b"n", repr(value)
    if isinstance(value, str):
        return b"s", value
    if id(value) in tokens:
        return b"t", tokens[id(value)]
    if isinstance(value, Content):
        return b"c", refs(value)
    if isinstance(value, BuildState):
        return b"x", f"{type(value).__module__}.{type(value).__qualname__}"
    if isinstance(value, URLWrapper):
        return b"u", f"{type(value).__name__}|{value.name}|{value.slug}|{value.url}"
    if isinstance(value, datetime.tzinfo):
        return b"z", str(value)
    if isinstance(value, (datetime.date, datetime.time)):
        return b"d", f"{value.isoformat()}|{getattr(value, 'tzinfo', None)}"
    if isinstance(value, bytes):
        return b"b", digest_bytes(value)
    if isinstance(value, (enum.Enum, Path, re.Pattern)):
        return b"r", repr(value)
    if isinstance(value, (type, types.FunctionType, types.BuiltinFunctionType, types.MethodType)):
        name = getattr(value, "__qualname__", getattr(value, "__name__", ""))
        return b"f", f"{getattr(value, '__module__', '')}.{name}"
    if isinstance(value, (types.ModuleType, logging.Logger, jinja2.Environment)):
        return b"m", f"{type(value).__name__}|{getattr(value, '__name__', '')}"
    if isinstance(value, jinja2.Template):
        return b"j", f"{value.name}|{value.filename}"
    return None


class Walker:
    """Digests values; big containers met again (same object) reuse their digest.

    The memo keeps each object with its digest, so that its id is not reused while the walker
    lives (one build); objects are assumed not to change while pages are written.
    """

    MEMO_MIN_ITEMS = 8

    def __init__(self, refs: Refs):
        self.refs = refs
        self.memo: dict[int, tuple[object, str]] = {}
        self.active: set[int] = set()
        self.cycles = 0

    def digest(self, value, tokens: Mapping[int, str] = NO_TOKENS) -> str:
        """Hex digest of one value."""
        hasher = new_hasher()
        try:
            self.feed(hasher, value, tokens)
        except RecursionError as exc:
            raise Unfingerprintable("structure too deep") from exc
        return hasher.hexdigest()

    def feed(self, hasher, value, tokens: Mapping[int, str]) -> None:
        leaf = _leaf(value, self.refs, tokens)
        if leaf is not None:
            _tag(hasher, *leaf)
            return
        known = self.memo.get(id(value))
        if known is not None and known[0] is value:
            _tag(hasher, b"=", known[1])
            return
        if id(value) in self.active:
            self.cycles += 1
            _tag(hasher, b"o", "cycle")  # the object is being described, higher up
            return
        memoize = not isinstance(value, (list, tuple, Mapping, set, frozenset)) or (
            len(value) >= self.MEMO_MIN_ITEMS
        )
        if not memoize:
            self._container(hasher, value, tokens)
            return
        cycles, inner = self.cycles, new_hasher()
        self._container(inner, value, tokens)
        result = inner.hexdigest()
        if self.cycles == cycles:  # a digest made while an ancestor was open is not reusable
            self.memo[id(value)] = (value, result)
        _tag(hasher, b"=", result)

    def _container(self, hasher, value, tokens) -> None:
        self.active.add(id(value))
        try:
            if isinstance(value, functools.partial):
                _tag(hasher, b"p", "partial")
                for item in (value.func, value.args, value.keywords):
                    self.feed(hasher, item, tokens)
            elif isinstance(value, Mapping):
                _tag(hasher, b"{", type(value).__name__)
                for key, item in value.items():
                    self.feed(hasher, key, tokens)
                    self.feed(hasher, item, tokens)
            elif isinstance(value, (set, frozenset)):
                _tag(hasher, b"<", str(len(value)))
                for item_digest in sorted(self.digest(item, tokens) for item in value):
                    _tag(hasher, b"i", item_digest)
            elif isinstance(value, (list, tuple)):
                _tag(hasher, b"[", f"{type(value).__name__}|{len(value)}")
                for item in value:
                    self.feed(hasher, item, tokens)
            elif dataclasses.is_dataclass(value):
                _tag(hasher, b"@", type(value).__qualname__)
                for field in _fields(type(value)):
                    _tag(hasher, b"k", field.name)
                    self.feed(hasher, getattr(value, field.name), tokens)
            elif hasattr(value, "__dict__") and not hasattr(value, "__slots__"):
                _tag(hasher, b"@", f"{type(value).__module__}.{type(value).__qualname__}")
                for key, item in vars(value).items():
                    _tag(hasher, b"k", key)
                    self.feed(hasher, item, tokens)
            else:
                raise Unfingerprintable(f"{type(value).__module__}.{type(value).__qualname__}")
        finally:
            self.active.discard(id(value))


@functools.lru_cache(maxsize=1024)
def _fields(cls) -> tuple[dataclasses.Field, ...]:
    return dataclasses.fields(cls)


def digest(value, refs: Refs, tokens: Mapping[int, str] = NO_TOKENS) -> str:
    """Hex digest of one value, with a walker of its own (see ``Walker``)."""
    return Walker(refs).digest(value, tokens)


def files_digest(folders: Iterable[str]) -> str:
    """Digest of the names and bytes of every file under some folders (caches excluded)."""
    hasher = new_hasher()
    for folder in sorted({os.path.realpath(f) for f in folders if f and os.path.isdir(f)}):
        for root, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
            for name in sorted(files):
                path = os.path.join(root, name)
                _tag(hasher, b"p", path)
                with open(path, "rb") as source:
                    _tag(hasher, b"b", digest_bytes(source.read()))
    return hasher.hexdigest()


def loader_folders(loader) -> list[str]:
    """The folders a Jinja loader reads templates from (file system loaders, nested or not)."""
    if isinstance(loader, jinja2.FileSystemLoader):
        return list(loader.searchpath)
    if isinstance(loader, jinja2.ChoiceLoader):
        return [folder for inner in loader.loaders for folder in loader_folders(inner)]
    if isinstance(loader, jinja2.PrefixLoader):
        return [folder for inner in loader.mapping.values() for folder in loader_folders(inner)]
    raise Unfingerprintable(f"template loader {type(loader).__name__}")
