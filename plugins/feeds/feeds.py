"""Feeds whose ids and links are absolute and stable in every build, development ones included.

Pelican writes a feed's links from ``SITEURL``. A development build has none (``SITEURL = ""``,
root-relative URLs), so its feeds said ``<id>/</id>``, ``tag:None,…`` and ``/2021/03/x/``:
a feed reader pointed at the dev server could neither follow an entry nor tell two apart. When
``SITEURL`` is empty, this plugin rewrites each feed Pelican (or a plugin) generates, before it
is written (``feed_generated``): the feed's link and id, each entry's link and id, and the
root-relative ``href``/``src``/``srcset`` in its content and summary, all on ``FEED_DOMAIN``,
the dev server's own address (``make serve`` sets it to its port). Entry ids are tag URIs made
of the host, the date and the path, as Pelican makes them on the public site, so they do not
change with the port. With a ``SITEURL`` (``make publish``), feeds are left as Pelican writes
them. Hand-written: a few lines over Pelican's own signal; no plugin does this. The receiver is
marked ``pure_feed_rewrite``, so that ``site_writer`` still keeps unchanged feeds on warm builds.
"""

from __future__ import annotations

import re
from functools import lru_cache

from feedgenerator import get_tag_uri
from pelican import signals

from plugins.core.settings import PluginSettings, plugin_enabled

PLUGIN_NAME = "feeds"
SETTINGS = PluginSettings(PLUGIN_NAME, {})
# An attribute holding a root-relative URL ("/x", not "//host/x").
ROOT_RELATIVE = re.compile(r'(\s(?:href|src)=["\'])/(?!/)')
SRCSET = re.compile(r'(\ssrcset=["\'])([^"\']*)')


def absolute_url(base: str, url: str) -> str:
    """``/x/`` on ``base``; an absolute URL as it is."""
    if not url:
        return f"{base}/"
    if url.startswith("/") and not url.startswith("//"):
        return f"{base}{url}"
    return url


# An article's content is in the site's feed, its category's and each of its tags': rewritten once.
@lru_cache(maxsize=2048)
def absolute_html(html: str, base: str) -> str:
    """Root-relative links and images of an HTML fragment made absolute on ``base``."""
    if not html or ("/" not in html):
        return html

    def srcset(match: re.Match) -> str:
        candidates = [part.strip() for part in match[2].split(",")]
        return match[1] + ", ".join(
            absolute_url(base, c) if c.startswith("/") else c for c in candidates if c
        )

    return SRCSET.sub(srcset, ROOT_RELATIVE.sub(rf"\g<1>{base}/", html))


def make_absolute(feed, base: str) -> None:
    """Rewrite a feedgenerator feed in place: its link and id, its items' links, ids, contents."""
    base = base.rstrip("/")
    feed.feed["link"] = absolute_url(base, feed.feed.get("link") or "/")
    if not str(feed.feed.get("id") or "").startswith(("http://", "https://", "tag:")):
        feed.feed["id"] = feed.feed["link"]
    for item in feed.items:
        item["link"] = absolute_url(base, item.get("link") or "/")
        if not str(item.get("unique_id") or "").startswith(("http://", "https://", "tag:")) or (
            str(item.get("unique_id")).startswith("tag:None,")
        ):
            item["unique_id"] = get_tag_uri(item["link"], item.get("pubdate"))
        for key in ("description", "content"):
            if item.get(key):
                item[key] = absolute_html(item[key], base)


def absolute_feed(context, feed) -> None:
    """``feed_generated`` receiver: absolute links when the build has no ``SITEURL``."""
    if not plugin_enabled(context, PLUGIN_NAME) or context.get("SITEURL"):
        return
    base = context.get("FEED_DOMAIN") or ""
    if base:
        make_absolute(feed, base)


# The site writer may keep a feed on a warm build when its listeners only rewrite it from the
# feed and the context (both in its fingerprint).
absolute_feed.pure_feed_rewrite = True


def register():
    signals.initialized.connect(SETTINGS.configure)
    signals.feed_generated.connect(absolute_feed)
