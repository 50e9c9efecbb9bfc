"""`build.py new <id> --from <id>`: next year's campaign with last year's structure and none of its facts.

What a campaign keeps from year to year is marked in the model (`carry`: ids, file names, table
layout, poster style; `template`: a list of which one item stays as a pattern). Every other text
becomes the marker 待填写, every other list of names one 待填写, and facts that cannot hold the
marker (dates, numbers, patterned text such as postcodes) are left out. `check` refuses
`draft: false` while a marker is left, so last year's facts cannot be published as this year's.
The Markdown files keep their `## ` headings with 待填写 under each. The to-do list names every field.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Collector, QmError
from ..i18n import N_
from ..source import controls, model, yamlio
from ..source.content import CAMPAIGN_FILE, campaign_folders, read_campaign
from ..source.editor_form import available, in_editor_form
from ..source.folders import ID, campaign_errors, field_label, write_folder
from ..source.model import TO_FILL
from ..source.schema import fields, hints, is_blank

SPECIAL = ("year", "slug", "draft", "copied_from", "confirmed_same", "incomplete")  # set by `new` itself
# Last year's editorial notes and open import guesses are about last year's text, not facts to fill in.
DROPPED = ("notes", "review")
_PLAIN = re.compile(r"^[\w\u3000-\u9fff\uff00-\uffef.\-/()（）〔〕\[\]“”、，。 ]+$")


@dataclass
class Todo:
    """One line of the to-do list: where, and what last year had there."""

    label: str
    note: str


@dataclass
class Draft:
    """The new campaign.yaml text and the to-do list that goes with it."""

    year: int
    lines: list[str] = field(default_factory=list)
    todo: list[Todo] = field(default_factory=list)

    def text(self) -> str:
        """The YAML text."""
        return "\n".join(self.lines) + "\n"


def _label(cls, name: str, where: str) -> str:
    """`标题 title` (with the path when inside a list: `活动安排 1 › 表格标题 caption`)."""
    return f"{where}{field_label(cls, name)}"


def _scalar(node: yamlio.Node) -> str:
    """A carried scalar as YAML: as written when that is safe, else a double-quoted string."""
    if node.tag != "str" or (_PLAIN.match(node.text) and not re.match(r"^[-\d.]", node.text)):
        return node.text
    return json.dumps(node.text, ensure_ascii=False)


def _options(tp) -> list:
    """The types a field may hold (None left out)."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return [a for a in typing.get_args(tp) if a is not type(None)]
    return [tp]


def kind_of(tp, node: yamlio.Node) -> str:
    """How `new` treats a fact written as `node`: "mapping", "mappings", "texts", "text", or "other" (left out)."""
    for opt in _options(tp):
        item = typing.get_args(opt)[0] if typing.get_origin(opt) is list else None
        if node.kind == "mapping" and isinstance(opt, type) and dataclasses.is_dataclass(opt):
            return "mapping" if any(_options(t)[0] is str for t in hints(opt).values()) else "other"
        if node.kind == "sequence" and item is not None:
            if dataclasses.is_dataclass(item):
                return "mappings"
            if str in _options(item):
                return "texts"
        if node.kind == "scalar" and opt is str:
            return "text"
    return "other"


def emit_mapping(cls, node: yamlio.Node, indent: int, draft: Draft, where: str, dash: bool = False) -> None:
    """Write one mapping of `cls`: carried fields as they were, facts as 待填写 or left out (and listed)."""
    pad = " " * indent
    first = True
    for f in fields(cls):
        if f.name not in node.value or (cls is model.Campaign and f.name in SPECIAL + DROPPED):
            continue
        sub, tp, label = node.value[f.name], hints(cls)[f.name], _label(cls, f.name, where)
        lead = (pad[:-2] + "- ") if dash and first else pad
        if (sub.kind == "scalar" and sub.tag == "null") or is_blank(sub):
            continue  # not given (null, or "", [] and {} as the web editor saves a cleared field): nothing to fill in
        kind = "carry" if f.metadata.get("carry") else kind_of(tp, sub)
        if kind in ("texts", "text") and ("pattern" in f.metadata or "item_pattern" in f.metadata):
            kind = "other"  # a postcode or e-mail cannot hold the marker
        if kind == "carry":
            _carry(f.name, sub, lead, indent, draft)
        elif kind == "mappings":
            items = sub.value[:1] if f.metadata.get("template") else sub.value
            if len(items) < len(sub.value):
                draft.todo.append(Todo(label, f"去年 {len(sub.value)} 项，现留 1 项作样子 / "
                                              f"last year {len(sub.value)}, one kept as a pattern"))
            draft.lines.append(f"{lead}{f.name}:")
            inner = next(typing.get_args(o)[0] for o in _options(tp) if typing.get_origin(o) is list)
            for i, item in enumerate(items, 1):
                emit_mapping(inner, item, indent + 4, draft, f"{label} {i} › ", dash=True)
        elif kind == "mapping":
            draft.lines.append(f"{lead}{f.name}:")
            emit_mapping(next(o for o in _options(tp) if dataclasses.is_dataclass(o)), sub, indent + 2, draft, f"{label} › ")
        elif kind == "texts":
            draft.lines.append(f"{lead}{f.name}: [{TO_FILL}]")
            draft.todo.append(Todo(label, f"去年 {len(sub.value)} 项 / {len(sub.value)} last year"))
        elif kind == "text":
            draft.lines.append(f"{lead}{f.name}: {TO_FILL}")
            optional = f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
            draft.todo.append(Todo(label,
                                   _was(sub) + ("；没有就删去这一行 / delete the line if there is none" if optional else "")))
        else:  # a date, a number, a patterned text: it cannot hold the marker, so it is left out and listed
            draft.todo.append(Todo(label, _left_out(tp, draft.year)))
            continue
        first = False
    if dash and first:  # every key was left out: keep the item with its first required field
        draft.lines.append(f"{pad[:-2]}- {next(f.name for f in fields(cls))}: {TO_FILL}")


