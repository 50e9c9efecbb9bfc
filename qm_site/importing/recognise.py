"""The structure of a 公文 (GB/T 9704) in a list of blocks -> a draft campaign and a report.

The order of recognition follows the document: the 版记 at the foot (主送, 抄送, 印发) is taken
out first because it closes the last attachment; then the attachments (附件1 …) are split off;
then the head (发文机关标志, 文号, title, 主送) and the body with its sections. Facts the model has
a field for go there; the rest of the body becomes notice.md. Nothing is invented: what is not
found stays empty or 待填写, and every decision that needs a person's eye becomes a note.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ..i18n import N_, Msg
from ..source.model import TO_FILL, Campaign, Contact
from ..source.schema import fields as fields_of
from ..source.when import parse_when
from . import attachments, facts, items
from .blocks import Block, Para, Table

THEME_HEADINGS = ("活动主题", "主题")
IDEOLOGY_HEADINGS = ("指导思想", "总体要求")
CONTACT_HEADINGS = ("联系方式", "联系人", "联系方法", "联系人及电话", "联系电话")


@dataclass
class Note:
    """One line of the import report: the campaign.yaml key it concerns, and what happened there."""

    key: str  # a key path (issuer, schedules.0.rows.3.time) or notice: a to-do note becomes a `review` entry there
    message: Msg
    todo: bool = False  # a person must look (not found, guessed, or left out)


@dataclass
class Draft:
    """What import writes: campaign.yaml's fields in order, notice.md, attachment files, and the report."""

    fields: dict[str, Any] = field(default_factory=dict)
    notice: str | None = None
    files: dict[str, str] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)

    def note(self, key: str, message: Msg, todo: bool = False) -> None:
        """Add a line to the report."""
        self.notes.append(Note(key, message, todo))


@dataclass
class Part:
    """An attachment of the notice: its number, the heading printed above it, and its blocks."""

    number: int
    heading: str | None
    blocks: list[Block]
    numbered: bool = True  # its heading line prints a number (附件1), not 附件 alone


def recognise(blocks: list[Block], year: int) -> Draft:
    """A draft campaign from the blocks of a received notice (pure: no files)."""
    draft = Draft()
    blocks = _take_footer(blocks, draft)
    main, parts = _split_attachments(blocks)
    state = _State(draft, year)
    body = _take_signature(_take_cover_signature(_head(main, state), state), state)
    _body(body, state)
    _attachments(parts, state)
    _fill_gaps(state, parts)
    return _ordered(state)


@dataclass
class _State:
    """Facts gathered while reading, before they are put in campaign.yaml's order."""

    draft: Draft
    year: int
    head: dict[str, Any] = field(default_factory=dict)
    notice: list[str] = field(default_factory=list)
    listed: dict[int, str] = field(default_factory=dict)  # 附件 list in the notice: number -> title
    contact: dict[str, Any] = field(default_factory=dict)
    schedules: list[dict] = field(default_factory=list)
    slogans: list[dict] = field(default_factory=list)
    attachments: list[dict] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)
    offices: list[dict] = field(default_factory=list)  # 机构 姓名 电话 lines: one contact each
    list_open: bool = False  # a bare 附件： line was read: a 1. line below it is the first attachment
    list_numbered: bool | None = None  # the 附件 list prints numbers (附件：1. …), or not (附件：title); None: no list


# --- 版记 and attachments ------------------------------------------------------------------

def _untable(blocks: list[Block]) -> list[Block]:
    """Tables used for layout, not data: the 版记 or the signatures set in a table become their lines."""
    out: list[Block] = []
    for block in blocks:
        cells = [c for row in block.rows for c in row if c] if isinstance(block, Table) else []
        layout = cells and (any(re.match(r"^(抄\s*送|主\s*送)\s*[:：]", c) or facts.ISSUED.match(c) for c in cells)
                            or all(facts.is_org_line(c) or facts.is_date_line(c) or c == "文件" for c in cells))
        if layout:
            out.extend(Para(c, block.line) for c in dict.fromkeys(cells))
        else:
            out.append(block)
    return out


