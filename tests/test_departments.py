"""English pages: issuers by their official English names (one table, departments.ENGLISH), Chinese without a
translation said to be Chinese with a line of English, and English punctuation in the English interface."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_i18n import lang_texts

import sitecheck
from qm_site.site.departments import english_name
from qm_site.source import content
from sitecheck import CONTENT

CJK = re.compile(r"[\u3400-\u9fff]")


def _departments() -> set[str]:
    """Every issuer, issuer label, co-issuer, printing office and contact organisation of the seed content."""
    names: set[str] = set()
    for e in content.load(CONTENT).entries:
        c = e.campaign
        names.update(n for n in (c.issuer, c.issuer_label, c.printed_by, *c.co_issuers) if n)
        names.update(ct.organization for ct in c.contacts if ct.organization)
    return names


def test_every_department_in_the_content_has_an_english_name() -> None:
    names = _departments()
    assert len(names) >= 20
    assert {n for n in names if not english_name(n)} == set()
    assert all(not CJK.search(english_name(n) or "") for n in names)


def test_names_with_others() -> None:
    assert english_name("市场监管总局等21部门") == "State Administration for Market Regulation (SAMR) and 20 other departments"
    assert english_name("质检总局等").endswith("(AQSIQ) and other departments")
    assert english_name("某某局等") is None and english_name("某某局") is None


def test_english_pages_name_issuers_in_english(site_dir: Path) -> None:
    html = (site_dir / "en/2022/national/index.html").read_text(encoding="utf-8")
    # each department is its own <span> (kept whole on narrow screens): compare the text
    issued = re.sub(r"<[^>]+>", "", re.search(r"<dt>Issued by</dt><dd[^>]*>(.*?)</dd>", html).group(1))
    assert not CJK.search(issued) and "Ministry of Commerce, Ministry of Culture and Tourism" in issued
    home = (site_dir / "en/index.html").read_text(encoding="utf-8")
    assert "China Association for Quality (CAQ)" in home and "Zhuhai Association for Quality" in home


def test_untranslated_chinese_is_labelled_with_an_english_line(site_dir: Path) -> None:
    notice = (site_dir / "en/2022/national/notice/index.html").read_text(encoding="utf-8")
    note = re.search(r'<aside class="zh-note".*?</aside>', notice, re.S).group(0)
    assert "In Chinese only" in note and "In one line:" in note and not CJK.search(note)
    assert '<div class="zh-block" lang="zh-CN">' in notice
    attachments = (site_dir / "en/2022/national/attachments/index.html").read_text(encoding="utf-8")
    assert attachments.count("In Chinese only: no English translation of this attachment") == \
        attachments.count('class="attachment-text zh-block" lang="zh-CN"') > 0


@pytest.fixture(scope="module")
def english_pages(site_dir: Path) -> list[str]:
    return [rel for rel in sitecheck.viewable_pages(site_dir) if rel.startswith("en/")]


def test_english_interface_uses_ascii_punctuation(site_dir: Path, english_pages: list[str]) -> None:
    """Text in English (outside lang="zh-CN" elements) has no full-width colon, comma, enumeration comma or stop."""
    wrong = [f"{rel}: {text!r}" for rel in english_pages for lang, text in lang_texts(site_dir / rel)
             if lang == "en" and re.search("[：，、。；]", text)]
    assert wrong == []
