"""Interviews in a built site: interview pages, listings, question pages, exports, feed, cache."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import feedparser
import pytest
from pelican import signals

from tests.conftest import run_build

SITES = Path(__file__).parent / "sites"
ALICE = "/2020/03/alice-repond/"
BRUNO = "/2021/06/bruno-repond/"
CHLOE = "/2022/01/chloe-repond/"
DENIS = "/2022/05/entretien-avec-denis/"
EVE = "/2023/01/eve-cachee/"
DEFINITION = "Qu'est-ce qu'« avoir le sens du client » ?"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return run_build(
        SITES / "entretiens", tmp_path_factory.mktemp("entretiens"), INTERVIEWS_ANSWERS_PER_PAGE=2
    )


# typography_fr (when on) typesets bodies and wordings; these tests are about what is shown
# where, so they compare texts with ordinary spaces and apostrophes.
UNTYPESET = str.maketrans({"\u202f": " ", "\u00a0": " ", "’": "'"})


def plain(node) -> str:
    """The text of an element (or a string), typography undone."""
    text = node if isinstance(node, str) else node.get_text()
    return text.translate(UNTYPESET)


def build_watching(content, output, signal, receiver, **overrides):
    """``run_build``, with ``receiver`` connected to ``signal`` once the plugins are registered."""
    from pelican import Pelican

    from tests.conftest import BuiltSite, pelican_settings

    pelican = Pelican(pelican_settings(Path(content), Path(output), "pelicanconf.py", overrides))
    signal.connect(receiver)
    try:
        pelican.run()
    finally:
        signal.disconnect(receiver)
    return BuiltSite(Path(output), list(pelican.build_problems))


def texts(soup, selector):
    return [plain(element.get_text(" ", strip=True)) for element in soup.select(selector)]


def test_the_interviews_site_builds_without_problems(site):
    assert site.problems == []


# --- the interview page -----------------------------------------------------------------------


def test_questions_show_the_canonical_wording_anchored_at_their_id(site):
    page = site.html(BRUNO)
    headings = page.select(".article-body h2")
    assert [(h["id"], plain(h)) for h in headings] == [
        ("qui", "Qui êtes-vous ?"),
        ("definition", DEFINITION),
        ("conseil", "Un conseil ?"),
    ]
    assert headings[2]["class"] == ["special"]  # the author's attributes stay


def test_each_question_links_to_every_answer_to_it(site):
    page = site.html(CHLOE)
    links = page.select(".article-body .interview-all-answers a")
    assert [plain(a) for a in links] == ["Toutes les réponses à cette question"] * 2
    assert [a["href"] for a in links] == [
        "/interviews/portrait/definition/",
        "/interviews/portrait/qui/",
    ]
    assert [a["aria-describedby"] for a in links] == ["definition", "qui"]


def test_the_guest_card_comes_before_the_introduction(site):
    page = site.html(ALICE)
    card = page.select_one("aside.guest-card")
    assert texts(card, ".guest-name") == ["Alice Martin"]
    assert card.select_one(".guest-name a")["href"] == "https://example.org/alice"
    assert texts(card, ".guest-role") == ["Directrice, Exemple SA"]
    # plugins/photos: a variant of the portrait, never the original
    assert re.fullmatch(
        r"/images/alice\.\d+\.[0-9a-f]{12}\.png", card.select_one("img.guest-photo")["src"]
    )
    assert card.select_one(".guest-questionnaire a")["href"] == "/interviews/portrait/"
    body = page.select_one(".article-body")
    assert card.find_next("div", class_="article-body") is body
    assert plain(body.find("p")) == "L'introduction d'Alice."


def test_guest_metadata_is_text_never_markup(site):
    page = site.html(CHLOE)
    assert texts(page, ".guest-name") == ["Chloé <b>Durand</b>"]
    assert page.select_one(".guest-card b") is None


def test_a_free_form_interview_gets_a_card_and_unique_anchors_but_no_question_links(site):
    page = site.html(DENIS)
    assert texts(page, ".guest-name") == ["Denis Libre"]
    assert texts(page, ".guest-questionnaire") == ["Entretien libre"]
    ids = [h["id"] for h in page.select(".article-body h2")]
    assert ids == ["qu-est-ce-qui-vous-occupe", "et-apres", "et-apres-2"]
    assert page.select(".interview-all-answers") == []


def test_an_article_without_guest_is_left_alone(site):
    page = site.html("/2021/01/un-billet-ordinaire/")
    assert page.select(".guest-card") == []
    assert "about" not in posting_of(page)
    assert page.select_one(".article-body h2")["id"] == "un-titre"


def test_hidden_interviews_get_their_card_but_are_not_listed(site):
    assert texts(site.html(EVE), ".guest-name") == ["Eve Cachée"]
    assert "Eve Cachée" not in site.html("/interviews/").get_text()
    assert "Eve" not in site.file("/interviews/portrait/answers.csv").read_text(encoding="utf-8")


def posting_of(page) -> dict:
    """The page's one JSON-LD graph (seo), and in it the article's node."""
    scripts = page.head.select('script[type="application/ld+json"]')
    assert len(scripts) == 1
    assert "</script" not in scripts[0].string
    data = json.loads(scripts[0].string)
    assert data["@context"] == "https://schema.org"
    return next(node for node in data["@graph"] if node["@type"] == "BlogPosting")


def test_json_ld_describes_the_interview_and_its_guest_in_the_pages_one_graph(site):
    data = posting_of(site.html(CHLOE))
    assert data["genre"] == "interview"
    assert data["headline"] == "Chloé répond"
    assert data["url"].endswith(CHLOE)
    assert data["about"]["@type"] == "Person"
    assert data["about"]["name"] == "Chloé <b>Durand</b>"
    assert data["about"]["worksFor"] == {"@type": "Organization", "name": "Chloé & </script> Cie"}
    assert data["isPartOf"]["name"] == "Le portrait"
    alice = posting_of(site.html(ALICE))
    assert alice["about"]["jobTitle"] == "Directrice"
    assert re.search(r"/images/alice\.\d+\.[0-9a-f]{12}\.png$", alice["about"]["image"])


# --- listings ---------------------------------------------------------------------------------


def test_the_interviews_page_lists_published_interviews_by_year_newest_first(site):
    page = site.html("/interviews/")
    assert plain(page.h1) == "Interviews"
    assert texts(page, ".interviews-count")[0].startswith("4 interviews")
    assert texts(page, ".interviews-year h2") == ["2022", "2021", "2020"]
    assert texts(page, ".interview-guest") == [
        "Denis Libre",
        "Chloé <b>Durand</b>",
        "Bruno Roi",
        "Alice Martin",
    ]
    first = page.select(".interview-item")[0]
    assert first.select_one(".interview-guest a")["href"] == DENIS
    assert texts(first, ".interview-role") == ["Superviseur"]
    assert plain(first.select_one("time")) == "1er mai 2022"
    assert "entretien libre" in plain(first)
    alice = page.select(".interview-item")[-1]
    assert texts(alice, ".interview-role") == ["Directrice, Exemple SA"]
    assert alice.select_one(".article-meta a")["href"] == "/interviews/portrait/"


def test_the_interviews_page_announces_the_interviews_feed(site):
    page = site.html("/interviews/")
    link = page.head.select_one("link[type='application/atom+xml'][href$='interviews.atom.xml']")
    assert link["href"] == "/feeds/interviews.atom.xml"
    assert page.select_one("a[aria-current=page]")["href"] == "/interviews/"


def test_the_feed_holds_the_published_interviews_newest_first(site):
    feed = feedparser.parse(site.file("/feeds/interviews.atom.xml").read_bytes())
    assert not feed.bozo
    assert [entry.title for entry in feed.entries] == [
        "Entretien avec Denis",
        "Chloé répond",
        "Bruno répond",
        "Alice répond",
    ]


def test_the_questionnaire_page_lists_its_questions_with_their_answer_counts(site):
    page = site.html("/interviews/portrait/")
    assert plain(page.h1) == "Le portrait"
    assert texts(page, ".questionnaire-description") == ["Trois questions pour chaque invité."]
    items = page.select(".questionnaire-questions li")
    assert [(plain(li.a), li.a["href"]) for li in items] == [
        ("Qui êtes-vous ?", "/interviews/portrait/qui/"),
        (DEFINITION, "/interviews/portrait/definition/"),
        ("Un conseil ?", "/interviews/portrait/conseil/"),
    ]
    assert texts(page, ".questionnaire-questions .count") == [
        "(3 réponses)",
        "(3 réponses)",
        "(2 réponses)",
    ]
    exports = [a["href"] for a in page.select(".questionnaire-exports a")]
    assert exports == ["/interviews/portrait/answers.json", "/interviews/portrait/answers.csv"]


def test_a_question_page_shows_every_answer_newest_first_across_pages(site):
    first = site.html("/interviews/portrait/qui/")
    second = site.html("/interviews/portrait/qui/page/2/")
    assert plain(first.h1) == "Qui êtes-vous ?"
    assert texts(first, ".interview-reply-guest") == ["Chloé <b>Durand</b>", "Bruno Roi"]
    assert texts(second, ".interview-reply-guest") == ["Alice Martin"]
    assert "Page 1 sur 2" in texts(first, "nav.pagination")[0]
    assert (
        first.select_one("nav.pagination a[rel=next]")["href"] == "/interviews/portrait/qui/page/2/"
    )
    assert second.select_one("nav.pagination a[rel=prev]")["href"] == "/interviews/portrait/qui/"
    assert not site.exists("/interviews/portrait/qui/page/3/")


def test_each_answer_names_its_guest_and_links_to_the_question_in_the_interview(site):
    page = site.html("/interviews/portrait/qui/")
    bruno = page.select(".interview-reply")[1]
    assert "Bruno, vendeur & fier de l'être." in plain(bruno.select_one(".interview-reply-body"))
    assert plain(bruno.select_one(".interview-reply-body em")) == "vendeur"
    assert "Vendeur" in bruno.select_one(".article-meta").get_text()
    assert bruno.select_one("time")["datetime"].startswith("2021-06-01")
    assert bruno.select_one(".interview-reply-link a")["href"] == f"{BRUNO}#qui"


def test_answers_side_by_side_keep_their_links_and_lose_their_ids(site):
    page = site.html("/interviews/portrait/definition/")
    chloe = page.select(".interview-reply-body")[0]
    # {static} resolved as in the article: to the largest variant of the photo (plugins/photos)
    assert re.fullmatch(r"/images/alice\.\d+\.[0-9a-f]{12}\.png", chloe.a["href"])
    ids = [tag["id"] for tag in page.select("[id]")]
    assert len(ids) == len(set(ids))


def test_a_question_without_answers_says_so(tmp_path):
    content = tmp_path / "content"
    (content / "data/questionnaires").mkdir(parents=True)
    (content / "data/questionnaires/vide.yml").write_text(
        "title: Vide\nquestions:\n  - id: qui\n    text: Qui ?\n", encoding="utf-8"
    )
    built = run_build(content, tmp_path / "out", SEARCH_ENABLED=False)
    assert built.problems == []
    assert "Aucune réponse pour l'instant." in plain(built.html("/interviews/vide/qui/"))
    assert "Aucune interview pour l'instant." in plain(built.html("/interviews/"))


# --- exports ----------------------------------------------------------------------------------


def test_the_csv_export_has_one_row_per_published_answer(site):
    text = site.file("/interviews/portrait/answers.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [(r["question_id"], r["guest"]) for r in rows] == [
        ("qui", "Chloé <b>Durand</b>"),
        ("qui", "Bruno Roi"),
        ("qui", "Alice Martin"),
        ("definition", "Chloé <b>Durand</b>"),
        ("definition", "Bruno Roi"),
        ("definition", "Alice Martin"),
        ("conseil", "Bruno Roi"),
        ("conseil", "Alice Martin"),
    ]
    bruno = rows[1]
    assert bruno["questionnaire"] == "portrait"
    assert plain(bruno["question"]) == "Qui êtes-vous ?"
    assert bruno["role"] == "Vendeur"
    assert bruno["company"] == ""
    assert bruno["date"] == "2021-06-01"
    assert bruno["url"].endswith(f"{BRUNO}#qui")
    assert plain(bruno["answer"]) == "Bruno, vendeur & fier de l'être.\nDeuxième paragraphe."
    assert rows[3]["company"] == "Chloé & </script> Cie"


def test_the_json_export_matches_the_csv_and_counts_answers(site):
    data = json.loads(site.file("/interviews/portrait/answers.json").read_text(encoding="utf-8"))
    assert data["questionnaire"]["id"] == "portrait"
    assert data["questionnaire"]["title"] == "Le portrait"
    assert [(q["id"], q["answers"]) for q in data["questions"]] == [
        ("qui", 3),
        ("definition", 3),
        ("conseil", 2),
    ]
    text = site.file("/interviews/portrait/answers.csv").read_text(encoding="utf-8")
    assert data["answers"] == list(csv.DictReader(io.StringIO(text, newline="")))


# --- template variables -----------------------------------------------------------------------


def test_templates_get_the_interviews_and_each_article_its_interview(tmp_path):
    seen = {}

    def capture(generator, writer):
        seen["interviews"] = [i.guest for i in generator.context["interviews"]]
        seen["by_url"] = {a.url: a.interview for a in (*generator.articles, *generator.drafts)}

    build_watching(
        SITES / "entretiens", tmp_path / "out", signals.article_writer_finalized, capture
    )
    assert seen["interviews"] == ["Denis Libre", "Chloé <b>Durand</b>", "Bruno Roi", "Alice Martin"]
    assert seen["by_url"]["2021/01/un-billet-ordinaire/"] is None
    bruno = seen["by_url"][BRUNO.lstrip("/")]
    assert (bruno.guest, bruno.role, bruno.company, bruno.url, bruno.photo) == (
        "Bruno Roi",
        "Vendeur",
        "",
        "",
        "",
    )
    assert bruno.questionnaire.id == "portrait"
    assert [a.question.id for a in bruno.answers] == ["qui", "definition", "conseil"]
    assert bruno.answers[2].url == f"{BRUNO.lstrip('/')}#conseil"
    denis = seen["by_url"][DENIS.lstrip("/")]
    assert denis.questionnaire is None
    assert [plain(a.question.text) for a in denis.answers] == [
        "Qu'est-ce qui vous occupe ?",
        "Et après ?",
        "Et après ?",
    ]
    fanny = seen["by_url"]["brouillons/fanny-en-cours/"]  # a draft: carded, not checked
    assert fanny.guest == "Fanny Brouillon"


# --- the content cache ------------------------------------------------------------------------
# With the "generator" layer, cached articles skip the reader and its signals; the interviews
# must be read and rewritten all the same, exactly once.


def site_files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.mark.parametrize("layer", ["reader", "generator"])
def test_a_second_build_from_the_content_cache_is_identical(tmp_path, layer):
    # Pelican 4.12 itself leaves {static} links unresolved in articles cached by the generator
    # layer (their pickled context knows no static file): that link is left out here.
    content = tmp_path / "content"
    shutil.copytree(SITES / "entretiens", content)
    chloe = content / "posts/c-chloe.md"
    chloe.write_text(chloe.read_text(encoding="utf-8").replace("{static}", ""), encoding="utf-8")

    read = []

    def count(_generator, metadata):
        read.append(metadata["title"])

    def build(output):
        return build_watching(
            content,
            tmp_path / output,
            signals.article_generator_context,
            count,
            SEARCH_ENABLED=False,  # Pagefind's index differs from one run to the next
            CACHE_CONTENT=True,
            LOAD_CONTENT_CACHE=True,
            CACHE_PATH=str(tmp_path / "cache"),
            CONTENT_CACHING_LAYER=layer,
            WITH_FUTURE_DATES=True,
        )

    first = build("one")
    assert len(read) == 7
    second = build("two")
    if layer == "generator":
        assert len(read) == 7  # the second build read no article: all came from the cache
    assert first.problems == second.problems == []
    assert site_files(first.output) == site_files(second.output)
    page = second.html(BRUNO)
    assert [h["id"] for h in page.select(".article-body h2")] == ["qui", "definition", "conseil"]
    assert len(page.select(".interview-all-answers")) == 3  # rewritten once, not twice


# --- French typography ------------------------------------------------------------------------


def test_canonical_wordings_are_typeset_like_the_body_they_go_back_into(tmp_path):
    from pelican.settings import read_settings

    from tests.conftest import ROOT

    plugins = read_settings(str(ROOT / "pelicanconf.py"))["PLUGINS"]
    plugins = [p for p in plugins if p != "plugins.typography_fr"]
    plugins.insert(plugins.index("plugins.interviews"), "plugins.typography_fr")
    built = run_build(SITES / "entretiens", tmp_path / "out", PLUGINS=plugins, SEARCH_ENABLED=False)
    assert built.problems == []
    headings = [h.get_text() for h in built.html(BRUNO).select(".article-body h2")]
    assert headings[0] == "Qui êtes-vous\u202f?"
    assert headings[1].endswith("«\u202favoir le sens du client\u202f»\u202f?")
    assert built.html("/interviews/portrait/qui/").h1.get_text() == headings[0]