def _list_follows(blocks: list[Block], block: Block) -> bool:
    """Whether the line after `block` is the first item of a numbered list (1. …)."""
    at = blocks.index(block)
    after = blocks[at + 1] if at + 1 < len(blocks) else None
    item = facts.LIST_ITEM.match(after.text) if isinstance(after, Para) else None
    return bool(item) and item[1] == "1"  # type: ignore[index]


def _take_footer(blocks: list[Block], draft: Draft) -> list[Block]:
    """Remove the 版记 (主送/抄送 lines, the printing office and 印发 date) wherever it is; record its facts."""
    keep: list[Block] = []
    for block in _untable(blocks):
        text = block.text if isinstance(block, Para) else ""
        if re.match(r"^主\s*送\s*[:：]", text):
            _addressees("recipients", text, draft.fields)
            draft.fields["recipients_position"] = "footer"
        elif re.match(r"^抄\s*送\s*[:：]", text):
            _addressees("copies", text, draft.fields)
        elif facts.ISSUED.match(text):
            m = facts.ISSUED.match(text)
            assert m is not None
            draft.fields["issue_date"] = facts.cn_date(m["date"])
            prev = keep[-1] if keep else None
            if m["office"] and facts.is_org_line(m["office"]):  # GB/T 9704: office and date on one line
                draft.fields["printed_by"] = m["office"]
            elif isinstance(prev, Para) and facts.is_org_line(prev.text):
                draft.fields["printed_by"] = prev.text
                keep.pop()
        else:
            keep.append(block)
    return keep


def _addressees(key: str, text: str, into: dict[str, Any]) -> None:
    """主送 (recipients) or 抄送 (copies) as a list, and as printed when its separators are not all ， (GB/T 9704 keeps 、)."""
    into[key] = facts.recipients(text)
    into[f"{key}_printed"] = facts.printed_line(into[key], text)


def _split_attachments(blocks: list[Block]) -> tuple[list[Block], list[Part]]:
    """The notice's own blocks, and each attachment (from a line 附件N to the next)."""
    main: list[Block] = []
    parts: list[Part] = []
    for block in blocks:
        m = facts.ATTACHMENT_START.match(block.text) if isinstance(block, Para) else None
        if m and not m[1] and not parts and _list_follows(blocks, block):
            main.append(block)  # 附件： over the lines 1. … 2. …: the notice's list of its attachments
        elif m:
            parts.append(Part(int(m[1]) if m[1] else len(parts) + 1, None, [], numbered=bool(m[1])))
        elif parts:
            part = parts[-1]
            if part.heading is None and isinstance(block, Para):
                part.heading = block.text
            else:
                part.blocks.append(block)
        else:
            main.append(block)
    return main, parts


# --- head ---------------------------------------------------------------------------------

def _head(main: list[Block], state: _State) -> list[Block]:
    """Read 发文机关标志, 文号, title and 主送 from the top; returns the blocks of the body."""
    main = _web_meta_table(main, state)
    paras = [(i, b) for i, b in enumerate(main[:12]) if isinstance(b, Para)]
    number = next(((i, b.text) for i, b in paras if facts.doc_number(b.text)), None)
    number_at = number[0] if number else None
    salute_at = next((i for i, b in paras if _is_salutation(b.text) and (number_at is None or i > number_at)), None)
    if number_at is not None:
        state.head["doc_number"] = facts.doc_number(number[1]) if number else None
        _issuer_mark(main[:number_at], state)
    title_from = number_at + 1 if number_at is not None else 0
    first = paras[0][0] if paras else None
    if salute_at is not None and (_title(main[title_from:salute_at], state) or _title_above(main, number_at, state)
                                  or salute_at in (first, title_from)):  # a copy may begin with its 文号 or 主送
        if "recipients" not in state.head:
            _addressees("recipients", main[salute_at].text, state.head)  # type: ignore[union-attr]
        return main[salute_at + 1:]
    if number_at is not None:
        _title_above(main, number_at, state)  # a web copy: title, 文号, then the text without a 主送
        return main[number_at + 1:]
    return _bare_title(main, paras, state)


