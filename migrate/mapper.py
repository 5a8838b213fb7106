"""From an old blog's entries to the files of this site (pure: data in, files and a tally out).

Each entry becomes a Markdown file under the authoring contract; its title is matched against
the series' ``title_format``, its body against the questionnaires, its tags against the
aliases of ``tags.yml``; its images are taken from a ``wget --mirror`` copy of the old site,
its links to other imported posts point to their new files, its comments become
``comments/<slug>.yml`` and its old address a line of ``data/redirects.yml``.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin, urlsplit

import yaml
from bs4 import BeautifulSoup, Tag

from migrate import markup
from migrate.model import Export, Problem, SourceEntry
from migrate.site import SETTINGS_DEFAULTS, SiteData
from plugins.interviews import Questionnaire

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".avif", ".bmp")
# A question typed with its number in front: "1. Qui êtes-vous ?", "Q2 - …".
QUESTION_NUMBER = re.compile(r"^\s*(?:q\s*)?\d+\s*[.):\-–]\s*", re.IGNORECASE)
SLUG_FORBIDDEN = re.compile(r"[/\\]|\.\.")


@dataclass(frozen=True)
class Options:
    """Where the old site's files are and where it lived."""

    assets: str | None = None
    old_base: str = ""
    taken: frozenset[tuple[str, str]] = frozenset()  # (kind, slug) of the site's own files


@dataclass
class Tally:
    """The figures of the report."""

    posts: int = 0
    pages: int = 0
    drafts: int = 0
    episodes: Counter = field(default_factory=Counter)
    interviews: Counter = field(default_factory=Counter)
    comments: int = 0
    comments_skipped: int = 0
    images_copied: int = 0
    images_missing: int = 0
    links_rewritten: int = 0
    redirects: int = 0


@dataclass
class Mapped:
    """What an export becomes: files by path inside the content folder, images to copy (path
    in the content folder → source file), redirects (old path → new URL), tally and problems."""

    files: dict[str, bytes] = field(default_factory=dict)
    images: dict[str, str] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    tally: Tally = field(default_factory=Tally)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Placed:
    """An entry and its place on the new site."""

    entry: SourceEntry
    slug: str
    path: str  # inside the content folder
    url: str  # "/2010/09/slug/"
    old_url: str


def map_export(export: Export, site: SiteData, options: Options) -> Mapped:
    """Every file an export gives this site."""
    mapped = Mapped(problems=list(export.problems))
    placed = place_entries(export.entries, site, options, mapped.problems)
    by_old = {url_key(p.old_url): p for p in placed if p.old_url}
    numbers: dict[tuple[str, int], str] = {}
    for item in placed:
        try:
            map_entry(item, site, options, by_old, numbers, mapped)
        except Exception as exc:  # one odd entry must not stop the import of a whole archive
            message = f"non importée : erreur inattendue ({type(exc).__name__}: {exc})"
            mapped.problems.append(Problem(item.entry.label, message))
    return mapped


def place_entries(entries, site: SiteData, options: Options, problems) -> list[Placed]:
    """Slugs (the old basename, made unique), file paths, new and old addresses."""
    settings = site.settings
    used: set[tuple[str, str]] = set(options.taken)
    placed = []
    old_pattern = settings.get("MIGRATE_OLD_URL", SETTINGS_DEFAULTS["MIGRATE_OLD_URL"])
    for entry in entries:
        slug = entry.basename.strip().strip("/")
        if not slug or SLUG_FORBIDDEN.search(slug):
            slug = site.slug(entry.title) or f"entree-{entry.position}"
        slug = unquote(slug)
        base, number = slug, 1
        while (entry.kind, slug) in used:
            number += 1
            slug = f"{base}-{number}"
        if number > 1:
            message = f"slug « {base} » déjà pris (dans l'export ou sur le site) : « {slug} »"
            problems.append(Problem(entry.label, message))
        used.add((entry.kind, slug))
        fields = {"date": entry.date, "slug": slug, "lang": settings.get("DEFAULT_LANG", "fr")}
        if entry.kind == "page":
            path = f"{settings['PAGE_PATHS'][0]}/{slug}.md"
            url = "/" + settings["PAGE_URL"].format(**fields)
        else:
            path = f"{settings['ARTICLE_PATHS'][0]}/{entry.date:%Y}/{entry.date:%Y-%m-%d}-{slug}.md"
            url = "/" + settings["ARTICLE_URL"].format(**fields)
        old_url = entry.old_url
        if not old_url and options.old_base and entry.kind == "post" and entry.basename:
            old_url = old_pattern.format(
                base=options.old_base.rstrip("/"),
                year=f"{entry.date:%Y}",
                month=f"{entry.date:%m}",
                day=f"{entry.date:%d}",
                basename=entry.basename,
            )
        placed.append(Placed(entry, slug, path, url, "" if entry.draft else old_url))
    return placed


