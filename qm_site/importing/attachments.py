"""The attachments of a notice (附件1 …): a schedule table, slogan lists, or free text.

A table whose heading row names its columns (序号, 活动名称, 时间, 地点, 主要内容, 主办单位)
becomes a schedule; short lines under a heading that ends in 口号 become slogan groups; any
other attachment becomes a Markdown file beside campaign.yaml.
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable
from typing import Any

from ..i18n import N_
from ..source.model import TO_FILL
from . import facts
from .blocks import Para, Table

# Column headings as printed, by the field they fill; the first that a heading cell contains wins.
COLUMNS = (
    ("no", ("序号", "编号")),
    ("time", ("时间地点", "时间和地点", "活动时间", "时间")),
    ("place", ("活动地点", "地点")),
    ("name", ("活动名称", "活动项目", "名称", "项目")),
    ("details", ("主要内容", "活动内容", "内容", "简介")),
    ("organizer", ("主办单位", "承办单位", "组织单位", "责任单位", "主办")),
)
SLOGAN_MAX = 60  # longer lines are sentences, not slogans


def read_part(part: Any, state: Any, side_fact: Callable[[str], bool]) -> None:
    """One attachment into the draft: schedule, slogans or file, with its entry in `attachments`."""
    title = state.listed.get(part.number) or part.heading or TO_FILL
    entry: dict[str, Any] = {"number": part.number, "title": title}
    tables = [b for b in part.blocks if isinstance(b, Table) and b.rows and _columns(b.rows[0])]
    if tables:
        entry["schedule"] = _schedule(part, _joined(tables, part, state), state, side_fact)
    elif _slogan_like(part, title):
        entry["slogans"] = _slogans(part, title, state, side_fact)
    else:
        entry["file"] = _file(part, state, side_fact)
    state.attachments.append(entry)


def body_schedule(table: Table, caption: str, state: Any) -> bool:
    """A schedule table printed in the notice itself (二、活动安排 + table): a schedule of its own; False if not one."""
    if not table.rows or not _columns(table.rows[0]):
        return False
    part = types.SimpleNamespace(number=0, heading=caption, blocks=[table])
    sid = _schedule(part, table, state, lambda text: False)
    state.draft.note("schedules", N_("the table under %(section)s in the notice is schedule `%(id)s`",
                                     section=caption, id=sid), todo=True)
    return True


def _joined(tables: list[Table], part: Any, state: Any) -> Table:
    """Several schedule tables in one attachment (一、省级活动 … 二、市级活动 …) as one, with a note."""
    if len(tables) == 1:
        return tables[0]
    rows = list(tables[0].rows)
    for table in tables[1:]:
        rows.extend(table.rows[1:] if table.rows[0] == tables[0].rows[0] else table.rows)
    heads = [b.text for b in part.blocks if isinstance(b, Para) and not re.match(r"^注\s*[:：]", b.text)]
    state.draft.note("schedules", N_("附件%(n)d holds %(count)d tables (%(parts)s): their rows are one schedule here; "
                                     "split it or add the part to each activity's name if that matters",
                                     n=part.number, count=len(tables), parts="、".join(heads) or "-"), todo=True)
    return Table(rows, tables[0].line)


def _columns(header: list[str]) -> dict[int, str]:
    """Column index -> field, from a heading row; {} when the row does not name a schedule's columns."""
    found: dict[int, str] = {}
    for i, cell in enumerate(header):
        cell = facts.simple(cell.replace(" ", ""))  # 序號 | 活動名稱 read as 序号 | 活动名称
        key = next((k for k, words in COLUMNS if any(w in cell for w in words) and k not in found.values()), None)
        if key and len(cell) <= 8:
            found[i] = key
        elif cell:
            found[i] = f"extra:{i}"  # a column without a field of its own (承办单位, 备注 …): kept in 主要内容
    known = [k for k in found.values() if not k.startswith("extra:")]
    if "name" not in known and "details" in known:  # 时间 | 活动内容 | 责任部门: the content names the activity
        found = {i: "name" if k == "details" else k for i, k in found.items()}
        known = [k for k in found.values() if not k.startswith("extra:")]
    return found if "name" in known and len(known) >= 2 and len(known) > len(found) / 2 else {}


SPLIT = "_split_at_space"  # a row's working mark (never written): its 时间地点 cell as printed, split at a space