def _bare_title(main: list[Block], paras: list[tuple[int, Para]], state: _State) -> list[Block]:
    """A copy with neither 文号 nor 主送: a 关于…通知 line among its first lines is the title (noted); the rest is body."""
    if len(paras) > 1 and paras[0][0] == 0 and _web_meta(_unbullet(paras[1][1].text)) and _heading_line(paras[0][1].text):
        state.head["title"] = facts.normalise_title(paras[0][1].text)[0]  # a web page's heading over its 时间/来源 line
        state.draft.note("title", N_("the notice prints neither 文号 nor 主送: the title is the heading the web page "
                                     "prints above its date and source"), todo=True)
        state.draft.note("notice", N_("left out what the web page printed around the notice: %(text)s",
                                      text=paras[1][1].text))
        return main[paras[1][0] + 1:]
    for i, block in paras[:3]:
        if "关于" in block.text and len(block.text) <= 60 and not re.search(r"[。，,：:；;]", block.text) \
                and _title([block], state):
            state.draft.note("title", N_("the notice prints neither 文号 nor 主送: the title is the first line that "
                                         "reads as one"), todo=True)
            return main[i + 1:]
    return main


META = {"title": ("名称", "标题"), "doc_number": ("文号", "发文字号"), "signed": ("成文日期",)}


def _web_meta_table(main: list[Block], state: _State) -> list[Block]:
    """The table of labelled cells a government site prints above a notice (名称：| … | 文号：| …), read and taken out.

    Its facts are kept aside: the notice's own lines win, and what is used from it is noted (_fill_gaps)."""
    for at, block in enumerate(main[:3]):
        if not isinstance(block, Table):
            continue
        cells = [c.strip() for row in block.rows for c in row]
        labels = {c.rstrip(":：").replace(" ", ""): v for c, v in zip(cells, cells[1:]) if re.search(r"[:：]$", c)}
        if len(labels) < 2:
            continue
        for key, names in META.items():
            value = next((labels[n] for n in names if labels.get(n)), None)
            if value and key == "signed":
                value = _iso_date(value)
            elif value and key == "doc_number":
                value = facts.doc_number(value)
            if value:
                state.head[f"meta_{key}"] = value
        state.draft.note("notice", N_("left out the table of labels the web page printed above the notice"))
        return main[:at] + main[at + 1:]
    return main


def _iso_date(text: str) -> Any:
    """2022-09-02 or 2022年9月2日 as a date; None if neither."""
    m = re.fullmatch(r"((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})", text)
    if not m:
        return facts.cn_date(text) if facts.is_date_line(text) else None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _title_above(main: list[Block], number_at: int | None, state: _State) -> bool:
    """A web copy prints the title above the 文号: the line right above it, if it reads as a title."""
    if number_at is None:
        return False  # without a 文号 the slice below would be the whole copy, read as a title
    start = number_at
    while start and number_at - start < 3 and _title_part(main[start - 1]):
        start -= 1  # a title wrapped over lines (PDF) is read from its first line
    return start != number_at and _title(main[start:number_at], state)


def _web_meta(line: str) -> bool:
    """What a web page prints under a title: 作者：… 发布日期：…, 来源：…, 浏览次数：…."""
    return bool(re.match(r"^(?:作者|发布日期|发布时间|来源|信息来源|浏览次数|点击数|时间|日期)\s*[:：]", facts.simple(line)))


def _unbullet(line: str) -> str:
    """A line without the bullet a web page prints before it (• 时间：…)."""
    return re.sub(r"^[\s•·●▪■◆>]+", "", line)


def _heading_line(text: str) -> bool:
    """A line that can be a page's heading: short, no sentence or label, not a section heading."""
    return len(text) <= 60 and not re.search(r"[。，,：:；;]", text) and not facts.SECTION.match(text)


def _title_part(block: Block) -> bool:
    """A line that may be (part of) a title: no label, no sentence, no organisation or date of its own."""
    return (isinstance(block, Para) and not re.search(r"[。：:•|]", block.text) and not facts.is_org_line(block.text)
            and not facts.is_date_line(block.text))


