"""The default social card, ``theme/static/partage.png``, drawn with zlib and struct.

1200×630 (the size LinkedIn, Facebook and X crop to), the theme's accent as background, the
favicon's speech bubble on the left and three lines of "text" on the right: geometry only, so
no font or imaging library is needed and the file stays a few kilobytes.
``python -m tests.theme.share_image`` writes it again; a test checks the file is this drawing.
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

WIDTH, HEIGHT = 1200, 630
PALETTE = (
    (0x9A, 0x34, 0x12),  # 0: accent, the background
    (0xFD, 0xFC, 0xFA),  # 1: page background, the bubble
    (0xFB, 0xEE, 0xE6),  # 2: accent-soft, the lines
)
BUBBLE = (330, 300, 170)  # centre x, centre y, radius
TAIL = ((215, 410), (175, 530), (320, 455))  # a triangle under the bubble, towards the left
DOTS = tuple((x, 300, 22) for x in (260, 330, 400))  # three dots inside, in the background colour
LINES = ((590, 210, 560), (590, 293, 480), (590, 376, 360))  # left, top, length
LINE_HEIGHT = 44
TARGET = Path(__file__).resolve().parents[2] / "theme/static/partage.png"


def circle_span(y: int, cx: int, cy: int, r: int) -> tuple[int, int] | None:
    """The pixels of row ``y`` inside a circle, as a half-open range."""
    dy = y + 0.5 - cy
    if abs(dy) >= r:
        return None
    half = math.sqrt(r * r - dy * dy)
    return round(cx - half), round(cx + half)


def triangle_span(y: int, points) -> tuple[int, int] | None:
    """The pixels of row ``y`` inside a triangle."""
    row = y + 0.5
    xs = []
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True):
        if (y1 <= row < y2) or (y2 <= row < y1):
            xs.append(x1 + (row - y1) * (x2 - x1) / (y2 - y1))
    return (round(min(xs)), round(max(xs))) if len(xs) >= 2 else None


def row_pixels(y: int) -> bytes:
    """Palette indices of one row."""
    row = bytearray(WIDTH)
    spans = [(circle_span(y, *BUBBLE), 1), (triangle_span(y, list(TAIL)), 1)]
    spans += [(circle_span(y, *dot), 0) for dot in DOTS]
    spans += [
        ((left, left + length), 2) for left, top, length in LINES if top <= y < top + LINE_HEIGHT
    ]
    for span, colour in spans:
        if span:
            start, end = span
            row[start:end] = bytes([colour]) * (end - start)
    return bytes(row)


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def share_image_png() -> bytes:
    """The PNG file: 8-bit palette, every row with filter 0, maximum compression."""
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 3, 0, 0, 0)
    palette = b"".join(bytes(colour) for colour in PALETTE)
    raw = b"".join(b"\x00" + row_pixels(y) for y in range(HEIGHT))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"PLTE", palette)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


if __name__ == "__main__":
    TARGET.write_bytes(share_image_png())
    print(f"{TARGET}: {TARGET.stat().st_size} bytes")
