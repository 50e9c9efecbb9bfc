"""The Jinja environment: StrictUndefined, autoescape, gettext via Babel, and filters.

Templates receive an explicit context documented in templates/README.md; nothing
else is global except these pure filters and the translation functions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import os
import re
from collections.abc import Iterator
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path

import jinja2
from jinja2.ext import Extension
from jinja2.lexer import TOKEN_LPAREN, TOKEN_NAME, TOKEN_PIPE, TOKEN_RPAREN, TOKEN_STRING, Token, TokenStream
from markupsafe import Markup, escape

from .. import boot
from .. import cache as disk_cache
from ..errors import QmError
from ..i18n import DOMAIN, LOCALE_DIR, N_, babel_locale, catalog_digest, translations  # noqa: F401 - re-exported for callers
from ..printing.gongwen import as_written, column_widths, title_lines  # the 公文's titles, list cells and table columns
from ..printing.linebreak import text_phrases as phrases  # one line-breaking module for pages and posters: the `phrases` filter
from ..source.markup import cn_number  # the cn_number filter: a notice's section numbers

# Templates, assets and catalogs ship inside the package (a wheel installs them as plain files).
PACKAGE = Path(str(files("qm_site")))  # the top package, which holds templates/, assets/ and locale/
TEMPLATES = PACKAGE / "templates"

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_TAG = re.compile(r"(<[^>]*>)")


def phrase_html(value, spaced: bool = False) -> Markup:
    """The `phrases` filter: text or sanitised HTML with <wbr> between BudouX phrases (CSS keeps each phrase whole).

    `spaced` (slogans, themes: 提升质量 追求卓越): each space-separated half is kept together where it fits, so a
    line breaks at the slogan's own spaces first and between phrases only when a half is wider than the line.
    """
    return _phrase_markup(str(value.__html__()) if hasattr(value, "__html__") else str(escape_text(value)), spaced)


@lru_cache(maxsize=8192)  # a campaign's theme, slogans and headings recur on its pages in both languages
def _phrase_markup(source: str, spaced: bool) -> Markup:
    """phrase_html of escaped text or sanitised HTML."""
    if not _CJK.search(source):
        return Markup(source)
    parts = []
    for piece in _TAG.split(source):
        if piece.startswith("<") or not _CJK.search(piece):
            parts.append(piece)
        elif spaced:
            parts.append(re.sub(r"\S+", lambda m: f'<span class="phr-w">{_wbr(m.group())}</span>', piece))
        else:
            parts.append(_wbr(piece))
    return Markup('<span class="phr">%s</span>') % Markup("".join(parts))


def _wbr(escaped: str) -> str:
    """Escaped text with <wbr> between its phrases."""
    return "<wbr>".join(html.escape(p, quote=False) for p in phrases(html.unescape(escaped)))


def escape_text(value) -> Markup:
    """Escaped text of a plain value (None is empty)."""
    return Markup.escape("" if value is None else value)


def schedule_rows(sv, ics_base: str, lang: str, pick, zh: Markup, labels: tuple[str, str, str, str]) -> Markup:
    """The rows of a schedule table (the body of _macros.html's schedule_table), drawn here rather than in the
    template: a row is some twenty values, and escaping each through Jinja made the table half of its pages' time.

    `sv` is a pages.ScheduleView, `ics_base` the URL the rows' calendar files start from, `pick` Picker.html,
    `zh` the page's mark for Chinese shown as it stands, `labels` the headings No., Place, Details and
    "Add to calendar" in the page's language (each cell names its column on phones, where the table is a list).
    """
    t_no, t_place, t_details, t_calendar = (Markup.escape(t) for t in labels)
    t_time, merged, ics_base = Markup.escape(sv.time_label), sv.schedule.merge_time_place, Markup.escape(ics_base)
    out = []
    for r in sv.rows:
        row = r.row
        name = pick(row.name, row.name_en)
        time = "".join((
            f'<span class="when"{zh}>{phrase_html(row.time)}</span>' if row.time else "",
            f'<span class="where"{zh}>{phrase_html(row.place)}</span>' if merged and row.place else "",
            (f'<span class="when-parsed">{Markup.escape(fmt_range(r.start, r.end, lang))}</span>'
             if r.start and lang == "en" else ""),
            f'<a class="ics" href="{ics_base}ics/{Markup.escape(r.ics)}" download>{t_calendar}'
            f'<span class="visually-hidden">: {name}</span></a>' if r.ics else ""))
        place = "" if merged else f'<td class="col-place" data-label="{t_place}"{zh}>{phrase_html(row.place)}</td>'
        details = (f"<p{zh}>{phrase_html(row.details)}</p>\n" if isinstance(row.details, str)
                   else f'<ol{zh}>{"".join(f"<li>{phrase_html(d)}</li>" for d in row.details)}</ol>' if row.details else "")
        out.append(
            f'      <tr id="{Markup.escape(r.anchor)}" data-months="{Markup.escape(" ".join(map(str, r.months)))}"'
            f' data-mode="{Markup.escape(r.mode)}">\n'
            f'        <td class="col-no" data-label="{t_no}">{"" if row.no is None else Markup.escape(row.no)}</td>\n'
            f'        <th scope="row" class="col-name">{phrase_html(name)}</th>\n'
            f'        <td class="col-time" data-label="{t_time}">\n{time}        </td>\n'
            f'{place}        <td class="col-details" data-label="{t_details}">\n{details}        </td>\n'
            "      </tr>\n")
    return Markup("".join(out))


def tel_href(number: str) -> str:
    """A tel: URL from a number as printed: （0756）2661370 -> tel:+867562661370."""
    digits = re.sub(r"\D", "", number)
    if digits.startswith("0"):
        return "tel:+86" + digits[1:]
    if len(digits) == 11 and digits.startswith("1"):
        return "tel:+86" + digits
    return "tel:" + digits


def web_href(site: str) -> str:
    """An http(s) URL from a website as printed (www.njcaq.org)."""
    return site if re.match(r"^https?://", site) else "http://" + site


@cache  # Babel formatting costs ~0.5 ms a call and the same dates recur on many pages
def fmt_date(d: dt.date, lang: str, form: str = "long") -> str:
    """2022年9月1日 / September 1, 2022: Chinese long dates in our own words, never a locale database's."""
    if lang == "zh_CN" and form == "long":
        return f"{d.year}年{d.month}月{d.day}日"
    if form == "long":
        return babel_month(lang, d.year, d.month)["long"][d.day - 1]
    from babel.dates import format_date

    return format_date(d, form, locale=babel_locale(lang))


@cache
def babel_month(lang: str, year: int, month: int) -> dict:
    """What Babel makes of each day of a month in `lang`, through the disk cache: its long date, and the pieces of the
    range formats fmt_range joins (`range`: field -> [start pieces, end pieces]; None where it uses format_interval).

    Loading Babel's locale data (CLDR's root and English merged) cost every build with English pages ~20 ms.
    """
    key = disk_cache.key_of("dates-v1", babel_locale(lang), f"{year}-{month}", disk_cache.versions("babel"))
    return json.loads(disk_cache.cached("babel", key, ".json", lambda: _babel_month_json(lang, year, month)))


def _babel_month_json(lang: str, year: int, month: int) -> bytes:
    """babel_month from Babel itself, in JSON (imported here: a warm build needs none of it)."""
    from babel import Locale
    from babel.dates import format_date, parse_pattern

    locale = Locale.parse(babel_locale(lang))
    first = dt.date(year, month, 1)
    days = [first + dt.timedelta(days=k) for k in range(31) if (first + dt.timedelta(days=k)).month == month]
    ranges = None
    if "MMMM" in locale.date_formats["long"].pattern:
        # CLDR has no yMMMMd interval and Babel does not widen fields (TR35 says it should), so
        # the yMMMd pieces are widened here to match the long date: September, not Sep.
        formats = locale.interval_formats["yMMMd"]
        ranges = {field: [[parse_pattern(re.sub(r"(?<!M)MMM(?!M)", "MMMM", p)).apply(d, locale) for d in days]
                          for p in formats[field]] for field in ("y", "M", "d")}
    long = [format_date(d, "long", locale=locale) for d in days]
    return json.dumps({"long": long, "range": ranges}, ensure_ascii=False).encode()


def month_names(lang: str) -> dict[int, str]:
    """Babel's wide month names (1: 一月 / January …), through the disk cache.

    The Chinese pages use Babel for nothing else, and loading its zh_Hans_CN locale data took ~10 ms a build.
    """
    key = disk_cache.key_of("months-v1", babel_locale(lang), disk_cache.versions("babel"))
    names = json.loads(disk_cache.cached("babel", key, ".json", lambda: _month_names_json(lang)))
    return {int(number): name for number, name in names.items()}


def _month_names_json(lang: str) -> bytes:
    """month_names as Babel gives them, in JSON."""
    from babel.dates import get_month_names

    return json.dumps(dict(get_month_names("wide", locale=babel_locale(lang))), ensure_ascii=False).encode()


@cache
def fmt_range(start: dt.date, end: dt.date, lang: str) -> str:
    """A date range: 2022年9月1日至30日 (公文 style, ours) / September 1 – 30, 2022 (Babel's interval formats)."""
    if start == end:
        return fmt_date(start, lang)
    if lang == "zh_CN":
        return zh_range(start, end)
    months = (babel_month(lang, start.year, start.month), babel_month(lang, end.year, end.month))
    if months[0]["range"] is None:  # the locale's long date has no MMMM: its own interval format fits it
        from babel.dates import format_interval

        return format_interval(start, end, "yMMMd", locale=babel_locale(lang))
    # The start's piece of the pattern for the largest field that differs, then the end's (babel_month widened them).
    field = "y" if start.year != end.year else "M" if start.month != end.month else "d"
    return "".join(month["range"][field][k][d.day - 1] for k, (month, d) in enumerate(zip(months, (start, end)))
                   if k < len(month["range"][field]))


def zh_range(start: dt.date, end: dt.date) -> str:
    """The 公文 convention: the end repeats only what differs (9月1日至30日, 9月1日至10月31日, 2022年12月20日至2023年1月5日).

    Written out here, not taken from CLDR: Babel 2.19's data changed 至 to an en dash, and published
    pages must not change wording because a library was upgraded.
    """
    if start.year != end.year:
        tail = f"{end.year}年{end.month}月{end.day}日"
    elif start.month != end.month:
        tail = f"{end.month}月{end.day}日"
    else:
        tail = f"{end.day}日"
    return f"{start.year}年{start.month}月{start.day}日至{tail}"


def html_lang(lang: str) -> str:
    """BCP 47 tag for the html lang attribute."""
    return "zh-CN" if lang == "zh_CN" else "en"


class FoldGettext(Extension):
    """Translates constant `_("literal")` calls once, when a template is compiled (Jinja's documented filter_stream).

    Each page otherwise made ~30 gettext calls through Jinja's context machinery; the output is the same because
    an environment's catalog never changes (one environment per language): `_("x")` becomes `("译文"|safe)`, what
    newstyle gettext returns for it. Calls with variables (`_("%(n)s …", n=…)`) are left to gettext at render time.
    """

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        """Rewrite `_ ( "text" )` token runs; every other token passes through."""
        gettext = self.environment.gettext  # type: ignore[attr-defined]
        window: list[Token] = []
        for token in stream:
            window.append(token)
            if len(window) < 4:
                continue
            if _is_constant_call(window):
                name, _, text, _ = window
                yield from _safe_text(name.lineno, str(Markup(gettext(text.value)) % {}))
                window = []
            else:
                yield window.pop(0)
        yield from window


def _is_constant_call(tokens: list[Token]) -> bool:
    """`_`/`gettext`, `(`, a string, `)`: a call with one literal argument."""
    name, lparen, text, rparen = tokens
    return (name.type == TOKEN_NAME and name.value in ("_", "gettext") and lparen.type == TOKEN_LPAREN
            and text.type == TOKEN_STRING and rparen.type == TOKEN_RPAREN)


def _safe_text(lineno: int, text: str) -> list[Token]:
    """The tokens of `("text"|safe)`."""
    return [Token(lineno, TOKEN_LPAREN, "("), Token(lineno, TOKEN_STRING, text), Token(lineno, TOKEN_PIPE, "|"),
            Token(lineno, TOKEN_NAME, "safe"), Token(lineno, TOKEN_RPAREN, ")")]


@cache  # compiled templates are reused across builds; with `reload`, edited templates are still noticed
def make_env(lang: str, templates: Path = TEMPLATES, reload: bool = True, overrides: Path | None = None,
             names: tuple[str, ...] = ()) -> jinja2.Environment:
    """A Jinja environment for one language; compiled templates are cached by Jinja, in memory and on disk.

    `reload`: look at each template file's time whenever it is used, so an edited template is read again (the
    dev server); a build reads each once (the checks were 3% of a build: three templates a page).
    `overrides`: the site's templates/ folder (see loader); `names`, its templates, only make a folder whose
    files were added or removed a new environment (an edited one is seen through `reload`).
    """
    env = jinja2.Environment(
        loader=loader(templates, overrides),
        auto_reload=reload,
        bytecode_cache=bytecode_cache(lang),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n", FoldGettext],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.extend(gettext=translations(lang).gettext)  # the catalog FoldGettext translates with (Environment.extend: public)
    env.filters.update(
        cn_number=cn_number,
        phrases=phrase_html,
        tel_href=tel_href,
        web_href=web_href,
        date=lambda d, form="long": fmt_date(d, lang, form),
        date_range=lambda p: fmt_range(p[0], p[1], lang),
        safe_html=Markup,  # only for HTML that went through markup.Renderer (nh3-sanitised)
        title_lines=title_lines,
        as_written=as_written,
        column_widths=column_widths,
    )
    env.globals["lang"] = lang
    env.globals["html_lang"] = html_lang(lang)
    env.globals["boot_script"] = Markup(boot.SCRIPT)  # our own constant text, allowed by its hash (headers.py)
    return env


BUILTIN = "builtin"  # `{% extends "builtin:base.html" %}`: qm-site's own template, even where the site overrides it


def loader(templates: Path, overrides: Path | None) -> jinja2.BaseLoader:
    """qm-site's templates; with the site's `overrides` folder, its files first (as MkDocs' custom_dir, Hugo's
    layouts/ over a theme), and every built-in template also as builtin:NAME, so an override can extend the one
    it replaces and change a block."""
    builtin = jinja2.FileSystemLoader(str(templates))
    if overrides is None:
        return builtin
    return jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(overrides)),
                                jinja2.PrefixLoader({BUILTIN: builtin}, delimiter=":"), builtin])


