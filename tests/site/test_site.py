"""The foundation: URLs of the contract, French pages, feeds, escaping, other content folders."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import pytest

SITES = Path(__file__).parent / "sites"


@pytest.fixture(scope="module")
def basic(tmp_path_factory):
    from tests.conftest import run_build

    return run_build(SITES / "basic", tmp_path_factory.mktemp("basic"))


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/2010/09/le-client-roi/",
        "/a-propos/",
        "/tags/",
        "/tags/amazon/",
        "/tags/fidelisation/",
        "/categories/",
        "/categories/experience-client/",
        "/auteurs/",
        "/auteurs/alice-dupont/",
        "/archives/",
        "/archives/2011/",
        "/archives/2011/03/",
        "/feeds/all.atom.xml",
        "/feeds/tags/amazon.atom.xml",
        "/feeds/categories/relation-client.atom.xml",
        "/404.html",
        "/page/2/",
        "/tags/amazon/page/2/",
        "/brouillons/un-brouillon/",
    ],
)
def test_every_url_of_the_contract_is_an_index_html_in_its_folder(basic, url):
    assert basic.exists(url), url


def test_a_clean_build_logs_no_problem(basic):
    assert basic.problems == []


def test_pages_are_french_with_french_dates(basic):
    page = basic.html("/2010/09/le-client-roi/")
    assert page.html["lang"] == "fr"
    assert page.select_one("time").get_text() == "30 septembre 2010"
    assert page.select_one("time")["datetime"].startswith("2010-09-30")


def test_the_first_of_the_month_reads_premier(basic):
    archive = basic.html("/archives/")
    assert "1er" not in archive.get_text() or "1er " in archive.get_text()
    texts = [t.get_text() for t in archive.select("time")]
    assert "15 mars 2011" in texts


def test_pagination_is_in_french(basic):
    home = basic.html("/")
    nav = home.select_one("nav.pagination")
    assert "Page 1 sur 2" in nav.get_text(" ", strip=True)
    assert nav.select_one("a[rel=next]").get_text(strip=True).startswith("Billets plus anciens")
    second = basic.html("/page/2/")
    assert "Billets plus récents" in second.select_one("nav.pagination").get_text()


def test_metadata_shows_exactly_as_typed_never_as_markup(basic):
    # Typed: Le client <b>&</b> "roi" ? -- the French typography pass only changes quotes and
    # spaces; the angle brackets and the ampersand stay text everywhere.
    shown = "Le client <b>&</b> \u00ab\u202froi\u202f\u00bb\u202f?"
    page = basic.html("/2010/09/le-client-roi/")
    assert page.h1.get_text() == shown
    assert page.h1.find("b") is None
    assert page.title.get_text().startswith(shown)
    tag_page = basic.html("/tags/fidelisation/")
    assert shown in [a.get_text() for a in tag_page.select("main a")]
    atom = "{http://www.w3.org/2005/Atom}"
    entries = ElementTree.parse(basic.output / "feeds/all.atom.xml").iter(f"{atom}entry")
    assert shown in [entry.findtext(f"{atom}title") for entry in entries]


def test_html_summaries_stay_html(basic):
    archive_page = basic.html("/tags/fidelisation/")
    summary = archive_page.select_one(".card-summary")
    assert summary.find("em").get_text() == "Markdown"


def test_feeds_parse_and_hold_full_content(basic):
    for feed_file in (basic.output / "feeds").rglob("*.xml"):
        feed = feedparser.parse(feed_file)
        assert not feed.bozo, feed_file
        assert feed.entries, feed_file
    feed = feedparser.parse(basic.output / "feeds/all.atom.xml")
    entry = next(e for e in feed.entries if e.title.startswith("Le client"))
    assert "Second paragraphe" in entry.content[0].value


def test_cover_image_metadata_resolves_to_the_static_file(basic):
    page = basic.html("/2010/09/le-client-roi/")
    image = page.select_one(".cover img")
    # plugins/photos publishes variants of the cover, not the original
    assert re.fullmatch(r"/images/cover\.\d+\.[0-9a-f]{12}\.png", image["src"])
    assert image["alt"] == "Une vitrine"
    assert (basic.output / image["src"].lstrip("/")).exists()
    assert not (basic.output / "images/cover.png").exists()


def test_several_authors_are_each_linked(basic):
    page = basic.html("/2011/03/entretien-avec-jeanne/")
    authors = [a.get_text() for a in page.select("a[rel=author]")]
    assert authors == ["Alice Dupont", "Bruno Roi"]


def test_one_stylesheet_fingerprinted_by_its_content(basic):
    links = basic.html("/").select('link[rel="stylesheet"]')
    assert len(links) == 1
    href = links[0]["href"]
    assert href.startswith("/theme/site.") and href.endswith(".css")
    assert (basic.output / href.lstrip("/")).read_text().count("--color-accent") >= 1


def test_drafts_never_reach_the_public_build(build_site):
    site = build_site(SITES / "basic", "publishconf.py")
    assert not site.exists("/brouillons/un-brouillon/")
    assert (
        site.html("/2010/09/le-client-roi/").select_one(".cover img")["src"].startswith("https://")
    )


def test_french_dates_without_any_french_locale(pelican_cli, tmp_path):
    result = pelican_cli(SITES / "basic", output=tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    html = (tmp_path / "out/2010/09/le-client-roi/index.html").read_text()
    assert "30 septembre 2010" in html


def test_another_content_folder_builds_as_another_site(pelican_cli, tmp_path):
    result = pelican_cli(SITES / "other", output=tmp_path / "other")
    assert result.returncode == 0, result.stdout + result.stderr
    html = (tmp_path / "other/2020/01/un-autre-site/index.html").read_text()
    assert "Seul billet de cet autre site." in html
    assert not (tmp_path / "other/a-propos").exists()


def test_a_generated_summary_is_the_whole_first_paragraph(build_site, tmp_path):
    content = tmp_path / "content"
    (content / "posts").mkdir(parents=True)
    first = " ".join(f"mot{i}" for i in range(90)) + " et l'avis final."
    (content / "posts/long.md").write_text(
        f"Title: Long\nDate: 2022-03-03\n\n{first}\n\nDeuxième paragraphe.\n", encoding="utf-8"
    )
    site = build_site(content, SEARCH_ENABLED=False)
    summary = site.html("/").select_one(".card-summary").get_text(" ", strip=True)
    assert summary.startswith("mot0 mot1") and summary.endswith("l’avis final.")
    assert "Deuxième" not in summary
