"""Tags as a web: canonical tags, linked mentions, tag pages, related articles, the glossary.

What it adds (the contract's "Tags, aliases, glossary"):

- Canonical tags. ``data/tags.yml`` gives each tag a description and aliases; an article tagged
  with an alias is filed under the tag (one page, one feed, one count). Spellings that differ only
  by case, accents or punctuation (same slug: ``Fnac``/``FNAC``) are one tag, shown in the
  spelling of ``tags.yml`` or else the most used one; the merges are logged at INFO level, on one
  line (a warning would fail strict builds over a legitimate habit of authors).
  ``article.tags`` holds the canonical ``Tag`` objects; ``article.tags_as_written`` keeps the
  header's spellings, so a cached article is filed again from them on every build.
- Mentions. In each article's body, the first mention of each of its tags links to the tag's
  page (``a.tag-mention``), and the first mention of each glossary term is marked with its
  definition (``span.term``: a link to the glossary entry described by a tooltip shown on hover
  and focus, CSS only; where styles do not apply, as in feeds, the definition reads in
  parentheses after the word). The rules (whole words, case, where never) are in ``mentions.py``.
  A word that is a tag and a glossary term (« ROI ») is marked as a term at its first mention,
  because a definition is needed where the word is first met, and links to the tag at the next.
- Tag objects get ``description``, ``aliases``, ``count``, ``related_tags`` (the tags most
  often on the same articles, by Jaccard similarity) and ``series`` (the series whose
  episodes carry the tag, when the series plugin is on): ``tag.html`` shows them.
- ``article.related_articles``: up to ``TAGS_RELATED_COUNT`` articles sharing its most
  informative tags (``related.py``), never the previous or next episode of its series, which
  the series navigation already offers; ``partials/related.html`` shows them as « À lire aussi ».
- Template variables: ``tag_letters`` (the A–Z index of ``/tags/``: ``label``, ``anchor``,
  ``entries`` of ``tag``, ``count``, ``popular``), ``popular_tags``, ``tag_lookup`` (its
  ``find(name)`` returns the canonical tag of any spelling or alias, or None), ``glossary`` and
  ``glossary_letters`` (entries with ``definition_html`` and the ``articles`` that use them).
- Jinja filters ``tag_for`` (``"FNAC"|tag_for`` → the tag or None) and ``tag_link`` (a link to
  the tag when the text is one, the escaped text otherwise), e.g. for a guest's company.
- The page ``/glossaire/`` (template ``glossary.html``) when ``glossary.yml`` has terms.

Settings (defaults in ``SETTINGS_DEFAULTS``, checked once per build): ``TAGS_DATA_FILE``,
``TAGS_LINK_MENTIONS``, ``TAGS_POPULAR_COUNT`` (highlighted on ``/tags/``),
``TAGS_RELATED_TAGS_COUNT``, ``TAGS_RELATED_COUNT``, ``TAGS_RELATED_ONLY_OLDER``,
``GLOSSARY_DATA_FILE``, ``GLOSSARY_MARK_MENTIONS``, ``GLOSSARY_URL``, ``GLOSSARY_SAVE_AS``.

``TAGS_RELATED_ONLY_OLDER`` is off: readers mostly land on old articles (search, shared links),
and the newer articles on the same subject are what they miss; with it on, the oldest articles
would have nothing to suggest. Turn it on when deploys must stay small: then publishing an article
changes no older article's page.

Works with the content cache: tags are filed in ``article_generator_pretaxonomy``, which cached
articles go through too; mentions are the last transform of the body pipeline
(``plugins.core.pipeline``), whose notes tell which glossary terms each article uses.
One plugin rather than ``tags`` + ``glossary``: both kinds of mention are found by one matcher in
one pass over each body, which is what lets a word be one or the other, never both.
"""

from __future__ import annotations

import hashlib
import html
import logging
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial

import yaml
from jinja2 import pass_context
from markupsafe import Markup, escape
from pelican import signals
from pelican.generators import ArticlesGenerator
from pelican.urlwrappers import Tag

