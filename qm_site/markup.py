"""Markdown to safe HTML: Python-Markdown for tables and lists, then nh3 to sanitise."""

from __future__ import annotations

import re
from dataclasses import dataclass

import markdown
import nh3

_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "s", "sub", "sup", "code", "pre", "blockquote",
    "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tr", "th", "td", "caption",
    "h3", "h4", "h5", "h6", "hr", "a", "abbr", "span",
}
_ATTRS = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"colspan", "rowspan", "scope"}, "td": {"colspan", "rowspan"},
          "ol": {"start"}}
_HEADING = re.compile(r"^##[ \t]+(.+?)[ \t#]*$", re.M)


@dataclass(frozen=True)
class Section:
    """A numbered section of a notice: its heading and sanitised HTML body."""

    title: str
    html: str


@dataclass(frozen=True)
class Document:
    """A Markdown file split at `## ` headings: text before the first heading, then sections."""

    intro_html: str
    sections: tuple[Section, ...]
    text: str  # the source, for character sets and search


class Renderer:
    """Renders Markdown to sanitised HTML; one instance reused for speed."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")

    def html(self, text: str) -> str:
        """Markdown text to sanitised HTML (block level)."""
        self._md.reset()
        raw = self._md.convert(text)
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
        sections = tuple(Section(title.strip(), self.html(body)) for title, body in zip(rest[::2], rest[1::2]))
        return Document(self.html(intro) if intro.strip() else "", sections, text)
