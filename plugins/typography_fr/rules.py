"""The French rules, each a function from masked text to masked text (see ``markup``).

The text they receive is a whole fragment in which every tag is one marker character, so a rule
sees across inline tags (``"<em>x</em>"``) but stops at a block marker. Each rule only ever
changes spaces, quotes, apostrophes, dashes and dots, or adds the ``<sup>`` markers of ordinals;
each is idempotent on its own output and on the output of the rules that run after it.
"""

from __future__ import annotations

import re

from .markup import BLOCK, ENT_WORD, OBJ, SUP_CLOSE, SUP_OPEN, TAG

NBSP = "\u00a0"  # before ":", inside numbers with units, after "M."
NNBSP = "\u202f"  # before ";!?", inside « », thousands separator

# Character classes over the masked text, as regex fragments.
SPACE = " \t\r\n\u00a0\u2009\u202f"  # the spaces a rule may replace
INVISIBLE = TAG + SUP_OPEN + SUP_CLOSE  # inline markup: no width in the running text
WORDLIKE = OBJ + ENT_WORD  # protected words and kept references to letters
LETTER = rf"(?:[^\W\d_]|{ENT_WORD})"
UPPER = "A-ZÀ-ÖØ-ÞŒŸ"

# Most rules put one space next to a mark (; ! ? : « » %…). Matching "a run of spaces, then the
# mark" with one regex tries every position of the text; finding the marks (a few dozen) and
# looking at their neighbours is several times faster, and an article is typeset on every build.
_RUN = frozenset(SPACE + INVISIBLE)  # what may lie between a mark and its word
_NOT_A_WORD = _RUN | {BLOCK}


def _tags_of(run: str) -> str:
    """The inline tags of a run of spaces and tags, in order: the spaces are dropped."""
    return "".join(char for char in run if char in INVISIBLE)


def _space_before(text: str, marks: re.Pattern, decide) -> str:
    """Replace the run of spaces and tags before each mark by ``decide(prev, run)`` (None: keep)."""
    out, last = [], 0
    for match in marks.finditer(text):
        start = begin = match.start()
        while begin > last and text[begin - 1] in _RUN:
            begin -= 1
        if begin == 0 or text[begin - 1] in _NOT_A_WORD:
            continue  # nothing before the mark in this block
        run = text[begin:start]
        new = decide(text[begin - 1], run)
        if new is not None and new != run:
            out += (text[last:begin], new)
            last = start
    return "".join(out) + text[last:] if out else text


def _space_after(text: str, marks: re.Pattern, decide) -> str:
    """Replace the run of spaces and tags after each mark by ``decide(run, next)``."""
    out, last, size = [], 0, len(text)
    for match in marks.finditer(text):
        start = end = match.end()
        if start < last:
            continue
        while end < size and text[end] in _RUN:
            end += 1
        if end == size or text[end] in _NOT_A_WORD:
            continue  # nothing after the mark in this block
        run = text[start:end]
        new = decide(run, text[end])
        if new is not None and new != run:
            out += (text[last:start], new)
            last = end
    return "".join(out) + text[last:] if out else text


# --- 1 and 2: space before ; ! ? and before : ---------------------------------------------
# A group of ;!? counts as one sign. The sign is punctuation only when followed by a space, a
# tag, the end of the block or a closing mark, and a ";" followed by ")" is a wink; a colon only
# when followed by a space, a tag, the end of the block or ». The space is inserted only after a
# letter, a digit, » ) ] … or a protected word; an existing run is always normalised.
_SIGN_RE = re.compile(rf"[;!?]+(?!(?<=;)\))(?=[{SPACE}{INVISIBLE}{BLOCK}{OBJ}»)\]\"…,.!?]|\Z)")
_COLON_RE = re.compile(rf":(?=[{SPACE}{INVISIBLE}{BLOCK}»]|\Z)")
_INSERT_AFTER_RE = re.compile(rf"[^\W_]|[»)\]…{WORDLIKE}]")


def _sign_space(space: str):
    def decide(prev: str, run: str) -> str | None:
        tags = _tags_of(run)
        if prev in "!?":
            return tags  # "? !" is one group: no space inside
        if len(tags) == len(run) and not _INSERT_AFTER_RE.match(prev):
            return None  # no space typed, and nothing a space should follow
        return tags + space

    return decide


_narrow_before_sign = _sign_space(NNBSP)
_nbsp_before_colon = _sign_space(NBSP)


def punctuation(text: str) -> str:
    """Rule 1: one U+202F before ; ! ? (and groups such as ?!), in the sign's text node."""
    return _space_before(text, _SIGN_RE, _narrow_before_sign)


def colon(text: str) -> str:
    """Rule 2: one U+00A0 before a colon that ends a clause (not 10:14, 3:1, :), https://)."""
    return _space_before(text, _COLON_RE, _nbsp_before_colon) if ":" in text else text


