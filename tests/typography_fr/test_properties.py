"""Properties of ``typeset`` on generated fragments: what may change, and what never does."""

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from plugins.typography_fr import RULES, typeset

WORDS = [
    "l'été", "L'ÉTÉ", "Bonjour", "oui", "53", "1", "12", "er", "e", "re", "XIX", "Ier", "M.",
    "Mme", "Dupont", "B2B", "SNCF", "e-commerce", "10:14", "3:1", ":)", ";)", ":D", ":-)",
    "https://a.fr/?b=1&amp;c=d:e", "www.x.fr", "x@y.fr", "&amp;", "&lt;", "&nbsp;", "&#8239;",
    "&thinsp;", "&laquo;", "&raquo;", "&hellip;", "&rsquo;", "&eacute;", "2'30\"", "100", "000",
    "4,5", "%", "€", "km", "h", "min", "millions", "Ce", "Le",
]  # fmt: skip
MARKS = [*";:!?\"'.-«»…()[]“”—–", "...", "--", " - ", " -- ", "[...]", "?!"]
SPACES = [" ", " ", "", "\n", "\t", "\u00a0", "\u202f", "\u2009"]

text = st.lists(
    st.one_of(st.sampled_from(WORDS), st.sampled_from(MARKS), st.sampled_from(SPACES)),
    max_size=14,
).map("".join)
attribute_value = text.map(lambda value: html.escape(value, quote=True))


@st.composite
def start_tag(draw, name):
    attributes = draw(
        st.lists(
            st.sampled_from(["title", "href", "alt", "id", "class", "data-x"]),
            max_size=2,
            unique=True,
        )
    )
    rendered = "".join(f' {key}="{draw(attribute_value)}"' for key in attributes)
    return f"<{name}{rendered}>"


@st.composite
def protected(draw):
    """A piece that must come out byte for byte: a protected element, a comment, lang="en"."""
    kind = draw(st.sampled_from(["code", "kbd", "samp", "var", "tt", "comment", "lang", "pre"]))
    content = html.escape(draw(text), quote=False)
    if kind == "comment":
        return f"<!-- {content.replace('-', '')} -->"
    if kind == "lang":
        return f'<span lang="en">{content}</span>'
    if kind == "pre":
        return f'<div class="highlight"><pre><span class="n">{content}</span></pre></div>'
    return f"{draw(start_tag(kind))}{content}</{kind}>"


@st.composite
def inline(draw, depth=0):
    """A list of (piece, is_protected) making up inline content."""
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        choice = draw(st.integers(0, 3 if depth < 2 else 1))
        if choice == 0:
            parts.append((draw(text), False))
        elif choice == 1:
            parts.append((draw(protected()), True))
        else:
            name = draw(st.sampled_from(["em", "strong", "a", "abbr", "span"]))
            parts.append((draw(start_tag(name)), True))
            parts.extend(draw(inline(depth + 1)))
            parts.append((f"</{name}>", True))
    return parts


@st.composite
def fragment(draw):
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(["p", "li", "h2", "td", "figcaption", "dd", "blockquote"]))
        parts.append((draw(start_tag(name)), True))
        parts.extend(draw(inline()))
        parts.append((f"</{name}>", True))
        parts.append((draw(st.sampled_from(["", "\n"])), False))
    return parts


def joined(parts):
    return "".join(piece for piece, _ in parts)


TAG_RE = re.compile(r"<[^>]*>")
CHANGEABLE = re.compile("[\\s\u00a0\u202f\u2009\"'«»“”’‘.…\\-–—]")
NO_ORDINALS = set(RULES) - {"ordinals"}


def visible(fragment_html: str) -> str:
    """The text, decoded, without the characters the rules may change."""
    return CHANGEABLE.sub("", html.unescape(TAG_RE.sub("", fragment_html)))


@settings(max_examples=40, deadline=None)
@given(fragment())
def test_typeset_is_idempotent(parts):
    once = typeset(joined(parts))
    assert typeset(once) == once


@settings(max_examples=40, deadline=None)
@given(fragment())
def test_protected_pieces_and_tags_come_out_unchanged_and_in_order(parts):
    source = joined(parts)
    result = typeset(source)
    position = 0
    for piece, is_protected in parts:
        if is_protected:
            found = result.find(piece, position)
            assert found >= 0, piece
            position = found + len(piece)
    added = {"<sup>", "</sup>"}
    assert [tag for tag in TAG_RE.findall(result) if tag not in added] == TAG_RE.findall(source)


@settings(max_examples=40, deadline=None)
@given(fragment())
def test_only_spaces_quotes_apostrophes_dashes_and_dots_change(parts):
    source = joined(parts)
    assert visible(typeset(source, NO_ORDINALS)) == visible(source)


@settings(max_examples=40, deadline=None)
@given(fragment())
def test_ordinals_only_add_sup_tags(parts):
    # The generated words hold no misspelt suffix (3ème), so only <sup> tags may appear.
    source = joined(parts)
    with_ordinals = typeset(source).replace("<sup>", "").replace("</sup>", "")
    assert with_ordinals == typeset(source, NO_ORDINALS)


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_characters="<>&"), max_size=60))
def test_any_plain_text_is_typeset_idempotently(source):
    once = typeset(source)
    assert typeset(once) == once
    assert visible(once) == visible(source) or "<sup>" in once
