"""`build.py new <id> --from <id>`: start next year's campaign as a draft copy of an existing one.

The copy keeps last year's structure, comments and layout: campaign.yaml is edited as
text, line by line, at the places qm_site.yamlio reports, never re-dumped. What cannot be
carried over (document number, issue date, period, schedule times) is removed rather than
blanked, so the draft validates at once; a checklist says what to fill in.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import yamlio
from .content import CAMPAIGN_FILE, parse_campaign
from .errors import Collector, QmError
from .markup import Renderer
from .model import SLUG

ID = re.compile(r"^(?P<year>\d{4})-(?P<slug>" + SLUG[1:-1] + r")$")
REMOVED_TOP = ("doc_number", "issue_date", "period")  # facts of last year's notice, unknown for the new one
REMOVED_ROW = ("time", "start", "end")  # schedule dates; rows stay so their names can be edited
TITLE_KEYS = ("title", "title_en", "caption", "caption_en", "summary")
DRAFT_LINE = "draft: true  # 草稿：填写完毕、检查无误后改为 false / set to false to publish"


@dataclass
class Edits:
    """Line edits to campaign.yaml, applied together so earlier ones do not shift later ones."""

    lines: list[str]
    deletions: list[tuple[int, int, int]] = field(default_factory=list)  # (start, end, key column), 0-based [start, end)
    insertions: list[tuple[int, str]] = field(default_factory=list)  # (before line index, text)

    def replace_year(self, start: int, end: int, old: int, new: int) -> None:
        """Replace the old year (as a whole number) on lines [start, end)."""
        pattern = re.compile(rf"(?<!\d){old}(?!\d)")
        for i in range(start, end):
            self.lines[i] = pattern.sub(str(new), self.lines[i])

    def set_scalar(self, node: yamlio.Node, value: str) -> None:
        """Replace a one-line scalar's text where it is written (keeps quotes and comments)."""
        i, col = node.line - 1, node.column - 1
        line = self.lines[i]
        self.lines[i] = line[:col] + line[col:].replace(node.text, value, 1)

    def delete(self, mapping: yamlio.Node, key: str) -> None:
        """Remove `key: value` (and the comment lines right above it) from a block mapping."""
        kline, kcol = mapping.keys[key]
        start, end = entry_span(self.lines, kline, kcol)
        if self.lines[start][: kcol - 1].strip() == "":  # not the first key of a `- ` item
            while start > 0 and self.lines[start - 1].strip().startswith("#") and indent(self.lines[start - 1]) == kcol - 1:
                start -= 1
        self.deletions.append((start, end, kcol))

    def result(self) -> str:
        """The edited text."""
        lines = list(self.lines)
        ops = [(s, 1, e, c) for s, e, c in self.deletions] + [(i, 0, t, 0) for i, t in self.insertions]
        for start, kind, arg, kcol in sorted(ops, key=lambda o: (o[0], o[1]), reverse=True):
            if kind == 0:
                lines.insert(start, arg)
                continue
            dash = lines[start][: kcol - 1]
            del lines[start:arg]
            if dash.strip():  # the removed key carried the item's `- `: hand it to the next key
                nxt = next((j for j in range(start, len(lines)) if lines[j].strip() and not lines[j].lstrip().startswith("#")), None)
                if nxt is None or indent(lines[nxt]) != kcol - 1:
                    raise QmError.at(CAMPAIGN_FILE, start + 1, kcol, "cannot remove the only key of a list item", "this is a bug in qm-site")
                lines[nxt] = dash + lines[nxt][kcol - 1:]
        return "\n".join(lines) + "\n"


def indent(line: str) -> int:
    """Number of leading spaces."""
    return len(line) - len(line.lstrip(" "))


def entry_span(lines: list[str], key_line: int, key_col: int) -> tuple[int, int]:
    """0-based [start, end) of the lines of a block `key: value` (1-based key position), trailing blank lines excluded."""
    start = end = key_line - 1
    end += 1
    for i in range(key_line, len(lines)):
        text = lines[i]
        if text.strip() and indent(text) <= key_col - 1:
            break
        if text.strip():
            end = i + 1
    return start, end


def _is_flow(lines: list[str], node: yamlio.Node) -> bool:
    """Whether a mapping is written inline as {…} (its keys cannot be removed line by line)."""
    return lines[node.line - 1][node.column - 1 : node.column] == "{"


@dataclass
class Plan:
    """The new campaign.yaml text and what the checklist needs to say about it."""

    text: str
    rows_cleared: int = 0
    rows_kept: list[int] = field(default_factory=list)  # line numbers of inline rows whose times stay


