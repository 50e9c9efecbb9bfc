"""The notice as a 公文 PDF (GB/T 9704-2012), measured from its text positions as an office's clerk would with a ruler."""

from __future__ import annotations

import itertools
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from qm_site.commands import pdf as pdf_command
from qm_site.errors import QmError
from qm_site.printing import gongwen, linebreak, pdf

MM = 72 / 25.4
LINE = 225 / 22 * MM  # the line pitch: 22 lines in the 225 mm 版心
PARAGRAPH = ("为深入贯彻落实质量强国建设纲要，推动质量变革创新，提升全民质量意识，促进经济社会高质量发展，"
             "现就开展活动有关事项通知如下。") * 3
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
    root = tmp_path_factory.mktemp("gongwen")
    folder = root / "content" / "2023-demo"
    folder.mkdir(parents=True)
    (root / "content" / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    (folder / "campaign.yaml").write_text(CAMPAIGN_YAML, encoding="utf-8")
    (folder / "notice.md").write_text(NOTICE_MD, encoding="utf-8")
    (folder / "attachment-1.md").write_text("九月上旬举办质量论坛。\n\n九月中旬开展质量宣传。\n", encoding="utf-8")
    print_pdfs(root)
    path = root / "public" / "pdf" / "2023-demo-notice.pdf"
    return root / "public", gongwen.text_lines(path.read_bytes())


def print_pdfs(root: Path) -> None:
    """`build.py pdf` of root/content into root/public; skipped without ghostscript or Chromium."""
    if shutil.which("gs") is None:
        pytest.skip("needs ghostscript")
    try:
        pdf_command.build_pdfs(root / "content", root / "public")
    except QmError as exc:
        if "Chromium" in str(exc):
            pytest.skip(str(exc))
        raise


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
    top = (297 - 37) * MM - 16 * 0.88 - (LINE - 16) / 2
    assert ys[0] == pytest.approx(top, abs=3), "the first line starts at the top of the 版心"


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
    assert last % 2 == 0, "the 版记 is on the back of the last sheet (an even page)"


@pytest.mark.browser
def test_the_head_title_and_attachments_are_where_the_standard_puts_them(printed) -> None:
    public, lines = printed
    pages = by_page(lines)
    first = "".join(t for _, _, t in sorted(pages[1], key=lambda r: -r[1]))
    assert first.startswith("本件据公开发布的通知排版，以正式文件为准"  # another issuer's notice, reproduced
                            "某市质量协会某市市场监督管理局"  # 联合行文: every issuer in the 版头
                            "某质协〔2023〕8号关于开展2023年“质量月”活动的通知各会员单位，各有关单位：")
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
    pdf_command.build_pdfs(tmp_path / "content", tmp_path / "public")
    name = "pdf/2023-demo-notice.pdf"
    assert (tmp_path / "public" / name).read_bytes() == (public / name).read_bytes()


def test_without_its_pdf_the_notice_links_the_print_page_and_only_in_chinese_sites(tmp_path: Path) -> None:
    """A site built without `build.py pdf` (Netlify's) offers the 公文 print page, never a missing PDF or an instruction."""
    from qm_site.site import builder
    from qm_site.source import content as content_mod

    root = tmp_path / "content"
    (root / "2023-demo").mkdir(parents=True)
    (root / "site.yaml").write_text(SITE_YAML.replace("[zh_CN]", "[zh_CN, en]"), encoding="utf-8")
    without_body = CAMPAIGN_YAML.replace("body: notice.md\n", "").split("attachments:")[0]
    (root / "2023-demo" / "campaign.yaml").write_text(without_body, encoding="utf-8")
    files, _ = builder.render_site(content_mod.load(root))
    zh, en = files["2023/demo/notice/index.html"].decode(), files["en/2023/demo/notice/index.html"].decode()
    assert 'href="../../../2023/demo/notice/print/"' in zh and 'href="../../../../2023/demo/notice/print/"' in en
    assert "notice.pdf" not in zh + en and "build.py" not in zh + en
    sheet = files["2023/demo/notice/print/index.html"].decode()
    assert "某质协〔2023〕8号" in sheet and "抄送：" in sheet and "2023年8月20日印发" in sheet
    assert "en/2023/demo/notice/print/index.html" not in files, "the 公文 is the Chinese document"


# --- the seeds' 公文 PDFs, as an office would check them (GB/T 9704-2012, issue 35) -----------------------

FOOT = 35 * MM  # the foot of the 版心
SEED_IDS = ("2014-national", "2020-nanjing", "2022-caq", "2022-national", "2022-zhuhai")


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> dict[str, tuple[bytes, object]]:
    """Every seed campaign's 公文 PDF (printed by `build.py pdf`, posters left out) and its campaign."""
    from conftest import CONTENT

    from qm_site.source import content as content_mod

    root = tmp_path_factory.mktemp("gongwen-seeds")
    shutil.copytree(CONTENT, root / "content")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pdf, "plan", lambda *args, **kwargs: [])  # only the notices: the posters have their own tests
        print_pdfs(root)
    loaded = {e.id: e.campaign for e in content_mod.load(root / "content").entries}
    return {i: ((root / "public" / "pdf" / f"{i}-notice.pdf").read_bytes(), loaded[i]) for i in SEED_IDS}


