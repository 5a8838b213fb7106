"""From one photo file to its published variants: upright, stripped, resized, encoded (Pillow).

``encode_photo(source, folder, recipe)`` reads a raster image and writes into ``folder`` one file
per width and format, an OpenGraph crop and, when the recipe asks, a stripped copy of the
original, then ``photo.json`` last: an entry is complete when its manifest exists. It returns an
``Encoded`` (what was written) or raises ``PhotoError`` (a message for the author). Nothing here
knows Pelican: the plugin runs this in forked workers and reports the errors itself.

What a variant keeps of the original: its pixels turned upright (the EXIF orientation applied),
its colour profile (ICC) and nothing else: no EXIF (position, camera serial, dates), no XMP, no
comment. Pillow copies an image's ``info`` along with resizes and writes some of it back on
save, so every image is saved from a copy whose ``info`` is emptied first.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from dataclasses import asdict, dataclass

import PIL
from PIL import Image, ImageOps, UnidentifiedImageError

MANIFEST = "photo.json"
EXTENSIONS = {"avif": "avif", "webp": "webp", "jpeg": "jpg", "png": "png"}
MIME_TYPES = {
    "avif": "image/avif",
    "webp": "image/webp",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
# Formats Pillow can write lossily with a quality setting; PNG ignores it.
SAVE_OPTIONS = {
    # libavif's default speed (6) takes seven times as long for a file 2 % smaller.
    "avif": lambda quality: {"quality": quality, "speed": 8},
    "webp": lambda quality: {"quality": quality, "method": 4},
    "jpeg": lambda quality: {"quality": quality, "optimize": True, "progressive": True},
    "png": lambda quality: {"compress_level": 9},
}
LOSSLESS_SOURCES = {"PNG", "BMP", "TIFF"}  # their fallback stays lossless (screenshots, charts)
ROTATED = {5, 6, 7, 8}  # EXIF orientations that swap width and height
EXIF_ORIENTATION = 0x0112


class PhotoError(Exception):
    """A photo that cannot be published as variants; the message is for the author."""


@dataclass(frozen=True)
class Recipe:
    """How every photo of a build is encoded: part of each cache entry's key."""

    widths: tuple[int, ...] = (240, 480, 800, 1200, 1600)
    formats: tuple[str, ...] = ("avif", "webp")  # modern formats, offered first
    quality: tuple[tuple[str, int], ...] = (("avif", 55), ("webp", 72), ("jpeg", 78))
    max_megapixels: float = 50
    og_size: tuple[int, int] = (1200, 630)
    original: bool = False  # also write a stripped copy of the whole original

    def quality_of(self, fmt: str) -> int:
        return dict(self.quality).get(fmt, 80)


@dataclass(frozen=True)
class Variant:
    """One encoded file of a photo, by its name in the cache entry."""

    file: str
    width: int
    height: int
    format: str  # avif, webp, jpeg, png
    bytes: int


@dataclass(frozen=True)
class Encoded:
    """Everything written for one photo: the size of its widest variant, the variants, the
    OpenGraph crop, the stripped copy of the original."""

    key: str
    width: int
    height: int
    variants: tuple[Variant, ...]  # modern formats first, then the fallback, each by width
    og: Variant
    original: Variant | None = None

    def of_format(self, fmt: str) -> tuple[Variant, ...]:
        return tuple(v for v in self.variants if v.format == fmt)

    @property
    def fallback_format(self) -> str:
        return self.variants[-1].format

    @property
    def largest(self) -> Variant:
        """The widest variant in the fallback format (every browser opens it)."""
        return max(self.of_format(self.fallback_format), key=lambda v: v.width)


def widths_for(width: int, wanted: tuple[int, ...]) -> list[int]:
    """The variant widths of an image ``width`` pixels wide: never wider than the image."""
    below = sorted({w for w in wanted if w < width})
    top = min(width, max(wanted))
    return sorted({*below, top})


def upright_size(image: Image.Image) -> tuple[int, int]:
    """The size of ``image`` once its EXIF orientation is applied (header only)."""
    orientation = image.getexif().get(EXIF_ORIENTATION, 1)
    return (image.height, image.width) if orientation in ROTATED else image.size


def open_checked(path: str, recipe: Recipe) -> Image.Image:
    """The image at ``path`` (header read only), or a ``PhotoError`` saying why not."""
    try:
        image = Image.open(path)
    except FileNotFoundError:
        raise PhotoError("fichier introuvable") from None
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError) as exc:
        raise PhotoError(f"image illisible ({type(exc).__name__})") from None
    megapixels = image.width * image.height / 1_000_000
    if megapixels > recipe.max_megapixels:
        width, height = upright_size(image)
        image.close()
        shown = f"{megapixels:.3g}".replace(".", ",")
        limit = f"{recipe.max_megapixels:g}".replace(".", ",")
        raise PhotoError(
            f"image trop grande : {width} × {height} px ({shown} mégapixels, au plus {limit})"
        )
    return image


