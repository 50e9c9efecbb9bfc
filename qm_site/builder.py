"""The build recipe: load and validate content, render every page, then write.

`render_site` is pure (content in, {path: bytes} out); `build` adds the I/O edges.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from . import cache as disk_cache
from . import content as content_mod
from . import feeds, fonts, output, pages, posters
from .calendar_export import calendars
from .content import Content
from .errors import QmError
from .i18n import N_, gettext_for
from .markup import Renderer
from .parallel import fork_map
from .render import PACKAGE, html_lang, make_env, template_error

ASSETS = PACKAGE / "assets"
LANG_LABEL = {"zh_CN": "中文", "en": "English"}


@dataclass
class Report:
    """What a build did, for the command line."""

    pages: int
    files: int
    seconds: float
    out: str

    def summary(self) -> str:
        """One line for the terminal."""
        return f"built {self.pages} pages ({self.files} files) into {self.out}/ in {self.seconds:.2f}s"


def fingerprint_assets(assets_dir: Path = ASSETS, site_assets: tuple[tuple[str, bytes], ...] = ()
                       ) -> tuple[dict[str, str], dict[str, bytes]]:
    """Name -> hashed URL path ('site.css' -> 'assets/site.3f2a9c1b.css'), and the files to write.

    qm-site's own assets come first; the site's (content/assets/, read by content.load) may replace one by name.
    """
    urls, files = {}, {}
    ours = {p.relative_to(assets_dir).as_posix(): p.read_bytes() for p in sorted(assets_dir.rglob("*")) if p.is_file()}
    for rel, data in sorted({**ours, **dict(site_assets)}.items()):
        path = PurePosixPath(rel)
        # Every asset gets its content hash in the name, so all of /assets/ can be cached forever.
        digest = hashlib.sha256(data).hexdigest()[:10]
        out = f"assets/{rel[: -len(path.suffix)] if path.suffix else rel}.{digest}{path.suffix}"
        urls[rel] = out
        files[out] = data
    return urls, files


@lru_cache(maxsize=256)
def qr_svg(url: str, label: str = "", name: str = "QR: %(target)s") -> Markup:
    """An inline, accessible SVG QR code for a URL, drawn from the posters' cached code; `name` is the accessible name."""
    code = posters.qr(url)
    n = code.size
    aria = Markup.escape(name % {"target": label or url})
    return Markup(f'<svg role="img" aria-label="{aria}" viewBox="0 0 {n} {n}"><rect width="{n}" height="{n}" fill="#fff"/>'
                  f'<path fill="none" stroke="#1a1a1a" shape-rendering="crispEdges" d="{code.path}"/></svg>')


def common_context(site, page: pages.Page, asset_urls: dict[str, str], langs: list[str]) -> dict:
    """Context every template gets: site, page, links back to roots, canonical and alternates."""
    prefix = pages.LANG_PREFIX[page.lang]
    # The host serves 404.html at whatever URL was missing, so its links must start at the server root.
    site_root = urlsplit(site.base_url).path if page.template == "404.html" else pages.depth_prefix(page.url)
    bare = page.url[len(prefix):]
    alternates = [{"hreflang": html_lang(l), "href": site.base_url + pages.LANG_PREFIX[l] + bare,
                   "rel": site_root + pages.LANG_PREFIX[l] + bare, "label": LANG_LABEL[l]} for l in langs]
    pick = pages.Picker(page.lang)
    return {
        "site": site,
        "site_title": pick.text(site.title, site.title_en),
        "page": page,
        "root": site_root + prefix,
        "site_root": site_root,
        "lang_root": prefix,
        "canonical": site.base_url + page.url,
        "alternates": alternates if page.in_sitemap else [],
        "switch": [a for a in alternates if a["hreflang"] != html_lang(page.lang)],
        "og_type": "article" if page.campaign else "website",
        "asset": lambda name: site_root + asset_urls[name],
    }


def template_globals(lang: str) -> dict:
    """Functions and constants templates may call (pure)."""
    from babel.dates import get_month_names

    from .render import babel_locale

    zh_marker = Markup(' lang="zh-CN"') if lang == "en" else Markup("")
    _ = gettext_for(lang)
    return {
        "pick": pages.Picker(lang).html,
        "has_page": pages.has_page,
        "zh": zh_marker,
        "qr_svg": partial(qr_svg, name=_("QR code: %(target)s")),
        "month_names": get_month_names("wide", locale=babel_locale(lang)),
    }


