"""Mistakes in comments files: one line each, ``path:line: message``; strict builds fail."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from plugins.comments import parse_comments
from tests.conftest import run_build

SITES = Path(__file__).parent / "sites"
SETTINGS = {"SEARCH_ENABLED": False}

CASES = {
    "no_article": ("inconnu.yml", "- id: a\n  author: A\n  date: 2021-01-01\n  body: x\n", 1,
                   "aucun billet n'a le slug « inconnu »"),
    "duplicate_id": ("le-chat-en-ligne.yml",
                     "- id: a\n  author: A\n  date: 2021-01-01\n  body: x\n"
                     "- id: a\n  author: B\n  date: 2021-01-02\n  body: y\n", 5,
                     "deux commentaires ont l'id « a » (déjà ligne 1)"),
    "missing_reply": ("le-chat-en-ligne.yml",
                      "- id: a\n  author: A\n  date: 2021-01-01\n  body: x\n"
                      "- id: b\n  reply_to: z\n  author: B\n  date: 2021-01-02\n  body: y\n", 6,
                      "reply_to « z » : aucun commentaire de ce fichier n'a cet id"),
    "bad_date": ("le-chat-en-ligne.yml",
                 "- id: a\n  author: A\n  date: 2021-13-45 25:00\n  body: x\n", 3,
                 "date « 2021-13-45 25:00 » invalide"),
    "missing_author": ("le-chat-en-ligne.yml", "- id: a\n  date: 2021-01-01\n  body: x\n", 1,
                       "commentaire sans « author »"),
    "empty_body": ("le-chat-en-ligne.yml", "- id: a\n  author: A\n  date: 2021-01-01\n  body: ''\n",
                   4, "commentaire sans « body »"),
    "unknown_key": ("le-chat-en-ligne.yml",
                    "- id: a\n  auteur: A\n  author: A\n  date: 2021-01-01\n  body: x\n", 2,
                    "clé « auteur » inconnue"),
    "javascript_url": ("le-chat-en-ligne.yml",
                       "- id: a\n  author: A\n  url: javascript:alert(1)\n  date: 2021-01-01\n"
                       "  body: x\n", 3, "url : adresse « javascript: » refusée"),
    "repeated_key": ("le-chat-en-ligne.yml",
                     "- id: a\n  author: A\n  author: B\n  date: 2021-01-01\n  body: x\n", 3,
                     "clé « author » répétée (déjà ligne 2)"),
    "bad_yaml": ("le-chat-en-ligne.yml", "- id: a\n  author: \"A\n", 2, "YAML illisible"),
}  # fmt: skip


def site_with(tmp_path: Path, name: str, text: str) -> Path:
    content = tmp_path / "content"
    shutil.copytree(SITES / "billets", content)
    shutil.rmtree(content / "comments")
    (content / "comments").mkdir()
    (content / "comments" / name).write_text(text, encoding="utf-8")
    return content


@pytest.mark.parametrize("case", CASES)
def test_each_mistake_is_reported_with_file_and_line(tmp_path, case):
    name, text, line, message = CASES[case]
    built = run_build(site_with(tmp_path, name, text), tmp_path / "out", **SETTINGS)
    expected = f"comments/{name}:{line}: {message}"
    assert any(expected in problem for problem in built.problems), built.problems
    assert all("Traceback" not in problem for problem in built.problems)


def test_a_faulty_comment_is_left_out_and_the_others_show(tmp_path):
    name, text, _, _ = CASES["missing_reply"]
    built = run_build(site_with(tmp_path, name, text), tmp_path / "out", **SETTINGS)
    page = built.html("/2021/10/le-chat-en-ligne/")
    assert page.select_one("#commentaire-a") is not None
    assert page.select_one("#commentaire-b") is None


def test_a_strict_build_fails_on_a_comments_mistake(tmp_path):
    name, text, _, _ = CASES["duplicate_id"]
    with pytest.raises(SystemExit):
        run_build(site_with(tmp_path, name, text), tmp_path / "out", **SETTINGS, STRICT_BUILD=True)


def test_a_bad_comments_header_is_reported(tmp_path):
    content = site_with(tmp_path, "un-seul-commentaire.yml", "[]\n")
    post = content / "posts" / "ferme.md"
    post.write_text(post.read_text().replace("Comments: closed", "Comments: fermé"))
    built = run_build(content, tmp_path / "out", **SETTINGS)
    assert any("ferme.md:3: Comments « fermé »" in p for p in built.problems), built.problems


def test_parse_reports_every_mistake_of_a_file_at_once():
    text = (
        "- id: a\n  author: A\n  date: hier\n  body: x\n"
        "- id: b\n  author: B\n  date: 2021-01-01\n"
        "- id: c\n  reply_to: nulle-part\n  author: C\n  date: 2021-01-01\n  body: z\n"
    )
    comments, errors = parse_comments("f.yml", text)
    assert [str(e).split(" (")[0] for e in errors] == [
        "f.yml:3: date « hier » invalide",
        "f.yml:5: commentaire sans « body »",
        "f.yml:9: reply_to « nulle-part » : aucun commentaire de ce fichier n'a cet id",
    ]
    assert comments == []


def test_a_misspelt_file_name_gets_the_closest_slug(tmp_path):
    content = site_with(tmp_path, "le-chat-en-lign.yml", CASES["no_article"][1])
    built = run_build(content, tmp_path / "out", **SETTINGS)
    assert any(
        "le-chat-en-lign.yml:1: aucun billet n'a le slug « le-chat-en-lign » "
        "(vouliez-vous dire « le-chat-en-ligne.yml » ?)" in problem
        for problem in built.problems
    ), built.problems
