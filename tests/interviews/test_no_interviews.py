"""A site without interviews announces no interviews feed (an empty one would change each build)."""

from __future__ import annotations


def test_no_interview_no_interviews_feed_nor_link(build_site, tmp_path):
    content = tmp_path / "content"
    (content / "posts").mkdir(parents=True)
    (content / "posts/billet.md").write_text(
        "Title: Un billet\nDate: 2024-01-01\n\nTexte.\n", encoding="utf-8"
    )
    site = build_site(content, SEARCH_ENABLED=False)
    assert not site.exists("/feeds/interviews.atom.xml")
    listing = site.html("/interviews/")
    assert listing.select('link[href$="interviews.atom.xml"], a[href$="interviews.atom.xml"]') == []
