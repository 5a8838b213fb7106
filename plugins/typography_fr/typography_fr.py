"""French typography for every article and page: the rules of ``shared/TYPOGRAPHY.md``.

What it adds: the body, the title and the summary of every article and page (translations,
drafts and hidden ones included) are typeset once per build, after the generators have read
them: a narrow no-break space before ``; ! ?`` and inside ``« »``, a no-break space before ``:``
and between a number and its unit, ``"…"`` → ``« … »``, ``'`` → ``’``, ``...`` → ``…``,
`` -- `` → `` — ``, ``1er`` → ``1<sup>er</sup>`` and the rest of the convention (rules 1–13).
Other plugins typeset their own strings with ``typeset(html)`` (HTML) or ``typeset_text(text)``
(plain text such as a title, which the theme escapes: no ``<sup>`` is added there).

Why not Pelican's ``TYPOGRIFY``: typogrify 2.1 and smartypants apply English rules (curly English
quotes, no space before ``; : ! ?``, ``<span class="caps">`` around ``B2B``) and are not
idempotent, so ``TYPOGRIFY`` stays ``False`` and this plugin warns when it is on. No package on
PyPI applies the French rules to HTML without re-serialising it, so the rules are hand-written:
regular expressions over a masked copy of the fragment (``markup.py``), where each tag is one
character, which makes a rule see across inline tags and stay fast (well under a millisecond for
an 800-word article). Reused: the standard library's ``html.unescape`` for character references.
Considered and left: BeautifulSoup, lxml and html5lib re-serialise tags (attribute quotes,
``<br/>``), ``html.parser`` is slow and gives no raw end tags, smartypants' tokenizer cuts a tag
at a ``>`` inside an attribute (details in ``markup.py``).

When: on ``article_generator_finalized`` and ``page_generator_finalized``, which fire on every
build for every object, including those loaded from the content cache (they skip the reader
signals). Each object is marked once typeset, so no object is typeset twice in a build.

Setting: ``TYPOGRAPHY_FR_RULES`` turns rules off. A dict maps rule names to booleans
(``{"ordinals": False}``; names left out stay on); a set, list or tuple lists the only rules
that run. Default: every rule. Unknown names are reported once per build, as a warning. Names,
in the order they run: ``entities`` (13: ``&nbsp; &#8239; &thinsp; &laquo; &raquo; &hellip;
&rsquo;``… become characters; ``&amp; &lt; &gt;`` and the others stay as typed), ``ellipsis`` (6),
``quotes`` (4), ``guillemets`` (3), ``apostrophes`` (5), ``punctuation`` (1), ``colon`` (2),
``thousands`` (9), ``units`` (8), ``dashes`` (7), ``ordinals`` (10), ``abbreviations`` (11).

Choices where the convention is silent (what a French proofreader would do):
- An article or page whose ``lang`` does not start with ``fr`` is left as written, like an
  element with such a ``lang``; an empty ``lang=""`` is not French either.
- A ``"`` after a digit closes an open quotation (``"Top 10"``) unless it follows minutes
  (``2'30"``); with no open quotation it is a mark (``12"``). Spaced quotes (``" oui "``) pair.
- Straight quotes nested in straight quotes pair as “ ” (``"il dit "oui" hier"``); spaces typed
  inside “ ” are removed, as the convention wants none.
- A space typed inside a group of signs goes (``Quoi ? !`` → ``Quoi ?!``), the group keeps one
  space before it.
- Around protected words (``<code>``, a URL, ``lang="en"``) the rules see a word:
  ``<code>x</code>?`` gets its space; their own characters never change.
- ``<br>`` is an inline tag: quotes pair across it, but it is not a space that rule 1 replaces.
- ``18 h 30``: only hours get the no-break space before the minutes.
- Titles keep their ordinals as typed (``XIXe``): they are text, and the theme escapes them.
- Unknown elements (custom tags) end a block: quotes never pair across them.
- Character references other than the typographic ones (``&eacute; &copy; &quot; &#39;``) stay
  as typed: the author escaped them on purpose, and an escaped quote is not a quote to convert.
- A colon before ``«`` is left alone (the convention counts it only before a space, a tag, the
  end of the block or ``»``).
- URLs end before a trailing ``. , ; : ! ? ' " …`` and before an unbalanced ``)``.
- Ordinals: ``Ier`` but not ``Ire`` (a word); ``2nd``/``2nde`` are French too and get ``<sup>``;
  ``Me`` (maître) is not in the list of rule 11, so it gets no no-break space.
- Thousands: 1–3 digits then groups of exactly three digits, each after one typed space, make one
  number (so ``30 100 000`` is read as thirty million).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Mapping
from itertools import chain

from pelican import signals
from pelican.contents import Content

from plugins.core import BuildMemo, compute_with_memo

from . import rules as _rules
from .markup import mask, unmask

logger = logging.getLogger(__name__)

# Every rule, in the order it runs. "entities" is applied while masking (see ``markup.mask``).
RULES: dict[str, Callable[[str], str] | None] = {
    "entities": None,
    "ellipsis": _rules.ellipsis,
    "quotes": _rules.quotes,
    "guillemets": _rules.guillemets,
    "apostrophes": _rules.apostrophes,
    "punctuation": _rules.punctuation,
    "colon": _rules.colon,
    "thousands": _rules.thousands,
    "units": _rules.units,
    "dashes": _rules.dashes,  # after every rule that adds a space: " --»" becomes " --\u202f»"
    "ordinals": _rules.ordinals,
    "abbreviations": _rules.abbreviations,
}
ALL_RULES = frozenset(RULES)
TEXT_RULES = ALL_RULES - {"ordinals"}  # plain text gets no markup
SETTINGS_DEFAULTS = {"TYPOGRAPHY_FR_RULES": None}  # None: every rule
PLUGIN_NAME = "typography_fr"
_DONE = "_typography_fr_done"  # attribute marking a content object as typeset in this build


def typeset(html: str, rules: Iterable[str] | None = None) -> str:
    """Apply the French rules to an HTML fragment (or plain text); tags come out unchanged."""
    enabled = ALL_RULES if rules is None else _checked(rules)
    if not html:
        return html
    text, atoms = mask(html, decode="entities" in enabled)
    for name, rule in RULES.items():
        if rule is not None and name in enabled:
            text = rule(text)
    return unmask(text, atoms)


def typeset_text(text: str, rules: Iterable[str] | None = None) -> str:
    """``typeset`` for plain text that a template escapes (titles): never adds ``<sup>``."""
    enabled = TEXT_RULES if rules is None else _checked(rules) & TEXT_RULES
    return typeset(text, enabled)


def enabled_rules(setting) -> frozenset[str]:
    """The rules a ``TYPOGRAPHY_FR_RULES`` value turns on (unknown names ignored)."""
    if setting is None:
        return ALL_RULES
    if isinstance(setting, Mapping):
        off = {name for name, on in setting.items() if not on}
        on = {name for name, on in setting.items() if on}
        return frozenset((ALL_RULES - off) | (on & ALL_RULES))
    if isinstance(setting, str):
        setting = [setting]
    return frozenset(setting) & ALL_RULES


def settings_problems(settings: Mapping) -> list[str]:
    """Every mistake in this plugin's settings, as messages for the author."""
    problems = []
    setting = settings.get("TYPOGRAPHY_FR_RULES")
    if setting is not None and not isinstance(setting, Mapping | set | frozenset | list | tuple):
        problems.append(
            f"TYPOGRAPHY_FR_RULES must be a dict of rule names to True/False or a set of "
            f"rule names, not {type(setting).__name__}"
        )
    elif setting is not None:
        known = ", ".join(RULES)
        for name in sorted(str(name) for name in setting if name not in ALL_RULES):
            hint = _closest(name)
            maybe = f" (did you mean '{hint}'?)" if hint else ""
            problems.append(
                f"TYPOGRAPHY_FR_RULES: unknown rule '{name}'{maybe}; known rules: {known}"
            )
    if settings.get("TYPOGRIFY"):
        problems.append(
            "TYPOGRIFY is on: typogrify's English rules run before typography_fr; "
            "set TYPOGRIFY = False"
        )
    return problems


