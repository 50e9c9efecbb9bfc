"""What a reader sees on the seed site: the schedule's time column named for what it holds, a contents list on
long attachment pages, dates on the home page's cards, the notice's red issuer header centred."""

from __future__ import annotations

import re
from pathlib import Path

import pytest


def _html(site_dir: Path, rel: str) -> str:
    return (site_dir / rel).read_text(encoding="utf-8")


@pytest.mark.parametrize(("rel", "label"), [("2022/zhuhai/schedule/index.html", "时间、地点"),
                                            ("2022/caq/schedule/index.html", "时间地点"),
                                            ("en/2022/zhuhai/schedule/index.html", "Time and place")])
def test_merged_time_column_names_the_place(site_dir: Path, rel: str, label: str) -> None:
    html = _html(site_dir, rel)
    assert f'<th scope="col" class="col-time">{label}</th>' in html
    cells = re.findall(r'<td class="col-time" data-label="([^"]*)"', html)
    assert cells and set(cells) == {label}


def test_attachments_page_lists_its_contents(site_dir: Path) -> None:
    html = _html(site_dir, "2022/national/attachments/index.html")
    contents = re.search(r'<nav class="contents".*?</nav>', html, re.S)
    assert contents
    anchors = re.findall(r'<section class="attachment" id="([^"]+)"', html)
    assert len(anchors) == 4 and re.findall(r'<li value="\d+"><a href="#([^"]+)"', contents.group(0)) == anchors


def test_home_cards_carry_their_dates(site_dir: Path) -> None:
    html = _html(site_dir, "index.html")
    cards = re.findall(r'<li class="campaign-card">.*?</li>', html, re.S)
    assert len(cards) == 5 and all('<p class="card-dates">' in c for c in cards)
    assert '<p class="card-dates">2014年9月1日至30日</p>' in html


@pytest.mark.browser
def test_notice_header_is_centred_not_indented(new_page, site_url: str) -> None:
    page = new_page(width=360, height=740)
    page.goto(site_url + "2022/national/notice/")
    left, right = page.evaluate("""() => { const r = document.createRange(); const p = document.querySelector('.notice-issuer');
        r.selectNodeContents(p); const t = r.getBoundingClientRect(), b = p.getBoundingClientRect();
        return [t.left - b.left, b.right - t.right]; }""")
    assert abs(left - right) < 2, (left, right)
