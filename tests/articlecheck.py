"""What a 公众号 article must be, checked the same way on the pure function's output and on what Chromium copied.

The accepted set is written out here, not imported from qm_site.site.article: the tests hold the code to it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# What the 公众号 editor (mp.weixin.qq.com) keeps of pasted HTML.
ACCEPTED_TAGS = {"section", "p", "span", "strong", "em", "br", "h1", "h2", "h3", "ul", "ol", "li", "blockquote",
                 "table", "thead", "tbody", "tr", "th", "td", "img"}
ACCEPTED_ATTRIBUTES = {"style"}
CELL_ATTRIBUTES = {"td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}, "ol": {"start"}, "img": {"src", "alt"}}
ACCEPTED_CSS = {"color", "background-color", "font-size", "font-weight", "line-height", "letter-spacing", "text-align",
                "margin", "margin-top", "margin-bottom", "padding", "padding-left", "border", "border-bottom", "border-left",
                "border-collapse", "width", "vertical-align"}


class Scan(HTMLParser):
    """Every tag, attribute and CSS property of an HTML fragment, and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag not in ACCEPTED_TAGS:
            self.problems.append(f"tag <{tag}>")
        for name, value in attrs:
            if name not in ACCEPTED_ATTRIBUTES | CELL_ATTRIBUTES.get(tag, set()):
                self.problems.append(f"attribute {name}= on <{tag}>")
            if name == "style":
                for decl in filter(None, (d.strip() for d in (value or "").split(";"))):
                    prop = decl.split(":", 1)[0].strip().lower()
                    if prop not in ACCEPTED_CSS:
                        self.problems.append(f"CSS {prop} on <{tag}>")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def scan(html: str) -> Scan:
    """The fragment's tags, problems and text."""
    s = Scan()
    s.feed(html)
    s.close()
    return s


def squeeze(text: str) -> str:
    """Text without white space: facts compare whatever the line breaks and spaces (8 月 23 日, slogan halves)."""
    return re.sub(r"\s+", "", text)


def campaign_facts(c, period: str) -> list[str]:
    """Every fact of a campaign an article must hold: title, 文号, issuers, dates, theme, recipients, schedule rows,
    slogans, contacts, attachments."""
    facts = [c.title, c.issuer, *c.co_issuers, period]
    facts += [x for x in (c.doc_number, c.theme) if x]
    if c.issue_date:
        facts.append(f"{c.issue_date.year}年{c.issue_date.month}月{c.issue_date.day}日")
    if c.recipients_position == "top":
        facts += c.recipients
    for s in c.schedules:
        facts.append(s.caption)
        for r in s.rows:
            facts += [x for x in (r.name, r.time, r.place) if x]
            facts += r.details if isinstance(r.details, list) else [r.details] if r.details else []
    for g in c.slogans:
        facts.append(g.title)
        facts += [i if isinstance(i, str) else i.text for i in g.items]
    for ct in c.contacts:
        facts += [x for x in (ct.organization, ct.address, ct.postcode, ct.website) if x]
        facts += [*ct.people, *ct.phones, *ct.fax, *ct.emails, *ct.wechat]
    facts += [a.title for a in c.attachments]
    return facts


def missing_facts(facts: list[str], text: str) -> list[str]:
    """The facts not found in the text (white space aside)."""
    flat = squeeze(text)
    return [f for f in facts if squeeze(f) not in flat]
