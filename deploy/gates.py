"""Checks the built site must pass before anything is sent.

The link checker is hand-written over lxml rather than linkchecker: it reads the files directly
(no HTTP server, no privilege drop when run as root), checks every href/src/srcset/poster, CSS
``url()`` and ``@import`` and ``#anchors`` in one pass, and takes well under a second per thousand
pages. Absolute links to ``SITEURL`` count as internal links.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import lxml.html
from lxml import etree

from deploy.plan import Plan
from deploy.site import DENIED_NAMES, private_files, site_paths

URL_ATTRIBUTES = ("href", "src", "poster")
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""", re.IGNORECASE)
CSS_IMPORT = re.compile(r"""@import\s+(['"])(.*?)\1""", re.IGNORECASE)
# Fragments every browser understands without a matching id.
BUILTIN_FRAGMENTS = ("", "top")
SEARCH_ENTRY = "pagefind/pagefind.js"
FEEDS_DIR = "feeds"


@dataclass(frozen=True)
class GateProblem:
    """One reason not to deploy, located at ``path:line`` when it is about a file."""

    gate: str
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{self.gate}: {where}: {self.message}" if where else f"{self.gate}: {self.message}"


@dataclass(frozen=True)
class Reference:
    """A URL found in a file, at a line."""

    url: str
    line: int | None


def _srcset_urls(value: str) -> list[str]:
    urls = []
    for candidate in value.split(","):
        parts = candidate.split()
        if parts:
            urls.append(parts[0])
    return urls


def _css_urls(text: str) -> list[str]:
    return [m.group(2) for m in CSS_URL.finditer(text)] + [
        m.group(2) for m in CSS_IMPORT.finditer(text)
    ]


def html_references(document, site_url: str) -> list[Reference]:
    """Every URL an HTML document points at, with its line."""
    refs = []
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        line = element.sourceline
        for attribute in URL_ATTRIBUTES:
            value = element.get(attribute)
            if value is not None:
                refs.append(Reference(value, line))
        if element.tag == "object" and element.get("data"):
            refs.append(Reference(element.get("data"), line))
        if element.get("srcset"):
            refs.extend(Reference(url, line) for url in _srcset_urls(element.get("srcset")))
        if element.get("style"):
            refs.extend(Reference(url, line) for url in _css_urls(element.get("style")))
        if element.tag == "style" and element.text:
            refs.extend(Reference(url, line) for url in _css_urls(element.text))
        # og:image and friends: only when they point at this site.
        content = element.get("content") if element.tag == "meta" else None
        if content and site_url and content.startswith(site_url + "/"):
            refs.append(Reference(content, line))
    return refs


class LinkResolver:
    """Turns URLs found in a file into site paths, telling internal from external."""

    def __init__(self, site_url: str):
        split = urlsplit(site_url)
        self.netloc = split.netloc
        self.base_path = split.path.rstrip("/")

    def resolve(self, url: str, source: str) -> tuple[str | None, str, str | None]:
        """(site path or None if external, fragment, error) for a URL found in ``source``."""
        url = url.strip()
        split = urlsplit(url)
        if split.scheme and split.scheme not in ("http", "https"):
            return None, "", None  # mailto:, tel:, javascript:…
        if split.netloc and (not self.netloc or split.netloc != self.netloc):
            return None, "", None
        path = unquote(split.path) or ("/" if split.netloc else "")
        fragment = unquote(split.fragment)
        if not path:
            return source, fragment, None  # "#id" or "?query" on the same page
        if path.startswith("/"):
            if self.base_path:
                if path != self.base_path and not path.startswith(self.base_path + "/"):
                    return None, "", f"points outside the site root {self.base_path}/"
                path = path[len(self.base_path) :] or "/"
            joined = path.lstrip("/")
        else:
            joined = posixpath.join(posixpath.dirname(source), path)
        trailing = path.endswith("/")
        normal = posixpath.normpath(joined) if joined else "."
        if normal.startswith("../") or normal == "..":
            return None, "", "points outside the site"
        if normal == ".":
            normal = ""
        if trailing or not normal:
            normal = posixpath.join(normal, "index.html")
        return normal, fragment, None


def _parse_html(path: Path):
    data = path.read_bytes()
    if not data.strip():
        return None
    return lxml.html.document_fromstring(data)


