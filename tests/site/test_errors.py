"""Authors' mistakes: named with file and line, every one listed, strict builds fail."""

from __future__ import annotations

from pathlib import Path

SITES = Path(__file__).parent / "sites"


def test_dev_build_reports_each_mistake_with_file_and_line_and_goes_on(build_site):
    site = build_site(SITES / "broken")
    messages = "\n".join(site.problems)
    assert "mauvaise-date.md:2: Date « 2020-13-45 » n'est pas une date valide" in messages
    assert "statut.md:3: Status « publised » inconnu" in messages
    assert "vouliez-vous dire « published »" in messages
    assert "data/series.yml:2: YAML illisible" in messages or "data/series.yml:3" in messages
    assert site.exists("/2020/01/correct/")


def test_strict_build_fails_and_lists_every_problem(pelican_cli, tmp_path):
    result = pelican_cli(SITES / "broken", "publishconf.py", tmp_path / "out")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Construction stricte refusée : " in output
    for name in ("mauvaise-date.md", "statut.md", "series.yml"):
        assert name in output
    assert "Traceback" not in output


def test_strict_build_of_clean_content_succeeds(pelican_cli, tmp_path):
    result = pelican_cli(SITES / "other", "publishconf.py", tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr


def test_unknown_header_key_suggests_the_contract_key(build_site, tmp_path):
    content = tmp_path / "content"
    (content / "posts").mkdir(parents=True)
    (content / "posts/typo.md").write_text(
        "Title: Faute de frappe\nDate: 2021-05-01\nSerie: Irritant\n\nTexte.\n", encoding="utf-8"
    )
    site = build_site(content)
    assert any(
        "typo.md:3: clé d'en-tête inconnue « serie »" in m and "« Series »" in m
        for m in site.problems
    )


def test_two_contents_written_to_one_file_are_both_named(build_site):
    site = build_site(SITES / "collision")
    messages = "\n".join(site.problems)
    assert "pages/archives.md: écrirait archives/index.html" in messages
    assert site.html("/archives/").h1.get_text() == "Archives"
    collision = next(m for m in site.problems if "2020/01/meme/index.html" in m)
    assert "posts/a.md" in collision and "posts/b.md" in collision


def test_a_slug_used_twice_is_reported_with_both_files(build_site, tmp_path):
    content = tmp_path / "content"
    (content / "posts").mkdir(parents=True)
    for name, date in (("a.md", "2020-01-03"), ("b.md", "2021-05-20")):
        (content / "posts" / name).write_text(
            f"Title: Billet {name}\nDate: {date}\nSlug: meme\n\nTexte.\n", encoding="utf-8"
        )
    site = build_site(content, SEARCH_ENABLED=False)
    (duplicate,) = [m for m in site.problems if "meme" in m]  # one line, in French
    assert "slug « meme » aussi donné à" in duplicate
    assert "posts/a.md" in duplicate and "posts/b.md" in duplicate


def test_a_page_taking_a_plugin_page_address_is_reported_and_the_build_goes_on(
    build_site, tmp_path
):
    content = tmp_path / "content"
    (content / "posts").mkdir(parents=True)
    (content / "pages").mkdir()
    (content / "posts/billet.md").write_text(
        "Title: Billet\nDate: 2021-05-01\n\nTexte.\n", encoding="utf-8"
    )
    (content / "pages/lexique.md").write_text(
        "Title: Mon lexique\nSlug: glossaire\n\nTexte.\n", encoding="utf-8"
    )
    (content / "data").mkdir()
    (content / "data/glossary.yml").write_text("NPS:\n  definition: Un indicateur.\n")
    site = build_site(content, SEARCH_ENABLED=False)
    assert any("glossaire/index.html : deux pages écrites" in m for m in site.problems)
    assert site.exists("/2021/05/billet/")
    assert site.html("/glossaire/").h1.get_text() != "Mon lexique"


def test_an_impossible_date_in_a_file_name_names_that_file(build_site, tmp_path):
    content = tmp_path / "content"
    (content / "posts").mkdir(parents=True)
    (content / "posts/2020-01-05-correct.md").write_text(
        "Title: Correct\nDate: 2020-01-05\n\nTexte.\n", encoding="utf-8"
    )
    (content / "posts/2020-02-31-nom-impossible.md").write_text(
        "Title: Nom impossible\n\nTexte.\n", encoding="utf-8"
    )
    site = build_site(content, READ_AHEAD_ENABLED=False)
    problems = [p for p in site.problems if "n'est pas une date valide" in p]
    assert len(problems) == 1
    assert "posts/2020-02-31-nom-impossible.md: Date « 2020-02-31 »" in problems[0]
    assert "nom du fichier" in problems[0] and "AAAA-MM-JJ-titre.md" in problems[0]
    assert "correct.md" not in problems[0]
