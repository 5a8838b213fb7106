"""SEO and sharing: canonical URLs, descriptions, OpenGraph/Twitter cards, JSON-LD, sitemap, robots.

What it adds:

- Template global ``seo_head()``: a ``SeoHead`` for the page being rendered (canonical URL,
  title, description, OpenGraph type, image, dates, ``noindex``, JSON-LD), used by
  ``partials/seo_head.html`` in the ``<head>`` of every page. Articles get a ``BlogPosting``
  and a ``BreadcrumbList`` (Accueil › Catégorie › Article) in one graph, the ``BlogPosting``
  completed by ``article.json_ld_fields`` when another plugin sets it (an interview's guest
  and questionnaire), pages a ``BreadcrumbList``, the
  home page a ``WebSite`` with its ``SearchAction``.
- Template filter ``meta_description``: the plain text of a summary, cut on a word near 160
  characters, for ``<meta name="description">`` and the cards.
- Files: ``sitemap.xml`` (every published article, page and listing page written by the
  build, with ``lastmod`` from ``Modified``/``Date``; a listing's is its newest article's) and
  ``robots.txt`` (allow all, pointing at the sitemap).

Every URL of these tags and files is absolute: ``SITEURL`` in ``publishconf.py``, and in dev
(``SITEURL = ""``) the ``FEED_DOMAIN`` the dev server answers on.

Settings (defaults in ``SETTINGS_DEFAULTS``): ``SEO_DEFAULT_IMAGE`` (image of the social card
when an article has no cover: a path in the output such as ``images/partage.png``, or a URL;
empty for none), ``SEO_LOCALE``, ``SEO_DESCRIPTION_LENGTH``, ``SEO_NOINDEX`` (output files that
search engines should not index, kept out of the sitemap: 404, search page),
``SEO_SITEMAP_SAVE_AS``, ``SEO_ROBOTS_SAVE_AS``.

Why hand-written: pelican-sitemap (1.2.2) was evaluated first. It lists every written file,
which is right, but gives listing pages a ``lastmod`` of "now" (two builds of the same content
differ, and crawlers are told everything changed), writes relative URLs when ``SITEURL`` is
empty, keeps its state in a module-level object, and would still need exclusions for 404 and
search. The head tags are a template and a few pure functions; no Pelican plugin writes
JSON-LD for ``BlogPosting`` with breadcrumbs.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from xml.sax.saxutils import escape

from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator

from plugins.core import BuildState, plugin_enabled
from plugins.core.settings import PluginSettings

logger = logging.getLogger(__name__)

PLUGIN_NAME = "seo"
SETTINGS_DEFAULTS = {
    "SEO_DEFAULT_IMAGE": "",
    "SEO_LOCALE": "fr_FR",
    "SEO_DESCRIPTION_LENGTH": 160,
    "SEO_NOINDEX": ("404.html", "recherche/index.html"),
    "SEO_SITEMAP_SAVE_AS": "sitemap.xml",
    "SEO_ROBOTS_SAVE_AS": "robots.txt",
}
SETTING_TYPES = {
    "SEO_DEFAULT_IMAGE": str,
    "SEO_LOCALE": str,
    "SEO_DESCRIPTION_LENGTH": int,
    "SEO_NOINDEX": (list, tuple),
    "SEO_SITEMAP_SAVE_AS": str,
    "SEO_ROBOTS_SAVE_AS": str,
}
# Where this build's written pages are collected (shared context, one ``WrittenPages`` a build).
WRITTEN_PAGES = "seo_written_pages"
# Characters that must not appear raw inside <script>: "</script>", "<!--", "]]>".
JSON_IN_HTML = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})
SCHEMA = "https://schema.org"


@dataclass(frozen=True)
class SeoHead:
    """What the ``<head>`` of one page says to search engines and social networks."""

    url: str
    title: str
    description: str
    site_name: str
    locale: str
    type: str = "website"
    image: str = ""
    image_alt: str = ""
    published: str = ""
    modified: str = ""
    section: str = ""
    tags: tuple[str, ...] = ()
    noindex: bool = False
    json_ld: str = ""

    @property
    def twitter_card(self) -> str:
        return "summary_large_image" if self.image else "summary"


@dataclass(frozen=True)
class SitemapEntry:
    """One URL of the sitemap and when it last changed."""

    loc: str
    lastmod: datetime | None = None


@dataclass(frozen=True)
class Crumb:
    name: str
    url: str


@dataclass
class WrittenPages(BuildState):
    """The sitemap entries of the pages written so far in this build, and the newest date of
    each list of articles a listing showed, by the list's id (many pages show a generator's
    whole list, looked through once). A ``BuildState``: no page shows it."""

    entries: list[SitemapEntry] = field(default_factory=list)
    newest: dict[int, tuple] = field(default_factory=dict)


# --- Pure functions -------------------------------------------------------------------------


def settings_problems(settings: Mapping) -> list[tuple[str, str]]:
    """``(name, message)`` for every SEO setting of the wrong type."""
    problems = []
    for name, expected in SETTING_TYPES.items():
        value = settings.get(name, SETTINGS_DEFAULTS[name])
        if not isinstance(value, expected) or isinstance(value, bool):
            problems.append((name, f"{name} = {value!r} n'est pas utilisable"))
    return problems


def site_base(siteurl: str, feed_domain: str) -> str:
    """The absolute base of every URL: SITEURL when absolute, else the dev server's domain."""
    for candidate in (siteurl, feed_domain):
        if candidate and (candidate.startswith(("http://", "https://", "//"))):
            return candidate.rstrip("/")
    return ""


