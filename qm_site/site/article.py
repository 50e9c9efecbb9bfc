"""The notice as a WeChat Official Account (公众号) article: HTML its editor keeps when pasted (pure, no I/O).

What the 公众号 editor (mp.weixin.qq.com) keeps of pasted HTML, as those who build "copy to 公众号" tools report it:
inline `style` attributes only (no <style>, no stylesheet, no class or id that CSS could use), the common tags
(section, p, span, strong, em, h1–h3, ul/ol/li, blockquote, table/tr/th/td, br, img), no scripts or forms. It
unwraps HTML5 wrappers (article, header, main, …) and drops their styles, so the wrapper is a <section>; a <tr>'s
background is lost, so cells carry their own styles; external links are stripped, so a link is written out as text.
The article is drawn from the validated campaign, then sanitised with nh3 to exactly that set as a second guard.
"""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser

import nh3
from markupsafe import Markup

from ..i18n import gettext_for
from ..source.model import spaced
from .pages import CampaignView, ScheduleView
from .render import fmt_date, fmt_range

# The tags and attributes the 公众号 editor keeps; nothing else reaches the clipboard.
TAGS = frozenset({"section", "p", "span", "strong", "em", "br", "h1", "h2", "h3", "ul", "ol", "li", "blockquote",
                  "table", "thead", "tbody", "tr", "th", "td", "img"})
ATTRIBUTES = {"*": {"style"}, "img": {"src", "alt"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}, "ol": {"start"}}
# The CSS properties used here, all of which the editor keeps (no position, float, transform or class-based CSS).
STYLE_PROPERTIES = frozenset({"color", "background-color", "font-size", "font-weight", "line-height", "letter-spacing",
                              "text-align", "margin", "margin-top", "margin-bottom", "padding", "padding-left", "border",
                              "border-bottom", "border-left", "border-collapse", "width", "vertical-align"})

_ADDRESSES = ("http://", "https://", "mailto:", "tel:")  # links whose address is worth writing out
RED = "#b3141b"  # the site's theme colour (base.html's theme-color)
STYLE = {
    "root": "font-size:16px;line-height:1.75;color:#1a1a1a;letter-spacing:0.5px",
    "h1": f"font-size:22px;font-weight:bold;line-height:1.4;text-align:center;color:{RED};margin:0 0 16px",
    "h2": f"font-size:18px;font-weight:bold;line-height:1.5;color:{RED};margin:24px 0 8px;"
          f"padding-left:8px;border-left:4px solid {RED}",
    "h3": "font-size:16px;font-weight:bold;margin:16px 0 8px",
    "p": "margin:0 0 12px",
    "fact": "margin:0 0 4px;color:#555555",
    "theme": f"font-size:18px;font-weight:bold;text-align:center;color:{RED};margin:8px 0 16px",
    "list": "margin:0 0 12px;padding-left:24px",
    "li": "margin:0 0 4px",
    "blockquote": "margin:0 0 12px;padding-left:12px;border-left:3px solid #cccccc;color:#555555",
    "table": "width:100%;border-collapse:collapse;margin:0 0 12px;font-size:16px",
    "th": "border:1px solid #999999;padding:4px 6px;background-color:#f6e7e8;font-weight:bold;text-align:center",
    "td": "border:1px solid #999999;padding:4px 6px;vertical-align:top",
    "caption": "font-weight:bold;text-align:center;margin:16px 0 8px",
    "note": "margin:0 0 12px;color:#555555",
    "sign": "margin:0;text-align:right",
    "strong": "font-weight:bold",
    "plain": "",
}


def _tag(name: str, style: str, body: str, attrs: str = "") -> str:
    """One element with its inline style; `body` is HTML already."""
    css = STYLE[style]
    return f'<{name}{attrs}{f" style={chr(34)}{css}{chr(34)}" if css else ""}>{body}</{name}>'


def _p(text: str, style: str = "p") -> str:
    """A paragraph of plain text."""
    return _tag("p", style, escape(text, quote=False))


def _label(_, label: str, value: str, style: str = "p") -> str:
    """`名称：value` as a paragraph, the (translated) label bold."""
    return _tag("p", style,
                _tag("strong", "strong", escape(_("%(label)s: ") % {"label": label}, quote=False)) + escape(value, quote=False))