def _take_cover_signature(blocks: list[Block], state: _State) -> list[Block]:
    """A cover letter that 印发 a 方案: its 落款 and date stand mid-page, right above the 方案's own title; both removed."""
    for i, block in enumerate(blocks[1:-1], start=1):
        k = i + 1
        while (k + 1 < len(blocks) and isinstance(blocks[k], Para)
               and _is_publication_note(blocks[k].text)):  # type: ignore[union-attr]
            k += 1  # （此件主动公开） under the date stays, read as a side fact
        after = blocks[k]
        if not (isinstance(block, Para) and facts.is_date_line(block.text) and isinstance(after, Para)
                and _is_plan_title(after.text)):
            continue
        start = i
        while start and isinstance(blocks[start - 1], Para) and _signature_line(blocks[start - 1].text):  # type: ignore[union-attr]
            start -= 1
        if start == i:
            continue  # a date without a signature above it is no 落款
        state.head["signed"] = facts.cn_date(block.text)
        for b in blocks[start:i]:
            state.signature.extend(_signature_line(b.text))  # type: ignore[union-attr]
        return blocks[:start] + blocks[i + 1:]
    return blocks


def _is_plan_title(text: str) -> bool:
    """The title of a 方案 (or 安排, 办法, 细则) printed under a cover letter: one short line, no sentence."""
    return len(text) <= 60 and not re.search(r"[。，,：:；;]", text) and bool(re.search(r"(?:方案|安排|办法|细则)$", text))


def _take_signature(blocks: list[Block], state: _State) -> list[Block]:
    """The 落款 at the foot of the notice: issuing bodies' names, then the date (成文日期); both removed."""
    end = len(blocks)
    while end and isinstance(blocks[end - 1], Para) and _is_publication_note(blocks[end - 1].text):  # type: ignore[union-attr]
        end -= 1
    last = blocks[end - 1] if end else None
    if not (isinstance(last, Para) and facts.is_date_line(last.text)):
        return blocks
    cover = "signed" in state.head  # the cover letter's 落款 is the campaign's; the 方案's own is left out
    state.head.setdefault("signed", facts.cn_date(last.text))
    start = end - 1
    while start and isinstance(blocks[start - 1], Para) and _signature_line(blocks[start - 1].text):  # type: ignore[union-attr]
        start -= 1
    for b in blocks[start:end - 1]:
        if isinstance(b, Para) and not cover:
            state.signature.extend(_signature_line(b.text))
    return blocks[:start] + blocks[end:]


def _signature_line(text: str) -> list[str]:
    """The bodies named on one signature line (one, or several side by side); [] if it is not one."""
    return facts.org_lines(text) or ([text] if facts.is_org_line(text) else [])


def _is_publication_note(text: str) -> bool:
    """（此件公开发布） and its kin."""
    return bool(re.fullmatch(r"[（(]\s*此件(?:公开发布|主动公开|依申请公开|不予公开)\s*[)）]", text))


def _is_salutation(text: str) -> bool:
    """The 主送 line under the title: ends with ：, is a list of addressees, not a sentence."""
    return bool(re.search(r"[:：]$", text)) and "。" not in text and "如下" not in text and not facts.contact_fields(text)


def _issuer_mark(blocks: list[Block], state: _State) -> None:
    """发文机关标志 above the 文号: 南京质量协会文件 -> 南京质量协会; of a joint notice, the first body leads."""
    names: list[str] = []
    for block in blocks:  # layout tables are lines already (_take_footer)
        if isinstance(block, Para):
            text = re.sub(r"\s*文件$", "", block.text)
            names.extend(n for n in (facts.org_lines(text) or ([text] if facts.is_org_line(text) else [])) if n != "文件")
    if names:
        state.head["issuer"] = names[0]
        if len(names) > 1:
            state.head["mark_co_issuers"] = names[1:]
            state.draft.note("issuer", N_("the 发文机关标志 names %(n)d bodies: the first is taken as the issuer, "
                                          "the others as co-issuers", n=len(names)), todo=True)


