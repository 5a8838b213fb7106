"""Photo-like JPEGs as a phone writes them, for the bench corpus, the tests and the demo.

``phone_photo(path, width, height, seed)`` writes a JPEG whose pixels look like a snapshot
(gradients, blurred shapes, sensor noise: it compresses like a photo, not like a flat
drawing), stored the way a phone held sideways stores it: the pixels turned, EXIF orientation 6
to turn them back, and what a phone adds: GPS position, camera make, model and serial, date,
an sRGB colour profile. The upright picture is red at the top and blue at the bottom, so that a
test can tell whether a variant is upright.

The demo's photo was made with ``python -m benchmarks.photos content/images/x.jpg 1800 1350``.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from PIL import Image, ImageCms, ImageDraw, ImageFilter

EXIF_ORIENTATION = 0x0112
EXIF_MAKE, EXIF_MODEL, EXIF_DATETIME = 0x010F, 0x0110, 0x0132
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
BODY_SERIAL = 0xA431  # in the Exif IFD
# A street in Lyon, as degrees, minutes, seconds.
GPS = {1: "N", 2: (45.0, 45.0, 51.6), 3: "E", 4: (4.0, 50.0, 31.2)}
SERIAL = "SN-4C0FFEE-2026"


def photo_like(width: int, height: int, seed: int = 1) -> Image.Image:
    """Upright RGB pixels that look and compress like a photo: red sky, blue floor, shapes."""
    rnd = random.Random(seed)
    small = (max(8, width // 8), max(8, height // 8))
    top = Image.new("RGB", small, (200, 40, 30))
    bottom = Image.new("RGB", small, (30, 60, 190))
    mask = Image.linear_gradient("L").resize(small)
    image = Image.composite(bottom, top, mask)
    draw = ImageDraw.Draw(image)
    for _ in range(30):
        x, y = rnd.randrange(small[0]), rnd.randrange(small[1] // 5, small[1] * 4 // 5)
        size = rnd.randrange(small[0] // 12 + 1, small[0] // 3 + 2)
        colour = tuple(rnd.randrange(40, 230) for _ in range(3))
        draw.rectangle((x, y, x + size, y + size * rnd.uniform(0.3, 1.5)), fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(1.2)).resize((width, height), Image.BICUBIC)
    # Texture at two scales: what survives the reduction to a phone's width, so that variants
    # weigh what a real snapshot's do (an 800 px AVIF of 20 to 40 KB, not 5).
    for scale, amount in ((6, 0.10), (2, 0.06)):
        size = (max(1, width // scale), max(1, height // scale))
        noise = Image.frombytes("L", size, rnd.randbytes(size[0] * size[1]))
        image = Image.blend(
            image, noise.resize((width, height), Image.BICUBIC).convert("RGB"), amount
        )
    return image


def phone_exif(orientation: int = 6, gps: bool = True) -> Image.Exif:
    """The metadata a phone writes: orientation, make, model, date, serial, GPS position."""
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = orientation
    exif[EXIF_MAKE] = "PhoneMaker"
    exif[EXIF_MODEL] = "Pocket 12"
    exif[EXIF_DATETIME] = "2025:02:16 21:45:00"
    exif.get_ifd(EXIF_IFD)[BODY_SERIAL] = SERIAL
    if gps:
        exif.get_ifd(GPS_IFD).update(GPS)
    return exif


def srgb_profile() -> bytes:
    """An sRGB ICC profile, its creation date zeroed so that a seed always gives the same file."""
    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    profile[24:36] = bytes(12)  # dateTimeNumber of the ICC header
    return bytes(profile)


def phone_photo(
    path: Path | str,
    width: int,
    height: int,
    seed: int = 1,
    orientation: int = 6,
    gps: bool = True,
    quality: int = 85,
) -> Path:
    """Write a JPEG that shows a ``width`` × ``height`` photo once its orientation is applied."""
    upright = photo_like(width, height, seed)
    # Orientation 6: the viewer turns the stored pixels 90° clockwise; store them turned back.
    stored = upright.transpose(Image.Transpose.ROTATE_90) if orientation == 6 else upright
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    stored.save(
        path,
        "JPEG",
        quality=quality,
        exif=phone_exif(orientation, gps).tobytes(),
        icc_profile=srgb_profile(),
    )
    return path


if __name__ == "__main__":
    target, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    print(phone_photo(target, width, height))
