"""The built seed site checked like a user (and a validator) would see it.

Static checks read the output folder; browser checks (marked `browser`) load every page
from a local HTTP server in one headless Chromium. Run: `python -m pytest tests/test_site_quality.py`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT, build_site

import sitecheck
from qm_site import boot
from sitecheck import CONTENT

PHONE = (360, 740)
VIEWPORTS = {"phone": (390, 844), "desktop": (1366, 768)}
VNU_MISSING = "needs java and node_modules/vnu-jar (run `npm ci --ignore-scripts` in the project folder)"
PAGE_WEIGHT_LIMIT = 50_000  # bytes: a campaign home page's HTML plus its CSS, uncompressed
CSS_FILE = ROOT / "qm_site" / "assets" / "site.css"


def one_page_per_kind(pages: list[str], lang: str) -> dict[str, str]:
    """The first page of each page type in one language ('zh_CN' or 'en')."""
    chosen: dict[str, str] = {}
    for rel in pages:
        if rel.startswith("en/") == (lang == "en") and not rel.endswith("latest/index.html"):
            chosen.setdefault(sitecheck.page_kind(rel), rel)
    return chosen


def shorten(lines: list[str], limit: int = 40) -> str:
    """The first `limit` lines of a long report, and how many were left out."""
    more = f"\n… and {len(lines) - limit} more" if len(lines) > limit else ""
    return "\n".join(lines[:limit]) + more


# --- validity, links, language -------------------------------------------------------


@pytest.mark.slow
def test_every_page_is_valid_html(site_dir: Path) -> None:
    """The Nu HTML checker reports no errors on any page."""
    errors = sitecheck.vnu_errors(site_dir)
    if errors is None:
        pytest.skip(VNU_MISSING)
    assert errors == [], shorten(errors)


def test_no_broken_internal_links_or_anchors(site_dir: Path, base_url: str) -> None:
    """Every relative, root-relative or own-domain href/src resolves to a file, and every #fragment to an id."""
    problems = sitecheck.broken_links(site_dir, base_url)
    assert problems == [], f"{len(problems)} broken links:\n" + shorten(problems)


def test_sitemap_and_feeds_point_at_pages(site_dir: Path, base_url: str) -> None:
    """Every URL in sitemap.xml and the Atom feeds is a page of the site."""
    redirects = sitecheck.netlify_redirects(site_dir)
    missing = []
    for xml in ["sitemap.xml", *sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("feed.xml"))]:
        for url in re.findall(r"<loc>([^<]+)</loc>|<link[^>]*\bhref=\"([^\"]+)\"", (site_dir / xml).read_text("utf-8")):
            url = next(u for u in url if u)
            resolved = sitecheck.internal_path("", url, base_url)
            if resolved is not None and sitecheck.target_file(site_dir, resolved[0], redirects)[0] is None:
                missing.append(f"{xml}: {url}")
    assert missing == []


def test_html_lang_matches_the_language(site_dir: Path, pages: list[str]) -> None:
    """Chinese pages say lang="zh-CN", English pages (under en/) say lang="en"."""
    wrong = {rel: lang for rel in pages
             if (lang := sitecheck.parse_page(site_dir / rel).lang) != ("en" if rel.startswith("en/") else "zh-CN")}
    assert wrong == {}


# --- typography and weight -------------------------------------------------------------


def test_css_sets_cjk_typography_without_web_fonts() -> None:
    """site.css breaks lines the strict CJK way, names system CJK fonts and downloads no font."""
    css = CSS_FILE.read_text("utf-8")
    assert re.search(r"line-break:\s*strict", css)
    stack = re.search(r"--sans:\s*([^;]+);", css)
    assert stack, "no --sans font stack"
    for family in ("PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC"):
        assert f'"{family}"' in stack.group(1)
    assert "@font-face" not in css
    assert not re.search(r"url\([^)]*\.(woff2?|ttf|otf|ttc)", css)


