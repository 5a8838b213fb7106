"""French typography for every article and page: the rules of ``shared/TYPOGRAPHY.md``.

What it adds: the body, the title and the summary of every article and page (translations,
drafts and hidden ones included) are typeset once per build, after the generators have read
them: a narrow no-break space before ``; ! ?`` and inside ``« »``, a no-break space before ``:``
and between a number and its unit, ``"…"`` → ``« … »``, ``'`` → ``’``, ``...`` → ``…``,
`` -- `` → `` — ``, ``1er`` → ``1<sup>er</sup>`` and the rest of the convention (rules 1–13).
Other plugins typeset their own strings with ``typeset(html)`` (HTML) or ``typeset_text(text)``
(plain text such as a title, which the theme escapes: no ``<sup>`` is added there), or with
``typesetter(settings, html=…)``, which applies this build's ``TYPOGRAPHY_FR_RULES`` and is the
identity when the plugin is off; ``typo_filter`` is the ``typo`` filter the ``french`` plugin
gives templates (plain text: interface strings and names from data files).

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

When: bodies go through the body pipeline (``plugins.core.pipeline``) as its first transform,
once per build, on both cores, remembered from one warm build to the next; titles and summaries
are typeset on ``article_generator_finalized`` and ``page_generator_finalized``, which fire on
every build for every object, including those loaded from the content cache.

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
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache, partial

from markupsafe import Markup
from pelican import signals

from plugins.core import all_contents, closest, compat, pipeline, plugin_enabled
from plugins.core.pipeline import SKIP, Plan
from plugins.core.settings import PluginSettings

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
TRANSFORM_PRIORITY = 40  # first of the body transforms: the others add markup it must not see


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


def typesetter(settings: Mapping, html: bool = False) -> Callable[[str], str]:
    """The typography of this build for other plugins' strings: ``typeset`` (``html=True``) or
    ``typeset_text`` with ``TYPOGRAPHY_FR_RULES``, or the identity when this plugin is off."""
    if not plugin_enabled(settings, PLUGIN_NAME):
        return _unchanged
    rules = enabled_rules(settings.get("TYPOGRAPHY_FR_RULES"))
    if not html:
        rules = rules & TEXT_RULES
    return partial(_typeset_cached, rules=rules)


# Interface strings (a series' name, a tag, "Tags :") come back on every page of a build.
@lru_cache(maxsize=4096)
def _typeset_cached(text: str, rules: frozenset[str]) -> str:
    return typeset(text, rules) if text else text


def _unchanged(text: str) -> str:
    return text


def typo_filter(typeset_one: Callable[[str], str], value) -> str:
    """A name (a str, a Tag, an Author…) typeset as text; markup stays markup; None is empty."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return Markup(typeset_one(str(value)))
    return typeset_one(str(value))


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


def settings_problems(settings: Mapping) -> list[tuple[str, str]]:
    """Every mistake in this plugin's settings, as (setting, message) for the author; a rule
    name it does not know is only reported (the others still apply)."""
    problems = []
    setting = settings.get("TYPOGRAPHY_FR_RULES")
    if setting is not None and not isinstance(setting, Mapping | set | frozenset | list | tuple):
        problems.append(
            (
                "TYPOGRAPHY_FR_RULES",
                f"TYPOGRAPHY_FR_RULES must be a dict of rule names to True/False or a set of "
                f"rule names, not {type(setting).__name__}",
            )
        )
    elif setting is not None:
        known = ", ".join(RULES)
        for name in sorted(str(name) for name in setting if name not in ALL_RULES):
            hint = closest(name, RULES)
            maybe = f" (did you mean '{hint}'?)" if hint else ""
            message = f"TYPOGRAPHY_FR_RULES: unknown rule '{name}'{maybe}; known rules: {known}"
            problems.append(("", message))
    if settings.get("TYPOGRIFY"):
        problems.append(
            (
                "TYPOGRIFY",
                "TYPOGRIFY is on: typogrify's English rules run before typography_fr; "
                "set TYPOGRIFY = False",
            )
        )
    return problems


SETTINGS = PluginSettings(PLUGIN_NAME, SETTINGS_DEFAULTS, settings_problems)


def plan_typography(generators) -> Plan | None:
    """The body transform of this build: every French body typeset, first of all transforms."""
    settings = generators[0].settings
    if not plugin_enabled(settings, PLUGIN_NAME):
        return None  # receivers outlive a build in one process; only builds that list the plugin
    rules = enabled_rules(settings.get("TYPOGRAPHY_FR_RULES"))
    return Plan(
        name="typography",
        priority=TRANSFORM_PRIORITY,
        rewrite=lambda body, job: typeset(body, rules),
        job_of=lambda content: () if is_french(content) else SKIP,
        inputs=sorted(rules),
    )


def is_french(content) -> bool:
    return str(getattr(content, "lang", "fr") or "").lower().startswith("fr")


def fields_of(content) -> tuple:
    """What typography changes in a content object besides its body: title, explicit summary,
    and the summary Pelican stored from the header (None where absent)."""
    title = content.metadata.get("title", getattr(content, "title", None))
    summary = content.metadata.get("summary")
    return (
        title if isinstance(title, str) else None,
        summary if isinstance(summary, str) else None,
        compat.stored_summary(content),
    )


def typeset_fields(fields: tuple, rules: frozenset[str]) -> tuple:
    """``fields_of`` typeset: a pure function of its arguments."""
    title, summary, stored = fields
    return (
        typeset_text(title, rules) if title is not None else None,
        typeset(summary, rules) if summary is not None else None,
        typeset(stored, rules) if stored is not None else None,
    )


def apply_typeset(content, typeset_values: tuple) -> None:
    """Put ``typeset_fields``' result back into the content object."""
    title, summary, stored = typeset_values
    if title is not None:
        content.title = content.metadata["title"] = title
    # An explicit summary is metadata; a generated one is cut from the typeset body on demand.
    if summary is not None:
        content.metadata["summary"] = summary
    if stored is not None:
        compat.set_stored_summary(content, summary or stored)


def typeset_titles(generator) -> None:
    """Typeset the titles and summaries of every article or page the generator holds.

    In ``*_finalized``, which runs on every build for every object, cached or freshly read, and
    after the generator has saved its cache: the cache keeps the text as written, so changing
    ``TYPOGRAPHY_FR_RULES`` takes effect without ``--ignore-cache``. Bodies are typeset later,
    by the body pipeline (``plan_typography``); titles now, for the series' display titles.
    """
    if not plugin_enabled(generator.settings, PLUGIN_NAME):
        return
    rules = enabled_rules(generator.settings.get("TYPOGRAPHY_FR_RULES"))
    contents = {id(c): c for c in all_contents(generator)}.values()
    for content in contents:
        if is_french(content):
            apply_typeset(content, typeset_fields(fields_of(content), rules))


def register():
    signals.initialized.connect(SETTINGS.configure)
    signals.article_generator_finalized.connect(typeset_titles)
    signals.page_generator_finalized.connect(typeset_titles)
    pipeline.register_transform(plan_typography)


def _checked(rules: Iterable[str]) -> frozenset[str]:
    enabled = frozenset(rules)
    unknown = enabled - ALL_RULES
    if unknown:
        raise ValueError(f"unknown typography rules: {', '.join(sorted(unknown))}")
    return enabled
