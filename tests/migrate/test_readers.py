"""Readers: one export file in, entries and located problems out (no content folder)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from migrate import detect, feeds, movable_type, wordpress

EXPORTS = Path(__file__).parent / "fixtures" / "exports"


def read(name: str) -> bytes:
    return (EXPORTS / name).read_bytes()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("typepad.txt", "movable-type"),
        ("broken.txt", "movable-type"),
        ("wordpress.xml", "wordpress"),
        ("truncated.xml", "wordpress"),
        ("feed.atom", "feed"),
        ("unknown.json", None),
    ],
)
def test_the_format_is_recognised_from_the_file(name, expected):
    assert detect(read(name)) == expected


def test_movable_type_entries_fields_and_comments():
    export = movable_type.read(read("typepad.txt"))
    assert export.problems == ()
    titles = [entry.title for entry in export.entries]
    assert titles[0] == "L'Oeil du Sens du client (12) : Courtepaille"
    first = export.entries[0]
    assert first.date == datetime(2010, 9, 28, 8, 0)
    assert first.basename == "loeil-du-sens-du-client-12-courtepaille"
    assert first.tags == ("service client", "restauration", "CDiscount")
    assert first.categories == ("Restauration",)
    assert "<ul>" in first.body_html  # the extended body follows the body
    assert [c.author for c in first.comments] == ["Thierry Poupard", "Thierry Spencer"]
    assert first.comments[0].date == datetime(2010, 9, 30, 14, 12)
    assert first.comments[0].url == "http://blog.example.org/poupard"
    # The ping is no comment; e-mail and IP are never carried.
    assert "192.168" not in repr(first.comments) and "@example.org" not in repr(first.comments)
    assert [e.draft for e in export.entries] == [False, False, False, True]


def test_movable_type_convert_breaks_makes_paragraphs():
    irritant = movable_type.read(read("typepad.txt")).entries[1]
    assert irritant.body_html.startswith("<p>Acheter un livre")
    assert irritant.body_html.count("<p>") == 3


def test_a_broken_movable_type_export_names_each_bad_entry_and_keeps_the_good_one():
    export = movable_type.read(read("broken.txt"))
    assert [entry.title for entry in export.entries] == ["Le bon billet"]
    messages = [str(problem) for problem in export.problems]
    assert any(
        m.startswith("entrée 2 « Un billet en Latin-1 : été »") and "UTF-8" in m and "iconv" in m
        for m in messages
    )
    assert any(m.startswith("entrée 3 :") and "sans TITLE" in m for m in messages)
    assert any(m.startswith("entrée 4 « Le 30 février »") and "02/30/2011" in m for m in messages)
    assert any(m.startswith("entrée 5 « Le billet coupé »") and "tronqué" in m for m in messages)


def test_wordpress_posts_pages_drafts_and_threaded_approved_comments():
    export = wordpress.read(read("wordpress.xml"))
    assert export.problems == ()
    kinds = [(e.title, e.kind, e.draft) for e in export.entries]
    assert kinds == [
        ("L’Œil du Sens du client (13) : la pharmacie de garde", "post", False),
        ("3 questions à Sophie Callies", "post", False),
        ("L'ancien blog", "page", False),
        ("Brouillon sur les files d'attente", "post", True),
    ]  # the attachment is no entry
    pharmacy = export.entries[0]
    assert pharmacy.categories == ("Santé",) and pharmacy.tags == ("CDiscount",)
    assert pharmacy.old_url == "https://www.sensduclient.example/2011/03/pharmacie-de-garde/"
    assert [(c.source_id, c.parent) for c in pharmacy.comments] == [("7", ""), ("8", "7")]
    assert pharmacy.skipped_comments == 1  # the spam
    assert "claire@example.org" not in repr(pharmacy) and "203.0.113.9" not in repr(pharmacy)
    assert export.entries[3].old_url == ""  # a draft had no public address


def test_a_truncated_wordpress_export_keeps_the_items_before_the_break():
    export = wordpress.read(read("truncated.xml"))
    assert [e.title for e in export.entries][:2] == [
        "L’Œil du Sens du client (13) : la pharmacie de garde",
        "3 questions à Sophie Callies",
    ]
    (problem,) = export.problems
    assert "tronqué" in str(problem) and "« 3 questions à Sophie Callies »" in str(problem)


def test_feed_entries_keep_the_old_blogs_local_time_and_link():
    export = feeds.read(read("feed.atom"))
    assert export.problems == ()
    mystery = export.entries[1]
    assert mystery.date == datetime(2012, 1, 5, 23, 30)  # not the next day in UTC
    assert mystery.old_url.endswith("/archive/2012/01/05/le-client-mystere.html")
    assert mystery.basename == "le-client-mystere"
    assert export.entries[0].tags == ("attente",)


def test_a_feed_entry_without_a_date_is_named_and_the_others_kept():
    feed = read("feed.atom").replace(b"<published>2012-02-10T09:00:00+01:00</published>", b"")
    feed = feed.replace(b"<updated>2012-02-10T09:00:00+01:00</updated>\n    <author>", b"<author>")
    export = feeds.read(feed)
    (problem,) = export.problems
    assert str(problem).startswith("entrée 1 « IRRITANT: la file d'attente au guichet »")
    assert [e.title for e in export.entries] == ["Le client mystère"]


def test_a_wordpress_item_not_in_utf8_is_named_and_the_items_after_it_imported():
    data = read("wordpress.xml").replace(
        "Sophie Callies répond".encode(), "Sophie Callies r\xe9pond".encode("latin-1")
    )
    export = wordpress.read(data)
    assert [e.title for e in export.entries] == [
        "L’Œil du Sens du client (13) : la pharmacie de garde",
        "L'ancien blog",
        "Brouillon sur les files d'attente",
    ]
    (problem,) = export.problems
    assert str(problem).startswith("entrée 2 « 3 questions à Sophie Callies » : pas en UTF-8")


def test_a_movable_type_export_wholly_in_another_encoding_is_one_message():
    data = read("typepad.txt").decode("utf-8").encode("cp1252")
    export = movable_type.read(data)
    assert export.entries == ()
    (problem,) = export.problems
    assert "n'est pas en UTF-8 (4 entrées)" in str(problem) and "iconv" in str(problem)
