"""The site map: which pages exist, their URLs and their template context (pure, no I/O).

URLs are directory-style (`2022/national/schedule/`), relative to a language root:
Chinese at `/`, English at `/en/`. Each page's context is explicit and documented in
templates/README.md; templates compute links from `root` (this language's root,
relative to the page) and `site_root` (the site's root, for shared assets).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from ..i18n import gettext_for
from ..printing.posters import style as poster_style
from ..source.content import Content, Entry, leading_sections
from ..source.markup import cn_number
from ..source.model import Activity, Campaign, Period, Schedule, Site, spaced, theme_first
from ..source.when import activity_mode, activity_when
from ..urls import ARTICLE_URL, GONGWEN_URL, LANG_PREFIX, campaign_url, poster_sheet_url
from .calendar_export import activity_anchor
from .departments import english_name
from .render import phrase_html

CAMPAIGN_PAGES = ("notice", "schedule", "slogans", "contacts", "attachments", "posters")


@dataclass(frozen=True, slots=True)  # a build holds 23 per campaign (115,000 at N = 5000): no __dict__ each
class Page:
    """One HTML page to render: where it goes, with which template and context."""

    url: str  # path from the site root, '' for the home page, always ending in '/' or '.html'
    template: str
    lang: str
    title: str
    description: str
    context: dict[str, Any] = field(compare=False)
    campaign: str | None = None  # entry id the page belongs to, for incremental rebuilds
    in_sitemap: bool = True
    # For pages that list campaigns: everything of the context the template shows, as plain values, so the
    # dev server can skip re-rendering the page when an edit left it unchanged. None: always render.
    key: tuple | None = field(default=None, compare=False)

    @property
    def out(self) -> str:
        """The file the page is written to, relative to the output folder."""
        return page_file(self.url)

    def ref(self) -> PageRef:
        """What is known of the page where it was not rendered."""
        return PageRef(self.url, self.template, self.lang, self.in_sitemap)


@dataclass(frozen=True, slots=True)
class PageRef:
    """What the sitemap, the search index and the build's report need of a page a worker rendered."""

    url: str
    template: str
    lang: str
    in_sitemap: bool

    @property
    def out(self) -> str:
        """The file the page is written to, relative to the output folder."""
        return page_file(self.url)


def page_file(url: str) -> str:
    """The file a page URL is written to, relative to the output folder."""
    return url + "index.html" if url == "" or url.endswith("/") else url


def depth_prefix(url: str) -> str:
    """The relative path from a page URL back to the site root: '2022/x/' -> '../../'."""
    return "../" * url.count("/")


class Picker:
    """Chooses the English field on English pages, falling back to Chinese marked lang="zh-CN"."""

    def __init__(self, lang: str):
        self.lang = lang

    def text(self, zh: str | None, en: str | None = None) -> str:
        """Plain text in the page language (for titles and attributes)."""
        return (en or zh or "") if self.lang == "en" else (zh or "")

    def html(self, zh: str | None, en: str | None = None) -> Markup:
        """Escaped text; a Chinese fallback on an English page is wrapped in <span lang="zh-CN">."""
        if self.lang == "en" and not en and zh:
            return Markup('<span lang="zh-CN">%s</span>') % zh
        return escape(self.text(zh, en))

    def org(self, zh: str | None) -> Markup:
        """A department or association: its official English name on English pages (departments.ENGLISH), else the Chinese."""
        return self.html(zh, english_name(zh) if zh and self.lang == "en" else None)


# --- views: campaign data shaped for templates ------------------------------------------


@dataclass(frozen=True, slots=True)
class SloganView:
    """A slogan with its number within the campaign (the theme is number 0)."""

    n: int
    text: str
    en: str | None
    html: Markup

    @property
    def anchor(self) -> str:
        """Fragment id on the slogans and posters pages."""
        return "theme" if self.n == 0 else f"s{self.n}"


@dataclass(frozen=True, slots=True)
class RowView:
    """A schedule row with its parsed dates and mode."""

    row: Activity
    anchor: str
    start: dt.date | None
    end: dt.date | None
    mode: str
    months: tuple[int, ...]
    ics: str | None  # file name of the activity's calendar, relative to the campaign folder