from plugins.core import (
    MISSING,
    BuildMemo,
    ContentError,
    data_path,
    pipeline,
    plugin_enabled,
    quiet_slug,
    read_data_file,
    shown_path,
)
from plugins.core.pipeline import SKIP, Plan, Rewritten
from plugins.core.settings import PluginSettings
from plugins.typography_fr import typesetter

from .glossary import GlossaryEntry, parse_glossary_data
from .mentions import Term, compile_matcher, mark_first_mentions
from .related import RelatedIndex
from .taxonomy import (
    Problem,
    build_vocabulary,
    collation_key,
    index_letter,
    parse_tags_data,
    resolve_tags,
    tags_seen_together,
)

logger = logging.getLogger(__name__)

PLUGIN_NAME = "tags"
TRANSFORM_PRIORITY = 10  # the last body transform: its links must not be typeset or split
SETTINGS_DEFAULTS = {
    "TAGS_DATA_FILE": "tags.yml",
    "TAGS_LINK_MENTIONS": True,
    "TAGS_POPULAR_COUNT": 10,
    "TAGS_RELATED_TAGS_COUNT": 8,
    "TAGS_RELATED_COUNT": 5,
    "TAGS_RELATED_ONLY_OLDER": False,
    "GLOSSARY_DATA_FILE": "glossary.yml",
    "GLOSSARY_MARK_MENTIONS": True,
    "GLOSSARY_URL": "glossaire/",
    "GLOSSARY_SAVE_AS": "glossaire/index.html",
}
ARTICLE_LISTS = (
    "articles",
    "translations",
    "hidden_articles",
    "hidden_translations",
    "drafts",
    "drafts_translations",
)


# --- Settings ---------------------------------------------------------------------------------


def settings_problems(settings: Mapping) -> list[tuple[str, str]]:
    """Every unusable setting of the plugin, as (name, message)."""
    problems = []
    for name, default in SETTINGS_DEFAULTS.items():
        value = settings.get(name, default)
        if isinstance(default, bool):
            ok = isinstance(value, bool)
            expected = "True ou False"
        elif isinstance(default, int):
            ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
            expected = "un entier positif ou nul"
        else:
            ok = isinstance(value, str) and bool(value.strip())
            expected = "un texte non vide"
        if not ok:
            problems.append((name, f"{name} = {value!r} : attendu {expected}"))
    return problems


SETTINGS = PluginSettings(PLUGIN_NAME, SETTINGS_DEFAULTS, settings_problems)


# --- Per-build data ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TagLookup:
    """Finds the canonical tag of any spelling or alias (for templates and other plugins)."""

    settings: Mapping = field(repr=False)
    by_key: Mapping[str, Tag] = field(default_factory=dict)

    def find(self, name: object) -> Tag | None:
        """The published tag that ``name`` means, or None."""
        text = str(name or "").strip()
        return self.by_key.get(Tag(text, self.settings).slug) if text else None


@dataclass(frozen=True)
class TagEntry:
    """A tag of the ``/tags/`` page."""

    tag: Tag
    count: int
    popular: bool = False


@dataclass(frozen=True)
class Letter:
    """One letter of an A–Z index, with its anchor and what is filed under it."""

    label: str
    anchor: str
    entries: tuple


@dataclass(frozen=True)
class GlossaryItem:
    """A glossary entry as the page shows it."""

    entry: GlossaryEntry
    definition_html: Markup
    articles: tuple = ()


@dataclass(frozen=True)
class TagsBuild:
    """What the first phase learnt, kept on the articles generator for the second."""

    specs: Mapping
    names: Mapping[str, tuple[str, ...]]  # canonical name -> every name that means it
    tags: Mapping[str, Tag]  # canonical name -> its one Tag object


