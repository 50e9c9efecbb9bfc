#!/usr/bin/env python3
"""Make source.docx and source.pdf beside source.txt for some of the real notices in tests/fixtures/notices/real/.

Usage: python3 scripts/make_notice_copies.py [ID ...]   (default: the notices in COPIES)

A received notice is more often a Word file or a PDF than a web page, so some of the web copies are laid out
again the way an office would: the title centred and bold, the 文号 centred under it, body paragraphs indented two
characters, the 落款 and the date set to the right, tables as real tables (a table a web page pasted one cell per
line, or with | between the cells, is put back into rows). The words are the copy's own; only the web page's lines
that an office file never holds (the information-disclosure bullets, 来源/作者 lines) are left out.
The .docx is written with python-docx; the PDF is the same layout as HTML printed by headless Chromium.
"""

from __future__ import annotations

import argparse
import html
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "fixtures" / "notices" / "real"
COPIES = ("2024-fuding", "2024-gongqing", "2024-cca-quality", "2015-caq", "2023-zhongshan", "2022-national-web",
          "2012-hunan-education", "2025-hainan-housing", "2019-anhui-essay")
CHROMIUM = "/usr/bin/chromium"

# lines of the web page itself (its information-disclosure block, source and author lines), not of the notice
WEB_CHROME = re.compile(r"^(?:•|政府信息公开$|来源[:：]|作者[:：]|\d{4}-\d{2}-\d{2}$)")
DATE_LINE = re.compile(r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
CN_DATE_LINE = re.compile(r"^[〇零OＯ一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日$")
DOC_NUMBER = re.compile(r"^[(（]?\S{1,12}[〔\[［]\d{4}[〕\]］]\d+\s*[号號][)）]?$")
PLAN_TITLE = re.compile(r"^[^,，。:：]{4,40}(?:活动方案|实施方案)$")  # the 方案 under a 印发 cover letter


@dataclass
class Block:
    """One piece of the laid-out notice: kind is title, mark, docnum, subtitle, para, sign or table."""

    kind: str
    text: str = ""
    rows: list[list[str]] | None = None


def units(text: str) -> list[str]:
    """The copy's lines; a line of only spaces is kept as an empty table cell, an empty line is dropped."""
    out = []
    for line in text.splitlines():
        if line == "":
            continue
        out.append("" if not line.strip() else line.strip())
    return out


def cell_table(lines: list[str], start: int) -> tuple[list[list[str]], int] | None:
    """A table pasted one cell per line from `start` (a 序号 header): its rows and the index after it, or None."""
    header = []
    i = start
    while i < len(lines) and lines[i] and not lines[i].isdigit() and len(lines[i]) <= 8:
        header.append(lines[i])
        i += 1
    if len(header) < 3 or i >= len(lines) or not lines[i].isdigit():
        return None
    rows = [header]
    while i + len(header) <= len(lines) and lines[i].isdigit():
        rows.append(lines[i:i + len(header)])
        i += len(header)
    return rows, i


def layout(text: str, title: str | None, signers: set[str]) -> list[Block]:
    """The copy as blocks, recognising only what an office layout needs: title, 文号, tables, 落款 and date."""
    lines = [u for u in units(text) if not WEB_CHROME.match(u)]
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line == "序号" or line == "序號":
            found = cell_table(lines, i)
            if found:
                blocks.append(Block("table", rows=found[0]))
                i = found[1]
                continue
        if "|" in line:  # a table pasted with | between cells (and one at the end of each row)
            rows = []
            while i < len(lines) and "|" in lines[i]:
                rows.append([c.strip() for c in lines[i].strip().strip("|").split("|")])
                i += 1
            blocks.append(Block("table", rows=rows))
            continue
        plain = re.sub(r"\s+", "", line)  # a signer's name may be letter-spaced (湖 南 省 教 育 厅)
        if title and i + 1 < len(lines) and line != title and line + lines[i + 1] == title:
            blocks += [Block("title", line), Block("title", lines[i + 1])]  # a title the copy broke over two lines
            i += 2
            continue
        if title and line == title and not any(b.kind == "title" for b in blocks):
            kind = "title"
        elif DOC_NUMBER.match(line) and not any(b.kind == "para" for b in blocks):
            kind = "docnum"
        elif plain in signers and not any(b.kind == "para" for b in blocks):
            kind = "mark"  # the issuer's name above the 文号 (发文机关标志)
        elif DATE_LINE.match(line) or CN_DATE_LINE.match(line) or plain in signers:
            kind = "sign"
        elif PLAN_TITLE.match(line):
            kind = "subtitle"
        else:
            kind = "para"
        blocks.append(Block(kind, line))
        i += 1
    return blocks


def write_docx(blocks: list[Block], path: Path) -> None:
    """The blocks as a Word file laid out like an office notice (A4, 仿宋-style body, 小标宋-style title)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    style = document.styles["Normal"]
    style.font.size = Pt(16)
    style.font.name = "FangSong"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")  # Word picks CJK glyphs from the East Asian font
    for block in blocks:
        if block.kind == "table":
            width = max(len(r) for r in block.rows)
            table = document.add_table(rows=len(block.rows), cols=width)
            table.style = "Table Grid"
            for r, row in enumerate(block.rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
            continue
        p = document.add_paragraph()
        run = p.add_run(block.text)
        if block.kind in ("title", "subtitle"):
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run.bold = True
            run.font.size = Pt(22 if block.kind == "title" else 18)
        elif block.kind in ("mark", "docnum"):
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif block.kind == "sign":
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        else:
            p.paragraph_format.first_line_indent = Pt(32)  # two characters of 16 pt
    document.save(str(path))


def to_html(blocks: list[Block]) -> str:
    """The blocks as a printable A4 page in the same layout."""
    parts = []
    for block in blocks:
        if block.kind == "table":
            rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in block.rows)
            parts.append(f"<table>{rows}</table>")
        elif block.kind == "title":
            parts.append(f"<h1>{html.escape(block.text)}</h1>")
        else:
            parts.append(f'<p class="{block.kind}">{html.escape(block.text)}</p>')
    style = ("@page{size:A4;margin:37mm 26mm 35mm 28mm}"
             "body{font-family:'Noto Serif CJK SC','Noto Sans CJK SC',serif;font-size:16pt;line-height:1.6}"
             "h1{font-size:22pt;text-align:center;margin:0 0 1em}p{margin:0}p.para{text-indent:2em}"
             "p.docnum,p.mark{text-align:center}p.sign{text-align:right}p.subtitle{text-align:center;font-weight:bold;font-size:18pt}"
             "table{border-collapse:collapse;width:100%;margin:.5em 0}td{border:1px solid #000;padding:3px;font-size:12pt}")
    return f"<!doctype html><html lang=zh-CN><meta charset=utf-8><style>{style}</style>{''.join(parts)}</html>"


def write_pdf(blocks: list[Block], path: Path) -> None:
    """The blocks printed to PDF by headless Chromium."""
    with tempfile.TemporaryDirectory(prefix="qm-copy-") as tmp:
        page = Path(tmp) / "notice.html"
        page.write_text(to_html(blocks), encoding="utf-8")
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                        f"--user-data-dir={tmp}/profile", f"--print-to-pdf={path}", page.as_uri()],
                       check=True, capture_output=True, timeout=120)


def expected(folder: Path) -> dict:
    """The notice's expected.yaml (for its title and signers, which the layout sets apart)."""
    import yaml

    return yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8")) or {}


def _runs(facts: dict, n: int) -> list[tuple[str, ...]]:
    """Runs of n consecutive signers, which a 落款 line may hold together."""
    names = [facts.get("issuer") or "", *facts.get("co_issuers", [])]
    return [tuple(names[k:k + n]) for k in range(len(names) - n + 1)] if all(names) else []


def make(folder: Path) -> None:
    """source.docx and source.pdf beside one notice's source.txt."""
    facts = expected(folder)
    signers = {facts.get("issuer") or "", *facts.get("co_issuers", [])} - {""}
    signers |= {"".join(p) for n in (2, 3) for p in _runs(facts, n)}
    blocks = layout((folder / "source.txt").read_text(encoding="utf-8"), facts.get("title"), signers)
    write_docx(blocks, folder / "source.docx")
    write_pdf(blocks, folder / "source.pdf")
    print(f"{folder.name}: {len(blocks)} blocks, {sum(b.kind == 'table' for b in blocks)} tables")


def main() -> int:
    """Make the copies of the notices asked for."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ids", nargs="*", default=list(COPIES))
    args = ap.parse_args()
    for cid in args.ids:
        make(REAL / cid)
    return 0


if __name__ == "__main__":
    sys.exit(main())
