"""Languages: complete catalogs, no text outside gettext, both languages built, dates, and `check` in Chinese.

The catalogs are compared with a fresh extraction (babel.cfg, in-process), so a new `_()` or
`N_()` without a translation fails here; `make i18n` updates them (see the README).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from jinja2 import nodes

import sitecheck
from qm_site import cli, i18n
from qm_site.errors import Problem
from qm_site.i18n import N_
from qm_site.site import builder
from qm_site.site.render import TEMPLATES, fmt_date, fmt_range, make_env
from qm_site.source import content
from sitecheck import CONTENT

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "qm_site" / "locale"
FIXTURES = Path(__file__).parent / "fixtures"
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# The only user-visible attributes; others (lang, class, data-*) are not read to anyone.
VISIBLE_ATTRS = {"aria-label", "title", "alt", "placeholder"}


# --- catalogs --------------------------------------------------------------------------


def _key(message_id) -> str | tuple[str, ...]:
    return tuple(message_id) if isinstance(message_id, (list, tuple)) else message_id


def _compared(message, text):
    """What of a message's text is compared with its msgid: a plural one's first form, a singular one whole."""
    return _key(text)[0 if message.pluralizable else slice(None)]


@pytest.fixture(scope="module")
def extracted() -> set:
    """Every msgid in the sources, extracted as `pybabel extract -F babel.cfg` would."""
    with (ROOT / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    return {_key(msg) for _, _, msg, _, _ in extract_from_dir(str(ROOT), method_map, options_map)}


def catalog(lang: str):
    """One language's catalog as Babel reads it."""
    with (LOCALE / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=lang)


def ids(cat) -> set:
    """The msgids of a catalog (plural messages as (singular, plural))."""
    return {_key(m.id) for m in cat if m.id}


def test_template_catalog_is_current(extracted):
    with (LOCALE / "messages.pot").open("rb") as fh:
        pot = read_po(fh)
    assert ids(pot) == extracted, "run `make i18n` to re-extract messages.pot"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_catalog_has_every_extracted_message(lang, extracted):
    have = ids(catalog(lang))
    missing, stale = extracted - have, have - extracted
    assert not missing and not stale, (f"{lang}: not in the catalog: {sorted(map(str, missing))}\n"
                                       f"no longer in the sources: {sorted(map(str, stale))}\nrun `make i18n`, then translate")


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_catalog_is_fully_translated_and_not_fuzzy(lang):
    cat = catalog(lang)
    assert not cat.fuzzy, f"{lang}: the header is marked fuzzy"
    problems = []
    for m in cat:
        if not m.id:
            continue
        strings = m.string if isinstance(m.string, (list, tuple)) else (m.string,)
        if m.fuzzy:
            problems.append(f"fuzzy: {m.id!r}")
        if not all(strings) or (m.pluralizable and len(strings) != cat.num_plurals):
            problems.append(f"untranslated: {m.id!r}")
    problems += [f"{m.id!r}: {err}" for m, errors in cat.check() for err in errors]  # placeholders must match
    assert not problems, f"{lang}:\n" + "\n".join(problems)


def test_english_catalog_is_the_msgids():
    for m in catalog("en"):
        if m.id:
            assert _key(m.string) == _key(m.id), m.id


def test_chinese_catalog_is_chinese():
    """Each Chinese string differs from its English msgid (a copied msgid is a forgotten translation)."""
    cat = catalog("zh_CN")
    assert cat.num_plurals == 1
    same = [m.id for m in cat if m.id and _compared(m, m.string) == _compared(m, m.id)]
    assert not same, same


@pytest.mark.parametrize("msgid,zh", [
    ("Schedule", "活动安排"), ("Slogans", "活动口号"), ("Notice", "通知全文"), ("Attachments", "附件"),
    ("Contacts", "联系方式"), ("Slogan library", "口号库"), ("Campaigns", "历年活动"), ("Overview", "活动概览"),
    ("Add to calendar", "加入日历"), ("Skip to content", "跳到正文"), ("%(year)s Quality Month", "%(year)s年质量月"),
])
def test_key_terms_in_chinese(msgid, zh):
    assert i18n.translations("zh_CN").gettext(msgid) == zh


def test_chinese_plurals_have_one_form():
    t = i18n.translations("zh_CN")
    assert t.ngettext("%(num)d attachment", "%(num)d attachments", 1) == t.ngettext("%(num)d attachment", "%(num)d attachments", 5)