def _schedule(part: Any, table: Table, state: Any, side_fact: Callable[[str], bool]) -> str:
    """The table as a schedule; returns its id."""
    sid = "activities" if not state.schedules else f"activities-{len(state.schedules) + 1}"
    cols = _columns(table.rows[0])
    by_index = {i: table.rows[0][i].replace(" ", "") for i in cols}
    headings = {key: by_index[i] for i, key in cols.items()}
    rows = [r for r in (_row(cells, cols, by_index, state) for cells in table.rows[1:]) if r]
    schedule: dict[str, Any] = {"id": sid, "caption": part.heading or TO_FILL}
    time_heading = headings.get("time", "时间").replace(" ", "")
    if time_heading != "时间":
        schedule["time_heading"] = time_heading
    if "place" in headings and headings["place"].replace(" ", "") != "地点":
        schedule["place_heading"] = headings["place"].replace(" ", "")
    if "place" not in cols.values() and any("place" in r for r in rows):
        schedule["merge_time_place"] = True
    at = f"schedules.{len(state.schedules)}"  # the key path of this schedule, for review entries that name it
    for n, row in enumerate(rows):
        printed = row.pop(SPLIT, None)
        if printed:  # a guess inside a row: its review entry names the row
            state.draft.note(f"{at}.rows.{n}.place", N_("row %(n)d (%(name)s): the place was split off the time at a space "
                                                        "(%(text)s): check where the time ends", n=n + 1, name=row["name"],
                                                        text=printed), todo=True)
    for key, heading in headings.items():
        if key == "organizer" or key.startswith("extra:"):
            state.draft.note(at, N_("the column %(col)s has no field of its own: its text was added to 主要内容",
                                             col=heading), todo=True)
    notes = [b.text for b in part.blocks if isinstance(b, Para) and re.match(r"^注\s*[:：]", b.text)]
    if notes:
        schedule["note"] = notes[0]
    schedule["rows"] = rows
    state.schedules.append(schedule)
    state.draft.note("schedules", N_("schedule `%(id)s`: %(rows)d rows", id=sid, rows=len(rows)))
    placed = set(notes) | set(_headings(part))
    _rest(part, lambda b: isinstance(b, Table) or b.text in placed, state, side_fact)
    return sid


def _headings(part: Any) -> list[str]:
    """Short lines between the tables of an attachment (一、省级活动): already named in the note on the join."""
    tables = sum(1 for b in part.blocks if isinstance(b, Table))
    return [b.text for b in part.blocks if isinstance(b, Para) and len(b.text) <= 30] if tables > 1 else []


def _row(cells: list[str], cols: dict[int, str], headings: dict[int, str], state: Any) -> dict[str, Any] | None:
    """One activity from a table row; None (and a note) for a row without a name."""
    got = {key: cells[i].strip() for i, key in cols.items() if i < len(cells) and cells[i].strip()}
    if "name" not in got:
        if any(got.values()):
            state.draft.note("schedules", N_("left out a table row without an activity name: %(text)s",
                                             text=" | ".join(got.values())[:60]), todo=True)
        return None
    row: dict[str, Any] = {}
    if re.fullmatch(r"\d{1,3}", got.get("no", "")):
        row["no"] = int(got["no"])
    row["name"] = got["name"]
    if "time" in got:  # split 时间地点 only where no column of its own holds the place: 9月下旬（待定） stays whole
        time, place = facts.time_place(got["time"]) if "place" not in cols.values() else (got["time"], None)
        row["time"] = time
        if place:
            row["place"] = place
        if place and re.fullmatch(re.escape(time) + r"\s+" + re.escape(place), got["time"]):
            row[SPLIT] = got["time"]  # split at a space, not at a ， or a bracket: a reading, noted by _schedule
    if "place" in got:
        row["place"] = got["place"]
    detail: str | list[str] | None = facts.details(got["details"]) if "details" in got else None
    extras = [f"{headings[i]}：{got[key]}" for i, key in cols.items()
              if (key == "organizer" or key.startswith("extra:")) and key in got]
    if extras:
        joined = "；".join(extras)
        detail = (detail + extras) if isinstance(detail, list) else (f"{detail}（{joined}）" if detail else joined)
    if detail:
        row["details"] = detail
    return row


def _slogan_like(part: Any, title: str) -> bool:
    """Whether an attachment is a slogan list: a 口号 title, or mostly short lines without a full stop."""
    paras = [b.text for b in part.blocks if isinstance(b, Para)]
    if not paras and not any(isinstance(b, Table) for b in part.blocks):
        return False
    short = sum(1 for t in paras if len(t) <= SLOGAN_MAX and not t.endswith("。"))
    return "口号" in title or short >= 0.8 * len(paras) >= 3 or any(_slogan_column(b) is not None for b in part.blocks)


def _slogan_column(block: Any) -> int | None:
    """The column of a table that holds slogans (its heading names 口号), or None."""
    if not isinstance(block, Table) or len(block.rows) < 2:
        return None
    return next((i for i, cell in enumerate(block.rows[0]) if "口号" in cell), None)


