"""The notice as a 公文 PDF (GB/T 9704-2012): the site's gongwen.html page printed by Chromium, then finished with pypdf.

Open fonts have no 仿宋 or 小标宋, so the page falls back to Noto Serif CJK SC (and Noto Sans CJK SC for 黑体);
Chromium would embed those CFF fonts as Type 3 drawings, which offices' PDF tools cannot search or copy reliably,
so the printing page gets TrueType subsets of them (fonts.subset_woff2) under the same family names.
The 版记 must end on the last line of the last page: a first print finds where it ended, a second moves it down.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io

from .. import cache as disk_cache
from ..errors import QmError
from ..i18n import N_
from . import fonts

PT_PER_MM = 72 / 25.4
PAGE_H_MM, BOTTOM_MM = 297.0, 35.0  # the 版心 ends 35 mm above the foot of the page
SAFETY_PT = 1.0  # move the 版记 down a little less than measured, never onto the next page
# (CSS family, CSS weight, Noto weight, Noto style): the faces gongwen.css falls back to
FACES = (("Noto Serif CJK SC", 400, "Regular", "Serif"), ("Noto Serif CJK SC", 700, "Bold", "Serif"),
         ("Noto Sans CJK SC", 400, "Regular", "Sans"))
PAGE_NUMBER_CHARS = "— 0123456789"
# JS: how far the 版记's last baseline lies above its bottom edge (mm), or null without a 版记.
BANJI_TAIL = """() => {
  const banji = document.querySelector('.gw-banji-box');
  if (!banji) return null;
  const mark = document.createElement('span'), last = banji.lastElementChild;
  mark.style.cssText = 'display:inline-block;width:0;height:0';
  (last.lastElementChild || last).append(mark);
  const d = banji.getBoundingClientRect().bottom - mark.getBoundingClientRect().top;
  mark.remove();
  return d * 25.4 / 96;
}"""


def font_css(chars: str) -> str:
    """@font-face rules that replace the Noto CJK fallbacks by TrueType subsets for `chars` (data URLs)."""
    rules = []
    for family, weight, noto_weight, style in FACES:
        face = fonts.find_face(noto_weight, style)
        if face is None:
            continue
        key = disk_cache.key_of("gongwen-font-v1", fonts.cache_key(face, chars))
        data = disk_cache.cached("fonts", key, ".woff2", lambda face=face: fonts.subset_woff2(face, chars))
        url = "data:font/woff2;base64," + base64.b64encode(data).decode()
        rules.append(f'@font-face {{ font-family: "{family}"; font-weight: {weight}; src: url("{url}") format("woff2"); }}')
    return "\n".join(rules)


def print_notice(page, url: str) -> bytes:
    """Print the 公文 page; when it has a 版记, a second time with the 版记 moved to the foot of the last page."""
    page.goto(url)
    chars = page.evaluate("document.body.innerText") + PAGE_NUMBER_CHARS
    page.add_style_tag(content=font_css(fonts.normal_chars(chars)))
    page.evaluate("document.fonts.ready")
    first = page.pdf(prefer_css_page_size=True, print_background=True)
    tail_mm = page.evaluate(BANJI_TAIL)
    if tail_mm is None:
        return first
    lines = text_lines(first)
    last_page = max(line[0] for line in lines)
    foot = BOTTOM_MM * PT_PER_MM
    baseline = min(y for p, _, y, _ in lines if p == last_page and y > foot)  # the 版记's last line (not the page number)
    room = baseline - tail_mm * PT_PER_MM - foot - SAFETY_PT
    if room <= 0:
        return first
    # padding, not margin: a margin at the top of a page is dropped (CSS fragmentation)
    page.add_style_tag(content=f".gw-banji {{ padding-top: {room / PT_PER_MM:.2f}mm; }}")
    second = page.pdf(prefer_css_page_size=True, print_background=True)
    return second if page_count(second) == page_count(first) else first


def text_lines(data: bytes) -> list[tuple[int, float, float, str]]:
    """Every text run of the PDF as (page, x, baseline y, text), in pt from the page's lower left, read with pypdf."""
    from pypdf import PdfReader

    out: list[tuple[int, float, float, str]] = []
    for number, page in enumerate(PdfReader(io.BytesIO(data)).pages, 1):
        def visit(text, cm, tm, font_dict, font_size, number=number):
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                out.append((number, round(x, 2), round(y, 2), text))
        page.extract_text(visitor_text=visit)
    return out


def page_count(data: bytes) -> int:
    """How many pages a PDF has."""
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def finish(data: bytes, title: str, author: str, date: dt.date) -> bytes:
    """Chromium's 公文 PDF with its metadata from the content (not the clock) and a file identifier made from it."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    stamp = date.strftime("D:%Y%m%d000000+08'00'")  # midnight in China
    writer.metadata = None
    writer.add_metadata({"/Title": title, "/Author": author, "/Subject": "GB/T 9704-2012", "/Creator": "qm-site",
                         "/Producer": "qm-site (Chromium, pypdf)", "/CreationDate": stamp, "/ModDate": stamp})
    buf = io.BytesIO()
    writer.write(buf)
    return with_file_id(buf.getvalue())


def with_file_id(data: bytes) -> bytes:
    """The PDF with a file identifier made from its content (never random), as printers and archives expect.

    pypdf has no public way to set a chosen /ID, so it is written into the trailer dictionary, which follows the
    cross-reference table: no object moves and `startxref` stays right (PDF 32000-1, 7.5.5 and 14.4).
    """
    at = data.rfind(b"trailer")
    start = data.find(b"<<", at)
    if at < 0 or start < 0 or b"/ID" in data[at:]:
        raise QmError.at("pdf", 0, 0, N_("the PDF has no trailer to add its identifier to"), N_("this is a bug in qm-site"))
    ident = hashlib.md5(data).hexdigest().encode()
    return data[:start + 2] + b"\n/ID [ <" + ident + b"> <" + ident + b"> ]" + data[start + 2:]
