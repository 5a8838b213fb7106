"""A built site publishes variants, never the originals, with the markup that chooses them."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import differences, run_build
from tests.photos.samples import broken, gif, leaks_in, png_with_alpha, sideways_phone_photo, svg

SETTINGS = {"SEARCH_ENABLED": False, "INTERVIEWS_FEED_ATOM": ""}
EPISODE = "/2025/02/la-pharmacie/"
COVERED = "/2025/03/avec-couverture/"
INTERVIEW = "/2025/04/entretien-avec-alice/"
VARIANT = re.compile(r"(?P<stem>[\w-]+)\.(?P<label>\d+|og)\.(?P<key>[0-9a-f]{12})\.(?P<ext>\w+)$")


def write_site(content: Path) -> Path:
    images = content / "images"
    sideways_phone_photo(images / "pharmacie.jpg", 900, 600)
    png_with_alpha(images / "couverture.png", (1300, 700))
    png_with_alpha(images / "alice.png", (300, 300))
    svg(images / "graphique.svg")
    gif(images / "anime.gif")
    posts = content / "posts"
    posts.mkdir(parents=True)
    (posts / "episode.md").write_text(
        "Title: La pharmacie\nDate: 2025-02-18\n\nUn dimanche soir.\n\n"
        '![La file devant le guichet]({static}/images/pharmacie.jpg "Dimanche, 21 h 45")\n\n'
        "![Un graphique]({static}/images/graphique.svg) et ![Un GIF]({static}/images/anime.gif)\n",
        encoding="utf-8",
    )
    (posts / "couverture.md").write_text(
        "Title: Avec couverture\nDate: 2025-03-01\nImage: {static}/images/couverture.png\n"
        "Image_alt: Une vitrine\n\nTexte.\n\n![La même file]({static}/images/pharmacie.jpg)\n",
        encoding="utf-8",
    )
    (posts / "entretien.md").write_text(
        "Title: Entretien avec Alice\nDate: 2025-04-01\nGuest: Alice Martin\n"
        "Guest_photo: {static}/images/alice.png\n\nIntroduction.\n\n## Qui êtes-vous ?\n\nAlice.\n",
        encoding="utf-8",
    )
    return content


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("photos-site")
    content = write_site(root / "content")
    site = run_build(content, root / "output", CACHE_PATH=str(root / "cache"), **SETTINGS)
    return site, root


def published_images(output: Path) -> dict[str, Path]:
    return {p.name: p for p in (output / "images").iterdir()}


def test_the_build_logs_no_problem(built):
    site, _ = built
    assert site.problems == []


def test_variants_at_each_width_and_format_never_wider_than_the_photo(built):
    site, _ = built
    names = [n for n in published_images(site.output) if n.startswith("pharmacie.")]
    found = {(m["label"], m["ext"]) for m in map(VARIANT.search, names)}
    assert found == {(str(w), ext) for w in (240, 480, 800, 900) for ext in ("avif", "webp", "jpg")}
    for name in names:
        width = int(VARIANT.search(name)["label"])
        with Image.open(site.output / "images" / name) as image:
            assert image.size == (width, width * 2 // 3), name  # upright: wider than high


def test_no_original_is_published_and_no_variant_tells_where_or_with_what(built):
    site, _ = built
    published = published_images(site.output)
    assert not {"pharmacie.jpg", "couverture.png", "alice.png"} & set(published)
    for name, path in published.items():
        assert leaks_in(path.read_bytes()) == [], name
        if name.endswith((".jpg", ".webp", ".avif", ".png")):
            with Image.open(path) as image:
                assert not image.getexif().get_ifd(0x8825), name  # no GPS position
                assert not image.getexif(), name


def test_a_lone_image_with_a_title_is_a_figure_with_its_caption_and_choices(built):
    site, _ = built
    figure = site.html(EPISODE).select_one(".article-body figure.photo")
    assert figure.figcaption.get_text() == "Dimanche, 21\xa0h\xa045"  # French spacing too
    link = figure.select_one("a.photo-link")
    assert VARIANT.search(link["href"])["label"] == "900"  # a tap opens the largest variant
    assert link["href"].endswith(".jpg")
    sources = figure.select("picture source")
    assert [s["type"] for s in sources] == ["image/avif", "image/webp"]
    assert all(s["srcset"].count("w,") == 3 and s["sizes"] for s in sources)
    img = figure.select_one("picture img")
    assert img["alt"] == "La file devant le guichet"
    assert (img["width"], img["height"]) == ("900", "600")
    assert img["loading"] == "eager"  # the first image of a page without cover
    assert "title" not in img.attrs
    for url in [img["src"], link["href"], *(u.split()[0] for u in img["srcset"].split(", "))]:
        assert (site.output / url.lstrip("/")).is_file(), url


def test_svg_and_gif_pass_untouched(built):
    site, root = built
    body = site.html(EPISODE).select_one(".article-body")
    for name in ("graphique.svg", "anime.gif"):
        (img,) = body.select(f'img[src="/images/{name}"]')
        assert img.parent.name == "p" and "srcset" not in img.attrs
        original = root / "content/images" / name
        assert (site.output / "images" / name).read_bytes() == original.read_bytes()


def test_a_cover_is_the_eager_image_and_gives_a_1200_by_630_card(built):
    site, _ = built
    page = site.html(COVERED)
    cover = page.select_one(".cover picture img")
    assert cover["loading"] == "eager" and cover["alt"] == "Une vitrine"
    assert page.select_one(".article-body picture img")["loading"] == "lazy"
    og = page.select_one('meta[property="og:image"]')["content"]
    assert VARIANT.search(og)["label"] == "og"
    assert page.select_one('meta[name="twitter:image"]')["content"] == og
    with Image.open(site.output / "images" / og.rsplit("/", 1)[1]) as image:
        assert image.size == (1200, 630) and image.format == "JPEG"


def test_cards_and_guest_portraits_are_pictures_too(built):
    site, _ = built
    card = site.html("/").select_one(".card-image img")
    assert card.find_parent("picture") and card["srcset"]  # lxml nests void <source>s
    portrait = site.html(INTERVIEW).select_one("img.guest-photo")
    assert portrait.find_parent("picture") and portrait["sizes"] == "6rem"
    assert VARIANT.search(portrait["src"])["stem"] == "alice"


def stats(cache: Path) -> dict:
    return json.loads((cache / "photos" / "last-build.json").read_text(encoding="utf-8"))


def test_a_warm_build_encodes_nothing_and_an_edited_photo_alone_is_encoded_again(tmp_path):
    content = write_site(tmp_path / "content")
    cache = tmp_path / "cache"
    warm = {
        **SETTINGS,
        "CACHE_CONTENT": True,
        "LOAD_CONTENT_CACHE": True,
        "DELETE_OUTPUT_DIRECTORY": False,
        "CACHE_PATH": str(cache),
    }
    output = tmp_path / "warm"
    run_build(content, output, **warm)
    assert stats(cache)["encoded"] == 3
    run_build(content, output, **warm)
    assert stats(cache) | {"seconds": 0} == {
        "photos": 3, "encoded": 0, "from_cache": 3, "failed": 0, "seconds": 0,
    }  # fmt: skip

    sideways_phone_photo(content / "images/pharmacie.jpg", 600, 400)  # the author re-crops
    run_build(content, output, **warm)
    assert stats(cache)["encoded"] == 1
    cold = run_build(content, tmp_path / "cold", CACHE_PATH=str(tmp_path / "fresh"), **SETTINGS)
    assert differences(output, cold.output) == []  # old variants gone, new ones identical


def errors_site(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    sideways_phone_photo(content / "images/grande.jpg", 900, 600)
    broken(content / "images/casse.jpg")
    (content / "posts").mkdir(parents=True)
    (content / "posts/erreurs.md").write_text(
        "Title: Erreurs\nDate: 2025-05-01\n\nTexte.\n\n"
        "![Cassée]({static}/images/casse.jpg)\n\n"
        "![Absente]({static}/images/absente.jpg)\n\n"
        "![Trop grande]({static}/images/grande.jpg)\n",
        encoding="utf-8",
    )
    return content


def test_bad_images_are_reported_once_each_with_article_and_line_and_dev_keeps_them(tmp_path):
    content = errors_site(tmp_path)
    site = run_build(
        content, tmp_path / "out", CACHE_PATH=str(tmp_path / "cache"),
        PHOTOS_MAX_MEGAPIXELS=0.5, **SETTINGS,
    )  # fmt: skip
    mine = [p for p in site.problems if "erreurs.md" in p]
    assert len(mine) == 3, site.problems
    assert any(re.search(r"erreurs\.md:6: .*casse\.jpg.*illisible", p) for p in mine)
    assert any(re.search(r"erreurs\.md:8: .*absente\.jpg.*introuvable", p) for p in mine)
    assert any(
        re.search(r"erreurs\.md:10: .*grande\.jpg.*trop grande : 900 × 600", p) for p in mine
    )
    body = site.html("/2025/05/erreurs/").select_one(".article-body")
    assert [img["src"] for img in body.select("img")] == [
        "/images/casse.jpg", "/images/absente.jpg", "/images/grande.jpg",
    ]  # fmt: skip
    assert (site.output / "images/casse.jpg").exists()
    assert (site.output / "images/grande.jpg").exists()


def test_a_strict_build_fails_on_a_bad_image(tmp_path):
    content = errors_site(tmp_path)
    with pytest.raises(SystemExit):
        run_build(
            content, tmp_path / "out", CACHE_PATH=str(tmp_path / "cache"),
            STRICT_BUILD=True, **SETTINGS,
        )  # fmt: skip


def test_originals_are_published_stripped_when_asked(tmp_path):
    content = write_site(tmp_path / "content")
    site = run_build(
        content, tmp_path / "out", CACHE_PATH=str(tmp_path / "cache"),
        PHOTOS_PUBLISH_ORIGINALS=True, **SETTINGS,
    )  # fmt: skip
    original = site.output / "images/pharmacie.jpg"
    assert leaks_in(original.read_bytes()) == []
    with Image.open(original) as image:
        assert image.size == (900, 600) and not image.getexif()
    shutil.rmtree(tmp_path / "cache")