def plan(text: str, path: str, old_year: int, new_year: int, slug: str) -> Plan:
    """Edit a campaign.yaml for the new year: year, slug, draft, removed dates, titles with the new year."""
    root = yamlio.load(text, path)
    if root is None or root.kind != "mapping":
        raise QmError.at(path, 1, 1, "campaign.yaml is empty or not a mapping", "copy a campaign that passes `python build.py check`")
    top = root.value
    edits = Edits(text.splitlines())
    for key in TITLE_KEYS:
        if key in top:
            edits.replace_year(*entry_span(edits.lines, *root.keys[key]), old_year, new_year)
    edits.replace_year(0, _header_end(edits.lines), old_year, new_year)
    edits.set_scalar(top["year"], str(new_year))
    edits.set_scalar(top["slug"], slug)
    if "draft" in top:
        edits.set_scalar(top["draft"], "true")
    else:
        edits.insertions.append((entry_span(edits.lines, *root.keys["slug"])[1], DRAFT_LINE))
    for key in REMOVED_TOP:
        if key in top:
            edits.delete(root, key)
    result = Plan("")
    for group in ("schedules", "slogans", "attachments"):
        for item in top[group].value if group in top and top[group].kind == "sequence" else ():
            for key in TITLE_KEYS:
                if key in item.value:
                    edits.replace_year(*entry_span(edits.lines, *item.keys[key]), old_year, new_year)
    for schedule in top["schedules"].value if "schedules" in top else ():
        for row in schedule.value["rows"].value:
            dated = [k for k in REMOVED_ROW if k in row.value]
            if not dated:
                continue
            if _is_flow(edits.lines, row):
                result.rows_kept.append(row.line)
                continue
            for key in dated:
                edits.delete(row, key)
            result.rows_cleared += 1
    result.text = edits.result()
    return result


def _header_end(lines: list[str]) -> int:
    """Index of the first line after the leading comments (which describe the notice, year included)."""
    for i, line in enumerate(lines):
        if line.strip() and not line.startswith("#"):
            return i
    return len(lines)


def existing_ids(content_dir: Path) -> list[str]:
    """Folder names of the campaigns under content/ (folders are named by campaign id)."""
    return sorted(p.name for p in content_dir.iterdir() if (p / CAMPAIGN_FILE).is_file() and not p.name.startswith((".", "_")))


def _ids_hint(content_dir: Path) -> str:
    """The hint that lists the campaigns one can copy."""
    ids = existing_ids(content_dir)
    return ("existing campaigns / 现有活动: " + ", ".join(ids)) if ids else "content/ has no campaigns yet"


def _check_ids(content_dir: Path, campaign_id: str, source_id: str) -> tuple[int, str, Path, Path]:
    """Validate the ids and folders; returns (new year, new slug, source folder, target folder)."""
    if not content_dir.is_dir():
        raise QmError.at(str(content_dir), 0, 0, "the content folder does not exist", "pass --content with the folder that holds site.yaml")
    m = ID.match(campaign_id)
    if not m or not 1978 <= int(m["year"]) <= 2100:
        raise QmError.at(campaign_id, 0, 0, f"`{campaign_id}` is not a campaign id",
                         "write <year>-<name> in lower-case letters, digits and hyphens, e.g. 2023-national")
    source = content_dir / source_id
    if not ID.match(source_id) or not (source / CAMPAIGN_FILE).is_file():
        raise QmError.at(str(source), 0, 0, f"there is no campaign `{source_id}` to copy", _ids_hint(content_dir))
    target = content_dir / campaign_id
    if target.exists():
        raise QmError.at(str(target), 0, 0, f"`{campaign_id}` already exists", "pick another id, or edit that campaign; " + _ids_hint(content_dir))
    return int(m["year"]), m["slug"], source, target


def _validate(text: str, path: str, folder: Path) -> None:
    """Raise the errors of a campaign.yaml text whose Markdown files are in `folder` (warnings are for `check`)."""
    errors = Collector()
    parse_campaign(text, path, lambda name: (folder / name).read_text(encoding="utf-8"), Renderer(), errors, folder.name)
    errors.raise_if_any()


def new_campaign(content_dir: str | Path, campaign_id: str, source_id: str) -> str:
    """Copy a campaign into content/<campaign_id> as next year's draft; returns the checklist to print."""
    content_dir = Path(content_dir)
    year, slug, source, target = _check_ids(content_dir, campaign_id, source_id)
    source_yaml = source / CAMPAIGN_FILE
    text = source_yaml.read_text(encoding="utf-8")
    _validate(text, str(source_yaml), source)  # a broken source would give a broken copy: say so first
    old = yamlio.load(text, str(source_yaml))
    old_year = old.value["year"].value
    result = plan(text, str(source_yaml), old_year, year, slug)
    _validate(result.text, str(target / CAMPAIGN_FILE), source)
    # Built beside the target under a dot-name (which content.load skips), then renamed: never half a campaign.
    tmp = Path(tempfile.mkdtemp(prefix=f".{campaign_id}.new-", dir=content_dir))
    try:
        shutil.copytree(source, tmp, dirs_exist_ok=True)
        (tmp / CAMPAIGN_FILE).write_text(result.text, encoding="utf-8")
        tmp.chmod(0o755)
        tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return checklist(content_dir, campaign_id, source_id, old, old_year, year, result)


