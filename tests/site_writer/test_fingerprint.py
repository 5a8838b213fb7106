"""Fingerprints: the same inputs give the same digest; any visible difference changes it."""

from __future__ import annotations

import copy
import dataclasses
import datetime
import threading

import pytest
from pelican.contents import Article
from pelican.paginator import PaginationRule, Paginator
from pelican.settings import DEFAULT_CONFIG

from plugins.core import BuildState, compat
from plugins.site_writer.fingerprint import Unfingerprintable, Walker, digest
from plugins.site_writer.site_writer import own_values, shown_objects


def named(content) -> str:
    return content.source_path


@dataclasses.dataclass(frozen=True)
class Episode:
    number: int
    title: str


def article(path: str) -> Article:
    return Article(
        "<p>corps</p>",
        metadata={"title": path, "date": datetime.datetime(2021, 1, 1)},
        settings={**DEFAULT_CONFIG, "PATH": "/c"},
        source_path=f"/c/{path}",
        context={"generated_content": {}, "static_content": {}, "static_links": set()},
    )


@pytest.mark.parametrize(
    "value",
    [
        {"a": [1, 2.5, None, True], "b": ("x", b"y")},
        [Episode(1, "Un"), {"k": {1, 2, 3}}],
        datetime.datetime(2021, 5, 4, 10, 30),
    ],
)
def test_equal_values_made_of_other_objects_have_the_same_digest(value):
    assert digest(value, named) == digest(copy.deepcopy(value), named)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ({"a": "titre"}, {"a": "titre modifié"}),
        ([Episode(1, "Un")], [Episode(2, "Un")]),
        (["a", "b"], ["b", "a"]),
        ({"a": 1}, {"b": 1}),
        ("1", 1),
        ([["a"], "b"], [["a", "b"]]),
    ],
)
def test_any_difference_changes_the_digest(left, right):
    assert digest(left, named) != digest(right, named)


def test_sets_digest_alike_whatever_their_order():
    assert digest({"b", "a", "c"}, named) == digest({"c", "a", "b"}, named)


def test_content_objects_are_named_not_walked():
    first, again = article("a.md"), article("a.md")
    compat.set_body(again, "<p>autre corps</p>")
    assert digest([first], named) == digest([again], named)
    assert digest([first], named) != digest([article("b.md")], named)


def test_an_object_of_unknown_make_cannot_be_fingerprinted():
    with pytest.raises(Unfingerprintable):
        digest({"verrou": threading.Lock()}, named)


def test_a_cycle_between_objects_is_described_once():
    class Node:
        pass

    node = Node()
    node.me = node
    node.name = "n"
    assert digest(node, named) == digest(node, named)


def test_a_big_list_met_again_reuses_its_digest_and_gives_the_same_result():
    walker = Walker(named)
    shared = [f"item {n}" for n in range(50)]
    first = walker.digest({"a": shared})
    assert id(shared) in walker.memo
    assert walker.digest({"a": shared}) == first == digest({"a": list(shared)}, named)


def test_a_plugin_s_bookkeeping_is_named_by_its_class_not_walked():
    class Written(BuildState):
        def __init__(self, pages):
            self.pages, self.by_id = pages, {id(pages): pages}

    assert digest({"k": Written(["a"])}, named) == digest({"k": Written(["a", "b"])}, named)


def test_a_page_s_own_values_are_what_its_local_context_adds_or_changes():
    shared_list = ["x"]
    shared = {"SITENAME": "Site", "articles": shared_list, "gone": 1}
    local = {**shared, "articles": ["y"], "output_file": "a.html", "anything_new": 3}
    del local["gone"]
    own, lacking = own_values(shared, local)
    assert own == {"articles": ["y"], "output_file": "a.html", "anything_new": 3}
    assert lacking == ["gone"]
    assert own_values(shared, dict(shared)) == ({}, [])


def test_a_page_shows_the_bodies_of_what_it_is_given_of_its_own():
    listed = [article(f"{n}.md") for n in range(4)]
    rules = [PaginationRule(*rule) for rule in DEFAULT_CONFIG["PAGINATION_PATTERNS"]]
    settings = {**DEFAULT_CONFIG, "PAGINATION_PATTERNS": rules}
    paginator = Paginator("index.html", "", listed, settings, 2)
    first, second = paginator.page(1), paginator.page(2)
    own = {"articles": listed, "articles_page": first, "articles_next_page": second}
    assert shown_objects(own, frozenset(), first.save_as) == listed[:2]
    assert shown_objects(own, frozenset(), second.save_as) == listed[2:]
    given = {"article": listed[3], "all_articles": listed}
    assert shown_objects(given, frozenset({id(listed)}), "a.html") == [listed[3]]
    assert shown_objects({"dates": listed, "n": 1}, frozenset(), "a.html") == listed
    assert shown_objects({"future_name": (listed[0],)}, frozenset(), "a.html") == listed[:1]
