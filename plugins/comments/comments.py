"""Reader comments: approved comments (``content/comments/<slug>.yml``) shown on their article.

What it adds, on every build (warm ones included: everything happens after reading):

- On each article: ``article.comments`` (the top-level ``Comment`` objects, oldest first, each
  with its ``replies``), ``article.comment_count`` (every comment, replies included),
  ``article.comments_open`` (False with ``Comments: closed`` or ``COMMENTS_CLOSE_AFTER_DAYS``
  days after the article's date) and ``article.comments_feed`` (its feed's URL, or "").
  Shown by ``partials/comments.html``, ``comment_form.html`` (only when ``COMMENTS_URL`` names
  a comment server and the article is open) and ``comment_count.html`` (in ``article_meta``,
  so on the article and on every card).
- Atom feeds: the latest comments of the whole site (``COMMENTS_FEED_ATOM``, once there is
  one) and one per published article that has comments (``COMMENTS_ARTICLE_FEED_ATOM``);
  entry ids are the comments' absolute URLs (article URL + anchor), which never change.
- JSON-LD: ``plugins/seo`` reads ``comment_count`` and ``comments`` for ``commentCount`` and
  ``comment`` of the article's ``BlogPosting``.

Comment bodies go through the core's body pipeline, as a transform named ``comments``: its job,
for an article, is the Markdown of its comments; its rewrite leaves the article's body as it is
and *notes* each comment's HTML (``render.render_body``: limited Markdown, nh3 allowlist, then
``typography_fr.typeset``, the function of the ``typography`` transform). So comments are
rendered once per change, on both cores, and remembered across warm builds in the pipeline's
memo, like every other text of the site; the plugin then reads the notes back. A transform
that rewrites nothing is honest about what it is: the pipeline is where texts are turned into
HTML, and its notes are meant for by-products like these.

Errors (``path:line: message``; dev builds go on without the faulty comment, strict builds
fail): a file whose slug is no article, two comments with one id, a ``reply_to`` to an id the
file lacks, a bad date, a missing author, id, date or body, an unknown key, a bad ``url``, a
``Comments:`` header other than ``open`` or ``closed``.

Settings (``SETTINGS_DEFAULTS``): ``COMMENTS_DIR`` (in the content folder), ``COMMENTS_URL``
(the public comment server; empty: no form), ``COMMENTS_CLOSE_AFTER_DAYS`` (None: never),
``COMMENTS_MAX_LENGTH`` (the form's limit, the server checks it too), ``COMMENTS_FEED_ATOM``,
``COMMENTS_ARTICLE_FEED_ATOM``, ``COMMENTS_FEED_MAX_ITEMS``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from feedgenerator import Atom1Feed
from pelican import signals

from plugins.core import (
    BuildState,
    ContentError,
    closest,
    header_line,
    plugin_enabled,
    report,
    shown_path,
)
from plugins.core.addresses import outside_content
from plugins.core.pipeline import SKIP, Plan, Rewritten, outcome, register_transform
from plugins.core.settings import PluginSettings
from plugins.typography_fr.typography_fr import enabled_rules, typeset_text

from .render import render_body, renderer_version
from .threads import Comment, flatten, parse_comments, thread

logger = logging.getLogger(__name__)

PLUGIN_NAME = "comments"
TRANSFORM_NAME = "comments"
TRANSFORM_PRIORITY = 5  # after the others: it changes no body
STATE = "comments_state"
SETTINGS_DEFAULTS = {
    "COMMENTS_DIR": "comments",
    "COMMENTS_URL": "",
    "COMMENTS_CLOSE_AFTER_DAYS": None,
    "COMMENTS_MAX_LENGTH": 5000,
    "COMMENTS_FEED_ATOM": "feeds/comments.atom.xml",
    "COMMENTS_ARTICLE_FEED_ATOM": "feeds/comments/{slug}.atom.xml",
    "COMMENTS_FEED_MAX_ITEMS": 20,
}
HEADER_VALUES = ("open", "closed")


def settings_problems(settings: Mapping) -> list[tuple[str, str]]:
    problems = []
    days = settings.get("COMMENTS_CLOSE_AFTER_DAYS")
    if days is not None and (not isinstance(days, int) or isinstance(days, bool) or days < 0):
        problems.append(("COMMENTS_CLOSE_AFTER_DAYS", "un nombre de jours (entier ≥ 0) ou None"))
    for name in ("COMMENTS_MAX_LENGTH", "COMMENTS_FEED_MAX_ITEMS"):
        value = settings.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            problems.append((name, f"{name} : un entier positif"))
    url = settings.get("COMMENTS_URL")
    if not isinstance(url, str) or (url and not url.startswith(("http://", "https://"))):
        problems.append(
            ("COMMENTS_URL", "COMMENTS_URL : l'adresse http(s) du serveur de commentaires")
        )
    return problems


SETTINGS = PluginSettings(PLUGIN_NAME, SETTINGS_DEFAULTS, settings_problems)


# --- Pure functions -------------------------------------------------------------------------


def slug_of_file(name: str) -> str | None:
    """The article slug a comments file is for (``le-chat.yml`` → ``le-chat``)."""
    stem, ext = os.path.splitext(name)
    return stem if ext in (".yml", ".yaml") and not stem.startswith(".") else None


def comments_open(header: object, published: datetime, close_after_days, today: datetime) -> bool:
    """Whether an article takes new comments."""
    if str(header or "").strip().lower() == "closed":
        return False
    if close_after_days is None:
        return True
    return today.replace(tzinfo=None) <= published.replace(tzinfo=None) + timedelta(
        days=close_after_days
    )


def count_label(count: int) -> str:
    """``1 commentaire``, ``3 commentaires`` (no-break space); "" for none."""
    if count <= 0:
        return ""
    return f"{count}\u00a0commentaire{'s' if count > 1 else ''}"


def render_notes(body: str, job: tuple, rules: frozenset[str]) -> Rewritten:
    """The body transform's rewrite: the article's body unchanged, each comment's HTML noted."""
    return Rewritten(body, {comment_id: render_body(text, rules) for comment_id, text in job})


