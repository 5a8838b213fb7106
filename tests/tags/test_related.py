"""Related articles: informative tags weigh more, filters apply, and the index scales."""

from __future__ import annotations

import random

from plugins.tags import RelatedIndex

# Documents 0..5 (newest first). "service client" is everywhere but one; "Fnac" is rare.
CORPUS = [
    ["service client", "Fnac"],  # 0
    ["service client", "fidélisation", "mesure"],  # 1
    ["service client", "fidélisation"],  # 2
    ["Fnac", "e-commerce"],  # 3
    ["service client", "e-commerce", "fidélisation"],  # 4
    ["banque"],  # 5
]


def test_a_shared_rare_tag_outweighs_several_shared_common_ones():
    index = RelatedIndex.build(CORPUS)
    # Fnac is on 2 articles, "service client" on 4: the article sharing Fnac comes first.
    query = ["Fnac", "service client"]
    assert index.related(query, limit=5, accept=lambda doc: doc != 0) == [3, 1, 2, 4]


def test_more_shared_informative_tags_rank_higher_and_ties_go_to_the_newer():
    index = RelatedIndex.build(CORPUS)
    assert index.related(CORPUS[1], limit=3, accept=lambda doc: doc != 1) == [2, 4, 0]


def test_articles_without_a_shared_tag_are_never_related():
    index = RelatedIndex.build(CORPUS)
    assert index.related(["banque"], limit=5, accept=lambda doc: doc != 5) == []
    assert index.related(["inconnu"], limit=5) == []


def test_a_tag_on_every_article_relates_nothing():
    index = RelatedIndex.build([["a", "b"], ["a"], ["a", "c"]])
    assert index.related(["a"], limit=5, accept=lambda doc: doc != 1) == []


def test_the_filter_removes_candidates_and_the_limit_caps_the_list():
    index = RelatedIndex.build(CORPUS)
    older_than_2 = index.related(CORPUS[2], limit=5, accept=lambda doc: doc > 2)
    assert older_than_2 == [4]
    assert len(index.related(["service client"], limit=2)) == 2


def test_the_early_stop_gives_the_same_ranking_as_a_full_count():
    rng = random.Random(7)
    tags = [f"t{k}" for k in range(60)]
    weights = [1 / (k + 1) for k in range(60)]
    corpus = [sorted(set(rng.choices(tags, weights, k=rng.randint(1, 5)))) for _ in range(300)]
    index = RelatedIndex.build(corpus)
    for number in range(0, 300, 7):
        full = {}
        for other, other_tags in enumerate(corpus):
            shared = set(corpus[number]) & set(other_tags)
            score = sum(index.weights[tag] for tag in shared)
            if other != number and score > 0:
                full[other] = score
        expected = sorted(full, key=lambda doc: (-round(full[doc], 9), doc))[:5]
        got = index.related(corpus[number], limit=5, accept=lambda doc, n=number: doc != n)
        assert [round(full[doc], 9) for doc in got] == [round(full[doc], 9) for doc in expected]


def test_three_thousand_articles_and_fifteen_hundred_tags_give_five_related_each():
    rng = random.Random(1)
    tags = [f"tag-{k}" for k in range(1500)]
    weights = [1 / (k + 1) for k in range(1500)]  # a few common tags, a long tail of rare ones
    corpus = [rng.choices(tags, weights, k=rng.randint(2, 6)) for _ in range(3000)]
    index = RelatedIndex.build(corpus)
    results = [
        index.related(doc_tags, limit=5, accept=lambda doc, n=number: doc != n)
        for number, doc_tags in enumerate(corpus)
    ]
    assert len(results) == 3000
    assert all(len(found) <= 5 and number not in found for number, found in enumerate(results))
    assert sum(len(found) == 5 for found in results) > 2900