@dataclass(frozen=True)
class ScheduleView:
    """A schedule table with its rows."""

    schedule: Schedule
    caption: Markup
    rows: tuple[RowView, ...]
    time_label: str  # the time column's heading, which names the place too when the column holds both


def _months(start: dt.date | None, end: dt.date | None) -> tuple[int, ...]:
    if not start or not end:
        return ()
    months, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        months.append(m)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return tuple(months)


def schedule_view(s: Schedule, c: Campaign, pick: Picker) -> ScheduleView:
    """Shape one schedule for the template: anchors, parsed dates, modes, calendar files."""
    rows = []
    for i, row in enumerate(s.rows):
        w = activity_when(row, c.year)
        anchor = activity_anchor(s, i)
        rows.append(RowView(row, anchor, w.start if w else None, w.end if w else None, activity_mode(row),
                            _months(w.start if w else None, w.end if w else None), f"{anchor}.ics" if w else None))
    return ScheduleView(s, pick.html(s.caption, s.caption_en), tuple(rows), time_label(s, pick.lang))


def time_label(s: Schedule, lang: str) -> str:
    """The time column's heading: as the notice words it, naming the place when the column holds it (时间 -> 时间、地点)."""
    if lang != "zh_CN":
        _ = gettext_for(lang)
        return _("Time and place") if s.merge_time_place else _("Time")
    if s.merge_time_place and "地" not in s.time_heading:
        return f"{s.time_heading}、{s.place_heading}"
    return s.time_heading