def map_entry(item: Placed, site: SiteData, options: Options, by_old, numbers, mapped: Mapped):
    """One entry's Markdown file, comments, images and redirect."""
    entry, tally = item.entry, mapped.tally
    header: dict[str, str] = {}
    title = entry.title
    series = match_series(title, site) if entry.kind == "post" else None
    if series:
        name, number, title = series
        header["Series"] = name
        if number is not None:
            owner = numbers.get((name, number))
            if owner:
                mapped.problems.append(
                    Problem(entry.label, f"« {name} » n° {number} déjà pris par « {owner} »")
                )
            else:
                numbers[(name, number)] = entry.title
                header["Series_number"] = str(number)
        tally.episodes[name] += 1
    soup = markup.parse(entry.body_html)
    if entry.kind == "post":
        header.update(interview_header(entry, soup, site, mapped))
    rewrite_images(soup, item, options, mapped)
    rewrite_links(soup, item, options, by_old, mapped)
    body = markup.to_markdown(soup)
    lines = [f"Title: {one_line(title)}", f"Date: {entry.date:%Y-%m-%d %H:%M}"]
    if entry.categories:
        lines.append(f"Category: {one_line(entry.categories[0])}")
    tags = canonical_tags(entry, site, mapped.problems)
    if tags:
        lines.append("Tags: " + ", ".join(one_line(t) for t in tags if t))
    lines.append(f"Slug: {item.slug}")
    if entry.author:
        lines.append(f"Author: {one_line(entry.author)}")
    lines += [f"{key}: {one_line(value)}" for key, value in header.items()]
    summary = markup.plain_text(entry.excerpt)
    if summary:
        lines.append(f"Summary: {summary}")
    if entry.draft:
        lines.append("Status: draft")
        tally.drafts += 1
    elif entry.kind == "page":
        tally.pages += 1
    else:
        tally.posts += 1
    mapped.files[item.path] = ("\n".join(lines) + "\n\n" + body).encode("utf-8")
    map_comments(item, mapped)
    add_redirect(item, mapped)


# --- series, interviews, tags ---------------------------------------------------------------


def interview_header(entry: SourceEntry, soup: BeautifulSoup, site: SiteData, mapped: Mapped):
    """``Questionnaire``, ``Guest`` (and ``Guest_company``) of a body that answers a
    questionnaire, whose questions become level-2 headings; {} for any other body."""
    interview = match_questionnaire(soup, site.questionnaires)
    if interview is None:
        return {}
    questionnaire, found = interview
    guest = guest_from_title(entry.title, site)
    if guest is None:
        message = (
            f"questionnaire « {questionnaire.id} » reconnu, mais le titre ne nomme pas "
            "l'invité : ajoutez « Guest: » et « Questionnaire: » à la main"
        )
        mapped.problems.append(Problem(entry.label, message))
        return {}
    mapped.tally.interviews[questionnaire.id] += 1
    missing = [q.text for q in questionnaire.questions if not q.optional and q.id not in found]
    if missing:
        message = "interview sans réponse à : " + " ; ".join(f"« {m} »" for m in missing)
        mapped.problems.append(Problem(entry.label, message))
    header = {"Questionnaire": questionnaire.id, "Guest": guest[0]}
    if guest[1]:
        header["Guest_company"] = guest[1]
    return header


def canonical_tags(entry: SourceEntry, site: SiteData, problems: list) -> list[str]:
    """An entry's tags as the site files them (aliases of ``tags.yml`` resolved), without
    those that could have no address."""
    tags: list[str] = []
    for written in entry.tags:
        tag = site.canonical_tag(one_line(written.replace(",", " ")))
        if not site.slug(tag):
            message = f"tag « {written} » sans lettre ni chiffre (aucune adresse possible) : retiré"
            problems.append(Problem(entry.label, message))
        elif tag not in tags:
            tags.append(tag)
    return tags


def match_series(title: str, site: SiteData) -> tuple[str, int | None, str] | None:
    """(series name, number or None, bare title) when a title fits a series' format."""
    for matcher in site.series:
        found = matcher.pattern.match(title.strip())
        if found and found.group("title").strip():
            number = int(found.group("number")) if matcher.numbered else None
            return matcher.spec.name, number, found.group("title").strip()
    return None


