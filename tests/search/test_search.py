"""Search: the Pagefind index of articles, French elisions, the search page and the header box."""

from __future__ import annotations

from pathlib import Path

import pytest

from plugins.search import SETTINGS_DEFAULTS, index_config, settings_problems, split_elisions
from tests.search.bundles import bundle_dirs, fragments

SITES = Path(__file__).parent / "sites"
ENTRY = "/2021/01/la-culture-d-abord/"
INTERVIEW = "/2022/09/entretien-avec-karim/"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("l’entreprise", "l'entreprise"),
        ("qu’il, aujourd’hui", "qu'il, aujourd'hui"),
        ("L’Oeil du client", "L'Oeil du client"),
        ("d&rsquo;entreprise", "d'entreprise"),
        ("d&#8217;entreprise", "d'entreprise"),
        ("l’élan", "l'élan"),
        ("des clients’ avis", "des clients’ avis"),  # not between two letters
        ("à 9’30", "à 9’30"),
        ("‘citation’", "‘citation’"),
        ("déjà l'entreprise", "déjà l'entreprise"),
    ],
)
def test_typographic_apostrophes_inside_words_become_straight_for_the_index(text, expected):
    assert split_elisions(f"<p>{text}</p>") == f"<p>{expected}</p>"


def test_attributes_keep_their_typographic_apostrophes_for_filters_and_links():
    html = '<article data-search-series="L’Oeil"><h1>L’Oeil <a href="/l’a/">d’or</a></h1>'
    assert split_elisions(html) == (
        '<article data-search-series="L’Oeil"><h1>L\'Oeil <a href="/l’a/">d\'or</a></h1>'
    )


def test_pagefind_is_given_each_excluded_selector():
    settings = {**SETTINGS_DEFAULTS, "SEARCH_EXCLUDE_SELECTORS": (".a", ".b c")}
    assert index_config(settings) == {"exclude_selectors": [".a", ".b c"]}


def test_default_settings_are_usable_and_wrong_types_are_named():
    assert settings_problems(SETTINGS_DEFAULTS) == []
    problems = dict(settings_problems({"SEARCH_ENABLED": "oui", "SEARCH_TIMEOUT": True}))
    assert set(problems) == {"SEARCH_ENABLED", "SEARCH_TIMEOUT"}
    assert "'oui'" in problems["SEARCH_ENABLED"]
    for parts in (0, 9, "2", 2.0):
        assert [name for name, _ in settings_problems({"SEARCH_PARTITIONS": parts})] == [
            "SEARCH_PARTITIONS"
        ]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from tests.conftest import run_build

    return run_build(SITES / "basic", tmp_path_factory.mktemp("search"))


def test_the_build_indexes_with_pagefind_without_any_problem(site):
    assert site.problems == []
    # pelicanconf.py splits the index in two (SEARCH_PARTITIONS), even with few articles.
    parts = [site.output / "pagefind" / "1", site.output / "pagefind" / "2"]
    assert bundle_dirs(site.output) == parts
    assert all((part / "pagefind-ui.js").exists() for part in parts)


def test_only_published_articles_are_indexed_not_pages_or_hidden_articles(site):
    assert set(fragments(site.output)) == {ENTRY, INTERVIEW}
    assert site.html("/a-propos/").select("[data-pagefind-body]") == []
    hidden = next(site.output.glob("2023/01/*/index.html")).read_text(encoding="utf-8")
    assert "data-pagefind-body" not in hidden


def test_pagefind_reads_elisions_split_while_the_published_page_keeps_its_apostrophes(site):
    indexed = fragments(site.output)[ENTRY]["content"]
    assert "l'entreprise" in indexed and "aujourd'hui" in indexed
    assert "l’entreprise" in site.html(ENTRY).select_one(".article-body").get_text()


def test_article_title_and_body_are_indexed_but_not_meta_tags_or_share_links(site):
    article = site.html(INTERVIEW).select_one("article[data-pagefind-body]")
    assert article is not None
    assert article.select_one("footer")["data-pagefind-ignore"] is not None
    content = fragments(site.output)[INTERVIEW]["content"]
    assert content.startswith("Paroles (1) : Entretien avec Karim")
    assert "vingt ans" in content
    assert "Partager" not in content and "LinkedIn" not in content
    assert "septembre 2022" not in content  # the meta line