def check_settings(pelican) -> None:
    """Report the settings' mistakes once per build."""
    if _enabled(pelican.settings):
        for problem in settings_problems(pelican.settings):
            logger.warning("%s", problem)


def typeset_content(content, rules: frozenset[str]) -> bool:
    """Typeset one article or page in place (body, title, summary); False if already done."""
    if getattr(content, _DONE, False):
        return False
    setattr(content, _DONE, True)
    if is_french(content):
        apply_typeset(content, typeset_fields(fields_of(content), rules))
    return True


def is_french(content) -> bool:
    return str(getattr(content, "lang", "fr") or "").lower().startswith("fr")


def fields_of(content) -> tuple:
    """What typography changes in a content object: body, title, explicit summary, and the
    summary Pelican stored from the header (None where absent)."""
    title = content.metadata.get("title", getattr(content, "title", None))
    summary = content.metadata.get("summary")
    stored = getattr(content, "_summary", None)
    return (
        getattr(content, "_content", None) or None,
        title if isinstance(title, str) else None,
        summary if isinstance(summary, str) else None,
        stored if isinstance(stored, str) else None,
    )


def typeset_fields(fields: tuple, rules: frozenset[str]) -> tuple:
    """``fields_of`` typeset: a pure function of its arguments, so it can run anywhere."""
    body, title, summary, stored = fields
    return (
        typeset(body, rules) if body else body,
        typeset_text(title, rules) if title is not None else None,
        typeset(summary, rules) if summary is not None else None,
        typeset(stored, rules) if stored is not None else None,
    )


