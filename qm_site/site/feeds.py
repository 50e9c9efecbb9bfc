"""Machine-readable outputs: the Atom feed, sitemap.xml and each campaign's JSON (pure)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from ..source.model import Loc
from ..urls import LANG_PREFIX
from .pages import CampaignView, Page, Picker, newest
from .render import html_lang


def escape(text: str) -> str:
    """XML character data, as xml.sax.saxutils.escape writes it: & < > (every build writes feeds, and importing
    xml.sax.saxutils imports urllib.request, http.client and ssl: ~10 ms of each start-up)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(text: str) -> str:
    """A quoted XML attribute value, as xml.sax.saxutils.quoteattr writes it (double quotes unless the value has one)."""
    data = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in data:
        return f'"{data}"'
    if "'" not in data:
        return f"'{data}'"
    return '"{}"'.format(data.replace('"', "&quot;"))


def updated(v: CampaignView) -> dt.date:
    """The date a campaign counts as published: its issue date, else the start of its period."""
    return v.c.issue_date or v.period[0]


def _stamp(d: dt.date) -> str:
    return f"{d.isoformat()}T00:00:00+08:00"


def _epoch_stamp(epoch: int) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def entry_key(v: CampaignView, lang: str) -> tuple:
    """All that a campaign's entry in the Atom feed shows (and sorts by)."""
    return v.id, v.url, v.title_text, updated(v), v.issuer, Picker(lang).text(v.c.theme, v.c.theme_en) or v.c.title


def atom(site, views: list[CampaignView], lang: str, epoch: int | None = None) -> str:
    """An Atom feed with one entry per campaign, newest first; the feed's date is SOURCE_DATE_EPOCH or the newest content date."""
    pick = Picker(lang)
    base = site.base_url + LANG_PREFIX[lang]
    newest_date = max((updated(v) for v in views), default=dt.date(2000, 1, 1))
    entries = []
    for v in sorted(views, key=lambda v: (updated(v), v.id), reverse=True):
        summary = pick.text(v.c.theme, v.c.theme_en) or v.c.title
        entries.append(
            "  <entry>\n"
            f"    <id>{escape(base + v.url)}</id>\n"
            f"    <title>{escape(v.title_text)}</title>\n"
            f"    <link rel=\"alternate\" type=\"text/html\" href={quoteattr(base + v.url)}/>\n"
            f"    <updated>{_stamp(updated(v))}</updated>\n"
            f"    <author><name>{escape(v.issuer)}</name></author>\n"
            f"    <summary>{escape(summary)}</summary>\n"
            "  </entry>\n"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{html_lang(lang)}">\n'
        f"  <id>{escape(base)}</id>\n"
        f"  <title>{escape(pick.text(site.title, site.title_en))}</title>\n"
        f"  <subtitle>{escape(pick.text(site.description, site.description_en))}</subtitle>\n"
        f'  <link rel="self" href={quoteattr(base + "feed.xml")}/>\n'
        f'  <link rel="alternate" type="text/html" href={quoteattr(base)}/>\n'
        f"  <updated>{_epoch_stamp(epoch) if epoch is not None else _stamp(newest_date)}</updated>\n"
        + "".join(entries)
        + "</feed>\n"
    )


def sitemap(site, pages: list[Page]) -> str:
    """sitemap.xml of every indexable page, with hreflang alternates."""
    by_bare: dict[str, list[Page]] = {}
    for p in pages:
        if p.in_sitemap:
            by_bare.setdefault(p.url[len(LANG_PREFIX[p.lang]):], []).append(p)
    rows = []
    for group in by_bare.values():
        alts = "".join(
            f'    <xhtml:link rel="alternate" hreflang="{html_lang(g.lang)}" href={quoteattr(site.base_url + g.url)}/>\n'
            for g in group
        )
        for p in group:
            rows.append(f"  <url>\n    <loc>{escape(site.base_url + p.url)}</loc>\n{alts}  </url>\n")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
        + "".join(rows)
        + "</urlset>\n"
    )


def plain(obj: Any) -> Any:
    """Model objects to JSON-ready data: dates as ISO strings, no source locations, no empty values."""
    if dataclasses.is_dataclass(obj):
        out = {}
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if isinstance(value, Loc) or value is None or value == [] or value is False:
                continue
            out[f.name] = plain(value)
        return out
    if isinstance(obj, (list, tuple)):
        return [plain(x) for x in obj]
    if isinstance(obj, dt.date):
        return obj.isoformat()
    return obj


def campaign_data(v: CampaignView, base_url: str) -> dict:
    """The JSON file of a campaign: its data plus resolved URLs and parsed schedule dates."""
    data = plain(v.c)
    data.pop("body", None)
    data.pop("body_en", None)
    data.pop("notes", None)  # the editors' own notes (sources, corrections): never published
    data.pop("review", None)  # the import's open guesses: the editors' to-do list, never published
    data["id"] = v.id
    data["url"] = base_url + v.url
    data["period"] = {"start": v.period[0].isoformat(), "end": v.period[1].isoformat()}
    for s_json, sv in zip(data.get("schedules", []), v.schedules):
        for r_json, r in zip(s_json["rows"], sv.rows):
            if r.start and r.end:  # a row's dates are read as a pair
                r_json["dates"] = {"start": r.start.isoformat(), "end": r.end.isoformat()}
            r_json["mode"] = r.mode
    for a in data.get("attachments", []):
        a.pop("file", None)
    return data


def redirects(languages: Sequence[str], views: list[CampaignView]) -> str:
    """Netlify _redirects: /latest/ to the newest campaign, and a real 404 per language."""
    lines = []
    if views:
        for lang in languages:
            prefix = "/" + LANG_PREFIX[lang]
            # `!` forces the redirect although latest/index.html exists (it serves other hosts).
            lines.append(f"{prefix}latest/ {prefix}{newest(views).url} 302!")
    for lang in languages:
        if LANG_PREFIX[lang]:
            lines.append(f"/{LANG_PREFIX[lang]}* /{LANG_PREFIX[lang]}404.html 404")
    return "\n".join(lines) + "\n"


def latest_page(site, newest: CampaignView, lang: str) -> str:
    """latest/index.html for hosts without _redirects: a refresh to the newest campaign, with a link."""
    target = f"../{newest.url}"
    title = escape(newest.title_text)
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n"
        f'<meta http-equiv="refresh" content="0; url={target}">\n'
        f'<link rel="canonical" href="{escape(site.base_url + LANG_PREFIX[lang] + newest.url)}">\n'
        f'<meta name="robots" content="noindex">\n</head>\n<body>\n'
        f'<main>\n<p><a href="{target}">{title}</a></p>\n</main>\n</body>\n</html>\n'
    )