# --- templates: no text outside gettext -----------------------------------------------------


class _TextFinder(HTMLParser):
    """Collects text nodes and user-visible attribute values of a template with Jinja stripped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self.code = False  # inside <style> or <script>: CSS and JavaScript are not read to anyone

    def handle_starttag(self, tag, attrs):
        self.code = tag in ("style", "script")
        for name, value in attrs:
            if name in VISIBLE_ATTRS and value and _has_letters(value):
                self.found.append((self.getpos()[0], f'{name}="{value}"'))

    def handle_endtag(self, tag):
        self.code = False

    def handle_data(self, data):
        if not self.code and _has_letters(data):
            self.found.append((self.getpos()[0], data.strip()))


def _has_letters(text: str) -> bool:
    """Whether text has any letter (Latin, CJK...): punctuation such as ·：、（） and digits are allowed."""
    return any(unicodedata.category(ch).startswith("L") for ch in text)


def _strip_jinja(source: str) -> str:
    """Template source with comments and statements removed and each {{ expression }} replaced by a symbol."""
    source = re.sub(r"\{#.*?#\}", "", source, flags=re.S)
    # Blocks named *_class fill a class attribute (class="{% block body_class %}page{% endblock %}").
    source = re.sub(r"\{%-?\s*block\s+\w*_class\s*-?%\}.*?\{%-?\s*endblock\b.*?%\}", "", source, flags=re.S)
    source = re.sub(r"\{%.*?%\}", "", source, flags=re.S)
    return re.sub(r"\{\{.*?\}\}", "§", source, flags=re.S)  # keeps line numbers: no newline is removed


def _templates() -> list[str]:
    return sorted(p.name for p in TEMPLATES.glob("*.html"))


@pytest.mark.parametrize("name", _templates())
def test_template_has_no_text_outside_gettext(name):
    source = (TEMPLATES / name).read_text(encoding="utf-8")
    finder = _TextFinder()
    finder.feed(_strip_jinja(source))
    finder.close()
    assert not finder.found, f"{name}: text outside _(): " + "; ".join(f"line {n}: {t!r}" for n, t in finder.found)


@pytest.mark.parametrize("name", _templates())
def test_visible_attributes_are_gettext_or_data(name):
    """aria-label, title, alt, placeholder: {{ _(...) }} calls and content values joined by punctuation, no literal words."""
    source = (TEMPLATES / name).read_text(encoding="utf-8")
    bad = [m.group(0).strip() for m in re.finditer(r'\s({})="([^"]*)"'.format("|".join(VISIBLE_ATTRS)), source)
           if _has_letters(_strip_jinja(m.group(2)))]
    assert not bad, f"{name}: {bad}"


def _literal_outputs(node) -> list[str]:
    """String constants a template prints directly: {{ 'text' }} or {{ a if b else 'text' }}."""
    if isinstance(node, nodes.Const) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, nodes.CondExpr):
        return _literal_outputs(node.expr1) + (_literal_outputs(node.expr2) if node.expr2 else [])
    if isinstance(node, nodes.Concat):
        return [s for n in node.nodes for s in _literal_outputs(n)]
    return []


@pytest.mark.parametrize("name", _templates())
def test_template_prints_no_string_literals(name):
    env = make_env("en")
    ast = env.parse((TEMPLATES / name).read_text(encoding="utf-8"))
    printed = [s for out in ast.find_all(nodes.Output) for n in out.nodes if not isinstance(n, nodes.TemplateData)
               for s in _literal_outputs(n) if _has_letters(s)]
    assert not printed, f"{name} prints text outside _(): {printed}"


def test_the_text_finder_catches_text():
    finder = _TextFinder()
    finder.feed(_strip_jinja('<body class="{% block body_class %}page{% endblock %}"><p>{{ _("ok") }}：{{ x }}</p>'
                             '<p title="Hello">下载 {{ y }}</p><a aria-label="{{ _(\'x\') }}">§</a>'
                             '<style>p { color: red }</style>'))
    assert [t for _, t in finder.found] == ['title="Hello"', "下载 §"]


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_compile_time_translation_matches_jinja_gettext(lang):
    """Constant _() calls are translated when a template compiles, with the bytes Jinja's own gettext gives."""
    source = ('<a title="{{ _(\'Site\') }}">{{ _("Skip to content") }}</a>|{{ _("template error: %(error)s", error=v) }}'
              '|{% for k, label in [("n", _("Notice"))] %}{{ label }}{% endfor %}|{{ _(v) }}|{{ _("100%% sure") }}')
    folded = make_env(lang)
    plain = jinja2.Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    plain.install_gettext_translations(i18n.translations(lang), newstyle=True)  # type: ignore[attr-defined]
    values = {"v": "<b>&</b>"}
    assert folded.from_string(source).render(values) == plain.from_string(source).render(values)
    assert "&lt;b&gt;" in folded.from_string(source).render(values)
    code = folded.compile(source, raw=True)
    # only _(v), whose text is known at render time, and the call with a variable are looked up then
    assert code.count("l_0__ is missing") == 2


