"""A tiny site built with the plugin: title, body and summary typeset, code untouched, and the
same output when the second build comes from Pelican's content cache."""

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pelican import Pelican
from pelican.plugins import signals
from pelican.settings import read_settings

SITE = Path(__file__).parent / "sites" / "basic"
PROJECT = Path(__file__).resolve().parents[2]
NN = "\u202f"
NB = "\u00a0"


def build(tmp_path: Path, output: str, **overrides) -> Path:
    settings = read_settings(
        None,
        override={
            "PATH": str(SITE),
            "OUTPUT_PATH": str(tmp_path / output),
            "CACHE_PATH": str(tmp_path / "cache"),
            "PLUGIN_PATHS": [str(PROJECT)],
            "PLUGINS": ["plugins.typography_fr"],
            "ARTICLE_PATHS": ["posts"],
            "PAGE_PATHS": ["pages"],
            "DEFAULT_LANG": "fr",
            "TIMEZONE": "Europe/Paris",
            "SITEURL": "",
            "TYPOGRIFY": False,
            "FEED_ALL_ATOM": None,
            "CATEGORY_FEED_ATOM": None,
            "TRANSLATION_FEED_ATOM": None,
            "AUTHOR_FEED_ATOM": None,
            "AUTHOR_FEED_RSS": None,
            "ARTICLE_URL": "{slug}.html",
            "ARTICLE_SAVE_AS": "{slug}.html",
            **overrides,
        },
    )
    Pelican(settings).run()
    return tmp_path / output


def page(output: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((output / name).read_text(encoding="utf-8"), "html.parser")


def test_title_body_and_summaries_are_typeset_and_code_is_not(tmp_path):
    output = build(tmp_path, "site")
    article = page(output, "ete.html")
    assert (
        article.find("h1", class_="entry-title").get_text(strip=True)
        == f"L’été{NB}: «{NN}pourquoi{NN}»{NN}?"
    )
    body = str(article.find("div", class_="entry-content"))
    assert f"«{NN}c’est simple{NN}»… Vraiment{NN}? Oui{NB}: 53{NB}% des 100{NN}000" in body
    assert "XIX<sup>e</sup> siècle" in body
    assert '<code>print("a ? b")</code>' in body
    assert 'l\'été ... "x" ?' in article.find("pre").get_text()

    index = str(page(output, "index.html"))
    assert f"Un résumé «{NN}explicite{NN}»{NB}: vraiment{NN}?" in index  # explicit summary
    assert f"Sans résumé{NB}: celui-ci est «{NN}généré{NN}»" in index  # generated summary
    assert f"Le 1er billet{NN}!" in index  # titles are text: no <sup> in them
    assert "<sup>er</sup> billet" not in index

    assert f"Qui sommes-nous{NN}? Une équipe{NN}!" in str(page(output, "pages/a-propos.html"))
    draft = page(output, "drafts/brouillon.html")
    assert f"Est-ce prêt{NN}? Pas encore{NN}!" in str(draft)
    hidden = page(output, "cache.html")
    assert f"Personne ne me voit{NN}? Si{NN}!" in str(hidden)
    assert hidden.find("h1", class_="entry-title").get_text(strip=True) == f"Caché{NN}!"


@pytest.mark.parametrize("layer", ["generator", "reader"])
def test_a_build_from_the_content_cache_gives_the_same_output(tmp_path, layer):
    cache = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CONTENT_CACHING_LAYER": layer}
    first = build(tmp_path, "first", **cache)

    read_again = []

    def record(content):
        read_again.append(content.source_path)

    signals.content_object_init.connect(record)
    try:
        second = build(tmp_path, "second", **cache)
    finally:
        signals.content_object_init.disconnect(record)

    if layer == "generator":  # the articles came from the cache, not from the reader
        assert not any(path.endswith("ete.md") for path in read_again)
    files = sorted(path.relative_to(first) for path in first.rglob("*.html"))
    assert files == sorted(path.relative_to(second) for path in second.rglob("*.html"))
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert f"Vraiment{NN}?" in (second / "ete.html").read_text(encoding="utf-8")


def test_unknown_rule_names_are_reported_once(tmp_path, caplog):
    build(tmp_path, "site", TYPOGRAPHY_FR_RULES={"ordinal": False, "quotes": False})
    warnings = [r.getMessage() for r in caplog.records if "TYPOGRAPHY_FR_RULES" in r.getMessage()]
    assert len(warnings) == 1
    assert "unknown rule 'ordinal'" in warnings[0]
    assert "did you mean 'ordinals'" in warnings[0]
    article = (tmp_path / "site" / "ete.html").read_text(encoding="utf-8")
    assert '"c’est simple"' in article  # quotes turned off, the rest still on
