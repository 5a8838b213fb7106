"""Images keep their space (width/height), load lazily; articles show a reading time."""

from __future__ import annotations

import struct
import zlib

import pytest

from plugins.media import enrich_images, reading_minutes


def png_bytes(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\x80" * width for _ in range(height)))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def sizes(known):
    return lambda src: known.get(src)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            '<img src="/a.png" alt="x">',
            '<img src="/a.png" alt="x" width="40" height="20" loading="lazy" decoding="async">',
        ),
        (
            "<img src='/a.png' alt=\"x\" />",
            '<img src=\'/a.png\' alt="x" width="40" height="20" loading="lazy" decoding="async" />',
        ),
        (
            '<img src="/a.png" width="10" height="5" loading="eager" decoding="sync">',
            '<img src="/a.png" width="10" height="5" loading="eager" decoding="sync">',
        ),
        (
            '<img src="https://example.org/b.png" alt="">',
            '<img src="https://example.org/b.png" alt="" loading="lazy" decoding="async">',
        ),
        (
            "<p>Pas d'image, <code>&lt;img&gt;</code></p>",
            "<p>Pas d'image, <code>&lt;img&gt;</code></p>",
        ),
    ],
)
def test_images_get_size_and_lazy_loading_once(source, expected):
    size_of = sizes({"/a.png": (40, 20)})
    assert enrich_images(source, size_of) == expected
    assert enrich_images(expected, size_of) == expected


@pytest.mark.parametrize(("words", "minutes"), [(0, 1), (100, 1), (460, 2), (2300, 10)])
def test_reading_time_counts_words_not_markup(words, minutes):
    html = "<p>" + " ".join(["<em>mot</em>"] * words) + "</p>"
    assert reading_minutes(html, 230) == minutes


def test_site_images_and_cover_carry_their_pixel_size(build_site, tmp_path):
    content = tmp_path / "content"
    (content / "posts").mkdir(parents=True)
    (content / "images").mkdir()
    (content / "images/photo.png").write_bytes(png_bytes(64, 32))
    (content / "images/cover.png").write_bytes(png_bytes(120, 60))
    (content / "posts/billet.md").write_text(
        "Title: Images\nDate: 2022-02-02\nImage: {static}/images/cover.png\n"
        + "Image_alt: Couverture\n\n"
        + "Texte " * 500
        + "\n\n![Une photo]({static}/images/photo.png)\n",
        encoding="utf-8",
    )
    site = build_site(content)
    page = site.html("/2022/02/images/")
    body_image = page.select_one(".article-body img")
    assert (body_image["width"], body_image["height"]) == ("64", "32")
    assert body_image["loading"] == "lazy"
    cover = page.select_one(".cover img")
    assert (cover["width"], cover["height"]) == ("120", "60")
    assert cover["loading"] == "eager"  # the first image of the page
    assert "2\u00a0min de lecture" in page.select_one(".article-meta").get_text()


def test_a_warm_build_reads_the_time_of_an_edited_body_again(build_site, tmp_path):
    content = tmp_path / "content"
    (content / "posts").mkdir(parents=True)
    article = content / "posts/billet.md"
    article.write_text("Title: Court\nDate: 2022-02-02\n\n" + "Mot " * 100 + "\n", "utf-8")
    warm = {
        "CACHE_CONTENT": True,
        "LOAD_CONTENT_CACHE": True,
        "DELETE_OUTPUT_DIRECTORY": False,
        "CACHE_PATH": str(tmp_path / "cache"),
        "SEARCH_ENABLED": False,
    }
    site = build_site(content, output=tmp_path / "output", **warm)
    assert "1\u00a0min de lecture" in site.html("/2022/02/court/").select_one(".article-meta").text
    assert (tmp_path / "cache" / "body-pipeline.pickle").exists()

    article.write_text(article.read_text("utf-8") + "\n" + "Encore " * 900 + "\n", "utf-8")
    site = build_site(content, output=tmp_path / "output", **warm)
    assert "4\u00a0min de lecture" in site.html("/2022/02/court/").select_one(".article-meta").text