@dataclass(frozen=True)
class CampaignView:
    """Everything templates show of one campaign, in one language.

    The notice, schedules and attachments are shaped on first use: the site-wide pages (home, library,
    feeds) need only titles and slogans, so the parent process leaves the rest to the render workers.
    """

    entry: Entry
    c: Campaign
    lang: str
    url: str  # relative to the language root
    title: Markup
    title_text: str
    theme: Markup | None
    issuer: str
    period: tuple[dt.date, dt.date]
    slogan_groups: tuple[tuple[Markup, tuple[SloganView, ...]], ...]
    theme_slogan: SloganView | None
    body_fallback: bool  # True when an English page shows the Chinese notice body
    markdown_inline: Any = field(repr=False, compare=False)  # renders the guiding ideology

    @cached_property  # read thousands of times a refresh: a cached value is a plain attribute after the first
    def id(self) -> str:
        """The campaign id, <year>-<slug>."""
        return self.entry.id

    @cached_property
    def _body(self):
        """The notice document in the page language (English falls back to Chinese), or None."""
        c = self.c
        if self.lang == "en" and c.body_en:
            return self.entry.docs.get(c.body_en)
        return self.entry.docs.get(c.body) if c.body else None

    @cached_property
    def intro(self) -> Markup:
        """The notice text before its first section."""
        return zh_fallback(Markup(self._body.intro_html), self.body_fallback) if self._body else Markup("")

    @cached_property
    def sections(self) -> tuple[tuple[str, str, Markup], ...]:
        """The notice's numbered sections: (number, title, html); the guiding ideology and theme come first."""
        c, lang, _ = self.c, self.lang, gettext_for(self.lang)
        sections: list[tuple[str, Markup]] = []
        for name in leading_sections(c):  # numbered as content.first_section says, which check's warnings quote
            if name == "guiding_ideology":  # there is no English field for it, so English pages always show the Chinese
                ideology = Markup(self.markdown_inline(c.guiding_ideology))
                sections.append((_("Guiding ideology"), zh_fallback(ideology, lang == "en", "span")))
            else:
                theme = phrase_html(Picker(lang).html(c.theme, c.theme_en), spaced=True)  # 增强质量韧性, never 增强质 / 量韧性
                sections.append((_("Theme"), Markup("<p class=\"theme-text\">%s</p>") % theme))
        for s in self._body.sections if self._body else ():
            sections.append((zh_fallback(escape(s.title), self.body_fallback, "span"),
                             zh_fallback(Markup(s.html), self.body_fallback)))
        return tuple((cn_or_arabic(i + 1, lang), title, html) for i, (title, html) in enumerate(sections))

    @property
    def summary_en(self) -> Markup:
        """One English line on a page whose Chinese text has no translation: the English title and theme, or what the notice is."""
        c, _ = self.c, gettext_for("en")
        line = (escape(c.title_en.rstrip(".")) + Markup(".") if c.title_en else
                Markup(_("A notice of %(issuer)s on the %(year)s Quality Month."))
                % {"issuer": Picker("en").org(c.issuer_label or c.issuer), "year": c.year})
        return line + Markup(" ") + _("Theme: %(theme)s.") % {"theme": c.theme_en} if c.theme_en else line

    @cached_property
    def schedules(self) -> tuple[ScheduleView, ...]:
        """Every schedule table, shaped for the template."""
        return tuple(schedule_view(s, self.c, Picker(self.lang)) for s in self.c.schedules)

    @cached_property
    def attachments(self) -> tuple[AttachmentView, ...]:
        """Every attachment, shaped for the template."""
        return tuple(_attachment(a, i, self.entry, Picker(self.lang), self.lang) for i, a in enumerate(self.c.attachments))

    @property
    def months(self) -> list[int]:
        """The months (1-12) some activity touches, for the schedule filter."""
        return sorted({m for sv in self.schedules for r in sv.rows for m in r.months})

    @cached_property  # templates ask for these on every page (the campaign menu, has_page)
    def slogans(self) -> tuple[SloganView, ...]:
        """All slogans in order, across groups."""
        return tuple(s for _, group in self.slogan_groups for s in group)

    @cached_property  # the campaign bar asks for each sub-page on every page of the campaign
    def subpages(self) -> frozenset[str]:
        """The sub-pages the campaign has (has_page), for `key in campaign.subpages` in templates."""
        return frozenset(key for key in CAMPAIGN_PAGES if has_page(self, key))

    @cached_property  # views are kept per campaign version by the dev server, and with them these two keys
    def card_key(self) -> tuple:
        """What the campaign's entry on the home page shows (see home.html)."""
        return self.id, self.url, self.c.year, str(self.title), self.issuer, self.c.doc_number, str(self.theme or ""), self.period

    @cached_property
    def feed_entry(self) -> tuple:
        """What the campaign's entry in the Atom feed shows (feeds.entry_key)."""
        from .feeds import entry_key  # feeds builds on this module

        return entry_key(self, self.lang)

    @cached_property
    def library_source(self) -> tuple:
        """All that the slogan library takes from the campaign: (year, id, URL, issuer, ((text, html, anchor), ...))."""
        return self.c.year, self.id, self.url, self.issuer, tuple((s.text, s.html, s.anchor) for s in self.library_entries)

    @cached_property
    def library_entries(self) -> tuple[SloganView, ...]:
        """What the slogan library takes from this campaign: each poster's slogan once (a theme may recur as a slogan)."""
        seen: dict[str, SloganView] = {}
        for s in self.posters:
            seen.setdefault(s.text, s)
        return tuple(seen.values())

    @cached_property
    def posters(self) -> tuple[SloganView, ...]:
        """What gets a poster: the theme first, then every slogan not printed already (as posters.poster_texts)."""
        return tuple(theme_first(self.theme_slogan, self.slogans, lambda s: s.text))

    @cached_property
    def _poster_anchors(self) -> dict[str, str]:
        """A poster's words (model.spaced) -> the fragment of the poster that prints it."""
        return {spaced(p.text): p.anchor for p in self.posters}

    def poster_anchor(self, s: SloganView) -> str:
        """The fragment of the poster that prints slogan `s` (the theme's, when the slogan repeats it)."""
        return self._poster_anchors.get(spaced(s.text), s.anchor)


def default_period(c: Campaign) -> tuple[dt.date, dt.date]:
    """The campaign period: as written, else the Quality Month itself (September)."""
    if isinstance(c.period, Period):  # validation read a text period into a Period
        return (c.period.start, c.period.end)
    return (dt.date(c.year, 9, 1), dt.date(c.year, 9, 30))