def _title(blocks: list[Block], state: _State) -> bool:
    """The title: the lines between 文号 and 主送 (a title printed over two lines is joined without a space)."""
    lines = _title_lines([b.text for b in blocks if isinstance(b, Para)], state)
    if not lines:
        return False
    if len(lines) > 1 and "issuer" not in state.head and facts.is_org_line(lines[0]) and "关于" not in lines[0]:
        state.head["issuer"] = re.sub(r"\s*文件$", "", lines.pop(0))
    title, fixed = facts.normalise_title("".join(lines))
    if not re.search(r"(通知|通告|意见|方案|安排|决定|函|公告|办法)$", title):
        return False
    state.head["title"] = title
    if fixed:
        state.draft.note("title", N_("removed the space printed before a quotation mark in the title"), todo=True)
    m = re.match(r"^(.{2,20}?)(等)?关于", title)
    if m and "issuer" not in state.head and facts.ORG_SUFFIX.search(m[1]):
        state.head["issuer"] = m[1]
        if m[2]:
            state.head["issuer_label"] = m[1] + "等"
    return True


def _title_lines(lines: list[str], state: _State) -> list[str]:
    """The lines that make the title: a web copy prints title, date, title again; the date and the repeat are not title."""
    out: list[str] = []
    prefixes: list[str] = []
    for line in lines:
        if facts.is_date_line(line) or re.fullmatch(r"(?:19|20)\d{2}-\d{1,2}-\d{1,2}", line) or _web_meta(line):
            state.draft.note("title", N_("left out the date printed with the title: %(text)s", text=line))
        elif line in out or line in prefixes:
            state.draft.note("title", N_("left out the title printed a second time"))
            between = out[prefixes.index(line) + 1:] if line in prefixes else []
            if between and all(facts.is_org_line(b) for b in between):  # title, 发文机关, title: the body is no title
                out = between[:1] * (len(between) == 1) + [line]
            break
        else:
            out.append(line)
        prefixes = ["".join(out[:k]) for k in range(1, len(out) + 1)]  # the title so far, wrapped or not
    return out


# --- body -----------------------------------------------------------------------------------

def _body(blocks: list[Block], state: _State) -> None:
    """Sections of the notice: theme, guiding ideology, contacts and slogans to their fields, the rest to notice.md."""
    section: str | None = None
    kind = ""  # the section's name as simplified characters, to recognise 活動主題 as 活动主题
    after_list = False
    slogans: list[str] = []
    slogan_title = ""
    for block in items.item_tables(blocks):
        if isinstance(block, Table):
            if not attachments.body_schedule(block, section or state.head.get("title", TO_FILL), state):
                state.notice.append(attachments.markdown_table(block))
            continue
        text = block.text
        heading = _section(text)
        if heading is not None:
            section, kind = heading, facts.simple(heading)
            if not kind.endswith(THEME_HEADINGS + IDEOLOGY_HEADINGS + CONTACT_HEADINGS + ("口号", "活动时间")):
                state.notice.append(f"## {heading}")
            continue
        if _side_fact(text, state) or _attachment_list(text, state) or _clutter(text, state):
            after_list = after_list or bool(state.listed)
            continue
        office = facts.office_line(text) if kind.endswith(CONTACT_HEADINGS) else None
        if office:
            state.offices.append(office)  # 湖南省教育厅 颜慧林 84715494: a contact of its own
        elif kind.endswith(CONTACT_HEADINGS) and facts.PHONE.search(text):
            _pieces(text, state)  # an unlabelled line under 联系方式: 张三 0571-…
        elif kind.endswith("口号") and len(text) <= attachments.SLOGAN_MAX and not text.endswith("。"):
            slogans.append(facts.slogan(text))
            slogan_title = section or ""
        elif after_list and _signature_line(text):
            state.signature.extend(_signature_line(text))
        elif "theme" not in state.head and (kind.endswith(THEME_HEADINGS)
                                            or (kind.startswith("活动主题") and re.match(r"^主题\s*[:：]", text))):
            attachments.take_theme(text, state)
        elif kind == "活动时间" and "period" not in state.head and parse_when(text, state.year):
            state.head["period"] = text
        elif kind.endswith(IDEOLOGY_HEADINGS):
            state.head["guiding_ideology"] = (state.head.get("guiding_ideology", "") + "\n\n" + text).strip()
        else:
            _body_paragraph(text, state)
    if slogans:
        attachments.add_groups([{"title": slogan_title, "items": slogans}], state)


