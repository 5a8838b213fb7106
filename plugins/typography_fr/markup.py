"""HTML fragment ⇄ masked text: the only place that knows about tags.

``mask(html)`` turns a fragment into one string where every piece of markup, and every piece of
text the rules must not touch, is a single private-use character, and returns the originals in
document order. The rules then work on plain text where "a tag", "the end of a block" or "a word
we may not change" are one character each; ``unmask`` puts the originals back, byte for byte.

Why not BeautifulSoup, lxml or html5lib: they re-serialise the tree (quote style, attribute
order, ``<br>`` vs ``<br/>``, entities), and tags must come out byte-for-byte unchanged.
Why not ``html.parser``: it reports neither raw end tags nor offsets cheaply, and is an order of
magnitude slower than one regex split. Why not smartypants' ``_tokenize`` (``<[^>]*>``): it cuts
tags at a ``>`` inside a quoted attribute, reads ``a < b`` as a tag, and knows no raw-text
elements (``<script>if (a<b)…``). What is reused: the standard library's ``html.unescape`` to
decode character references exactly as browsers do.
"""

from __future__ import annotations

import html
import re

# Markers: private-use characters standing for one atom each (see ``mask``).
TAG = "\ue000"  # an inline tag or a comment: invisible inside the running text
OBJ = "\ue001"  # a word the rules may not change: <code>…</code>, a URL, an e-mail, lang="en"
ENT_WORD = "\ue002"  # a kept character reference standing for a letter or digit (&eacute;)
ENT_SYMBOL = "\ue003"  # a kept character reference for anything else (&amp; &lt; &gt;)
SUP_OPEN = "\ue004"  # <sup> added by the ordinals rule
SUP_CLOSE = "\ue005"  # </sup> added by the ordinals rule
BLOCK = "\ue006"  # a block boundary (<p>, </li>, <pre>…</pre>…): quotes never pair across it
_MARKERS_RE = re.compile("[\ue000-\ue006]")

# Elements whose content is never typeset (TYPOGRAPHY.md, "Where nothing changes").
PROTECTED = frozenset(
    ["code", "pre", "kbd", "samp", "var", "tt", "script", "style", "textarea", "math", "svg"]
)
# Elements that do not end a block of running text. Anything else (p, li, td, div, unknown
# custom elements…) is a boundary: pairing quotes across an unknown element is the riskier error.
INLINE = frozenset(
    [
        "a",
        "abbr",
        "acronym",
        "b",
        "bdi",
        "bdo",
        "big",
        "br",
        "cite",
        "code",
        "data",
        "del",
        "dfn",
        "em",
        "font",
        "i",
        "img",
        "input",
        "ins",
        "kbd",
        "label",
        "mark",
        "math",
        "output",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "svg",
        "textarea",
        "time",
        "tt",
        "u",
        "var",
        "wbr",
    ]
)
VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)