def absolute(base: str, url: str) -> str:
    """``url`` (relative to the site root, or already absolute) made absolute."""
    if "://" in url or url.startswith("//"):
        return url
    return f"{base}/{url.lstrip('/')}"


def url_of(output_file: str) -> str:
    """The URL path a written file is served at (``tags/index.html`` → ``tags/``)."""
    name = output_file.replace(os.sep, "/")
    if name == "index.html" or name.endswith("/index.html"):
        return name[: -len("index.html")]
    return name


def describe(html: str, limit: int = 160) -> str:
    """Plain text of an HTML summary, cut on a word to at most ``limit`` characters."""
    text = Markup(html or "").striptags()  # removes tags, decodes entities, joins whitespace
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut and not text[limit - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–—(«\u00a0\u202f") + "…"


def to_json_ld(data: Mapping) -> str:
    """JSON-LD safe inside ``<script type="application/ld+json">``."""
    return json.dumps(data, ensure_ascii=False, sort_keys=False).translate(JSON_IN_HTML)


def breadcrumb_list(crumbs: Iterable[Crumb]) -> dict:
    """schema.org ``BreadcrumbList`` of the crumbs, first to last."""
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": crumb.name, "item": crumb.url}
            for position, crumb in enumerate(crumbs, start=1)
        ],
    }


def blog_posting(
    head: SeoHead, authors: Iterable[tuple[str, str]], publisher: Mapping, language: str
) -> dict:
    """schema.org ``BlogPosting`` of an article; authors as ``(name, url)``."""
    data = {
        "@type": "BlogPosting",
        "@id": f"{head.url}#billet",
        "headline": head.title,
        "description": head.description,
        "url": head.url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": head.url},
        "inLanguage": language,
        "datePublished": head.published,
        "dateModified": head.modified or head.published,
        "author": [
            {"@type": "Person", "name": name, **({"url": url} if url else {})}
            for name, url in authors
        ],
        "publisher": dict(publisher),
    }
    if head.image:
        data["image"] = [head.image]
    if head.section:
        data["articleSection"] = head.section
    if head.tags:
        data["keywords"] = ", ".join(head.tags)
    return data


def comments_of(article, url: str) -> dict:
    """``commentCount`` and ``comment`` of an article that takes or shows reader comments
    (``plugins/comments`` gives ``comment_count`` and ``comments``); {} otherwise."""
    if getattr(article, "comment_count", None) is None:
        return {}
    flat, pending = [], list(getattr(article, "comments", ()) or ())
    while pending:
        comment = pending.pop(0)
        flat.append(comment)
        pending[:0] = comment.replies
    data = {"commentCount": article.comment_count}
    if flat:
        data["comment"] = [
            {
                "@type": "Comment",
                "@id": f"{url}#{comment.anchor}",
                "url": f"{url}#{comment.anchor}",
                "dateCreated": w3c_datetime(comment.date),
                "author": {
                    "@type": "Person",
                    "name": comment.author,
                    **({"url": comment.url} if comment.url else {}),
                },
                "text": describe(comment.html, 10_000),
                **({"parentItem": {"@id": f"{url}#{parent}"}} if parent else {}),
            }
            for comment, parent in _with_parents(flat)
        ]
    return data


def _with_parents(flat):
    anchors = {comment.id: comment.anchor for comment in flat}
    return [(comment, anchors.get(comment.reply_to or "")) for comment in flat]


def website(name: str, base: str, description: str, search_url: str, language: str) -> dict:
    """schema.org ``WebSite`` of the home page, with the site's search when there is one."""
    data = {
        "@type": "WebSite",
        "name": name,
        "url": f"{base}/",
        "description": description,
        "inLanguage": language,
    }
    if search_url:
        data["potentialAction"] = {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search_url}?q={{q}}"},
            "query-input": "required name=q",
        }
    return data


def graph(*nodes: Mapping) -> dict:
    """One JSON-LD document holding several schema.org nodes."""
    return {"@context": SCHEMA, "@graph": list(nodes)}