def test_articles_are_filtered_by_format_category_and_series(site):
    interview = fragments(site.output)[INTERVIEW]["filters"]
    assert interview == {"Format": ["Interview"], "Catégorie": ["Interviews"], "Série": ["Paroles"]}
    entry = fragments(site.output)[ENTRY]["filters"]
    assert entry == {"Format": ["Billet"], "Catégorie": ["Expérience client"]}


def test_the_search_page_starts_pagefind_ui_in_french_and_reads_the_query(site):
    page = site.html("/recherche/")
    assert page.html["lang"] == "fr"
    assert page.h1.get_text() == "Rechercher"
    scripts = [s.get("src") for s in page.select("script[src]")]
    assert "/pagefind/1/pagefind-ui.js" in scripts
    code = "".join(s.get_text() for s in page.select("script:not([src])"))
    assert "new PagefindUI" in code and 'get("q")' in code and "triggerSearch" in code
    assert 'var bundles = ["/pagefind/1/", "/pagefind/2/"];' in code
    assert "Aucun résultat" in code
    assert page.select_one("noscript a[href='/archives/']") is not None


def test_pagefind_stylesheet_is_loaded_on_the_search_page_only(site):
    css = "link[href='/pagefind/1/pagefind-ui.css']"
    assert site.html("/recherche/").select_one(css) is not None
    assert site.html("/").select_one(css) is None
    assert site.html(ENTRY).select_one(css) is None


def test_header_search_box_is_a_get_form_to_the_search_page_with_a_labelled_q(site):
    form = site.html(ENTRY).select_one("header form[role=search]")
    assert form["action"] == "/recherche/"
    assert form["method"] == "get"
    field = form.select_one("input[name=q]")
    assert form.select_one(f"label[for={field['id']}]").get_text(strip=True)
    assert form.select_one("button[type=submit]") is not None
    assert site.html("/recherche/").select_one("header form[role=search]") is None


def test_a_missing_pagefind_binary_is_one_error_naming_the_cause(build_site, monkeypatch, tmp_path):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "pas-de-pagefind"))
    site = build_site(SITES / "basic")
    assert len(site.problems) == 1
    assert "Pagefind introuvable" in site.problems[0]
    assert "pas-de-pagefind" in site.problems[0]


def test_a_failing_pagefind_is_one_error_with_its_exit_code_and_last_message(
    build_site, monkeypatch, tmp_path
):
    failing = tmp_path / "pagefind"
    failing.write_text("#!/bin/sh\necho indexing >&2\necho 'Error: disque plein' >&2\nexit 3\n")
    failing.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(failing))
    site = build_site(SITES / "basic")
    assert len(site.problems) == 1
    assert "code 3" in site.problems[0] and "Error: disque plein" in site.problems[0]


def test_a_strict_build_fails_when_pagefind_fails(build_site, monkeypatch, tmp_path):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "pas-de-pagefind"))
    with pytest.raises(SystemExit):
        build_site(SITES / "basic", "publishconf.py")


def test_search_can_be_turned_off_for_fast_builds(build_site):
    site = build_site(SITES / "basic", SEARCH_ENABLED=False)
    assert site.problems == []
    assert not (site.output / "pagefind").exists()
    assert site.exists("/recherche/")


def test_the_public_build_has_one_index_and_no_merge(build_site):
    site = build_site(SITES / "basic", SEARCH_PARTITIONS=1)  # what publishconf.py sets
    assert site.problems == []
    assert bundle_dirs(site.output) == [site.output / "pagefind"]
    assert set(fragments(site.output)) == {ENTRY, INTERVIEW}
    page = site.html("/recherche/")
    assert "/pagefind/pagefind-ui.js" in [s.get("src") for s in page.select("script[src]")]
    code = "".join(s.get_text() for s in page.select("script:not([src])"))
    assert 'var bundles = ["/pagefind/"];' in code
