"""Tables printed without rules, rebuilt from the positions of their words (a PDF has no table for them).

A schedule is found by its heading line (活动名称, 序号, 时间, 主要内容 …). Its columns are where the
words of the following lines start: left-aligned cells start every line of a column at the same x.
The table ends at a line with a word reaching over a column's start (running text), and goes on at
the top of the next page with the same columns. Lines become rows where the first column holds a
number or the line gap widens (cell padding); the lines of one row are its cells' wrapped lines.
"""

from __future__ import annotations

import re

_HEADING = re.compile(r"活动名称|(?:序号|名称).*(?:时间|内容)|时间.*地点.*内容|时间.*活动内容")
TOL = 2.0  # points: the same column start, the same line


def borderless(lines: list[dict], words: list[dict], columns: list[float] | None
               ) -> tuple[list[tuple[float, list[list[str]]]], list[dict], list[float] | None]:
    """Find rule-less tables in one page's text lines: (tables as (top, rows), other lines, columns still open)."""
    tables: list[tuple[float, list[list[str]]]] = []
    rest: list[dict] = []
    i = 0
    if columns:  # a table from the previous page goes on at the top of this one
        end = _table_end(lines, 0, words, columns)
        if end > 0:
            tables.append((lines[0]["top"], _rows(lines[:end], words, columns, heading=False)))
            i = end
        columns = columns if end == len(lines) else None
    while i < len(lines):
        line = lines[i]
        if not _HEADING.search(line["text"].replace(" ", "")):
            rest.append(line)
            i += 1
            continue
        cols, end = _best_columns(lines, i, words)
        if end - i < 2:
            rest.append(line)
            i += 1
            continue
        tables.append((line["top"], _rows(lines[i:end], words, cols, heading=True)))
        columns = cols if end == len(lines) else None
        i = end
    return tables, rest, columns


def _words_of(line: dict, words: list[dict], phrases: bool = False) -> list[dict]:
    """The words printed on one text line; as phrases, words closer than a wide space (a gutter is wider) are one.

    Phrases find where columns start ("8 月 23 日" starts once); words decide which column a text is in,
    since a closing quote's glyph can bring the next column's first word within a space's width.
    """
    out: list[dict] = []
    for w in sorted((w for w in words if abs(w["top"] - line["top"]) <= TOL), key=lambda w: w["x0"]):
        size = w["bottom"] - w["top"]
        if phrases and out and w["x0"] - out[-1]["x1"] < 0.45 * size:
            out[-1] = {**out[-1], "x1": w["x1"], "text": f"{out[-1]['text']} {w['text']}"}
        else:
            out.append(w)
    return out


def _columns(lines: list[dict], words: list[dict]) -> list[float]:
    """Column starts: x positions where a word starts on many of the lines under the heading."""
    sample = lines[:25]
    starts: dict[float, int] = {}
    for line in sample:
        seen = set()
        for w in _words_of(line, words, phrases=True):
            key = next((k for k in starts if abs(k - w["x0"]) <= TOL), w["x0"])
            if key not in seen:
                starts[key] = starts.get(key, 0) + 1
                seen.add(key)
    # a column of numbers (序号) starts few lines when rows wrap: two lines are enough
    return sorted(x for x, n in starts.items() if n >= 2)


def _best_columns(lines: list[dict], i: int, words: list[dict]) -> tuple[list[float], int]:
    """Columns for the table headed at line i, and where it ends: from the heading's own cells or from
    starts that recur below it, whichever holds more lines (text after a short table skews the latter)."""
    best: tuple[list[float], int] = ([], i + 1)
    for cols in ([w["x0"] for w in _words_of(lines[i], words, phrases=True)], _columns(lines[i:], words)):
        end = _table_end(lines, i + 1, words, cols) if len(cols) >= 2 else i + 1
        if end > best[1]:
            best = (cols, end)
    return best


def _table_end(lines: list[dict], start: int, words: list[dict], cols: list[float]) -> int:
    """Index of the first line after `start` that is running text (a word over a column start) or a note."""
    for j in range(start, len(lines)):
        text = lines[j]["text"].strip()
        if re.match(r"^(注|附件|备注)", text):
            return j
        for w in _words_of(lines[j], words):
            if any(w["x0"] < c - TOL and w["x1"] > c + TOL for c in cols[1:]):
                return j
    return len(lines)


def _cells(line: dict, words: list[dict], cols: list[float]) -> list[str]:
    """One printed line split into the columns' text."""
    cells = [""] * len(cols)
    for w in _words_of(line, words):
        k = max([i for i, c in enumerate(cols) if w["x0"] >= c - TOL] or [0])
        cells[k] = f"{cells[k]} {w['text']}".strip() if cells[k] else w["text"]
    return cells


def _rows(lines: list[dict], words: list[dict], cols: list[float], heading: bool) -> list[list[str]]:
    """Printed lines grouped into rows: a row starts at a number in the first column or after a wider gap."""
    gaps = sorted(b["top"] - a["top"] for a, b in zip(lines, lines[1:]))
    step = gaps[0] if gaps else 0.0
    even = not gaps or gaps[-1] <= 1.25 * step + TOL  # no wider gaps: rows are told by their first cell
    rows: list[list[str]] = []
    prev_top = None
    for n, line in enumerate(lines):
        cells = _cells(line, words, cols)
        first_data = heading and n > 0 and len(rows) == 1 and re.fullmatch(r"\d{1,3}", cells[0]) is not None
        new = (prev_top is None or re.fullmatch(r"\d{1,3}", cells[0]) is not None
               or line["top"] - prev_top > 1.25 * step + TOL or (even and bool(cells[0])))
        if rows and not new and not first_data:
            rows[-1] = [f"{a}\n{b}".strip("\n") if b else a for a, b in zip(rows[-1], cells)]
        else:
            rows.append(cells)
        prev_top = line["top"]
    return [r for r in rows if any(c.strip() for c in r)]