def test_babel_cfg_matches_the_jinja_environment():
    """Extraction parses templates as the site does: same extensions and whitespace options."""
    with (ROOT / "babel.cfg").open() as fh:
        _, options = parse_mapping_cfg(fh)
    opts = options["qm_site/templates/**.html"]
    env = make_env("en")
    assert "jinja2.ext.i18n" in opts["extensions"] and "jinja2.ext.InternationalizationExtension" in env.extensions
    for flag in ("trim_blocks", "lstrip_blocks", "keep_trailing_newline"):
        assert (opts.get(flag) == "true") == getattr(env, flag), flag
    assert opts.get("newstyle_gettext") == "true" and env.newstyle_gettext  # type: ignore[attr-defined]


# --- dates -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang,expected", [("zh_CN", "2022年9月1日"), ("en", "September 1, 2022")])
def test_dates_follow_the_locale(lang, expected):
    assert fmt_date(dt.date(2022, 9, 1), lang) == expected


@pytest.mark.parametrize("start,end,lang,expected", [
    ((2022, 9, 1), (2022, 11, 30), "zh_CN", "2022年9月1日至11月30日"),
    ((2022, 9, 1), (2022, 11, 30), "en", "September 1 – November 30, 2022"),
    ((2022, 9, 1), (2022, 9, 30), "zh_CN", "2022年9月1日至30日"),
    ((2022, 9, 1), (2022, 9, 30), "en", "September 1 – 30, 2022"),
    ((2022, 12, 20), (2023, 1, 5), "zh_CN", "2022年12月20日至2023年1月5日"),
    ((2022, 12, 20), (2023, 1, 5), "en", "December 20, 2022 – January 5, 2023"),
    ((2022, 9, 1), (2022, 9, 1), "en", "September 1, 2022"),
])
def test_date_ranges_use_interval_formats(start, end, lang, expected):
    # CLDR puts thin spaces around the en dash; compare with ordinary spaces.
    assert fmt_range(dt.date(*start), dt.date(*end), lang).replace("\u2009", " ") == expected


def test_templates_format_dates_only_with_the_filters():
    """Dates reach pages through |date and |date_range (Babel), never str() or strftime."""
    for name in _templates():
        source = (TEMPLATES / name).read_text(encoding="utf-8")
        assert not re.search(r"isoformat|strftime|\.year\s*\}\}年|\.month\b", source), name


# --- the built site ------------------------------------------------------------------------


class _LangText(HTMLParser):
    """Text nodes of <body> with the language in effect (the nearest lang attribute)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = []
        self.texts: list[tuple[str, str]] = []  # (lang, text)
        self.in_body = False

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self.in_body = True
        if tag in self.VOID:
            return
        lang = dict(attrs).get("lang") or (self.stack[-1][1] if self.stack else "")
        self.stack.append((tag, lang))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.in_body and data.strip() and self.stack and self.stack[-1][0] not in ("script", "style"):
            self.texts.append((self.stack[-1][1], data.strip()))


def lang_texts(path: Path) -> list[tuple[str, str]]:
    """(lang, text) for every text node in a page's body."""
    parser = _LangText()
    parser.feed(unphrase(path.read_text(encoding="utf-8")))
    return parser.texts


def unphrase(html: str) -> str:
    """The page without the line-breaking hints of the `phrases` filter (<wbr>, a slogan's halves), which are no text boundaries."""
    return re.sub(r'<span class="phr-w">([^<]*)</span>', r"\1", html.replace("<wbr>", ""))


@pytest.fixture(scope="module")
def viewable(site_dir: Path) -> list[str]:
    return sitecheck.viewable_pages(site_dir)


def _site_page(rel: str) -> bool:
    """A page with the site's header; poster sheets are bare print layouts (one poster per printed page)."""
    return not sitecheck.page_kind(rel).endswith("-sheet")


