"""The build recipe: load and validate content, render every page, then write.

`site_outputs` lists what the site is made of as graph.Output records (assets, pages, feeds, campaign
data; the poster font last); `render_site` has graph.execute make them (content in, {path: bytes} out);
`build` and `publish` add the I/O edges. A new kind of output is one more producer in site_outputs.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import time
from collections import Counter
from collections.abc import Callable, Generator, Hashable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache, partial
from pathlib import Path, PurePosixPath
from typing import TypeVar
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup, escape

from .. import cache as disk_cache
from .. import parallel, urls
from ..errors import Collector, Problem, QmError
from ..heap import batch_gc
from ..i18n import N_, gettext_for
from ..printing import fonts, posters
from ..source import content as content_mod
from ..source.content import Content, Entry
from ..source.look import BUILTIN_ASSETS, Look, stylesheet
from ..source.markup import Renderer
from ..source.model import Site
from ..source.theme import PLAIN, Identity, defaults, palette_css
from ..urls import LANG_PREFIX
from . import admin as admin_mod
from . import feeds, graph, output, overrides, owner, pages, share
from . import search as search_mod
from .article import article_html
from .calendar_export import calendars
from .render import compile_all, html_lang, library_uses, make_env, month_names, schedule_rows, template_error, year_links

ASSETS = BUILTIN_ASSETS
NO_LOOK = Look()
LANG_LABEL = {"zh_CN": "中文", "en": "English"}
T = TypeVar("T")
NO_SEARCH = N_("built without the search index (--no-search): the search page finds nothing until a build makes it")


@dataclass
class Report:
    """What a build did, for the command line."""

    pages: int
    files: int
    seconds: float
    out: str
    notes: tuple[str, ...] = ()  # said once after the summary, even with --quiet (what the build left out)

    def summary(self) -> str:
        """One line for the terminal."""
        return f"built {self.pages} pages ({self.files} files) into {self.out}/ in {self.seconds:.2f}s"


def fingerprint_assets(assets_dir: Path = ASSETS, site_assets: tuple[tuple[str, bytes], ...] = (), palette: str = ""
                       ) -> tuple[dict[str, str], dict[str, bytes]]:
    """Name -> hashed URL path ('site.css' -> 'assets/site.3f2a9c1b.css'), and the files to write.

    qm-site's own assets come first; the site's (its assets/, then content/assets/, read by content.load) may
    replace one by name. `palette`, site.yaml's theme colours as CSS (theme.palette_css), ends site.css.
    """
    urls, files = {}, {}
    ours = {p.relative_to(assets_dir).as_posix(): p.read_bytes() for p in sorted(assets_dir.rglob("*")) if p.is_file()}
    mixed = {**ours, **dict(site_assets)}
    if palette:
        mixed["site.css"] += palette.encode()
    for rel, data in sorted(mixed.items()):
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


@dataclass(frozen=True, slots=True)  # attributes, not dict keys: Jinja's alt.href tries getattr first (an exception for a dict)
class Alternate:
    """The page in one of the site's languages: base.html's hreflang links and language switch."""

    hreflang: str
    href: str  # absolute
    rel: str  # relative to the page
    label: str  # the language's name in itself


def common_context(site, page: pages.Page, asset_urls: dict[str, str], langs: list[str]) -> dict:
    """Context every template gets: site, page, links back to roots, canonical and alternates."""
    prefix = LANG_PREFIX[page.lang]
    # The host serves 404.html at whatever URL was missing, so its links must start at the server root.
    site_root = urlsplit(site.base_url).path if page.template == "404.html" else pages.depth_prefix(page.url)
    bare = page.url[len(prefix):]
    alternates = [Alternate(html_lang(lg), site.base_url + LANG_PREFIX[lg] + bare, site_root + LANG_PREFIX[lg] + bare,
                            LANG_LABEL[lg]) for lg in langs]
    pick = pages.Picker(page.lang)
    root = site_root + prefix
    campaign = page.context.get("campaign")
    shared = share.page_share(site, page, campaign, site_root)
    return {
        "site": site,
        "site_title": pick.text(site.title, site.title_en),
        "site_name": pick.html(site.title, site.title_en),  # shown twice a page: picked and escaped once
        "page": page,
        "root": root,
        # `root ~ campaign.url` starts most links of a campaign's pages: joined and escaped once a page, not per link
        "campaign_root": escape(root + campaign.url) if campaign is not None else None,
        "site_root": site_root,
        "lang_root": prefix,
        "canonical": site.base_url + page.url,
        "alternates": alternates if page.in_sitemap else [],
        "switch": [a for a in alternates if a.hreflang != html_lang(page.lang)],
        "og_type": "article" if page.campaign else "website",
        "searchable": search_mod.is_reader(page.template),
        "asset": lambda name: site_root + asset_urls[name],
        "share": shared,
        "gov_meta": owner.page_meta(site, page, site.base_url + page.url, shared.image_url),
    }


def template_globals(lang: str) -> dict:
    """Functions and constants templates may call (pure)."""
    # Chinese shown on an English page as it stands: the search index has it once, from the Chinese page.
    zh_marker = Markup(' lang="zh-CN" data-pagefind-ignore') if lang == "en" else Markup("")
    _ = gettext_for(lang)
    return {
        "pick": pages.Picker(lang).html,
        "org": pages.Picker(lang).org,
        "list_sep": "、" if lang == "zh_CN" else ", ",  # between items of a list in running text
        "has_page": pages.has_page,
        "zh": zh_marker,
        "qr_svg": partial(qr_svg, name=_("QR code: %(target)s")),
        "schedule_rows": partial(schedule_rows, lang=lang, pick=pages.Picker(lang).html, zh=zh_marker,
                                 labels=(_("No."), _("Place"), _("Details"), _("Add to calendar"))),
        "library_uses": partial(library_uses, org=pages.Picker(lang).org),
        "year_links": year_links,
        # a poster's name (0: the theme); cached: every print sheet names each of the campaign's posters
        "poster_label": cache(lambda n: _("Theme") if n == 0 else _("Slogan %(num)d") % {"num": n}),
        "month_names": month_names(lang),
        "police_link": owner.police_link,
        "miit_beian": owner.MIIT_BEIAN,
        "wechat_article": article_html,  # the notice as a 公众号 article (article.html)
        "urls": urls,  # where pages and files live: the same rules pages and printing use
    }


def environment(lang: str, reload: bool = True, look: Look = NO_LOOK) -> jinja2.Environment:
    """The Jinja environment of a language with the functions templates call, over the site's templates/ if any
    (`reload`: see render.make_env)."""
    return _environment(lang, reload, look.templates, look.names)


@cache  # one per language, look and process: the globals are set once, when it is made, never during a render
def _environment(lang: str, reload: bool, overrides: Path | None, names: tuple[str, ...]) -> jinja2.Environment:
    """environment, by what it depends on."""
    env = make_env(lang, reload=reload, overrides=overrides, names=names)
    env.globals.update(template_globals(lang))
    try:
        compile_all(env)
    except jinja2.TemplateSyntaxError as exc:
        raise template_error(exc, exc.name or "") from None
    return env


def render_page(env, template: str, ctx: dict) -> str:
    """Render one template; Jinja failures become a QmError naming the template line."""
    try:
        return env.get_template(template).render(ctx)
    except (jinja2.TemplateError, TypeError, ValueError, AttributeError, KeyError) as exc:
        raise template_error(exc, template) from None


def render_site(content: Content, assets_dir: Path = ASSETS, epoch: int | None = None, pdfs: frozenset[str] = frozenset(),
                workers: int = 1, sink: Path | None = None, memo: graph.Memo | None = None,
                poster_font=None, admin: admin_mod.Admin | None = None,
                crew: CampaignWorkers | None = None) -> tuple[output.Files, Sequence[pages.Page | pages.PageRef]]:
    """Render every page and data file; returns the files and the HTML pages.

    `epoch` (SOURCE_DATE_EPOCH) dates the feeds; without it they take the content's own dates.
    `pdfs` names the poster PDFs present in the output, which the galleries link to.
    `workers` > 1 makes campaigns' outputs in that many forked processes (the bytes are the same); with `sink`
    (a staging folder) they are written there as they are made (graph.execute). `memo`, kept by the dev
    server between renders, makes again only outputs whose key changed; it is cleared when templates,
    assets or site.yaml change. `poster_font(chars)` gives the font metrics and a function that returns the
    subset (fonts.poster_font_later makes it meanwhile): pages depend on the metrics only. `admin` says where
    /admin/'s web editor comes from (admin.locate); without it the site has no /admin/.
    `crew`: the workers that loaded the campaigns (build's; `content` then holds their summaries) make the
    campaigns' outputs into `sink`, and the pages are PageRefs.
    """
    chars = crew.chars(content) if crew is not None else _charset(content, memo)
    metrics, font_file = (poster_font or _font_now)(chars)
    font_file = _once(font_file)
    # The dev server reads and hashes Decap's files again at its next full render (they are not watched anyway).
    admin_files = admin_mod.admin_outputs(admin, content.sources) if memo is None else \
        memo.latest("admin", (admin, content.sources), lambda: admin_mod.admin_outputs(admin, content.sources))
    font = graph.Output(fonts.STYLESHEET, None, lambda: _font_files(font_file()))  # last: made after the pages
    site_pages: Sequence[pages.Page | pages.PageRef]
    try:
        if crew is not None:
            assert sink is not None
            asset_urls, assets = site_assets(content, assets_dir, None)
            logos = tuple(share.card_logos(content.site, (e.campaign for e in content.entries), dict(content.assets)).items())
            orders = Orders(metrics, asset_urls, pdfs, sink, epoch, look=content.look, identity=content.identity, logos=logos)
            files, site_pages = crew.render(content, assets + admin_files, orders)
            graph.make_here([font], files)
        else:
            outputs, site_pages = site_outputs(content, assets_dir, metrics, pdfs, epoch, memo)
            files = graph.execute([*outputs, *admin_files, font], workers, sink, epoch, memo)
    finally:
        font_file()  # a subset being cut in a forked process is waited for, not left behind
    return files, site_pages


# --- a build whose workers load and render the campaigns ---------------------------------------


@dataclass(frozen=True)
class Orders:
    """What the parent sends the workers once the campaigns are checked: what to render with, and where to write."""

    metrics: fonts.Metrics
    asset_urls: dict[str, str]
    pdfs: frozenset[str]
    sink: Path
    epoch: int | None
    ids: frozenset[str] = frozenset()  # the campaigns on the site (drafts are loaded and checked, not rendered)
    look: Look = NO_LOOK  # the site's templates/ (and assets/, already in asset_urls)
    identity: Identity = PLAIN  # its logo, key visuals and theme colour
    logos: tuple[tuple[str, bytes], ...] = ()  # the PNG logos the share images draw (share.card_logos)


class CampaignWorkers:
    """build's workers: each loads its share of the campaign folders, sends back summaries, then renders them.

    The parent never holds a campaign's documents, views or page lists: at 5,000 campaigns it held 470 MB of them
    (and every forked worker a copy), and unpickling what the workers had loaded took it two seconds alone.
    """

    def __init__(self, site, folders: list[Path], workers: int) -> None:
        self.crew = parallel.Crew(partial(_campaign_turns, site), folders, workers, graph.PARALLEL_MIN_GROUPS)
        self.charsets: dict[str, str] = {}

    def load(self, start: content_mod.Start, drafts: bool, meanwhile: Callable[[], None] | None = None) -> Content:
        """The content, each campaign as a summary (content.summary), checked as content.load checks it; `meanwhile`
        runs here while the workers load."""
        loaded = []
        for entry, problems, chars in self.crew.ask(meanwhile=meanwhile):
            loaded.append((entry, problems))
            if entry is not None:
                self.charsets[entry.id] = chars
        return content_mod.assemble(start, loaded, drafts)

    def chars(self, content: Content) -> str:
        """The poster characters of every campaign on the site (each worker found its campaigns')."""
        return _union(self.charsets[e.id] for e in content.entries)

    def render(self, content: Content, outputs: list[graph.Output], orders: Orders) -> tuple[output.Files, list[pages.PageRef]]:
        """Every campaign's outputs made by the workers, the site-wide ones here meanwhile; the files and every page, in order."""
        files = output.Files()
        order: dict[str, list[str]] = {}
        refs: dict[str, list[pages.PageRef]] = {}

        def meanwhile() -> None:
            nonlocal order, refs
            order, refs = site_wide_files(content, orders.asset_urls, outputs, orders.epoch, files)

        results = self.crew.ask(dataclasses.replace(orders, ids=frozenset(e.id for e in content.entries)), meanwhile)
        self.close()  # their work is done: not left holding memory while the search index is made
        problems: list[Problem] = []
        lists: dict[str, dict[str, tuple[pages.PageRef, ...]]] = {lang: {} for lang in content.site.languages}
        for result in results:
            if result is None:
                continue
            cid, made, by_lang = result
            if isinstance(made, tuple):
                problems.extend(made)
                continue
            for path, _, origin in made:
                files.claim(path, origin)
            for lang, campaign_refs in by_lang.items():
                lists[lang][cid] = campaign_refs
        if problems:
            raise QmError(problems)
        all_pages = in_site_order(refs, lists, order)
        files.add("sitemap.xml", feeds.sitemap(content.site, all_pages), "sitemap.xml")
        return files, all_pages

    def close(self) -> None:
        """End the workers."""
        self.crew.close()


def _campaign_turns(site, folders: Sequence[Path]) -> Generator[list, object, None]:
    """A build worker's two turns: load and check its campaign folders, then render those the parent orders.

    First it sends each folder's (summary or None, problems, poster characters); then, for each campaign in
    the orders' ids, (id, the files it wrote or a tuple of problems, its PageRefs by language); None for the rest.
    """
    loaded = content_mod.load_folders(folders)
    orders = yield [(None, problems, "") if entry is None else  # no site.yaml: the parent reports it and stops
                    (content_mod.summary(entry), problems, posters.charset(site, [entry.campaign]) if site else "")
                    for entry, problems in loaded]
    assert isinstance(orders, Orders)
    inline = Renderer().inline
    results: list[tuple | None] = []
    for k, (entry, _) in enumerate(loaded):
        loaded[k] = (None, [])  # let the campaign go once rendered: the worker need not hold them all
        if entry is None or entry.id not in orders.ids:
            results.append(None)
            continue
        try:
            outs, lists = campaign_outputs(site, entry, inline, orders)
        except QmError as exc:  # sent back with the others' problems, as graph.execute does
            results.append((entry.id, tuple(exc.problems), {}))
            continue
        made = graph.make_group(outs, orders.sink, orders.epoch)
        results.append((entry.id, made, {lang: tuple(p.ref() for p in group) for lang, group in lists.items()}))
    yield results


def _once(fn: Callable[[], T]) -> Callable[[], T]:
    """fn, called at most once; later calls return its first result."""
    return cache(fn)


def _font_files(font) -> dict[str, bytes]:
    """The poster font subset and the stable stylesheet that links it (nothing without CJK fonts)."""
    if not font:
        return {}
    return {font.path: font.data, fonts.STYLESHEET: fonts.font_face_css(font.path).encode()}


def _font_now(chars: str):
    """fonts.poster_font in the form render_site takes: (metrics, a function returning the subset)."""
    metrics, font = fonts.poster_font(chars)
    return metrics, lambda: font


def _charset(content: Content, memo: graph.Memo | None) -> str:
    """posters.charset of every campaign; with a memo, each campaign's characters are kept while it is unchanged."""
    site = content.site
    if memo is None:
        return _union(posters.charset(site, [e.campaign]) for e in content.entries)
    each = {e.id: memo.value(("chars", e.id, e.digest, ""), partial(posters.charset, site, [e.campaign])) for e in content.entries}
    tally: CharTally = memo.latest("chars", None, CharTally)  # one, kept until the memo is cleared
    return tally.update(each)


class CharTally:
    """How many campaigns print each character: an edit updates the site's charset by its campaign's characters only."""

    def __init__(self) -> None:
        self.each: dict[str, str] = {}
        self.count: Counter[str] = Counter()
        self.chars = ""

    def update(self, each: dict[str, str]) -> str:
        """The characters of all campaigns' charsets (`each`, by campaign id), sorted."""
        changed = [i for i in self.each.keys() | each.keys() if self.each.get(i) is not each.get(i)]
        for i in changed:
            self.count.subtract(self.each.get(i, ""))
            self.count.update(each.get(i, ""))
        if changed:
            self.chars = "".join(sorted(ch for ch, n in self.count.items() if n > 0))
        self.each = each
        return self.chars


def _union(charsets) -> str:
    """The characters of all `charsets`, once each, sorted."""
    chars: set[str] = set()
    for found in charsets:
        chars.update(found)
    return "".join(sorted(chars))


# --- producers: what the site is made of ------------------------------------------------------


def site_outputs(content: Content, assets_dir: Path, metrics, pdfs: frozenset[str], epoch: int | None,
                 memo: graph.Memo | None) -> tuple[list[graph.Output], list[pages.Page]]:
    """Every output of the site but the poster font (assets, pages in each language, feeds, campaign data); and its pages."""
    if memo is not None:  # views and page lists of campaign versions that no longer exist
        memo.keep_versions({(e.id, e.digest) for e in content.entries})
    site = content.site
    asset_urls, outputs, views_by_lang, shared_by_lang = shared_outputs(content, assets_dir, epoch, memo)
    lists_by_lang = {lang: [pages.memo_page_list(v, site, lang, memo) for v in views]
                     for lang, views in views_by_lang.items()}
    by_campaign: dict[str, dict[str, tuple[pages.Page, ...]]] = {}
    for lang, views in views_by_lang.items():
        for v, group in zip(views, lists_by_lang[lang], strict=True):
            by_campaign.setdefault(v.id, {})[lang] = group
    first = views_by_lang[site.languages[0]]
    # Posters are fitted once, for every language, from the first one's views. The dev server keeps each campaign's
    # output record while its sources and the PDFs stay (making a thousand again was 8% of an edit's refresh,
    # profiled); keyed by the whole set, which campaign_output itself narrows to the campaign's for the pages' key.
    outputs += [o for v in first if (o := pages.memo_value(
        memo, ("campaign output", v.id, v.entry.digest, pdfs),
        lambda v=v: campaign_output(site, v, by_campaign[v.id], metrics, asset_urls, pdfs, memo is not None, content.look,
                                    content.identity)))]
    order = {lang: [v.id for v in views] for lang, views in views_by_lang.items()}
    all_pages = in_site_order(shared_by_lang,
                              {lang: dict(zip(ids, lists_by_lang[lang], strict=True)) for lang, ids in order.items()},
                              order)
    outputs.append(sitemap_output(site, shared_by_lang, lists_by_lang, all_pages))
    logos = share.card_logos(site, (e.campaign for e in content.entries), dict(content.assets))
    # Through the memo per campaign version (cleared with site.yaml and assets, which the logos come from): the cards
    # of every campaign were remade on each edit, 0.29 s of a 0.35 s refresh at 100 campaigns (profiled).
    outputs += [o for v in first if (o := pages.memo_value(memo, ("images", v.id, v.entry.digest, ""),
                                                           lambda v=v: share.image_output(site, v, logos)))]
    outputs += [pages.memo_value(memo, ("data", v.id, v.entry.digest, ""), lambda v=v: data_output(v, site.base_url))
                for v in first]
    return outputs, all_pages


def shared_outputs(content: Content, assets_dir: Path, epoch: int | None, memo: graph.Memo | None
                   ) -> tuple[dict[str, str], list[graph.Output], dict[str, list[pages.CampaignView]], dict[str, list[pages.Page]]]:
    """The outputs no campaign owns (assets, site-wide pages, feeds); the asset URLs, the views and site-wide pages by language."""
    site, renderer = content.site, Renderer()
    asset_urls, outputs = site_assets(content, assets_dir, memo)
    outputs = list(outputs)
    views_by_lang: dict[str, list[pages.CampaignView]] = {}
    shared_by_lang: dict[str, list[pages.Page]] = {}
    for lang in site.languages:
        views_by_lang[lang], shared_by_lang[lang], made = language_outputs(content, lang, asset_urls, epoch, memo, renderer.inline)
        outputs += made
    outputs += site_files(site, views_by_lang[site.languages[0]])
    return asset_urls, outputs, views_by_lang, shared_by_lang


def site_assets(content: Content, assets_dir: Path, memo: graph.Memo | None) -> tuple[dict[str, str], list[graph.Output]]:
    """asset_outputs of qm-site's, the look's and content/assets/' files with the theme's palette; the dev server's
    memo keeps them until an asset changes (it is cleared then), unread and unhashed."""
    own = content.look.assets + content.assets
    css = palette_css(content.site.theme, defaults(stylesheet(content.look)))
    if memo is None:
        return asset_outputs(assets_dir, own, css)
    return memo.latest(("assets", assets_dir), (own, css), lambda: asset_outputs(assets_dir, own, css))


def language_outputs(content: Content, lang: str, asset_urls: dict[str, str], epoch: int | None, memo: graph.Memo | None,
                     markdown_inline) -> tuple[list[pages.CampaignView], list[pages.Page], list[graph.Output]]:
    """One language's campaign views, site-wide pages (home, library, 404, search), and their outputs with its feeds.

    Made from the campaigns' views alone: a build whose workers render the campaigns holds only summaries of them.
    """
    env = environment(lang, memo is not None, content.look)  # the dev server (it keeps a memo) sees edited templates
    views = [pages.memo_view(e, lang, markdown_inline, memo) for e in content.entries]
    shared = pages.shared_pages(content.site, views, lang, memo)
    return views, shared, (page_outputs(content.site, env, shared, asset_urls, memo, content.identity)
                           + feed_outputs(content.site, lang, views, epoch))


def site_wide_files(content: Content, asset_urls: dict[str, str], outputs: list[graph.Output], epoch: int | None,
                    files: output.Files) -> tuple[dict[str, list[str]], dict[str, list[pages.PageRef]]]:
    """`outputs` and every language's site-wide outputs made into `files`, a language at a time (its views let go after).

    Returns the campaign ids in each language's order and its site-wide pages, what the sitemap needs of them.
    """
    graph.make_here(outputs, files)
    order: dict[str, list[str]] = {}
    refs: dict[str, list[pages.PageRef]] = {}
    inline = Renderer().inline
    for lang in content.site.languages:
        views, shared, made = language_outputs(content, lang, asset_urls, epoch, None, inline)
        graph.make_here(made + (site_files(content.site, views) if not order else []), files)
        order[lang], refs[lang] = [v.id for v in views], [p.ref() for p in shared]
    return order, refs


def in_site_order(shared_by_lang: dict[str, list], by_campaign: dict[str, dict[str, tuple]], order: dict[str, list[str]]) -> list:
    """Every page (or PageRef) of the site: per language, the site-wide ones, then each campaign's in `order` (ids)."""
    return [p for lang, ids in order.items()
            for p in [*shared_by_lang[lang], *(p for i in ids for p in by_campaign[lang].get(i, ()))]]


def campaign_outputs(site, entry: Entry, markdown_inline, orders: Orders
                     ) -> tuple[list[graph.Output], dict[str, tuple[pages.Page, ...]]]:
    """One campaign's outputs (its pages in every language, its data files) and its pages by language, made from its entry.

    What a worker that loaded the campaign makes of it (site_outputs makes the same from the parent's views).
    """
    views = {lang: pages.campaign_view(entry, lang, markdown_inline) for lang in site.languages}
    lists = {lang: pages.campaign_page_list(view, site, lang) for lang, view in views.items()}
    first = views[site.languages[0]]
    made = campaign_output(site, first, lists, orders.metrics, orders.asset_urls, orders.pdfs, look=orders.look,
                           identity=orders.identity)
    images = share.image_output(site, first, dict(orders.logos))
    return [*([made] if made else []), data_output(first, site.base_url), *([images] if images else [])], lists


def asset_outputs(assets_dir: Path, site_assets: tuple[tuple[str, bytes], ...], palette: str = ""
                  ) -> tuple[dict[str, str], list[graph.Output]]:
    """fingerprint_assets: the URLs by name, and an output for each file keyed by its bytes' hash."""
    asset_urls, asset_files = fingerprint_assets(assets_dir, site_assets, palette)
    # partial(bytes, data) makes the file's bytes later; bytes() of a bytes object is that object, not a copy
    return asset_urls, [graph.single(path, hashlib.sha256(data).hexdigest(), partial(bytes, data))
                        for path, data in asset_files.items()]


@dataclass
class CampaignPosters:
    """A campaign's fitted posters, made by campaign_output's maker once for all its poster pages in every language."""

    site: Site
    view: pages.CampaignView
    metrics: fonts.Metrics
    asset_urls: dict[str, str]
    pdfs: frozenset[str]

    @cached_property
    def sets(self) -> tuple:
        """Every format's fitted posters; the same in every language."""
        return posters.poster_sets(self.site, self.view, self.metrics, self.asset_urls)

    def context(self, view: pages.CampaignView) -> dict:
        """What posters.html and poster_sheet.html need besides the campaign view of their language."""
        return {**posters.page_context(self.site, view, view.lang, self.sets, self.metrics.exact), "pdfs": self.pdfs,
                "digital": share.digital(view)}


def campaign_pdfs(cid: str, pdfs: frozenset[str]) -> tuple[str, ...]:
    """The campaign's PDFs its gallery links (the rest of a poster page follows its sources)."""
    return tuple(sorted(p for p in pdfs if p.startswith(cid + "-"))) if pdfs else ()


def page_outputs(site, env: jinja2.Environment, shared: list[pages.Page], asset_urls: dict[str, str],
                 memo: graph.Memo | None = None, identity: Identity = PLAIN) -> list[graph.Output]:
    """The site-wide pages of one language, each keyed by what it shows (Page.key)."""
    out = []
    for page in shared:
        key = None if page.key is None else ("page", page.key)
        extra = {"library_item": partial(library_item, env, page.lang, memo), "identity": identity}
        out.append(graph.single(page.out, key, partial(render_page_of, site, env, page, asset_urls, extra),
                                origin=page.url))
    return out


def campaign_output(site, view: pages.CampaignView, lists: dict[str, tuple[pages.Page, ...]], metrics,
                    asset_urls: dict[str, str], pdfs: frozenset[str], reload: bool = False, look: Look = NO_LOOK,
                    identity: Identity = PLAIN) -> graph.Output | None:
    """Every page of one campaign in every language (`lists`: its pages by language), made together (a thousand
    campaigns: 1,000 records, not 22,000); None when it has none. `reload` and `look`: see environment;
    `identity`: the site's logo and key visuals (content.Content.identity).

    Keyed by its sources and the PDFs its gallery links. The posters are fitted in the maker, when the pages are
    made (in a forked worker, or for the dev server only for the campaigns rendered again), once for all the
    languages, and let go with the pages: a worker keeping every campaign's posters grew by 60 MB at 1,000 campaigns.
    """
    by_lang = [(environment(lang, reload, look), list(group)) for lang, group in lists.items() if group]
    if not by_lang:
        return None

    def make() -> dict[str, bytes]:
        campaign, made = CampaignPosters(site, view, metrics, asset_urls, pdfs), {}
        for env, group in by_lang:
            made.update(campaign_pages_made(site, env, group, asset_urls, campaign, identity))
        return made
    first = by_lang[0][1][0]
    key = ("pages", view.entry.digest, campaign_pdfs(view.id, pdfs))
    return graph.Output(first.out, key, make, group=view.id, origin=first.url)


def library_item(env: jinja2.Environment, lang: str, memo: graph.Memo | None, item: dict, root: str) -> Markup:
    """One slogan of the slogan library (_library_item.html); through the memo, kept while it shows the same.

    A year's library page lists every use of its slogans (hundreds of campaigns): an edit changes one slogan.
    """
    def make() -> Markup:
        return Markup(render_page(env, "_library_item.html", {"item": item, "root": root}))
    if memo is None:
        return make()
    uses = tuple((u["campaign"].url, u["campaign"].c.year, u["campaign"].issuer, u["anchor"]) for u in item["uses"])
    return memo.fragment(("library item", lang, root, str(item["html"]), uses, tuple(item["years"]), item["count"]), make)


def campaign_pages_made(site, env: jinja2.Environment, group: list[pages.Page], asset_urls: dict[str, str],
                        campaign: CampaignPosters, identity: Identity) -> dict[str, bytes]:
    """Every page of one campaign in one language; poster pages get the fitted posters."""
    made, fragments = {}, Fragments()
    for page in group:
        extra = (campaign.context(page.context["campaign"]) if page.template in posters.TEMPLATES
                 else {"pdfs": campaign.pdfs} if page.template == "notice.html" else {})
        extra["fragments"], extra["identity"] = fragments, identity
        try:
            made[page.out] = render_page_of(site, env, page, asset_urls, extra)
        except QmError as exc:  # say which page, as Files would for a file
            raise QmError([dataclasses.replace(p, path=p.path or page.url) for p in exc.problems]) from None
    return made


class Fragments(dict):
    """Markup that several pages of one campaign in one language show alike, made by the first page that needs it.

    A template wraps such a part in `{% call fragments.once(key) %}`; the key names everything the part depends
    on that may differ between those pages (the schedule table of the schedule and attachments pages, say).
    """

    def once(self, key: Hashable | None, caller: Callable[[], Markup]) -> Markup:
        """The part rendered by `caller`, or the same part made before under `key` (None: not shared)."""
        if key is None:
            return caller()
        if key not in self:
            self[key] = caller()
        return self[key]


def render_page_of(site, env: jinja2.Environment, page: pages.Page, asset_urls: dict[str, str], extra: dict | None = None) -> bytes:
    """One page with its full context."""
    ctx = {**common_context(site, page, asset_urls, site.languages), **page.context, **(extra or {})}
    return render_page(env, page.template, ctx).encode()


def feed_outputs(site, lang: str, views: list[pages.CampaignView], epoch: int | None) -> list[graph.Output]:
    """The Atom feed and latest/ of one language.

    The feed is keyed by what it shows of each campaign (kept with its view in the memo, per campaign version;
    site.yaml changes clear it): an edit to a notice at 1,000 campaigns does not write it again.
    """
    prefix = LANG_PREFIX[lang]
    out = [graph.single(prefix + "feed.xml", ("feed", lang, epoch, tuple(v.feed_entry for v in views)),
                        lambda: feeds.atom(site, views, lang, epoch))]
    if views:
        latest = pages.newest(views)
        out.append(graph.single(prefix + "latest/index.html", ("latest", lang, latest.id, latest.entry.digest),
                                lambda: feeds.latest_page(site, latest, lang)))
    return out


def site_files(site, first: list[pages.CampaignView]) -> list[graph.Output]:
    """_redirects (from the first language's views), robots.txt and the touch icon."""
    icon = share.icon_output(site)
    return [graph.single("_redirects", None, lambda: feeds.redirects(site.languages, first)),
            graph.single("robots.txt", ("robots", site.base_url),
                         lambda: f"User-agent: *\nAllow: /\n\nSitemap: {site.base_url}sitemap.xml\n"),
            *([icon] if icon else [])]


def redirects_text(content: Content) -> str:
    """The _redirects a build of `content` writes (`build.py nginx` turns it into nginx's)."""
    lang, inline = content.site.languages[0], Renderer().inline
    return feeds.redirects(content.site.languages, [pages.campaign_view(e, lang, inline) for e in content.entries])


def sitemap_output(site, shared_by_lang: dict[str, list], lists_by_lang: dict[str, list], all_pages: list) -> graph.Output:
    """sitemap.xml of `all_pages`, keyed by the pages themselves (their URLs, languages and whether listed: Page's ==).

    The memo keeps an unchanged campaign's page tuple, which compares by identity.
    """
    key = ("sitemap", tuple(t for lang in shared_by_lang for t in (tuple(shared_by_lang[lang]), *lists_by_lang[lang])))
    return graph.single("sitemap.xml", key, lambda: feeds.sitemap(site, all_pages))


def data_output(v: pages.CampaignView, base_url: str) -> graph.Output:
    """A campaign's JSON and iCalendar files (one per campaign and one per activity), made together."""
    def make() -> dict[str, bytes]:
        files = output.Files()
        _campaign_data(files, v, base_url)
        return dict(files)
    # Keyed by the campaign's data, not its digest: the Markdown files are not in it, so a notice edit leaves it.
    return graph.Output(v.url + "campaign.json", ("data", v.id, v.c, base_url), make, group=v.id, origin=v.url)


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

    key = disk_cache.key_of(CALENDAR_VERSION, disk_cache.versions("icalendar"), v.entry.digest, v.id, page_url)
    data = json.loads(disk_cache.cached("ics", key, ".json", make))
    return data["whole"].encode(), {k: r.encode() for k, r in data["rows"].items()}


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH from the environment (reproducible-builds.org), validated."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None or raw == "":
        return None
    if not raw.isdigit():
        raise QmError.at("SOURCE_DATE_EPOCH", 0, 0,
                         N_("SOURCE_DATE_EPOCH must be seconds since 1970, found `%(value)s`", value=raw),
                         N_("for example: export SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)"))
    return int(raw)


def check_look(look: Look) -> None:
    """Stop with every problem of the site's template overrides (overrides.check); its warnings are check's to say."""
    found = Collector()
    overrides.check(look, found)
    found.raise_if_any()


def build(content_dir: str | Path, out_dir: str | Path, drafts: bool = False, workers: int = 0, search: bool = True,
          look: tuple = (None, None)) -> Report:
    """Load, validate, render, and swap the new site in: the recipe behind `python build.py`.

    `workers`: processes that load and render campaigns (0: one per CPU core); each loads its share of the
    campaign folders and renders those campaigns, and this process makes the site-wide pages from their summaries.
    `search`: make the search index (Pagefind). `look`: the --templates and --assets folders (content.load).
    """
    started = time.perf_counter()
    workers = workers or os.cpu_count() or 1
    output.check_target(Path(out_dir), (Path(content_dir),))  # before any work: a wrong --out is said at once
    with batch_gc():
        start = content_mod.begin(content_dir, look=look)
        check_look(start.look)
        if start.site is not None:  # compiled once here, before the workers fork, rather than in each of them
            for lang in start.site.languages:
                environment(lang, False, start.look)
        crew = CampaignWorkers(start.site, start.folders, workers)
        try:
            # The poster face's metrics (0.3 s without the cache) are read while the workers load.
            content = crew.load(start, drafts, meanwhile=fonts.read_face)
            pdf_dir = Path(out_dir) / urls.PDF_DIR  # written by `build.py pdf`; kept across builds by output.write_site
            pdfs = frozenset(p.name for p in pdf_dir.glob("*.pdf")) if pdf_dir.is_dir() else frozenset()
            files, site_pages = publish(content, out_dir, pdfs, workers, search=search, crew=crew)
        finally:
            crew.close()
    notes = (() if admin_mod.ADMIN + "index.html" in files else (admin_mod.MISSING,)) + (() if search else (NO_SEARCH,))
    return Report(len(site_pages), len(files) + len(files.claimed), time.perf_counter() - started, str(out_dir), notes)


def publish(content: Content, out_dir: str | Path, pdfs: frozenset[str], workers: int,
            finish=None, search: bool = True, crew: CampaignWorkers | None = None
            ) -> tuple[output.Files, Sequence[pages.Page | pages.PageRef]]:
    """Render the site into a staging folder beside out_dir and swap it in (the previous site stays if anything fails).

    `finish(staging)` runs on the complete staged site before the swap (`build.py pdf` prints its sheets there).
    `crew`: build's workers, which hold the campaigns (see render_site).
    """
    epoch = source_date_epoch()
    with contextlib.ExitStack() as stack:
        staging = stack.enter_context(output.staged(out_dir, (content.root,) if content.root else ()))
        # Started first, the search index's service loads its Chinese dictionary on the other core while the site renders.
        indexer = stack.enter_context(search_mod.Indexer(staging)) if search else None
        admin = admin_mod.locate(content.root) if content.root else None
        files, site_pages = render_site(content, epoch=epoch, pdfs=pdfs, workers=workers, sink=staging,
                                        poster_font=fonts.poster_font_later, admin=admin, crew=crew)
        output.write_tree(files, staging, epoch)
        if indexer is not None:  # from the pages as written, so the index and the site go live together
            indexer.index(search_mod.reader_files(site_pages), epoch)
        if finish is not None:
            finish(staging)
    return files, site_pages
