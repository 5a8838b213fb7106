"""The demo's search index holds the articles' own text: not the glossary's definitions shown in
tooltips, nor the interviews' "Toutes les réponses à cette question" links; results carry the
date and series shown on result cards."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.search.bundles import fragments

ROOT = Path(__file__).resolve().parents[2]
NPS = "/2022/06/nps-pas-un-objectif/"
INTERVIEW = (
    "/2021/05/helene-ferrand-un-client-qui-se-plaint-est-un-client-qui-vous-laisse-une-chance/"
)
EPISODE = "/2021/03/la-boulangerie-de-la-gare/"


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    from tests.conftest import run_build

    site = run_build(ROOT / "content", tmp_path_factory.mktemp("demo-search"), SEARCH_ENABLED=True)
    return fragments(site.output)


def test_glossary_definitions_are_not_indexed_as_the_articles_text(index):
    content = index[NPS]["content"]
    assert "NPS" in content
    assert "Net Promoter Score" not in content


def test_links_to_every_answer_are_not_indexed_as_the_interviews_text(index):
    content = index[INTERVIEW]["content"]
    assert "Qui êtes-vous" in content
    assert "Toutes les réponses" not in content


def test_results_carry_their_date_and_series_for_the_result_cards(index):
    assert index[EPISODE]["meta"]["date"] == "4 mars 2021"
    # Straight inside words, as the whole index (plugins.search); the page shows it typographic.
    assert index[EPISODE]["meta"]["series"] == "L'Oeil du Sens du client"
    assert "series" not in index[NPS]["meta"]