def match_questionnaire(soup: BeautifulSoup, questionnaires) -> tuple[Questionnaire, set] | None:
    """The questionnaire a body answers (at least half of its questions, found as headings,
    bold paragraphs or paragraphs), its question blocks made level-2 headings; None if none."""
    best = None
    for questionnaire in questionnaires:
        found = question_blocks(soup, questionnaire)
        answered = {question.id for _, question in found}
        if 2 * len(answered) >= len(questionnaire.questions) and (
            best is None or len(answered) > len(best[2])
        ):
            best = (questionnaire, found, answered)
    if best is None:
        return None
    questionnaire, found, answered = best
    chosen = {id(block) for block, _ in found}
    for block in markup.blocks(soup):
        if block.name in ("h1", "h2") and id(block) not in chosen:
            block.name = "h3"  # only questions may be level-2 headings in an interview
    for block, _ in found:
        heading = soup.new_tag("h2")
        heading.string = QUESTION_NUMBER.sub("", block.get_text(" ", strip=True))
        block.replace_with(heading)
    return questionnaire, answered


def question_blocks(soup: BeautifulSoup, questionnaire: Questionnaire) -> list[tuple[Tag, object]]:
    """The blocks of a body that ask a question of the questionnaire, first asking only."""
    found, seen = [], set()
    for block in markup.blocks(soup):
        if block.name in ("h2", "h3", "h4"):
            text = block.get_text(" ", strip=True)
        elif block.name == "p":
            text = markup.bold_text(block) or block.get_text(" ", strip=True)
        else:
            continue
        question = questionnaire.match(QUESTION_NUMBER.sub("", text))
        if question is not None and question.id not in seen:
            seen.add(question.id)
            found.append((block, question))
    return found


def guest_from_title(title: str, site: SiteData) -> tuple[str, str] | None:
    """(guest, company) named by an interview's title, by the first pattern that fits."""
    for pattern in site.guest_patterns:
        found = pattern.search(title.strip())
        if found and found.groupdict().get("guest"):
            company = (found.groupdict().get("company") or "").strip()
            return found.group("guest").strip(), company
    return None


# --- images, links --------------------------------------------------------------------------


def rewrite_images(soup: BeautifulSoup, item: Placed, options: Options, mapped: Mapped) -> None:
    """Images (and links to images) found in the mirror copied under ``images/<year>/``."""
    targets = [(img, "src") for img in soup.find_all("img")]
    targets += [(a, "href") for a in soup.find_all("a") if is_image_url(a.get("href", ""))]
    for element, attribute in targets:
        url = (element.get(attribute) or "").strip()
        if not url or url.startswith(("data:", "{static}", "{filename}")):
            continue
        absolute = urljoin(item.old_url or options.old_base.rstrip("/") + "/", url)
        source = mirror_file(options.assets, absolute)
        if source is None:
            if attribute == "src":
                mapped.tally.images_missing += 1
                where = f"dans le miroir {options.assets}" if options.assets else "(ASSETS absent)"
                mapped.problems.append(
                    Problem(item.entry.label, f"image introuvable {where} : {absolute}")
                )
            continue
        destination = image_destination(source, item.entry.date.year, mapped.images)
        if destination not in mapped.images:
            mapped.images[destination] = source
            mapped.tally.images_copied += 1
        element[attribute] = "{static}/" + destination