def campaign_view(e: Entry, lang: str, markdown_inline) -> CampaignView:
    """Build the view of one campaign; `markdown_inline` renders the guiding ideology."""
    c, pick = e.campaign, Picker(lang)
    n = 0
    groups = []
    for g in c.slogans:
        items = []
        for item in g.items:
            n += 1
            text, en = (item, None) if isinstance(item, str) else (item.text, item.en)
            items.append(SloganView(n, spaced(text), en, pick.html(spaced(text), en)))
        groups.append((pick.html(g.title, g.title_en), tuple(items)))
    theme = SloganView(0, spaced(c.theme), c.theme_en, pick.html(spaced(c.theme), c.theme_en)) if c.theme else None
    return CampaignView(
        entry=e, c=c, lang=lang, url=campaign_url(e), title=pick.html(c.title, c.title_en),
        title_text=pick.text(c.title, c.title_en),
        theme=pick.html(c.theme, c.theme_en) if c.theme else None, issuer=c.issuer_label or c.issuer,
        period=default_period(c), slogan_groups=tuple(groups), theme_slogan=theme,
        body_fallback=lang == "en" and bool(c.body) and not c.body_en, markdown_inline=markdown_inline,
    )


def zh_fallback(html: Markup, fallback: bool, tag: str = "div") -> Markup:
    """Chinese shown on an English page for want of a translation, wrapped in an element marked lang="zh-CN"."""
    if not fallback or not html:
        return html
    if tag == "div":  # a block: marked for the eye too (site.css), after the note that says why it is Chinese
        return Markup('<div class="zh-block" lang="zh-CN">%s</div>') % html
    return Markup('<%s lang="zh-CN">%s</%s>') % (Markup(tag), html, Markup(tag))


def cn_or_arabic(n: int, lang: str) -> str:
    """Section numbers: 一、二、 in Chinese, 1. 2. in English."""
    return f"{cn_number(n)}、" if lang == "zh_CN" else f"{n}."


@dataclass(frozen=True, slots=True)  # attributes, not dict keys: Jinja's a.title tries getattr first (an exception for a dict)
class AttachmentView:
    """One attachment, shaped for the templates: its number, title, kind and what it holds."""

    number: int
    anchor: str
    title: Markup
    kind: str  # schedule, slogans or text
    contents: tuple[tuple[str, Markup], ...] = ()  # (id, title) of a text attachment's parts
    schedule: str | None = None  # the id of the schedule it repeats
    slogans: tuple[str, ...] = ()  # the ids of the slogan groups it repeats
    html: Markup | None = None  # a text attachment's body
    fallback: bool = False  # the Chinese text on an English page
    numbered: bool = True  # printed as 附件1; a notice's only attachment may be printed as 附件 alone


def _attachment(a, i: int, e: Entry, pick: Picker, lang: str) -> AttachmentView:
    """Shape one attachment: its number, title, kind and what it holds."""
    number = a.number or i + 1
    anchor = f"attachment-{number}"
    title, kind = pick.html(a.title, a.title_en), "schedule" if a.schedule else "slogans" if a.slogans else "text"
    if not a.file:
        return AttachmentView(number, anchor, title, kind, schedule=a.schedule or None, slogans=tuple(a.slogans or ()),
                              numbered=a.numbered)
    doc = e.docs[a.file]
    ids = [f"{anchor}-{k}" for k in range(1, len(doc.sections) + 1)]  # the contents list links each part
    return AttachmentView(number, anchor, title, kind, tuple((i, pick.html(s.title)) for i, s in zip(ids, doc.sections)),
                          a.schedule or None, tuple(a.slogans or ()),
                          Markup(doc.intro_html + "".join(f'<h3 id="{i}">{escape(s.title)}</h3>{s.html}'
                                                          for i, s in zip(ids, doc.sections))),
                          lang == "en", a.numbered)


# --- the site map -------------------------------------------------------------------


def site_pages(content: Content, lang: str, markdown_inline, memo=None) -> tuple[list[Page], list[tuple[Page, ...]],
                                                                                 list[CampaignView]]:
    """Every HTML page of one language: the site-wide ones, each campaign's (in the order of the views); and the views.

    `memo` (a graph.Memo kept by the dev server between builds) reuses the views and page lists of campaigns
    whose sources are unchanged, and the slogan library while what it shows of every campaign is unchanged;
    page lists follow site.yaml too, and the server clears the memo when it changes.
    """
    views = [memo_view(e, lang, markdown_inline, memo) for e in content.entries]
    return shared_pages(content.site, views, lang, memo), [memo_page_list(v, content.site, lang, memo) for v in views], views