def tag_index(entries: Iterable[TagEntry]) -> tuple[Letter, ...]:
    """Tags grouped by initial in French order, ``#`` (digits, symbols) first."""
    groups: dict[str, list[TagEntry]] = defaultdict(list)
    for entry in sorted(entries, key=lambda e: collation_key(e.tag.name)):
        groups[index_letter(entry.tag.name)].append(entry)
    return tuple(
        Letter(label, _letter_anchor("tags", label), tuple(found))
        for label, found in sorted(groups.items(), key=lambda item: (item[0] != "#", item[0]))
    )


def popular(counts: Mapping[str, int], limit: int) -> tuple[str, ...]:
    """The ``limit`` most used names (used more than once), most used first."""
    ranked = sorted(
        (name for name, count in counts.items() if count > 1),
        key=lambda name: (-counts[name], collation_key(name)),
    )
    return tuple(ranked[:limit])


# --- Receivers --------------------------------------------------------------------------------


def add_filters(generator) -> None:
    """``tag_for`` and ``tag_link`` for every template (a guest's company, for instance)."""
    generator.env.filters.update({"tag_for": tag_for, "tag_link": tag_link})


@pass_context
def tag_for(context, name) -> Tag | None:
    """The canonical tag a text names (any case, accents or alias), or None."""
    lookup = context.get("tag_lookup")
    return lookup.find(name) if lookup else None


@pass_context
def tag_link(context, name) -> Markup:
    """A link to the tag a text names, or the text itself (escaped) when it is no tag."""
    tag = tag_for(context, name)
    if tag is None:
        return escape(name or "")
    siteurl = context.get("SITEURL", "")
    return Markup('<a href="{}/{}" rel="tag">{}</a>').format(siteurl, tag.url, name)


def file_tags(generator) -> None:
    """Replace each article's tags by canonical Tag objects, before Pelican indexes them."""
    settings = generator.settings
    if not plugin_enabled(settings, PLUGIN_NAME):
        return
    data_file = settings.get("TAGS_DATA_FILE", SETTINGS_DEFAULTS["TAGS_DATA_FILE"])
    specs, problems = parse_tags_data(read_data_file(generator.context, data_file, default={}))
    key = partial(_slug, settings)
    vocabulary, more = build_vocabulary(specs, key)
    _report(settings, data_file, problems + more)
    published = [_written_tags(article) for article in generator.articles]
    others = [_written_tags(a) for a in _contents(generator, ARTICLE_LISTS[1:])]
    resolution = resolve_tags(vocabulary, published, others, key)
    if resolution.merges:
        logger.info(
            "tags : orthographes réunies sous un même tag : %s",
            " ; ".join(f"{', '.join(v)} → {name}" for name, v in resolution.merges),
        )
    tags = {name: Tag(name, settings) for name in resolution.names}
    typeset = typesetter(settings, html=False)
    for name, tag in tags.items():
        spec = vocabulary.specs.get(name)
        tag.description = typeset(spec.description) if spec else ""
        tag.aliases = spec.aliases if spec else ()
    for article in _contents(generator, ARTICLE_LISTS):
        written = _written_tags(article)
        if written:
            canonical = dict.fromkeys(tags[resolution.canonical[name]] for name in written)
            article.tags = article.metadata["tags"] = list(canonical)
    generator.tags_build = TagsBuild(vocabulary.specs, resolution.names, tags)
    # Pelican fills this mapping next, then asks `article in articles` of every tag's list for
    # every article of the site (``generate_tags``): quadratic with plain lists.
    generator.tags = defaultdict(TagArticles, generator.tags)


class TagArticles(list):
    """A tag's articles, as Pelican lists them, with membership by identity in constant time.

    Content objects compare by identity, so this is the list's own answer. The set is made
    again when the length changed or an item was replaced (Pelican only appends).
    """

    __slots__ = ("_members",)

    def __contains__(self, item) -> bool:
        members = getattr(self, "_members", None)
        if members is None or len(members) != len(self):
            members = self._members = {id(article) for article in self}
        return id(item) in members

    def __setitem__(self, index, value) -> None:
        self._members = None
        super().__setitem__(index, value)


