"""An interview's HTML cut at its level-2 headings, and written back with stable anchors.

Python-Markdown writes every ``## heading`` as a top-level ``<h2 …>…</h2>`` and escapes any
``<h2`` found in code, so one regular expression over the rendered body finds the questions
exactly; a parser (lxml, BeautifulSoup) would re-serialise the whole body and change markup
that other plugins and the author own. Nothing here knows about Pelican.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html import escape, unescape

ALL_ANSWERS_LINK = "Toutes les réponses à cette question"

# One level-2 heading: its attributes (the toc extension's id, attr_list's class) and content.
H2_RE = re.compile(r"<h2(?P<attrs>\s[^>]*)?>(?P<inner>.*?)</h2\s*>", re.IGNORECASE | re.DOTALL)
# An id attribute inside a start tag, with its leading space.
ID_ATTR_RE = re.compile(r"""\s+id\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+)""", re.IGNORECASE)
# Any tag or comment; answers are Markdown output, so ">" never occurs inside attributes.
TAG_RE = re.compile(r"<[^>]*>")
# Where a block of text ends: plain-text exports start a new line there.
BLOCK_END_RE = re.compile(
    r"</(?:p|li|h[1-6]|blockquote|pre|div|tr|dt|dd|figcaption)\s*>|<br\s*/?>", re.IGNORECASE
)
# The footnotes of the extra extension close the body; they belong to no single answer.
FOOTNOTES = '<div class="footnote">'
# Markdown source: an ATX level-2 heading, and the fences of code blocks (never headings).
SOURCE_H2_RE = re.compile(r"^ {0,3}##(?!#)")
SOURCE_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


@dataclass(frozen=True)
class Section:
    """One question and its answer as they came out of Markdown."""

    attrs: str  # the heading's attributes, id excepted
    inner: str  # the heading's content (HTML)
    body: str  # the answer: everything up to the next level-2 heading

    @property
    def heading(self) -> str:
        """The heading as plain text."""
        return plain_text(self.inner)


@dataclass(frozen=True)
class Sections:
    """An interview body: introduction, sections, and what follows them (footnotes)."""

    intro: str
    sections: tuple[Section, ...]
    tail: str = ""


@dataclass(frozen=True)
class Heading:
    """How one section's heading is written back."""

    id: str
    inner: str  # HTML
    link: str = ""  # URL of the page with every answer to this question, if any


def split_sections(html: str) -> Sections:
    """Cut a rendered body at its level-2 headings."""
    cut = html.rfind(FOOTNOTES)
    body, tail = (html[:cut], html[cut:]) if cut >= 0 else (html, "")
    found = list(H2_RE.finditer(body))
    if not found:
        return Sections(body, (), tail)
    sections = []
    for current, following in zip(found, [*found[1:], None], strict=True):
        end = following.start() if following else len(body)
        attrs = ID_ATTR_RE.sub("", current.group("attrs") or "")
        sections.append(Section(attrs, current.group("inner"), body[current.end() : end]))
    return Sections(body[: found[0].start()], tuple(sections), tail)


def render_sections(sections: Sections, headings: Sequence[Heading]) -> str:
    """The body again, each heading with its anchor and, for questions, the link to all answers."""
    parts = [sections.intro]
    for section, heading in zip(sections.sections, headings, strict=True):
        parts.append(f'<h2 id="{heading.id}"{section.attrs}>{heading.inner}</h2>')
        if heading.link:
            parts.append(
                '\n<p class="interview-all-answers" data-pagefind-ignore>'
                f'<a href="{escape(heading.link)}"'
                f' aria-describedby="{heading.id}">{ALL_ANSWERS_LINK}</a></p>'
            )
        parts.append(section.body)
    parts.append(sections.tail)
    return "".join(parts)


def plain_text(html: str) -> str:
    """Readable text of an HTML fragment: one line per block, no markup, entities decoded."""
    text = unescape(TAG_RE.sub("", BLOCK_END_RE.sub("\n", html)))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def without_ids(html: str) -> str:
    """A fragment without id attributes, to be shown beside others on one page."""
    return TAG_RE.sub(lambda tag: ID_ATTR_RE.sub("", tag.group()), html)


def unique_slugs(
    texts: Sequence[str], slugify: Callable[[str], str], taken: Iterable[str] = ()
) -> list[str]:
    """One anchor per heading: its slug, numbered when it repeats or is taken, never empty."""
    seen = set(taken)
    slugs = []
    for number, text in enumerate(texts, start=1):
        base = slugify(text) or f"question-{number}"
        slug, count = base, 1
        while slug in seen:
            count += 1
            slug = f"{base}-{count}"
        seen.add(slug)
        slugs.append(slug)
    return slugs


def heading_lines(source: str) -> list[int]:
    """Line numbers (1-based) of the ``## `` headings of a Markdown source, in order."""
    lines = []
    fence = ""
    for number, line in enumerate(source.splitlines(), start=1):
        opening = SOURCE_FENCE_RE.match(line)
        if fence:
            mark = opening.group(1) if opening else ""
            if mark[:1] == fence[:1] and len(mark) >= len(fence):
                fence = ""
        elif opening:
            fence = opening.group(1)
        elif SOURCE_H2_RE.match(line):
            lines.append(number)
    return lines
