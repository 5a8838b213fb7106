"""Series in built sites: display titles everywhere, episode navigation, series pages and feeds."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import feedparser
import pytest
from pelican import signals

from pelicanconf import PLUGINS as PROJECT_PLUGINS
from tests.conftest import run_build

SITES = Path(__file__).parent / "sites"
OEIL = "L'Oeil du Sens du client"
# Episodes of the "rubriques" site, by URL: a automatic (1), b fixed 3, c and d automatic (2, 4).
EPISODES = {
    "/2020/01/la-boulangerie/": f"{OEIL} (1) : La boulangerie",
    "/2020/03/la-gare/": f"{OEIL} (2) : La gare",
    "/2020/02/l-agence/": f"{OEIL} (3) : L'agence",
    "/2020/04/la-pharmacie/": f"{OEIL} (4) : La pharmacie",
}
IRRITANT = "IRRITANT : le serveur vocal"
# Series behaviour is checked on titles as typed; one test below checks it with typography on.
PLUGINS_WITHOUT_TYPOGRAPHY = [p for p in PROJECT_PLUGINS if p != "plugins.typography_fr"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return run_build(
        SITES / "rubriques",
        tmp_path_factory.mktemp("rubriques"),
        SERIES_PAGINATION=3,
        PLUGINS=PLUGINS_WITHOUT_TYPOGRAPHY,
    )


def texts(soup, selector):
    return [element.get_text(" ", strip=True) for element in soup.select(selector)]


def test_the_series_site_builds_without_problems(site):
    assert site.problems == []


@pytest.mark.parametrize(
    ("url", "title"), [*EPISODES.items(), ("/2021/01/le-serveur-vocal/", IRRITANT)]
)
def test_an_episode_page_shows_its_display_title_in_h1_and_title(site, url, title):
    page = site.html(url)
    assert page.h1.get_text() == title
    assert page.title.get_text().startswith(f"{title} · ")


def test_listings_archives_and_tag_pages_show_display_titles(site):
    home = texts(site.html("/"), ".card-title")
    archives = texts(site.html("/archives/"), ".archive-list a")
    tag = texts(site.html("/tags/commerce/"), ".card-title")
    for title in (*EPISODES.values(), IRRITANT):
        assert title in home
        assert title in archives
    assert tag == [f"{OEIL} (1) : La boulangerie", "Un billet ordinaire"]


def test_feeds_show_display_titles(site):
    feed = feedparser.parse(site.file("/feeds/all.atom.xml").read_bytes())
    titles = [entry.title for entry in feed.entries]
    assert set(EPISODES.values()) | {IRRITANT} <= set(titles)


def test_an_episode_links_to_its_series_and_its_neighbours_in_episode_order(site):
    nav = site.html("/2020/03/la-gare/").select_one("nav.series-nav")
    assert nav["aria-label"] == f"Série {OEIL}"
    assert nav.select_one(".series-nav-title a")["href"] == "/series/oeil/"
    assert "Épisode 2 sur 4" in nav.get_text(" ", strip=True)
    previous = nav.select_one(".series-nav-previous a")
    following = nav.select_one(".series-nav-next a")
    assert (previous["href"], previous.get_text()) == (
        "/2020/01/la-boulangerie/",
        "Épisode précédent\u00a0: La boulangerie",
    )
    assert (following["href"], following.get_text()) == (
        "/2020/02/l-agence/",
        "Épisode suivant\u00a0: L'agence",
    )
    assert nav.select("a[rel]") == []  # rel prev/next belongs to the site-wide navigation


def test_the_first_and_last_episodes_have_one_neighbour(site):
    first = site.html("/2020/01/la-boulangerie/").select_one("nav.series-nav")
    last = site.html("/2020/04/la-pharmacie/").select_one("nav.series-nav")
    assert first.select(".series-nav-previous") == [] and first.select(".series-nav-next")
    assert last.select(".series-nav-next") == [] and last.select(".series-nav-previous")


def test_an_article_outside_any_series_has_no_series_navigation(site):
    assert site.html("/2019/06/un-billet-ordinaire/").select("nav.series-nav") == []


def test_a_draft_episode_is_numbered_after_the_published_ones_but_not_listed(site):
    draft = site.html("/brouillons/le-garage/")
    assert draft.h1.get_text() == f"{OEIL} (5) : Le garage"
    nav = draft.select_one("nav.series-nav").get_text(" ", strip=True)
    assert "Épisode 5" in nav and "sur" not in nav
    assert "Le garage" not in site.html("/series/oeil/page/2/").get_text()


def test_the_series_page_lists_episodes_in_order_with_date_summary_and_latest_first(site):
    page = site.html("/series/oeil/")
    assert page.h1.get_text() == OEIL
    assert page.title.get_text() == f"Série\u00a0: {OEIL} · Le Sens du client"
    assert page.select_one(".series-description").get_text() == (
        "Des instantanés de bons ou de mauvais exemples."
    )
    facts = page.select_one(".series-facts")
    assert "4\u00a0épisodes" in facts.get_text()
    assert facts.select_one("a")["href"] == "/2020/04/la-pharmacie/"
    episodes = page.select(".series-episode")
    assert texts(page, ".series-episode-title") == [
        "Épisode 1 · La boulangerie",
        "Épisode 2 · La gare",
        "Épisode 3 · L'agence",
    ]
    assert episodes[0].select_one("time").get_text() == "10 janvier 2020"
    assert episodes[0].select_one(".card-summary").get_text(strip=True) == "La boulangère sourit."


def test_a_long_series_is_paginated_in_french(site):
    first = site.html("/series/oeil/")
    second = site.html("/series/oeil/page/2/")
    assert "Page 1 sur 2" in first.select_one(".pagination").get_text()
    assert first.select_one(".pagination a[rel=next]")["href"] == "/series/oeil/page/2/"
    assert texts(second, ".series-episode-title") == ["Épisode 4 · La pharmacie"]
    assert "Page 2 sur 2" in second.select_one(".pagination").get_text()
    assert second.title.get_text() == f"Série\u00a0: {OEIL} (page 2) · Le Sens du client"


def test_the_series_page_announces_its_feed(site):
    link = site.html("/series/oeil/").select_one('head link[href="/feeds/series/oeil.atom.xml"]')
    assert link["rel"] == ["alternate"]
    assert link["type"] == "application/atom+xml"


def test_the_series_feed_has_every_episode_newest_first_with_full_content(site):
    feed = feedparser.parse(site.file("/feeds/series/oeil.atom.xml").read_bytes())
    assert not feed.bozo
    assert feed.feed.title == f"Le Sens du client - {OEIL}"
    assert [entry.title for entry in feed.entries] == [
        f"{OEIL} (4) : La pharmacie",
        f"{OEIL} (2) : La gare",
        f"{OEIL} (3) : L'agence",
        f"{OEIL} (1) : La boulangerie",
    ]
    assert "Une garde, une file." in feed.entries[0].content[0].value


def test_the_list_of_series_shows_each_series_with_count_and_dates(site):
    page = site.html("/series/")
    assert page.h1.get_text() == "Toutes les séries"
    cards = page.select(".series-card")
    assert texts(page, ".series-card .card-title") == ["Irritant", OEIL]  # latest first
    oeil = cards[1].get_text(" ", strip=True)
    assert "4\u00a0épisodes" in oeil
    assert "du 10 janvier 2020 au 10 avril 2020" in oeil
    assert "Des instantanés" in oeil
    assert "le 1er janvier 2021" in " ".join(cards[0].get_text().split())
    assert "1<sup>er</sup> janvier" in str(cards[0])  # an ordinal, as in bodies
    assert "Pas encore commencée" not in page.get_text()  # nothing to show yet
    assert not site.exists("/series/pas-encore-commencee/")


def test_the_series_menu_entry_is_current_on_the_list_of_series(site):
    link = site.html("/series/").select_one(".site-nav a[aria-current=page]")
    assert link.get_text() == "Séries"


def test_with_french_typography_display_and_bare_titles_are_typeset_once(tmp_path):

    built = run_build(SITES / "rubriques", tmp_path, PLUGINS=PROJECT_PLUGINS)
    page = built.html("/2020/03/la-gare/")
    title = "L\u2019Oeil du Sens du client (2)\u00a0: La gare"
    assert page.h1.get_text() == title
    assert page.title.get_text().startswith(f"{title} · ")
    nav = page.select_one(".series-nav-next a").get_text()
    assert nav == "Épisode suivant\u00a0: L\u2019agence"
    irritant = built.html("/2021/01/le-serveur-vocal/").h1.get_text()
    assert irritant == "IRRITANT\u00a0: le serveur vocal"
    assert built.html("/series/").select_one(".series-card .card-title").get_text() == "Irritant"


# --- Errors -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    return run_build(
        SITES / "erreurs", tmp_path_factory.mktemp("erreurs"), PLUGINS=PLUGINS_WITHOUT_TYPOGRAPHY
    )


def problem(site, fragment):
    found = [message for message in site.problems if fragment in message]
    assert len(found) == 1, site.problems
    return found[0]


def test_an_unknown_series_is_named_with_its_line_and_the_closest_series(broken):
    message = problem(broken, "inconnue.md:3")
    assert "série « Le Quizz » inconnue" in message
    assert "vouliez-vous dire « Le Quiz » ?" in message


def test_an_article_of_an_unknown_series_is_still_rendered_as_a_plain_article(broken):
    page = broken.html("/2020/01/perdu/")
    assert page.h1.get_text() == "Perdu"
    assert page.select("nav.series-nav") == []


def test_two_episodes_with_one_number_name_both_files(broken):
    message = problem(broken, "doublon.md:4")
    assert "épisode n° 2 de « Le Quiz » déjà pris par" in message
    assert "premier.md" in message


def test_a_number_that_is_not_a_positive_integer_is_named_and_the_episode_numbered_by_date(broken):
    assert "Series_number « zéro » n'est pas un entier positif" in problem(broken, "zero.md:4")
    titles = {broken.html(url).h1.get_text() for url in ("/2020/03/doublon/", "/2020/04/zero/")}
    assert titles == {"Le Quiz (1) : Doublon", "Le Quiz (3) : Zéro"}
    assert broken.html("/2020/02/premier/").h1.get_text() == "Le Quiz (2) : Premier"


def test_a_title_format_with_an_unknown_placeholder_names_series_yml_and_the_series(broken):
    message = problem(broken, "series.yml:6")
    assert "« Irritant » : title_format : {serie} inconnu" in message
    assert (
        broken.html("/2020/05/le-serveur-vocal/").h1.get_text() == "Irritant (1) : le serveur vocal"
    )


def test_every_mistake_is_reported_once_and_nothing_else(broken):
    assert len(broken.problems) == 4


def test_an_unreadable_series_yml_is_reported_once_and_episodes_render_as_plain_articles(
    build_site, tmp_path
):
    content = tmp_path / "content"
    shutil.copytree(SITES / "rubriques", content)
    (content / "data/series.yml").write_text('"Irritant":\n  description: "non fermé\n')
    built = build_site(content)
    assert len(built.problems) == 1
    assert "series.yml:2: YAML illisible" in built.problems[0]
    assert built.html("/2021/01/le-serveur-vocal/").h1.get_text() == "le serveur vocal"


def test_a_strict_build_with_series_mistakes_fails_without_traceback(pelican_cli, tmp_path):
    result = pelican_cli(SITES / "erreurs", "publishconf.py", tmp_path / "out", {"COLUMNS": "400"})
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Construction stricte refusée : 4 problème(s)" in output
    for name in ("series.yml:6", "inconnue.md:3", "doublon.md:4", "zero.md:4"):
        assert name in output
    assert "Traceback" not in output


# --- Content cache ----------------------------------------------------------------------------
# With the "generator" layer, cached articles skip the reader (and content_object_init); with
# the default "reader" layer, only their text is cached. Both must give the same site.
LAYERS = ["reader", "generator"]


def cached_build(content, output, cache, layer):
    return run_build(
        content,
        output,
        CACHE_CONTENT=True,
        LOAD_CONTENT_CACHE=True,
        CACHE_PATH=str(cache),
        CONTENT_CACHING_LAYER=layer,
        WITH_FUTURE_DATES=True,  # Pelican warns when the generator layer runs without it
        PLUGINS=PLUGINS_WITHOUT_TYPOGRAPHY,
    )


def site_files(root: Path) -> dict[str, bytes]:
    """Every page and feed; an empty feed's <updated> (the build time) is left out.

    Other files are not series' business (the search index has hashed, per-build names).
    """
    pages = [p for p in root.rglob("*") if p.suffix in (".html", ".xml")]
    files = {str(p.relative_to(root)): p.read_bytes() for p in pages}
    for name, data in files.items():
        if name.endswith(".atom.xml") and b"<entry>" not in data:
            files[name] = re.sub(rb"<updated>[^<]*</updated>", b"", data)
    return files


@pytest.fixture
def articles_read():
    """The titles of the articles the reader reads (cached ones are not) during the test."""
    titles = []

    def count(_generator, metadata):
        titles.append(metadata["title"])

    signals.article_generator_context.connect(count)
    yield titles
    signals.article_generator_context.disconnect(count)


@pytest.mark.parametrize("layer", LAYERS)
def test_a_second_build_from_the_cache_is_identical(tmp_path, layer, articles_read):
    first = cached_build(SITES / "rubriques", tmp_path / "one", tmp_path / "cache", layer)
    read_first = len(articles_read)
    second = cached_build(SITES / "rubriques", tmp_path / "two", tmp_path / "cache", layer)
    assert first.problems == second.problems == []
    assert site_files(first.output) == site_files(second.output)
    if layer == "generator":
        assert read_first == 7 and len(articles_read) == read_first  # really from the cache


@pytest.mark.parametrize("layer", LAYERS)
def test_adding_an_older_episode_renumbers_cached_episodes(tmp_path, layer):
    content = tmp_path / "content"
    shutil.copytree(SITES / "rubriques", content)
    cached_build(content, tmp_path / "one", tmp_path / "cache", layer)
    (content / "posts/oeil-0.md").write_text(
        f"Title: Le marché\nDate: 2019-12-01\nSeries: {OEIL}\n\nDes étals.\n", encoding="utf-8"
    )
    after = cached_build(content, tmp_path / "two", tmp_path / "cache", layer)
    assert after.problems == []
    assert after.html("/2019/12/le-marche/").h1.get_text() == f"{OEIL} (1) : Le marché"
    assert after.html("/2020/01/la-boulangerie/").h1.get_text() == f"{OEIL} (2) : La boulangerie"
    assert after.html("/2020/02/l-agence/").h1.get_text() == f"{OEIL} (3) : L'agence"  # fixed
    assert after.html("/2020/04/la-pharmacie/").h1.get_text() == f"{OEIL} (5) : La pharmacie"
    assert "5 sur 5" in after.html("/2020/04/la-pharmacie/").select_one(".series-nav").get_text()
