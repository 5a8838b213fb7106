"""data/authors.yml: profiles, their problems at path:line, the signature box and author pages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from plugins.authors import AuthorProfile, parse_authors
from tests.conftest import run_build

SITE = Path(__file__).parent / "sites" / "equipe"


def parse(data, exists=lambda path: True, lines=None):
    return parse_authors(data, "data/authors.yml", exists, lines)


def test_a_full_entry_becomes_a_profile():
    profiles, problems = parse(
        {
            "Ana": {
                "slug": "ana-b",
                "bio": " Écrit ici. ",
                "photo": "{static}/images/ana.jpg",
                "links": {"site": "https://a.example"},
            }
        }
    )
    assert problems == []
    assert profiles["Ana"] == AuthorProfile(
        name="Ana", slug="ana-b", bio="Écrit ici.", photo="images/ana.jpg",
        links=(("site", "https://a.example"),),
    )  # fmt: skip


def test_an_empty_file_or_entry_is_fine():
    assert parse(None) == ({}, [])
    assert parse({"Ana": None})[0]["Ana"] == AuthorProfile(name="Ana")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"biographie": "x"}, "clé inconnue « biographie » pour « Ana »"),
        ({"photo": "{static}/images/absente.jpg"}, "introuvable dans le contenu"),
        ({"photo": "images/ana.jpg"}, "attendu {static}/images/… ou https://…"),
        ({"photo": "{static}/../secret.jpg"}, "attendu {static}/images/…"),
        ({"links": {"site": "javascript:alert(1)"}}, "« links » de « Ana »"),
        ({"slug": "a/b"}, "un seul morceau d'adresse"),
        ({"bio": ["x"]}, "« bio » de « Ana » doit être un texte"),
    ],
)
def test_a_mistake_is_reported_at_its_line(entry, message):
    key = next(iter(entry))
    profiles, problems = parse(
        {"Ana": entry}, exists=lambda path: path != "images/absente.jpg", lines={("Ana", key): 3}
    )
    assert len(problems) == 1
    assert str(problems[0]).startswith("data/authors.yml:3: ")
    assert message in str(problems[0])
    assert key not in {k for k, v in vars(profiles["Ana"]).items() if v and k != "name"}


def test_an_unknown_key_close_to_a_known_one_gets_a_hint():
    _, problems = parse({"Ana": {"phot": "x"}})
    assert "vouliez-vous dire « photo » ?" in str(problems[0])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = run_build(SITE, tmp_path_factory.mktemp("equipe"), "pelicanconf.py")
    assert built.problems == []
    return built


def test_an_article_ends_with_the_signature_of_its_described_author(site):
    box = site.html("/2024/03/un-billet-signe/").select_one(".article-footer .author-box")
    assert (
        box.select_one(".author-box-name")
        .get_text(" ", strip=True)
        .startswith("Billet écrit par Thierry Spencer")
    )
    assert box.select_one("a[rel=author]")["href"] == "/auteurs/thierry/"
    assert box.select_one("img")["src"] == "/images/auteurs/ts.svg"
    assert box.select_one(".author-bio").get_text() == "Fondateur du blog, il n’aime pas attendre."
    assert box.select_one(".author-links a")["href"] == "https://example.org/thierry"


def test_the_slug_of_the_file_moves_the_author_page(site):
    assert site.exists("/auteurs/thierry/")
    assert not site.exists("/auteurs/thierry-spencer/")
    page = site.html("/auteurs/thierry/")
    assert page.select_one(".author-box .author-bio")
    assert 'href="/auteurs/thierry/"' in str(
        site.html("/2024/03/un-billet-signe/").select_one(".article-meta")
    )


def test_an_author_the_file_does_not_describe_is_named_only(site):
    page = site.html("/2024/03/un-billet-d-une-invitee/")
    assert page.select(".author-box") == []
    assert page.select_one(".article-meta a[rel=author]").get_text() == "Inconnue Sansfiche"
    assert site.html("/auteurs/inconnue-sansfiche/").select(".author-box") == []


def test_a_site_without_authors_yml_builds_as_before(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SITE, content)
    (content / "data" / "authors.yml").unlink()
    built = run_build(content, tmp_path / "out", "pelicanconf.py")
    assert built.problems == []
    assert built.html("/2024/03/un-billet-signe/").select(".author-box") == []
    assert built.exists("/auteurs/thierry-spencer/")


def test_a_bad_entry_is_reported_with_file_and_line_and_the_build_goes_on(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SITE, content)
    (content / "data" / "authors.yml").write_text(
        '"Thierry Spencer":\n  bio: Fondateur.\n  photo: "{static}/images/absente.jpg"\n',
        encoding="utf-8",
    )
    built = run_build(content, tmp_path / "out", "pelicanconf.py")
    assert any(
        "data/authors.yml:3: photo « {static}/images/absente.jpg » de « Thierry Spencer »" in p
        for p in built.problems
    ), built.problems
    box = built.html("/2024/03/un-billet-signe/").select_one(".author-box")
    assert box.select_one(".author-bio").get_text() == "Fondateur." and not box.select("img")