def site_base(settings: Mapping) -> str:
    return (settings.get("SITEURL") or settings.get("FEED_DOMAIN") or "").rstrip("/")


def comment_url(base: str, article_url: str, comment: Comment) -> str:
    return f"{base}/{article_url}#{comment.anchor}"


def feed_xml(
    title: str,
    link: str,
    feed_url: str,
    entries: Sequence[tuple[object, Comment]],
    base: str,
    zone: ZoneInfo,
    language: str,
) -> str:
    """An Atom feed of comments, as ``(article, comment)`` pairs, newest first."""
    feed = Atom1Feed(
        title=title, link=link, description="", feed_url=feed_url, feed_guid=feed_url,
        language=language,
    )  # fmt: skip
    for article, comment in entries:
        url = comment_url(base, article.url, comment)
        when = comment.date.replace(tzinfo=zone)
        feed.add_item(
            title=f"{comment.author} sur « {article.title} »",
            link=url,
            unique_id=url,
            description=comment.html,
            author_name=comment.author,
            pubdate=when,
            updateddate=when,
        )
    return feed.writeString("utf-8")


# --- Build state ----------------------------------------------------------------------------


@dataclass
class CommentsState(BuildState):
    """This build's comments by article slug, and the mistakes found reading them."""

    by_slug: dict[str, list[Comment]] = field(default_factory=dict)
    errors: list[ContentError] = field(default_factory=list)
    reported: bool = False


def comments_folder(settings: Mapping) -> str:
    return os.path.join(settings["PATH"], settings.get("COMMENTS_DIR") or "comments")