def bytecode_cache(lang: str) -> jinja2.BytecodeCache | None:
    """Jinja's on-disk cache of compiled templates, one folder per language and catalog; None where it cannot write.

    Compiling the 18 templates costs ~0.3 s per language, a third of the seed site's whole build. Jinja checks
    each template's source checksum; the folder's name covers what else the compiled code depends on: FoldGettext
    puts the language's translations into it, so each catalog, and this module's own code, gets its own folder.
    """
    key = disk_cache.key_of(lang, catalog_digest(lang), hashlib.sha256(Path(__file__).read_bytes()).hexdigest(),
                            jinja2.__version__)
    folder = disk_cache.cache_dir() / "jinja" / key
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # a read-only checkout builds without it
    return jinja2.FileSystemBytecodeCache(str(folder)) if os.access(folder, os.W_OK) else None


def compile_all(env: jinja2.Environment) -> None:
    """Load every template now: a process that forks render workers then compiles (or reads) each once, not once per worker."""
    for name in env.list_templates(extensions=["html"]):
        if not name.startswith(BUILTIN + ":"):  # the same files as their plain names
            env.get_template(name)


def template_error(exc: Exception, template: str) -> QmError:
    """Turn a Jinja failure into a QmError naming the template file and line."""
    path, line = str(TEMPLATES / template), 0
    if isinstance(exc, jinja2.TemplateSyntaxError):
        path, line = exc.filename or path, exc.lineno or 0
    else:
        tb = exc.__traceback__
        while tb is not None:  # the innermost frame that belongs to a template file
            name = tb.tb_frame.f_code.co_filename
            if name.endswith(".html"):
                path, line = name, tb.tb_lineno
            tb = tb.tb_next
    hint = (N_("a template uses a value the page context does not have; see templates/README.md for each page's context")
            if isinstance(exc, jinja2.UndefinedError) else N_("check the template syntax near this line"))
    try:
        shown = str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        shown = path
    return QmError.at(shown, line, 1 if line else 0, N_("template error: %(error)s", error=str(exc)), hint)


def library_uses(uses: list[dict], root: str, org) -> Markup:
    """The links of _library_item.html to each campaign that used a slogan, one <li> a line (the template indents the first).

    A Python loop, as schedule_rows: the library lists every use of every slogan (100,000 a language at 5,000
    campaigns), and the template's loop was most of the time the build's parent spends on site-wide pages.
    """
    base = escape(root)
    return Markup("\n      ".join(
        f'<li><a href="{base}{escape(c.url)}slogans/#{escape(u["anchor"])}">'
        f'<span class="year">{c.c.year}</span> {org(c.issuer)}</a></li>'
        for u in uses for c in (u["campaign"],)))


def year_links(years: list[int], root: str) -> Markup:
    """The links of _library_item.html to the library pages of the other years a slogan was used in, " · " between."""
    base = escape(root)
    return Markup(" · ".join(f'<a href="{base}slogans/{y}/">{y}</a>' for y in years))