def plan_mentions(generators) -> Plan | None:
    """The body transform of this build: first mentions of tags linked, of terms marked."""
    generator = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)
    build = getattr(generator, "tags_build", None)
    if build is None or not plugin_enabled(generator.settings, PLUGIN_NAME):
        return None
    settings = generator.settings
    siteurl = settings.get("SITEURL", "")
    typeset = typesetter(settings, html=True)
    glossary = _glossary(generator)
    tag_urls = {tag.name: tag.url for tag in generator.tags}
    glossary_terms = (
        tuple(Term("glossary", entry.anchor, (entry.name, *entry.aliases)) for entry in glossary)
        if settings["GLOSSARY_MARK_MENTIONS"]
        else ()
    )
    definitions = {
        entry.anchor: typeset(html.escape(entry.definition, quote=False)) for entry in glossary
    }
    glossary_url = f"{siteurl}/{settings['GLOSSARY_URL']}"
    articles = {id(article) for article in _contents(generator, ARTICLE_LISTS)}

    def job_of(article):
        """The article's tags as terms, with their URLs, and the suffix of its tooltip ids."""
        if id(article) not in articles:
            return SKIP
        tag_terms = (
            tuple(
                Term("tag", tag.name, build.names.get(tag.name, (tag.name,)))
                for tag in getattr(article, "tags", ()) or ()
                if tag.name in tag_urls
            )
            if settings["TAGS_LINK_MENTIONS"]
            else ()
        )
        if not (glossary_terms or tag_terms):
            return SKIP
        suffix = hashlib.sha1(str(article.url).encode()).hexdigest()[:6]
        return tag_terms, suffix, tuple(tag_urls[term.key] for term in tag_terms)

    def render(term: Term, text: str, suffix: str, urls: Mapping[str, str]) -> str:
        if term.kind == "tag":
            url = html.escape(f"{siteurl}/{urls[term.key]}")
            return f'<a class="tag-mention" href="{url}" rel="tag">{text}</a>'
        tip = f"definition-{term.key}-{suffix}"
        url = html.escape(f"{glossary_url}#{term.key}")
        return (
            f'<span class="term"><a class="term-link" href="{url}" aria-describedby="{tip}">'
            f'{text}</a><span class="term-tip" role="tooltip" id="{tip}" data-pagefind-ignore>'
            f'<span class="term-paren"> (</span>{definitions[term.key]}'
            '<span class="term-paren">)</span></span></span>'
        )

    def rewrite(body: str, job: tuple) -> Rewritten:
        tag_terms, suffix, urls = job
        # The glossary first (it takes a word that is also a tag), then the article's tags. The
        # glossary's regular expression, the big one, is compiled once and shared by every
        # article; the tags' one is small (one regular expression per tag is slower).
        matcher = compile_matcher(glossary_terms, tag_terms)
        links = {term.key: url for term, url in zip(tag_terms, urls, strict=True)}
        body, marked = mark_first_mentions(
            body, matcher, partial(render, suffix=suffix, urls=links)
        )
        return Rewritten(body, tuple(term.key for term in marked if term.kind == "glossary"))

    compile_matcher(glossary_terms)  # compiled before the workers start, who inherit it
    return Plan(
        "mentions",
        TRANSFORM_PRIORITY,
        rewrite,
        job_of=job_of,
        inputs=(siteurl, glossary_url, glossary_terms, definitions),
    )


