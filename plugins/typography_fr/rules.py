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

# --- 1 and 2: space before ; ! ? and before : ---------------------------------------------
# A run of spaces and inline tags, then the sign (a group of ;!? counts as one sign). The sign is
# punctuation only when followed by a space, a tag, the end of the block or a closing mark, and a
# ";" followed by ")" is a wink. The space is inserted only after a letter, a digit, » ) ] … or
# a protected word; an existing run is always normalised.
_BEFORE_SIGN_RE = re.compile(
    rf"""(?<=(?P<prev>[^{SPACE}{INVISIBLE}{BLOCK}]))
    (?P<run>[{SPACE}{INVISIBLE}]*)
    (?P<sign>[;!?]+)
    (?!(?<=;)\))
    (?=[{SPACE}{INVISIBLE}{BLOCK}{OBJ}»)\]"…,.!?]|\Z)""",
    re.VERBOSE,
)
_BEFORE_COLON_RE = re.compile(
    rf"""(?<=(?P<prev>[^{SPACE}{INVISIBLE}{BLOCK}]))
    (?P<run>[{SPACE}{INVISIBLE}]*)
    (?P<sign>:)
    (?=[{SPACE}{INVISIBLE}{BLOCK}»]|\Z)""",
    re.VERBOSE,
)
_INSERT_AFTER_RE = re.compile(rf"[^\W_]|[»)\]…{WORDLIKE}]")


def _tags_of(run: str) -> str:
    """The inline tags of a run of spaces and tags, in order: the spaces are dropped."""
    return "".join(char for char in run if char in INVISIBLE)


def _space_before(space: str):
    def replace(match: re.Match) -> str:
        run, prev = match.group("run"), match.group("prev")
        tags = _tags_of(run)
        if prev in "!?":
            return tags + match.group("sign")  # "? !" is one group: no space inside
        if len(tags) == len(run) and not _INSERT_AFTER_RE.match(prev):
            return match.group()  # no space typed, and nothing a space should follow
        return tags + space + match.group("sign")

    return replace


_replace_before_sign = _space_before(NNBSP)
_replace_before_colon = _space_before(NBSP)


def punctuation(text: str) -> str:
    """Rule 1: one U+202F before ; ! ? (and groups such as ?!), in the sign's text node."""
    return _BEFORE_SIGN_RE.sub(_replace_before_sign, text)


def colon(text: str) -> str:
    """Rule 2: one U+00A0 before a colon that ends a clause (not 10:14, 3:1, :), https://)."""
    return _BEFORE_COLON_RE.sub(_replace_before_colon, text)


# --- 3: inside « » ---------------------------------------------------------------------------
_AFTER_OPENING_RE = re.compile(rf"«(?P<run>[{SPACE}{INVISIBLE}]*)(?=[^{SPACE}{INVISIBLE}{BLOCK}»])")
_BEFORE_CLOSING_RE = re.compile(
    rf"(?<=[^{SPACE}{INVISIBLE}{BLOCK}«])(?P<run>[{SPACE}{INVISIBLE}]*)»"
)


def guillemets(text: str) -> str:
    """Rule 3: one U+202F after « and before », next to the guillemet, outside inline tags."""
    if "«" not in text and "»" not in text:
        return text
    text = _AFTER_OPENING_RE.sub(lambda m: "«" + NNBSP + _tags_of(m.group("run")), text)
    return _BEFORE_CLOSING_RE.sub(lambda m: _tags_of(m.group("run")) + NNBSP + "»", text)