def render_page(env, template: str, ctx: dict) -> str:
    """Render one template; Jinja failures become a QmError naming the template line."""
    try:
        return env.get_template(template).render(ctx)
    except (jinja2.TemplateError, TypeError, ValueError, AttributeError, KeyError) as exc:
        raise template_error(exc, template) from None


def render_site(content: Content, assets_dir: Path = ASSETS, only: set[str] | None = None,
                epoch: int | None = None, pdfs: frozenset[str] = frozenset(), workers: int = 1,
                sink: Path | None = None, memo: dict | None = None,
                poster_font=None) -> tuple[output.Files, int]:
    """Render every page and data file; returns the files and the number of HTML pages.

    With `only` (a set of campaign ids), pages of other campaigns are skipped: an
    incremental rebuild renders the changed campaigns plus every page that lists campaigns.
    `epoch` (SOURCE_DATE_EPOCH) dates the feeds; without it they take the content's own dates.
    `pdfs` names the poster PDFs present in the output, which the galleries link to.
    `workers` > 1 renders campaigns in that many forked processes (the bytes are the same).
    With `sink` (a staging folder), campaign files are written there as they are rendered and only
    claimed in the returned Files, so a large site is never held in memory at once.
    `memo`, a dict kept between renders (the dev server's), reuses unchanged campaigns' views and the
    bytes of site-wide pages whose key is unchanged; the caller empties it when templates, assets or
    site.yaml change. `poster_font(chars)` gives the font metrics and a function that returns the subset, called
    after the pages are rendered (fonts.poster_font_later makes it meanwhile; the dev server's may keep the last
    subset while it makes a new one): pages depend on the metrics only, and link the subset by a stable name.
    """
    files = output.Files()
    asset_urls, asset_files = fingerprint_assets(assets_dir, content.assets)
    for path, data in asset_files.items():
        files.add(path, data)
    site = content.site
    # Posters: one font subset for every poster of the site (reads the system fonts and .cache/).
    metrics, font_file = (poster_font or _font_now)(_charset(site, content.entries, memo))
    try:
        renderer = Renderer()
        plan = Plan(site, asset_urls, metrics, metrics.exact, pdfs)  # exact metrics come from the face the subset is cut from
        all_pages: list[pages.Page] = []
        shared: list[tuple[jinja2.Environment, pages.Page, list[pages.CampaignView]]] = []
        for lang in site.languages:
            env = make_env(lang)
            env.globals.update(template_globals(lang))
            site_pages, views = pages.site_pages(content, lang, renderer.inline, memo)
            all_pages.extend(site_pages)
            for page in site_pages:
                if page.campaign is None:
                    shared.append((env, page, views))
                elif only is None or page.campaign in only:
                    plan.by_campaign.setdefault(page.campaign, []).append((env, page))
            if lang == site.languages[0]:
                plan.views = {v.id: v for v in views}

        def site_wide() -> None:
            """Pages and files that list campaigns (home, library, feeds, sitemap): rendered here while workers render campaigns."""
            for env, page, _ in shared:
                files.add(page.out, _render_shared(plan, env, page, memo), page.url)
            for lang, views in {page.lang: views for _, page, views in shared}.items():
                files.add(pages.LANG_PREFIX[lang] + "feed.xml", feeds.atom(site, views, lang, epoch))
                if views:
                    files.add(pages.LANG_PREFIX[lang] + "latest/index.html", feeds.latest_page(site, pages.newest(views), lang))
            files.add("_redirects", feeds.redirects(site.languages, list(plan.views.values())))
            sitemap_key = tuple(p.url for p in all_pages if p.in_sitemap)  # it lists URLs only
            files.add("sitemap.xml", _memoised(memo, ("page", "", "sitemap.xml"), sitemap_key, lambda: feeds.sitemap(site, all_pages)))
            files.add("robots.txt", f"User-agent: *\nAllow: /\n\nSitemap: {site.base_url}sitemap.xml\n")

        n_pages = sum(1 for p in all_pages if p.campaign is None)
        ids = [e.id for e in content.entries if only is None or e.id in only]
        for path, data, origin in run_campaigns(plan, ids, workers, (sink, epoch) if sink else None, site_wide):
            if sink:
                files.claim(path, origin)
            else:
                files.add(path, data, origin)
            n_pages += path.endswith(".html")
    except BaseException:
        font_file()  # a subset being cut in a forked process is waited for, not left behind
        raise
    font = font_file()
    if font:
        files.add(font.path, font.data)
        files.add(fonts.STYLESHEET, fonts.font_face_css(font.path))
    return files, n_pages


