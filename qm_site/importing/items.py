"""Numbered activity items written as text, each followed by labelled lines (活动时间：… 活动地点：… 牵头部门：…).

Many local notices print their schedule this way instead of as a table. A run of such items is
made into a table with the headings a schedule table has, so that the schedule reading that
serves real tables (attachments.body_schedule) serves these too.
"""

from __future__ import annotations

import re

from . import facts
from .blocks import Block, Para, Table

ITEM = re.compile(r"^(?:[（(]([一二三四五六七八九十]{1,3}|\d{1,2})[)）]|(\d{1,2})\s*[.．、])\s*(.+)$")
TIME_LABEL = r"(?:活动)?时间"
PLACE_LABEL = r"(?:活动)?(?:地点|范围)"
OTHER_LABEL = r"(?:活动)?对象|(?:牵头|配合|协助|协办|责任|主办|承办|参与|参加)(?:部门|单位)"
LABELLED = re.compile(rf"^({TIME_LABEL}|{PLACE_LABEL}|{OTHER_LABEL})\s*[:：]\s*(\S.*)$")
HEADINGS = ["序号", "活动名称", "活动时间", "活动地点", "主要内容"]


def item_tables(blocks: list[Block]) -> list[Block]:
    """The blocks with each run of labelled activity items replaced by one schedule table."""
    out: list[Block] = []
    rows: list[list[str]] = []
    i = 0
    while i < len(blocks):
        item = _item(blocks, i)
        if item is None:
            if rows:
                out.append(Table([HEADINGS, *rows], blocks[i - 1].line))
                rows = []
            out.append(blocks[i])
            i += 1
            continue
        row, i = item
        rows.append(row)
    if rows:
        out.append(Table([HEADINGS, *rows], blocks[-1].line))
    return out


def _item(blocks: list[Block], i: int) -> tuple[list[str], int] | None:
    """The row of the item at blocks[i] and the index after its labelled lines; None if no item starts there."""
    head = blocks[i]
    m = ITEM.match(head.text) if isinstance(head, Para) else None
    if not m:
        return None
    labels: list[tuple[str, str]] = []
    j = i + 1
    while j < len(blocks) and isinstance(blocks[j], Para):
        lm = LABELLED.match(facts.simple(blocks[j].text))  # type: ignore[union-attr]
        if not lm:
            break
        labels.append((blocks[j].text[:lm.end(1)], blocks[j].text[lm.start(2):].strip()))  # type: ignore[union-attr]
        j += 1
    # an item is an activity only when it says when or where: other numbered points with a 牵头部门 line stay text
    if not any(re.fullmatch(TIME_LABEL + "|" + PLACE_LABEL, facts.simple(k)) for k, _ in labels):
        return None
    name, _, rest = m[3].partition("。")
    at_time = _first(labels, TIME_LABEL)
    at_place = _first(labels, PLACE_LABEL)
    extra = [f"{k}：{v}" for n, (k, v) in enumerate(labels) if n not in (at_time, at_place)]  # 牵头部门 … kept in 主要内容
    rest = rest.strip()
    if rest and extra and not rest.endswith(("。", "；", ";")):
        rest += "；"
    details = rest + "；".join(extra)
    time = labels[at_time][1] if at_time is not None else ""
    place = labels[at_place][1] if at_place is not None else ""
    return [str(_number(m[1] or m[2])), name.strip(), time, place, details], j


def _first(labels: list[tuple[str, str]], pattern: str) -> int | None:
    """The index of the first labelled line whose label is `pattern`, or None."""
    return next((n for n, (k, _) in enumerate(labels) if re.fullmatch(pattern, facts.simple(k))), None)


def _number(text: str) -> int:
    """一 -> 1, 十二 -> 12, 3 -> 3."""
    return int(text) if text.isdigit() else facts.cn_number(text)
