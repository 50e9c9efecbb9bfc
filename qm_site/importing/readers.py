"""Read a received notice (Word .docx, PDF, or text) into blocks; refuse what cannot be read, clearly.

The kind of file is told by its first bytes, not its name: a .doc renamed .docx is still
Word 97. python-docx reads .docx (paragraphs and real tables, in document order); pdfplumber
reads PDF text lines with their positions, so paragraphs are rebuilt from indents and line
ends and ruled tables come out as tables.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
from collections.abc import Iterator
from typing import Any

from ..errors import QmError
from ..i18n import N_
from .blocks import SPACED, TIGHT, Block, Para, Table, clean, clean_cell, from_text, glue, join_broken
from .pdf_tables import borderless

MAX_BYTES = 50 * 1024 * 1024
# A gap wider than this share of the font size between two glyphs is a space. A space in a CJK font is
# narrow (0.22 em: 2.6 pt at 12 pt, below pdfplumber's fixed default of 3 pt, and a lost space changes a
# slogan); justified Chinese lines spread their characters by up to 0.1 em, which is no space.
X_TOLERANCE_RATIO = 0.15
_PAGE_NUMBER = re.compile(r"^[—\-–－]?\s*\d{1,3}\s*[—\-–－]?$|^第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?$")


def read_notice(data: bytes, name: str) -> list[Block]:
    """The blocks of one received file; a QmError naming `name` when it cannot be read."""
    if not data.strip():
        raise QmError.at(name, 0, 0, N_("the file is empty"), N_("save the notice again, or paste its text into a .txt file"))
    if len(data) > MAX_BYTES:
        raise QmError.at(name, 0, 0, N_("the file is larger than 50 MB, far more than a notice"),
                         N_("check that this is the notice you received; save a Word file without its pictures"))
    if data.startswith(b"\xd0\xcf\x11\xe0") and "EncryptionInfo".encode("utf-16-le") in data:
        # a .docx with a password is stored inside an OLE container, like a .doc
        raise QmError.at(name, 0, 0, N_("the Word file is protected by a password"),
                         N_("open it in Word or WPS, remove the password (File › Info › Protect Document), save, and import again"))
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise QmError.at(name, 0, 0, N_("this is an old Word 97-2003 (.doc) or WPS file, which cannot be read"),
                         N_("open it in Word or WPS, choose Save As, pick Word Document (*.docx), and import that file"))
    if data.startswith(b"{\\rtf"):
        raise QmError.at(name, 0, 0, N_("this is an RTF file, which cannot be read"),
                         N_("open it in Word or WPS, choose Save As, pick Word Document (*.docx), and import that file"))
    if data.startswith(b"PK\x03\x04"):
        return _docx(data, name)
    if data.lstrip()[:5] == b"%PDF-":
        return _pdf(data, name)
    if name.lower().endswith((".docx", ".pdf", ".doc")):
        raise QmError.at(name, 0, 0, N_("the file is named like a Word or PDF document but is not one"),
                         N_("open it in the program it came from and save it again as .docx or .pdf"))
    return from_text(_decode(data, name))


def _decode(data: bytes, name: str) -> str:
    """Text in UTF-8 (with or without BOM), UTF-16 with a BOM, or GB18030/GBK as saved by Chinese Windows."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise QmError.at(name, 0, 0, N_("the file is not text in a known encoding, nor a .docx or PDF"),
                     N_("import the .docx or PDF you received, or save the text as UTF-8"))


def _missing(package: str, name: str) -> QmError:
    """The error when the reader library of an optional extra is not installed."""
    return QmError.at(name, 0, 0, N_("reading this file needs the Python package %(package)s", package=package),
                      N_("install the import extra: pip install 'qm-site[import]' (make venv installs it)"))


def _docx(data: bytes, name: str) -> list[Block]:
    """Paragraphs and tables of a .docx, in document order (text boxes, headers and footers are not read)."""
    try:
        import docx
        from docx.table import Table as DocxTable
    except ImportError:
        raise _missing("python-docx", name) from None
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises several types (KeyError, BadZipFile, ValueError) for a broken file
        raise QmError.at(name, 0, 0, N_("this is not a Word document (.docx), or it is damaged"),
                         N_("open it in Word or WPS and save it again as .docx")) from None
    blocks: list[Block] = []
    for n, item in enumerate(document.iter_inner_content(), 1):
        if isinstance(item, DocxTable):
            rows = [_docx_row(row) for row in item.rows]
            blocks.append(Table([[clean_cell(c) for c in r] for r in rows if any(c.strip() for c in r)], n))
        else:
            blocks.extend(Para(clean(line), n) for line in item.text.split("\n") if clean(line))
    return _no_text_check(blocks, name)  # Word keeps a paragraph whole over a page break: nothing to join