def _font_now(chars: str):
    """fonts.poster_font in the form render_site takes: (metrics, a function returning the subset)."""
    metrics, font = fonts.poster_font(chars)
    return metrics, lambda: font


def _charset(site, entries, memo: dict | None) -> str:
    """posters.charset of every campaign; with a memo, each campaign's characters are kept while it is unchanged."""
    if memo is None:
        return posters.charset(site, [e.campaign for e in entries])
    chars: set[str] = set()
    for e in entries:  # "page" slots follow site.yaml too (poster issuer lines), so a full render drops them
        chars.update(_memoised(memo, ("page", "chars", e.id), e.digest, lambda e=e: posters.charset(site, [e.campaign])))
    return "".join(sorted(chars))


def _render_shared(plan: "Plan", env: jinja2.Environment, page: pages.Page, memo: dict | None) -> bytes:
    """A page that lists campaigns; with a memo, its last bytes are reused while its key is unchanged."""
    if page.key is None:
        return plan.render(env, page)
    return _memoised(memo, ("page", page.lang, page.url), page.key, lambda: plan.render(env, page))


def _memoised(memo: dict | None, slot: tuple, key: tuple, make):
    """make(), or with a memo the value it gave last time for this slot if the key is the same."""
    if memo is None:
        return make()
    if slot not in memo or memo[slot][0] != key:
        memo[slot] = (key, make())
    return memo[slot][1]


@dataclass
class Plan:
    """Everything needed to render one campaign's files, shared (by fork) with worker processes."""

    site: object
    asset_urls: dict[str, str]
    metrics: object
    has_font: bool
    pdfs: frozenset[str]
    by_campaign: dict[str, list] = field(default_factory=dict)  # id -> [(env, page)] in every language
    views: dict[str, pages.CampaignView] = field(default_factory=dict)  # id -> view in the first language

    def render(self, env: jinja2.Environment, page: pages.Page, extra: dict | None = None) -> bytes:
        """One page with its full context."""
        ctx = {**common_context(self.site, page, self.asset_urls, self.site.languages), **page.context, **(extra or {})}
        return render_page(env, page.template, ctx).encode()

    def campaign_files(self, cid: str) -> list[tuple[str, bytes, str]]:
        """Every file of one campaign: its pages in each language, its JSON and calendars."""
        out, poster_ctx, sets = [], {}, None
        for env, page in self.by_campaign.get(cid, []):
            extra = None
            if page.template in posters.TEMPLATES:
                v = page.context["campaign"]
                if sets is None:  # fitted once per campaign: the layouts are the same in every language
                    sets = posters.poster_sets(self.site, v, self.metrics, self.asset_urls)
                if page.lang not in poster_ctx:  # shared by the sheets and the gallery
                    poster_ctx[page.lang] = posters.page_context(self.site, v, page.lang, sets, self.has_font)
                extra = {**poster_ctx[page.lang], "pdfs": self.pdfs}
            out.append((page.out, self.render(env, page, extra), page.url))
        if cid in self.views:
            data = output.Files()
            _campaign_data(data, self.views[cid], self.site.base_url)
            out.extend((path, b, path) for path, b in data.items())
        return out


PARALLEL_MIN_CAMPAIGNS = 40  # below this, starting processes costs more than it saves
_PLAN: list = []  # (plan, sink) of the current render, inherited by forked workers


def run_campaigns(plan: Plan, ids: list[str], workers: int, sink: tuple[Path, int | None] | None = None,
                  meanwhile=None) -> list[tuple[str, bytes, str]]:
    """Every campaign's files, in forked worker processes when it pays; QmError problems are re-raised here.

    With `sink` (folder, mtime) the files are written there by whoever renders them and come back without
    their bytes. `meanwhile` runs in this process while the workers render.
    """
    _PLAN[:] = [plan, sink]  # forked workers inherit it: the plan's contexts hold callables that do not pickle
    try:
        results = fork_map(_campaign_slice, ids, workers, PARALLEL_MIN_CAMPAIGNS, meanwhile)
    finally:
        _PLAN.clear()
    problems = [p for r in results if isinstance(r, tuple) for p in r]
    if problems:
        raise QmError(problems)
    return [item for r in results for item in r]


