"""The benchmark's content generator: deterministic, and faithful to the authoring contract."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from benchmarks.generate import fold, generate, tag_pool, zipf_sampler

SIZE = 60


def tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def header(path: Path) -> dict[str, str]:
    fields = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            break
        key, sep, value = line.partition(":")
        assert sep and re.fullmatch(r"[A-Z][a-z_]*", key), f"{path}: {line!r}"
        fields[key] = value.strip()
    return fields


@pytest.fixture(scope="module")
def content(tmp_path_factory):
    target = tmp_path_factory.mktemp("generated") / "content"
    generate(target, SIZE, seed=7)
    return target


@pytest.fixture(scope="module")
def articles(content):
    return {path: header(path) for path in sorted((content / "posts").rglob("*.md"))}


def test_the_same_seed_writes_the_same_files(content, tmp_path):
    generate(tmp_path / "again", SIZE, seed=7)
    assert tree(tmp_path / "again") == tree(content)


def test_another_seed_writes_other_articles(content, tmp_path):
    generate(tmp_path / "other", SIZE, seed=8)
    assert tree(tmp_path / "other") != tree(content)


def test_it_writes_the_requested_number_of_articles_and_the_data_files(content, articles):
    assert len(articles) == SIZE
    for name in ("series.yml", "tags.yml", "glossary.yml", "questionnaires/sens-du-client.yml"):
        assert (content / "data" / name).is_file(), name
    assert len(yaml.safe_load((content / "data" / "glossary.yml").read_text())) == 50


def test_every_header_has_a_title_a_valid_date_and_tags(articles):
    for path, fields in articles.items():
        assert fields["Title"], path
        datetime.datetime.strptime(fields["Date"], "%Y-%m-%d %H:%M")
        assert 3 <= len(fields["Tags"].split(", ")) <= 8, path


def test_titles_make_distinct_slugs(articles):
    slugs = Counter(fold(fields["Title"]) for fields in articles.values())
    assert slugs.most_common(1)[0][1] == 1


def test_interviews_answer_every_required_question_with_its_exact_wording(content, articles):
    questionnaire = yaml.safe_load((content / "data/questionnaires/sens-du-client.yml").read_text())
    required = {q["text"] for q in questionnaire["questions"] if not q.get("optional")}
    every = {q["text"] for q in questionnaire["questions"]}
    interviews = [path for path, fields in articles.items() if "Questionnaire" in fields]
    assert interviews
    for path in interviews:
        headings = re.findall(r"^## (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
        assert required <= set(headings) <= every, path
        assert len(headings) == len(set(headings)), path


def test_series_yml_defines_every_series_used(content, articles):
    defined = yaml.safe_load((content / "data" / "series.yml").read_text())
    used = {fields["Series"] for fields in articles.values() if "Series" in fields}
    assert used and used <= set(defined)


def test_text_has_accents_straight_quotes_and_question_marks(articles):
    text = "".join(path.read_text(encoding="utf-8") for path in articles)
    for needed in ("é", '"', " ?", "'"):
        assert needed in text


def test_tag_aliases_are_not_tag_names(content):
    tags = yaml.safe_load((content / "data" / "tags.yml").read_text())
    names = {fold(tag) for tag in tags}
    aliases = [alias for entry in tags.values() for alias in entry.get("aliases", ())]
    assert aliases
    assert not {fold(alias) for alias in aliases} & names


def test_the_tag_pool_has_1500_distinct_names():
    pool = tag_pool(1500)
    assert len(pool) == len(set(pool)) == 1500


def test_tags_follow_a_zipf_like_spread():
    import random

    draw = zipf_sampler(1500, 1.0, random.Random(3))
    counts = Counter(rank for _ in range(3000) for rank in draw(5))
    assert counts[0] > 20 * counts[100]
    assert counts[10] > counts[1000]
    assert len(counts) > 500  # the long tail is used too
