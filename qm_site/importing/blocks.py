"""A received notice as a list of blocks: paragraphs and tables, whatever file it came in.

Every reader (Word, PDF, plain text) produces the same two kinds of block, so recognition
works on one shape. Text is normalised here once: the spaces PDF and Word extraction leave
(no-break, full-width, runs) become one space, Markdown decorations of pasted text go.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_MD_MARK = re.compile(r"^(?:#{1,6}\s+|[-*]\s+(?=附件))")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_IDEOGRAPH = r"\u3400-\u9fff"
_ENDS_OPEN = re.compile(rf"[{_IDEOGRAPH}A-Za-z0-9、，]$")
_STARTS_CONT = re.compile(rf"^[{_IDEOGRAPH}“‘《（(]")
_TITLE_END = re.compile(r"(?:通知|通告|意见|方案|安排|决定|函|公告|办法|报告)$")
_HEADING_START = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．、]"
                            r"|附件|主送|抄送|联系|电\s*话|邮\s*箱)")
JOIN_MIN = 40  # a paragraph cut by a page break is a long one; slogans and headings are shorter


@dataclass
class Para:
    """One paragraph of text (already normalised), with the 1-based line it starts on in the source."""

    text: str
    line: int = 0


@dataclass
class Table:
    """A table: rows of cells (each cell's text normalised; a cell may hold several lines)."""

    rows: list[list[str]]
    line: int = 0
    notes: list[str] = field(default_factory=list)


Block = Para | Table


# PDF fonts often map a glyph shared with a radical to the radical's code point (⽉ U+2F49 for 月,
# ⻔ U+2ED4 for 门): NFKC undoes the Kangxi radicals, this table the simplified ones NFKC leaves, and
# ⼾ whose NFKC is the traditional 戶. Measured on Chromium's PDFs of the seeds (Noto CJK), completed
# from Unicode's EquivalentUnifiedIdeograph.txt for the other simplified radicals.
_RADICALS = {0x2F00 + i: unicodedata.normalize("NFKC", chr(0x2F00 + i)) for i in range(0xD6)}
_RADICALS.update({ord(k): v for k, v in zip("⺠⻅⻆⻋⻓⻔⻛⻜⻝⻬⻰⼾⻉⻈⻠⻢⻥⻦⻩⻨⻚⻘⻳⻮⻄⺮",
                                             "民见角车长门风飞食齐龙户贝讠饣马鱼鸟黄麦页青龟齿西竹")})
_RADICALS.update({0x2E3A: "——", 0x2E3B: "———"})  # two- and three-em dash: a font's ligature of ——


def clean(text: str) -> str:
    """One line of extracted text: radicals as ideographs, every run of spaces (no-break, full-width, tabs) as one space."""
    return _SPACES.sub(" ", text.translate(_RADICALS)).strip()


def clean_cell(text: str, spaced: bool = False) -> str:
    """A table cell: its lines (extraction wraps them) joined as `glue` joins them, each cleaned."""
    lines = [clean(line) for line in text.splitlines() if clean(line)]
    out = lines[0] if lines else ""
    for line in lines[1:]:
        out += glue(out, line, spaced)
    return out


_CJK = r"[\u3400-\u9fff]"
_LATIN = r"[A-Za-z0-9(]"
SPACED = re.compile(rf"{_CJK} {_LATIN}|{_LATIN[:-2]}] {_CJK}")  # 8 月 23 日: a space between Chinese and Latin
TIGHT = re.compile(rf"{_CJK}{_LATIN}|{_LATIN[:-2]}]{_CJK}")  # 8月23日


def glue(before: str, after: str, spaced: bool = False) -> str:
    """`after` as it continues a line it was wrapped apart from: a space between Latin words, and between
    Chinese and Latin in a text that spaces them (the space a PDF line was wrapped at is not in the PDF)."""
    pair = before[-1:] + after[:1]
    if re.fullmatch(r"[A-Za-z0-9,.;:][A-Za-z0-9]", pair) or (spaced and TIGHT.fullmatch(pair)):
        return " " + after
    return after


FLAT_MIN = 300  # a longer line holding breaks is a whole notice a web page flattened into one line
_FLAT_BREAK = re.compile(r"(?<=[:：。；;])\s+(?=\S)|\s+(?=(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）]"
                         r"|附\s*件|联\s*系\s*人|联系电话|\d{1,2}、)\S)"
                         r"|\s+(?=[〇零一二三四五六七八九○OΟ]{4}年\S{1,3}月\S{1,3}日$|(?:19|20)\d{2}年\d{1,2}月\d{1,2}日$)")
_FLAT_HEADING = re.compile(r"^((?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）])"
                           r"[^\s。：:，,]{1,20})\s+(?=\S)")


def unflatten(line: str) -> list[str]:
    """A notice flattened into one long line, split where its lines were: after 。 or ：, before and after headings."""
    if len(line) < FLAT_MIN or len(_FLAT_BREAK.findall(line)) < 2:
        return [line] if line else []
    out: list[str] = []
    for piece in _FLAT_BREAK.split(line):
        heading = _FLAT_HEADING.match(piece)  # 一、指导思想 全面贯彻… : the heading is a line of its own
        out.extend([heading[1], piece[heading.end():]] if heading else [piece])
    return [p.strip() for p in out if p.strip()]


def from_text(text: str) -> list[Block]:
    """Plain or Markdown text (pasted, or a .txt/.md file) as blocks; lines with tabs make tables."""
    blocks: list[Block] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if "\t" in line and line.strip():
            table, i = _text_table(lines, i)
            blocks.append(table)
            continue
        if _pipe_row(line) and i + 1 < len(lines) and _pipe_row(lines[i + 1]):
            table, i = _pipe_table(lines, i)
            blocks.append(table)
            continue
        i += 1
        if _RULE.match(line):
            continue
        if line and not line.strip():
            blocks.append(Para("", i))  # a line of spaces: an empty cell of a table pasted one cell per line
        for piece in unflatten(clean(_MD_MARK.sub("", line.strip()))):
            blocks.append(Para(piece, i))
    return join_broken([b for b in _cell_per_line(blocks) if not isinstance(b, Para) or b.text])


_COLUMN_WORDS = ("序号", "活动名称", "名称", "时间", "地点", "时间地点", "主要内容", "活动内容", "内容", "主办单位",
                 "承办单位", "备注", "活动时间", "活动地点", "牵头部门", "协助部门", "配合部门", "责任单位", "责任部门",
                 "牵头单位", "配合单位")


def _cell_per_line(blocks: list[Block]) -> list[Block]:
    """A table pasted from a web page as one cell per line (序号 / 活动名称 / 时间 / 地点 / 1 / …) made a table again.

    The heading is a run of column names; rows follow in groups of as many lines, each starting with its number."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        k = 0
        while (i + k < len(blocks) and isinstance(blocks[i + k], Para)
               and blocks[i + k].text in _COLUMN_WORDS):  # type: ignore[union-attr]
            k += 1
        if k < 3 or blocks[i].text != "序号":  # type: ignore[union-attr]
            out.append(blocks[i])
            i += 1
            continue
        rows = [[b.text for b in blocks[i:i + k]]]  # type: ignore[union-attr]
        j = i + k
        while j + k <= len(blocks) and all(isinstance(b, Para) for b in blocks[j:j + k]) \
                and blocks[j].text == str(len(rows)):  # type: ignore[union-attr]
            rows.append([b.text for b in blocks[j:j + k]])  # type: ignore[union-attr]
            j += k
        if len(rows) < 2:
            out.append(blocks[i])
            i += 1
            continue
        out.append(Table(rows, blocks[i].line))
        i = j
    return out


def _pipe_row(line: str) -> list[str] | None:
    """The cells of a table row a web page printed with | between them (序号 | 活动名称 | …); None for other lines."""
    if line.count("|") < 2:
        return None
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    return cells if len(cells) >= 2 and not all(re.fullmatch(r":?-{3,}:?", c) or not c for c in cells) else None


def _pipe_table(lines: list[str], start: int) -> tuple[Table, int]:
    """Consecutive |-separated rows from `start` on (a Markdown rule row |---| is left out)."""
    rows: list[list[str]] = []
    i = start
    while i < len(lines) and lines[i].count("|") >= 2:
        cells = _pipe_row(lines[i])
        if cells:
            rows.append([clean_cell(c) for c in cells])
        i += 1
    return Table(rows, start + 1), i


def _text_table(lines: list[str], start: int) -> tuple[Table, int]:
    """Tab-separated rows from `start` on; blank lines between rows are allowed.

    Two layouts occur: one row per line with tab-separated cells, and one cell per line
    with a leading tab and a blank line between rows (text copied out of a Word table).
    A line without a tab continues the cell above it.
    """
    rows: list[list[str]] = []
    current: list[str] | None = None
    i = start
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            if current is not None:
                rows.append(current)
                current = None
            if i + 1 < len(lines) and "\t" not in lines[i + 1] and not _continues(lines, i + 1):
                break
            i += 1
            continue
        if "\t" not in line:
            if current is None and rows and _continues(lines, i):
                rows[-1][-1] += "\n" + line
            elif current is not None:
                current[-1] += "\n" + line
            else:
                break
        elif line.startswith("\t") and line.count("\t") == 1 and (current is None or len(current) >= 1):
            current = (current or []) + [line[1:]]
        else:
            if current is not None:
                rows.append(current)
            current = line.split("\t")
            rows.append(current)
            current = None
        i += 1
    if current is not None:
        rows.append(current)
    return Table([[clean_cell(c) for c in row] for row in rows if any(c.strip() for c in row)], start + 1), i


def _continues(lines: list[str], i: int) -> bool:
    """Whether line i (no tab) is the wrapped end of a one-cell-per-line row rather than text after the table."""
    j = i
    while j < len(lines) and lines[j].strip() and "\t" not in lines[j]:
        j += 1
    return j < len(lines) and lines[j].startswith("\t") and j - i <= 1


def _whole_title(text: str) -> bool:
    """A line that is a title of its own (关于…的通知): never the second half of a paragraph cut by a page break."""
    return text.startswith("关于") and len(text) <= 60 and bool(_TITLE_END.search(text)) and not re.search(r"[。，,：:；;]", text)


def join_broken(blocks: list[Block]) -> list[Block]:
    """Join a long paragraph cut in two by a page break ("…广播电" + "视等多种…") back into one."""
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if (isinstance(block, Para) and isinstance(prev, Para) and len(prev.text) >= JOIN_MIN
                and _ENDS_OPEN.search(prev.text) and _STARTS_CONT.match(block.text)
                and not _HEADING_START.match(block.text)
                and not _TITLE_END.search(prev.text)  # a long title, then the 主送 line: two paragraphs
                and not _whole_title(block.text)):  # a web page's heading, then the title: two paragraphs
            out[-1] = Para(prev.text + block.text, prev.line)
        else:
            out.append(block)
    return out
