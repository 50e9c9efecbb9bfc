"""The notice as a 公文 PDF (GB/T 9704-2012): the site's gongwen.html page printed by Chromium, then finished with pypdf.

Open fonts have no 仿宋 or 小标宋, so the page falls back to Noto Serif CJK SC (and Noto Sans CJK SC for 黑体);
Chromium would embed those CFF fonts as Type 3 drawings, which offices' PDF tools cannot search or copy reliably,
so the printing page gets TrueType subsets of them (fonts.subset_woff2) under the same family names.
The first print shows where things fell: a signature alone on its page is pulled back by setting the lines above it
closer (§7.3.5), and the 版记 must end on the last line of an even last page: it gets a page of its own when
needed, then a last print moves it down.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import io
import itertools
import math
from pathlib import Path

from .. import cache as disk_cache
from ..errors import QmError
from ..i18n import N_
from ..source.model import GongwenFonts
from . import fonts, linebreak

PT_PER_MM = 72 / 25.4
PAGE_H_MM, BOTTOM_MM = 297.0, 35.0  # the 版心 ends 35 mm above the foot of the page
SAFETY_PT = 1.0  # move the 版记 down a little less than measured, never onto the next page
FOOT_PT = BOTTOM_MM * PT_PER_MM  # the foot of the 版心, in pt from the foot of the page
LINE_MM = 225 / 22 - 0.01  # the line pitch (gongwen.css --line)
LINE_PT = LINE_MM * PT_PER_MM
BASELINE_LINES = 0.29  # a line's baseline sits this part of the line pitch above the foot of its line box
SIGN_GAP_LINES = 2  # the signature stands two lines below the text (gongwen.css .gw-sign)
MIN_SQUEEZE = 0.8  # set lines no closer than this (1.2 of the 3号 size) to keep a signature with the text
SAFETY_MM = 0.02  # per line: Chromium rounds positions to its layout unit
# (CSS family, CSS weight, font file or Noto weight, face or Noto style): the open faces gongwen.css falls back to
FACES = (("Noto Serif CJK SC", 400, "Regular", "Serif"), ("Noto Serif CJK SC", 700, "Bold", "Serif"),
         ("Noto Sans CJK SC", 400, "Regular", "Sans"), ("AR PL UKai CN", 400, "ukai.ttc", "AR PL UKai CN"))
# site.yaml's gongwen.fonts: the family each is declared under, the first name of its stack in gongwen.css
OFFICE_FAMILIES = {"fangsong": "FangSong", "xiaobiaosong": "FZXiaoBiaoSong-B05S", "heiti": "SimHei", "kaiti": "KaiTi"}
TITLE_EM = 20  # a 2号 (22 pt) title line holds 20 characters of the 156 mm 版心
END_PUNCTUATION = "；;。.，,、：:！!？?"
PAGE_NUMBER_CHARS = "— 0123456789"
# JS: the blocks before the signature that start on the page whose line texts are given, from the last one back,
# and (pitch > 0) their line pitch set to `pitch` mm together with the tail's (pitch < 0: back to the standard's);
# returns their first characters.
TAG_TAIL = """([lines, pitch]) => {
  const norm = s => s.replace(/\\s/g, '');
  const blocks = [...document.querySelectorAll('main > .gw-body > *, main > .gw-to, main > .gw-att-list')];
  const starts = [];
  for (const block of blocks.reverse()) {
    const start = norm(block.innerText).slice(0, 10);
    if (!start) continue;
    if (!lines.some(line => line.startsWith(start))) break;
    starts.push(start);
    if (pitch > 0) block.style.setProperty('--line', pitch + 'mm');
    if (pitch < 0) block.style.removeProperty('--line');
  }
  const tail = document.querySelector('.gw-end');
  if (pitch > 0 && tail) tail.style.setProperty('--line', pitch + 'mm');
  if (pitch < 0 && tail) tail.style.removeProperty('--line');
  return starts;
}"""
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


def office_fonts(settings: GongwenFonts, root: Path) -> tuple[tuple[str, str], ...]:
    """The office's fonts named in site.yaml (gongwen.fonts, checked by content.load) as (CSS family, file path)."""
    return tuple((family, str(root / getattr(settings, key))) for key, family in OFFICE_FAMILIES.items()
                 if getattr(settings, key))


def font_css(chars: str, office: tuple[tuple[str, str], ...] = ()) -> str:
    """@font-face rules for `chars` (TrueType subsets as data URLs): the office's fonts, which come first in
    gongwen.css's stacks, and the open faces that stand in for the others."""
    faces = [(family, "100 900", fonts.Face(path, 0)) for family, path in office]  # one face serves every weight
    for family, weight, file_or_weight, style in FACES:
        face = (fonts.find_file_face(file_or_weight, style) if "." in file_or_weight else
                fonts.find_face(file_or_weight, style))
        if face is not None:
            faces.append((family, str(weight), face))
    rules = []
    for family, weights, face in faces:
        key = disk_cache.key_of("gongwen-font-v1", fonts.cache_key(face, chars))
        data = disk_cache.cached("fonts", key, ".woff2", functools.partial(fonts.subset_woff2, face, chars))
        url = "data:font/woff2;base64," + base64.b64encode(data).decode()
        rules.append(f'@font-face {{ font-family: "{family}"; font-weight: {weights}; src: url("{url}") format("woff2"); }}')
    return "\n".join(rules)