def check_links(site_dir: Path, site_url: str = "") -> list[GateProblem]:
    """Every internal link, asset reference and anchor in HTML and CSS resolves."""
    site_dir = Path(site_dir)
    files = set(site_paths(site_dir))  # a link to a private file is broken: it is not sent
    resolver = LinkResolver(site_url)
    problems: list[GateProblem] = []
    ids: dict[str, set[str]] = {}
    refs: dict[str, list[Reference]] = {}
    for rel in sorted(files):
        lower = rel.lower()
        if lower.endswith((".html", ".htm")):
            try:
                document = _parse_html(site_dir / rel)
            except (etree.ParserError, ValueError) as error:
                problems.append(GateProblem("links", rel, f"cannot parse HTML: {error}"))
                continue
            if document is None:
                problems.append(GateProblem("links", rel, "empty HTML file"))
                continue
            ids[rel] = set(document.xpath("//@id")) | set(document.xpath("//a/@name"))
            refs[rel] = html_references(document, site_url)
        elif lower.endswith(".css"):
            text = (site_dir / rel).read_text(encoding="utf-8", errors="replace")
            refs[rel] = [
                Reference(url, text.count("\n", 0, m.start()) + 1)
                for pattern in (CSS_URL, CSS_IMPORT)
                for m in pattern.finditer(text)
                for url in [m.group(2)]
            ]

    for source, found in refs.items():
        is_css = source.lower().endswith(".css")
        for ref in found:
            if not ref.url.strip() or ref.url.strip().startswith("data:"):
                continue
            if is_css and ref.url.strip().startswith("#"):
                continue  # SVG filter or marker references inside CSS
            target, fragment, error = resolver.resolve(ref.url, source)
            if error:
                problems.append(GateProblem("links", source, f"{ref.url!r} {error}", ref.line))
                continue
            if target is None:
                continue
            if target not in files and f"{target}/index.html" in files:
                target = f"{target}/index.html"
            if target not in files:
                problems.append(
                    GateProblem("links", source, f"broken link {ref.url!r}: no {target}", ref.line)
                )
                continue
            if fragment not in BUILTIN_FRAGMENTS and target in ids and fragment not in ids[target]:
                problems.append(
                    GateProblem(
                        "links",
                        source,
                        f"broken anchor {ref.url!r}: no id {fragment!r} in {target}",
                        ref.line,
                    )
                )
    return sorted(problems, key=lambda p: (p.path, p.line or 0, p.message))


def check_feeds(site_dir: Path) -> list[GateProblem]:
    """Every Atom/RSS file under feeds/ parses (feedparser bozo == 0)."""
    problems = []
    feeds_dir = Path(site_dir) / FEEDS_DIR
    for feed in sorted(feeds_dir.rglob("*.xml")) if feeds_dir.is_dir() else []:
        parsed = feedparser.parse(feed.read_bytes())
        if parsed.bozo:
            rel = feed.relative_to(site_dir).as_posix()
            problems.append(GateProblem("feeds", rel, f"invalid feed: {parsed.bozo_exception}"))
    return problems


def check_search(site_dir: Path, search_enabled: bool) -> list[GateProblem]:
    """The Pagefind index exists when search is enabled."""
    if search_enabled and not (Path(site_dir) / SEARCH_ENTRY).is_file():
        return [
            GateProblem(
                "search",
                SEARCH_ENTRY,
                "missing search index (run Pagefind on the output, or set SEARCH_ENABLED = False)",
            )
        ]
    return []


def check_private(site_dir: Path) -> list[GateProblem]:
    """No file of the output is one the public must not get: hidden, or with a denied name.

    Such files are never sent, but their presence means something went wrong (a secret copied
    by a static path, an editor's backup), so the deploy stops and names them.
    """
    return [
        GateProblem(
            "private",
            rel,
            "not a file of the site (hidden, or named like "
            f"{', '.join(DENIED_NAMES)}): remove it from the output, it is never published",
        )
        for rel in private_files(site_dir)
    ]


def check_shrink(plan: Plan, limit: float, force: bool = False) -> list[GateProblem]:
    """Refuse to delete more than ``limit`` of the HTML pages online, unless forced."""
    deleted = plan.deleted_pages
    if force or not plan.online_pages or len(deleted) <= limit * plan.online_pages:
        return []
    share = len(deleted) / plan.online_pages
    sample = ", ".join(deleted[:5]) + (", …" if len(deleted) > 5 else "")
    return [
        GateProblem(
            "shrink",
            plan.target,
            f"would delete {len(deleted)} of the {plan.online_pages} HTML pages online "
            f"({share:.0%} > {limit:.0%}): {sample}; check the build, or use --force",
        )
    ]


def check_site(site_dir: Path, site_url: str = "", search_enabled: bool = True):
    """The gates that only need the built site (private files, links, feeds, search index)."""
    return (
        check_private(site_dir)
        + check_links(site_dir, site_url)
        + check_feeds(site_dir)
        + check_search(site_dir, search_enabled)
    )
