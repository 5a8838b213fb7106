"""The built site as files to send: hashes, HTTP headers and the order that keeps readers safe."""

from __future__ import annotations

import fnmatch
import hashlib
import html
import mimetypes
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from deploy.config import DeployError

# Cache-Control values. Fingerprinted names change with their content, so they can be cached
# forever; pages and feeds must be seen quickly after a deploy.
CACHE_IMMUTABLE = "public, max-age=31536000, immutable"
CACHE_SHORT = "public, max-age=300, must-revalidate"
CACHE_ASSET = "public, max-age=86400"
# Unhashed code is short-lived too, so that a new page never meets yesterday's stylesheet.
SHORT_CACHE_SUFFIXES = (".html", ".htm", ".xml", ".json", ".txt", ".webmanifest", ".css", ".js")

UTF8 = "; charset=utf-8"
CONTENT_TYPES = {
    ".html": "text/html" + UTF8,
    ".htm": "text/html" + UTF8,
    ".css": "text/css" + UTF8,
    ".js": "text/javascript" + UTF8,
    ".mjs": "text/javascript" + UTF8,
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".map": "application/json",
    ".xml": "application/xml" + UTF8,
    ".xsl": "application/xml" + UTF8,
    ".txt": "text/plain" + UTF8,
    ".md": "text/markdown" + UTF8,
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".wasm": "application/wasm",
    ".pdf": "application/pdf",
    ".mp3": "audio/mpeg",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    # Pagefind's own formats: gzip data it decompresses itself, so no Content-Encoding.
    ".pagefind": "application/octet-stream",
    ".pf_meta": "application/octet-stream",
    ".pf_index": "application/octet-stream",
    ".pf_fragment": "application/octet-stream",
    ".pf_filter": "application/octet-stream",
}
FEED_TYPES = {b"<feed": "application/atom+xml" + UTF8, b"<rss": "application/rss+xml" + UTF8}

# A content hash inside a file name, between separators: site.3f2a9c1b.css, fr_85167a5.pf_index.
# It must mix digits and letters so that dates (2024-01-31) and words (facade) do not count.
FINGERPRINT = re.compile(r"(?:^|[._-])(?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{8,64}(?=[._-])")
# Pagefind names every index chunk by its hash; only its entry points keep a stable name.
PAGEFIND_HASHED_DIRS = ("fragment", "index", "filter")

# Never published: a path with a hidden component (``.git/`` kept by OUTPUT_RETENTION, ``.env``,
# ``.DS_Store``), or a name that holds keys, secrets or data rather than a page of the site.
DENIED_NAMES = ("*.pem", "*.key", ".env*", "*.sqlite", "*~")
# The output's own repository, kept by OUTPUT_RETENTION: skipped without a word (anywhere else,
# a .git/ folder is a private file like any other, and is named).
VCS_DIRS = (".git",)

# A page written by plugins/redirects (its marker, then its meta refresh): on S3 the object gets
# the website redirect metadata, so the host answers with a real 301 to the target.
REDIRECT_MARKER = b'<meta name="generator" content="redirects">'
REFRESH_TARGET = re.compile(rb'<meta http-equiv="refresh" content="0; url=([^"]+)">')

# Upload order: hashed assets, other assets, feeds and data, pages, section indexes, home page.
RANK_FINGERPRINTED, RANK_ASSET, RANK_DATA, RANK_PAGE, RANK_INDEX, RANK_HOME = range(6)


@dataclass(frozen=True)
class LocalFile:
    """One file of the built site, ready to be compared and sent."""

    path: str
    size: int
    sha256: str
    md5: str
    content_type: str
    cache_control: str
    redirect: str = ""  # where a redirect page sends readers ("" for any other file)

    @property
    def rank(self) -> int:
        return upload_rank(self.path)


def is_fingerprinted(path: str) -> bool:
    """True when the name carries a content hash, so the content behind it never changes."""
    parts = PurePosixPath(path).parts
    if len(parts) >= 3 and parts[-3] == "pagefind" and parts[-2] in PAGEFIND_HASHED_DIRS:
        return True
    return bool(FINGERPRINT.search(parts[-1]))


def content_type(path: str, head: bytes = b"") -> str:
    """The Content-Type for a file; feeds are told apart by their root element."""
    suffix = PurePosixPath(path).suffix.lower()
    if suffix == ".xml":
        start = head[:2048]
        for marker, kind in FEED_TYPES.items():
            if marker in start:
                return kind
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path)
    if guessed and guessed.startswith("text/"):
        return guessed + UTF8
    return guessed or "application/octet-stream"


