"""Markdown to safe HTML: markdown-it-py (CommonMark with tables), then nh3 to sanitise."""

from __future__ import annotations

import re
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt

_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "s", "sub", "sup", "code", "pre", "blockquote",
    "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tr", "th", "td", "caption",
    "h3", "h4", "h5", "h6", "hr", "a", "abbr", "span",
}
_ATTRS = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"colspan", "rowspan", "scope"}, "td": {"colspan", "rowspan"},
          "ol": {"start"}}
_HEADING = re.compile(r"^##[ \t]+(.+?)[ \t#]*$", re.M)
# A section number typed by hand in front of a heading (一、 （一） 1. 1．): the site numbers sections itself.
TYPED_NUMBER = re.compile(r"^(?:([一二三四五六七八九十]+)[、.．]|[（(]([一二三四五六七八九十]+)[)）]|(\d+)[.．、])\s*")


_CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 21 -> 二十一 (numbers up to 99, as in notice headings)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


@dataclass(frozen=True, slots=True)
class Section:
    """A numbered section of a notice: its heading and sanitised HTML body."""

    title: str
    html: str
    typed: str = ""  # the number typed by hand before the title, removed from it (一、)
    line: int = 0  # the heading's line in the Markdown file


@dataclass(frozen=True, slots=True)
class Document:
    """A Markdown file split at `## ` headings: text before the first heading, then sections."""

    intro_html: str
    sections: tuple[Section, ...]
    text: str  # the source, for character sets and search


class _Markdown(MarkdownIt):
    """markdown-it-py making every link a link, javascript: too: nh3 removes the URLs it may not keep.

    markdown-it's own check (validateLink, overridable by design) would leave "[text](javascript:…)" on the page
    as typed; sanitised, the reader sees the bare link text, as with every other unsafe URL.
    """

    def validateLink(self, url: str) -> bool:  # noqa: N802 - markdown-it's name
        """Accept every URL here; nh3 decides."""
        return True


class Renderer:
    """Renders Markdown to sanitised HTML; one instance reused for speed."""

    def __init__(self) -> None:
        # CommonMark with GitHub's tables: as Python-Markdown with its tables and sane_lists extensions did on every
        # notice, at half the cost. Raw HTML is parsed as such, so that nh3 (not the parser) decides what stays.
        self._md = _Markdown("commonmark", {"html": True}).enable("table")

    def html(self, text: str) -> str:
        """Markdown text to sanitised HTML (block level)."""
        raw = self._md.render(text).rstrip("\n")  # no newline after the last block, as Python-Markdown
        # Headings inside a section start at h3: the page owns h1 and the section h2.
        raw = re.sub(r"<(/?)h[12]>", r"<\1h3>", raw)
        return nh3.clean(raw, tags=_TAGS, attributes=_ATTRS, url_schemes={"http", "https", "mailto", "tel"},
                         link_rel="noopener noreferrer")

    def inline(self, text: str) -> str:
        """Markdown for a single paragraph, without the surrounding <p>."""
        out = self.html(text)
        if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
            out = out[3:-4]
        return out

    def document(self, text: str) -> Document:
        """Split a Markdown file into intro and `## ` sections, each rendered."""
        parts = _HEADING.split(text)
        intro, rest = parts[0], parts[1:]
        lines = [text.count("\n", 0, m.start()) + 1 for m in _HEADING.finditer(text)]
        sections = tuple(_section(title.strip(), self.html(body), line) for title, body, line in zip(rest[::2], rest[1::2], lines))
        return Document(self.html(intro) if intro.strip() else "", sections, text)


def _section(title: str, html: str, line: int) -> Section:
    """A section whose hand-typed number, if any, is taken off its title (so 三、 is not printed as 三、三、)."""
    m = TYPED_NUMBER.match(title)
    if m and title[m.end():].strip():
        return Section(title[m.end():].strip(), html, m.group(0).strip(), line)
    return Section(title, html, "", line)