def rows_of(data: bytes) -> dict[int, list[tuple[float, str]]]:
    """Each page's lines inside the 版心, top first: (baseline, text without spaces)."""
    rows: dict[int, dict[float, str]] = defaultdict(lambda: defaultdict(str))
    for page, _, y, text in sorted(gongwen.text_lines(data), key=lambda r: (r[0], -r[2], r[1])):
        rows[page]  # every page, even a blank one
        if FOOT < y < (297 - 37) * MM:
            rows[page][round(y, 0)] += text.replace(" ", "")
    return {page: sorted(by_y.items(), reverse=True) for page, by_y in rows.items()}


def tail_lines(c) -> set[str]:
    """The lines of a notice's signature, date and 附注, as printed."""
    date = f"{c.issue_date.year}年{c.issue_date.month}月{c.issue_date.day}日" if c.issue_date else None
    return {c.issuer, *c.co_issuers, *([date] if date else []), *([f"（{c.publication_note}）"] if c.publication_note else [])}


def starts_flow(first: str) -> bool:
    """Whether a page's first line starts something kept to a new page: an attachment, the 附件说明, the 版记."""
    return first.startswith(("附件", "主送", "抄送")) or "印发" in first


@pytest.mark.browser
@pytest.mark.parametrize("seed", SEED_IDS)
def test_every_full_body_page_holds_22_lines(seeds, seed) -> None:
    data, _ = seeds[seed]
    rows = rows_of(data)
    for page in sorted(rows)[1:-1]:
        lines, following = rows[page], rows.get(page + 1)
        if not lines or not following or starts_flow(following[0][1]):
            continue
        ys = [y for y, _ in lines]
        gaps = [a - b for a, b in zip(ys, ys[1:], strict=False)]
        if any(gap < 0.8 * LINE for gap in gaps):
            continue  # a table's rows (12 pt): their page ends where a whole row no longer fits
        assert ys[-1] - FOOT < min(gaps, default=LINE) * 0.9, f"{seed} page {page} ends early: {lines[-1]}"
        if all(abs(gap / LINE - round(gap / LINE)) < 0.02 for gap in gaps):  # the standard grid, not set closer
            assert round((ys[0] - ys[-1]) / LINE) + 1 == 22, f"{seed} page {page}: {len(lines)} lines"


@pytest.mark.browser
@pytest.mark.parametrize("seed", SEED_IDS)
def test_no_page_holds_only_the_signature_or_date(seeds, seed) -> None:
    data, c = seeds[seed]
    tail = tail_lines(c)
    for page, lines in rows_of(data).items():
        if page > 1 and lines:
            assert lines[0][1] not in tail, f"{seed} page {page} begins with {lines[0][1]}: no text above the signature"