def shared_pages(site: Site, views: list[CampaignView], lang: str, memo=None) -> list[Page]:
    """The site-wide pages of one language (home, slogan library, 404, search) from every campaign's view."""
    pick = Picker(lang)
    prefix, _ = LANG_PREFIX[lang], gettext_for(lang)
    by_year: dict[int, list[CampaignView]] = {}
    cards: dict[int, list] = {}
    for v in views:
        by_year.setdefault(v.c.year, []).append(v)
        cards.setdefault(v.c.year, []).append(v.card_key)
    featured = newest(views) if views else None
    site_title = pick.text(site.title, site.title_en)
    years = sorted(by_year.items(), reverse=True)
    home_key = (featured and featured.card_key, featured.period if featured else None,
                tuple((y, tuple(cards[y])) for y, _vs in years))
    shown = tuple(v.library_source for v in views)
    if memo is None:
        library = library_pages(views, shown, lang, prefix)
    else:  # an edit that leaves every campaign's slogans, URL and issuer as they were leaves the library as it was
        library = memo.latest(("library", lang), shown, lambda: library_pages(views, shown, lang, prefix, memo))
    shared = [
        Page(prefix, "home.html", lang, site_title, pick.text(site.description, site.description_en),
             {"featured": featured, "years": years}, key=home_key),
        *library,
        Page(prefix + "404.html", "404.html", lang, _("Page not found"), site_title, {}, in_sitemap=False, key=()),
        Page(prefix + "search/", "search.html", lang, _("Search"), _("Search every campaign's notices, slogans and activities."),
             {"search_base": urlsplit(site.base_url).path}, key=(site.base_url,)),
    ]
    return [*shared, site_map_page(shared, views, lang, prefix)]


def site_map_page(shared: list[Page], views: list[CampaignView], lang: str, prefix: str) -> Page:
    """The HTML 网站地图 the footer links: every reader page of the language, the site's own, then each campaign's."""
    _ = gettext_for(lang)
    own = tuple((p.title, p.url) for p in shared if p.in_sitemap)
    campaigns = tuple((v.c.year, v.title_text, ((_("Overview"), prefix + v.url),
                                                 *((name, f"{prefix}{v.url}{key}/") for key, name in sub_pages(v, lang))))
                      for v in views)
    groups = (own, campaigns)
    return Page(prefix + "sitemap/", "sitemap.html", lang, _("Site map"), _("Every page of the site, campaign by campaign."),
                {"own": own, "campaigns": campaigns}, key=groups)


def memo_value(memo, key: tuple, make):
    """make(), through the memo's values when there is one."""
    return make() if memo is None else memo.value(key, make)


def memo_page_list(v: CampaignView, site: Site, lang: str, memo) -> tuple[Page, ...]:
    """campaign_page_list (through the memo, by the sources' digest, when there is one)."""
    return memo_value(memo, ("pages", v.id, v.entry.digest, lang), lambda: campaign_page_list(v, site, lang))


def campaign_page_list(v: CampaignView, site: Site, lang: str) -> tuple[Page, ...]:
    """A campaign's pages and print sheets in one language.

    A tuple: the sitemap's key holds them, and an unchanged campaign's compares by identity.
    """
    prefix = LANG_PREFIX[lang]
    return tuple(campaign_pages(v, lang, prefix) + poster_sheet_pages(v, site, lang, prefix) + gongwen_pages(v, site, lang, prefix)
                 + article_pages(v, lang, prefix))


def memo_view(e: Entry, lang: str, markdown_inline, memo) -> CampaignView:
    """campaign_view (through the memo, by the sources' digest, when there is one)."""
    def make() -> CampaignView:
        return campaign_view(e, lang, markdown_inline)
    return make() if memo is None else memo.value(("view", e.id, e.digest, lang), make)


def newest(views: list[CampaignView]) -> CampaignView:
    """The campaign the site leads with (of one or more): the latest year's first campaign that has a theme."""
    return next((v for v in views if v.theme and v.c.year == views[0].c.year), views[0])