def take_theme(text: str, state: Any) -> None:
    """The theme from a line under 活动主题 (or after 主题：); a line that stays a sentence is left to a person."""
    value = facts.theme(text)
    if value:
        state.head.setdefault("theme", value)
    else:
        state.draft.note("theme", N_("the theme section holds a sentence, not a theme: pick the theme out of it: "
                                     "%(text)s", text=text[:60]), todo=True)


def _slogans(part: Any, title: str, state: Any, side_fact: Callable[[str], bool]) -> list[str]:
    """Slogan groups (a new group under each heading that ends in 口号); returns their ids."""
    groups: list[dict[str, Any]] = []
    expect_theme = False
    for block in part.blocks:
        column = _slogan_column(block)
        if column is not None:  # 序号 | 宣传口号
            if not groups:
                groups.append({"title": title, "items": []})
            groups[-1]["items"].extend(facts.slogan(r[column]) for r in block.rows[1:] if len(r) > column and r[column])
            continue
        text = block.text if isinstance(block, Para) else ""
        if not text:
            continue
        theme = re.match(r"^(?:活动)?主题\s*[:：]\s*(.*)$", text)
        if theme or expect_theme:
            value = theme[1] if theme else text
            expect_theme = bool(theme) and not value
            if value and "theme" not in state.head:
                take_theme(value, state)
            continue
        if re.fullmatch(r"(?:宣传)?口号\s*[:：]", text) or side_fact(text):
            continue
        if text.endswith("口号") and len(text) <= 40 and not re.match(r"^(?:\d{1,3}\s*[.．、]|[（(]\d{1,3}[)）]|[①-⑳])", text):
            groups.append({"title": facts.SECTION_NUMBER.sub("", text), "items": []})
        elif len(text) > SLOGAN_MAX or text.endswith("。"):
            state.draft.note("slogans", N_("left out a line of %(title)s that is not a slogan: %(text)s",
                                           title=title, text=text[:40]), todo=True)
        else:
            if not groups:
                groups.append({"title": title, "items": []})
            groups[-1]["items"].append(facts.slogan(text))
    return add_groups([g for g in groups if g["items"]], state)


def add_groups(groups: list[dict[str, Any]], state: Any) -> list[str]:
    """Give each group an id (national for the first 全国 group, then slogans-N) and add it to the draft."""
    ids = []
    for group in groups:
        n = len(state.slogans) + 1
        gid = "national" if n == 1 and "全国" in group["title"] else ("slogans" if n == 1 else f"slogans-{n}")
        state.slogans.append({"id": gid, **group})
        state.draft.note("slogans", N_("slogan group `%(id)s` (%(title)s): %(count)d slogans",
                                       id=gid, title=group["title"], count=len(group["items"])))
        ids.append(gid)
    return ids


def _file(part: Any, state: Any, side_fact: Callable[[str], bool]) -> str:
    """An attachment of running text as attachment-N.md; returns the file name."""
    name = f"attachment-{part.number}.md"
    texts = []
    for block in part.blocks:
        if isinstance(block, Table):
            texts.append(markdown_table(block))
        elif not side_fact(block.text):
            texts.append(block.text)
    state.draft.files[name] = "\n\n".join(texts or [TO_FILL]) + "\n"
    state.draft.note("attachments", N_("附件%(n)d as text in %(file)s (%(count)d paragraphs)",
                                       n=part.number, file=name, count=len(texts)))
    return name


def _rest(part: Any, used: Callable[[Any], bool], state: Any, side_fact: Callable[[str], bool]) -> None:
    """Text of a schedule attachment outside its table and note: contacts are read, anything else noted."""
    for block in part.blocks:
        if isinstance(block, Table) or used(block) or side_fact(block.text):
            continue
        state.draft.note("attachments", N_("附件%(n)d: text outside the table not placed: %(text)s",
                                           n=part.number, text=block.text[:40]), todo=True)


def listed_only(state: Any, present: set[int]) -> None:
    """Attachments the notice lists but the document does not hold: a to-fill file for each."""
    for number, title in sorted(state.listed.items()):
        if number in present:
            continue
        name = f"attachment-{number}.md"
        state.draft.files[name] = TO_FILL + "\n"
        state.attachments.append({"number": number, "title": title, "file": name})
        state.draft.note("attachments", N_("附件%(n)d (%(title)s) is listed but not in the document: paste it into %(file)s",
                                           n=number, title=title, file=name), todo=True)
    state.attachments.sort(key=lambda a: a["number"])


def markdown_table(table: Table) -> str:
    """A table kept as a Markdown table (in the notice or a text attachment)."""
    width = max(len(r) for r in table.rows)
    rows = [r + [""] * (width - len(r)) for r in table.rows]
    lines = ["| " + " | ".join(c.replace("|", "｜").replace("\n", " ") for c in row) + " |" for row in rows]
    lines.insert(1, "|" + " --- |" * width)
    return "\n".join(lines)
