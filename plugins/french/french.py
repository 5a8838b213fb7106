"""French dates and words for the templates, whatever the machine's locale.

Pelican formats dates with ``strftime`` and the process locale; build machines often have no
French locale at all (``LANG=C``), which gives English month names. Babel carries its own CLDR
data, so the filters added here print "30 septembre 2010" everywhere.

Template filters added to every generator's Jinja environment:
``date_fr`` (``30 septembre 2010``, ``1<sup>er</sup> octobre 2010`` as markup; ``date_fr("full")``
adds the weekday), ``month_fr``
(``septembre 2010``), ``plural_fr`` (``3|plural_fr("article")`` → ``3 articles``), ``typo``
(the French typography of a name or an interface string: ``{{ series.name|typo }}``).
Settings: ``FRENCH_LOCALE`` (default ``fr_FR``).
"""

from __future__ import annotations

import datetime
import re
from functools import lru_cache, partial

from babel.dates import format_date
from markupsafe import Markup, escape
from pelican import signals

from plugins.core.settings import PluginSettings, plugin_enabled
from plugins.typography_fr import typesetter, typo_filter

PLUGIN_NAME = "french"
SETTINGS_DEFAULTS = {"FRENCH_LOCALE": "fr_FR"}
SETTINGS = PluginSettings(PLUGIN_NAME, SETTINGS_DEFAULTS)
ORDINAL_FIRST = re.compile(r"\b(1)er\b")


def format_date_fr(value: datetime.date, style: str = "long", locale: str = "fr_FR") -> str:
    """``30 septembre 2010`` (Babel's long format); ``style="full"`` adds the weekday."""
    day = value.date() if isinstance(value, datetime.datetime) else value
    return _long_date(day, style, locale)


def format_month_fr(value: datetime.date, locale: str = "fr_FR") -> str:
    """``septembre 2010``."""
    day = value.date() if isinstance(value, datetime.datetime) else value
    return _month(day.replace(day=1), locale)


# A date is printed on its article and on every listing that shows the article: Babel parses
# the pattern and builds the text each time, so each day is formatted once per build.
@lru_cache(maxsize=8192)
def _long_date(day: datetime.date, style: str, locale: str) -> str:
    text = format_date(day, format=style, locale=locale)
    # CLDR writes the first of the month as "1 septembre"; French usage is "1er septembre".
    if day.day == 1 and style in ("long", "full"):
        text = text.replace("1 ", "1er ", 1)
    return text


@lru_cache(maxsize=1024)
def _month(first_day: datetime.date, locale: str) -> str:
    return format_date(first_day, format="LLLL y", locale=locale)


# Every listing shows its articles' dates: each is formatted once per build.
@lru_cache(maxsize=16384)
def date_html(value: datetime.date, style: str = "long", locale: str = "fr_FR") -> Markup:
    """``date_fr`` of the templates: the French date as markup, ordinal included."""
    return date_markup(format_date_fr(value, style, locale))


def date_markup(text: str) -> Markup:
    """A French date for HTML: ``1er`` written as ordinals are in bodies (``1<sup>er</sup>``,
    TYPOGRAPHY.md rule 10); ``|striptags`` gives the plain text back for an attribute."""
    return Markup(ORDINAL_FIRST.sub(r"\1<sup>er</sup>", str(escape(text)), count=1))


def plural_fr(count: int, singular: str, plural: str | None = None) -> str:
    """``0 article``, ``1 article``, ``2 articles``: French counts 0 and 1 as singular."""
    word = singular if abs(count) < 2 else (plural or singular + "s")
    return f"{count}\u00a0{word}"


def add_filters(generator) -> None:
    """Make the French filters available to every template of this generator."""
    if not plugin_enabled(generator.settings, PLUGIN_NAME):
        return
    locale = generator.settings["FRENCH_LOCALE"]
    generator.env.filters.update(
        {
            "date_fr": lambda value, style="long": date_html(value, style, locale),
            "month_fr": lambda value: format_month_fr(value, locale),
            "plural_fr": plural_fr,
            # Interface strings and names from data files, typeset like the articles (the
            # identity when typography_fr is off).
            "typo": partial(typo_filter, typesetter(generator.settings)),
        }
    )


def register():
    signals.initialized.connect(SETTINGS.configure)
    signals.generator_init.connect(add_filters)
