"""What a page costs a reader: its own bytes, and what it makes the browser fetch.

Pure functions over parsed HTML, used by ``test_budgets.py``. A page's weight is its HTML plus
the stylesheets and scripts it loads from the site (images excluded: they are lazy and sized,
and the search bundle is only loaded by the search page on demand).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

# Elements and attributes that make the browser fetch something on its own.
RESOURCE_ATTRIBUTES = {
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "script": ("src",),
    "iframe": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
}
# <link rel=…> values that fetch (canonical, alternate and the like only name a URL).
FETCHING_LINKS = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "apple-touch-icon"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)""")
CSS_IMPORT = re.compile(r"""@import\s+['"]([^'"]+)""")


def resource_urls(soup: BeautifulSoup) -> list[str]:
    """Every URL the page makes the browser fetch by itself (not the links a reader follows)."""
    urls = []
    for name, attributes in RESOURCE_ATTRIBUTES.items():
        for element in soup.find_all(name):
            for attribute in attributes:
                value = element.get(attribute)
                if value:
                    urls += [part.split()[0] for part in value.split(",") if part.strip()]
    for link in soup.find_all("link", href=True):
        if FETCHING_LINKS & {rel.lower() for rel in link.get("rel", [])}:
            urls.append(link["href"])
    for style in soup.find_all("style"):
        urls += css_urls(style.get_text())
    for element in soup.find_all(style=True):
        urls += css_urls(element["style"])
    return urls


def css_urls(css: str) -> list[str]:
    """The URLs a stylesheet fetches (``url()`` and ``@import``), data URIs left out."""
    found = CSS_URL.findall(css) + CSS_IMPORT.findall(css)
    return [url.strip() for url in found if not url.strip().startswith("data:")]


def is_foreign(url: str) -> bool:
    """True when ``url`` names another host (``https://x/…`` or ``//x/…``); data URIs are local."""
    parts = urlsplit(url)
    return bool(parts.netloc) or parts.scheme not in ("", "data")


def local_file(output: Path, url: str) -> Path | None:
    """The output file of a site-relative URL (``/theme/site.css`` → output/theme/site.css)."""
    parts = urlsplit(url)
    if parts.netloc or parts.scheme:
        return None
    path = parts.path.lstrip("/")
    if path == "" or path.endswith("/"):
        path += "index.html"
    return output / path


def page_weight(output: Path, html_file: Path, excluded_prefixes=("pagefind/",)) -> int:
    """Bytes of the HTML and of the stylesheets and scripts it loads from the site."""
    soup = BeautifulSoup(html_file.read_bytes(), "lxml")
    loaded = [link["href"] for link in soup.find_all("link", href=True, rel="stylesheet")]
    loaded += [script["src"] for script in soup.find_all("script", src=True)]
    total = html_file.stat().st_size
    for url in dict.fromkeys(loaded):
        target = local_file(output, url)
        relative = urlsplit(url).path.lstrip("/")
        if target is None or relative.startswith(tuple(excluded_prefixes)):
            continue
        total += target.stat().st_size
    return total