def em_width(text: str) -> float:
    """The width of `text` in em: ideographs and full-width punctuation 1, Latin letters and digits about half."""
    return sum(1.0 if fonts.is_wide(ch) else 0.55 for ch in text)


def title_lines(title: str, limit: float = TITLE_EM) -> list[str]:
    """The title broken between phrases into a 梯形 (each line no longer than the one above) or 菱形 (the middle
    longest), as balanced as it can be: never a word split (科普活 / 动) or a 文种 alone on its line (通知)."""
    parts, starts = linebreak.slogan_phrases(title)  # key terms kept whole, as on the posters
    words: list[str] = []
    for i, (part, start) in enumerate(zip(parts, starts, strict=True)):
        if words and words[-1][-1].isdigit() and not start:  # a number stays with its unit: 21部门, not 21 / 部门
            words[-1] += part
        else:
            words.append((" " if start and i else "") + part)
    if em_width(title) <= limit:
        return [title]
    best: tuple[tuple[float, ...], list[str]] | None = None
    for count in range(math.ceil(em_width(title) / limit), min(len(words), 4) + 1):
        for cuts in itertools.combinations(range(1, len(words)), count - 1):
            lines = ["".join(words[a:b]).strip() for a, b in zip((0, *cuts), (*cuts, len(words)), strict=True)]
            widths = [em_width(line) for line in lines]
            if max(widths) > limit:
                continue
            score = (0.0 if _well_shaped(widths) else 1.0, count, max(widths) - min(widths))
            if best is None or score < best[0]:
                best = (score, lines)
    return best[1] if best else [title]


def _well_shaped(widths: list[float]) -> bool:
    """Whether title lines make a 梯形 (none longer than the one above) or, three or more, a 菱形 (longest inside);
    lines within two characters of each other count as equal."""
    if all(a >= b - 2 for a, b in itertools.pairwise(widths)):
        return True
    top = widths.index(max(widths))
    return (len(widths) >= 3 and 0 < top < len(widths) - 1
            and all(a <= b + 2 for a, b in itertools.pairwise(widths[:top + 1]))
            and all(a >= b - 2 for a, b in itertools.pairwise(widths[top:])))


def as_written(items: list[str], separator: str = "；") -> str:
    """List items run together as one cell's text: `separator` between them only where an item has no mark of its own."""
    out = ""
    for item in items:
        out += (separator if out and out[-1] not in END_PUNCTUATION else "") + item
    return out


COLUMN_CAPS = (None, 8.0, 6.5, 5.0)  # the widest 序号, 活动名称, 时间, 地点 column in em before its text wraps
MIN_DETAILS_EM = 14.0  # the 主要内容 column keeps at least this much of the table


def column_widths(columns: list[list[str]]) -> list[float]:
    """Each column's share of the table (percent) from its content: 序号 as narrow as its numbers, names, times and
    places as wide as their text up to a cap, the last column (主要内容) the rest."""
    pad = 1.0  # the cell padding (2 × 1.5 mm) and rules at 12 pt, in em, and a little room
    total = 156 / 25.4 * 72 / 12  # the 版心's width in em of the 12 pt table text
    caps = [*COLUMN_CAPS[:len(columns) - 1]]
    if len(columns) == 4:  # time and place in one column
        caps = [COLUMN_CAPS[0], COLUMN_CAPS[1], COLUMN_CAPS[2] + COLUMN_CAPS[3]]
    natural = [max(em_width(text) for text in column) + pad for column in columns[:-1]]
    widths = [min(n, cap + pad) if cap else n for n, cap in zip(natural, caps, strict=True)]
    room = total - MIN_DETAILS_EM
    if sum(widths) > room:  # very long names: the wrapping columns give up room in proportion
        fixed = widths[0]
        widths = [fixed] + [w * (room - fixed) / (sum(widths) - fixed) for w in widths[1:]]
    return [round(w / total * 100, 2) for w in widths] + [round(100 - sum(w / total * 100 for w in widths), 2)]


def print_notice(page, url: str, office: tuple[tuple[str, str], ...] = ()) -> bytes:
    """Print the 公文 page, then again as often as its tail needs: the signature never alone (§7.3.5), the 版记 at
    the foot of an even last page (§7.4, §7.5)."""
    page.goto(url)
    chars = page.evaluate("document.body.innerText") + PAGE_NUMBER_CHARS
    page.add_style_tag(content=font_css(fonts.normal_chars(chars), office))
    page.evaluate("document.fonts.ready")
    data = page.pdf(prefer_css_page_size=True, print_background=True)
    data = _signature_kept_with_text(page, data)
    return _banji_at_the_foot(page, data)


