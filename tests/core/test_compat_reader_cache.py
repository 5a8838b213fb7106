"""The compatibility module's door to Pelican's reader cache (used by ``read_ahead``)."""

from __future__ import annotations

import os

from pelican.contents import Article
from pelican.readers import Readers

from plugins.core import compat
from tests.conftest import pelican_settings

POST = "Title: Un billet\nDate: 2021-05-04 08:30\nCategory:\nTags:\nSlug:\n\nLe texte lu.\n"


def readers_for(tmp_path, **overrides) -> Readers:
    settings = pelican_settings(tmp_path, tmp_path / "output", "pelicanconf.py", overrides)
    return Readers(settings, "Readers-test")


def test_a_result_as_cached_has_no_discarded_value(tmp_path):
    (tmp_path / "billet.md").write_text(POST, encoding="utf-8")
    readers = readers_for(tmp_path)
    content, metadata = compat.read_as_cached(readers.readers["md"], str(tmp_path / "billet.md"))
    assert "Le texte lu." in content
    assert metadata["title"] == "Un billet"
    assert not {"category", "tags", "slug"} & set(metadata)


def test_an_offered_result_is_what_pelican_reads_while_the_file_is_unchanged(tmp_path):
    path = tmp_path / "billet.md"
    path.write_text(POST, encoding="utf-8")
    readers = readers_for(tmp_path)  # no cache written or loaded: a cold build
    stamp = compat.file_stamp(readers, str(path))
    offered = ("<p>Offert.</p>", {"title": "Offert"})
    compat.offer_to_reader_cache(readers, str(path), stamp, offered)
    article = readers.read_file(str(tmp_path), "billet.md", content_class=Article)
    assert (article.content, article.title) == ("<p>Offert.</p>", "Offert")

    os.utime(path, (stamp + 10, stamp + 10))  # the file changed since: Pelican reads it
    article = readers.read_file(str(tmp_path), "billet.md", content_class=Article)
    assert article.title == "Un billet"


def test_the_stamp_follows_the_check_modified_method(tmp_path):
    path = tmp_path / "billet.md"
    path.write_text(POST, encoding="utf-8")
    by_time = compat.file_stamp(readers_for(tmp_path), str(path))
    by_digest = compat.file_stamp(readers_for(tmp_path, CHECK_MODIFIED_METHOD="md5"), str(path))
    assert by_time == os.path.getmtime(path)
    assert len(by_digest) == 16