def read_comments(settings: Mapping, slugs: set[str]) -> CommentsState:
    """Every comments file of the content folder, checked against the articles' slugs."""
    state = CommentsState()
    folder = comments_folder(settings)
    if not os.path.isdir(folder):
        return state
    for name in sorted(os.listdir(folder)):
        slug = slug_of_file(name)
        path = os.path.join(folder, name)
        if slug is None or not os.path.isfile(path):
            continue
        shown = shown_path(path)
        if outside_content(path, settings):
            state.errors.append(
                ContentError(shown, None, "lien qui mène hors du dossier de contenu")
            )
            continue
        try:
            with open(path, encoding="utf-8") as source:
                text = source.read()
        except (OSError, UnicodeDecodeError) as exc:
            state.errors.append(ContentError(shown, None, f"illisible : {exc}"))
            continue
        comments, errors = parse_comments(shown, text)
        state.errors.extend(errors)
        if slug not in slugs:
            guess = closest(slug, slugs)
            hint = f"vouliez-vous dire « {guess}.yml » ?" if guess else ""
            state.errors.append(
                ContentError(
                    shown, 1, f"aucun billet n'a le slug « {slug} »",
                    hint or "le nom du fichier est le slug du billet commenté",
                )
            )  # fmt: skip
            continue
        if comments:
            state.by_slug[slug] = comments
    return state


def articles_of(generators) -> list:
    """Every article of the build, drafts and hidden ones included (pages take no comments)."""
    found = {}
    for generator in generators:
        if hasattr(generator, "articles"):
            for name in ("articles", "translations", "hidden_articles", "drafts"):
                for article in getattr(generator, name, ()):
                    found[id(article)] = article
    return list(found.values())


def state_of(generators) -> CommentsState:
    """This build's comments, read once (the context keeps them)."""
    context = generators[0].context
    state = context.get(STATE)
    if state is None:
        slugs = {article.slug for article in articles_of(generators)}
        state = context[STATE] = read_comments(generators[0].settings, slugs)
    return state


# --- Pelican adapters -----------------------------------------------------------------------


def plan_comments(generators) -> Plan | None:
    """The body transform that renders comment bodies (see the module's docstring)."""
    settings = generators[0].settings
    if not plugin_enabled(settings, PLUGIN_NAME):
        return None
    state = state_of(generators)
    jobs = {
        id(article): tuple((c.id, c.body) for c in state.by_slug[article.slug])
        for article in articles_of(generators)
        if article.slug in state.by_slug
    }
    rules = typography_rules(settings)
    return Plan(
        name=TRANSFORM_NAME,
        priority=TRANSFORM_PRIORITY,
        rewrite=partial(render_notes, rules=rules),
        job_of=lambda content: jobs.get(id(content), SKIP),
        inputs=(sorted(rules), renderer_version()),
    )


def typography_rules(settings: Mapping) -> frozenset[str]:
    """The French rules comments get: those of the articles, none if the site has no
    ``typography_fr``."""
    if not plugin_enabled(settings, "typography_fr"):
        return frozenset()
    return enabled_rules(settings.get("TYPOGRAPHY_FR_RULES"))


def attach_comments(generators) -> None:
    """Give every article its comments, count and state (``all_generators_finalized``)."""
    settings = generators[0].settings
    if not plugin_enabled(settings, PLUGIN_NAME):
        return
    state = state_of(generators)
    notes = outcome(generators)
    today = datetime.now()
    rules = typography_rules(settings)
    zone = ZoneInfo(settings.get("TIMEZONE") or "UTC")
    header_errors = []
    for article in articles_of(generators):
        header = article.metadata.get("comments")
        if header is not None and str(header).strip().lower() not in HEADER_VALUES:
            header_errors.append(
                ContentError(
                    shown_path(article.source_path), header_line(article.source_path, "comments"),
                    f"Comments « {header} » : attendu « open » ou « closed »",
                )
            )  # fmt: skip
        listed = state.by_slug.get(article.slug, [])
        html = notes.notes(article, TRANSFORM_NAME, {}) or {}
        rendered = [
            replace(
                c,
                html=html.get(c.id, ""),
                author=typeset_text(c.author, rules),
                date=c.date.replace(tzinfo=zone),
            )
            for c in listed
        ]
        article.comments = thread(rendered)
        article.comment_count = len(rendered)
        article.comments_open = comments_open(
            header, article.date, settings["COMMENTS_CLOSE_AFTER_DAYS"], today
        )
        pattern = settings["COMMENTS_ARTICLE_FEED_ATOM"]
        published = getattr(article, "status", "published") == "published"
        feed = pattern and listed and published
        article.comments_feed = pattern.format(slug=article.slug) if feed else ""
    if not state.reported:
        state.reported = True
        report([*state.errors, *header_errors], logger)