def _clutter(text: str, state: _State) -> bool:
    """What a web page prints around a notice: 【打印本页】【关闭窗口】, 字号：大 中 小 …; left out, noted."""
    if re.fullmatch(r"(?:【[^】]{1,10}】\s*)+|(?:字号|字体)\s*[:：].{0,12}"
                    r"|(?:打印本页|关闭窗口|返回顶部)(?:\s+\S{2,6}){0,3}", text):
        state.draft.note("notice", N_("left out what the web page printed around the notice: %(text)s", text=text))
        return True
    return False


def _section(text: str) -> str | None:
    """The name of a section heading (一、活动主题 -> 活动主题), or None for a paragraph."""
    m = facts.SECTION.match(text)
    if not m or re.search(r"[。；;]", m[2]):
        return None
    name = m[2].strip()
    if name.endswith(("：", ":")):  # 五、联系方式： heads the lines below it; 二、申报时间：… is a fact on its line
        name = name[:-1].strip()
        return name if facts.simple(name).endswith(CONTACT_HEADINGS) else None
    return name


def _body_paragraph(text: str, state: _State) -> None:
    """A paragraph of notice.md (a short （一） line is a sub-heading); facts in running text are noted too."""
    sub = facts.SUBSECTION.match(text)
    if sub and len(text) <= 40 and not re.search(r"[。；;]", text):
        state.notice.append(f"### {text}")
    else:
        state.notice.append(text)
    m = re.search(r"([\u4e00-\u9fff]{2,20}?)等\s*(\d{1,3})\s*个?部门", text)
    if m and "issuer_label" not in state.head and not facts.cites(text, m.start(), m.end()):
        state.head["issuer_found"] = m[1].split("，")[-1]
        state.head["issuer_label"] = f"{m[1]}等{m[2]}部门"
    for name in facts.wechat_in_text(text):
        _add(state.contact, "wechat", [name])
    if re.search(r"(?:邮箱|电子邮件|[Ee]-?mail)\s*[:：]?\s*" + facts.EMAIL.pattern, text):
        _add(state.contact, "emails", facts.EMAIL.findall(text))  # 发送至邮箱：…@… in a sentence
    m = re.search(r"以“([^”]{4,40})”为主题", text) or re.search(r"主题(?:是|为)\s*[:：]\s*“?([^。“”；;]{4,30}?)”?[。；;]", text)
    if m:
        state.head.setdefault("theme_in_text", m[1].strip())


def _side_fact(text: str, state: _State) -> bool:
    """Contact lines, the 公开方式 and QR captions: facts that are not body text. True if `text` was one."""
    if _is_publication_note(text):
        state.head["publication_note"] = re.sub(r"[（()）\s]", "", text)
        return True
    parts = facts.contact_fields(text) or facts.contact_fields(facts.SECTION_NUMBER.sub("", text))  # 三、联系电话：…
    if parts:
        for key, value in parts:
            _contact(key, value, state)
        state.contact["_last"] = parts[-1][0]
        return True
    if facts.PHONE_ONLY.match(text.replace(" ", "")) and state.contact.get("_last") in ("phones", "fax"):
        _add(state.contact, state.contact["_last"], [text.replace(" ", "")])
        return True
    if len(text) <= 20 and text.endswith("公众号"):
        _add(state.contact, "wechat", [text])
        return True
    if re.fullmatch(r"(?:请)?扫(?:描)?(?:二维)?码\S{0,8}", text):
        state.draft.note("contacts", N_("left out the caption of a QR code: %(text)s", text=text))
        return True
    return False