def _left_out(tp, year: int) -> str:
    """The to-do note of a fact `new` left out, with an example in the new year."""
    opts = _options(tp)
    if model.Period in opts:
        return f"已删去：默认 {year} 年 9 月；不同时添加，如 period: 9月1日-30日 / left out: September unless you add it"
    if dt.date in opts:
        return f"已删去：知道后添加，如 {year}年8月22日 / left out: add it once known, e.g. {year}-08-22"
    return "已删去：如需要请照去年的写法添加 / left out: add it if needed, written as last year"


def _was(node: yamlio.Node) -> str:
    """What last year had, shortened for the to-do list."""
    text = " ".join(str(node.value).split())
    return f"去年：{text[:24]}{'…' if len(text) > 24 else ''} / last year's value removed"


def _carry(name: str, node: yamlio.Node, lead: str, indent: int, draft: Draft) -> None:
    """Copy a structural value as it was (scalars, flow lists of scalars, nested mappings)."""
    if node.kind == "scalar":
        draft.lines.append(f"{lead}{name}: {_scalar(node)}")
    elif node.kind == "sequence" and all(n.kind == "scalar" for n in node.value):
        draft.lines.append(f"{lead}{name}: [{', '.join(_scalar(n) for n in node.value)}]")
    elif node.kind == "sequence":
        draft.lines.append(f"{lead}{name}:")
        for item in node.value:
            first = True
            for key, value in item.value.items():
                _carry(key, value, " " * (indent + 2) + ("- " if first else "  "), indent + 4, draft)
                first = False
    else:
        draft.lines.append(f"{lead}{name}:")
        for key, value in node.value.items():
            _carry(key, value, " " * (indent + 2), indent + 2, draft)


def plan(text: str, path: str, year: int, slug: str, source_id: str) -> Draft:
    """The new campaign.yaml for `year`/`slug` from last year's text, with its to-do list."""
    root = yamlio.load(text, path)
    if root is None or root.kind != "mapping":
        raise QmError.at(path, 1, 1, N_("campaign.yaml is empty or not a mapping"),
                         N_("copy a campaign that passes `python3 build.py check`"))
    draft = Draft(year)
    # No comments: the web editor drops them, and `fmt` stops at them; what they would say is in the to-do list.
    draft.lines += [f"year: {year}", f"slug: {slug}", "draft: true", f"copied_from: {source_id}"]
    emit_mapping(model.Campaign, root, 0, draft, "")
    return draft


def markdown_skeleton(text: str) -> tuple[str, int]:
    """A Markdown file with its `## ` headings kept and 待填写 in place of every paragraph; and how many headings."""
    headings = re.findall(r"^##[ \t]+.+$", text, re.M)
    parts = [TO_FILL, ""] if not text.lstrip().startswith("## ") else []
    for h in headings:
        parts += [h, "", TO_FILL, ""]
    return "\n".join(parts).rstrip("\n") + "\n", len(headings)


def existing_ids(content_dir: Path) -> list[str]:
    """Folder names of the campaigns under content/ (folders are named by campaign id), as `check` finds them."""
    return [f.name for f in campaign_folders(content_dir, Collector())]


def _ids_hint(content_dir: Path) -> str:
    """The hint that lists the campaigns one can copy."""
    ids = existing_ids(content_dir)
    return N_("existing campaigns: %(ids)s", ids=", ".join(ids)) if ids else N_("content/ has no campaigns yet")


