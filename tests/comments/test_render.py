"""Comment bodies are untrusted: limited Markdown, an allowlist, French typography."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from plugins.comments import render_body

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">clic</a>',
    "[clic](javascript:alert(1))",
    "[clic](JaVaScRiPt:alert(1))",
    "[clic](java\tscript:alert(1))",
    "[clic](data:text/html;base64,PHNjcmlwdD4=)",
    "![image](data:image/png;base64,AAAA)",
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    '<p onclick="alert(1)">x</p>',
    "<svg onload=alert(1)>",
    '[x](https://ok.example "title" onmouseover=alert(1))',
    "<!-- commentaire caché -->",
]


def tags_and_attributes(html: str) -> tuple[set[str], set[tuple[str, str]]]:
    soup = BeautifulSoup(html, "html.parser")
    tags = {tag.name for tag in soup.find_all(True)}
    attributes = {(tag.name, name) for tag in soup.find_all(True) for name in tag.attrs}
    return tags, attributes


@pytest.mark.parametrize("body", HOSTILE)
def test_a_hostile_body_gives_only_allowed_markup(body):
    html = render_body(body)
    tags, attributes = tags_and_attributes(html)
    assert tags <= {"p", "br", "em", "strong", "a", "blockquote", "ul", "ol", "li"}
    assert attributes <= {("a", "href"), ("a", "rel")}
    for link in BeautifulSoup(html, "html.parser").find_all("a"):
        href = link.get("href", "")
        assert href == "" or href.startswith(("https://", "http://", "mailto:")), href


def test_raw_html_is_shown_as_text_not_dropped():
    html = render_body("J'ai écrit <b>gras</b> & <script>x</script>")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("b") is None and soup.find("script") is None
    assert "<b>gras</b>" in soup.get_text() and "<script>x</script>" in soup.get_text()


def test_a_relative_or_disguised_link_loses_its_address():
    for body in ("[x](java\tscript:alert(1))", "[x](/relative)", "[x](//evil.example/)"):
        link = BeautifulSoup(render_body(body), "html.parser").find("a")
        assert link is None or not link.get("href", "").lower().replace("\t", "").startswith(
            ("javascript", "/", "data")
        )


def test_allowed_markdown_paragraphs_emphasis_links_quotes_lists():
    html = render_body(
        "Premier *paragraphe* et **gras**, [un lien](https://example.org).\n\n"
        "> une citation\n\n- un\n- deux\n\nEntre les listes.\n\n1. premier\n2. second\n"
    )
    soup = BeautifulSoup(html, "html.parser")
    assert [p.name for p in soup.find_all(["p", "em", "strong", "a", "blockquote", "ul", "ol"])]
    link = soup.find("a")
    assert link["href"] == "https://example.org"
    assert link["rel"] == ["nofollow", "ugc", "noopener"]
    assert soup.find("blockquote") and len(soup.find("ul").find_all("li")) == 2 and soup.find("ol")


@pytest.mark.parametrize(
    "body",
    ["# Un titre", "    du code indenté", "`code`", "---", "![alt](https://x.example/i.png)"],
)
def test_other_markdown_stays_text(body):
    tags, _ = tags_and_attributes(render_body(body))
    assert tags <= {"p"}


def test_french_typography_applies_to_bodies():
    html = render_body('Vraiment ? "Oui"... C\'est dit : merci !')
    assert "\u202f?" in html and "«\u202fOui\u202f»" in html and "…" in html
    assert "C’est" in html and "\u00a0:" in html and "\u202f!" in html
