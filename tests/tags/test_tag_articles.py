"""``TagArticles``: the list Pelican fills for each tag answers `in` like a list, in O(1)."""

from __future__ import annotations

from types import SimpleNamespace

from plugins.tags.tags import TagArticles


def test_membership_follows_the_list_through_changes():
    first, second, third = (SimpleNamespace(n=n) for n in range(3))
    articles = TagArticles()
    assert first not in articles
    articles.append(first)
    articles.append(second)
    assert first in articles and second in articles and third not in articles
    articles[1] = third
    assert second not in articles and third in articles
    articles.remove(first)
    assert first not in articles
    assert SimpleNamespace(n=2) not in articles  # identity, as content objects compare


def test_it_is_still_a_list_for_templates_and_sorting():
    items = [SimpleNamespace(n=n) for n in (3, 1, 2)]
    articles = TagArticles(items)
    assert list(articles) == items and len(articles) == 3
    assert [a.n for a in sorted(articles, key=lambda a: a.n)] == [1, 2, 3]
