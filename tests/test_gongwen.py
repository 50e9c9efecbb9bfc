"""The notice as a 公文 PDF (GB/T 9704-2012), measured from its text positions as an office's clerk would with a ruler."""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from qm_site.errors import QmError
from qm_site.printing import gongwen, pdf

MM = 72 / 25.4
LINE = 225 / 22 * MM  # the line pitch: 22 lines in the 225 mm 版心
PARAGRAPH = "为深入贯彻落实质量强国建设纲要，推动质量变革创新，提升全民质量意识，促进经济社会高质量发展，现就开展活动有关事项通知如下。" * 3
NOTICE_MD = "\n\n".join([PARAGRAPH] + [f"## 第{n}项要求\n\n{PARAGRAPH}\n\n{PARAGRAPH}" for n in range(1, 6)]) + "\n"
CAMPAIGN_YAML = """year: 2023
slug: demo
title: 关于开展2023年“质量月”活动的通知
doc_number: 某质协〔2023〕8号
issuer: 某市质量协会
co_issuers: [某市市场监督管理局]
recipients: [各会员单位, 各有关单位]
copies: [省质量协会, 市工业和信息化局]
printed_by: 某市质量协会秘书处
issue_date: 2023-08-20
publication_note: 此件公开发布
body: notice.md
attachments:
  - number: 1
    title: 活动安排
    file: attachment-1.md
"""
SITE_YAML = "title: 质量月\ndescription: 测试\nbase_url: https://example.org/\nlanguages: [zh_CN]\n"


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> tuple[Path, list[tuple[int, float, float, str]]]:
    """The demo notice printed by `build.py pdf` (it has no slogans, so it is the only PDF), and its text runs."""
    if shutil.which("gs") is None:
        pytest.skip("needs ghostscript")
    root = tmp_path_factory.mktemp("gongwen")
    folder = root / "content" / "2023-demo"
    folder.mkdir(parents=True)
    (root / "content" / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    (folder / "campaign.yaml").write_text(CAMPAIGN_YAML, encoding="utf-8")
    (folder / "notice.md").write_text(NOTICE_MD, encoding="utf-8")
    (folder / "attachment-1.md").write_text("九月上旬举办质量论坛。\n\n九月中旬开展质量宣传。\n", encoding="utf-8")
    try:
        pdf.build_pdfs(root / "content", root / "public")
    except QmError as exc:
        if "Chromium" in str(exc):
            pytest.skip(str(exc))
        raise
    path = root / "public" / "pdf" / "2023-demo-notice.pdf"
    return root / "public", gongwen.text_lines(path.read_bytes())


def by_page(lines) -> dict[int, list[tuple[float, float, str]]]:
    pages = defaultdict(list)
    for page, x, y, text in lines:
        pages[page].append((x, y, text))
    return pages


def body(runs) -> dict[float, str]:
    """The text of each line inside the 版心 (37 mm from the top, 35 mm from the foot), by baseline."""
    rows: dict[float, str] = defaultdict(str)
    for _, y, text in sorted(runs, key=lambda r: (-r[1], r[0])):
        if 35 * MM < y < (297 - 37) * MM:
            rows[round(y, 0)] += text
    return rows


@pytest.mark.browser
def test_a_full_page_holds_22_lines_of_28_characters_in_the_type_area(printed) -> None:
    _, lines = printed
    pages = by_page(lines)
    assert len(pages) >= 3, "the demo notice runs over several pages"
    rows = body(pages[2])
    assert len(rows) == 22, sorted(rows)
    ys = sorted(rows, reverse=True)
    assert (ys[0] - ys[-1]) / 21 == pytest.approx(LINE, abs=0.3), "the line pitch fills 225 mm with 22 lines"
    assert max(len(t) for t in rows.values()) == 28 and all(len(t) <= 28 for t in rows.values())
    left = min(x for x, y, _ in pages[2] if 35 * MM < y)
    assert left == pytest.approx(28 * MM, abs=1), "the 订口 (binding margin) is 28 mm"
    assert ys[0] == pytest.approx((297 - 37) * MM - 16 * 0.88 - (LINE - 16) / 2, abs=3), "the first line starts at the top of the 版心"


@pytest.mark.browser
def test_pages_are_numbered_with_dashes_at_the_outer_edge(printed) -> None:
    _, lines = printed
    for page, runs in by_page(lines).items():
        foot = [(x, text) for x, y, text in runs if y < 35 * MM]
        assert "".join(t for _, t in foot).replace(" ", "") == f"—{page}—", (page, foot)
        x = min(x for x, _ in foot)
        assert (x > 105 * MM) == (page % 2 == 1), f"page {page}: odd pages right, even pages left"
        assert max(y for _, y, _ in runs if y < 35 * MM) < (35 - 7) * MM, "7 mm under the 版心"


@pytest.mark.browser
def test_the_colophon_stays_together_at_the_foot_of_the_last_page(printed) -> None:
    _, lines = printed
    pages = by_page(lines)
    last = max(pages)
    colophon = [(y, t) for page, x, y, t in lines if "抄送" in t or "印发" in t or "秘书处" in t]
    assert {page for page, x, y, t in lines if "抄送" in t or "印发" in t} == {last}, "the 版记 is on the last page, whole"
    lowest = min(y for y, _ in colophon)
    assert lowest < 35 * MM + LINE, "its last line sits on the last line of the 版心"
    assert len(body(pages[last])) >= 2, "never one line alone"


@pytest.mark.browser
def test_the_head_title_and_attachments_are_where_the_standard_puts_them(printed) -> None:
    public, lines = printed
    pages = by_page(lines)
    first = "".join(t for _, _, t in sorted(pages[1], key=lambda r: -r[1]))
    assert first.startswith("某市质量协会某质协〔2023〕8号关于开展2023年“质量月”活动的通知各会员单位，各有关单位：")
    attachment = next(p for p, runs in pages.items() if any(t.startswith("附件1") for _, _, t in runs))
    top = max(pages[attachment], key=lambda r: r[1])
    assert top[2] == "附件1", "an attachment starts a new page, 附件1 on its first line"
    assert any(text.startswith("附件：活动安排") for text in body(pages[attachment - 1]).values()), "the 附件说明 after the body"
    notice = (public / "2023" / "demo" / "notice" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../../pdf/2023-demo-notice.pdf" download' in notice, "the notice page links its 公文 PDF"


@pytest.mark.browser
def test_the_same_notice_prints_the_same_bytes(printed, tmp_path: Path) -> None:
    public, _ = printed
    shutil.copytree(public.parent / "content", tmp_path / "content")
    pdf.build_pdfs(tmp_path / "content", tmp_path / "public")
    name = "pdf/2023-demo-notice.pdf"
    assert (tmp_path / "public" / name).read_bytes() == (public / name).read_bytes()


def test_without_its_pdf_the_notice_links_the_print_page_and_only_in_chinese_sites(tmp_path: Path) -> None:
    """A site built without `build.py pdf` (Netlify's) offers the 公文 print page, never a missing PDF or an instruction."""
    from qm_site.site import builder
    from qm_site.source import content as content_mod

    root = tmp_path / "content"
    (root / "2023-demo").mkdir(parents=True)
    (root / "site.yaml").write_text(SITE_YAML.replace("[zh_CN]", "[zh_CN, en]"), encoding="utf-8")
    (root / "2023-demo" / "campaign.yaml").write_text(CAMPAIGN_YAML.replace("body: notice.md\n", "").split("attachments:")[0], encoding="utf-8")
    files, _ = builder.render_site(content_mod.load(root))
    zh, en = files["2023/demo/notice/index.html"].decode(), files["en/2023/demo/notice/index.html"].decode()
    assert 'href="../../../2023/demo/notice/print/"' in zh and 'href="../../../../2023/demo/notice/print/"' in en
    assert "notice.pdf" not in zh + en and "build.py" not in zh + en
    sheet = files["2023/demo/notice/print/index.html"].decode()
    assert "某质协〔2023〕8号" in sheet and "抄送：" in sheet and "2023年8月20日印发" in sheet
    assert "en/2023/demo/notice/print/index.html" not in files, "the 公文 is the Chinese document"
