"""The site's writer: Pelican's, with feed titles kept as the text the author typed.

Pelican's feed writer passes each title through ``Markup(title).striptags()``, treating it as
HTML: a title like ``Le <b> du client`` loses words, and every no-break space of French
typography is collapsed into a plain space. In this project metadata is text (templates
autoescape it), so the title the feed library receives is replaced by the content's own title,
which the feed library escapes once for XML.
"""

from __future__ import annotations

from pelican import signals
from pelican.writers import Writer


class SiteWriter(Writer):
    """Pelican's writer with text feed titles."""

    def _add_item_to_the_feed(self, feed, item):
        super()._add_item_to_the_feed(feed, item)
        feed.items[-1]["title"] = item.title


def provide_writer(pelican):
    return SiteWriter


def register():
    signals.get_writer.connect(provide_writer)