def rewrite_links(soup, item: Placed, options: Options, by_old, mapped: Mapped) -> None:
    """Links to imported posts made ``{filename}`` links; other old-blog links reported."""
    old_host = urlsplit(options.old_base or item.old_url).netloc.lower().removeprefix("www.")
    for anchor in soup.find_all("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "{static}", "{filename}")):
            continue
        absolute = urljoin(item.old_url or options.old_base.rstrip("/") + "/", href)
        target = by_old.get(url_key(absolute))
        if target is not None:
            fragment = urlsplit(href).fragment
            anchor["href"] = "{filename}/" + target.path + (f"#{fragment}" if fragment else "")
            mapped.tally.links_rewritten += 1
        elif old_host and urlsplit(absolute).netloc.lower().removeprefix("www.") == old_host:
            mapped.problems.append(
                Problem(
                    item.entry.label,
                    f"lien vers une page de l'ancien blog non importée : {absolute}",
                )
            )


def is_image_url(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(IMAGE_SUFFIXES)


def mirror_file(assets: str | None, url: str) -> str | None:
    """The file ``wget --mirror`` saved for an address (``<host>/<path>``), if it is there."""
    parts = urlsplit(url)
    if not assets or parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    relative = unquote(parts.path).lstrip("/")
    if not relative or ".." in relative.split("/"):
        return None
    for host in dict.fromkeys((parts.netloc, parts.netloc.lower())):
        candidate = os.path.join(assets, host, relative)
        if os.path.isfile(candidate):
            return candidate
    return None


def image_destination(source: str, year: int, taken: dict[str, str]) -> str:
    """``images/<year>/<name>``; another file already there with that name gets a suffix."""
    name = os.path.basename(source)
    stem, suffix = os.path.splitext(name)
    destination, number = f"images/{year}/{name}", 1
    while destination in taken and not same_file(taken[destination], source):
        number += 1
        destination = f"images/{year}/{stem}-{number}{suffix}"
    return destination


def same_file(a: str, b: str) -> bool:
    if a == b:
        return True
    with open(a, "rb") as left, open(b, "rb") as right:
        return hashlib.sha256(left.read()).digest() == hashlib.sha256(right.read()).digest()


def url_key(url: str) -> str:
    """An address as links may spell it: no scheme, no ``www.``, no trailing slash or index."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    path = unquote(parts.path).removesuffix("index.html").rstrip("/")
    return f"{host}{path}" + (f"?{parts.query}" if parts.query else "")


# --- comments, redirects --------------------------------------------------------------------


def map_comments(item: Placed, mapped: Mapped) -> None:
    """``comments/<slug>.yml``: approved comments, oldest first, replies threaded, no e-mail
    and no IP."""
    entry = item.entry
    mapped.tally.comments_skipped += entry.skipped_comments
    if not entry.comments:
        return
    if entry.draft or entry.kind != "post":
        mapped.problems.append(
            Problem(
                entry.label,
                f"{len(entry.comments)} commentaire(s) d'un brouillon ou d'une page : non importés",
            )
        )
        return
    ids: dict[str, str] = {}
    used: set[str] = set()
    records = []
    for comment in sorted(entry.comments, key=lambda c: c.date):
        base = f"{comment.date:%Y-%m-%d}-{slug_of(comment.author)}"
        comment_id, number = base, 1
        while comment_id in used:
            number += 1
            comment_id = f"{base}-{number}"
        used.add(comment_id)
        ids[comment.source_id] = comment_id
        record = {"id": comment_id}
        if comment.parent:
            if comment.parent in ids:
                record["reply_to"] = ids[comment.parent]
            else:
                mapped.problems.append(
                    Problem(
                        entry.label,
                        f"réponse de {comment.author} à un commentaire absent : importée seule",
                    )
                )
        record["author"] = markup.without_addresses(one_line(comment.author)) or "Anonyme"
        url = comment.url.strip()
        if url.startswith(("http://", "https://")):
            record["url"] = url
        record["date"] = f"{comment.date:%Y-%m-%d %H:%M}"
        record["body"] = markup.without_addresses(markup.to_markdown(comment.body_html)).strip()
        records.append(record)
    mapped.tally.comments += len(records)
    mapped.files[f"comments/{item.slug}.yml"] = dump_yaml(records).encode("utf-8")


def add_redirect(item: Placed, mapped: Mapped) -> None:
    """The old address of a published entry, sent to its new one."""
    if not item.old_url:
        return
    parts = urlsplit(item.old_url)
    if parts.query:
        message = f"ancienne adresse avec « ? » ({item.old_url}) : pas de redirection possible"
        mapped.problems.append(Problem(item.entry.label, message))
        return
    old_path = unquote(parts.path) or "/"
    if old_path.rstrip("/") == item.url.rstrip("/"):
        return  # same address on both sites: nothing to redirect
    mapped.redirects[old_path] = item.url
    mapped.tally.redirects += 1


def slug_of(name: str) -> str:
    """A commenter's name as part of a comment id (an anchor): ASCII, lower case, dashes."""
    folded = unicodedata.normalize("NFKD", markup.without_addresses(name).casefold())
    ascii_name = folded.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:40].strip("-") or "anonyme"


def one_line(text: str) -> str:
    return " ".join(str(text).split())


class LiteralDumper(yaml.SafeDumper):
    """Multi-line texts as ``|`` blocks, as an author would write them."""


LiteralDumper.add_representer(
    str,
    lambda dumper, text: dumper.represent_scalar(
        "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None
    ),
)


def dump_yaml(data) -> str:
    return yaml.dump(data, Dumper=LiteralDumper, allow_unicode=True, sort_keys=False, width=100)