def link_and_relate(generators) -> None:
    """Pick related articles, describe every tag, and list the glossary, for this build."""
    generator = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)
    build = getattr(generator, "tags_build", None)
    if build is None or not plugin_enabled(generator.settings, PLUGIN_NAME):
        return
    outcome = pipeline.outcome(generators)
    settings, context = generator.settings, generator.context
    published_tags = {tag.name: tag for tag in generator.tags}
    counts = {tag.name: len(articles) for tag, articles in generator.tags.items()}
    glossary = _glossary(generator)
    memo = BuildMemo(settings, "tags-relations", os.path.dirname(__file__))
    _relate_articles(generator, memo)
    _describe_tags(generator, build, counts, memo)
    memo.save()

    lookup = {}
    for name, tag in published_tags.items():
        for alias in build.names.get(name, (name,)):
            lookup.setdefault(_slug(settings, alias), tag)
    top = set(popular(counts, settings["TAGS_POPULAR_COUNT"]))
    entries = [TagEntry(tag, counts[tag.name], tag.name in top) for tag in published_tags.values()]
    typeset = typesetter(settings, html=True)
    items = tuple(
        GlossaryItem(
            entry,
            Markup(typeset(html.escape(entry.definition, quote=False))),
            tuple(
                article
                for article in generator.articles
                if entry.anchor in outcome.notes(article, "mentions", ())
            ),
        )
        for entry in glossary
    )
    generator.glossary_items = items
    context.update(
        tag_lookup=TagLookup(settings, lookup),
        tag_letters=tag_index(entries),
        popular_tags=tuple(
            sorted(
                (e for e in entries if e.popular),
                key=lambda e: (-e.count, collation_key(e.tag.name)),
            )
        ),
        glossary=items,
        glossary_letters=_glossary_letters(items),
    )


def write_glossary(generator, writer) -> None:
    """Write ``/glossaire/`` when the glossary has terms."""
    items = getattr(generator, "glossary_items", ())
    if not items:
        return
    settings = generator.settings
    writer.write_file(
        settings["GLOSSARY_SAVE_AS"],
        generator.get_template("glossary"),
        generator.context,
        relative_urls=settings["RELATIVE_URLS"],
        template_name="glossary",
        url=settings["GLOSSARY_URL"],
    )


def register():
    signals.initialized.connect(SETTINGS.configure)
    signals.generator_init.connect(add_filters)
    signals.article_generator_pretaxonomy.connect(file_tags)
    pipeline.register_transform(plan_mentions)
    signals.all_generators_finalized.connect(link_and_relate)
    signals.article_writer_finalized.connect(write_glossary)


# --- Adapters ---------------------------------------------------------------------------------


def _relate_articles(generator, memo: BuildMemo) -> None:
    """``article.related_articles`` for every article, drawn from the published ones."""
    settings = generator.settings
    limit = settings["TAGS_RELATED_COUNT"]
    only_older = settings["TAGS_RELATED_ONLY_OLDER"]
    pool = list(generator.articles)  # newest first: the newer article wins a tie
    articles = list(_contents(generator, ARTICLE_LISTS))
    position = {id(article): number for number, article in enumerate(pool)}
    names = {id(article): _tag_names(article) for article in articles}

    def neighbours(article) -> tuple:
        episode = getattr(article, "series", None)
        around = (getattr(episode, "previous", None), getattr(episode, "next", None))
        return tuple(position.get(id(other), -1) for other in around if other is not None)

    # What the choice depends on: every article's tags, dates and series neighbours (by
    # position). A warm build where no tag, date or episode changed takes the previous choice.
    shape = [
        (position.get(id(a), -1), names[id(a)], a.date.isoformat(), neighbours(a)) for a in articles
    ]
    key = memo.key("related", limit, only_older, [names[id(a)] for a in pool], shape)
    chosen = memo.get(key)
    if chosen is MISSING:
        index = RelatedIndex.build([names[id(a)] for a in pool])
        chosen = []
        for article in articles:
            episode = getattr(article, "series", None)
            offered = {id(getattr(episode, "previous", None)), id(getattr(episode, "next", None))}
            skip = offered | {id(article)}

            def accept(doc: int, article=article, skip=skip) -> bool:
                other = pool[doc]
                return id(other) not in skip and (not only_older or other.date < article.date)

            chosen.append(index.related(names[id(article)], limit, accept))
    memo.put(key, chosen)
    for article, documents in zip(articles, chosen, strict=True):
        article.related_articles = [pool[doc] for doc in documents]


