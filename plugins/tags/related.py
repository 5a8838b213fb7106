"""Related articles: the ones sharing the most informative tags, found through the tag index.

Each shared tag weighs its inverse document frequency, ``log(N / articles with the tag)``: two
articles that both mention la Fnac say more about each other than two that are both about
« service client ». A tag on every article weighs nothing.

The search never compares all pairs of articles. It walks the article's tags from the rarest to
the most common, adding each tag's weight to the articles listed under it; as soon as the
current k-th best score is above what the remaining (common) tags could give a newcomer, the
long lists of the common tags are no longer walked: those tags only add their weight to the
candidates already found (a threshold algorithm, exact up to ties). With 3,000 articles and
1,500 tags that is a few hundred milliseconds for every article of the site.

Why not a library: ``related_posts`` (pelican-plugins) counts shared tags with no weighting, so
the most common tags decide; ``similar-posts`` pulls in gensim and numpy for what is a weighted
count here, and neither knows about series episodes or older-only suggestions.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RelatedIndex:
    """Which documents carry each tag, and how much each tag weighs."""

    tags: tuple[frozenset[Hashable], ...]  # per document
    postings: dict[Hashable, tuple[int, ...]]  # tag -> documents, in document order
    weights: dict[Hashable, float]  # tag -> inverse document frequency

    @classmethod
    def build(cls, documents: Sequence[Sequence[Hashable]]) -> RelatedIndex:
        """The index of documents given by their tags; earlier documents win ties."""
        postings: dict[Hashable, list[int]] = defaultdict(list)
        tags = tuple(frozenset(doc) for doc in documents)
        for number, doc_tags in enumerate(tags):
            for tag in doc_tags:
                postings[tag].append(number)
        total = len(tags)
        return cls(
            tags,
            {tag: tuple(docs) for tag, docs in postings.items()},
            {tag: math.log(total / len(docs)) for tag, docs in postings.items()},
        )

    def related(
        self,
        tags: Sequence[Hashable],
        limit: int,
        accept: Callable[[int], bool] = lambda _doc: True,
    ) -> list[int]:
        """Up to ``limit`` documents sharing the weightiest tags, best first.

        ``accept`` filters candidates (not the document itself, not too new…); a candidate with
        no weight in common (only tags that every document has) is never returned.
        """
        order = sorted(
            (tag for tag in set(tags) if self.weights.get(tag, 0.0) > 0),
            key=lambda tag: (-self.weights[tag], len(self.postings[tag]), repr(tag)),
        )
        remaining = sum(self.weights[tag] for tag in order)
        scores: dict[int, float] = {}
        for position, tag in enumerate(order):
            weight = self.weights[tag]
            remaining -= weight
            for doc in self.postings[tag]:
                if doc in scores:
                    scores[doc] += weight
                elif accept(doc):
                    scores[doc] = weight
            if len(scores) >= limit and _kth(scores, limit) > remaining + 1e-9:
                for later in order[position + 1 :]:
                    later_weight = self.weights[later]
                    for doc in scores:
                        if later in self.tags[doc]:
                            scores[doc] += later_weight
                break
        best = heapq.nsmallest(limit, scores.items(), key=lambda item: (-item[1], item[0]))
        return [doc for doc, _score in best]


def _kth(scores: dict[Any, float], k: int) -> float:
    return heapq.nlargest(k, scores.values())[-1]