def _contact(key: str, value: str, state: _State) -> None:
    """One labelled contact fact into the campaign's contact."""
    c = state.contact
    value = value.translate(facts.HALF_WIDTH)
    words = re.sub(r"[（(]传真[)）]", "", value)
    if key == "mixed" or (key in ("people", "phones") and facts.PHONE.search(value) and re.search(r"[\u4e00-\u9fff]{2}", words)):
        _pieces(value, state)  # 联系人及电话：张三 0756-…，李四 138…  /  电话：0574-…；市经信局 孙立
    elif key == "people":
        org, names = facts.people(value)
        if org:
            c.setdefault("organization", org)
        _add(c, "people", names)
    elif key in ("phones", "fax"):
        numbers, faxes = facts.phones(value)
        _add(c, key, numbers)
        _add(c, "fax", faxes)
    elif key == "emails":
        _add(c, "emails", facts.EMAIL.findall(value))
    elif key == "postcode":
        if re.fullmatch(r"\d{6}", value.replace(" ", "")):
            c.setdefault("postcode", value.replace(" ", ""))
    elif key == "wechat":
        _add(c, "wechat", facts.split_top(value))
    elif value:
        c.setdefault(key, value)


def _pieces(value: str, state: _State) -> None:
    """A contact value holding names, offices and numbers together."""
    pieces = facts.contact_pieces(value)
    if pieces["organization"]:
        state.contact.setdefault("organization", pieces["organization"][0])
    for key in ("people", "phones", "fax", "emails"):
        _add(state.contact, key, pieces[key])


def _add(mapping: dict, key: str, values: list[str]) -> None:
    """Append values to a list field, each once (a contact block printed twice gives each fact once)."""
    items = mapping.setdefault(key, [])
    items.extend(v for v in values if v and v not in items)


def _attachment_list(text: str, state: _State) -> bool:
    """附件：1. title / 2. title …: the titles of the attachments as the notice lists them."""
    m = facts.ATTACHMENT_LIST.match(text)
    if m and not m[1].strip():
        state.list_open = True  # the list's items are on the lines below
        return True
    if m:
        item = facts.LIST_ITEM.match(m[1])
        state.listed[int(item[1]) if item else 1] = (item[2] if item else m[1]).strip()
        state.list_numbered = bool(item)
        return True
    item = facts.LIST_ITEM.match(text)
    if item and int(item[1]) == max(state.listed, default=0) + 1 and (state.listed or state.list_open) and len(text) <= 60:
        state.listed[int(item[1])] = item[2].strip()
        return True
    if re.fullmatch(r"[^\s。，,：:；;]{2,60}\.(?:docx?|xlsx?|pdf|wps|et|zip|rar)", text, re.IGNORECASE):
        state.listed[max(state.listed, default=0) + 1] = text  # a web page's attachment link: its file name
        return True
    return False


# --- attachments ----------------------------------------------------------------------------

def _attachments(parts: list[Part], state: _State) -> None:
    """Each attachment as a schedule table, slogan groups, or a Markdown file."""
    for part in parts:
        attachments.read_part(part, state, lambda text: _side_fact(text, state) or _clutter(text, state))