class _Restyle(HTMLParser):
    """Sanitised notice HTML (markup.Renderer's) redrawn with inline styles and the editor's tags; links become text."""

    RENAME = {"b": "strong", "i": "em", "dl": "section", "dd": "p", "h4": "p", "h5": "p", "h6": "p", "pre": "p"}
    STYLED = {"p": "p", "h3": "h3", "ul": "list", "ol": "list", "li": "li", "blockquote": "blockquote", "table": "table",
              "th": "th", "td": "td", "dt": "strong", "h4": "strong", "h5": "strong", "h6": "strong", "strong": "strong"}
    KEEP = {"th": ("colspan", "rowspan"), "td": ("colspan", "rowspan"), "ol": ("start",)}
    VOID = frozenset({"br", "hr", "img", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.stack: list[str] = []  # the output tag of each open element ("" when dropped)
        self.links: list[tuple[str, int]] = []  # an open link's URL and where its text starts in `out`

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open the element as the editor's tag with its style, or drop the tag and keep its text."""
        if tag == "a":
            self.links.append((dict(attrs).get("href") or "", len(self.out)))
            return
        if tag in self.VOID:  # no end tag follows: nothing to keep open (a notice's images are not carried over)
            self.out.append("<br>" if tag == "br" else "")
            return
        name = "strong" if tag == "dt" else self.RENAME.get(tag, tag)
        if name not in TAGS:
            self.stack.append("")
            return
        kept = "".join(f' {k}="{escape(v or "")}"' for k, v in attrs if k in self.KEEP.get(tag, ()))
        css = STYLE[self.STYLED.get(tag, "plain")]
        self.out.append(f'<{name}{kept}{f" style={chr(34)}{css}{chr(34)}" if css else ""}>')
        self.stack.append(name)

    def handle_endtag(self, tag: str) -> None:
        """Close what handle_starttag opened; a link's URL follows its text unless the text is the URL."""
        if tag == "a":
            if self.links:
                href, start = self.links.pop()
                text = "".join(self.out[start:])
                # Only an address a reader can use elsewhere: a link within the site's page means nothing in the article.
                shown = href.removeprefix("mailto:").removeprefix("tel:") if href.startswith(_ADDRESSES) else ""
                if shown and escape(shown, quote=False) not in text:
                    self.out.append(escape(f"（{shown}）", quote=False))
            return
        if tag in self.VOID or not self.stack:
            return
        name = self.stack.pop()
        if name:
            self.out.append(f"</{name}>")

    def handle_data(self, data: str) -> None:
        """Text, escaped."""
        self.out.append(escape(data, quote=False))


def restyle(html: str) -> str:
    """Sanitised HTML with the article's inline styles and tags; links written as text."""
    parser = _Restyle()
    parser.feed(html)
    parser.close()
    return "".join(parser.out)


def schedule_table(sv: ScheduleView, lang: str) -> str:
    """A schedule as a table: 序号, 活动名称, 时间 (and 地点), 主要内容, with its caption above and its note below."""
    s, _ = sv.schedule, gettext_for(lang)
    place = s.place_heading if lang == "zh_CN" else _("Place")  # the headings as the notice words them, as time_label does
    heads = [_("No."), _("Activity"), sv.time_label, *(() if s.merge_time_place else (place,)), _("Details")]
    rows = []
    for r in sv.rows:
        a = r.row
        time = " ".join(x for x in (a.time, a.place if s.merge_time_place else None) if x)
        details = a.details if isinstance(a.details, list) else [a.details] if a.details else []
        cells = [str(a.no) if a.no is not None else "", a.name, time, *(() if s.merge_time_place else (a.place or "",))]
        rows.append("<tr>" + "".join(_tag("td", "td", escape(c, quote=False)) for c in cells)
                    + _tag("td", "td", "<br>".join(escape(d, quote=False) for d in details)) + "</tr>")
    table = _tag("table", "table",
                 "<thead><tr>" + "".join(_tag("th", "th", escape(h, quote=False)) for h in heads) + "</tr></thead>"
                 + "<tbody>" + "".join(rows) + "</tbody>")
    return _p(s.caption, "caption") + table + (_p(s.note, "note") if s.note else "")


def slogan_list(items) -> str:
    """Slogans numbered as the notice numbers them (1．…), one a paragraph: numbers survive any list styling."""
    return "".join(_p(f"{s.n}．{s.text}") for s in items)


def contact_block(ct, issuer: str, _) -> str:
    """One contact: organisation, people, phones, fax, e-mail, address, postcode, website, WeChat account."""
    lines = [_tag("p", "p", _tag("strong", "strong", escape(ct.organization or issuer, quote=False)))]
    for label, value in ((_("Contact person"), "、".join(ct.people)), (_("Phone"), "、".join(ct.phones)),
                         (_("Fax"), "、".join(ct.fax)),
                         (_("E-mail"), "、".join(ct.emails)), (_("Address"), ct.address), (_("Postcode"), ct.postcode),
                         (_("Website"), ct.website), (_("WeChat official account"), "、".join(ct.wechat))):
        if value:  # a website is written out: the editor strips links to other sites
            lines.append(_label(_, label, value, "fact"))
    return _tag("section", "p", "".join(lines))


def article_html(v: CampaignView) -> Markup:
    """The campaign's notice as a 公众号 article: title, facts, theme, body, contacts, attachments, schedules, slogans."""
    c, _ = v.c, gettext_for(v.lang)
    parts = [_tag("h1", "h1", escape(c.title, quote=False))]
    parts.append(_label(_, _("Issued by"), "、".join([c.issuer, *c.co_issuers]), "fact"))
    if c.doc_number:
        parts.append(_label(_, _("Document number"), c.doc_number, "fact"))
    if c.issue_date:
        parts.append(_label(_, _("Issue date"), fmt_date(c.issue_date, v.lang), "fact"))
    # As the campaign page states it: the notice's period, else the Quality Month itself (September).
    parts.append(_label(_, _("Campaign period"), fmt_range(*v.period, v.lang), "fact"))
    if c.theme:  # the theme again under the title, where a reader of the article looks first
        parts.append(_p(spaced(c.theme), "theme"))
    if c.recipients and c.recipients_position == "top":
        parts.append(_p((c.recipients_printed or "，".join(c.recipients)) + "："))
    parts.append(restyle(str(v.intro)))
    for number, title, html in v.sections:
        parts.append(_tag("h2", "h2", escape(number + Markup(title).striptags(), quote=False)) + restyle(str(html)))
    if c.contacts:
        parts.append(_tag("h2", "h2", escape(_("Contacts"), quote=False)))
        parts.extend(contact_block(ct, c.issuer, _) for ct in c.contacts)
    if v.attachments:
        numbered = len(v.attachments) > 1
        titles = [(f"{a.number}．" if numbered else "") + Markup(a.title).striptags() for a in v.attachments]
        parts.append(_tag("p", "p", _tag("strong", "strong", escape(_("%(label)s: ") % {"label": _("Attachments")}, quote=False))
                          + "<br>".join(escape(t, quote=False) for t in titles)))
    parts.append("".join(_p(name, "sign") for name in [c.issuer, *c.co_issuers]))
    if c.issue_date:
        parts.append(_p(fmt_date(c.issue_date, v.lang), "sign"))
    parts.append(_attachments_and_tables(v, _))
    return Markup(clean(_tag("section", "root", "".join(parts))))


def _attachments_and_tables(v: CampaignView, _) -> str:
    """Each attachment's contents, then every schedule and slogan group no attachment holds."""
    schedules = {sv.schedule.id: sv for sv in v.schedules}
    groups = dict(zip((g.id for g in v.c.slogans), v.slogan_groups))
    shown: set[str] = set()
    parts = []
    for a in v.attachments:
        label = _("Attachment %(num)d") % {"num": a.number} if a.numbered else _("Attachment")
        parts.append(_tag("h2", "h2", escape(f"{label}　{Markup(a.title).striptags()}", quote=False)))
        if a.schedule in schedules:
            parts.append(schedule_table(schedules[a.schedule], v.lang))
            shown.add("s:" + a.schedule)
        for gid in a.slogans:
            if gid in groups:
                parts.append(_p(Markup(groups[gid][0]).striptags(), "caption") + slogan_list(groups[gid][1]))
                shown.add("g:" + gid)
        if a.html:
            parts.append(restyle(str(a.html)))
    rest = [sv for sid, sv in schedules.items() if "s:" + sid not in shown]
    if rest:
        parts.append(_tag("h2", "h2", escape(_("Schedule"), quote=False)) + "".join(schedule_table(sv, v.lang) for sv in rest))
    left = [g for gid, g in groups.items() if "g:" + gid not in shown]
    if left:
        parts.append(_tag("h2", "h2", escape(_("Slogans"), quote=False))
                     + "".join(_p(Markup(title).striptags(), "caption") + slogan_list(items) for title, items in left))
    return "".join(parts)


def clean(html: str) -> str:
    """The second guard: nh3 keeps only the editor's tags, attributes and CSS properties, and no link."""
    return nh3.clean(html, tags=set(TAGS), attributes={k: set(v) for k, v in ATTRIBUTES.items()},
                     filter_style_properties=set(STYLE_PROPERTIES), url_schemes={"https"}, link_rel=None)
