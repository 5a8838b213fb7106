"""A photo becomes upright, stripped variants, never wider than itself; bad files say why."""

from __future__ import annotations

import pytest
from PIL import Image

from plugins.photos.encode import PhotoError, Recipe, encode_photo, og_crop, widths_for
from tests.photos.samples import broken, leaks_in, png_with_alpha, sideways_phone_photo

KEY = "0" * 64


@pytest.mark.parametrize(
    ("width", "wanted", "expected"),
    [
        (4032, (480, 800, 1200, 1600), [480, 800, 1200, 1600]),
        (1000, (480, 800, 1200, 1600), [480, 800, 1000]),
        (300, (480, 800), [300]),
        (800, (480, 800), [480, 800]),
    ],
)
def test_variant_widths_are_never_wider_than_the_photo(width, wanted, expected):
    assert widths_for(width, wanted) == expected


def test_a_sideways_phone_photo_gives_upright_variants_without_its_metadata(tmp_path):
    source = sideways_phone_photo(tmp_path / "phone.jpg", 900, 600)
    with Image.open(source) as original:
        assert original.size == (600, 900)  # stored sideways
        assert original.getexif().get_ifd(0x8825)  # GPS position
        assert leaks_in(source.read_bytes())
        profile = original.info["icc_profile"]

    encoded = encode_photo(str(source), str(tmp_path / "out"), KEY, Recipe(widths=(240, 480)))

    assert (encoded.width, encoded.height) == (480, 320)
    assert {(v.format, v.width) for v in encoded.variants} == {
        (fmt, width) for fmt in ("avif", "webp", "jpeg") for width in (240, 480)
    }
    for variant in (*encoded.variants, encoded.og):
        path = tmp_path / "out" / variant.file
        assert leaks_in(path.read_bytes()) == [], variant.file
        with Image.open(path) as image:
            assert image.size == (variant.width, variant.height)
            assert not image.getexif(), variant.file  # no EXIF at all: no position, no serial
            assert "xmp" not in image.info and "exif" not in image.info
            assert image.info.get("icc_profile") == profile, variant.file
            rgb = image.convert("RGB")
            top, bottom = rgb.getpixel((2, 2)), rgb.getpixel((2, image.height - 3))
        assert top[0] > top[2] and bottom[2] > bottom[0], f"{variant.file} is not upright"


def test_a_transparent_png_keeps_its_transparency_and_a_png_fallback(tmp_path):
    source = png_with_alpha(tmp_path / "logo.png", (500, 300))
    encoded = encode_photo(str(source), str(tmp_path / "out"), KEY, Recipe(widths=(240, 480)))
    assert encoded.fallback_format == "png"
    assert encoded.largest.width == 480
    for fmt in ("avif", "webp", "png"):
        (variant,) = [v for v in encoded.of_format(fmt) if v.width == 240]
        with Image.open(tmp_path / "out" / variant.file) as image:
            alpha = image.convert("RGBA").getchannel("A")
            assert alpha.getpixel((5, 5)) == 0 and alpha.getpixel((235, 5)) == 255, fmt


def test_a_broken_file_is_unreadable(tmp_path):
    with pytest.raises(PhotoError, match="illisible"):
        encode_photo(str(broken(tmp_path / "x.jpg")), str(tmp_path / "out"), KEY, Recipe())


def test_a_missing_file_is_said_missing(tmp_path):
    with pytest.raises(PhotoError, match="introuvable"):
        encode_photo(str(tmp_path / "absent.jpg"), str(tmp_path / "out"), KEY, Recipe())


def test_a_photo_over_the_pixel_limit_is_refused_before_it_is_decoded(tmp_path):
    source = sideways_phone_photo(tmp_path / "phone.jpg", 900, 600)
    with pytest.raises(PhotoError, match="trop grande : 900 × 600 px"):
        encode_photo(str(source), str(tmp_path / "out"), KEY, Recipe(max_megapixels=0.5))
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("size", "expected"),
    [((1800, 1350), (1200, 630)), ((4000, 1000), (1200, 630)), ((800, 600), (800, 420))],
)
def test_the_opengraph_crop_is_1200_by_630_or_smaller_never_enlarged(size, expected):
    assert og_crop(Image.new("RGB", size), (1200, 630)).size == expected


def test_the_original_copy_when_asked_is_whole_upright_and_stripped(tmp_path):
    source = sideways_phone_photo(tmp_path / "phone.jpg", 900, 600)
    recipe = Recipe(widths=(480,), original=True)
    encoded = encode_photo(str(source), str(tmp_path / "out"), KEY, recipe)
    copy = tmp_path / "out" / encoded.original.file
    assert leaks_in(copy.read_bytes()) == []
    with Image.open(copy) as image:
        assert image.size == (900, 600)
        assert not image.getexif()


def test_unusable_settings_are_reported_and_replaced_by_their_defaults():
    from plugins.photos.photos import SETTINGS

    values, problems = SETTINGS.resolve(
        {"PHOTOS_WIDTHS": (0, 800), "PHOTOS_FORMATS": ("gif",), "PHOTOS_QUALITY": {"avif": 0}}
    )
    assert [name for name, _ in problems] == ["PHOTOS_WIDTHS", "PHOTOS_FORMATS", "PHOTOS_QUALITY"]
    assert values["PHOTOS_FORMATS"] == ("avif", "webp")