def cache_control(path: str) -> str:
    """Long and immutable for fingerprinted assets, short for pages, feeds, data and code."""
    if is_fingerprinted(path):
        return CACHE_IMMUTABLE
    if path.lower().endswith(SHORT_CACHE_SUFFIXES) or path.startswith("pagefind/"):
        # pagefind.js, its wasm and its entry file keep their names across builds.
        return CACHE_SHORT
    return CACHE_ASSET


def upload_rank(path: str) -> int:
    """Lower ranks go online first, so nothing online ever points at a missing file."""
    name = PurePosixPath(path).name
    if path == "index.html":
        return RANK_HOME
    if name == "index.html":
        return RANK_INDEX
    if name.endswith((".html", ".htm")):
        return RANK_PAGE
    if is_fingerprinted(path):
        return RANK_FINGERPRINTED
    if name.endswith((".xml", ".json", ".txt", ".webmanifest")) or name == "pagefind.js":
        return RANK_DATA
    return RANK_ASSET


def upload_order(paths, new=frozenset()) -> list[str]:
    """Paths in sending order: files not yet online (``new``) before files that change, each
    group by rank, deeper section indexes before shallower ones. A new page is linked from no
    page online until a changed page links to it, so new pages may go before changed assets."""
    return sorted(paths, key=lambda p: (p not in new, upload_rank(p), -p.count("/"), p))


def is_private(path: str) -> bool:
    """True for a file the public must never get: a hidden component, or a denied name."""
    parts = PurePosixPath(path).parts
    if any(part.startswith(".") for part in parts):
        return True
    name = parts[-1].lower()
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in DENIED_NAMES)


def walk_files(site_dir: Path):
    """(relative POSIX path, private?) of every file of the output, its ``.git/`` left out;
    sorted."""
    found = []
    for folder, dirs, names in os.walk(site_dir):
        base = Path(folder).relative_to(site_dir)
        top = base == Path(".")
        dirs[:] = sorted(d for d in dirs if not (top and d in VCS_DIRS))
        for name in names:
            rel = (base / name).as_posix()
            found.append((rel, is_private(rel)))
    return sorted(found)


def private_files(site_dir: Path) -> list[str]:
    """The files of the output that must not be published (outside its ``.git/``)."""
    return [rel for rel, private in walk_files(Path(site_dir)) if private]


def site_paths(site_dir: Path) -> list[str]:
    """The files that make the public site: everything but private files and ``.git/``."""
    return [rel for rel, private in walk_files(Path(site_dir)) if not private]


def hash_file(path: Path) -> tuple[str, str, int, bytes]:
    """sha256, md5, size and the first bytes of a file, reading it once."""
    sha, md5, size, head = hashlib.sha256(), hashlib.md5(), 0, b""
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            if not head:
                head = chunk[:2048]
            sha.update(chunk)
            md5.update(chunk)
            size += len(chunk)
    return sha.hexdigest(), md5.hexdigest(), size, head


def scan_site(site_dir: Path) -> dict[str, LocalFile]:
    """Every file of the public site by its POSIX path relative to the site root (private files
    are left out: the ``private`` gate names them)."""
    site_dir = Path(site_dir)
    if not site_dir.is_dir():
        raise DeployError(f"{site_dir}: no such directory (build the site first)")
    files = {}
    for rel in site_paths(site_dir):
        file = site_dir / rel
        if not file.is_file():
            continue  # a broken symbolic link, or a socket
        sha, md5, size, head = hash_file(file)
        kind = content_type(rel, head)
        redirect = redirect_target(head) if rel.endswith(".html") else ""
        files[rel] = LocalFile(rel, size, sha, md5, kind, cache_control(rel), redirect)
    return files


def redirect_target(head: bytes) -> str:
    """The address a redirect page (plugins/redirects) sends to, or "" for any other page."""
    if REDIRECT_MARKER not in head:
        return ""
    found = REFRESH_TARGET.search(head)
    return html.unescape(found.group(1).decode("utf-8")) if found else ""


def site_path(path: str) -> str:
    """The file a takedown names: ``/2021/03/slug/`` is ``2021/03/slug/index.html``."""
    text = path.strip().split("#", 1)[0].split("?", 1)[0].lstrip("/")
    if not text or text.endswith("/"):
        text += "index.html"
    clean = PurePosixPath(text)
    if ".." in clean.parts:
        raise DeployError(f"{path!r} is not a path of the site")
    return clean.as_posix()


def html_pages(paths) -> list[str]:
    """The HTML pages among paths."""
    return [p for p in paths if p.endswith((".html", ".htm"))]