def _fill_gaps(state: _State, parts: list[Part]) -> None:
    """Fall-backs that are readings of the text, each noted for a person to confirm."""
    attachments.listed_only(state, {p.number for p in parts})
    _single_unnumbered(state, parts)
    head, draft = state.head, state.draft
    for key in ("title", "doc_number", "signed"):
        if key not in head and head.get(f"meta_{key}"):
            head[key] = head[f"meta_{key}"]
            draft.note("issue_date" if key == "signed" else key,
                       N_("read from the labels the web page printed above the notice"), todo=True)
    if "title" not in head and not state.notice and parts and parts[0].heading:
        head["title"] = parts[0].heading
        draft.note("title", N_("the document holds only its attachment: the title is that attachment's heading"), todo=True)
    if "issuer" not in head and "issuer_found" in head:
        head["issuer"] = head["issuer_found"]
        draft.note("issuer", N_("issuer read from the sentence naming %(label)s", label=head["issuer_label"]), todo=True)
    if "issuer" not in head:
        m = re.match(r"^(?:(?:19|20)\d{2}\s*年\s*)?(\S{2,20}?(?:协会|联合会|学会|总局|局|委员会|政府))", head.get("title", ""))
        if m:
            head["issuer"] = m[1]
            draft.note("issuer", N_("issuer read from the title"), todo=True)
    if "theme" not in head and "theme_in_text" in head:
        head["theme"] = head["theme_in_text"]
        draft.note("theme", N_("theme read from a sentence of the notice (以“…”为主题, 主题是：…)"), todo=True)
    if "issue_date" not in draft.fields and "signed" in head:
        head["issue_date"] = head["signed"]
        draft.note("issue_date", N_("the date under the signature (成文日期) is taken as the date of issue"), todo=True)
    if "issuer" not in head and state.signature:
        head["issuer"] = state.signature[0]  # GB/T 9704: the leading body signs first
        draft.note("issuer", N_("issuer read from the signature") if len(state.signature) == 1 else
                   N_("issuer read from the signature: the first of %(n)d bodies; the others are co-issuers",
                      n=len(state.signature)), todo=True)
    co = [s for s in state.signature or head.get("mark_co_issuers", []) if s != head.get("issuer")]
    if co:
        head["co_issuers"] = list(dict.fromkeys(co))


def _single_unnumbered(state: _State, parts: list[Part]) -> None:
    """A notice's only attachment printed as 附件 alone (list and heading alike) keeps no number: numbered: false."""
    marks = [p.numbered for p in parts] + ([state.list_numbered] if state.list_numbered is not None else [])
    if len(state.attachments) != 1 or not marks or any(marks):
        return
    entry = state.attachments[0]
    state.attachments[0] = {"numbered": False, **{k: v for k, v in entry.items() if k != "number"}}  # the model's order
    state.draft.note("attachments", N_("the notice prints its only attachment as 附件 without a number: "
                                       "numbered: false"))


MUST_FIND = ("title", "doc_number", "issuer", "theme")  # absent: 待填写, so that check lists them


def _ordered(state: _State) -> Draft:
    """Put every fact in campaign.yaml's order (the model's field order); what was not found is 待填写."""
    draft = state.draft
    notice = [p for i, p in enumerate(state.notice)  # a section left empty (its table became a schedule) goes
              if not (p.startswith("## ") and (i + 1 == len(state.notice) or state.notice[i + 1].startswith("## ")))]
    if notice:
        draft.notice = "\n\n".join(notice) + "\n"
    contact = {f.name: state.contact[f.name] for f in fields_of(Contact) if state.contact.get(f.name)}
    contacts = ([contact] if contact else []) + state.offices
    if not contacts:
        draft.note("contacts", N_("no contact details found"), todo=True)
    found = {**draft.fields, **state.head, "body": "notice.md" if notice else None, "contacts": contacts,
             "schedules": state.schedules, "slogans": state.slogans, "attachments": state.attachments}
    fields: dict[str, Any] = {}
    for key in (f.name for f in fields_of(Campaign)):  # state.head's working notes (issuer_found …) are no field
        if found.get(key) not in (None, [], ""):
            fields[key] = found[key]
        elif key in MUST_FIND:
            fields[key] = TO_FILL
            draft.note(key, N_("not found in the notice: fill it in, or delete the line if the notice has none"), todo=True)
    _year_check(fields, state)
    draft.fields = fields
    return draft


def _year_check(fields: dict[str, Any], state: _State) -> None:
    """Note when the notice's own year (文号, title) is not the year of --id."""
    years = set(re.findall(r"((?:19|20)\d{2})\s*年", str(fields.get("title", ""))))
    years |= set(re.findall(r"[〔\[（(【]((?:19|20)\d{2})[〕\]）)】]", str(fields.get("doc_number", ""))))
    if years and str(state.year) not in years:
        state.draft.note("year", N_("the notice is about %(years)s, but the campaign id says %(year)d",
                                     years="/".join(sorted(years)), year=state.year), todo=True)
