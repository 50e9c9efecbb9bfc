"""关怀模式 (large text), the contrast styles and the WeChat hint, under the site's own CSP (netlify.toml).

The toggle is on every page and holds across reloads and pages with no layout shift; no reader page has text under
16 px, none under 20 px in 关怀模式; `prefers-contrast: more` and forced colours have their own styles; inside WeChat
(MicroMessenger) a hint stands beside every download and calendar link, and nowhere else.

The file sorts after test_posters.py: it uses `site_url` (tests/README.md says why that matters)."""

from __future__ import annotations

import contextlib
import re
import tomllib

import pytest
from test_site_quality import axe_violations

import sitecheck
from qm_site import boot
from qm_site.site import builder
from qm_site.source import content as content_mod
from qm_site.source.model import DEFAULT_FORMATS

NETLIFY = tomllib.loads((sitecheck.ROOT / "netlify.toml").read_text())
# The deployed policy, less upgrade-insecure-requests (the test server is plain http): the inline script must run under it.
CSP = next(r["values"]["Content-Security-Policy"] for r in NETLIFY["headers"] if r["for"] == "/*").replace(
    "; upgrade-insecure-requests", "")
WECHAT_UA = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 "
             "Chrome/130.0.6723.103 Mobile Safari/537.36 XWEB/1300289 MMWEBSDK/20241103 MicroMessenger/8.0.55.2780(0x28003737) "
             "WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64")

# The smallest font size of any text a reader can see, and where it is.
SMALLEST_TEXT = """() => {
  let least = [Infinity, ''];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const node = walk.currentNode, el = node.parentElement;
    if (!node.textContent.trim() || !el.checkVisibility({visibilityProperty: true})) continue;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) continue;  // visually hidden labels for screen readers
    if (el.closest('svg[aria-hidden="true"]')) continue;  // a poster's preview: a picture, its text set beside it
    if (el.closest('.article-preview')) continue;  // the 公众号 article as WeChat shows it: its own inline px sizes
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < least[0]) least = [size, `${el.tagName.toLowerCase()}.${el.className} "${node.textContent.trim().slice(0, 30)}"`];
  }
  return least;
}"""
CLS_OBSERVER = """window.__cls = 0; new PerformanceObserver(l => { for (const e of l.getEntries())
    if (!e.hadRecentInput) window.__cls += e.value; }).observe({type: 'layout-shift', buffered: true});"""


@contextlib.contextmanager
def _context(browser, width: int = 360, user_agent: str | None = None, care: bool = False):
    """A browser context served the deployed CSP; `care`: the reader turned 关怀模式 on in an earlier visit."""
    context = browser.new_context(viewport={"width": width, "height": 740}, user_agent=user_agent)

    def with_policy(route) -> None:
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": CSP})

    context.route("**/*", with_policy)
    if care:
        context.add_init_script(f"localStorage.setItem('{boot.STORAGE_KEY}', 'on')")
    try:
        yield context
    finally:
        context.unroute_all(behavior="ignoreErrors")  # a request still in flight must not fail the next test
        context.close()


def _reader_pages(viewable_pages: list[str]) -> dict[str, str]:
    """One page of every reader page type, per language (print sheets are for paper, not for reading on screen)."""
    kinds: dict[str, str] = {}
    for rel in viewable_pages:
        kind = sitecheck.page_kind(rel)
        if not kind.endswith("-sheet"):
            kinds.setdefault(("en-" if rel.startswith("en/") else "") + kind, rel)
    return kinds


