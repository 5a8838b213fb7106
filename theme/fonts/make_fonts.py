"""Cut the theme's web fonts from Debian's font packages: ``make fonts`` (``invoke fonts``).

The site is read in French on phones first: two families, a serif for reading and a sans for the
interface, self-hosted (no third party sees the readers), subsetted to the characters French text
uses and compressed to WOFF2 with fontTools (``pyftsubset``'s library, Brotli). Everything comes
from packages the project installs itself (``make install``'s system step): Charis SIL
(``fonts-sil-charis``, a Charter descendant, sturdy on small screens) and Inter
(``fonts-inter``, made for interfaces). Both are under the SIL Open Font License 1.1; a subset is a
Modified Version, which may not carry a Reserved Font Name ("Charis", "SIL"), so every face is
renamed (``Sens Texte``, ``Sens Interface``) while its copyright, licence and author metadata are
kept, and the licences travel with the files.

Writes, into ``theme/``: ``static/fonts/<face>.<hash>.woff2`` (the hash keeps deploys' year-long
cache right) and the licences beside them (Pelican copies that folder's files next to the CSS
bundle), ``static/css/05-fonts.css`` (``@font-face``, ``font-display: swap``) and
``templates/partials/font_preload.html`` (the faces above the fold).
The result is committed: builds need neither fontTools nor the packages. Run again after changing
a face, the characters or the features; the output is byte for byte the same for the same input.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

THEME = Path(__file__).resolve().parents[1]
FONTS_DIR = THEME / "static" / "fonts"
CSS_FILE = THEME / "static" / "css" / "05-fonts.css"
PRELOAD_FILE = THEME / "templates" / "partials" / "font_preload.html"
BUDGET = 120 * 1024  # bytes, all faces together: what a reader downloads at most

# Basic Latin, Latin-1 (accents, « », no-break space, ·), œ Œ Ÿ, the typographic punctuation of
# TYPOGRAPHY.md (’ ‘ “ ” – — … U+202F U+2009), ‹ ›, €, arrows and the minus sign of the interface.
UNICODES = (
    "U+0020-007E,U+00A0-00FF,U+0152-0153,U+0178,U+02BC,U+2009,U+2013-2014,U+2018-201E,"
    "U+2022,U+2026,U+202F,U+2039-203A,U+20AC,U+2190-2193,U+2212"
)
# Kerning and ligatures for reading; figures (old-style in text, tabular in tables); superiors
# for the ordinals (1er, XIXe) the typography puts in <sup>.
FEATURES = ["kern", "liga", "calt", "lnum", "onum", "pnum", "tnum", "sups", "case"]


@dataclass(frozen=True)
class Face:
    family: str  # the new family name (the original's is reserved)
    file_stem: str
    style: str  # "normal" or "italic"
    weight: int
    source: str
    package: str
    licence: str  # the package's copyright file, shipped beside the fonts
    preload: bool = False


CHARIS = "/usr/share/fonts/truetype/charis/CharisSIL-{}.ttf"
INTER = "/usr/share/fonts/opentype/inter/Inter-{}.otf"
CHARIS_LICENCE = "/usr/share/doc/fonts-sil-charis/copyright"
INTER_LICENCE = "/usr/share/doc/fonts-inter/copyright"
FACES = (
    Face("Sens Texte", "sens-texte", "normal", 400, CHARIS.format("Regular"),
         "fonts-sil-charis", CHARIS_LICENCE, preload=True),
    Face("Sens Texte", "sens-texte-italique", "italic", 400, CHARIS.format("Italic"),
         "fonts-sil-charis", CHARIS_LICENCE),
    Face("Sens Texte", "sens-texte-gras", "normal", 700, CHARIS.format("Bold"),
         "fonts-sil-charis", CHARIS_LICENCE),
    Face("Sens Interface", "sens-interface", "normal", 400, INTER.format("Regular"),
         "fonts-inter", INTER_LICENCE, preload=True),
    Face("Sens Interface", "sens-interface-demi-gras", "normal", 600, INTER.format("SemiBold"),
         "fonts-inter", INTER_LICENCE),
)  # fmt: skip

# Name table entries that carry the family's name (and so the reserved one); the others
# (copyright 0, version 5, manufacturer 8, designer 9, licence 13-14…) are kept as they are.
RENAMED_IDS = (1, 2, 3, 4, 6, 16, 17, 21, 22, 25)


def style_name(face: Face) -> str:
    weight = {400: "Regular", 600: "SemiBold", 700: "Bold"}[face.weight]
    if face.style == "italic":
        return "Italic" if face.weight == 400 else f"{weight} Italic"
    return weight


def subset_face(face: Face) -> bytes:
    """The face cut to UNICODES and FEATURES, renamed, as WOFF2 bytes."""
    options = subset.Options()
    options.layout_features = FEATURES
    options.flavor = "woff2"
    options.hinting = False  # screens of today antialias; hints are a third of the bytes
    options.desubroutinize = True  # smaller once compressed
    options.name_IDs = ["*"]
    options.notdef_outline = True
    # Charis's Graphite tables: browsers shape with OpenType, and fontTools cannot cut them.
    options.drop_tables += ["Silf", "Silt", "Sill", "Glat", "Gloc", "Feat"]
    font = TTFont(face.source, recalcTimestamp=False)
    font.recalcTimestamp = False  # the same input gives the same bytes
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(UNICODES))
    subsetter.subset(font)
    rename(font, face)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()


def rename(font: TTFont, face: Face) -> None:
    """Replace the (reserved) family name everywhere the name table states it."""
    names = font["name"]
    style = style_name(face)
    full = f"{face.family} {style}" if style != "Regular" else face.family
    postscript = f"{face.family.replace(' ', '')}-{style.replace(' ', '')}"
    values = {
        1: face.family if style in ("Regular", "Italic", "Bold", "Bold Italic") else
        f"{face.family} {style.replace(' Italic', '')}",
        2: style if style in ("Regular", "Italic", "Bold", "Bold Italic") else
        ("Italic" if face.style == "italic" else "Regular"),
        3: f"{postscript};subset for lesensduclient",
        4: full,
        6: postscript,
        16: face.family,
        17: style,
    }  # fmt: skip
    for record in list(names.names):
        if record.nameID in RENAMED_IDS and record.nameID not in values:
            names.removeNames(nameID=record.nameID)
    for name_id, value in values.items():
        names.removeNames(nameID=name_id)
        names.setName(value, name_id, 3, 1, 0x409)
    if "CFF " in font:  # Inter is CFF-flavoured: its top dict names the font too
        cff = font["CFF "].cff
        cff.fontNames = [postscript]
        top = cff.topDictIndex[0]
        for key in ("FullName", "FamilyName"):
            if hasattr(top, key):
                setattr(top, key, full if key == "FullName" else face.family)


def font_face_css(face: Face, file_name: str) -> str:
    return (
        "@font-face {\n"
        f'  font-family: "{face.family}";\n'
        f'  src: url("{file_name}") format("woff2");\n'
        f"  font-style: {face.style};\n"
        f"  font-weight: {face.weight};\n"
        "  font-display: swap;\n"
        "}\n"
    )


def make_fonts() -> list[tuple[str, int]]:
    """Write the fonts, their CSS and the preload partial; return (file, size) of each font."""
    missing = sorted({face.package for face in FACES if not Path(face.source).exists()})
    if missing:
        raise SystemExit(
            f"Paquets de polices manquants : {' '.join(missing)} ; lancez make install."
        )
    if FONTS_DIR.exists():
        shutil.rmtree(FONTS_DIR)
    FONTS_DIR.mkdir(parents=True)
    css = [
        "/* Generated by theme/fonts/make_fonts.py (make fonts): do not edit by hand.\n"
        "   Sens Texte is Charis SIL, Sens Interface is Inter, both subsetted and renamed as the\n"
        "   SIL Open Font License 1.1 asks; licences beside the fonts. */\n"
    ]
    preload = ["{# Generated by theme/fonts/make_fonts.py: the faces seen above the fold. #}\n"]
    sizes = []
    for face in FACES:
        data = subset_face(face)
        name = f"{face.file_stem}.{hashlib.sha256(data).hexdigest()[:10]}.woff2"
        (FONTS_DIR / name).write_bytes(data)
        sizes.append((name, len(data)))
        css.append(font_face_css(face, name))
        if face.preload:
            preload.append(
                f'<link rel="preload" href="{{{{ SITEURL }}}}/{{{{ THEME_STATIC_DIR }}}}/'
                f'{name}" as="font" type="font/woff2" crossorigin>\n'
            )
    for face in FACES:
        shutil.copyfile(face.licence, FONTS_DIR / f"LICENCE-{face.package}.txt")
    CSS_FILE.write_text("".join(css), encoding="utf-8")
    PRELOAD_FILE.write_text("".join(preload), encoding="utf-8")
    total = sum(size for _, size in sizes)
    if total > BUDGET:
        raise SystemExit(f"Polices trop lourdes : {total} octets pour {BUDGET} au plus.")
    return sizes


def main() -> None:
    sizes = make_fonts()
    for name, size in sizes:
        print(f"{size:>7} {name}")
    print(f"{sum(size for _, size in sizes):>7} en tout")


if __name__ == "__main__":
    sys.exit(main())