def _docx_row(row: Any) -> list[str]:
    """The cells of a table row, a cell merged across columns once."""
    cells, skip = [], 0
    for cell in row.cells:
        if skip:
            skip -= 1
            continue
        cells.append(cell.text)
        skip = max(0, (cell.grid_span or 1) - 1)
    return cells


def _no_text_check(blocks: list[Block], name: str) -> list[Block]:
    """Refuse a document without any text (a scan, or only pictures)."""
    if not blocks:
        raise QmError.at(name, 0, 0, N_("the document holds no text (only images, e.g. a scan)"),
                         N_("run text recognition (OCR) on it first, or import the Word file the notice was made from"))
    return blocks


def _pdf(data: bytes, name: str) -> list[Block]:
    """Text lines and ruled tables of every page, in reading order, rebuilt into paragraphs."""
    try:
        import pdfplumber
    except ImportError:
        raise _missing("pdfplumber", name) from None
    try:
        with _quiet("pdfminer"), pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = _pdf_pages(pdf)
    except Exception as exc:  # pdfminer wraps every failure (password, damage) in its own exception types
        # pdfplumber wraps pdfminer's PDFPasswordIncorrect in its own PdfminerException: look at both
        text = " ".join(f"{type(e).__name__} {e}" for e in (exc, *exc.args, exc.__cause__) if e).lower()
        if "password" in text or "encrypt" in text:
            raise QmError.at(name, 0, 0, N_("the PDF is protected by a password"),
                             N_("ask the sender for a copy without a password, or print it to a new PDF")) from None
        raise QmError.at(name, 0, 0, N_("the PDF cannot be read: %(reason)s", reason=type(exc).__name__),
                         N_("ask for the Word file of the notice, or paste its text into a .txt file")) from None
    return join_broken(_no_text_check(_merge_tables(_paragraphs(pages)), name))


@contextlib.contextmanager
def _quiet(logger: str) -> Iterator[None]:
    """Silence a library's logger while it runs: pdfminer logs every odd font descriptor, once per glyph."""
    log = logging.getLogger(logger)
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(level)


def _pdf_page(page: Any, open_columns: list[float] | None) -> tuple[list[tuple[float, Any]], list[float] | None]:
    """One page as (top, item): text lines outside tables as dicts, tables (ruled or not) as lists of rows.

    Returns also the columns of a rule-less table that runs off the page's foot, to go on with."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def outside(obj: dict) -> bool:
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    text = page.filter(outside)
    lines = text.extract_text_lines(return_chars=False, keep_blank_chars=True, x_tolerance_ratio=X_TOLERANCE_RATIO)
    lines = [{**ln, "text": unspread(ln["text"])} for ln in lines if not _PAGE_NUMBER.match(ln["text"].strip())]
    words = text.extract_words(x_tolerance_ratio=X_TOLERANCE_RATIO)
    loose, lines, open_columns = borderless(lines, words, open_columns)
    items: list[tuple[float, Any]] = [(ln["top"], ln) for ln in lines] + loose
    items += [(t.bbox[1], t.extract(keep_blank_chars=True, x_tolerance_ratio=X_TOLERANCE_RATIO)) for t in tables]
    return sorted(items, key=lambda item: item[0]), open_columns


_GAPPED = re.compile(r"(?<=[\u3400-\u9fff，。、；：“”（）《》]) (?=[\u3400-\u9fff，。、；：“”（）《》])")
_CJK_PAIR = re.compile(r"(?=[\u3400-\u9fff，。、；：“”（）《》][\u3400-\u9fff，。、；：“”（）《》])")


def unspread(text: str) -> str:
    """A justified line whose widened gaps came out as spaces between every character ("关 于 质 量") made whole.

    A line is spread when most neighbouring Chinese characters have a space between them; a slogan
    ("高质量 可持续 享未来") has a few spaces among many close pairs and is left alone."""
    spaced = len(_GAPPED.findall(text))
    if spaced >= 3 and spaced > len(_CJK_PAIR.findall(text)):
        return _GAPPED.sub("", text)
    return text


def _pdf_pages(pdf: Any) -> list[list[tuple[float, Any]]]:
    """Every page's items, a rule-less table carried over page breaks."""
    pages, columns = [], None
    for page in pdf.pages:
        items, columns = _pdf_page(page, columns)
        pages.append(items)
    return pages


