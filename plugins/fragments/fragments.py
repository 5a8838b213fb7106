"""Partial templates rendered once per build, then reused on every page that shows them.

An article's card (title, date, author, reading time, category, summary) appears on the home
page, on each of its tags' pages, on its category's, its author's and its month's: a dozen
times per article, the same HTML each time. Rendering it once saves most of the listing pages'
rendering time (``make bench``: about 4 s of a 3,000-article build).

In a template: ``{{ fragment("partials/article_card.html", article=article, heading_level=3) }}``
renders the partial with the values given, ``SITEURL`` (which differs with the page's depth
when URLs are relative) and the environment's globals, and nothing else of the page: a partial
shown this way must say what it reads, so that the same arguments always give the same HTML.
The cache lives as long as the Jinja environment (one generator, one build); objects are keyed
by identity and kept alive with their entry.

Settings: ``FRAGMENTS_CACHE`` (default True; False renders each time, the same way, for
comparing). Why hand-written: Jinja has no fragment cache (jinja2-fragments renders blocks, it
does not memoize them) and Pelican none either.
"""

from __future__ import annotations

from collections.abc import Mapping

from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals

from plugins.core.settings import PluginSettings, plugin_enabled

PLUGIN_NAME = "fragments"
SETTINGS_DEFAULTS = {"FRAGMENTS_CACHE": True}
SETTINGS = PluginSettings(PLUGIN_NAME, SETTINGS_DEFAULTS)
# Values of the page that a fragment may depend on without being given them.
PAGE_VALUES = ("SITEURL", "localsiteurl")


def fragment_key(name: str, page: Mapping, values: Mapping) -> tuple:
    """What a fragment's HTML depends on: its template, the page's base URL, its arguments
    (plain values by value, objects by identity)."""
    arguments = tuple(
        (key, value if _plain(value) else ("id", id(value)))
        for key, value in sorted(values.items())
    )
    return (name, tuple(page.get(key) for key in PAGE_VALUES), arguments)


def render_fragment(environment, name: str, page: Mapping, values: Mapping) -> Markup:
    """The partial ``name`` rendered with ``values`` and the page's base URLs only."""
    variables = {key: page[key] for key in PAGE_VALUES if key in page}
    return Markup(environment.get_template(name).render({**variables, **values}))


def add_fragment_function(generator) -> None:
    """Give this generator's templates ``fragment(name, **values)``, with a cache of its own."""
    if not plugin_enabled(generator.settings, PLUGIN_NAME):
        return
    enabled = generator.settings["FRAGMENTS_CACHE"]
    cache: dict[tuple, tuple[Markup, tuple]] = {}

    @pass_context
    def fragment(context, name: str, **values) -> Markup:
        if not enabled:
            return render_fragment(context.environment, name, context, values)
        key = fragment_key(name, context, values)
        found = cache.get(key)
        if found is None:
            html = render_fragment(context.environment, name, context, values)
            found = cache[key] = (html, tuple(values.values()))  # keeps keyed objects alive
        return found[0]

    fragment.cache = cache  # for ``forget``
    generator.env.globals["fragment"] = fragment


def forget(environment) -> None:
    """Drop the fragments an environment rendered: a live preview changed an object in place."""
    cache = getattr(environment.globals.get("fragment"), "cache", None)
    if cache is not None:
        cache.clear()


def register():
    signals.initialized.connect(SETTINGS.configure)
    signals.generator_init.connect(add_fragment_function)


def _plain(value) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))