# --- 3: inside « » ---------------------------------------------------------------------------
_OPENING_RE = re.compile("«")
_CLOSING_RE = re.compile("»")


def _after_opening(run: str, following: str) -> str | None:
    return None if following == "»" else NNBSP + _tags_of(run)


def _before_closing(prev: str, run: str) -> str | None:
    return None if prev == "«" else _tags_of(run) + NNBSP


def guillemets(text: str) -> str:
    """Rule 3: one U+202F after « and before », next to the guillemet, outside inline tags."""
    if "«" in text:
        text = _space_after(text, _OPENING_RE, _after_opening)
    if "»" in text:
        text = _space_before(text, _CLOSING_RE, _before_closing)
    return text


# --- 4: straight double quotes ----------------------------------------------------------------
_QUOTE_CONTEXT_RE = re.compile(f'["«»{BLOCK}]')
_OPENS_AFTER = set(SPACE) | set("([—–'’«“")
_CLOSES_BEFORE = set(SPACE) | set(".,;:!?)]…»") | {BLOCK}
_MINUTES_RE = re.compile(r"\d['′]\d{1,2}\Z")


def _neighbour(text: str, index: int, step: int) -> str:
    """The nearest character before (step -1) or after (step 1) index, skipping inline tags."""
    index += step
    while 0 <= index < len(text) and text[index] in INVISIBLE:
        index += step
    return text[index] if 0 <= index < len(text) else BLOCK


def quotes(text: str) -> str:
    """Rule 4: pair straight double quotes within a block into « » (“ ” at the second level)."""
    if '"' not in text:
        return text
    # An open quote is [index, enclosing open quote or None, paired?, inside typed « »?]; a pair
    # is second level when inside typed « » or inside another quote that finds its pair.
    pairs: list[tuple[int, int, list]] = []
    stack: list[list] = []
    depth = 0  # guillemets typed by the author and still open
    for match in _QUOTE_CONTEXT_RE.finditer(text):
        char, index = match.group(), match.start()
        if char == BLOCK:  # quotes still open stay as typed
            stack, depth = [], 0
            continue
        if char == "«":
            depth += 1
            continue
        if char == "»":
            depth = max(depth - 1, 0)
            continue
        before, after = _neighbour(text, index, -1), _neighbour(text, index, 1)
        if before.isdigit() and (not stack or _MINUTES_RE.search(text, max(index - 4, 0), index)):
            continue  # 2'30" or 12": a mark, not a quote
        at_start = before == BLOCK
        if stack and not at_start and (before not in _OPENS_AFTER or after in _CLOSES_BEFORE):
            entry = stack.pop()
            entry[2] = True
            pairs.append((entry[0], index, entry))
        elif (at_start or before in _OPENS_AFTER) and after != BLOCK:
            stack.append([index, stack[-1] if stack else None, False, depth > 0])
    if not pairs:
        return text
    marks = {}
    for opening, closing, entry in pairs:
        parent = entry[1]
        inner = entry[3] or (parent is not None and parent[2])
        marks[opening], marks[closing] = ("“", "”") if inner else ("«", "»")
    out, last = [], 0
    for index in sorted(marks):
        chunk, mark = text[last:index], marks[index]
        if mark == "”":
            chunk = chunk.rstrip(SPACE)  # English quotes take no space inside
        out += (chunk, mark)
        last = index + 1
        if mark == "“":
            while last < len(text) and text[last] in SPACE:
                last += 1
    return "".join(out) + text[last:]


# --- 5, 6, 7: apostrophe, ellipsis, dashes ------------------------------------------------------
# An elision before a quotation is one too: qu'« avoir le sens du client ».
_APOSTROPHE_RE = re.compile(rf"'(?<={LETTER}')(?=[{INVISIBLE}]*(?:{LETTER}|«))")
_ELLIPSIS_RE = re.compile(r"(?<!\.)\.\.\.(?!\.)")
_EM_DASH_RE = re.compile(rf"--(?<=[{SPACE}]--)(?=[{SPACE}])")
_EN_DASH_RE = re.compile(rf"-(?<=[{SPACE}]-)(?=[{SPACE}])")


def apostrophes(text: str) -> str:
    """Rule 5: ' between two letters becomes ’ (L'ÉTÉ, aujourd'hui), and before « (qu'«)."""
    return _APOSTROPHE_RE.sub("’", text) if "'" in text else text


def ellipsis(text: str) -> str:
    """Rule 6: exactly three dots become … ([...] too); two or four dots stay."""
    return _ELLIPSIS_RE.sub("…", text) if "..." in text else text