def _translated(rel: str) -> bool:
    """A page of both languages: the 公众号 article (for editors, noindex) is Chinese only, without alternates or switch."""
    return _site_page(rel) and sitecheck.page_kind(rel) != "article"


def test_pages_declare_their_language(site_dir, viewable):
    for rel in viewable:
        expected = "en" if rel.startswith("en/") else "zh-CN"
        assert sitecheck.parse_page(site_dir / rel).lang == expected, rel


def _alternates(path: Path) -> dict[str, str]:
    html = path.read_text(encoding="utf-8")
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def test_every_page_has_hreflang_alternates_both_ways(site_dir, viewable, base_url):
    """Each page names itself and its translation; the translation names it back (404 pages are not indexed)."""
    for rel in viewable:
        if sitecheck.page_kind(rel) == "404" or not _translated(rel):
            continue
        bare = sitecheck.page_url(rel).removeprefix("en/")
        alts = _alternates(site_dir / rel)
        assert alts == {"zh-CN": base_url + bare, "en": base_url + "en/" + bare}, rel
        other = ("" if rel.startswith("en/") else "en/") + rel.removeprefix("en/")
        assert (site_dir / other).is_file(), f"{rel}: no translation {other}"
        assert _alternates(site_dir / other) == alts, f"{other} does not link back to {rel}"


def test_every_page_has_a_working_language_switch(site_dir, viewable, base_url):
    for rel in filter(_translated, viewable):
        html = (site_dir / rel).read_text(encoding="utf-8")
        nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S)
        assert nav, rel
        switch = re.findall(r'<a href="([^"]*)" hreflang="([^"]+)" lang="([^"]+)">([^<]+)</a>', nav.group(0))
        want = "zh-CN" if rel.startswith("en/") else "en"
        assert [(h, label) for _, h, label, _ in switch] == [(want, want)], f"{rel}: {switch}"
        href, _, _, label = switch[0]
        assert label == {"en": "English", "zh-CN": "中文"}[want]
        path, _ = sitecheck.internal_path(rel, href, base_url)
        file, why = sitecheck.target_file(site_dir, path, {})
        assert file is not None, f"{rel}: language switch {href}: {why}"
        counterpart = ("" if rel.startswith("en/") else "en/") + rel.removeprefix("en/")
        assert file == site_dir / counterpart, f"{rel}: language switch goes to {file}"


def test_chinese_only_pages_offer_no_language_switch(site_dir, viewable):
    only = [rel for rel in viewable if _site_page(rel) and not _translated(rel)]
    assert only and all(not rel.startswith("en/") for rel in only)
    for rel in only:
        html = (site_dir / rel).read_text(encoding="utf-8")
        assert 'hreflang="en"' not in html, rel


def test_english_home_speaks_english(site_dir):
    en = (site_dir / "en" / "index.html").read_text(encoding="utf-8")
    zh = (site_dir / "index.html").read_text(encoding="utf-8")
    for label in ("Skip to content", "Campaigns", "Slogan library", "All campaigns", "View the campaign", "Atom feed"):
        assert label in en
    for label in ("跳到正文", "历年活动", "口号库", "全部活动", "查看活动详情"):
        assert label in zh and label not in en
    assert "Skip to content" not in zh


def test_chinese_text_on_english_pages_is_marked(site_dir, viewable):
    """Where an English page shows Chinese (no translation given), the element says lang="zh-CN"."""
    unmarked = []
    for rel in viewable:
        if rel.startswith("en/"):
            unmarked += [f"{rel}: {text[:40]!r}" for lang, text in lang_texts(site_dir / rel)
                         if CJK.search(text) and lang != "zh-CN"]
    assert not unmarked, f"{len(unmarked)} unmarked Chinese text nodes:\n" + "\n".join(unmarked[:40])


CAMPAIGN = """\
year: 2022
slug: untranslated
title: 测试通知
issuer: 测试协会
theme: 质量第一 诚信为本
guiding_ideology: 以习近平新时代中国特色社会主义思想为指导。
body: notice.md
contacts:
  - organization: 测试协会秘书处
    people: [张三]
    address: 南京市某路1号
"""

NOTICE = "各有关单位：\n\n现将有关事项通知如下。\n\n## 活动内容\n\n开展质量宣传。\n"