def apply_typeset(content, typeset_values: tuple) -> None:
    """Put ``typeset_fields``' result back into the content object."""
    body, title, summary, stored = typeset_values
    if body:
        content._content = body
    if title is not None:
        content.title = content.metadata["title"] = title
    # An explicit summary is metadata; a generated one is cut from the typeset body on demand.
    if summary is not None:
        content.metadata["summary"] = summary
    if stored is not None:
        content._summary = summary or stored


def typeset_articles(generator) -> None:
    """Typeset every article the generator holds: published, translated, hidden, drafts."""
    _typeset_all(
        generator,
        (
            "articles",
            "translations",
            "hidden_articles",
            "hidden_translations",
            "drafts",
            "drafts_translations",
        ),
    )


def typeset_pages(generator) -> None:
    """Typeset every page the generator holds: published, translated, hidden, drafts."""
    _typeset_all(
        generator,
        (
            "pages",
            "translations",
            "hidden_pages",
            "hidden_translations",
            "draft_pages",
            "draft_translations",
        ),
    )


def register():
    signals.initialized.connect(check_settings)
    signals.article_generator_finalized.connect(typeset_articles)
    signals.page_generator_finalized.connect(typeset_pages)


def _typeset_all(generator, attributes: Iterable[str]) -> None:
    # *_finalized runs on every build for every object, cached or freshly read (cached objects
    # skip content_object_init), and after the generator has saved its cache: the cache keeps
    # the text as written, so changing TYPOGRAPHY_FR_RULES takes effect without --ignore-cache.
    if not _enabled(generator.settings):
        return  # receivers outlive a build in one process; only builds that list the plugin
    rules = enabled_rules(generator.settings.get("TYPOGRAPHY_FR_RULES"))
    contents = chain.from_iterable(getattr(generator, name, ()) for name in attributes)
    todo = list({id(c): c for c in contents if not getattr(c, _DONE, False)}.values())
    for content in todo:
        setattr(content, _DONE, True)
    french = [content for content in todo if is_french(content)]
    # Thousands of bodies: typeset on every core, and kept from one warm build to the next.
    fields = [fields_of(content) for content in french]
    memo_name = f"typography_fr-{type(generator).__name__}"
    memo = BuildMemo(generator.settings, memo_name, os.path.dirname(__file__))
    keys = [memo.key(sorted(rules), *values) for values in fields]
    results = compute_with_memo(memo, keys, lambda index: typeset_fields(fields[index], rules))
    for content, values in zip(french, results, strict=True):
        apply_typeset(content, values)
    memo.save()
    _forget_memoized({id(content) for content in todo})


def _forget_memoized(done: set[int]) -> None:
    """Drop what Pelican memoized of these objects before they were typeset (another plugin)."""
    if not done:
        return
    for method in (Content.get_content, Content.get_summary):
        cache = getattr(method, "cache", None)
        if cache:
            for key in [key for key in cache if key and id(key[0]) in done]:
                del cache[key]


def _enabled(settings: Mapping) -> bool:
    return any(
        str(name).rsplit(".", 1)[-1] == PLUGIN_NAME for name in settings.get("PLUGINS") or ()
    )


def _checked(rules: Iterable[str]) -> frozenset[str]:
    enabled = frozenset(rules)
    unknown = enabled - ALL_RULES
    if unknown:
        raise ValueError(f"unknown typography rules: {', '.join(sorted(unknown))}")
    return enabled


def _closest(name: str) -> str | None:
    try:
        from plugins.core import closest
    except ImportError:  # the shared helpers are optional for this plugin
        return None
    return closest(name, RULES)