def _count(node: yamlio.Node | None) -> int:
    """Number of items of a YAML list (0 when absent)."""
    return len(node.value) if node is not None and node.kind == "sequence" else 0


def checklist(content_dir: Path, campaign_id: str, source_id: str, old: yamlio.Node, old_year: int, year: int, result: Plan) -> str:
    """What is left to fill in, in Chinese with English, numbered as a to-do list."""
    top = old.value
    folder = content_dir / campaign_id
    yaml_path = folder / CAMPAIGN_FILE
    items = [f"标题 title、title_en：年份已改为 {year}，请核对其余文字 / the year in titles is now {year}; check the rest"]
    theme = top["theme"].value if "theme" in top else None
    items.append(f"活动主题 theme：仍是 {old_year} 年的“{theme}” / still last year's theme" if theme
                 else "活动主题 theme：请添加，如 theme: … / add the campaign theme")
    n_slogans = sum(_count(g.value.get("items")) for g in top["slogans"].value) if "slogans" in top else 0
    if n_slogans:
        items.append(f"活动口号 slogans：{n_slogans} 条仍是 {old_year} 年的口号 / {n_slogans} slogans are last year's")
    if result.rows_cleared:
        items.append(f"活动安排 schedules：已删去 {result.rows_cleared} 项活动的时间，请逐项添加 time（如 time: 9月1日），并更新活动名称和地点"
                     f" / times removed from {result.rows_cleared} rows: add `time:` to each row and update names and places")
    for line in result.rows_kept:
        items.append(f"活动安排第 {line} 行写在一行 {{…}} 里，时间未删除，请手动修改 / the row at line {line} is inline: edit its time by hand")
    doc = top["doc_number"].value if "doc_number" in top else None
    example = re.sub(r"\d+(?=号)", "…", re.sub(rf"(?<!\d){old_year}(?!\d)", str(year), doc)) if doc else f"〔{year}〕…号"
    items.append(f"文号 doc_number：发文后添加，如 doc_number: {example} / add the document number once issued")
    items.append(f"印发日期 issue_date：发文后添加，如 issue_date: {year}-08-22 / add the issue date")
    if "period" in top:
        items.append(f"活动时间 period：已删除，默认 {year} 年 9 月 1 日至 30 日；如不同请添加 / removed: September by default")
    if "contacts" in top:
        items.append("联系方式 contacts：请确认联系人、电话、邮箱仍然有效 / confirm people, phones and e-mails")
    for key, label in (("guiding_ideology", "指导思想 guiding_ideology"),):
        if key in top:
            items.append(f"{label}：仍是 {old_year} 年的文字 / still last year's text")
    for label, name in _markdown_files(top):
        md = folder / name
        mentions = len(re.findall(rf"(?<!\d){old_year}(?!\d)", md.read_text(encoding="utf-8"))) if md.is_file() else 0
        items.append(f"{label} {name}：仍是 {old_year} 年的文字（提到 {old_year} 共 {mentions} 处）/ last year's text, mentions {old_year} {mentions}×")
    items.append("发布前：把 draft: true 改为 draft: false / to publish, change draft: true to draft: false")
    option = "" if content_dir == Path("content") else f" --content {content_dir}"
    lines = [f"已创建草稿 {folder}（复制自 {source_id}）/ Created the draft {folder} from {source_id}.", "",
             f"请在 {yaml_path} 中填写 / To fill in:"]
    lines += [f"  {i:>2}. [ ] {item}" for i, item in enumerate(items, start=1)]
    lines += ["", f"预览（会显示草稿）/ Preview (drafts shown): python build.py serve{option}",
              f"检查 / Check: python build.py check{option}"]
    return "\n".join(lines)


def _markdown_files(top: dict) -> list[tuple[str, str]]:
    """(label, file name) of the Markdown files the campaign names: notice body first, then attachments."""
    files = [("通知正文", top[k].value) for k in ("body", "body_en") if k in top and top[k].kind == "scalar" and top[k].value]
    for a in top["attachments"].value if "attachments" in top else ():
        if "file" in a.value:
            files.append(("附件", a.value["file"].value))
    return files
