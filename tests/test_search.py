"""Search: the build writes a Pagefind index; in Chromium, under the CSP of netlify.toml, a reader who types a
Chinese query finds the right campaign, from either language, and the search box is on every page."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from urllib.parse import quote

import pytest

import sitecheck
from qm_site import boot

NETLIFY = tomllib.loads((sitecheck.ROOT / "netlify.toml").read_text())
# The site's own CSP, less upgrade-insecure-requests: the test server is plain http on 127.0.0.1.
CSP = next(r["values"]["Content-Security-Policy"] for r in NETLIFY["headers"] if r["for"] == "/*").replace(
    "; upgrade-insecure-requests", "")


def test_the_build_writes_one_index_for_both_languages(site_dir: Path, viewable_pages: list[str]) -> None:
    entry = json.loads((site_dir / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["zh-cn"]
    readers = [p for p in viewable_pages if "data-pagefind-body" in (site_dir / p).read_text(encoding="utf-8")]
    assert entry["languages"]["zh-cn"]["page_count"] == len(readers)
    assert any(p.startswith("en/") for p in readers) and not any(p.endswith(("404.html", "search/index.html")) for p in readers)
    assert (site_dir / "pagefind" / "pagefind-ui.js").is_file()


def test_csp_allows_webassembly_and_nothing_more() -> None:
    """Our own scripts, WebAssembly, and the two government platforms' scripts (qm_site/headers.py: GOV_PLATFORMS)."""
    from qm_site.headers import GOV_PLATFORMS

    script = re.search(r"script-src ([^;]+)", CSP).group(1).split()
    # and the one inline script, by its hash
    assert script == ["'self'", "'wasm-unsafe-eval'", boot.CSP_SOURCE, *GOV_PLATFORMS.split()]


def _page_with_csp(new_page, width: int = 360):
    page = new_page(width=width, height=740)
    errors: list[str] = []

    def with_header(route) -> None:
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": CSP})

    page.route("**/*", with_header)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page, errors


def _results(page) -> list[str]:
    page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
    return page.evaluate("[...document.querySelectorAll('.pagefind-ui__result-link')].map(a => a.getAttribute('href'))")


@pytest.mark.browser
def test_typing_a_chinese_query_finds_the_2014_slogans(new_page, site_url: str) -> None:
    page, errors = _page_with_csp(new_page)
    page.goto(site_url)
    page.fill("#site-search-q", "机械工业")
    page.press("#site-search-q", "Enter")
    page.wait_for_url("**/search/?q=*")
    found = _results(page)
    assert found[0] == "/2014/national/slogans/", found
    assert "/2014/national/slogans/#group-2" in found  # the machinery-industry group itself
    assert "2014年全国机械工业“质量月”活动口号" in page.inner_text(".pagefind-ui__results")
    assert errors == []  # the CSP let the WebAssembly run


@pytest.mark.browser
def test_both_languages_from_either_search_page(new_page, site_url: str) -> None:
    page, errors = _page_with_csp(new_page)
    page.goto(site_url + "en/search/?q=" + quote("机械工业"))
    assert _results(page)[0] == "/2014/national/slogans/"
    page.goto(site_url + "search/?q=machinery")
    assert "/en/2014/national/slogans/" in _results(page)
    assert errors == []


@pytest.mark.browser
def test_search_box_on_every_reader_page(new_page, site_url: str, viewable_pages: list[str]) -> None:
    page = new_page(width=360, height=740, javascript=False)
    for rel in viewable_pages:
        if sitecheck.page_kind(rel).endswith("-sheet") or sitecheck.page_kind(rel) == "search":
            continue  # print pages (poster sheets, the 公文) have no site chrome; the search page is the search box
        page.goto(site_url + sitecheck.page_url(rel))
        form = page.locator("form[role=search]")
        assert form.count() == 1 and form.is_visible(), rel
        assert form.get_attribute("action").endswith("search/"), rel


def test_the_index_reads_reader_pages_only_in_sorted_order() -> None:
    from types import SimpleNamespace

    from qm_site.site import search

    def page(out: str, template: str, lang: str = "zh_CN"):
        return SimpleNamespace(out=out, template=template, lang=lang)

    pages = [page("index.html", "home.html"), page("2022/national/index.html", "campaign.html"),
             page("2020/nanjing/index.html", "campaign.html"), page("2022/national/notice/index.html", "notice.html"),
             page("en/2022/national/notice/index.html", "notice.html", "en"),
             page("2022/national/posters/a4/index.html", "poster_sheet.html"),
             page("2022/national/posters/index.html", "posters.html"), page("slogans/index.html", "library.html"),
             page("404.html", "404.html")]
    assert search.reader_files(pages) == ["2020/nanjing/index.html", "2022/national/index.html",
                                          "2022/national/notice/index.html", "en/2022/national/notice/index.html", "index.html"]


def test_a_missing_pagefind_binary_is_one_clear_error(tmp_path: Path, monkeypatch) -> None:
    import pagefind_bin_extended

    from qm_site.errors import QmError
    from qm_site.site import search

    def missing():
        raise FileNotFoundError("Could not find any of [pagefind_extended]")

    monkeypatch.setattr(pagefind_bin_extended, "get_executable", missing)
    (tmp_path / "index.html").write_text("<main data-pagefind-body>质量月</main>", encoding="utf-8")
    with pytest.raises(QmError) as caught:
        search.index_site(tmp_path)
    problem = caught.value.problems[0]
    assert "the search index could not be made: Could not find any of" in problem.message and "pagefind[extended]" in problem.hint