@pytest.mark.browser
@pytest.mark.parametrize("seed", SEED_IDS)
def test_the_colophon_ends_an_even_last_page(seeds, seed) -> None:
    data, c = seeds[seed]
    rows = rows_of(data)
    if not (c.copies or c.printed_by or c.recipients_position == "footer"):
        pytest.skip("this notice has no 版记")
    last = max(rows)
    assert last % 2 == 0, f"{seed}: the 版记 is on page {last}, a front (odd) page"
    assert rows[last][-1][0] - FOOT < LINE, "its last line is the last line of the 版心"
    assert not any(("抄送" in t or "印发" in t) for p in rows if p != last for _, t in rows[p])
    if not starts_flow(rows[last][0][1]):
        return
    numbers = [t for p, x, y, t in gongwen.text_lines(data) if p == last and y < FOOT]
    assert not numbers, "a 版记 alone on its page carries no page number"


@pytest.mark.browser
@pytest.mark.parametrize("seed", SEED_IDS)
def test_the_red_rule_is_4_mm_under_the_document_number(seeds, seed, tmp_path: Path) -> None:
    import subprocess

    from PIL import Image

    data, c = seeds[seed]
    if not c.doc_number:
        pytest.skip("no 文号")
    number = next(y for y, t in rows_of(data)[1] if t == c.doc_number.replace(" ", ""))
    (tmp_path / "n.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "254", "-f", "1", "-l", "1", "-png", "-singlefile", str(tmp_path / "n.pdf"),
                    str(tmp_path / "p")], check=True)
    image = Image.open(tmp_path / "p.png").convert("RGB")  # 10 px a millimetre
    red = [row for row in range(image.height)
           if sum(1 for col in range(280, 1840, 10) if (lambda p: p[0] > 150 and p[1] < 80)(image.getpixel((col, row)))) > 140]
    assert red, "a red rule across the 版心"
    rule_mm = 297 - min(red) / 10  # its top edge, from the foot of the page
    glyph_foot = number / MM - 16 * 0.12 / MM  # the 文号's characters end 0.12 em under the baseline
    assert glyph_foot - rule_mm == pytest.approx(4, abs=0.4)


@pytest.mark.browser
@pytest.mark.parametrize("seed", SEED_IDS)
def test_fonts_are_embedded_and_the_kaiti_headings_use_a_kai_face(seeds, seed) -> None:
    import io

    from pypdf import PdfReader

    from qm_site.printing import preflight

    data, _ = seeds[seed]
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"].get("/Font", {}).values():  # a blank page before the 版记 has none
            font = font.get_object()
            assert preflight.font_problems(font) == []
            names.add(str(font.get("/BaseFont")))
    assert not any("Type3" in n for n in names)
    if seed in ("2020-nanjing", "2022-zhuhai"):  # their 二级标题 (（一）…) are 楷体
        assert any("UKai" in n for n in names), names


@pytest.mark.browser
def test_a_numbered_list_is_set_as_third_level_paragraphs(seeds) -> None:
    """Nanjing's 活动的要求 (a Markdown list): 左空二字 1．, the later lines at the 版心's left edge (GB/T 9704 §7.3.3)."""
    data, _ = seeds["2020-nanjing"]
    runs: dict[tuple[int, float], list[tuple[float, str]]] = defaultdict(list)
    for page, x, y, text in gongwen.text_lines(data):
        runs[page, -round(y)].append((x, text))
    lines = [(min(r)[0], "".join(t for _, t in sorted(r)).replace(" ", "")) for _, r in sorted(runs.items())]
    char = 156 / 28 * MM
    for n in (1, 2, 3):
        i = next(i for i, (_, text) in enumerate(lines) if text.startswith(f"{n}．积极") or text.startswith(f"{n}．做好"))
        assert lines[i][0] == pytest.approx(28 * MM + 2 * char, abs=1.5), lines[i]
        assert lines[i + 1][0] == pytest.approx(28 * MM, abs=1.5), lines[i + 1]


# --- the pure parts: titles, list cells, table columns, the tail -----------------------------------------

@pytest.mark.parametrize("title",
                         ["关于开展2020年“质量月”系列科普活动的通知", "市场监管总局等21部门关于开展2022年全国“质量月”活动的通知",
                                   "关于组织开展2022年珠海市企业“质量月”活动的通知", "2022年中国质量协会“质量月”系列活动安排"])