# One token: a comment, a raw-text element kept whole, a start tag, an end tag, a declaration
# or processing instruction. Quoted attribute values may contain ">"; a malformed start tag
# falls back to the next ">". Text is what lies between tokens.
_TOKEN_RE = re.compile(
    r"""(
      <!--[\s\S]*?(?:-->|\Z)
    | <(?P<raw>script|style|textarea)\b(?:"[^"]*"|'[^']*'|[^>"'])*>[\s\S]*?</(?P=raw)\s*>
    | <[A-Za-z][^\s/>]*(?:"[^"]*"|'[^']*'|[^>"'])*>
    | <[A-Za-z][^>]*>
    | </[A-Za-z][^>]*>
    | <[!?][^>]*>
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_TAG_NAME_RE = re.compile(r"<(/?)([A-Za-z][^\s/>]*)")
_ATTRIBUTE_RE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")

# Inside running text: URLs (with their "&amp;" and ":"), e-mail addresses, character
# references, and stray marker characters typed by an author (kept as atoms, so never confused).
_URL = r"""(?:\b(?:https?|ftp)://|\bmailto:|\bwww\.)(?:[^\s<>"&«»]|&amp;|&(?![#\w]+;))+"""
_EMAIL = r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_CHARREF = r"&(?:\#[0-9]+|\#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);"
_MARKER = r"[\ue000-\ue006]"
_IN_TEXT_RE = re.compile(
    rf"(?P<url>{_URL})|(?P<email>{_EMAIL})|(?P<ref>{_CHARREF})|(?P<marker>{_MARKER})"
)
_URLS_RE = re.compile(rf"(?P<url>{_URL})|(?P<ref>{_CHARREF})|(?P<marker>{_MARKER})")
_REFS_RE = re.compile(rf"(?P<ref>{_CHARREF})|(?P<marker>{_MARKER})")
_URL_TRAILING = ".,;:!?'\"…"
# Characters written as references that this module owns and outputs as real characters.
DECODED = frozenset("\u00a0\u202f\u2009«»…’‘“”–—")


def mask(fragment: str, decode: bool = True) -> tuple[str, list[str]]:
    """The fragment as masked text, and the original of every atom marker in order."""
    atoms: list[str] = []
    out: list[str] = []
    frozen: list[str] = []  # raw tokens of the protected element being skipped
    frozen_name = ""
    depth = 0

    def on_text_match(match: re.Match) -> str:
        kind = match.lastgroup
        original = match.group()
        if kind == "url":
            kept = original.rstrip(_URL_TRAILING)
            if original.endswith("&amp;"):
                kept = original
            elif kept.endswith(")") and kept.count("(") < kept.count(")"):
                kept = kept[:-1]
            atoms.append(kept)
            return OBJ + original[len(kept) :]
        if kind == "email":
            atoms.append(original)
            return OBJ
        if kind == "ref":
            char = html.unescape(original)
            if decode and char in DECODED:
                return char
            atoms.append(original)
            return ENT_WORD if char.isalnum() else ENT_SYMBOL
        atoms.append(original)  # a marker character typed in the source
        return ENT_SYMBOL

    has_markers = _MARKERS_RE.search(fragment) is not None
    tag_infos: dict[str, tuple[str, bool, bool]] = {}  # the same few tags come back often
    pieces = _TOKEN_RE.split(fragment)
    # re.split with two groups yields: text, token, raw-name, text, token, raw-name, …
    for index in range(0, len(pieces), 3):
        text = pieces[index]
        if text:
            if frozen_name:
                frozen.append(text)
            elif "@" in text:
                out.append(_IN_TEXT_RE.sub(on_text_match, text))
            elif "://" in text or "www." in text or "mailto:" in text:
                out.append(_URLS_RE.sub(on_text_match, text))
            elif "&" in text or has_markers:
                out.append(_REFS_RE.sub(on_text_match, text))
            else:
                out.append(text)
        if index + 1 >= len(pieces):
            break
        token = pieces[index + 1]
        info = tag_infos.get(token)
        if info is None:
            info = tag_infos[token] = _tag_info(token)
        name, closing, self_closing = info
        if frozen_name:
            frozen.append(token)
            if name == frozen_name and not self_closing:
                depth += -1 if closing else 1
                if depth == 0:
                    out.append(_atom(atoms, "".join(frozen), frozen_name))
                    frozen, frozen_name = [], ""
            continue
        if not name:  # comment, declaration, processing instruction
            out.append(_store(atoms, token, TAG if token.startswith("<!--") else BLOCK))
        elif pieces[index + 2]:  # script, style or textarea kept whole with its content
            out.append(_atom(atoms, token, name))
        elif not closing and (name in PROTECTED or _foreign_lang(token)):
            if self_closing or name in VOID:
                out.append(_atom(atoms, token, name))
            else:
                frozen, frozen_name, depth = [token], name, 1
        else:
            out.append(_store(atoms, token, TAG if name in INLINE else BLOCK))
    if frozen_name:  # unclosed protected element: protect everything to the end
        out.append(_atom(atoms, "".join(frozen), frozen_name))
    return "".join(out), atoms


def unmask(text: str, atoms: list[str]) -> str:
    """Put every original back in place of its marker; turn added sup markers into tags."""
    originals = iter(atoms)

    def restore(match: re.Match) -> str:
        marker = match.group()
        if marker == SUP_OPEN:
            return "<sup>"
        if marker == SUP_CLOSE:
            return "</sup>"
        return next(originals)

    return _MARKERS_RE.sub(restore, text)


def _store(atoms: list[str], original: str, marker: str) -> str:
    atoms.append(original)
    return marker


def _atom(atoms: list[str], original: str, name: str) -> str:
    """A protected element: a word inside the text when inline, a block boundary otherwise."""
    return _store(atoms, original, OBJ if name in INLINE else BLOCK)


def _tag_info(token: str) -> tuple[str, bool, bool]:
    """(lower-case name or "", is an end tag, is self-closing) of one token."""
    match = _TAG_NAME_RE.match(token)
    if match is None:
        return "", False, False
    return match.group(2).lower(), bool(match.group(1)), token.endswith("/>")


def _foreign_lang(start_tag: str) -> bool:
    """Whether the tag carries a lang (or xml:lang) that does not start with "fr"."""
    if "lang" not in start_tag.lower():
        return False
    body = start_tag[1:-1].rstrip("/")
    for name, double, single, bare in _ATTRIBUTE_RE.findall(body)[1:]:
        if name.lower() in ("lang", "xml:lang"):
            value = double or single or bare
            return not value.strip().lower().startswith("fr")
    return False
