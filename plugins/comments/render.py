"""Untrusted comment bodies to safe HTML: limited Markdown, an allowlist, French typography.

Three steps, each pure:

1. Python-Markdown (already the site's Markdown) with everything but paragraphs, emphasis,
   links, quotes and lists switched off: raw HTML, headings, code, images and rules are not
   recognised, so they stay text and come out escaped (``<script>`` reads ``&lt;script&gt;``).
2. nh3 (the Rust ``ammonia`` sanitizer) with an allowlist, as a second lock that does not rely on
   step 1: only those few tags, only ``href`` on links, only http(s) and mailto URLs (no
   ``javascript:`` or ``data:``, no relative URL), every link ``rel="nofollow ugc noopener"``.
3. The French typography of the site (``typography_fr.typeset``, the very function the body
   transform applies to articles), which leaves tags and attributes alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import markdown
import nh3

from plugins.typography_fr.typography_fr import typeset

ALLOWED_TAGS = frozenset({"p", "br", "em", "strong", "a", "blockquote", "ul", "ol", "li"})
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
# Python-Markdown's processors that make anything but the allowed markup.
OFF = {
    "preprocessors": ("html_block",),
    "blockprocessors": ("indent", "code", "hashheader", "setextheader", "hr", "reference"),
    "inlinePatterns": (
        "backtick", "reference", "image_link", "image_reference", "short_reference",
        "short_image_ref", "html", "automail",
    ),
    "postprocessors": ("raw_html",),
}  # fmt: skip


def limited_markdown() -> markdown.Markdown:
    """A Markdown converter that knows only paragraphs, emphasis, links, quotes and lists."""
    md = markdown.Markdown(output_format="html")
    registries = {
        "preprocessors": md.preprocessors,
        "blockprocessors": md.parser.blockprocessors,
        "inlinePatterns": md.inlinePatterns,
        "postprocessors": md.postprocessors,
    }
    for registry, names in OFF.items():
        for name in names:
            if name in registries[registry]:
                registries[registry].deregister(name)
    return md


def clean(html: str) -> str:
    """Only the allowed tags, attributes and URL schemes survive."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
        # A comment links out, never inside the site: no relative URL, which is also where
        # "java\tscript:" would hide (browsers drop tabs inside a URL).
        url_relative="deny",
    )


def render_body(body: str, rules: Iterable[str] | None = None) -> str:
    """A comment's body as safe, typeset HTML."""
    md = limited_markdown()  # a converter keeps state between documents: one per body
    html = clean(md.convert(body.replace("\r\n", "\n")))
    return typeset(html, None if rules is None else frozenset(rules)).strip()


@lru_cache(maxsize=1)
def renderer_version() -> str:
    """What the rendered HTML depends on besides the body: the libraries' versions."""
    return f"markdown {markdown.__version__}, nh3 {getattr(nh3, '__version__', '?')}"
