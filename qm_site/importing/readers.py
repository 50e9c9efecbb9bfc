"""Read a received notice (Word .docx, PDF, or text) into blocks; refuse what cannot be read, clearly.

The kind of file is told by its first bytes, not its name: a .doc renamed .docx is still
Word 97. python-docx reads .docx (paragraphs and real tables, in document order); pdfplumber
reads PDF text lines with their positions, so paragraphs are rebuilt from indents and line
ends and ruled tables come out as tables.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import logging
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import QmError
from ..i18n import N_
from ..source import controls
from .blocks import SPACED, TIGHT, Block, Para, Table, clean, clean_cell, from_text, glue, join_broken
from .pdf_tables import borderless

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one received file may take to read: past any of these the import stops with a QmError, not a hang.

    A notice is a few pages (the seeds: 10-60 KB as .docx, 5 pages as PDF); each limit is far above any notice
    and far below what a hostile file needs (a 645 KB .docx that unzips to 200 MB, a PDF of 20,000 pages).
    """

    file_bytes: int = 50 * MB  # the file itself
    entries: int = 1000  # parts in a .docx (a notice has about 20, one more per picture)
    unzipped: int = 100 * MB  # a .docx's parts together, unzipped
    ratio: int = 200  # how much a .docx part over RATIO_FROM bytes may shrink when zipped (Word's XML: 5-20 times)
    pages: int = 300  # pages of a PDF
    stream: int = 16 * MB  # one PDF stream (page contents, a font), unpacked (a page of text: about 20 KB)
    streams: int = 64 * MB  # all of a PDF's streams but its pictures, unpacked
    seconds: float = 60.0  # reading and recognising the notice (the seeds: under 2 s each)
    memory: int = 1024 * MB  # memory the reading may take beyond what the program holds when it starts


LIMITS = Limits()
RATIO_FROM = MB  # small parts shrink little; a bomb needs size
# A gap wider than this share of the font size between two glyphs is a space. A space in a CJK font is
# narrow (0.22 em: 2.6 pt at 12 pt, below pdfplumber's fixed default of 3 pt, and a lost space changes a
# slogan); justified Chinese lines spread their characters by up to 0.1 em, which is no space.
X_TOLERANCE_RATIO = 0.15
_PAGE_NUMBER = re.compile(r"^[—\-–－]?\s*\d{1,3}\s*[—\-–－]?$|^第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?$")