def _paragraphs(pages: list[list[tuple[float, Any]]]) -> list[Block]:
    """Lines joined into paragraphs: a new one after a short line, at an indent, or after a gap."""
    lines = [ln for page in pages for _, ln in page if isinstance(ln, dict)]
    if not lines:
        return []
    cells = [c for page in pages for _, t in page if not isinstance(t, dict) for row in t for c in row if c]
    spaced = spaced_style([ln["text"] for ln in lines] + cells)
    left = min(ln["x0"] for ln in lines)
    right = max(ln["x1"] for ln in lines)
    blocks: list[Block] = []
    prev: dict | None = None
    for page in pages:
        for _, item in page:
            if not isinstance(item, dict):
                rows = [[_cell(c or "", spaced) for c in row] for row in _fill_down(item)]
                blocks.append(Table([r for r in rows if any(r)]))
                prev = None
                continue
            text = clean(item["text"])
            if prev is not None and isinstance(blocks[-1], Para) and _continues(prev, item, left, right):
                blocks[-1] = Para(blocks[-1].text + glue(blocks[-1].text, text, spaced), blocks[-1].line)
            else:
                blocks.append(Para(text, len(blocks) + 1))
            prev = item
        prev = None if prev is None else {**prev, "top": -1e9, "bottom": -1e9}  # a new page: no gap test
    return [b for b in blocks if not isinstance(b, Para) or b.text]


def _fill_down(rows: list[list[str | None]]) -> list[list[str | None]]:
    """Cells merged down several rows (one 主办单位 for two activities) given to each row they span.

    pdfplumber returns None for the cells a merged cell covers; a row with at least two cells of its
    own takes the cell above for each None (a note spanning the whole row is left as it is)."""
    out: list[list[str | None]] = []
    for row in rows:
        if out and sum(c is not None for c in row) >= 2:
            row = [out[-1][k] if c is None and k < len(out[-1]) else c for k, c in enumerate(row)]
        out.append(row)
    return out


def _cell(text: str, spaced: bool) -> str:
    """A PDF table cell: its wrapped lines joined in the cell's own spacing style where it shows one."""
    lines = [clean(line) for line in text.splitlines()]
    joined = " ".join(lines)
    if SPACED.search(joined) or TIGHT.search(joined):
        spaced = spaced_style(lines)
    return clean_cell(text, spaced)


def _continues(prev: dict, line: dict, left: float, right: float) -> bool:
    """Whether `line` goes on with the paragraph of `prev` (full previous line, no indent, no gap)."""
    size = max(1.0, line["bottom"] - line["top"])
    full = prev["x1"] >= right - 1.5 * size
    indented = line["x0"] > left + 1.2 * size
    gap = line["top"] - prev["bottom"] > 0.9 * size if prev["top"] > -1e8 else False
    return full and not indented and not gap and prev["x0"] <= left + 3 * size


def spaced_style(texts: list[str]) -> bool:
    """Whether a document puts a space between Chinese and digits or Latin ("8 月 23 日") more often than not."""
    joined = "\n".join(texts)
    return len(SPACED.findall(joined)) > len(TIGHT.findall(joined))


def _merge_tables(blocks: list[Block]) -> list[Block]:
    """A table continued on the next page (same columns, no heading row again) becomes one table."""
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if (isinstance(block, Table) and isinstance(prev, Table) and block.rows and prev.rows
                and len(block.rows[0]) == len(prev.rows[0]) and block.rows[0] == prev.rows[0]):
            prev.rows.extend(block.rows[1:])  # the heading row repeated on each page (Word's 重复标题行)
        elif (isinstance(block, Table) and isinstance(prev, Table) and block.rows and prev.rows
                and len(block.rows[0]) == len(prev.rows[0])
                and not re.search(r"序号|名称", "".join(block.rows[0]))):
            if _split_row(prev.rows, block.rows):
                head, *rest = block.rows
                prev.rows[-1] = [a + glue(a, b) if a and b else a or b for a, b in zip(prev.rows[-1], head)]
                prev.rows.extend(rest)
            else:
                prev.rows.extend(block.rows)
        else:
            out.append(block)
    return out


def _split_row(before: list[list[str]], after: list[list[str]]) -> bool:
    """Whether a page break cut a row in two: the part on the new page has no 序号 where every other row has one.

    (A table that leaves some rows unnumbered keeps such a part as a row of its own: it cannot be told apart.)"""
    numbered = [r[0] for r in before[1:] + after[1:]]
    return bool(numbered) and not after[0][0] and all(re.fullmatch(r"\d{1,3}", n) for n in numbered)
