"""The Jinja environment: StrictUndefined, autoescape, gettext via Babel, and filters.

Templates receive an explicit context documented in templates/README.md; nothing
else is global except these pure filters and the translation functions.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from importlib.resources import files
from pathlib import Path

import jinja2
import markupsafe
from babel import Locale
from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.visitor import NodeTransformer
from babel.dates import format_date, format_interval, parse_pattern
from markupsafe import Markup

from .errors import QmError
from .i18n import DOMAIN, LOCALE_DIR, N_, babel_locale, translations  # noqa: F401 - re-exported for callers

# Templates, assets and catalogs ship inside the package (a wheel installs them as plain files).
PACKAGE = Path(str(files(__package__)))
TEMPLATES = PACKAGE / "templates"

_CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 21 -> 二十一 (numbers up to 99, as in notice headings)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


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
    return format_date(d, form, locale=babel_locale(lang))


@cache
def fmt_range(start: dt.date, end: dt.date, lang: str) -> str:
    """A date range: 2022年9月1日至30日 (公文 style, ours) / September 1 – 30, 2022 (Babel's interval formats)."""
    if start == end:
        return fmt_date(start, lang)
    if lang == "zh_CN":
        return zh_range(start, end)
    locale = Locale.parse(babel_locale(lang))
    if "MMMM" not in locale.date_formats["long"].pattern:
        return format_interval(start, end, "yMMMd", locale=locale)
    # CLDR has no yMMMMd interval and Babel does not widen fields (TR35 says it should), so
    # the yMMMd pieces are widened here to match the long date: September, not Sep.
    formats = locale.interval_formats["yMMMd"]
    field = "y" if start.year != end.year else "M" if start.month != end.month else "d"
    return "".join(parse_pattern(re.sub(r"(?<!M)MMM(?!M)", "MMMM", p)).apply(d, locale)
                   for p, d in zip(formats[field], (start, end)))


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


class _FoldGettext(NodeTransformer):
    """Replaces `_("literal", name=value)` with its translation, exactly as newstyle gettext would produce it."""

    def __init__(self, gettext) -> None:
        self.gettext = gettext

    def visit_Call(self, node: nodes.Call) -> nodes.Node:
        """A constant gettext call becomes safe constant text, `%`-formatted with its (escaped) variables."""
        node = self.generic_visit(node)
        if not (isinstance(node.node, nodes.Name) and node.node.name in ("_", "gettext") and len(node.args) == 1
                and isinstance(node.args[0], nodes.Const) and isinstance(node.args[0].value, str)
                and node.dyn_args is None and node.dyn_kwargs is None):
            return node
        text = self.gettext(node.args[0].value)
        if not node.kwargs:
            return nodes.MarkSafe(nodes.Const(str(Markup(text) % {})), lineno=node.lineno)
        variables = nodes.Dict([nodes.Pair(nodes.Const(k.key), k.value) for k in node.kwargs], lineno=node.lineno)
        return nodes.Mod(nodes.MarkSafe(nodes.Const(text)), variables, lineno=node.lineno)


_escape_inner = getattr(markupsafe, "_escape_inner", None)  # markupsafe 3's C escaper; absent: escape() below


def escape_text(value) -> str:
    """What markupsafe.escape returns, as a plain str: page output is only joined, so the Markup wrapper
    (a Python-level __new__, built for every `{{ }}` of every page) is not needed there."""
    if _escape_inner is None:
        return str(markupsafe.escape(value))
    if type(value) is str:
        return _escape_inner(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return _escape_inner(str(value))


class _CodeGenerator(CodeGenerator):
    """Jinja's code generator, with `{{ value }}` output escaped by escape_text (a quarter of render time otherwise)."""

    def _output_child_pre(self, node: nodes.Expr, frame, finalize) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write("environment.escape_text(")
            if finalize.src is not None:
                self.write(finalize.src)
        else:
            super()._output_child_pre(node, frame, finalize)


class LocalizedEnvironment(jinja2.Environment):
    """An environment for one language: constant `_()` calls are translated once, when a template compiles.

    Each page otherwise made ~30 gettext calls through Jinja's context machinery (a sixth of render time);
    the output is the same because the environment's catalog never changes (one environment per language).
    """

    gettext = staticmethod(lambda text: text)
    code_generator_class = _CodeGenerator
    escape_text = staticmethod(escape_text)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """Jinja's parse (the one hook between parsing and code generation), then the gettext fold."""
        return _FoldGettext(self.gettext).visit(super()._parse(source, name, filename))


@cache  # compiled templates are reused across builds; auto_reload still notices edited templates
def make_env(lang: str, templates: Path = TEMPLATES) -> jinja2.Environment:
    """A Jinja environment for one language; compiled templates are cached by Jinja."""
    env = LocalizedEnvironment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.gettext = translations(lang).gettext
    env.filters.update(
        cn_number=cn_number,
        tel_href=tel_href,
        web_href=web_href,
        date=lambda d, form="long": fmt_date(d, lang, form),
        date_range=lambda p: fmt_range(p[0], p[1], lang),
        safe_html=Markup,  # only for HTML that went through markup.Renderer (nh3-sanitised)
    )
    env.globals["lang"] = lang
    env.globals["html_lang"] = html_lang(lang)
    return env


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