def _open(page, url: str) -> None:
    """Go to a page and wait until what a reader sees is there (the search page's results come in later)."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url)
    if "/search/" in url:
        page.wait_for_selector(".pagefind-ui__result-excerpt")
    assert errors == [], f"{url}: {errors}"  # e.g. the CSP refused the inline script


def _state(page) -> tuple[bool, str | None, float]:
    """关怀模式 as the page shows it: the class on <html>, the button's aria-pressed, the body's font size."""
    return tuple(page.evaluate("""[document.documentElement.classList.contains('care'),
        document.querySelector('.care-toggle').getAttribute('aria-pressed'),
        parseFloat(getComputedStyle(document.body).fontSize)]"""))


@pytest.mark.browser
def test_care_mode_holds_across_reloads_and_pages(browser, site_url: str) -> None:
    with _context(browser) as context:
        page = context.new_page()
        _open(page, site_url)
        toggle = page.get_by_role("button", name="关怀模式")
        assert toggle.evaluate("b => b.tagName") == "BUTTON" and page.locator("header .care-toggle").count() == 1
        assert _state(page)[:2] == (False, "false") and _state(page)[2] < 20
        toggle.click()
        assert _state(page)[:2] == (True, "true") and _state(page)[2] >= 20
        page.reload()
        assert _state(page)[:2] == (True, "true") and _state(page)[2] >= 20
        page.locator(".campaign-card a").first.click()
        page.wait_for_load_state()
        assert "/20" in page.url and _state(page)[:2] == (True, "true")
        page.get_by_role("link", name="English").click()
        page.wait_for_load_state()
        assert "/en/" in page.url and _state(page)[:2] == (True, "true")
        page.get_by_role("button", name="Large text").click()
        assert _state(page)[:2] == (False, "false")
        page.reload()
        assert _state(page)[:2] == (False, "false") and _state(page)[2] < 20


@pytest.mark.browser
def test_care_mode_is_drawn_before_the_first_paint(browser, site_url: str) -> None:
    """The class is set in <head>: the first paint is already large (no layout shift), on the slowest pages too."""
    with _context(browser, care=True) as context:
        page = context.new_page()
        page.add_init_script(CLS_OBSERVER)
        for url in ["", "2022/caq/schedule/", "2022/national/notice/", "search/?q=%E6%9C%BA%E6%A2%B0%E5%B7%A5%E4%B8%9A"]:
            _open(page, site_url + url)
            page.wait_for_timeout(300)
            assert page.evaluate("window.__cls") < 0.005, url
            assert _state(page)[:2] == (True, "true"), url


@pytest.mark.browser
def test_without_javascript_there_is_no_dead_button(new_page, site_url: str) -> None:
    page = new_page(width=360, height=740, javascript=False)
    page.goto(site_url)
    assert page.locator(".care-toggle").count() == 1 and not page.locator(".care-toggle").is_visible()


@pytest.mark.browser
@pytest.mark.parametrize(("care", "least"), [(False, 16), (True, 20)])
def test_no_text_under_16_px_nor_20_px_in_care_mode(browser, site_url: str, viewable_pages: list[str], care: bool,
                                                    least: int) -> None:
    kinds = _reader_pages(viewable_pages)
    assert {"home", "campaign", "notice", "schedule", "slogans", "posters", "contacts", "attachments", "library",
            "library-year", "search", "404", "en-home", "en-schedule"} <= set(kinds)
    with _context(browser, care=care) as context:
        page = context.new_page()
        small, widths = [], []
        for kind, rel in kinds.items():
            url = site_url + sitecheck.page_url(rel) + ("?q=%E8%B4%A8%E9%87%8F" if kind.endswith("search") else "")
            _open(page, url)
            size, where = page.evaluate(SMALLEST_TEXT)
            if size < least:
                small.append(f"{rel}: {size} px {where}")
            if page.evaluate("document.documentElement.scrollWidth") > 360:
                widths.append(rel)
    assert small == [], "\n".join(small)
    assert widths == [], f"wider than a 360 px phone in this mode: {widths}"


@pytest.mark.browser
def test_the_measurement_sees_small_text(browser, site_url: str) -> None:
    with _context(browser) as context:
        page = context.new_page()
        _open(page, site_url)
        assert page.evaluate(SMALLEST_TEXT)[0] >= 16
        page.add_style_tag(content=".site-footer .muted { font-size: 13px }")
        size, where = page.evaluate(SMALLEST_TEXT)
        assert size == 13 and "muted" in where


def _with_every_pdf() -> dict[str, bytes]:
    """The seed site rendered as where `build.py pdf` has run: every poster and 公文 PDF is there to download."""
    site = content_mod.load(sitecheck.CONTENT)
    pdfs = frozenset(f"{e.id}-{name}.pdf" for e in site.entries for name in ("notice", *(f.id for f in DEFAULT_FORMATS)))
    return builder.render_site(site, pdfs=pdfs)[0]


def test_every_download_and_calendar_link_has_the_wechat_hint() -> None:
    files = _with_every_pdf()
    linking, hinted = set(), set()
    for path, body in files.items():
        if not path.endswith(".html") or path.startswith("admin/"):
            continue
        html = body.decode()
        if re.search(r'<a [^>]*href="[^"]*\.(pdf|ics)"', html):
            linking.add(path)
        if 'class="wechat-hint"' in html:
            hinted.add(path)
    kinds = {sitecheck.page_kind(p) for p in linking}
    assert {"notice", "posters", "schedule"} <= kinds, kinds  # the 公文 PDF, the poster PDFs, the calendars
    assert hinted == linking, (f"without the hint: {sorted(linking - hinted)[:5]}; "
                               f"hint without a link: {sorted(hinted - linking)[:5]}")


@pytest.mark.browser
@pytest.mark.parametrize(("user_agent", "shown"), [(WECHAT_UA, True), (None, False)])
def test_wechat_readers_are_told_to_open_the_browser(browser, site_url: str, user_agent: str | None, shown: bool) -> None:
    with _context(browser, user_agent=user_agent) as context:
        page = context.new_page()
        for url, text in [("2022/caq/schedule/", "在浏览器中打开"), ("en/2022/caq/schedule/", "Open in browser")]:
            _open(page, site_url + url)
            hint = page.locator(".wechat-hint")
            assert hint.is_visible() == shown, url
            if shown:
                assert text in hint.inner_text()
                # beside the link it is about: right under the calendar button
                gap = page.evaluate("""document.querySelector('.wechat-hint').getBoundingClientRect().top
                    - document.querySelector('.calendar-all').getBoundingClientRect().bottom""")
                assert 0 <= gap < 40, gap
        _open(page, site_url)
        assert page.locator(".wechat-hint").count() == 0  # only where downloads are


@pytest.mark.browser
def test_more_contrast_and_forced_colours_have_their_own_styles(browser, site_url: str) -> None:
    """`prefers-contrast: more` darkens greys and lines; forced colours (Windows high contrast) keep control edges."""
    looks = """() => { const s = e => getComputedStyle(document.querySelector(e));
      return [s('.card-issuer').color, s('.campaign-card').borderTopWidth, s('.site-search input').borderTopStyle,
              s('.care-toggle').borderTopStyle]; }"""
    plain = browser.new_context(viewport={"width": 360, "height": 740})
    more = browser.new_context(viewport={"width": 360, "height": 740}, contrast="more")
    forced = browser.new_context(viewport={"width": 360, "height": 740}, forced_colors="active")
    found = []
    for context in (plain, more, forced):
        page = context.new_page()
        page.goto(site_url)
        found.append(page.evaluate(looks))
        context.close()
    assert found[0][:2] == ["rgb(92, 92, 92)", "1px"] and found[1][:2] == ["rgb(51, 51, 51)", "2px"], found
    assert found[0][2] == "none" and found[2][2:] == ["solid", "solid"], found  # the white search box keeps an edge


@pytest.mark.browser
def test_no_axe_violations_in_care_mode(browser, site_url: str, viewable_pages: list[str]) -> None:
    """关怀模式's colours and sizes keep every reader page type accessible (axe-core; its CSP-free run, as
    test_site_quality's: axe is injected as an inline script)."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    context.add_init_script(f"localStorage.setItem('{boot.STORAGE_KEY}', 'on')")
    page = context.new_page()
    rels = [rel for kind, rel in _reader_pages(viewable_pages).items() if not kind.endswith("search")]
    found = axe_violations(page, site_url, rels)
    assert page.evaluate("document.documentElement.classList.contains('care')")
    context.close()
    assert found == {}, "\n".join(f"{rel}: {v}" for rel, vs in found.items() for v in vs)
