"""The poster gallery on a phone: a card per format with a "下载 PDF" button when its PDF exists and a print sheet
link always, previews that fit the screen; print sheets with a way back and a print button."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_posters import make_content

from qm_site.site import builder
from qm_site.source import content as content_mod


def test_a_card_per_format_with_download_and_print_buttons(tmp_path: Path) -> None:
    pdfs = frozenset({"2023-demo-a4.pdf"})
    files, _ = builder.render_site(content_mod.load(make_content(tmp_path / "content")), pdfs=pdfs)
    for lang, download in (("", "下载 PDF"), ("en/", "Download PDF")):
        gallery = files[f"{lang}2023/demo/posters/index.html"].decode()
        cards = re.findall(r'<li class="format-card">.*?</li>', gallery, re.S)
        assert len(cards) == 4
        assert [download in c for c in cards] == [True, False, False, False]
        assert f'<a class="button" href="../../../{"../" if lang else ""}pdf/2023-demo-a4.pdf" download>{download}' in cards[0]
        for card in cards:  # every format: its preview and its print sheet
            assert '<svg class="pv"' in card and re.search(r'href="[^"]*posters/[\w-]+/"', card)
        sheet = files[f"{lang}2023/demo/posters/a4/index.html"].decode()
        bar = r'<nav class="sheet-bar".*?href="(\.\./)+(en/)?2023/demo/posters/".*?<button type="button" class="sheet-print">'
        assert re.search(bar, sheet, re.S)
        assert re.search(r'<script src="(\.\./)+assets/print\.\w+\.js" defer>', sheet)


@pytest.mark.browser
def test_gallery_previews_fit_a_phone(new_page, site_url: str) -> None:
    page = new_page(width=360, height=740)
    page.goto(site_url + "2022/zhuhai/posters/")
    boxes = page.evaluate("[...document.querySelectorAll('.pv')]"
                          ".map(s => { const r = s.getBoundingClientRect(); return [r.left, r.right, r.height]; })")
    assert boxes and all(left >= 0 and right <= 360 and height <= 120 for left, right, height in boxes)
    rows = page.evaluate("[...document.querySelectorAll('.poster-row')].map(s => s.getBoundingClientRect().height)")
    assert len(rows) == 18 and max(rows) < 370  # every slogan, its four print formats and three digital sizes: half a screen


@pytest.mark.browser
def test_print_sheet_fits_the_screen_and_prints(new_page, site_url: str) -> None:
    page = new_page(width=360, height=740)
    page.goto(site_url + "2022/zhuhai/posters/vertical-banner/")
    heights = page.evaluate("[...document.querySelectorAll('.sheet-page')].map(s => s.getBoundingClientRect().height)")
    assert heights and max(heights) <= 740  # a 3 m banner is one screen, not metres of scrolling
    page.evaluate("window.print = () => { window.printed = true; }")
    page.click(".sheet-print")
    assert page.evaluate("window.printed === true")
    page.click(".sheet-bar a")
    assert page.url.endswith("/2022/zhuhai/posters/")
    assert page.locator(".format-card").count() == 4