def test_titles_break_between_phrases_into_a_trapezoid(title: str) -> None:
    lines = gongwen.title_lines(title)
    widths = [gongwen.em_width(line) for line in lines]
    assert "".join(lines) == title and len(lines) == 2
    assert max(widths) <= gongwen.TITLE_EM and widths[0] >= widths[1] - 2, "a 梯形: the top line not the shorter"
    assert lines[-1] not in ("通知", "安排", "的通知", "活动的通知"[:2]), "the 文种 never alone"
    assert not any(a[-1:].isdigit() and b[:1] in "部年号" for a, b in zip(lines, lines[1:], strict=False)), "21部门 stays whole"
    assert not lines[0].endswith("活") and not lines[0].endswith("科普活"), "no word split"


@pytest.mark.parametrize("title", ["2022年全国“质量月”联合主办单位开展的主要活动", "2022年中国质量协会“质量月”系列活动安排",
                                   "南京质量协会 2020 年“质量月”系列科普活动安排",
                                   "2022 年珠海市质量协会“质量月”系列活动安排",
                                   "2022年全国“质量月”相关联合会、协会开展的活动",
                                   "质检总局等关于开展2014年全国“质量月”活动的通知"])
def test_titles_never_split_the_words_offices_use(title: str) -> None:
    """The seeds' titles and attachment titles: BudouX alone gives 联合主办 / 单位, 年全 / 国, 质量 / 协会."""
    lines = gongwen.title_lines(title)
    assert "".join(lines).replace(" ", "") == title.replace(" ", "")
    at = [len("".join(lines[:i + 1]).replace(" ", "")) for i in range(len(lines) - 1)]
    assert linebreak.inside_terms(title.replace(" ", "")).isdisjoint(at), lines
    for word in ("主办单位", "质量协会", "系列活动", "活动安排", "全国"):
        assert not any(a.endswith(word[:k]) and b.startswith(word[k:])
                       for a, b in itertools.pairwise(lines) for k in range(1, len(word))), (word, lines)


def test_a_short_title_is_one_line_and_a_long_one_a_diamond_or_trapezoid() -> None:
    assert gongwen.title_lines("2022年全国“质量月”活动口号") == ["2022年全国“质量月”活动口号"]
    long = "关于深入开展2023年全国“质量月”活动进一步推动质量强国建设纲要落实和质量提升行动的通知"
    widths = [gongwen.em_width(line) for line in gongwen.title_lines(long)]
    assert len(widths) == 3 and gongwen._well_shaped(widths), widths


def test_list_cells_keep_the_punctuation_as_written() -> None:
    assert gongwen.as_written(["质量信得过班组交流;", "质量管理小组活动"]) == "质量信得过班组交流;质量管理小组活动"
    assert gongwen.as_written(["举办论坛", "开展宣传"]) == "举办论坛；开展宣传"


def test_table_columns_take_their_width_from_their_content() -> None:
    widths = gongwen.column_widths([["序号", "1", "12"], ["活动名称", "珠海市优秀质量管理小组成果发表赛"], ["时间", "9月29日"],
                                    ["地点", "线上"], ["主要内容", "组织开展我市企业QC小组成果发表交流活动" * 3]])
    assert sum(widths) == pytest.approx(100, abs=0.05)
    em = 100 / (156 / 25.4 * 72 / 12)  # percent of the table per em of 12 pt text
    assert 2.9 * em <= widths[0] < 4 * em, "序号 fits its heading on one line, and no more"
    assert widths[2] >= (gongwen.em_width("9月29日") + 0.75) * em, "9月29日 on one line, beside its padding"
    assert widths[-1] == max(widths), "主要内容 gets the rest"