def dashes(text: str) -> str:
    """Rule 7: " -- " becomes " — " and " - " becomes " – "; hyphenated words are untouched."""
    if "-" not in text:
        return text
    return _EN_DASH_RE.sub("–", _EM_DASH_RE.sub("—", text))


# --- 8, 9: numbers ---------------------------------------------------------------------------
_UNIT_WORDS = r"km|kg|Mo|Go|To|ko|min|ms|h|millions?|milliards?|milliers?"
_CURRENCY_RE = re.compile("[%‰€$£]")
_UNIT_RE = re.compile(rf"(\d)[{SPACE}]+(?=(?:{_UNIT_WORDS})(?![^\W\d_]))")
_HOURS_RE = re.compile(rf"{NBSP}h(?<=\d{NBSP}h)[{SPACE}]+(?=\d)")
_THOUSANDS_RE = re.compile(r"\d(?<![\d,.]\d)\d{0,2}(?:[ \u00a0\u2009\u202f]\d{3})+(?!\d)")
_SEPARATOR_RE = re.compile("[ \u00a0\u2009]")


def _after_number(prev: str, run: str) -> str | None:
    return _tags_of(run) + NBSP if prev.isdigit() else None


def units(text: str) -> str:
    """Rule 8: U+00A0 between a number and % ‰ € $ £ (inserted), or a unit (replacing a space)."""
    text = _space_before(text, _CURRENCY_RE, _after_number)
    text = _UNIT_RE.sub(rf"\1{NBSP}", text)
    return _HOURS_RE.sub(f"{NBSP}h{NBSP}", text) if f"{NBSP}h" in text else text


def thousands(text: str) -> str:
    """Rule 9: a thousands separator typed by the author becomes U+202F; digits never regrouped."""
    return _THOUSANDS_RE.sub(lambda m: _SEPARATOR_RE.sub(NNBSP, m.group()), text)


# --- 10: ordinals --------------------------------------------------------------------------------
_SUFFIXES = {
    "er": "er",
    "re": "re",
    "ers": "ers",
    "res": "res",
    "e": "e",
    "es": "es",
    "ème": "e",
    "èmes": "es",
    "eme": "e",
    "emes": "es",
    "ième": "e",
    "ièmes": "es",
    "ieme": "e",
    "iemes": "es",
    "è": "e",
    "ère": "re",
    "ères": "res",
    "ere": "re",
    "eres": "res",
    "nd": "nd",
    "nde": "nde",
    "nds": "nds",
    "ndes": "ndes",
}
_ROMAN_SUFFIXES = {"e", "es", "ème", "èmes", "eme", "emes", "ième", "ièmes"}
# Each pattern starts with the character it needs (a digit, a capital) and checks what lies
# before it afterwards: Python's re then skips ahead instead of trying every position.
_ALTERNATIVES = "|".join(sorted(_SUFFIXES, key=len, reverse=True))
_ORDINAL_RE = re.compile(rf"(\d(?<![\w.,]\d)\d*)({_ALTERNATIVES})(?!\w)")
_ROMAN_RE = re.compile(rf"([IVXLC](?<!\w[IVXLC])[IVXLC]*)({_ALTERNATIVES})(?!\w)")


def _superscript(match: re.Match) -> str:
    number, suffix = match.groups()
    return number + SUP_OPEN + _SUFFIXES[suffix] + SUP_CLOSE


def _roman_superscript(match: re.Match) -> str:
    # I, V, X alone or two letters or more: "Ce", "Le", "De" are words; "Ier" but not "Ire" (ire).
    number, suffix = match.groups()
    if (len(number) > 1 or number in "IVX") and (
        suffix in _ROMAN_SUFFIXES or (number == "I" and suffix == "er")
    ):
        return number + SUP_OPEN + _SUFFIXES[suffix] + SUP_CLOSE
    return match.group()


def ordinals(text: str) -> str:
    """Rule 10: 1er 2e XIXe get <sup>; 3ème 1ère are corrected; Ce, Le, De, Me are words."""
    return _ROMAN_RE.sub(_roman_superscript, _ORDINAL_RE.sub(_superscript, text))


# --- 11: abbreviations ---------------------------------------------------------------------------
_TITLE_RE = re.compile(
    rf"([DMP](?<![\w.][DMP])(?:\.|M\.|mes?|lles?|r))[{SPACE}]+(?=[{INVISIBLE}]*[{UPPER}])"
)
_TITLES = frozenset(["M.", "MM.", "Mme", "Mmes", "Mlle", "Mlles", "Dr", "Pr"])


def abbreviations(text: str) -> str:
    """Rule 11: U+00A0 after M. MM. Mme(s) Mlle(s) Dr Pr before a capitalised word."""
    return _TITLE_RE.sub(lambda m: m.group(1) + NBSP if m.group(1) in _TITLES else m.group(), text)
