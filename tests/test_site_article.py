"""The 公众号 article page in Chromium: 复制到公众号 puts the article on the clipboard as HTML the editor keeps (and as
plain text), holding every fact of the campaign page; the fallbacks where the Clipboard API is missing; valid HTML,
no axe violations, no horizontal scroll on a phone. Named to sort after test_posters.py (see tests/README.md)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from articlecheck import campaign_facts, missing_facts, scan
from conftest import CONTENT
from test_site_quality import AXE_RUN, OVERFLOW

import sitecheck
from qm_site.headers import preview_headers
from qm_site.site.pages import default_period
from qm_site.site.render import fmt_range
from qm_site.source import content

CAMPAIGNS = [(e.id, f"{e.year}/{e.slug}/") for e in content.load(CONTENT).entries]
READ_CLIPBOARD = """async () => {
  const out = {};
  for (const item of await navigator.clipboard.read())
    for (const type of item.types) out[type] = await (await item.getType(type)).text();
  return out;
}"""
COPIED = "已复制：请到公众号编辑器中粘贴。"


def page_facts(site_dir: Path, url: str) -> list[str]:
    """What the campaign page states in its facts list and theme (tags stripped), each as one fact."""
    html = (site_dir / url / "index.html").read_text(encoding="utf-8")
    facts = re.search(r'<dl class="facts">(.*?)</dl>', html, re.S)
    assert facts
    values = re.findall(r"<dd[^>]*>(.*?)</dd>", facts.group(1), re.S)
    values += re.findall(r'<p class="theme-text">(.*?)</p>', html, re.S)
    texts = [re.sub(r"<[^>]+>", "", v) for v in values]
    # the issuers are one <dd>, separated by 、
    return [t for v in texts for t in v.split("、")]


def _context(browser, width: int = 1280, height: int = 800, init: str | None = None, site_headers: bool = True):
    """A browser context that may read and write the clipboard, served with the deployed site's headers (CSP,
    Permissions-Policy: the copy must work under them; not for axe, which is injected inline), with an optional
    script run before the page's."""
    context = browser.new_context(viewport={"width": width, "height": height}, permissions=["clipboard-read", "clipboard-write"])
    if site_headers:
        context.route("**/*", _with_site_headers)
    if init:
        context.add_init_script(init)
    return context


def _with_site_headers(route) -> None:
    """Answer with the local server's response plus the headers the site is served with."""
    response = route.fetch()
    route.fulfill(response=response, headers={**response.headers, **preview_headers(urlsplit(route.request.url).path)})


def _copy(browser, site_url: str, url: str, init: str | None = None) -> tuple[object, object]:
    """Open the article page, click 复制到公众号 and wait for the status line; (context, page)."""
    context = _context(browser, init=init)
    page = context.new_page()
    page.goto(site_url + url + "article/")
    page.bring_to_front()  # the Clipboard API writes only from the focused page
    page.click(".article-copy button")
    page.wait_for_selector(".article-status:not(:empty)")  # a selector: under the site's CSP a polled predicate may not eval
    return context, page


@pytest.mark.browser
@pytest.mark.parametrize(("cid", "url"), CAMPAIGNS, ids=[c for c, _ in CAMPAIGNS])
def test_copy_puts_the_article_on_the_clipboard(browser, site_url: str, site_dir: Path, cid: str, url: str) -> None:
    context, page = _copy(browser, site_url, url)
    try:
        assert page.text_content(".article-status") == COPIED
        copied = page.evaluate(READ_CLIPBOARD)
    finally:
        context.close()
    assert set(copied) >= {"text/html", "text/plain"}
    html = copied["text/html"]
    found = scan(html)
    assert found.problems == [], found.problems[:10]
    text = "".join(found.text)
    c = next(e.campaign for e in content.load(CONTENT).entries if e.id == cid)
    assert html.count("<table") == len(c.schedules) and "<h1 style=" in html
    shown = page_facts(site_dir, url)
    assert missing_facts(shown, text) == []
    assert missing_facts(campaign_facts(c, fmt_range(*default_period(c), "zh_CN")), text) == []
    assert missing_facts(shown, copied["text/plain"]) == []