@pytest.fixture(scope="module")
def untranslated(tmp_path_factory) -> dict[str, str]:
    """A site from one campaign with no English fields: output path -> HTML text."""
    root = tmp_path_factory.mktemp("untranslated")
    shutil.copy(FIXTURES / "site.yaml", root / "site.yaml")
    (root / "c").mkdir()
    (root / "c" / "campaign.yaml").write_text(CAMPAIGN, encoding="utf-8")
    (root / "c" / "notice.md").write_text(NOTICE, encoding="utf-8")
    files, _ = builder.render_site(content.load(root))
    return {k: v.decode("utf-8") for k, v in files.items() if k.endswith(".html")}


def _texts(html: str) -> list[tuple[str, str]]:
    parser = _LangText()
    parser.feed(unphrase(html))
    return parser.texts


def test_missing_english_theme_shows_the_chinese_marked(untranslated):
    texts = _texts(untranslated["en/2022/untranslated/index.html"])
    assert ("zh-CN", "质量第一 诚信为本") in texts
    assert ("zh-CN", "测试通知") in texts  # the title, too
    assert ("en", "Theme") in texts
    assert ("zh-CN", "质量第一 诚信为本") in _texts(untranslated["en/index.html"])  # the home page's featured theme


def test_missing_english_notice_marks_only_the_chinese(untranslated):
    texts = _texts(untranslated["en/2022/untranslated/notice/index.html"])
    assert [t for lang, t in texts if CJK.search(t) and lang != "zh-CN"] == []
    for label in ("Guiding ideology", "Theme", "Contacts"):
        assert ("en", label) in texts, label
    assert ("zh-CN", "活动内容") in texts and ("zh-CN", "开展质量宣传。") in texts
    assert ("zh-CN", "测试协会秘书处") in texts


def test_chinese_pages_have_no_english_interface(untranslated):
    html = untranslated["2022/untranslated/notice/index.html"]
    assert "Guiding ideology" not in html and "指导思想" in html and "联系方式" in html
    assert 'lang="zh-CN"' in html.split("<body", 1)[0]  # only on <html>, nothing needs marking
    assert html.count('lang="zh-CN"') == 1 + html.count('hreflang="zh-CN"')


def test_page_titles_are_translated(untranslated):
    assert "<title>活动安排" not in untranslated["en/2022/untranslated/index.html"]
    assert "<title>通知全文 · 测试通知" in untranslated["2022/untranslated/notice/index.html"]
    assert "<title>Notice · 测试通知" in untranslated["en/2022/untranslated/notice/index.html"]
    assert "<title>口号库" in untranslated["slogans/index.html"]
    assert "<title>Slogan library" in untranslated["en/slogans/index.html"]


# --- check in the user's language ------------------------------------------------------------