def test_campaign_home_pages_are_light(site_dir: Path, pages: list[str]) -> None:
    """Each campaign home page's HTML plus its stylesheets stays under 50 KB uncompressed."""
    homes = [rel for rel in pages if sitecheck.page_kind(rel) == "campaign"]
    assert homes, "no campaign home pages found"
    heavy = {}
    for rel in homes:
        parsed = sitecheck.parse_page(site_dir / rel)
        css = {sitecheck.internal_path(rel, link.value, "")[0]
               for link in parsed.links if link.tag == "link" and link.value.endswith(".css")}
        assert css, f"{rel} links no stylesheet"
        size = (site_dir / rel).stat().st_size + sum((site_dir / p.lstrip("/")).stat().st_size for p in css)
        if size >= PAGE_WEIGHT_LIMIT:
            heavy[rel] = size
    assert heavy == {}, f"over {PAGE_WEIGHT_LIMIT} bytes (HTML + CSS): {heavy}"


# --- reproducibility and safety ---------------------------------------------------------


def cli_build(out: Path, hash_seed: str) -> Path:
    """Build the seed content with the command line, in a fresh interpreter with a given hash seed."""
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    env.pop("SOURCE_DATE_EPOCH", None)
    subprocess.run([sys.executable, "build.py", "build", "--content", str(CONTENT), "--out", str(out), "--quiet"],
                   cwd=ROOT, env=env, check=True)
    return out


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under a folder: relative posix path -> bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    """Building the same content twice (different hash seeds) gives the same files, byte for byte."""
    first, second = tree(cli_build(tmp_path / "a", "1")), tree(cli_build(tmp_path / "b", "2"))
    assert sorted(first) == sorted(second)
    differ = [rel for rel in first if first[rel] != second[rel]]
    assert differ == [], f"files differ between two builds: {differ[:10]}"


NASTY_MARKDOWN = """\
前言<script>alert("x")</script>安全文字一。

## 第一部分

<p onclick="alert(1)">点击安全文字二</p>

[危险链接](javascript:alert(1)) 和 <a href="javascript:alert(2)">另一个</a> 和 <a href=" JaVaScRiPt:alert(3)">大小写</a>

<img src="x" onerror="alert(4)"> <iframe src="https://evil.example/"></iframe> <svg onload="alert(5)"></svg>

<div style="background:url(javascript:alert(6))" onmouseover="alert(7)">样式安全文字三</div>

<SCRIPT SRC="https://evil.example/x.js"></SCRIPT><a href="&#106;avascript:alert(8)">编码</a>
"""

NASTY_CAMPAIGN = """\
year: 2023
slug: xss
title: 安全测试通知
issuer: 测试协会
guiding_ideology: '指导<script>alert(9)</script>思想 [点我](javascript:alert(10)) <b onclick="alert(11)">加粗</b>'
body: notice.md
attachments:
  - title: 附件文字
    file: attachment.md
"""