def campaign_pages(v: CampaignView, lang: str, prefix: str) -> list[Page]:
    """The pages of one campaign: home, notice, schedule, slogans, contacts, attachments."""
    base = prefix + v.url
    desc = spaced(v.c.summary or (f"{v.c.year} {v.issuer}：{v.c.theme}" if v.c.theme else f"{v.c.year} {v.issuer}：{v.c.title}"))
    ctx = {"campaign": v}
    pages = [Page(base, "campaign.html", lang, v.title_text, desc, ctx, v.id)]
    for key, name in sub_pages(v, lang):
        pages.append(Page(f"{base}{key}/", f"{key}.html", lang, f"{name} · {v.title_text}", desc, ctx, v.id))
    return pages


def sub_pages(v: CampaignView, lang: str) -> list[tuple[str, str]]:
    """(key, name) of each sub-page the campaign has, in the campaign's menu order."""
    _ = gettext_for(lang)
    names = {
        "notice": _("Notice"), "schedule": _("Schedule"), "slogans": _("Slogans"),
        "contacts": _("Contacts"), "attachments": _("Attachments"), "posters": _("Posters"),
    }
    return [(key, name) for key, name in names.items() if has_page(v, key)]


def poster_sheet_pages(v: CampaignView, site: Site, lang: str, prefix: str) -> list[Page]:
    """One print sheet per poster format (every poster of the campaign, a page each); not in the sitemap."""
    if not has_page(v, "posters"):
        return []
    _ = gettext_for(lang)
    pages = []
    for f in poster_style(site, v.c).formats:
        name = f.name if lang == "zh_CN" else f"{f.width_mm:g} × {f.height_mm:g} mm"  # format names are Chinese only
        title = f"{name} · {_('Posters')} · {v.title_text}"
        pages.append(Page(poster_sheet_url(prefix + v.url, f.id), "poster_sheet.html", lang, title,
                          name, {"campaign": v, "format": f}, v.id, in_sitemap=False))
    return pages


def gongwen_pages(v: CampaignView, site: Site, lang: str, prefix: str) -> list[Page]:
    """The notice laid out as a 公文 (GB/T 9704-2012) for printing; Chinese only (the Chinese document), not in the sitemap."""
    if lang != "zh_CN":
        return []
    return [Page(f"{prefix}{v.url}{GONGWEN_URL}", "gongwen.html", lang, f"{v.title_text} · 公文", v.title_text,
                 {"campaign": v, "reproduction": reproduction(v.c, site)}, v.id, in_sitemap=False)]


def reproduction(c: Campaign, site: Site) -> str:
    """How the 公文 marks a notice as a reproduction: not at all when its issuer is the site's own, else as site.yaml says."""
    return "none" if c.issuer in site.gongwen.own_issuers else site.gongwen.reproduction


def article_pages(v: CampaignView, lang: str, prefix: str) -> list[Page]:
    """The notice as a WeChat Official Account (公众号) article to copy, for editors; Chinese only (公众号 articles
    are Chinese), not in the sitemap or the search index, and marked noindex."""
    if lang != "zh_CN":
        return []
    _ = gettext_for(lang)
    name = _("WeChat article")
    return [Page(f"{prefix}{v.url}{ARTICLE_URL}", "article.html", lang, f"{name} · {v.title_text}", v.title_text,
                 {"campaign": v, "switch": []}, v.id, in_sitemap=False)]  # no English page to switch to


def has_page(v: CampaignView, key: str) -> bool:
    """Whether a campaign has anything to show on a sub-page."""
    return {
        "notice": True, "schedule": bool(v.c.schedules), "slogans": bool(v.slogans or v.theme_slogan),
        "contacts": bool(v.c.contacts), "attachments": bool(v.c.attachments),
        "posters": bool(v.posters),
    }[key]


LIBRARY_TOP = 20  # how many of the most used slogans the library's front page lists