def _describe_tags(generator, build: TagsBuild, counts: Mapping[str, int], memo) -> None:
    """``count``, ``related_tags`` and ``series`` on each published tag."""
    settings = generator.settings
    usages = [_tag_names(a) for a in generator.articles]
    limit = settings["TAGS_RELATED_TAGS_COUNT"]
    key = memo.key("together", limit, usages)
    together = memo.get(key)
    if together is MISSING:
        together = tags_seen_together(usages, limit)
    memo.put(key, together)
    for tag, articles in generator.tags.items():
        tag.count = counts[tag.name]
        tag.related_tags = tuple(build.tags[name] for name, _ in together.get(tag.name, ()))
        tag.series = _series_of(articles)


def _tag_names(article) -> list[str]:
    return [tag.name for tag in getattr(article, "tags", ()) or ()]


def _series_of(articles: Sequence) -> tuple:
    """The series (objects with ``name`` and ``url``) of these articles, most episodes first."""
    found: dict[str, object] = {}
    episodes: Counter[str] = Counter()
    for article in articles:
        episode = getattr(article, "series", None)
        series = getattr(episode, "series", episode)
        url = getattr(series, "url", None)
        if url and getattr(series, "name", None):
            found.setdefault(url, series)
            episodes[url] += 1
    ranked = sorted(found, key=lambda url: (-episodes[url], collation_key(found[url].name)))
    return tuple(found[url] for url in ranked)


def _glossary(generator) -> tuple[GlossaryEntry, ...]:
    """This build's glossary entries, read (and their problems reported) once."""
    entries = getattr(generator, "glossary_entries", None)
    if entries is None:
        settings = generator.settings
        data_file = settings["GLOSSARY_DATA_FILE"]
        raw = read_data_file(generator.context, data_file, default={})
        entries, problems = parse_glossary_data(raw, partial(_slug, settings))
        _report(settings, data_file, problems)
        generator.glossary_entries = entries
    return entries


def _glossary_letters(items: Sequence[GlossaryItem]) -> tuple[Letter, ...]:
    groups: dict[str, list[GlossaryItem]] = defaultdict(list)
    for item in items:  # already in French order
        groups[item.entry.letter].append(item)
    return tuple(
        Letter(label, _letter_anchor("glossaire", label), tuple(found))
        for label, found in sorted(groups.items(), key=lambda item: (item[0] != "#", item[0]))
    )


def _letter_anchor(prefix: str, label: str) -> str:
    return f"{prefix}-{'autres' if label == '#' else label.lower()}"


def _report(settings: Mapping, data_file: str, problems: Sequence[Problem]) -> None:
    """Log a data file's problems as ``path:line: message``."""
    if not problems:
        return
    path = data_path(settings, data_file)
    lines = _entry_lines(path)
    for name, message, hint in problems:
        logger.warning("%s", ContentError(shown_path(path), lines.get(name), message, hint))


def _entry_lines(path: str) -> dict[str, int]:
    """The line (1-based) of each top-level entry of a YAML file."""
    try:
        with open(path, encoding="utf-8") as source:
            root = yaml.compose(source)
    except (OSError, yaml.YAMLError):
        return {}
    if not isinstance(root, yaml.MappingNode):
        return {}
    return {str(k.value).strip(): k.start_mark.line + 1 for k, _ in root.value}


def _written_tags(article) -> tuple[str, ...]:
    """The tags as the header spells them, remembered on the article (and in the cache)."""
    written = getattr(article, "tags_as_written", None)
    if written is None:
        written = tuple(str(tag) for tag in getattr(article, "tags", None) or ())
        article.tags_as_written = written
    return written


def _contents(generator, names: Iterable[str]):
    for name in names:
        yield from getattr(generator, name, ()) or ()


def _slug(settings: Mapping, name: str) -> str:
    return quiet_slug(name, settings)  # Tag(name).slug warns, in English, naming no file
