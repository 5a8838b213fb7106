"""Warm builds keep unchanged pages, and their output is byte for byte a cold build's."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import differences, output_files, run_build

SITE = Path(__file__).parent / "sites" / "blog"
EDITED = "posts/2021-03-10-billet-3.md"
UNRELATED_PAGE = "2021/01/billet-numero-1/index.html"
EDITED_PAGE = "2021/03/billet-numero-3/index.html"
# The site has no interview: feedgenerator dates an empty feed with the current time, so two
# cold builds differ there too; the interviews feed is switched off.
SETTINGS = {"SEARCH_ENABLED": False, "INTERVIEWS_FEED_ATOM": ""}


def mtimes(root: Path) -> dict[str, int]:
    return {name: path.stat().st_mtime_ns for name, path in output_files(root).items()}


class Blog:
    """A copy of the scenario site, built warm into one output folder, cold into others."""

    def __init__(self, tmp_path: Path):
        self.tmp = tmp_path
        self.content = tmp_path / "content"
        shutil.copytree(SITE, self.content)
        self.output = tmp_path / "warm"
        self.cache = tmp_path / "cache"
        self.colds = 0

    def warm(self, **settings):
        return run_build(
            self.content, self.output, **SETTINGS, CACHE_CONTENT=True,
            LOAD_CONTENT_CACHE=True, DELETE_OUTPUT_DIRECTORY=False, CACHE_PATH=str(self.cache),
            **settings,
        )  # fmt: skip

    def cold(self, **settings) -> Path:
        self.colds += 1
        target = self.tmp / f"cold-{self.colds}"
        run_build(self.content, target, **{**SETTINGS, **settings})
        return target

    def edit(self, name: str, old: str, new: str) -> None:
        path = self.content / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


@pytest.fixture
def blog(tmp_path):
    site = Blog(tmp_path)
    site.warm()
    return site


def test_a_warm_build_with_nothing_changed_writes_no_file(blog):
    before = mtimes(blog.output)
    built = blog.warm()
    assert built.problems == []
    html = [name for name in before if name.endswith(".html") or name.startswith("feeds/")]
    assert html
    assert {n: t for n, t in mtimes(blog.output).items() if n in html} == {
        n: before[n] for n in html
    }


def test_after_a_body_edit_the_warm_output_is_the_cold_output(blog):
    blog.edit(EDITED, "Dernier paragraphe du billet 3.", "Dernier paragraphe, corrigé.")
    blog.warm()
    assert differences(blog.output, blog.cold()) == []
    assert "corrigé" in (blog.output / EDITED_PAGE).read_text(encoding="utf-8")


def test_a_body_edit_rewrites_its_page_but_not_unrelated_articles(blog):
    before = mtimes(blog.output)
    blog.edit(EDITED, "Dernier paragraphe du billet 3.", "Dernier paragraphe, corrigé.")
    blog.warm()
    after = mtimes(blog.output)
    assert after[EDITED_PAGE] != before[EDITED_PAGE]
    assert after[UNRELATED_PAGE] == before[UNRELATED_PAGE]


def test_a_new_title_reaches_every_page_that_shows_it(blog):
    blog.edit(EDITED, "Title: Billet numéro 3", "Title: Un tout nouveau titre")
    blog.warm()
    assert differences(blog.output, blog.cold()) == []
    assert "Un tout nouveau titre" in (blog.output / "index.html").read_text(encoding="utf-8")


def test_an_edit_of_the_first_paragraph_reaches_the_listings_summaries(blog):
    blog.edit(EDITED, "Premier paragraphe du billet 3", "Ouverture réécrite du billet 3")
    blog.warm()
    assert differences(blog.output, blog.cold()) == []


def test_a_removed_article_leaves_no_page_behind(blog):
    (blog.content / EDITED).unlink()
    blog.warm()
    assert not (blog.output / EDITED_PAGE).exists()
    assert differences(blog.output, blog.cold()) == []


def test_an_added_series_episode_renumbers_and_links_like_a_cold_build(blog):
    episode = (blog.content / "posts/2021-06-10-billet-6.md").read_text(encoding="utf-8")
    new = episode.replace("Billet numéro 6", "Billet numéro 7").replace("2021-06-10", "2021-06-20")
    (blog.content / "posts/2021-06-20-billet-7.md").write_text(new, encoding="utf-8")
    blog.warm()
    assert differences(blog.output, blog.cold()) == []


def test_a_changed_setting_renders_every_page_again(blog):
    blog.warm(SITENAME="Un autre nom")
    assert differences(blog.output, blog.cold(SITENAME="Un autre nom")) == []


def test_an_output_file_changed_by_hand_is_written_again(blog):
    page = blog.output / UNRELATED_PAGE
    original = page.read_bytes()
    page.write_text("modifié à la main", encoding="utf-8")
    blog.warm()
    assert page.read_bytes() == original


def test_a_deleted_output_file_is_written_again(blog):
    (blog.output / UNRELATED_PAGE).unlink()
    blog.warm()
    assert (blog.output / UNRELATED_PAGE).exists()
    assert differences(blog.output, blog.cold()) == []


def test_without_the_content_cache_nothing_is_recorded(tmp_path):
    run_build(SITE, tmp_path / "out", **SETTINGS, CACHE_PATH=str(tmp_path / "cache"))
    assert not (tmp_path / "cache" / "site_writer.json").exists()


def test_a_cold_build_into_a_kept_folder_renders_everything_it_needs(blog):
    shutil.rmtree(blog.cache)
    blog.edit(EDITED, "Dernier paragraphe du billet 3.", "Dernier paragraphe, corrigé.")
    blog.warm()
    assert differences(blog.output, blog.cold()) == []


def test_the_demo_site_built_warm_again_writes_no_page(tmp_path):
    """Every plugin at once (interviews, series, tags, SEO): a value that differs from build
    to build in the context of any page makes the writer render it again."""
    root = Path(__file__).resolve().parents[2] / "content"
    warm = {
        "SEARCH_ENABLED": False,
        "CACHE_CONTENT": True,
        "LOAD_CONTENT_CACHE": True,
        "DELETE_OUTPUT_DIRECTORY": False,
        "CACHE_PATH": str(tmp_path / "cache"),
    }
    output = tmp_path / "output"
    assert run_build(root, output, **warm).problems == []
    before = mtimes(output)
    assert run_build(root, output, **warm).problems == []
    rewritten = sorted(name for name, time in mtimes(output).items() if before.get(name) != time)
    assert [n for n in rewritten if n.endswith(".html") or n.startswith("feeds/")] == []


def test_a_new_per_page_value_reaches_the_pages_of_a_warm_build(tmp_path, monkeypatch):
    """A value a future Pelican (or a plugin) gives each page under a name nobody listed: a
    warm build renders the pages again when it changes, as a cold build would show it."""
    from pelican.writers import Writer

    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "article.html").write_text(
        '{% extends "!theme/article.html" %}'
        "{% block title %}{{ reading_mode }} · {{ super() }}{% endblock %}",
        encoding="utf-8",
    )
    note = {"value": "clair"}
    pelican_write_file = Writer.write_file

    class GivesMore:
        """Pelican's writer putting one more value in each page's local context."""

        def __init__(self, template):
            self.template = template

        def render(self, localcontext):
            localcontext["reading_mode"] = note["value"]
            return self.template.render(localcontext)

    def write_file(self, name, template, context, *args, **kwargs):
        return pelican_write_file(self, name, GivesMore(template), context, *args, **kwargs)

    monkeypatch.setattr(Writer, "write_file", write_file)
    blog = Blog(tmp_path)
    settings = {"THEME_TEMPLATES_OVERRIDES": [str(overrides)]}
    blog.warm(**settings)
    note["value"] = "sombre"
    blog.warm(**settings)
    assert "<title>sombre · " in (blog.output / UNRELATED_PAGE).read_text(encoding="utf-8")
    assert differences(blog.output, blog.cold(**settings)) == []


def test_pelican_logs_writing_only_the_files_written(blog, caplog):
    caplog.set_level(logging.DEBUG)
    blog.edit(EDITED, "Dernier paragraphe du billet 3.", "Dernier paragraphe, corrigé.")
    blog.warm()
    written = {
        os.path.relpath(r.args[0], blog.output)
        for r in caplog.records
        if r.name == "pelican.writers" and r.msg == 'Writing "%s"'
    }
    kept = {
        os.path.relpath(r.args[0], blog.output)
        for r in caplog.records
        if r.name == "plugins.site_writer.site_writer" and '"%s" gardé' in r.msg
    }
    assert EDITED_PAGE in written and UNRELATED_PAGE in kept
    assert not written & kept
    assert written | kept >= {n for n in output_files(blog.output) if n.endswith(".html")}