def library_pages(views: list[CampaignView], shown: tuple, lang: str, prefix: str, memo=None) -> list[Page]:
    """The slogan library: a front page (the years, the most used slogans), then one page per year.

    A year's page links the campaigns of that year that used each slogan and names the other years that
    used it, so pages stay small as the site gathers campaigns and an edit changes few of them (the dev
    server re-renders only pages whose key changed). `shown` holds each view's library_source; with a
    `memo`, the slogans of a year whose campaigns show the same are not gathered again.
    """
    _ = gettext_for(lang)
    of_year: dict[int, list[tuple[CampaignView, tuple]]] = {}
    for v, source in zip(views, shown):
        if source[4]:
            of_year.setdefault(source[0], []).append((v, source))
    uses = {y: memo_latest(memo, ("library", lang, y), tuple(source for _v, source in pairs),
                           lambda pairs=pairs: year_slogans(pairs))
            for y, pairs in of_year.items()}
    items = slogan_library(uses)
    years = sorted(uses, reverse=True)
    counts = tuple((y, len(uses[y])) for y in years)
    top = sorted((i for i in items.values() if i["count"] > 1), key=lambda i: (-i["count"], i["years"][0], i["text"]))[:LIBRARY_TOP]
    top_items = [{"html": i["html"], "uses": [], "years": i["years"], "count": i["count"]} for i in top]
    pages = [Page(prefix + "slogans/", "library.html", lang, _("Slogan library"),
                  _("Every Quality Month slogan, with the campaigns and years that used it."),
                  {"years": counts, "library": top_items, "total": len(items)},
                  key=(counts, _library_key(top_items), len(items)))]
    nav = tuple((y, None) for y in years)  # without counts: adding a slogan changes its year's page only
    for y in years:
        texts = tuple(sorted(uses[y], key=lambda t: items[t]["order"]))  # in order of first use across the years
        # What the page shows: the year's campaigns (their uses), and each slogan's html and years from the others.
        shown = (y, nav, tuple(source for _v, source in of_year[y]), texts,
                 tuple((items[t]["html"], tuple(items[t]["years"])) for t in texts))
        pages.append(memo_latest(memo, ("library page", lang, y), shown,
                                 lambda y=y, texts=texts, shown=shown:
                                 library_year(y, nav, texts, uses[y], items, shown, lang, prefix)))
    return pages


def library_year(y: int, nav: tuple, texts: tuple[str, ...], uses: dict, items: dict[str, dict], key: tuple, lang: str,
                 prefix: str) -> Page:
    """The library page of one year: its slogans (`texts`, in order of first use), most used first."""
    _ = gettext_for(lang)
    entries = [{"html": items[t]["html"], "uses": uses[t][1], "years": [o for o in items[t]["years"] if o != y], "count": None}
               for t in texts]
    entries.sort(key=lambda e: -len(e["uses"]))  # stable: first use within the year breaks ties
    return Page(f"{prefix}slogans/{y}/", "library_year.html", lang, _("%(year)s slogans") % {"year": y},
                _("Every slogan of the %(year)s campaigns, with the campaigns and years that used it.") % {"year": y},
                {"year": y, "years": nav, "library": entries}, key=key)


def memo_latest(memo, name: tuple, inputs: object, make):
    """make(), through the memo's latest values when there is one."""
    return make() if memo is None else memo.latest(name, inputs, make)


def _library_key(entries: list[dict]) -> tuple:
    """What a library page shows of its slogans (see _macros.html, library_list)."""
    return tuple((str(e["html"]), tuple((u["campaign"].url, u["campaign"].issuer, u["anchor"]) for u in e["uses"]),
                  tuple(e["years"]), e["count"]) for e in entries)


def year_slogans(pairs: list[tuple[CampaignView, tuple]]) -> dict[str, tuple[Markup, list[dict]]]:
    """Each distinct slogan of one year's campaigns ((view, its library_source), in id order), in order of first use:
    its html at that use, and its uses."""
    found: dict[str, tuple[Markup, list[dict]]] = {}
    for v, source in pairs:
        for text, html, anchor in source[4]:
            found.setdefault(text, (html, []))[1].append({"campaign": v, "anchor": anchor})
    return found


def slogan_library(uses: dict[int, dict[str, tuple[Markup, list[dict]]]]) -> dict[str, dict]:
    """Each distinct slogan once, in order of first use: its html (at that use), the years, how many campaigns used it."""
    found: dict[str, dict] = {}
    for y in sorted(uses):
        for text, (html, used) in uses[y].items():
            item = found.get(text)
            if item is None:
                item = found[text] = {"text": text, "html": html, "years": [], "count": 0, "order": len(found)}
            item["years"].append(y)
            item["count"] += len(used)
    return found