def _fixture(case: str, tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(FIXTURES / "invalid" / case, root, ignore=shutil.ignore_patterns("expect.txt"))
    if not (root / "site.yaml").exists():
        shutil.copy(FIXTURES / "site.yaml", root / "site.yaml")
    return root


@pytest.fixture
def no_locale(monkeypatch):
    """An environment without locale variables (then messages are English)."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    return monkeypatch


def test_check_in_chinese_with_lang_option(tmp_path, capsys, no_locale):
    root = _fixture("unknown-key", tmp_path)
    assert cli.main(["check", "--content", str(root), "--lang", "zh_CN"]) == 1
    err = capsys.readouterr().err
    assert "c/campaign.yaml:5:1: 错误: 活动文件中有未知的键`slogan`" in err
    assert "提示: 是不是要写`slogans`？" in err
    assert "发现1个问题，未做任何更改。" in err


def test_check_in_english_by_default(tmp_path, capsys, no_locale):
    root = _fixture("unknown-key", tmp_path)
    assert cli.main(["check", "--content", str(root)]) == 1
    err = capsys.readouterr().err
    assert "error: unknown key `slogan` in the campaign" in err and "hint: did you mean `slogans`?" in err
    assert "1 problem found; nothing was changed." in err


@pytest.mark.parametrize("value,lang", [("zh_CN.UTF-8", "zh"), ("zh_TW", "zh"), ("en_US.UTF-8", "en"), ("C.UTF-8", "en"),
                                        ("fr_FR.UTF-8", "en")])
def test_check_language_from_lang(tmp_path, capsys, no_locale, value, lang):
    no_locale.setenv("LANG", value)
    root = _fixture("reversed-period", tmp_path)
    assert cli.main(["check", "--content", str(root)]) == 1
    err = capsys.readouterr().err
    assert ("活动时间的结束日期（2022-09-01）早于开始日期（2022-09-30）" in err) == (lang == "zh"), err
    assert ("the period ends (2022-09-01) before it starts (2022-09-30)" in err) == (lang == "en"), err


def test_lc_all_wins_over_lang(no_locale):
    assert i18n.user_lang(environ={"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert i18n.user_lang(environ={"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}) == "zh_CN"
    assert i18n.user_lang("en", environ={"LANG": "zh_CN.UTF-8"}) == "en"


def test_check_rejects_an_unknown_lang(capsys):
    with pytest.raises(SystemExit):
        cli.main(["check", "--lang", "fr"])
    assert "unsupported language" in capsys.readouterr().err


def test_valid_content_summary_in_chinese(capsys, no_locale):
    assert cli.main(["check", "--content", str(CONTENT), "--lang", "zh_CN"]) == 0
    out = capsys.readouterr()
    assert "个活动检查通过" in out.out
    assert "warning:" not in out.err


@pytest.mark.parametrize("case", sorted(p.name for p in (FIXTURES / "invalid").iterdir()))
def test_every_check_message_is_translated(case, tmp_path, capsys, no_locale):
    """In Chinese, each message and hint of every must-fail fixture reads as Chinese (none left in English)."""
    root = _fixture(case, tmp_path)
    no_locale.chdir(root)
    assert cli.main(["check", "--content", ".", "--lang", "zh_CN"]) == 1
    lines = capsys.readouterr().err.splitlines()
    messages = [line.split(": 错误: ", 1)[1] for line in lines if ": 错误: " in line]
    hints = [line.split("提示: ", 1)[1] for line in lines if line.startswith("    提示: ")]
    assert messages and len(messages) == len([line for line in lines if not line.startswith(" ")]) - 1, lines
    untranslated = [m for m in messages + hints if not CJK.search(m)]
    assert not untranslated, untranslated


def test_problem_format_translates_nested_messages():
    kind = N_("%(first)s or %(second)s", first=N_("text"), second=N_("a list"))
    p = Problem("a.yaml", 2, 3, N_("%(what)s must be %(kind)s, found %(found)s", what="`x`", kind=kind, found=N_("nothing")),
                N_("write a value, or remove the line"))
    assert p.message == "`x` must be text or a list, found nothing"
    assert p.format() == p.format("en") == ("a.yaml:2:3: error: `x` must be text or a list, found nothing\n"
                                            "    hint: write a value, or remove the line")
    assert p.format("zh_CN") == "a.yaml:2:3: 错误: `x`应为文本或列表，实际为空值\n    提示: 请填写值，或删除这一行"


def test_plain_text_messages_are_shown_as_they_are():
    """Messages from code that does not use N_ still print (untranslated) rather than fail."""
    assert Problem("f", 0, 0, "plain message").format("zh_CN") == "f: 错误: plain message"


def test_template_error_is_translated():
    env = make_env("zh_CN")
    with pytest.raises(jinja2.UndefinedError) as info:
        env.from_string("{{ missing.x }}").render()
    from qm_site.site.render import template_error

    problem = template_error(info.value, "x.html").problems[0]
    assert problem.format("zh_CN").splitlines()[0].split(": 错误: ")[1].startswith("模板错误：")


def _babel_range(start: dt.date, end: dt.date, lang: str) -> str:
    """fmt_range's English as Babel makes it on every call (what babel_month keeps in the disk cache)."""
    from babel import Locale
    from babel.dates import parse_pattern

    locale = Locale.parse(i18n.babel_locale(lang))
    formats = locale.interval_formats["yMMMd"]
    field = "y" if start.year != end.year else "M" if start.month != end.month else "d"
    return "".join(parse_pattern(re.sub(r"(?<!M)MMM(?!M)", "MMMM", p)).apply(d, locale)
                   for p, d in zip(formats[field], (start, end)))


def test_english_dates_through_the_cache_are_babels():
    from babel.dates import format_date

    days = [dt.date(2023, 12, 25) + dt.timedelta(days=k) for k in range(0, 460, 3)]  # a leap day, turns of month and year
    assert [fmt_date(d, "en") for d in days] == [format_date(d, "long", locale="en") for d in days]
    pairs = [(a, b) for a in days[::5] for b in days if b > a]
    assert [fmt_range(a, b, "en") for a, b in pairs] == [_babel_range(a, b, "en") for a, b in pairs]
