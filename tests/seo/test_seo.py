"""SEO and sharing: descriptions, canonical and card tags, JSON-LD, sitemap.xml and robots.txt."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from xml.etree import ElementTree

import pytest

from plugins.seo import (
    SETTINGS_DEFAULTS,
    SitemapEntry,
    absolute,
    describe,
    newest_date,
    robots_txt,
    settings_problems,
    site_base,
    sitemap_xml,
    to_json_ld,
    url_of,
)

SITES = Path(__file__).parent / "sites"
SITEURL = "https://www.exemple.test"
VITRINE = "/2021/03/la-vitrine-et-le-client/"
SANS_IMAGE = "/2022/06/un-billet-sans-image/"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
LONG_TEXT = " ".join(["Une vitrine dit au client ce que l'entreprise pense de lui."] * 5)


# --- Pure functions -------------------------------------------------------------------------


def test_a_short_summary_is_its_plain_text():
    assert describe("<p>Le client &amp; <em>vous</em>.</p>") == "Le client & vous."


def test_a_long_summary_is_cut_on_a_word_with_an_ellipsis():
    text = describe(f"<p>{LONG_TEXT}</p>", 160)
    assert len(text) <= 160
    assert text.endswith("…")
    assert LONG_TEXT.startswith(text[:-1])
    assert LONG_TEXT[len(text) - 1] in " ,.'"  # the cut falls between words
    assert describe(LONG_TEXT, 40) == "Une vitrine dit au client ce que…"


def test_whitespace_and_line_breaks_of_a_summary_are_joined():
    assert describe("<p>Un\n  client</p>\n<p>fidèle</p>") == "Un client fidèle"


@pytest.mark.parametrize(
    ("siteurl", "feed_domain", "expected"),
    [
        ("https://www.exemple.test/", "https://www.exemple.test", "https://www.exemple.test"),
        ("", "http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("../..", "http://127.0.0.1:8000", "http://127.0.0.1:8000"),  # RELATIVE_URLS
    ],
)
def test_urls_are_based_on_siteurl_or_on_the_dev_server_domain(siteurl, feed_domain, expected):
    assert site_base(siteurl, feed_domain) == expected


@pytest.mark.parametrize(
    ("output_file", "url"),
    [("index.html", ""), ("tags/index.html", "tags/"), ("404.html", "404.html")],
)
def test_a_written_file_is_served_at_its_folder_url(output_file, url):
    assert url_of(output_file) == url


def test_absolute_keeps_absolute_urls_and_bases_the_others():
    assert absolute("https://a.test", "images/x.png") == "https://a.test/images/x.png"
    assert absolute("https://a.test", "/tags/") == "https://a.test/tags/"
    assert absolute("https://a.test", "") == "https://a.test/"
    assert absolute("https://a.test", "https://cdn.test/x.png") == "https://cdn.test/x.png"


def test_json_ld_cannot_close_its_script_element():
    data = {"headline": "Un titre </script><script>alert(1)</script> & <!-- fin"}
    text = to_json_ld(data)
    assert "<" not in text and ">" not in text
    assert json.loads(text) == data


def test_sitemap_lists_each_url_once_sorted_with_its_lastmod():
    paris = timezone(timedelta(hours=1))
    xml = sitemap_xml(
        [
            SitemapEntry("https://a.test/b/?x=1&y=2", None),
            SitemapEntry("https://a.test/a/", datetime(2021, 1, 18, 9, 30, tzinfo=paris)),
            SitemapEntry("https://a.test/b/?x=1&y=2", None),
        ]
    )
    urls = ElementTree.fromstring(xml.encode()).findall("s:url", SITEMAP_NS)
    assert [u.findtext("s:loc", namespaces=SITEMAP_NS) for u in urls] == [
        "https://a.test/a/",
        "https://a.test/b/?x=1&y=2",
    ]
    assert urls[0].findtext("s:lastmod", namespaces=SITEMAP_NS) == "2021-01-18T09:30:00+01:00"
    assert urls[1].find("s:lastmod", SITEMAP_NS) is None


def test_robots_txt_allows_everyone_and_names_the_sitemap():
    text = robots_txt("https://a.test/sitemap.xml")
    assert "User-agent: *\nAllow: /\n" in text
    assert "Sitemap: https://a.test/sitemap.xml" in text.splitlines()


def test_default_settings_are_usable_and_wrong_types_are_named():
    assert settings_problems(SETTINGS_DEFAULTS) == []
    assert [name for name, _ in settings_problems({"SEO_DESCRIPTION_LENGTH": "160"})] == [
        "SEO_DESCRIPTION_LENGTH"
    ]


# --- A site built with publishconf.py -------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from tests.conftest import run_build

    output = tmp_path_factory.mktemp("seo-publish")
    # Without the project's default social image, to see what a bare article gets.
    return run_build(
        SITES / "basic",
        output,
        "publishconf.py",
        SITEURL=SITEURL,
        SEARCH_ENABLED=False,
        SEO_DEFAULT_IMAGE="",
    )


def sitemap(site) -> dict[str, str | None]:
    root = ElementTree.parse(site.output / "sitemap.xml").getroot()
    return {
        url.findtext("s:loc", namespaces=SITEMAP_NS): url.findtext(
            "s:lastmod", namespaces=SITEMAP_NS
        )
        for url in root.findall("s:url", SITEMAP_NS)
    }


def json_ld(page) -> dict[str, dict]:
    """Every JSON-LD node of a page, by its @type."""
    nodes = {}
    for script in page.select('script[type="application/ld+json"]'):
        data = json.loads(script.string)
        for node in data.get("@graph", [data]):
            nodes.setdefault(node["@type"], node)
    return nodes


def meta(page, key: str) -> str | None:
    tag = page.select_one(f'meta[property="{key}"]') or page.select_one(f'meta[name="{key}"]')
    return tag["content"] if tag else None


def test_the_strict_build_logs_no_problem(site):
    assert site.problems == []


def test_sitemap_lists_every_published_article_page_and_listing_with_absolute_urls(site):
    urls = sitemap(site)
    for path in (
        VITRINE,
        SANS_IMAGE,
        "/a-propos/",
        "/",
        "/archives/",
        "/categories/relation-client/",
        "/tags/commerce/",
        "/auteurs/alice-dupont/",
    ):
        assert SITEURL + path in urls, path
    assert all(url.startswith(SITEURL + "/") for url in urls)


def test_sitemap_leaves_out_hidden_articles_drafts_404_and_search(site):
    text = (site.output / "sitemap.xml").read_text(encoding="utf-8")
    assert "billet-cache" not in text and "brouillon" not in text
    assert "404" not in text and "/recherche/" not in text


def test_sitemap_lastmod_is_the_modified_date_and_a_listings_newest_article(site):
    urls = sitemap(site)
    assert urls[SITEURL + VITRINE] == "2021-04-01T10:00:00+02:00"
    assert urls[SITEURL + SANS_IMAGE] == "2022-06-02T00:00:00+02:00"
    assert urls[SITEURL + "/categories/relation-client/"] == "2021-04-01T10:00:00+02:00"
    assert urls[SITEURL + "/"] == "2022-06-02T00:00:00+02:00"


def test_a_list_shown_by_many_listings_is_looked_through_once_per_build():
    class Article:
        def __init__(self, day: int):
            self.date = datetime(2024, 1, day, tzinfo=UTC)

    class Counted(list):
        passes = 0

        def __iter__(self):
            Counted.passes += 1
            return super().__iter__()

    shown = Counted([Article(3), Article(9), Article(5)])
    known: dict = {}
    assert newest_date(shown, known) == newest_date(shown, known) == shown[1].date
    assert Counted.passes == 1
    other = Counted([Article(4)])  # another list: its own dates
    assert newest_date(other, known) == other[0].date
    assert newest_date([], known) is None


def test_robots_txt_points_at_the_absolute_sitemap(site):
    text = (site.output / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {SITEURL}/sitemap.xml" in text.splitlines()
    assert "Disallow: /" not in text


def test_article_has_absolute_canonical_and_opengraph_tags(site):
    page = site.html(VITRINE)
    assert page.select_one("link[rel=canonical]")["href"] == SITEURL + VITRINE
    assert meta(page, "og:url") == SITEURL + VITRINE
    assert meta(page, "og:type") == "article"
    assert meta(page, "og:title") == "La vitrine et le client"
    assert meta(page, "og:locale") == "fr_FR"
    assert meta(page, "og:site_name") == "Le Sens du client"
    # The cover's 1200 × 630 crop made by plugins/photos, not the original.
    assert re.fullmatch(rf"{SITEURL}/images/cover\.og\.[0-9a-f]{{12}}\.jpg", meta(page, "og:image"))
    assert meta(page, "twitter:image") == meta(page, "og:image")
    assert meta(page, "og:image:alt") == "Une vitrine de boulangerie"
    assert meta(page, "twitter:card") == "summary_large_image"
    assert meta(page, "article:modified_time") == "2021-04-01T10:00:00+02:00"


def test_meta_description_is_the_summary_cut_near_160_characters(site):
    page = site.html(VITRINE)
    description = meta(page, "description")
    assert 100 < len(description) <= 160
    assert description.endswith("…")
    assert description.startswith("Une vitrine dit au client ce que l")
    assert meta(page, "og:description") == description == meta(page, "twitter:description")


def test_article_json_ld_is_a_blog_posting_with_authors_dates_image_and_publisher(site):
    nodes = json_ld(site.html(VITRINE))
    posting = nodes["BlogPosting"]
    assert posting["headline"] == "La vitrine et le client"
    assert [a["name"] for a in posting["author"]] == ["Alice Dupont", "Bruno Martin"]
    assert posting["author"][0]["url"] == f"{SITEURL}/auteurs/alice-dupont/"
    assert posting["datePublished"] == "2021-03-04T08:00:00+01:00"
    assert posting["dateModified"] == "2021-04-01T10:00:00+02:00"
    assert posting["image"] == [meta(site.html(VITRINE), "og:image")]
    assert posting["publisher"]["name"] == "Le Sens du client"
    assert posting["mainEntityOfPage"]["@id"] == SITEURL + VITRINE


def test_article_breadcrumb_reads_accueil_category_article(site):
    crumbs = json_ld(site.html(VITRINE))["BreadcrumbList"]["itemListElement"]
    assert [c["name"] for c in crumbs] == ["Accueil", "Relation client", "La vitrine et le client"]
    assert [c["item"] for c in crumbs] == [
        f"{SITEURL}/",
        f"{SITEURL}/categories/relation-client/",
        SITEURL + VITRINE,
    ]


def test_a_title_with_a_closing_script_tag_stays_inside_its_json_ld(site):
    page = site.html(SANS_IMAGE)
    assert json_ld(page)["BlogPosting"]["headline"] == "Un billet </script> sans image"
    raw = site.file(SANS_IMAGE).read_text(encoding="utf-8")
    assert '"headline": "Un billet \\u003c/script\\u003e sans image"' in raw


def test_an_article_without_cover_and_without_default_image_has_a_small_card(site):
    page = site.html(SANS_IMAGE)
    assert meta(page, "og:image") is None
    assert meta(page, "twitter:card") == "summary"
    assert "image" not in json_ld(page)["BlogPosting"]


def test_pages_and_listings_are_websites_with_their_own_canonical_url(site):
    about = site.html("/a-propos/")
    assert meta(about, "og:type") == "website"
    assert about.select_one("link[rel=canonical]")["href"] == f"{SITEURL}/a-propos/"
    assert [c["name"] for c in json_ld(about)["BreadcrumbList"]["itemListElement"]] == [
        "Accueil",
        "À propos",
    ]
    tag = site.html("/tags/commerce/")
    assert tag.select_one("link[rel=canonical]")["href"] == f"{SITEURL}/tags/commerce/"
    assert meta(tag, "og:title") == "Tag commerce · Le Sens du client"


def test_home_json_ld_is_the_website_with_its_search(site):
    website = json_ld(site.html("/"))["WebSite"]
    assert website["url"] == f"{SITEURL}/"
    target = website["potentialAction"]["target"]["urlTemplate"]
    assert target == f"{SITEURL}/recherche/?q={{q}}"


def test_404_and_search_pages_ask_not_to_be_indexed(site):
    assert meta(site.html("/404.html"), "robots") == "noindex"
    assert meta(site.html("/recherche/"), "robots") == "noindex"
    assert meta(site.html(VITRINE), "robots") is None


# --- Dev builds and the content cache --------------------------------------------------------


def test_dev_build_bases_urls_on_the_dev_server_and_uses_the_default_image(build_site):
    site = build_site(SITES / "basic", SEARCH_ENABLED=False, SEO_DEFAULT_IMAGE="images/cover.png")
    page = site.html(SANS_IMAGE)
    assert page.select_one("link[rel=canonical]")["href"] == "http://127.0.0.1:8000" + SANS_IMAGE
    assert meta(page, "og:image") == "http://127.0.0.1:8000/images/cover.png"
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in site.file("/robots.txt").read_text()
    draft = site.html("/brouillons/un-brouillon/")
    assert meta(draft, "robots") == "noindex"


def test_a_second_build_from_the_content_cache_writes_identical_files(tmp_path):
    """Pagefind's own filter and meta files are named by hashes that vary from run to run even
    on identical input (their entries are unordered), so the index is compared by its pages:
    every fragment (URL, text, filters of one page) must be the same."""
    from tests.conftest import run_build

    cache = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CACHE_PATH": str(tmp_path / "c")}
    first = run_build(SITES / "basic", tmp_path / "first", **cache)
    second = run_build(SITES / "basic", tmp_path / "second", **cache)

    def files(root: Path) -> dict[str, bytes]:
        """Pages, sitemap, robots.txt and the index's fragments (feeds are not ours)."""
        kept = {}
        for path in root.rglob("*"):
            top = path.relative_to(root).parts[0]
            if not path.is_file() or top == "feeds":
                continue
            if top == "pagefind" and path.parent.name != "fragment":
                continue
            kept[str(path.relative_to(root))] = path.read_bytes()
        return kept

    before, after = files(first.output), files(second.output)
    fragments = [name for name in before if name.startswith("pagefind/") and "/fragment/" in name]
    assert "sitemap.xml" in before and fragments  # pagefind/1/fragment/… with the index in parts
    assert sorted(before) == sorted(after)
    assert [name for name in before if before[name] != after[name]] == []