def write_feeds(generator, writer=None) -> None:
    """The site's comments feed and one per commented article (``article_writer_finalized``)."""
    settings = generator.settings
    if not plugin_enabled(settings, PLUGIN_NAME):
        return
    base = site_base(settings)
    zone = ZoneInfo(settings.get("TIMEZONE") or "UTC")
    language = settings.get("DEFAULT_LANG", "fr")
    sitename = settings.get("SITENAME", "")
    everything, written = [], set()
    for article in generator.articles:  # published ones only
        entries = [(article, c) for c in flatten(getattr(article, "comments", ()))]
        everything.extend(entries)
        if article.comments_feed:
            newest = sorted(entries, key=lambda e: (e[1].date, e[1].id), reverse=True)
            write(
                generator.output_path,
                article.comments_feed,
                feed_xml(
                    f"Commentaires sur « {article.title} » · {sitename}",
                    f"{base}/{article.url}",
                    f"{base}/{article.comments_feed}",
                    newest, base, zone, language,
                ),
            )  # fmt: skip
            written.add(article.comments_feed)
    site_feed = settings["COMMENTS_FEED_ATOM"]
    if site_feed and everything:  # a feed is written once there is something to follow
        newest = sorted(everything, key=lambda e: (e[1].date, e[1].id), reverse=True)
        write(
            generator.output_path,
            site_feed,
            feed_xml(
                f"Derniers commentaires · {sitename}",
                f"{base}/",
                f"{base}/{site_feed}",
                newest[: settings["COMMENTS_FEED_MAX_ITEMS"]], base, zone, language,
            ),
        )  # fmt: skip
    elif site_feed and os.path.exists(os.path.join(generator.output_path, site_feed)):
        os.remove(os.path.join(generator.output_path, site_feed))  # the last comment went
    remove_stale_feeds(generator.output_path, settings["COMMENTS_ARTICLE_FEED_ATOM"], written)


def remove_stale_feeds(output_path: str, pattern: str, written: set[str]) -> None:
    """On a build into a kept output folder, the feed of an article that no longer has
    comments (or no longer exists) goes: only this plugin writes in its feeds' folder."""
    if not pattern or "{slug}" not in os.path.basename(pattern) or "{" in os.path.dirname(pattern):
        return
    folder = os.path.dirname(pattern)
    suffix = os.path.basename(pattern).split("{slug}")[-1]
    try:
        names = os.listdir(os.path.join(output_path, folder))
    except OSError:
        return
    for name in names:
        relative = os.path.join(folder, name)
        if name.endswith(suffix) and relative not in written:
            os.remove(os.path.join(output_path, relative))


def write(output_path: str, name: str, text: str) -> None:
    """Write a file only when its bytes change (warm builds leave it alone)."""
    path = os.path.join(output_path, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = text.encode("utf-8")
    try:
        with open(path, "rb") as existing:
            if existing.read() == data:
                return
    except OSError:
        pass
    with open(path, "wb") as out:
        out.write(data)


def register():
    signals.initialized.connect(SETTINGS.configure)
    register_transform(plan_comments)
    signals.all_generators_finalized.connect(attach_comments)
    signals.article_writer_finalized.connect(write_feeds)