def _check_ids(content_dir: Path, campaign_id: str, source_id: str) -> tuple[int, str, Path, Path]:
    """Validate the ids and folders; returns (new year, new slug, source folder, target folder)."""
    if not content_dir.is_dir():
        raise QmError.at(str(content_dir), 0, 0, N_("the content folder does not exist"),
                         N_("pass --content with the folder that holds site.yaml"))
    m = ID.fullmatch(campaign_id)
    if not m or not 1978 <= int(m["year"]) <= 2100:
        shown = controls.visible(campaign_id, one_line=True)  # a typed id may hold a newline or a terminal escape
        raise QmError.at(shown, 0, 0, N_("`%(id)s` is not a campaign id", id=shown),
                         N_("write <year>-<name> in lower-case letters, digits and hyphens, e.g. 2023-national"))
    source = content_dir / source_id
    if not ID.fullmatch(source_id) or not (source / CAMPAIGN_FILE).is_file():
        raise QmError.at(controls.visible(str(source), one_line=True), 0, 0,
                         N_("there is no campaign `%(id)s` to copy", id=controls.visible(source_id, one_line=True)),
                         _ids_hint(content_dir))
    target = content_dir / campaign_id
    if target.exists():
        raise QmError.at(str(target), 0, 0, N_("`%(id)s` already exists", id=campaign_id),
                         N_("pick another id, or edit that campaign; %(ids)s", ids=_ids_hint(content_dir)))
    return int(m["year"]), m["slug"], source, target


def _validate(text: str, path: str, read) -> None:
    """Raise the errors of a campaign.yaml text whose Markdown files `read(name)` gives (warnings are for `check`)."""
    problems = campaign_errors(text, path, read)
    if problems:
        raise QmError(problems)


def new_campaign(content_dir: str | Path, campaign_id: str, source_id: str) -> str:
    """Start content/<campaign_id> from the structure of <source_id> as a draft; returns the to-do list to print."""
    content_dir = Path(content_dir)
    year, slug, source, target = _check_ids(content_dir, campaign_id, source_id)
    source_yaml = source / CAMPAIGN_FILE
    # Read as `check` reads it (regular files inside content/ only); a broken source is said first.
    text, old = read_campaign(source)
    draft = plan(text, str(source_yaml), year, slug, source_id)
    root = yamlio.load(text, str(source_yaml))
    assert root is not None  # plan() above refuses an empty campaign.yaml
    files = {name: markdown_skeleton(old.docs[name].text) for name in _markdown_files(root.value)}
    for name, (_, headings) in files.items():
        draft.todo.append(Todo(f"文件 {name}",
                               f"保留了 {headings} 个小标题，正文都是“{TO_FILL}” / {headings} headings kept, text to fill in"))
    _validate(draft.text(), str(target / CAMPAIGN_FILE), lambda name: files[name][0])
    # Born in the web editor's form, so its first save from the form changes only what was edited.
    editor_form = available()
    yaml_text = in_editor_form(draft.text(), model.Campaign, str(target / CAMPAIGN_FILE)) if editor_form else draft.text()
    write_folder(content_dir, campaign_id, {CAMPAIGN_FILE: yaml_text, **{n: text for n, (text, _) in files.items()}})
    return checklist(content_dir, campaign_id, source_id, draft, editor_form)


def _markdown_files(top: dict) -> list[str]:
    """The Markdown files a campaign names: notice body first, then attachments."""
    files = [top[k].value for k in ("body", "body_en") if k in top and top[k].kind == "scalar" and top[k].value]
    for a in top["attachments"].value if "attachments" in top else ():
        if "file" in a.value:
            files.append(a.value["file"].value)
    return files


def checklist(content_dir: Path, campaign_id: str, source_id: str, draft: Draft, editor_form: bool = True) -> str:
    """Everything left to fill in, in Chinese with English, numbered as a to-do list (and `fmt` to run, without node)."""
    folder = content_dir / campaign_id
    option = "" if content_dir == Path("content") else f" --content {content_dir}"
    lines = [f"已创建草稿 {folder}（照 {source_id} 的结构，没有沿用其内容）/ Created the draft {folder} with the structure of "
             f"{source_id} and none of its facts.", "",
             f"请填写每一处“{TO_FILL}”/ Fill in every {TO_FILL} ({folder / CAMPAIGN_FILE}):"]
    lines += [f"  {i:>2}. [ ] {t.label}：{t.note}" for i, t in enumerate(draft.todo, start=1)]
    n = len(draft.todo) + 1
    lines += [f"  {n:>2}. [ ] 发布前：把 draft: true 改为 draft: false（还有“{TO_FILL}”时 check 会拒绝）"
              f" / to publish, set draft: false (check refuses while any {TO_FILL} is left)",
              "", f"去年的内容可以打开 content/{source_id}/ 对照 / last year's text is in content/{source_id}/",
              f"预览（会显示草稿）/ Preview (drafts shown): python3 build.py serve{option}",
              f"检查 / Check: python3 build.py check{option}"]
    if not editor_form:
        lines.append(f"没有 Node.js，文件还不是网页编辑器保存的写法：装好 Node.js 并运行 npm ci 后，"
                     f"请运行 python3 build.py fmt{option}"
                     f" / without Node.js the file is not yet in the web editor's form: once node and npm ci are there, run "
                     f"python3 build.py fmt{option}")
    return "\n".join(lines)