def _campaign_slice(ids: list[str]) -> list[list | tuple]:
    """Per campaign: its files (written to the sink, if any), or a tuple of the problems that stopped it."""
    plan, sink = _PLAN
    out: list[list | tuple] = []
    for cid in ids:
        try:
            items = plan.campaign_files(cid)
        except QmError as exc:
            out.append(tuple(exc.problems))
            continue
        if sink:
            output.write_tree({path: data for path, data, _ in items}, sink[0], sink[1])
            items = [(path, b"", origin) for path, _, origin in items]
        out.append(items)
    return out


def _campaign_data(files: output.Files, v: pages.CampaignView, base_url: str) -> None:
    """The campaign's JSON and iCalendar files (one per campaign and one per activity)."""
    page_url = base_url + v.url + "schedule/"
    files.add(v.url + "campaign.json", json.dumps(feeds.campaign_data(v, base_url), ensure_ascii=False, indent=2) + "\n")
    if v.c.schedules:
        whole, per_row = cached_calendars(v, page_url)
        files.add(v.url + "schedule.ics", whole)
        for anchor, data in per_row.items():
            files.add(f"{v.url}ics/{anchor}.ics", data)


CALENDAR_VERSION = "1"  # bump when calendar_export changes its output, so cached calendars are remade


def cached_calendars(v: pages.CampaignView, page_url: str) -> tuple[bytes, dict[str, bytes]]:
    """calendars() through the disk cache: icalendar's serialiser costs ~10 ms a campaign."""
    def make() -> bytes:
        whole, rows = calendars(v.c, v.id, page_url)
        return json.dumps({"whole": whole.decode(), "rows": {k: r.decode() for k, r in rows.items()}}).encode()

    data = json.loads(disk_cache.cached("ics", disk_cache.key_of(CALENDAR_VERSION, disk_cache.versions("icalendar"), v.entry.digest, v.id, page_url), ".json", make))
    return data["whole"].encode(), {k: r.encode() for k, r in data["rows"].items()}


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH from the environment (reproducible-builds.org), validated."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None or raw == "":
        return None
    if not raw.isdigit():
        raise QmError.at("SOURCE_DATE_EPOCH", 0, 0, N_("SOURCE_DATE_EPOCH must be seconds since 1970, found `%(value)s`", value=raw),
                         N_("for example: export SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)"))
    return int(raw)


@contextmanager
def batch_gc() -> Iterator[None]:
    """Run the cyclic garbage collector less often while a build runs (as mypy does), then restore it.

    A build makes millions of short-lived objects on top of a large, long-lived content heap; at Python's
    default threshold (700) every few thousand allocations re-scan that heap: 15% of a 1000-campaign build.
    """
    before = gc.get_threshold()
    gc.set_threshold(200_000, 30, 30)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def build(content_dir: str | Path, out_dir: str | Path, drafts: bool = False, workers: int = 0) -> Report:
    """Load, validate, render, and swap the new site in: the recipe behind `python build.py`.

    `workers`: processes that render pages (0: one per CPU core).
    """
    started = time.perf_counter()
    workers = workers or os.cpu_count() or 1
    output.check_target(Path(out_dir), (Path(content_dir),))  # before any work: a wrong --out is said at once
    with batch_gc():
        content = content_mod.load(content_dir, drafts=drafts, workers=workers)
        pdf_dir = Path(out_dir) / "pdf"  # written by `build.py pdf`; kept across builds by output.write_site
        pdfs = frozenset(p.name for p in pdf_dir.glob("*.pdf")) if pdf_dir.is_dir() else frozenset()
        files, n_pages = publish(content, out_dir, pdfs, workers)
    return Report(n_pages, len(files) + len(files.claimed), time.perf_counter() - started, str(out_dir))


def publish(content: Content, out_dir: str | Path, pdfs: frozenset[str], workers: int,
            finish=None) -> tuple[output.Files, int]:
    """Render the site into a staging folder beside out_dir and swap it in (the previous site stays if anything fails).

    `finish(staging)` runs on the complete staged site before the swap (`build.py pdf` prints its sheets there).
    """
    epoch = source_date_epoch()
    with output.staged(out_dir, (content.root,) if content.root else ()) as staging:
        files, n_pages = render_site(content, epoch=epoch, pdfs=pdfs, workers=workers, sink=staging,
                                     poster_font=fonts.poster_font_later)
        output.write_tree(files, staging, epoch)
        if finish is not None:
            finish(staging)
    return files, n_pages