def w3c_datetime(value: datetime) -> str:
    """A sitemap/OpenGraph date: ISO 8601 with the time zone when known."""
    return value.isoformat(timespec="seconds")


def sitemap_xml(entries: Iterable[SitemapEntry]) -> str:
    """The sitemap of the entries, one ``<url>`` per URL, sorted."""
    unique = {entry.loc: entry for entry in entries}
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for entry in sorted(unique.values(), key=lambda e: e.loc):
        lastmod = f"<lastmod>{w3c_datetime(entry.lastmod)}</lastmod>" if entry.lastmod else ""
        lines.append(f"  <url><loc>{escape(entry.loc)}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(sitemap_url: str) -> str:
    """A robots.txt that lets every crawler in and names the sitemap."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n"


# --- From Pelican objects to plain data -----------------------------------------------------


def _changed(content) -> datetime | None:
    return getattr(content, "modified", None) or getattr(content, "date", None)


def newest_date(contents, known: dict | None = None) -> datetime | None:
    """The newest change of ``contents``; with ``known``, each list object is looked through
    once (its entry keeps the list, so that its id is not reused)."""
    if known is not None and (entry := known.get(id(contents))) and entry[0] is contents:
        return entry[1]
    newest = max((d for d in map(_changed, contents) if d), default=None)
    if known is not None:
        known[id(contents)] = (contents, newest)
    return newest


def _is_published(content) -> bool:
    return getattr(content, "status", "published") == "published"


def sitemap_entry(
    context: Mapping, settings: Mapping, newest: dict | None = None
) -> SitemapEntry | None:
    """The sitemap entry of a page just written with this context; None to leave it out.
    ``newest`` keeps the newest date of each list of articles already seen (``newest_date``)."""
    output_file = context.get("output_file", "")
    if not output_file.endswith(".html") or output_file in settings["SEO_NOINDEX"]:
        return None
    content = context.get("article") or context.get("page")
    if content is not None and not _is_published(content):
        return None
    if content is not None:
        lastmod = _changed(content)
    else:
        page = context.get("articles_page")
        shown = page.object_list if page is not None else context.get("articles") or ()
        lastmod = newest_date(shown, newest)
    base = site_base(settings.get("SITEURL", ""), settings.get("FEED_DOMAIN", ""))
    return SitemapEntry(absolute(base, url_of(output_file)), lastmod)


def _listing_title(context: Mapping, sitename: str, suffix: str = "") -> str:
    for key, label in (("tag", "Tag"), ("category", "Catégorie"), ("author", "")):
        if context.get(key) is not None:
            return f"{label} {context[key]}".strip() + f"{suffix} · {sitename}"
    series = context.get("series")
    if getattr(series, "name", None):
        return f"{series.name}{suffix} · {sitename}"
    return f"Derniers billets{suffix} · {sitename}" if suffix else sitename


def _listing_description(context: Mapping, default: str) -> str:
    tag = context.get("tag")
    if tag is not None:
        return getattr(tag, "description", "") or f"Les billets du tag {tag}"
    series = context.get("series")
    return getattr(series, "description", "") or default


def page_suffix(context: Mapping) -> str:
    """`` (page 2)`` on the second and later pages of a listing, so that each page's title and
    description say which one it is; empty on the first."""
    number = getattr(context.get("articles_page"), "number", 1) or 1
    return f" (page {number})" if number > 1 else ""


def head_for(context: Mapping) -> SeoHead:
    """The ``SeoHead`` of the page a template is rendering (its Jinja context)."""
    base = site_base(context.get("SITEURL", ""), context.get("FEED_DOMAIN", ""))
    sitename = context.get("SITENAME", "")
    language = context.get("DEFAULT_LANG", "fr")
    limit = context.get("SEO_DESCRIPTION_LENGTH", SETTINGS_DEFAULTS["SEO_DESCRIPTION_LENGTH"])
    output_file = context.get("output_file", "")
    url = absolute(base, url_of(output_file))
    default_image = context.get("SEO_DEFAULT_IMAGE", "")
    default_image = absolute(base, default_image) if default_image else ""
    noindex_files = context.get("SEO_NOINDEX", SETTINGS_DEFAULTS["SEO_NOINDEX"])
    common = {
        "url": url,
        "site_name": sitename,
        "locale": context.get("SEO_LOCALE", SETTINGS_DEFAULTS["SEO_LOCALE"]),
        "image": default_image,
        "noindex": output_file in noindex_files,
    }
    home = Crumb("Accueil", f"{base}/")
    publisher = {"@type": "Organization", "name": sitename, "url": f"{base}/"}

    article = context.get("article")
    if article is not None:
        # The 1200 × 630 crop of the cover when plugins/photos made one, else the cover itself.
        image = getattr(article, "image_og", "") or getattr(article, "image", "") or ""
        image = absolute(base, image) if image else ""
        head = SeoHead(
            **{
                **common,
                "image": image or default_image,
                "noindex": common["noindex"] or not _is_published(article),
            },
            title=article.title,
            description=describe(getattr(article, "summary", ""), limit),
            type="article",
            image_alt=(getattr(article, "image_alt", "") or "") if image else "",
            published=w3c_datetime(article.date),
            modified=w3c_datetime(_changed(article)),
            section=str(getattr(article, "category", "") or ""),
            tags=tuple(str(tag) for tag in getattr(article, "tags", None) or ()),
        )
        authors = [
            (str(author), absolute(base, author.url))
            for author in getattr(article, "authors", None) or ()
        ]
        crumbs = [home]
        if getattr(article, "category", None):
            crumbs.append(Crumb(str(article.category), absolute(base, article.category.url)))
        crumbs.append(Crumb(article.title, url))
        # Another plugin's facts about the article (an interview's guest) join its node, so
        # that the page has one graph.
        posting = {
            **blog_posting(head, authors, publisher, language),
            **(getattr(article, "json_ld_fields", None) or {}),
        }
        posting.update(comments_of(article, url))
        data = graph(posting, breadcrumb_list(crumbs))
        return _with_json_ld(head, data)

    page = context.get("page")
    if page is not None:
        head = SeoHead(
            **{**common, "noindex": common["noindex"] or not _is_published(page)},
            title=page.title,
            description=describe(getattr(page, "summary", ""), limit),
        )
        return _with_json_ld(head, graph(breadcrumb_list([home, Crumb(page.title, url)])))

    subtitle = context.get("SITESUBTITLE", "") or sitename
    suffix = page_suffix(context)
    head = SeoHead(
        **common,
        title=_listing_title(context, sitename, suffix),
        description=_listing_description(context, subtitle) + suffix,
    )
    if url == f"{base}/":
        search = context.get("SEARCH_URL")
        search_url = absolute(base, search) if search else ""
        return _with_json_ld(head, graph(website(sitename, base, subtitle, search_url, language)))
    return head


def _with_json_ld(head: SeoHead, data: Mapping) -> SeoHead:
    return SeoHead(**{**head.__dict__, "json_ld": to_json_ld(data)})


# --- Pelican adapters -----------------------------------------------------------------------


SETTINGS = PluginSettings(PLUGIN_NAME, SETTINGS_DEFAULTS, settings_problems)


@pass_context
def seo_head(context) -> SeoHead:
    """Template global: ``{% set seo = seo_head() %}``."""
    return head_for(context)


def add_template_helpers(generator) -> None:
    """Give this generator's templates ``seo_head()`` and ``|meta_description``."""
    limit = generator.settings.get(
        "SEO_DESCRIPTION_LENGTH", SETTINGS_DEFAULTS["SEO_DESCRIPTION_LENGTH"]
    )
    generator.env.globals["seo_head"] = seo_head
    generator.env.filters["meta_description"] = lambda html: describe(html, limit)


class SeoGenerator(Generator):
    """Collects the pages this build writes, then writes ``sitemap.xml`` and ``robots.txt``.

    Pelican runs plugin generators after its own and in ``PLUGINS`` order, so pages written by
    plugins listed before this one (series, interviews, tags pages) are in the sitemap.
    """

    def generate_context(self) -> None:
        self.context[WRITTEN_PAGES] = WrittenPages()

    def generate_output(self, writer) -> None:
        settings = self.settings
        base = site_base(settings.get("SITEURL", ""), settings.get("FEED_DOMAIN", ""))
        files = {
            settings["SEO_SITEMAP_SAVE_AS"]: sitemap_xml(self.context[WRITTEN_PAGES].entries),
            settings["SEO_ROBOTS_SAVE_AS"]: robots_txt(
                absolute(base, settings["SEO_SITEMAP_SAVE_AS"])
            ),
        }
        for name, text in files.items():
            if not name:
                continue
            path = os.path.join(self.output_path, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as out:
                out.write(text)


def provide_generator(pelican):
    """The sitemap's generator, for builds that use this plugin."""
    return SeoGenerator if plugin_enabled(pelican.settings, PLUGIN_NAME) else None


def record_page(path, context=None) -> None:
    """Remember a page just written (``content_written``) for the sitemap."""
    written = (context or {}).get(WRITTEN_PAGES)
    if written is None:
        return
    entry = sitemap_entry(context, context, written.newest)
    if entry is not None:
        written.entries.append(entry)


def register():
    signals.initialized.connect(SETTINGS.configure)
    signals.generator_init.connect(add_template_helpers)
    signals.get_generators.connect(provide_generator)
    signals.content_written.connect(record_page)
