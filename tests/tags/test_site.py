"""Tags, mentions, related articles and the glossary in a small built site."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from jinja2 import Environment
from pelican import signals
from pelican.contents import Article
from pelican.urlwrappers import Tag

from plugins.tags import TagLookup, tag_for, tag_link
from tests.conftest import run_build

SITES = Path(__file__).parent / "sites"
AMAZON = "/2020/01/amazon-et-les-autres/"
FNAC = "/2020/02/fnac-orange-et-le-roi/"
FIDELISATION = "/2020/03/garder-ses-clients/"


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    return run_build(SITES / "web", tmp_path_factory.mktemp("web"))


def body(site, url):
    return site.html(url).select_one(".article-body")


def test_the_test_site_builds_without_problems(web):
    assert web.problems == []


def test_case_variants_and_aliases_are_one_tag_with_one_page_and_one_feed(web):
    fnac = web.html("/tags/fnac/")
    assert fnac.h1.get_text() == "Tag\u00a0: Fnac"
    assert len(fnac.select(".card")) == 3  # FNAC, Fnac and Fnac
    assert web.exists("/feeds/tags/fnac.atom.xml")
    cdiscount = web.html("/tags/cdiscount/")  # tagged with the alias CDiscount
    assert [a.get_text() for a in cdiscount.select(".card-title a")] == ["Amazon et les autres"]
    assert "Le site français." in cdiscount.select_one(".tag-description").get_text()
    tags = [a.get_text() for a in web.html(FNAC).select(".tag-list a")]
    assert tags == ["Fnac", "Orange", "ROI", "œnologie"]
    variant = web.html("/tags/e-commerce/")
    assert len(variant.select(".card")) == 3  # e-commerce twice, E-commerce once


def test_the_merges_are_logged_once_as_information_not_as_a_problem(tmp_path, caplog):
    with caplog.at_level(logging.INFO, logger="plugins.tags.tags"):
        site = run_build(SITES / "web", tmp_path / "out")
    merges = [r for r in caplog.records if "orthographes réunies" in r.getMessage()]
    assert len(merges) == 1 and merges[0].levelno == logging.INFO
    assert "E-commerce → e-commerce" in merges[0].getMessage()
    assert "FNAC → Fnac" in merges[0].getMessage()
    assert site.problems == []


def test_the_first_mention_of_each_tag_links_to_its_page(web):
    links = {a.get_text(): a["href"] for a in body(web, AMAZON).select("a.tag-mention")}
    assert links == {
        "Amazon": "/tags/amazon/",
        "commerce en ligne": "/tags/e-commerce/",
        "CDISCOUNT": "/tags/cdiscount/",
    }
    mentions = body(web, FIDELISATION).select("a.tag-mention")
    assert [a.get_text() for a in mentions] == ["Fidélisation", "FNAC", "e-commerce"]


def test_no_tag_link_in_headings_code_links_abbr_captions_or_attributes(web):
    amazon = body(web, AMAZON)
    assert amazon.h2.find("a") is None
    assert amazon.code.find("a") is None
    assert amazon.select_one("abbr").find("a") is None
    assert amazon.select_one('a[href="https://example.com/amazon"]').find("a") is None
    assert amazon.select_one("p[title]")["title"] == "Amazon e-commerce"
    fnac = body(web, FNAC)
    assert fnac.figcaption.find("a") is None
    assert fnac.pre.find("a") is None
    assert fnac.img["alt"] == "Orange"


def test_lowercase_words_are_not_capitalised_names(web):
    text = body(web, FNAC).p
    assert [a.get_text() for a in text.select("a")] == ["Fnac", "Orange", "ROI", "ROI"]
    assert "Une robe orange, le roi," in text.get_text()


def test_a_word_both_tag_and_term_is_a_term_then_a_tag_never_nested(web):
    fnac = body(web, FNAC)
    first, second = fnac.p.find_all(string="ROI")
    assert first.parent["class"] == ["term-link"]
    assert second.parent["class"] == ["tag-mention"]
    assert fnac.select("a a") == []


def test_glossary_terms_are_marked_once_with_an_accessible_definition(web):
    fnac = body(web, FNAC)
    terms = fnac.select("span.term")
    assert [t.a.get_text() for t in terms] == ["ROI", "Net Promoter Score"]
    nps = terms[1]
    link, tip = nps.a, nps.select_one('[role="tooltip"]')
    assert link["href"] == "/glossaire/#nps"
    assert link["aria-describedby"] == tip["id"]
    assert "promoteurs moins détracteurs" in tip.get_text()
    assert "NPS" in fnac.get_text() and len(fnac.select('a[href="/glossaire/#nps"]')) == 1


def test_tooltip_ids_are_unique_on_listing_pages(web):
    for url in ("/", "/tags/fnac/", "/tags/e-commerce/"):
        ids = [element["id"] for element in web.html(url).select("[id]")]
        assert len(ids) == len(set(ids)), url


def test_the_glossary_page_lists_terms_in_french_order_with_anchors_and_articles(web):
    page = web.html("/glossaire/")
    names = [dfn.get_text() for dfn in page.select("dt dfn")]
    assert names == ["écoute", "NPS", "œil du client", "ROI"]
    nps = page.select_one("dt#nps")
    assert nps.select_one("#net-promoter-score") is not None
    articles = nps.find_next_sibling("dd").select(".glossary-articles a")
    assert sorted(a.get_text() for a in articles) == [
        "Fnac, Orange et le ROI",
        "Garder ses clients",
    ]
    assert page.select_one("dt#oeil-du-client + dd .glossary-articles") is None


def test_tags_page_is_in_french_order_with_a_letter_index(web):
    page = web.html("/tags/")
    names = [a.get_text() for a in page.select(".tag-letter .term-list a")]
    assert names == [
        "Amazon", "Cdiscount", "e-commerce", "écoute", "effort", "fidélisation", "Fnac",
        "œnologie", "Orange", "ouverture", "ROI", "rubrique rare", "Zèbre",
    ]  # fmt: skip
    letters = [a.get_text() for a in page.select(".letter-index a")]
    assert letters == ["A", "C", "E", "F", "O", "R", "Z"]
    for link in page.select(".letter-index a"):
        assert page.select_one(link["href"]).name == "h2"
    popular = [a.get_text() for a in page.select(".tags-popular a")]
    assert popular[:2] == ["Orange", "e-commerce"]  # 4 articles, then 3 (French order)
    assert "inédit" not in page.get_text()  # only in a draft


def test_a_tag_page_shows_description_series_and_tags_seen_with_it(web):
    orange = web.html("/tags/orange/")
    assert (
        orange.select_one(".tag-description").get_text() == "L’opérateur."
    )  # typeset like the rest of the page
    assert [a.get_text() for a in orange.select(".tag-series a")] == ["Rubrique"]
    assert orange.select_one(".tag-series a")["href"] == "/series/rubrique/"
    related = [a.get_text() for a in orange.select(".tag-related a")]
    assert related[0] == "rubrique rare"  # on 3 of Orange's 4 articles
    assert set(related) == {"rubrique rare", "Fnac", "ROI", "œnologie"}


def test_related_articles_share_tags_and_skip_the_series_neighbours(web):
    episode = web.html("/2021/02/episode-2/")
    links = [a["href"] for a in episode.select(".related a")]
    assert links == [FNAC]  # episodes 1 and 3 are in the series navigation already
    first = web.html("/2021/01/episode-1/")
    assert first.select_one(".related a")["href"] == "/2021/03/episode-3/"
    amazon = web.html(AMAZON)
    assert amazon.select_one(".related h2").get_text() == "À lire aussi"
    assert AMAZON not in [a["href"] for a in amazon.select(".related a")]


def test_only_older_related_articles_when_asked(tmp_path):
    site = run_build(SITES / "web", tmp_path / "out", TAGS_RELATED_ONLY_OLDER=True)
    assert site.html(AMAZON).select_one(".related") is None  # the oldest article
    newest = [a["href"] for a in site.html("/2021/03/episode-3/").select(".related a")]
    assert newest == ["/2021/01/episode-1/", FNAC]


def test_pages_keep_their_text_unlinked(web):
    assert web.html("/a-propos/").select(".article-body a, .page a.tag-mention") == []


def test_tag_link_filter_links_a_company_that_is_a_tag():
    settings = {"TAG_URL": "tags/{slug}/", "SLUG_REGEX_SUBSTITUTIONS": []}
    fnac = Tag("Fnac", settings)
    env = Environment(autoescape=True)
    env.filters.update(tag_link=tag_link, tag_for=tag_for)
    template = env.from_string("{{ name|tag_link }}|{{ (name|tag_for) is none }}")
    lookup = TagLookup(settings, {"fnac": fnac})
    rendered = template.render(name="FNAC", tag_lookup=lookup, SITEURL="")
    assert rendered == '<a href="/tags/fnac/" rel="tag">FNAC</a>|False'
    assert template.render(name="Darty & co", tag_lookup=lookup) == "Darty &amp; co|True"


def test_data_file_mistakes_name_the_file_and_line(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SITES / "web", content)
    (content / "data/tags.yml").write_text(
        'Amazon: {description: "x"}\nFnac:\n  aliases: ["Amazon"]\nOrange: "opérateur"\n',
        encoding="utf-8",
    )
    (content / "data/glossary.yml").write_text("NPS:\n  definiton: x\n", encoding="utf-8")
    site = run_build(content, tmp_path / "out")
    assert any(
        p.endswith(
            "data/tags.yml:2: « Fnac » : l'alias « Amazon » désigne déjà « Amazon » "
            "(un alias ne peut mener qu'à un tag)"
        )
        for p in site.problems
    ), site.problems
    assert any("data/tags.yml:4: « Orange » : attendu" in p for p in site.problems)
    assert any(
        "data/glossary.yml:1: « NPS » : clé inconnue « definiton »" in p for p in site.problems
    )


@pytest.mark.parametrize("layer", ["generator", "reader"])
def test_a_second_build_from_the_content_cache_is_identical(tmp_path, layer):
    settings = {
        "CACHE_CONTENT": True,
        "LOAD_CONTENT_CACHE": True,
        "CACHE_PATH": str(tmp_path / "cache"),
        "CONTENT_CACHING_LAYER": layer,
    }
    first = run_build(SITES / "web", tmp_path / "first", **settings)
    read = []

    def count(content):
        if isinstance(content, Article):
            read.append(content)

    signals.content_object_init.connect(count)
    try:
        second = run_build(SITES / "web", tmp_path / "second", **settings)
    finally:
        signals.content_object_init.disconnect(count)
    if layer == "generator":
        assert read == []  # every article came from the cache, without the reader
    assert first.problems == second.problems == []
    assert _pages(first.output) == _pages(second.output)
    assert "tag-mention" in second.file(AMAZON).read_text(encoding="utf-8")


def _pages(root: Path) -> dict[str, bytes]:
    """Every HTML page and tag feed of a build (other plugins' indexes carry build times)."""
    files = [*root.rglob("*.html"), *(root / "feeds/tags").glob("*.xml")]
    return {str(path.relative_to(root)): path.read_bytes() for path in files}
