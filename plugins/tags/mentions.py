"""Find the first mention of each term in an HTML body and mark it, in one pass.

A term is a tag of the article or a glossary entry. The rules, expressed once here:

- Whole words: a name is not found inside a longer word (« Amazonie ») or a hyphenated one
  (« e-commerce » holds no « commerce »); an apostrophe ends a word (« l’Amazon », « Amazon's »).
  Letters are Unicode letters, so accented words have their own boundaries.
- Case: a name without capitals (« fidélisation ») is found in any case; a name with capitals
  (« Orange », « ROI ») only as written or in full capitals, so « une robe orange » and « le roi »
  are left alone.
- Spaces, apostrophes and hyphens in a name match their typographic variants (no-break space,
  ’, non-breaking hyphen): the body has been through French typography already.
- Never inside a link, a heading, code, preformatted text, a figure caption, a button, a form
  control, an ``<abbr>`` or ``<dfn>`` the author wrote, or an attribute (only text is read).
- One treatment per mention: when a mention could be two terms (« ROI » is a tag and a glossary
  term), the term given first to ``compile_matcher`` takes it, and the other takes
  the next mention; links never nest.

Why a tokenizer and not an HTML parser: the body must come out byte for byte as it went in,
except for the marked words. BeautifulSoup re-serialises every tag (attribute order, ``<br/>``,
entities), which would change bodies that other plugins and tests read; a regular expression over
tags with a stack of open elements is exact, and faster: on the demo bodies, finding and marking
takes about half the time BeautifulSoup with lxml needs just to parse and re-serialise them.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

WORD = r"\w\-\u2010\u2011"  # characters that continue a word: letters, digits, hyphens
APOSTROPHES = "'’ʼ"
HYPHENS = "-\u2010\u2011"
SPACES = re.compile(r"\s+")
TO_PLAIN = str.maketrans({"’": "'", "ʼ": "'", "\u2010": "-", "\u2011": "-"})

# Elements whose text is never marked.
SKIPPED = frozenset(
    {"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "kbd", "samp", "var", "figcaption",
     "button", "label", "select", "option", "summary", "abbr", "dfn", "svg", "math", "noscript"}
)  # fmt: skip
# Elements whose content is raw text, not markup: jumped over to their end tag.
RAW_TEXT = frozenset({"script", "style", "textarea", "title", "template"})
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
     "source", "track", "wbr"}
)  # fmt: skip
TOKEN = re.compile(
    r"""
    <!--.*?-->                                  # comment
  | <![^>]*>                                    # doctype, CDATA marker
  | <\?.*?>                                     # processing instruction
  | <(?P<end>/)?(?P<name>[A-Za-z][A-Za-z0-9:-]*)
      (?P<attrs>(?:[^>"']|"[^"]*"|'[^']*')*)>   # a tag; quoted attributes may hold ">"
    """,
    re.S | re.X,
)


@dataclass(frozen=True)
class Term:
    """Something to find in bodies: a tag or a glossary entry, with every name it goes by."""

    kind: str  # "tag" or "glossary"
    key: str  # unique within its kind (a slug)
    names: tuple[str, ...]


@dataclass(frozen=True)
class Part:
    """One compiled regular expression over some terms' names, cached for the whole build.

    ``keys`` rank its alternatives (longest name first, then the pattern) as one regular
    expression over the names of several parts would try them, so that parts searched together
    pick, at one position, the alternative that regular expression would pick.
    """

    regex: re.Pattern
    keys: tuple[tuple[int, str], ...]

    def key_of(self, found: str) -> tuple[int, str]:
        """The rank of the alternative that found this text: the first that matches all of it
        (an earlier one matching it would have been chosen)."""
        return next(key for key in self.keys if _compiled(key[1]).fullmatch(found))


@dataclass(frozen=True)
class Matcher:
    """A compiled search for some terms, and the way back from a matched text to its terms."""

    parts: tuple[Part, ...]
    exact: Mapping[str, tuple[Term, ...]]  # plain text -> terms (names with capitals)
    folded: Mapping[str, tuple[Term, ...]]  # casefolded plain text -> terms (without)

    def terms_of(self, text: str) -> tuple[Term, ...]:
        """The terms a matched text stands for, in priority order."""
        plain = plain_text(text)
        found = self.exact.get(plain, ()) + self.folded.get(plain.casefold(), ())
        return tuple(dict.fromkeys(found))

    def finditer(self, text: str) -> Iterator[re.Match]:
        """The mentions in ``text``, left to right, as one alternation of every part would.

        At each position the leftmost match wins; among matches at one position, the
        alternative ranked first (``Part.keys``). The next search starts where the match ends.
        """
        if len(self.parts) == 1:
            yield from self.parts[0].regex.finditer(text)
            return
        pending = [(part, part.regex.search(text)) for part in self.parts]
        while True:
            found = [(match, part) for part, match in pending if match is not None]
            if not found:
                return
            start = min(match.start() for match, _ in found)
            tied = [(match, part) for match, part in found if match.start() == start]
            match = (
                tied[0][0]
                if len(tied) == 1
                else min(tied, key=lambda pair: pair[1].key_of(pair[0].group(0)))[0]
            )
            yield match
            end = match.end()
            # A part's pending match starting at or after ``end`` is still its leftmost one.
            pending = [
                (part, part.regex.search(text, end) if found and found.start() < end else found)
                for part, found in pending
            ]


def plain_text(text: str) -> str:
    """A text with one kind of space, apostrophe and hyphen, to compare names."""
    return SPACES.sub(" ", text.strip()).translate(TO_PLAIN)


def has_capitals(name: str) -> bool:
    """Whether a name must keep its case (« Orange », « ROI ») or matches in any case."""
    return any(c.isupper() for c in name)


def name_pattern(name: str) -> str:
    """The regular expression of one name, without the word boundaries."""
    words = (re.escape(word) for word in plain_text(name).split(" "))
    return r"\s+".join(
        word.replace("'", "['’ʼ]").replace(r"\-", "[-\u2010\u2011]") for word in words
    )


def compile_matcher(*groups: Sequence[Term]) -> Matcher | None:
    """A search for every name of these terms; None when there is none.

    Terms earlier (in the first group, then the next…) win a mention that several could take.
    Each group is one regular expression, compiled once and reused by every matcher given the
    same group (``_compile_part``): give the terms shared by every article (the glossary) as one
    group, so a build compiles it once, and the others (an article's tags) as another. Each
    group is one more search of every text; the mentions found are exactly those of one regular
    expression over all the groups' names.
    """
    exact: dict[str, list[Term]] = {}
    folded: dict[str, list[Term]] = {}
    for term in (term for group in groups for term in group):
        for any_case, text, _, _ in _alternatives(term):
            (folded if any_case else exact).setdefault(text, []).append(term)
    parts = tuple(part for group in groups if (part := _compile_part(tuple(group))) is not None)
    if not parts:
        return None
    return Matcher(
        parts,
        {text: tuple(found) for text, found in exact.items()},
        {text: tuple(found) for text, found in folded.items()},
    )


@lru_cache(maxsize=16384)
def _alternatives(term: Term) -> tuple[tuple[bool, str, str, int], ...]:
    """Each way a term is found: whether in any case, the text to look it up by (plain, or
    casefolded), its pattern and the length of its name."""
    found = []
    for name in term.names:
        plain = plain_text(name)
        if not plain:
            continue
        if has_capitals(plain):
            for variant in dict.fromkeys((plain, plain.upper())):
                found.append((False, variant, name_pattern(variant), len(variant)))
        else:
            found.append((True, plain.casefold(), f"(?i:{name_pattern(plain)})", len(plain)))
    return tuple(found)


_compiled = lru_cache(maxsize=4096)(re.compile)


@lru_cache(maxsize=4096)
def _compile_part(terms: tuple[Term, ...]) -> Part | None:
    """One regular expression finding every name of these terms, longest names tried first."""
    alternatives: dict[str, int] = {}  # pattern -> length of its name
    for term in terms:
        for _, _, pattern, length in _alternatives(term):
            alternatives.setdefault(pattern, length)
    if not alternatives:
        return None
    keys = tuple(sorted((-length, pattern) for pattern, length in alternatives.items()))
    choices = "|".join(pattern for _, pattern in keys)
    return Part(re.compile(rf"(?<![{WORD}])(?:{choices})(?![{WORD}])"), keys)


def mark_first_mentions(
    body: str, matcher: Matcher | None, render: Callable[[Term, str], str]
) -> tuple[str, tuple[Term, ...]]:
    """The body with the first mention of each term replaced by ``render(term, escaped_text)``.

    Also returns the terms marked, in order. Text outside marked words is left byte for byte.
    """
    if matcher is None or not body:
        return body, ()
    marked: dict[Term, None] = {}
    out: list[str] = []
    for text, markable in _text_runs(body):
        out.append(_mark_text(text, matcher, render, marked) if markable else text)
    return "".join(out), tuple(marked)


def _text_runs(body: str) -> Iterable[tuple[str, bool]]:
    """The body cut into runs of markup or text; text is markable unless inside SKIPPED."""
    stack: list[str] = []
    skipped = 0  # how many SKIPPED elements are open
    position = 0
    while position < len(body):
        token = TOKEN.search(body, position)
        if token is None:
            yield body[position:], skipped == 0
            return
        if token.start() > position:
            yield body[position : token.start()], skipped == 0
        yield token.group(0), False
        position = token.end()
        name = (token.group("name") or "").lower()
        if not name:
            continue
        if token.group("end"):
            if name in stack:
                while stack:
                    closed = stack.pop()
                    skipped -= closed in SKIPPED
                    if closed == name:
                        break
        elif name in RAW_TEXT:
            close = re.compile(rf"</{name}\s*>", re.I).search(body, position)
            end = close.end() if close else len(body)
            yield body[position:end], False
            position = end
        elif name not in VOID and not token.group("attrs").rstrip().endswith("/"):
            stack.append(name)
            skipped += name in SKIPPED


def _mark_text(
    raw: str, matcher: Matcher, render: Callable[[Term, str], str], marked: dict[Term, None]
) -> str:
    text = html.unescape(raw) if "&" in raw else raw
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    pieces: list[str] = []
    last = 0
    for match in matcher.finditer(text):
        term = next((t for t in matcher.terms_of(match.group(0)) if t not in marked), None)
        if term is None:
            continue
        marked[term] = None
        pieces.append(html.escape(text[last : match.start()], quote=False))
        pieces.append(render(term, html.escape(match.group(0), quote=False)))
        last = match.end()
    if not pieces:
        return raw
    pieces.append(html.escape(text[last:], quote=False))
    return "".join(pieces)