def _signature_kept_with_text(page, data: bytes) -> bytes:
    """The print with the lines of the page before a lone signature set closer, so the signature joins them.

    GB/T 9704-2012 7.3.5: when the space left cannot hold the signature and date, 调整行距、字距 — here the line
    pitch of the blocks that start on that page, by just enough for the lines of the tail (signature, date, 附注)
    that went over to fit below them.
    """
    tail = page.evaluate("[...document.querySelectorAll('.gw-end p')].map(p => p.innerText.replace(/\\s/g, ''))")
    rows = page_rows(text_lines(data))
    lone = lone_tail(rows, tail)
    if lone is None:
        return data
    over = next((n for n in range(len(rows[lone]), 0, -1) if [t for _, t in rows[lone][:n]] == tail[-n:]), 0)
    needed = over + (SIGN_GAP_LINES if over == len(tail) else 0)
    previous = rows.get(lone - 1, [])
    starts = page.evaluate(TAG_TAIL, [[text for _, text in previous], 0]) if previous else []  # count, change nothing
    if not starts and over < len(tail):  # the tail began on the page before: it alone is set closer
        starts = [tail[0][:10]]
    first = [y for y, text in previous if any(text.startswith(t) for t in starts)]
    if not first:
        return data
    used = round((max(first) - previous[-1][0]) / LINE_PT) + 1  # lines from the first such block to the page's last
    free = max(0, round((previous[-1][0] - FOOT_PT) / LINE_PT - BASELINE_LINES))
    pitch = LINE_MM * (used + free) / (used + needed) - SAFETY_MM
    if pitch < LINE_MM * MIN_SQUEEZE:
        return data
    page.evaluate(TAG_TAIL, [[text for _, text in previous], pitch])
    squeezed = page.pdf(prefer_css_page_size=True, print_background=True)
    if lone_tail(page_rows(text_lines(squeezed)), tail) is None:
        return squeezed
    page.evaluate(TAG_TAIL, [[text for _, text in previous], -1])
    return data


def _banji_at_the_foot(page, data: bytes) -> bytes:
    """The print with the 版记 ending on the last line of an even last page (a blank page before it if need be)."""
    if page.evaluate(BANJI_TAIL) is None:
        return data
    rows = page_rows(text_lines(data))
    last = max(rows)
    head = page.evaluate("document.querySelector('.gw-banji-box p').innerText.replace(/\\s/g, '').slice(0, 10)")
    alone = bool(rows[last]) and rows[last][0][1].startswith(head)
    if alone or last % 2:
        # a page of its own (a named page: no page number), and an even one: a blank page before it if it is odd
        # (Chromium ignores break-before: left, so the blank page is an empty block of its own)
        if alone and last % 2:
            page.evaluate("document.querySelector('.gw-banji').before(Object.assign("
                          "document.createElement('div'), {className: 'gw-blank'}))")
        page.add_style_tag(content=".gw-banji, .gw-blank { page: gw-banji; break-before: page; } .gw-blank { height: 1px; }")
        data = page.pdf(prefer_css_page_size=True, print_background=True)
    tail_mm = page.evaluate(BANJI_TAIL)
    lines = text_lines(data)
    last_page = max(line[0] for line in lines)
    baseline = min(y for p, _, y, _ in lines if p == last_page and y > FOOT_PT)  # the 版记's last line (not the page number)
    room = baseline - tail_mm * PT_PER_MM - FOOT_PT - SAFETY_PT
    if room <= 0:
        return data
    # padding, not margin: a margin at the top of a page is dropped (CSS fragmentation)
    page.add_style_tag(content=f".gw-banji {{ padding-top: {room / PT_PER_MM:.2f}mm; }}")
    moved = page.pdf(prefer_css_page_size=True, print_background=True)
    return moved if page_count(moved) == page_count(data) else data


def page_rows(lines: list[tuple[int, float, float, str]]) -> dict[int, list[tuple[float, str]]]:
    """The text lines inside each page's 版心, top first: (baseline y in pt, text without spaces)."""
    rows: dict[int, dict[float, list[tuple[float, str]]]] = {}
    for number, x, y, text in lines:
        rows.setdefault(number, {})
        if y > FOOT_PT:
            rows[number].setdefault(round(y), []).append((x, text))
    return {number: [(y, "".join(t for _, t in sorted(runs)).replace(" ", "")) for y, runs in sorted(by_y.items(), reverse=True)]
            for number, by_y in rows.items()}


def lone_tail(rows: dict[int, list[tuple[float, str]]], tail: list[str]) -> int | None:
    """The page whose 版心 begins with lines of the tail (signature, date, 附注) and holds no text above them, or None."""
    if not tail:
        return None
    for number in sorted(rows, reverse=True):
        texts = [text for _, text in rows[number]]
        for i in range(len(texts)):
            if any(texts[i:i + n] == tail[-n:] for n in range(len(tail), 0, -1)):
                return number if i == 0 and number > 1 else None
    return None


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