class ActiveContentFinder(HTMLParser):
    """Collects inline scripts, foreign script sources, on* attributes and javascript: URLs of one page."""

    def __init__(self, rel: str) -> None:
        super().__init__(convert_charrefs=True)
        self.rel, self.problems, self.inline = rel, [], False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Flag anything that could run script."""
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{self.rel}: <{tag} {name}>")
            if value and re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith("javascript:"):
                self.problems.append(f"{self.rel}: <{tag} {name}={value!r}>")
            if name == "src" and value and "evil.example" in value:
                self.problems.append(f"{self.rel}: <{tag} src> from the Markdown")
        # Ours: fingerprinted assets, the search interface the build writes from the pinned Pagefind package, and the
        # one inline script (qm_site/boot.py; its text is checked in handle_data).
        self.inline = tag == "script" and not dict(attrs).get("src")
        ours = re.match(r"^(\.\./)*(assets/[\w.-]+|pagefind/pagefind-ui)\.js$", dict(attrs).get("src") or "")
        if tag == "script" and not self.inline and not ours:
            self.problems.append(f"{self.rel}: <script> that is not one of our assets")

    def handle_data(self, data: str) -> None:
        """An inline script is only ever boot.SCRIPT, the text the CSP allows by its hash."""
        if self.inline and data != boot.SCRIPT:
            self.problems.append(f"{self.rel}: inline <script> that is not qm_site/boot.py's: {data[:60]!r}")

    def handle_endtag(self, tag: str) -> None:
        """The end of an inline script."""
        self.inline = False


def active_content(rel: str, html: str) -> list[str]:
    """What ActiveContentFinder flags in one page."""
    finder = ActiveContentFinder(rel)
    finder.feed(html)
    finder.close()
    return finder.problems


@pytest.mark.slow
def test_markdown_cannot_inject_script(tmp_path: Path) -> None:
    """<script>, on* handlers and javascript: links in notice.md never reach a built page or feed."""
    content = tmp_path / "content"
    (content / "2023-xss").mkdir(parents=True)
    shutil.copy(CONTENT / "site.yaml", content / "site.yaml")
    (content / "2023-xss" / "campaign.yaml").write_text(NASTY_CAMPAIGN, "utf-8")
    (content / "2023-xss" / "notice.md").write_text(NASTY_MARKDOWN, "utf-8")
    (content / "2023-xss" / "attachment.md").write_text(NASTY_MARKDOWN, "utf-8")
    site = build_site(content, tmp_path / "public")
    # admin/index.html is a fixed page (Decap's scripts, test_admin.py); content reaches it only as config.yml text
    pages = [p for p in sorted(site.rglob("*")) if p.suffix in (".html", ".xml") and not p.is_relative_to(site / "admin")]
    assert any("2023/xss/notice" in p.as_posix() for p in pages)
    problems, text = [], ""
    for page in pages:
        html = page.read_text("utf-8")
        text += html
        problems += active_content(page.relative_to(site).as_posix(), html)
        html = html.replace(f"<script>{boot.SCRIPT}</script>", "")  # ours: the needles below look for anything else
        for needle in ("<script>", "onclick=", "onerror=", "javascript:", "alert("):
            if needle in html.lower():
                problems.append(f"{page.relative_to(site).as_posix()}: contains {needle!r}")
    assert problems == [], "\n".join(problems)
    for harmless in ("安全文字一", "点击安全文字二", "样式安全文字三", "危险链接", "加粗"):
        assert harmless in text, f"sanitising lost the harmless text {harmless!r}"


# --- in the browser ---------------------------------------------------------------------


AXE_RUN = """async () => {
  const result = await axe.run(document);
  return result.violations.map(
    v => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`);
}"""


def axe_violations(page, site_url: str, rels: list[str]) -> dict[str, list[str]]:
    """Run axe-core on each page in turn; returns page -> violations (pages without any are left out)."""
    if not sitecheck.AXE_JS.is_file():
        pytest.skip("needs node_modules/axe-core (run `npm ci --ignore-scripts` in the project folder)")
    found = {}
    for rel in rels:
        page.goto(site_url + sitecheck.page_url(rel))
        page.add_script_tag(path=str(sitecheck.AXE_JS))
        if violations := page.evaluate(AXE_RUN):
            found[rel] = violations
    return found


@pytest.mark.browser
def test_no_axe_violations_on_a_phone(new_page, site_url: str, viewable_pages: list[str]) -> None:
    """axe-core finds no accessibility violations on any page, at 390x844 (the site is read mostly on phones)."""
    found = axe_violations(new_page(*VIEWPORTS["phone"]), site_url, viewable_pages)
    assert found == {}, shorten([f"{rel}: {v}" for rel, vs in found.items() for v in vs])


@pytest.mark.browser
def test_no_axe_violations_on_a_desktop(new_page, site_url: str, viewable_pages: list[str]) -> None:
    """axe-core finds no violations at 1366x768 on one page of each type per language (the wide layout differs)."""
    sample = [rel for lang in ("zh_CN", "en") for rel in one_page_per_kind(viewable_pages, lang).values()]
    found = axe_violations(new_page(*VIEWPORTS["desktop"]), site_url, sample)
    assert found == {}, shorten([f"{rel}: {v}" for rel, vs in found.items() for v in vs])


OVERFLOW = """(width) => Array.from(document.querySelectorAll('body *'))
  .filter(e => e.getBoundingClientRect().right > width + 0.5 && getComputedStyle(e).position !== 'fixed')
  .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '')
    + ' (right edge ' + Math.round(e.getBoundingClientRect().right) + 'px)')"""


@pytest.mark.browser
def test_no_horizontal_scroll_on_a_phone(new_page, site_url: str, viewable_pages: list[str]) -> None:
    """At 360x740 no page is wider than the screen (document scrollWidth <= 360)."""
    width, height = PHONE
    page = new_page(width, height)
    wide = {}
    for rel in viewable_pages:
        page.goto(site_url + sitecheck.page_url(rel))
        if (scroll := page.evaluate("document.documentElement.scrollWidth")) > width:
            wide[rel] = f"scrollWidth {scroll}: " + "; ".join(page.evaluate(OVERFLOW, width))
    assert wide == {}, shorten([f"{rel}: {why}" for rel, why in wide.items()])


# The page's text less the two controls that only scripts can work (the filter and the 关怀模式 button).
VISIBLE_TEXT_WITHOUT_FILTER = """() => {
  for (const control of document.querySelectorAll('.schedule-filter, .care-toggle')) control.hidden = true;
  return document.body.innerText;
}"""


@pytest.mark.browser
def test_schedule_reads_the_same_without_javascript(new_page, site_url: str, viewable_pages: list[str]) -> None:
    """Every schedule page shows the same text with JavaScript off as with it on (the filter aside)."""
    schedules = [rel for rel in viewable_pages if sitecheck.page_kind(rel) == "schedule"]
    assert schedules, "no schedule pages found"
    with_js, without_js = new_page(javascript=True), new_page(javascript=False)
    for rel in schedules:
        with_js.goto(site_url + sitecheck.page_url(rel))
        without_js.goto(site_url + sitecheck.page_url(rel))
        assert with_js.is_visible(".schedule-filter"), f"{rel}: the filter script did not run"
        assert not without_js.is_visible(".schedule-filter"), f"{rel}: the filter shows without JavaScript"
        rows = without_js.locator(".schedule-table tbody tr")
        assert rows.count() > 0 and all(rows.nth(i).is_visible() for i in range(rows.count()))
        assert without_js.evaluate("document.body.innerText") == with_js.evaluate(VISIBLE_TEXT_WITHOUT_FILTER), rel


PLATFORM_FONTS = "CSS.getPlatformFontsForNode"


def rendered_fonts(page, selector: str) -> list[dict]:
    """The platform fonts Chromium used for the text directly inside the first element matching selector."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, f"no element {selector}"
    fonts = cdp.send(PLATFORM_FONTS, {"nodeId": node})["fonts"]
    cdp.detach()
    return fonts


def css_families() -> set[str]:
    """Font family names listed in site.css."""
    return set(re.findall(r'"([^"]+)"', " ".join(re.findall(r"--(?:sans|serif):\s*([^;]+);", CSS_FILE.read_text("utf-8")))))


POSTER_KINDS = {"posters", "posters-sheet"}  # poster artwork may embed a subset font so print sizes fit exactly


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_pages_need_no_web_fonts_or_other_hosts(new_page, site_url: str, viewable_pages: list[str], lang: str) -> None:
    """Each page type loads nothing from other hosts and, poster artwork aside, no font file; Chinese headings use a
    system CJK font of the stack."""
    page = new_page()
    requests: list[tuple[str, str]] = []
    page.on("request", lambda r: requests.append((r.resource_type, r.url)))
    families, unwanted = css_families(), []
    for kind, rel in one_page_per_kind(viewable_pages, lang).items():
        requests.clear()
        page.goto(site_url + sitecheck.page_url(rel))
        unwanted += [f"{rel}: {kind_} {url}" for kind_, url in requests
                     if not url.startswith(site_url) or (kind_ == "font" and kind not in POSTER_KINDS)]
        if kind in POSTER_KINDS:
            continue  # print artwork: its own font and line rules (assets/poster.css)
        assert page.evaluate("getComputedStyle(document.body).lineBreak") == "strict", rel
        if lang == "zh_CN":
            fonts = rendered_fonts(page, "h1")
            assert fonts and not any(f["isCustomFont"] for f in fonts), f"{rel}: {fonts}"
            assert {f["familyName"] for f in fonts} <= families, f"{rel}: h1 rendered in {fonts}, not a font of site.css"
    assert unwanted == []


@pytest.mark.browser
def test_404_page_works_at_any_missing_url(new_page, site_url: str) -> None:
    """The 404 page, served at a deep missing URL as the host does, is styled and links home."""
    page = new_page(*PHONE)
    response = page.goto(site_url + "2022/no-such-campaign/schedule/")
    assert response is not None and response.status == 404
    assert page.evaluate("getComputedStyle(document.querySelector('.masthead')).backgroundColor") == "rgb(179, 20, 27)", \
        "the stylesheet did not load: the 404 page must not use page-relative links"
    assert page.evaluate("document.querySelector('a.brand').href") == site_url