@pytest.mark.browser
def test_without_the_clipboard_api_the_article_is_copied_by_selection(browser, site_url: str, site_dir: Path) -> None:
    context, page = _copy(browser, site_url, "2022/zhuhai/", init="delete window.ClipboardItem;")
    try:
        assert page.text_content(".article-status") == COPIED
        copied = page.evaluate(READ_CLIPBOARD)
    finally:
        context.close()
    html = copied.get("text/html", "")
    assert scan(html).problems == [] and html.startswith("<section style=")  # the article itself, not the selection
    assert missing_facts(page_facts(site_dir, "2022/zhuhai/"), html) == []
    assert missing_facts(page_facts(site_dir, "2022/zhuhai/"), copied.get("text/plain", "")) == []


@pytest.mark.browser
def test_where_nothing_can_copy_the_page_says_so_and_selects_the_article(browser, site_url: str) -> None:
    """As inside WeChat's own browser: no Clipboard API, and execCommand('copy') refused."""
    init = "delete window.ClipboardItem; document.execCommand = () => false;"
    context, page = _copy(browser, site_url, "2022/zhuhai/", init=init)
    try:
        status = page.text_content(".article-status")
        selected = page.evaluate("window.getSelection().toString()")
    finally:
        context.close()
    assert "微信内置浏览器" in status and "手动复制" in status
    assert "关于组织开展2022年珠海市企业“质量月”活动的通知" in selected


def _article_pages(site_dir: Path) -> list[str]:
    return sorted(p.relative_to(site_dir).as_posix() for p in site_dir.glob("**/article/index.html"))


def test_article_pages_are_chinese_only_noindex_and_not_listed(site_dir: Path) -> None:
    rels = _article_pages(site_dir)
    assert len(rels) == len(CAMPAIGNS) and not any(r.startswith("en/") for r in rels)
    sitemap = (site_dir / "sitemap.xml").read_text(encoding="utf-8")
    assert "/article/" not in sitemap
    for rel in rels:
        html = (site_dir / rel).read_text(encoding="utf-8")
        assert '<meta name="robots" content="noindex">' in html and "data-pagefind-body" not in html
        campaign = (site_dir / rel).parent.parent / "index.html"
        assert f'{rel.removesuffix("index.html")}">' in campaign.read_text(encoding="utf-8")  # linked for editors


@pytest.mark.slow
def test_article_pages_are_valid_html(site_dir: Path, tmp_path: Path) -> None:
    java = shutil.which("java")
    if java is None or not sitecheck.VNU_JAR.is_file():
        pytest.skip("needs java and node_modules/vnu-jar (run `npm ci --ignore-scripts` in the project folder)")
    files = [str(site_dir / rel) for rel in _article_pages(site_dir)]
    run = subprocess.run([java, "-jar", str(sitecheck.VNU_JAR), "--errors-only", "--format", "json", *files],
                         capture_output=True, text=True, check=False)
    report = json.loads(run.stdout or run.stderr)
    assert [m for m in report["messages"] if m["type"] in ("error", "non-document-error")] == []


@pytest.mark.browser
@pytest.mark.parametrize("size", [(360, 740), (1280, 800)], ids=["phone", "desktop"])
def test_article_pages_pass_axe_and_fit_a_phone(browser, site_url: str, site_dir: Path, size: tuple[int, int]) -> None:
    if not sitecheck.AXE_JS.is_file():
        pytest.skip("needs node_modules/axe-core (run `npm ci --ignore-scripts` in the project folder)")
    context = _context(browser, *size, site_headers=False)
    page = context.new_page()
    found = {}
    try:
        for rel in _article_pages(site_dir):
            page.goto(site_url + sitecheck.page_url(rel))
            if wide := page.evaluate(OVERFLOW, size[0]):
                found[rel + " overflows"] = wide
            page.add_script_tag(path=str(sitecheck.AXE_JS))
            if violations := page.evaluate(AXE_RUN):
                found[rel] = violations
    finally:
        context.close()
    assert found == {}