def too_large(name: str, limits: Limits = LIMITS) -> QmError:
    """The error for a file over limits.file_bytes."""
    return QmError.at(name, 0, 0, N_("the file is larger than %(mb)d MB, far more than a notice", mb=limits.file_bytes // MB),
                      N_("check that this is the notice you received; save a Word file without its pictures"))


def read_notice(data: bytes, name: str, limits: Limits = LIMITS) -> list[Block]:
    """The blocks of one received file; a QmError naming `name` when it cannot be read or is over a limit."""
    if len(data) > limits.file_bytes:
        raise too_large(name, limits)
    if not data.strip():
        raise QmError.at(name, 0, 0, N_("the file is empty"), N_("save the notice again, or paste its text into a .txt file"))
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
        return _docx(data, name, limits)
    if data.lstrip()[:5] == b"%PDF-":
        return _pdf(data, name, limits)
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


def _damaged_docx(name: str) -> QmError:
    """The error for a file that is not a .docx or is broken."""
    return QmError.at(name, 0, 0, N_("this is not a Word document (.docx), or it is damaged"),
                      N_("open it in Word or WPS and save it again as .docx"))


def _unzip_bomb(name: str, message: str) -> QmError:
    """The error for a .docx over one of the zip limits (message says which)."""
    return QmError.at(name, 0, 0, message, N_("open it in Word or WPS, remove what is not the notice "
                                               "(pictures, embedded files), save it again as .docx and import that"))


def check_zip(data: bytes, name: str, limits: Limits = LIMITS) -> None:
    """Refuse a .docx whose parts are too many, too large or too compressed, from the zip's directory, before it is opened.

    Every part is then read once, through zipfile, which stops at the size the directory declares and checks
    the part's CRC: a directory that understates a part is found as damage, with no more unzipped than declared.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            parts = zf.infolist()
            if len(parts) > limits.entries:
                raise _unzip_bomb(name, N_("the Word file holds %(count)d parts, more than the %(max)d a notice could have",
                                           count=len(parts), max=limits.entries))
            unzipped = sum(p.file_size for p in parts)
            if unzipped > limits.unzipped:
                raise _unzip_bomb(name, N_("the Word file unzips to %(mb)d MB, more than the %(max)d MB a notice could",
                                           mb=unzipped // MB, max=limits.unzipped // MB))
            for p in parts:
                if p.file_size > RATIO_FROM and p.file_size > limits.ratio * max(1, p.compress_size):
                    raise _unzip_bomb(name, N_("the part %(part)s of the Word file unzips to %(ratio)d times its size, "
                                               "as no document does (a zip bomb)",
                                               part=controls.visible(p.filename, one_line=True),
                                               ratio=p.file_size // max(1, p.compress_size)))
            for p in parts:
                with zf.open(p) as member:
                    while member.read(MB):
                        pass
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, zlib.error, EOFError):
        # a broken directory, a part that unzips to other bytes than declared, an unknown compression method
        raise _damaged_docx(name) from None


def load_libraries(data: bytes) -> None:
    """Import the library that reads these bytes now, before a memory budget is set: mapping lxml or pdfminer's
    code counts against it, and an import failing for want of memory would read as the package being missing."""
    with contextlib.suppress(ImportError):  # the reader itself says clearly what is missing
        if data.startswith(b"PK\x03\x04"):
            import docx  # noqa: F401
        elif data.lstrip()[:5] == b"%PDF-":
            import pdfplumber  # noqa: F401


def _docx(data: bytes, name: str, limits: Limits) -> list[Block]:
    """Paragraphs and tables of a .docx, in document order (text boxes, headers and footers are not read)."""
    try:
        import docx
        from docx.table import Table as DocxTable
    except ImportError:
        raise _missing("python-docx", name) from None
    check_zip(data, name, limits)
    try:
        document = docx.Document(io.BytesIO(data))
    except MemoryError:
        raise
    except Exception as exc:  # python-docx raises several types (KeyError, BadZipFile, ValueError) for a broken file
        if any(e.type_name == "ERR_NO_MEMORY" for e in getattr(exc, "error_log", ())):
            raise MemoryError from None  # lxml says running out of memory as a syntax error: not the file's fault
        raise _damaged_docx(name) from None
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


def _pdf(data: bytes, name: str, limits: Limits) -> list[Block]:
    """Text lines and ruled tables of every page, in reading order, rebuilt into paragraphs."""
    try:
        import pdfplumber
    except ImportError:
        raise _missing("pdfplumber", name) from None
    try:
        with _quiet("pdfminer"):
            check_pdf(_document(data), name, limits)  # before pdfplumber, which makes every page's object as it closes
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                pages = _pdf_pages(pdf)
    except (QmError, MemoryError):
        raise
    except Exception as exc:  # pdfminer wraps every failure (password, damage) in its own exception types
        # pdfplumber wraps pdfminer's PDFPasswordIncorrect in its own PdfminerException: look at both
        text = " ".join(f"{type(e).__name__} {e}" for e in (exc, *exc.args, exc.__cause__) if e).lower()
        if "password" in text or "encrypt" in text:
            raise QmError.at(name, 0, 0, N_("the PDF is protected by a password"),
                             N_("ask the sender for a copy without a password, or print it to a new PDF")) from None
        raise QmError.at(name, 0, 0, N_("the PDF cannot be read: %(reason)s", reason=type(exc).__name__),
                         N_("ask for the Word file of the notice, or paste its text into a .txt file")) from None
    return join_broken(_no_text_check(_merge_tables(_paragraphs(pages)), name))


def _document(data: bytes) -> Any:
    """The PDF as pdfminer's PDFDocument: its cross-references and trailer read, nothing of its pages."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser

    return PDFDocument(PDFParser(io.BytesIO(data)))


def check_pdf(doc: Any, name: str, limits: Limits = LIMITS) -> None:
    """Refuse a PDF (a pdfminer PDFDocument) with a stream that unpacks too large, or of too many pages, before its pages are read.

    Object streams come first: pdfminer unpacks one whole to fetch any object in it, the page tree's too. The
    pages are counted as the page tree is walked, up to one past the limit; then every other stream but a
    picture's (pdfminer passes pictures on packed) is unpacked as far as the limit. Streams pdfminer unpacks to
    open the file at all (a cross-reference stream) and filters other than Flate alone are held by the
    reading's time and memory budget.
    """
    from pdfminer.pdfpage import PDFPage

    containers, others = _stream_ids(doc)
    total = _check_streams(doc, containers, 0, name, limits)
    pages = sum(1 for _ in itertools.islice(PDFPage.create_pages(doc), limits.pages + 1))
    if pages > limits.pages:
        raise QmError.at(name, 0, 0, N_("the PDF has more than %(max)d pages, far more than a notice", max=limits.pages),
                         N_("check that this is the notice you received; save only the notice's pages as a new PDF"))
    _check_streams(doc, others, total, name, limits)


_PRINT_AGAIN = N_("print the notice to a new PDF (File › Print › Save as PDF) and import that, or ask for its Word file")


def _check_streams(doc: Any, objids: list[int], total: int, name: str, limits: Limits) -> int:
    """Unpack these objects' streams as far as the limits allow; the running total of bytes unpacked."""
    for objid in objids:
        size = _stream_size(doc, objid, limits.stream)
        if size > limits.stream:
            raise QmError.at(name, 0, 0, N_("a stream in the PDF unpacks to more than %(max)d MB, far more than a notice needs",
                                            max=limits.stream // MB), _PRINT_AGAIN)
        total += size
        if total > limits.streams:
            raise QmError.at(name, 0, 0, N_("the streams of the PDF unpack to more than %(max)d MB together, far more than "
                                            "a notice needs", max=limits.streams // MB), _PRINT_AGAIN)
    return total


def _stream_ids(doc: Any) -> tuple[list[int], list[int]]:
    """The PDF's object ids: (the object streams others are packed in, every other object)."""
    containers: dict[int, None] = {}
    others: dict[int, None] = {}
    for xref in doc.xrefs:
        for objid in xref.get_objids():
            try:
                container = xref.get_pos(objid)[0]
            except KeyError:  # an id listed without a place: pdfminer cannot fetch it either
                continue
            others[objid] = None
            if container is not None:
                containers[container] = None
    return list(containers), [i for i in others if i not in containers]


def _stream_size(doc: Any, objid: int, limit: int) -> int:
    """How large an object unpacks, counted to limit + 1; 0 for what is no stream, a picture, or not Flate-packed."""
    from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFObjectNotFound, PDFStream
    from pdfminer.psparser import LIT, PSException

    try:
        obj = doc.getobj(objid)
    except (PDFObjectNotFound, PSException):  # a broken object: pdfminer skips it when reading the pages too
        return 0
    if not isinstance(obj, PDFStream) or obj.get("Subtype") is LIT("Image"):
        return 0
    if obj.rawdata is None:  # unpacked already by pdfminer (a cross-reference stream)
        return len(obj.data or b"")
    filters = [f for f, _ in obj.get_filters()]
    if not filters:
        return len(obj.rawdata)
    if len(filters) > 1 or filters[0] not in LITERALS_FLATE_DECODE:
        return 0  # rare in a notice; held by the time and memory budget
    data = obj.rawdata
    if obj.decipher and obj.objid is not None and obj.genno is not None:  # getobj sets both
        data = obj.decipher(obj.objid, obj.genno, data, obj.attrs)  # an encrypted PDF with an empty password
    return inflated_size(data, limit)


def inflated_size(data: bytes, limit: int, chunk: int = 65536) -> int:
    """Bytes Flate data inflates to, counted up to limit + 1; damaged data up to the damage, as far as pdfminer reads it."""
    inflate, size = zlib.decompressobj(), 0
    for k in range(0, len(data), chunk):
        before = inflate.copy()
        try:
            size += len(inflate.decompress(data[k:k + chunk], limit + 1 - size))
        except zlib.error:  # pdfminer inflates damaged data byte by byte up to the damage: so is this chunk counted
            return size + _inflated_to_damage(before, data[k:k + chunk], limit - size)
        if size > limit:
            break
    return size


def _inflated_to_damage(inflate: Any, data: bytes, limit: int) -> int:
    """Bytes a decompressobj gives for data fed byte by byte until it finds damage, counted up to limit + 1."""
    size = 0
    for k in range(len(data)):
        try:
            size += len(inflate.decompress(data[k:k + 1], limit + 1 - size))
        except zlib.error:
            break
        if size > limit:
            break
    return size


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
        page.close()  # its characters and layout, kept otherwise until the end: 3.5 MB a page of text
    return pages


def _paragraphs(pages: list[list[tuple[float, Any]]]) -> list[Block]:
    """Lines joined into paragraphs: a new one after a short line, at an indent, or after a gap."""
    lines = [ln for page in pages for _, ln in page if isinstance(ln, dict)]
    cells = [c for page in pages for _, t in page if not isinstance(t, dict) for row in t for c in row if c]
    if not lines and not cells:
        return []
    spaced = spaced_style([ln["text"] for ln in lines] + cells)
    # a PDF of only a ruled table has no lines outside it: the margins are then never asked for
    left = min((ln["x0"] for ln in lines), default=0.0)
    right = max((ln["x1"] for ln in lines), default=0.0)
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