def test_the_print_page_marks_a_reproduction_and_names_every_issuer(tmp_path: Path) -> None:
    """A third party's notice says it is a reproduction (or prints its 版头 in black); a joint notice names all issuers."""
    from qm_site.site import builder
    from qm_site.source import content as content_mod

    root = tmp_path / "content"
    (root / "2023-demo").mkdir(parents=True)
    yaml = CAMPAIGN_YAML.replace("body: notice.md\n", "").split("attachments:")[0] + "contacts:\n  - phones: [010-82262033]\n"
    (root / "2023-demo" / "campaign.yaml").write_text(yaml, encoding="utf-8")
    sheets = {}
    for name, extra in {"third": "", "black": "gongwen:\n  reproduction: black\n",
                        "own": "gongwen:\n  own_issuers: [某市质量协会]\n"}.items():
        (root / "site.yaml").write_text(SITE_YAML + extra, encoding="utf-8")
        files, _ = builder.render_site(content_mod.load(root))
        sheets[name] = files["2023/demo/notice/print/index.html"].decode()
    assert "本件据公开发布的通知排版，以正式文件为准" in sheets["third"] and "gw-black" not in sheets["third"]
    assert "gw-black" in sheets["black"] and "本件据" not in sheets["black"]
    assert "本件据" not in sheets["own"] and "gw-black" not in sheets["own"]
    head = sheets["own"].split('class="gw-issuer"')[1].split("</div>")[0]
    assert "<p>某市质量协会</p><p>某市市场监督管理局</p>" in head, "联合行文: the lead issuer first, then the others"
    import re

    text = re.sub(r"<[^>]+>", "", sheets["own"])
    assert "联系方式：电话：010-82262033" in text, "no 联系方式：， when there is no name"
    assert '<span class="gw-whole">010-82262033</span>' in sheets["own"], "a number is never split at a line's end"


# --- the office's own fonts (site.yaml gongwen.fonts) -----------------------------------------------------

def demo_content(root: Path, site_extra: str) -> Path:
    """The demo campaign (no body file) under root/content, with `site_extra` appended to its site.yaml."""
    folder = root / "content" / "2023-demo"
    folder.mkdir(parents=True)
    (root / "content" / "site.yaml").write_text(SITE_YAML + site_extra, encoding="utf-8")
    (folder / "campaign.yaml").write_text(CAMPAIGN_YAML.replace("body: notice.md\n", "").split("attachments:")[0], encoding="utf-8")
    return root / "content"


@pytest.mark.parametrize(("name", "setup", "message"), [
    ("../outside.ttf", lambda root: (root.parent / "outside.ttf").write_bytes(b"x"), "is not inside the content folder"),
    ("assets/kai.ttf", lambda root: (root / "assets").mkdir() or (root / "assets" / "kai.ttf").write_bytes(b"x"),
     "which is published on the site"),
    ("_fonts/missing.ttf", lambda root: None, "does not exist"),
    ("_fonts/notes.ttf", lambda root: (root / "_fonts").mkdir() or (root / "_fonts" / "notes.ttf").write_text("仿宋"),
     "is not a font file fontTools can read"),
])
def test_an_office_font_must_be_a_font_file_kept_unpublished_in_the_content_folder(tmp_path: Path, name, setup, message) -> None:
    from qm_site.source import content as content_mod

    root = demo_content(tmp_path, f"gongwen:\n  fonts:\n    kaiti: {name}\n")
    setup(root)
    with pytest.raises(QmError) as caught:
        content_mod.load(root)
    assert message in str(caught.value) and "site.yaml:7:5" in str(caught.value), str(caught.value)


@pytest.mark.browser
def test_the_office_fonts_of_site_yaml_are_embedded(tmp_path: Path) -> None:
    """An office font named in site.yaml sets its part of the notice (here a Kai face as the 小标宋 of the titles)."""
    import io

    from pypdf import PdfReader

    from qm_site.printing import fonts

    kai = fonts.find_file_face("ukai.ttc", "AR PL UKai CN")
    if kai is None:
        pytest.skip("needs fonts-arphic-ukai")
    root = demo_content(tmp_path, "gongwen:\n  fonts:\n    xiaobiaosong: _fonts/office.ttc\n")
    (root / "_fonts").mkdir()  # _: not a campaign folder, and not published
    shutil.copy(kai.path, root / "_fonts" / "office.ttc")
    print_pdfs(tmp_path)
    reader = PdfReader(io.BytesIO((tmp_path / "public" / "pdf" / "2023-demo-notice.pdf").read_bytes()))
    names = {str(f.get_object().get("/BaseFont")) for page in reader.pages
             for f in page["/Resources"].get("/Font", {}).values()}
    assert any("UKai" in n for n in names), names  # the demo has no 二级标题: only the office's 小标宋 is Kai
    assert "_fonts/office.ttc" not in {p.relative_to(tmp_path / "public").as_posix() for p in (tmp_path / "public").rglob("*")}
