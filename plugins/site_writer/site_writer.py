"""The site's writer: Pelican's, with feed titles kept as the text the author typed.

Pelican's feed writer passes each title through ``Markup(title).striptags()``, treating it as
HTML, so a title like ``Le <b> du client`` loses its words in feeds. In this project metadata
is text (templates autoescape it), so the title is escaped first: ``striptags`` then gives
back exactly the typed text, which the feed library escapes once for XML.
"""

from __future__ import annotations

from html import escape

from pelican import signals
from pelican.writers import Writer


class TextTitle:
    """A content object seen by the feed writer, whose title is escaped text."""

    def __init__(self, item):
        self._item = item

    @property
    def title(self) -> str:
        return escape(self._item.title, quote=False)

    def __getattr__(self, name):
        return getattr(self._item, name)


class SiteWriter(Writer):
    """Pelican's writer with text feed titles."""

    def _add_item_to_the_feed(self, feed, item):
        return super()._add_item_to_the_feed(feed, TextTitle(item))


def provide_writer(pelican):
    return SiteWriter


def register():
    signals.get_writer.connect(provide_writer)
