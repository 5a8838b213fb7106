"""Gates: links, anchors, assets, feeds, search index and shrinking, checked on the output."""

from __future__ import annotations

from dataclasses import replace

import pytest

from deploy import load_config, run_gates
from deploy.gates import GateProblem, check_feeds, check_links, check_search, check_shrink
from deploy.plan import Change, Plan
from tests.deploy.helpers import SITE_URL, write


def page(body: str, head: str = "") -> str:
    start = f'<!doctype html><html lang="fr"><head>{head}</head><body id="haut">'
    return f"{start}\n{body}\n</body></html>"


def problems_for(tmp_path, body: str, extra: dict | None = None, site_url: str = SITE_URL):
    write(tmp_path / "index.html", page('<p id="intro">x</p>'))
    write(tmp_path / "blog/post/index.html", page('<h2 id="suite">x</h2>'))
    write(tmp_path / "theme/site.3f2a9c1b.css", "body{}")
    write(tmp_path / "images/a.png", b"png")
    for path, content in (extra or {}).items():
        write(tmp_path / path, content)
    write(tmp_path / "blog/page.html", page(body))
    return [str(p) for p in check_links(tmp_path, site_url)]


GOOD = [
    '<a href="/">home</a>',
    '<a href="../index.html#intro">relative with anchor</a>',
    '<a href="/blog/post/">directory</a>',
    '<a href="/blog/post">directory without slash</a>',
    '<a href="post/#suite">relative directory with anchor</a>',
    '<a href="#haut">same page</a> <a href="#">top</a> <a href="#top">top</a>',
    '<a href="https://sensduclient.example/blog/post/#suite">absolute to the site</a>',
    '<a href="https://ailleurs.example/nope">external</a> <a href="mailto:a@b.c">m</a>',
    '<a href="tel:+33123">t</a> <a href="javascript:void(0)">j</a>',
    '<img src="/images/a.png" srcset="/images/a.png 1x,/images/a.png 2x" alt="">',
    '<img src="data:image/png;base64,AAAA" alt="">',
    "<div style=\"background: url('/images/a.png')\"></div>",
    '<link rel="stylesheet" href="/theme/site.3f2a9c1b.css">',
    '<a href="/blog/page.html?page=2">query</a>',
    '<a href="/images/a%2Epng">percent-encoded</a>',
]


@pytest.mark.parametrize("body", GOOD)
def test_working_links_pass(tmp_path, body):
    assert problems_for(tmp_path, body) == []


BAD = [
    ('<a href="/nope/">x</a>', "broken link '/nope/': no nope/index.html"),
    ('<a href="post.html">x</a>', "broken link 'post.html': no blog/post.html"),
    ('<a href="/#absent">x</a>', "broken anchor '/#absent': no id 'absent' in index.html"),
    ('<a href="#absent">x</a>', "broken anchor '#absent': no id 'absent' in blog/page.html"),
    ('<img src="/images/b.png" alt="">', "broken link '/images/b.png'"),
    ('<img srcset="/images/a.png 1x, /images/b.png 2x" alt="">', "broken link '/images/b.png'"),
    ('<video poster="/images/p.jpg"></video>', "broken link '/images/p.jpg'"),
    ('<script src="/theme/app.js"></script>', "broken link '/theme/app.js'"),
    ('<a href="https://sensduclient.example/gone/">x</a>', "no gone/index.html"),
    ('<style>body{background:url("../fond.png")}</style>', "broken link '../fond.png'"),
    ('<a href="../../../x.html">x</a>', "points outside the site"),
]


@pytest.mark.parametrize(("body", "message"), BAD)
def test_broken_links_and_anchors_are_named_with_file_and_line(tmp_path, body, message):
    problems = problems_for(tmp_path, body)
    assert len(problems) == 1
    assert problems[0].startswith("links: blog/page.html:2: ")
    assert message in problems[0]


def test_css_urls_and_imports_resolve_from_the_stylesheet(tmp_path):
    css = '@import "base.css";\nbody{background:url(../images/a.png)}\n.x{src:url(fonts/f.woff2)}'
    problems = problems_for(tmp_path, "", {"theme/main.css": css})
    assert problems == [
        "links: theme/main.css:1: broken link 'base.css': no theme/base.css",
        "links: theme/main.css:3: broken link 'fonts/f.woff2': no theme/fonts/f.woff2",
    ]


def test_a_site_under_a_subpath_checks_links_below_it(tmp_path):
    body = '<a href="/blog/">root</a> <a href="/blog/blog/post/">deep</a> <a href="/autre/">out</a>'
    problems = problems_for(tmp_path, body, site_url="https://h.example/blog")
    assert len(problems) == 1
    assert "'/autre/' points outside the site root /blog/" in problems[0]


def test_an_empty_page_is_a_problem(tmp_path):
    problems = problems_for(tmp_path, "", {"blog/vide.html": ""})
    assert problems == ["links: blog/vide.html: empty HTML file"]


def test_a_truncated_feed_fails_and_a_good_one_passes(tmp_path, site):
    assert check_feeds(site) == []
    feed = site / "feeds/all.atom.xml"
    feed.write_text(feed.read_text()[:-40])
    problems = check_feeds(site)
    assert len(problems) == 1
    assert str(problems[0]).startswith("feeds: feeds/all.atom.xml: invalid feed: ")


def test_the_search_index_is_required_only_when_search_is_enabled(site):
    (site / "pagefind/pagefind.js").unlink()
    assert check_search(site, search_enabled=False) == []
    assert [p.gate for p in check_search(site, search_enabled=True)] == ["search"]


def plan(online_pages: int, deleted_pages: int) -> Plan:
    deletes = tuple(Change(f"p{n}.html", 1) for n in range(deleted_pages))
    return Plan("dest", (), (*deletes, Change("x.css", 1)), 0, online_pages)


@pytest.mark.parametrize(
    ("online", "deleted", "force", "refused"),
    [
        (10, 2, False, False),  # 20%: allowed
        (10, 3, False, True),
        (10, 3, True, False),
        (0, 0, False, False),  # first deploy
        (1, 1, False, True),
    ],
)
def test_shrinking_more_than_a_fifth_of_the_pages_is_refused_unless_forced(
    online, deleted, force, refused
):
    problems = check_shrink(plan(online, deleted), 0.2, force)
    assert bool(problems) is refused
    if refused:
        assert f"would delete {deleted} of the {online} HTML pages online" in str(problems[0])
        assert "--force" in str(problems[0])


def test_run_gates_lists_every_problem_of_every_gate(site, tmp_path):
    (site / "theme/css/site.3f2a9c1b.css").unlink()
    (site / "pagefind/pagefind.js").unlink()
    (site / "feeds/all.atom.xml").write_text("<feed>")
    dest = tmp_path / "online"
    config = load_config(
        {"DEPLOY_TARGET": "rsync", "DEPLOY_RSYNC_DEST": str(dest), "SITEURL": SITE_URL}, {}
    )
    problems = run_gates(site, config)
    assert {p.gate for p in problems} == {"links", "feeds", "search"}
    # the page that loads the missing search script and stylesheet is named
    assert any(p.path == "index.html" and "pagefind.js" in p.message for p in problems)
    assert run_gates(site, replace(config, search_enabled=False)) != []
    assert all(isinstance(p, GateProblem) for p in problems)