def decoded(path: str, recipe: Recipe) -> tuple[Image.Image, str, bytes | None]:
    """The upright pixels of ``path`` in RGB(A) or L, its source format and its ICC profile."""
    with open_checked(path, recipe) as image:
        source_format = image.format or ""
        if source_format == "JPEG" and not recipe.original:
            # Decode at a reduced scale when even the widest file is far smaller: a quarter of
            # the work for a phone's 12-megapixel photo.
            needed = max(max(recipe.widths), recipe.og_size[0])
            scale = min(1.0, needed / upright_size(image)[0])
            image.draft("RGB", (math.ceil(image.width * scale), math.ceil(image.height * scale)))
        try:
            image.load()
            upright = ImageOps.exif_transpose(image)
        except (OSError, ValueError, SyntaxError) as exc:
            raise PhotoError(f"image illisible ({type(exc).__name__})") from None
        icc = image.info.get("icc_profile") or None
    upright = normalized_mode(upright)
    if upright.mode not in ("RGB", "RGBA", "L"):
        upright = upright.convert("RGB")
    if image.mode == "CMYK":
        icc = None  # the profile described CMYK pixels, which are now RGB
    return upright, source_format, icc


def normalized_mode(image: Image.Image) -> Image.Image:
    """RGB, RGBA (only when some pixel is transparent) or L: what the encoders all take."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    if has_alpha:
        rgba = image.convert("RGBA")
        if rgba.getchannel("A").getextrema()[0] < 255:
            return rgba
        return rgba.convert("RGB")
    if image.mode in ("RGB", "L"):
        return image
    return image.convert("RGB")


def fallback_format(image: Image.Image, source_format: str) -> str:
    """PNG for transparent or lossless sources, JPEG for photos."""
    return "png" if image.mode == "RGBA" or source_format in LOSSLESS_SOURCES else "jpeg"


def save(image: Image.Image, folder: str, name: str, fmt: str, recipe: Recipe, icc) -> Variant:
    """Write ``image`` with no metadata but its colour profile; the written ``Variant``."""
    clean = image.copy()
    clean.info = {}
    if fmt == "jpeg" and clean.mode == "RGBA":
        clean = clean.convert("RGB")
    options = SAVE_OPTIONS[fmt](recipe.quality_of(fmt))
    if icc:
        options["icc_profile"] = icc
    path = os.path.join(folder, name)
    temporary = f"{path}.{os.getpid()}.tmp"
    clean.save(temporary, format=fmt.upper(), **options)
    os.replace(temporary, path)
    return Variant(name, clean.width, clean.height, fmt, os.path.getsize(path))


def og_crop(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """The centre of ``image`` at the ratio of ``size``, scaled down to it (never up)."""
    ratio = size[0] / size[1]
    if image.width / image.height > ratio:
        width, height = round(image.height * ratio), image.height
    else:
        width, height = image.width, round(image.width / ratio)
    left, top = (image.width - width) // 2, (image.height - height) // 2
    cropped = image.crop((left, top, left + width, top + height))
    if width > size[0]:
        cropped = cropped.resize(size, Image.Resampling.LANCZOS)
    return cropped


def encode_photo(path: str, folder: str, key: str, recipe: Recipe) -> Encoded:
    """Write every variant of the photo at ``path`` into ``folder``; what was written."""
    image, source_format, icc = decoded(path, recipe)
    os.makedirs(folder, exist_ok=True)
    fallback = fallback_format(image, source_format)
    sized = {}
    current = image
    for width in reversed(widths_for(image.width, recipe.widths)):
        height = max(1, round(image.height * width / image.width))
        if (width, height) != current.size:
            # Each width from the next wider one: as sharp, and far less work than from the
            # full image every time.
            current = current.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        sized[width] = current
    variants = [
        save(sized[width], folder, f"{width}.{EXTENSIONS[fmt]}", fmt, recipe, icc)
        for fmt in (*recipe.formats, fallback)
        for width in sorted(sized)
    ]
    og_image = og_crop(image, recipe.og_size)
    og = save(og_image.convert("RGB"), folder, "og.jpg", "jpeg", recipe, icc)
    original = None
    if recipe.original:
        original = save(image, folder, f"original.{EXTENSIONS[fallback]}", fallback, recipe, icc)
    widest = sized[max(sized)]
    encoded = Encoded(key, widest.width, widest.height, tuple(variants), og, original)
    write_manifest(folder, encoded)
    return encoded


def encoder_digest() -> str:
    """A digest of this module and of Pillow's version: any change to how photos are encoded
    (an option, a format's speed) gives new cache keys, so no build reuses older files."""
    with open(__file__, "rb") as source:
        code = source.read()
    return hashlib.sha256(code + b"\0" + PIL.__version__.encode()).hexdigest()


def write_manifest(folder: str, encoded: Encoded) -> None:
    path = os.path.join(folder, MANIFEST)
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "w", encoding="utf-8") as out:
        json.dump(asdict(encoded), out)
    os.replace(temporary, path)


def read_manifest(folder: str) -> Encoded | None:
    """The photo a complete cache entry holds, or None (absent, partial or from older code)."""
    try:
        with open(os.path.join(folder, MANIFEST), encoding="utf-8") as source:
            data = json.load(source)
        variants = tuple(Variant(**v) for v in data["variants"])
        original = Variant(**data["original"]) if data.get("original") else None
        encoded = Encoded(
            data["key"], data["width"], data["height"], variants, Variant(**data["og"]), original
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    files = [*encoded.variants, encoded.og, *([original] if original else [])]
    if not all(os.path.exists(os.path.join(folder, v.file)) for v in files):
        return None
    return encoded
