"""Small images for the photos tests, made on the spot (none is stored in the repository)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from benchmarks.photos import SERIAL, phone_photo

LEAKS = (SERIAL.encode(), b"PhoneMaker", b"Pocket 12", b"2025:02:16")


def sideways_phone_photo(path: Path, width=900, height=600) -> Path:
    """A JPEG stored sideways (EXIF orientation 6) with GPS, serial and an sRGB profile."""
    return phone_photo(path, width, height, seed=3)


def png_with_alpha(path: Path, size=(500, 300)) -> Path:
    """A PNG whose left half is transparent."""
    image = Image.new("RGBA", size, (20, 120, 200, 255))
    image.paste((0, 0, 0, 0), (0, 0, size[0] // 2, size[1]))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)
    return path


def svg(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10"'
        ' height="10"/></svg>\n',
        encoding="utf-8",
    )
    return path


def gif(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = [Image.new("P", (20, 20), i) for i in (1, 2)]
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=100, loop=0)
    return path


def broken(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xff\xd8\xff\xe0 pas vraiment un JPEG")
    return path


def leaks_in(data: bytes) -> list[bytes]:
    """What a phone wrote that is still in ``data``: serial, maker, model, date."""
    return [leak for leak in LEAKS if leak in data]