# --- 4: straight double quotes ----------------------------------------------------------------
_QUOTE_CONTEXT_RE = re.compile(f'["«»{BLOCK}]')
_OPENS_AFTER = set(SPACE) | set("([—–'’«“")
_CLOSES_BEFORE = set(SPACE) | set(".,;:!?)]…»") | {BLOCK}
_MINUTES_RE = re.compile(r"\d['′]\d{1,2}\Z")
_NO_SPACE_INSIDE_RE = re.compile(rf"(“)[{SPACE}]+|[{SPACE}]+(”)")


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
        if before.isdigit() and (not stack or _MINUTES_RE.search(text, 0, index)):
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
    chars = list(text)
    for opening, closing, entry in pairs:
        parent = entry[1]
        inner = entry[3] or (parent is not None and parent[2])
        chars[opening], chars[closing] = ("“", "”") if inner else ("«", "»")
    text = "".join(chars)
    return _NO_SPACE_INSIDE_RE.sub(lambda m: m.group(1) or m.group(2), text)


# --- 5, 6, 7: apostrophe, ellipsis, dashes ------------------------------------------------------
_APOSTROPHE_RE = re.compile(rf"(?<={LETTER})'(?=[{INVISIBLE}]*{LETTER})")
_ELLIPSIS_RE = re.compile(r"(?<!\.)\.\.\.(?!\.)")
_EM_DASH_RE = re.compile(rf"(?<=[{SPACE}])--(?=[{SPACE}])")
_EN_DASH_RE = re.compile(rf"(?<=[{SPACE}])-(?=[{SPACE}])")


def apostrophes(text: str) -> str:
    """Rule 5: ' between two letters becomes ’ (L'ÉTÉ, aujourd'hui); no other quote is touched."""
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
_CURRENCY_RE = re.compile(rf"(?<=\d)(?P<run>[{SPACE}{INVISIBLE}]*)(?P<sign>[%‰€$£])")
_UNIT_RE = re.compile(rf"(?<=\d)[{SPACE}]+(?=(?:{_UNIT_WORDS})(?![^\W\d_]))")
_HOURS_RE = re.compile(rf"(?<=\d{NBSP}h)[{SPACE}]+(?=\d)")
_THOUSANDS_RE = re.compile(r"(?<![\d,.])\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?![\d])")
_SEPARATOR_RE = re.compile("[ \u00a0\u2009]")


def units(text: str) -> str:
    """Rule 8: U+00A0 between a number and % ‰ € $ £ (inserted), or a unit (replacing a space)."""
    text = _CURRENCY_RE.sub(lambda m: _tags_of(m.group("run")) + NBSP + m.group("sign"), text)
    text = _UNIT_RE.sub(NBSP, text)
    return _HOURS_RE.sub(NBSP, text)


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
_ALTERNATIVES = "|".join(sorted(_SUFFIXES, key=len, reverse=True))
_ORDINAL_RE = re.compile(rf"(?<![\w.,])(\d+)({_ALTERNATIVES})(?!\w)")
_ROMAN_ALTERNATIVES = "|".join(sorted(_ROMAN_SUFFIXES, key=len, reverse=True))
_ROMAN_RE = re.compile(rf"(?<!\w)(?:(I)(er)|(I|V|X|[IVXLC]{{2,}})({_ROMAN_ALTERNATIVES}))(?!\w)")


def _superscript(match: re.Match) -> str:
    number, suffix = [group for group in match.groups() if group is not None]
    return number + SUP_OPEN + _SUFFIXES[suffix] + SUP_CLOSE


def ordinals(text: str) -> str:
    """Rule 10: 1er 2e XIXe get <sup>; 3ème 1ère are corrected; Ce, Le, De, Me are words."""
    return _ROMAN_RE.sub(_superscript, _ORDINAL_RE.sub(_superscript, text))


# --- 11: abbreviations ---------------------------------------------------------------------------
_TITLE_RE = re.compile(
    rf"(?<![\w.])(M\.|MM\.|Mmes?|Mlles?|Dr|Pr)[{SPACE}]+(?=[{INVISIBLE}]*[{UPPER}])"
)


def abbreviations(text: str) -> str:
    """Rule 11: U+00A0 after M. MM. Mme(s) Mlle(s) Dr Pr before a capitalised word."""
    return _TITLE_RE.sub(lambda m: m.group(1) + NBSP, text)
