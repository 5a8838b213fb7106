"""Old blog HTML made into clean Markdown: layout junk dropped, then markdownify.

The body is handled as a BeautifulSoup tree first, so the mapper can rewrite images and links
and turn questions into headings on elements rather than on text; markdownify then writes the
Markdown (paragraphs, emphasis, links, lists, quotes, tables, images).
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag
from markdownify import MarkdownConverter

# Wrappers that carry only layout in old editors: their content is kept, the tag dropped.
LAYOUT_TAGS = ("span", "font", "div", "center", "o:p")
# Never content: dropped with what they hold.
DROPPED_TAGS = ("script", "style", "noscript", "form", "input", "button")
LAYOUT_ATTRIBUTES = ("style", "class", "id", "align", "border", "hspace", "vspace", "face")
SPACES = re.compile(r"[ \t\u00a0\u202f]{2,}")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
HIDDEN = "[adresse masquée]"


def parse(html: str) -> BeautifulSoup:
    """A body as a tree, its layout junk removed."""
    soup = BeautifulSoup(html or "", "html.parser")
    for name in DROPPED_TAGS:
        for element in soup.find_all(name):
            element.decompose()
    for name in LAYOUT_TAGS:
        for element in soup.find_all(name):
            if name == "div":
                element.append("\n\n")  # a div ended a paragraph on the old page
            element.unwrap()
    for element in soup.find_all(True):
        for attribute in LAYOUT_ATTRIBUTES:
            element.attrs.pop(attribute, None)
    for text in soup.find_all(string=True):
        if "\u00a0" in text or "  " in text:
            text.replace_with(NavigableString(SPACES.sub(" ", text.replace("\u00a0", " "))))
    for paragraph in soup.find_all("p"):
        if is_empty(paragraph):
            paragraph.decompose()
    return soup


def is_empty(element: Tag) -> bool:
    """True for a block with no text and no image: ``<p>&nbsp;</p>``, ``<p><br></p>``."""
    return not element.get_text(strip=True) and element.find(["img", "iframe", "video"]) is None


def blocks(soup: BeautifulSoup) -> list[Tag]:
    """The top-level elements of a body."""
    return [child for child in soup.children if isinstance(child, Tag)]


def bold_text(paragraph: Tag) -> str | None:
    """The text of a paragraph that is all bold (``<p><strong>…</strong></p>``), else None."""
    strong = paragraph.find(["strong", "b"])
    if strong is None:
        return None
    whole = paragraph.get_text(" ", strip=True)
    return whole if whole == strong.get_text(" ", strip=True) else None


def to_markdown(soup: BeautifulSoup | str) -> str:
    """Markdown of a tree (or HTML), blank lines normalised."""
    converter = MarkdownConverter(heading_style="ATX", bullets="-", escape_misc=False)
    text = converter.convert(str(soup))
    lines = [line.rstrip() for line in text.replace("\u00a0", " ").split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return text.strip() + "\n"


def plain_text(html: str) -> str:
    """One line of text from HTML (summaries)."""
    text = BeautifulSoup(html or "", "html.parser").get_text(" ")
    return " ".join(text.split())


def without_addresses(text: str) -> str:
    """A reader's text with e-mail and IP addresses hidden: neither is ever written."""
    return IPV4.sub(HIDDEN, EMAIL.sub(HIDDEN, text.replace("mailto:", "")))
