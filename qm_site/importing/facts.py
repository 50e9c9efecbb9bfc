"""Single facts of a notice read from one line or cell: 文号, 主送 lists, contacts, times, slogans.

Pure functions on strings, each covering the forms the seed notices print (GB/T 9704 and the
looser forms of associations). None of them guesses: what does not match is returned as None
or left to the caller to report.
"""

from __future__ import annotations

import datetime as dt
import re

OPEN, CLOSE = "（(〔[【《“‘", "）)〕]】》”’"
DOC_NUMBER = re.compile(r"^[\u4e00-\u9fffA-Za-z]{1,16}\s*[〔\[（(【]\s*((?:19|20)\d{2})\s*[〕\]）)】]\s*第?\s*\d{1,5}\s*号$")
SECTION = re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、.．]\s*(.{1,25})$")
SECTION_NUMBER = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十]{1,3}）)\s*")
SUBSECTION = re.compile(r"^（([一二三四五六七八九十]{1,3})）\s*(.+)$")
ATTACHMENT_START = re.compile(r"^附\s*件\s*(\d{1,2})?\s*[:：]?$")
ATTACHMENT_LIST = re.compile(r"^附\s*件\s*[:：]\s*(.*)$")
LIST_ITEM = re.compile(r"^(\d{1,2})\s*[.．、]\s*(.+)$")
NUMBERED = re.compile(r"^(?:\d{1,3}\s*[.．、]|[（(]\d{1,3}[)）]|[①-⑳]|[一二三四五六七八九十]{1,2}是"
                      r"|[一二三四五六七八九十]{1,3}、)\s*")
ORG_SUFFIX = re.compile(r"(?:部|委|委员会|局|总局|署|银行|行|协会|联合会|学会|会|院|办|办公室|办公厅|厅|中心|政府"
                        r"|公司|集团|社|处|科|室|秘书处|所|站|队)$")
CN_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
ISSUED = re.compile(r"^(?:(?P<office>\S.*?)\s+)?"
                    r"(?P<date>(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇零一二三四五六七八九]{4}年\S{1,3}月\S{1,3}日)"
                    r"\s*印\s*发$")
DIVISIONS = {"各省", "省", "自治区", "直辖市", "自治區", "直轄市", "计划单列市", "副省级城市", "副省级省会城市",
             "各市", "各县", "市", "县", "区"}
# these never stand alone as addressees: an item opening with one continues 各省、自治区、直辖市…
# (also after a misprint: 各盛自治区)
CONTINUES = ("自治区", "直辖市", "自治區", "直轄市")  # as printed, simplified or traditional
THEME_LABEL = re.compile(r"^.{0,30}?主题\s*(?:是|为)?\s*[:：]\s*")


# traditional characters of the words that mark a notice's structure (號, 主題, 聯繫…), one for one, so offsets hold;
# they are recognised through simple() while the text keeps the characters as printed
_SIMPLE = str.maketrans("號題動關於發聯繫電話監質門會協廳辦員處區轄單務間時點內導總傳郵編絡義體國開節運輸為機構實範圍責關協稱",
                        "号题动关于发联系电话监质门会协厅办员处区辖单务间时点内导总传邮编络义体国开节运输为机构实范围责关协称")


def simple(text: str) -> str:
    """The text with the traditional characters of structural words made simplified (same length, for matching only)."""
    return text.translate(_SIMPLE)


def doc_number(text: str) -> str | None:
    """文号 as printed (any bracket form: 〔〕 [] （） ()), inner spaces removed; None if the line is not one."""
    text = re.sub(r"^\s*[（(]\s*(.*?)\s*[)）]\s*$", r"\1", text)  # a web copy prints it in brackets: (赣交基建字[2008]50号)
    if not DOC_NUMBER.match(simple(text)):
        return None
    return re.sub(r"\s+", "", text)


def split_top(text: str, separators: str = "、，,；;") -> list[str]:
    """Split at separators outside brackets and quotes: 教育厅（教委、局）、科技厅（局） -> two items."""
    items, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(0, depth - 1)
        elif ch in separators and depth == 0:
            items.append(text[start:i])
            start = i + 1
    items.append(text[start:])
    return [s.strip() for s in items if s.strip()]


def addressee_line(text: str) -> str:
    """主送 or 抄送 as printed: without its label and closing ：/。, every separator kept."""
    return re.sub(r"^(?:主送|抄送)\s*[:：]\s*", "", text.strip()).rstrip("：:。.；; ")


def printed_line(names: list[str], text: str) -> str | None:
    """The line as printed, when it is not the names joined with ， (which is how the site prints them); else None."""
    line = addressee_line(text)
    return line if line != "，".join(names) else None


def recipients(text: str) -> list[str]:
    """主送 or 抄送 as a list: split at 、 and ， outside brackets, the shared opening 各省、自治区… kept whole."""
    items = split_top(addressee_line(text))
    out: list[str] = []
    for item in items:
        if out and (out[-1].split("、")[-1] in DIVISIONS or item.startswith(CONTINUES)):
            out[-1] += "、" + item  # "各省、自治区、直辖市和新疆生产建设兵团市场监管局" is one recipient
        else:
            out.append(item)
    return out


_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
CN_NUMERAL_DATE = re.compile(r"([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")


def cn_number(text: str) -> int:
    """十二 -> 12, 二十八 -> 28, 三十一 -> 31 (month and day numerals)."""
    if "十" not in text:
        return _CN_DIGITS[text]
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def cn_date(text: str) -> dt.date | None:
    """2022年8月22日 or 二〇二三年八月十日 (at the start of text) as a date; None when absent or impossible."""
    text = zero(text.strip())
    m = CN_DATE.match(text)
    n = CN_NUMERAL_DATE.match(text)
    try:
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if n:
            year = int("".join(str(_CN_DIGITS[c]) for c in n[1]))
            return dt.date(year, cn_number(n[2]), cn_number(n[3]))
    except (ValueError, KeyError):
        return None
    return None


def zero(text: str) -> str:
    """二O一二, 二○一二, 二０一二 (a letter O, a circle or a digit typed for 〇) with 〇, between numerals only."""
    return re.sub(r"(?<=[〇零一二三四五六七八九OΟ○])[OoΟ○０0](?=[〇零一二三四五六七八九OoΟ○０0]*年)", "〇", text)


def is_date_line(text: str) -> bool:
    """A line that is only a date: 2023年8月18日, 二〇二三年八月十日, 二O一二年五月三十一日."""
    text = zero(text)
    return bool(CN_DATE.fullmatch(text) or CN_NUMERAL_DATE.fullmatch(text)) and cn_date(text) is not None


def unspace(text: str) -> str:
    """A name printed letter-spaced (湖 南 省 教 育 厅) closed up; other spaces (between names) kept."""
    return re.sub(r"(?<!\S)(?:[\u4e00-\u9fff] ){2,}[\u4e00-\u9fff](?!\S)", lambda m: m[0].replace(" ", ""), text)


def org_lines(text: str) -> list[str]:
    """Names of bodies printed side by side on one line (江苏省市场监督管理局　　江苏省总工会), or [] if it is not such a line."""
    parts = unspace(text).split(" ")
    return parts if all(is_org_line(p) for p in parts) else []


def is_org_line(text: str) -> bool:
    """A short line that names an organisation (a signature-block line such as 工业和信息化部)."""
    # 关于… or a quotation is a title wrapped over lines (…质量教育社会 ends like 协会 but is none)
    plain = simple(text)  # a copy in traditional characters signs 聯合會 for 联合会
    return (2 <= len(text) <= 25 and not re.search(r"[。，,：:；;！？\d“”]", text) and not plain.startswith("关于")
            and bool(ORG_SUFFIX.search(plain)))


def theme(text: str) -> str | None:
    """The theme itself from its line: label (…主题是：), enclosing quotes and closing 。 removed; None if a sentence remains."""
    text = text.strip()
    label = THEME_LABEL.match(simple(text))
    value = text[label.end():].strip() if label else text
    quoted = re.fullmatch(r"[“\"「]([^”\"」]+)[”\"」][。.]?", value)
    value = quoted[1].strip() if quoted else value.rstrip("。.")
    if not re.search(r"[\u4e00-\u9fffA-Za-z]", value) or len(value) > 40 or re.search(r"[。；;！？]", value):
        return None  # a sentence about the theme, not the theme: a person picks it out
    return value


def cites(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] names the author of another document the sentence cites (按照…《…》, …印发的《…》).

    Such a name is no fact of this notice: not its issuer, nor its 文号."""
    before, after = text[:start], text[end:]
    clause = re.split(r"[。；;，,]", before)[-1]
    return bool(re.search(r"(?:按照|根据|依据|遵照|贯彻|落实|转发|结合)", clause)
                or re.match(r"\s*(?:联合)?(?:印发|制定|发布)?(?:的)?\s*[《关]", after))


def normalise_title(text: str) -> tuple[str, bool]:
    """The notice title without the space extraction leaves before a quote (企业 “质量月” -> 企业“质量月”)."""
    fixed = re.sub(r"(?<=[\u4e00-\u9fff0-9]) +(?=[“‘《（])", "", text)
    fixed = re.sub(r"(?<=[”’》）]) +(?=[\u4e00-\u9fff])", "", fixed)
    return fixed, fixed != text


def slogan(text: str) -> str:
    """One slogan: its number (1. 1． 1、 （1）) removed; spaces were already made single by the reader."""
    return NUMBERED.sub("", text).strip()


# --- schedule cells --------------------------------------------------------------------

_POINT = r"(?:(?:(?:19|20)\d{2}\s*年\s*)?\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|\d{1,2}\s*日)"
_PART = r"(?:\s*(?:上旬|中旬|下旬|中下旬|上中旬|初|底|中|末|全月|上半月|下半月))?"
_TIME = re.compile(rf"^(?:全年|常年|{_POINT}{_PART}(?:\s*[-—–~～至到]\s*{_POINT}?{_PART})?(?:\s*(?:前|截止|以前|开始|启动))?)")


def is_time(text: str) -> bool:
    """Whether the whole text is a printed time: 9月1日-11月30日, 9月中旬, 全年, 9月底截止."""
    m = _TIME.match(text)
    return m is not None and m.end() == len(text) and bool(text)


def time_place(cell: str) -> tuple[str, str | None]:
    """A 时间地点 cell as (time, place): "9月7日-9日，合肥", "9 月-10 月 (线上答题)", "8 月 23 日 2000 年酒店"."""
    cell = cell.strip()
    m = re.match(r"^(.+?)\s*[，,]\s*(.+)$", cell)
    if m and is_time(m[1]):
        return m[1], m[2]
    m = re.match(r"^(.+?)\s*[（(]([^（）()]+)[)）]$", cell)
    if m and is_time(m[1]):
        return m[1], m[2]
    m = _TIME.match(cell)
    if m and m.end() and cell[m.end():].strip() and cell[m.end()] == " ":
        return cell[:m.end()].strip(), cell[m.end():].strip()
    return cell, None


def details(cell: str) -> str | list[str]:
    """主要内容: a list when the cell holds numbered points (1. …; 2. … or <li> items), else the text."""
    if "<li" in cell:
        items = [re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li[^>]*>(.*?)</li>", cell, re.S)]
        return [slogan(i) for i in items if i] or re.sub(r"<[^>]+>", "", cell).strip()
    parts = re.split(r"(?:^|(?<=[;；。\n]))\s*(\d{1,2})\s*[.．、]\s*", cell)
    # parts: [before, "1", text, "2", text, ...] when numbered
    numbers = parts[1::2]
    if len(numbers) >= 2 and not parts[0].strip() and numbers == [str(i) for i in range(1, len(numbers) + 1)]:
        return [p.strip() for p in parts[2::2]]
    return cell.strip()


# --- contacts ----------------------------------------------------------------------------

_LABELS = {
    "mixed": r"联系人及(?:联系)?(?:电话|方式)|联\s?系\s?方\s?式|联系人和电话",
    "people": r"联\s?系\s?人",
    "phones": r"(?:联\s?系\s?)?电\s?话|手\s?机|座\s?机",
    "fax": r"传\s?真",
    "emails": r"[Ee]-?[Mm]ail|电子邮箱|电子邮件|邮\s?箱",
    "address": r"(?:通讯|联系|邮寄|办公)?地\s?址",
    "postcode": r"邮\s?编|邮政编码",
    "website": r"网\s?址|网\s?站",
    "wechat": r"微信公众号|公众号",
}
_LABEL = re.compile("|".join(f"(?P<{k}>{v})\\s*[:：]" for k, v in _LABELS.items()))
_AREA = re.compile(r"^(?P<area>[（(]0\d{2,3}[)）]|0\d{2,3}-)(?P<local>\d{7,8})$")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE_ONLY = re.compile(r"^(?:[（(]?0\d{2,3}[)）-]?\s?)?\d{7,8}$|^1[3-9]\d{9}$")


def contact_fields(line: str) -> list[tuple[str, str]]:
    """The labelled parts of one line (联系人：… 电话：…), as (field, value); [] if it starts with no label."""
    matches = list(_LABEL.finditer(line))
    if not matches or matches[0].start() != 0:
        return []
    out = []
    for m, nxt in zip(matches, matches[1:] + [None]):
        value = line[m.end(): nxt.start() if nxt else len(line)].strip(" ，,；;")
        out.append((m.lastgroup or "", value))
    return out


def phones(value: str) -> tuple[list[str], list[str]]:
    """Phone and fax numbers of one 电话 value; an area code printed once is shared by the numbers after it."""
    found: tuple[list[str], list[str]] = ([], [])
    area = ""
    for piece in split_top(value.rstrip("。"), "、，,；;/"):
        is_fax = bool(re.search(r"[（(]传真[)）]$", piece))
        number = re.sub(r"[（(]传真[)）]$", "", piece).strip()
        if not PHONE.fullmatch(number):
            continue  # not a number: a name or an office printed after a 电话 label is read as a contact piece
        m = _AREA.match(number)
        if m:
            area = m["area"]
        elif area and re.fullmatch(r"\d{7,8}", number):
            number = area + number
        if number:
            found[1 if is_fax else 0].append(number)
    return found


HALF_WIDTH = str.maketrans("０１２３４５６７８９－—–＠．", "0123456789---@.")  # in numbers and addresses only
PHONE = re.compile(r"(?<![\d-])(?:1[3-9]\d(?:[ -]?\d{4}){2}|400-?\d{3}-?\d{4}"
                   r"|(?:[（(]0\d{2,3}[)）]\s?|0\d{2,3}-)?\d{7,8}(?:-\d{1,5})?)(?![\d])")
_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")


def contact_pieces(value: str) -> dict[str, list[str]]:
    """A contact value in any order (张三，025-8335 8012；市经信局 孙立（0574-…）) sorted into what each piece is.

    Numbers go to phones (or fax, marked （传真）; an area code printed once is shared), e-mail addresses to
    emails, names of offices to organization, two-to-four-character names to people; nothing else is kept."""
    out: dict[str, list[str]] = {"organization": [], "people": [], "phones": [], "fax": [], "emails": []}
    out["emails"] = EMAIL.findall(value)
    rest = EMAIL.sub(" ", value)
    for m in re.finditer(rf"({PHONE.pattern})\s*([（(]传真[)）])?", rest):
        out["fax" if m[2] else "phones"].append(m[1].strip())
    rest = re.sub(rf"(?:{PHONE.pattern})\s*(?:[（(]传真[)）])?", " ", rest)
    shared = phones("、".join(out["phones"]))[0] if out["phones"] else []
    out["phones"] = shared or out["phones"]
    for piece in re.split(r"[、，,；;。:：\s（()）]+", rest):
        piece = re.sub(r"^(?:电话|手机|传真|联系人|邮箱)$", "", piece)
        if piece and ORG_SUFFIX.search(piece) and len(piece) >= 3:
            out["organization"].append(piece)
        elif _NAME.match(piece):
            out["people"].append(piece)
    return out


def office_line(text: str) -> dict[str, object] | None:
    """机构 姓名 电话 on one line (湖南省教育厅 颜慧林 84715494; 张 健 letter-spaced) as a contact; None otherwise."""
    m = re.fullmatch(rf"(\S{{3,25}})\s+([\u4e00-\u9fff](?: ?[\u4e00-\u9fff]){{1,3}})\s+({PHONE.pattern})", text.strip())
    if not m or not is_org_line(m[1]):
        return None
    return {"organization": m[1], "people": [m[2]], "phones": [m[3]]}


def people(value: str) -> tuple[str | None, list[str]]:
    """联系人 value as (organisation, names): "市场监管总局质量发展局 蔡煜刚" -> ("市场监管总局质量发展局", ["蔡煜刚"])."""
    pieces = contact_pieces(value)
    if pieces["phones"] or pieces["emails"]:
        return next(iter(pieces["organization"]), None), pieces["people"]
    org = None
    parts = split_top(value, "、，,；; ")
    if len(parts) > 1 and ORG_SUFFIX.search(parts[0]) and len(parts[0]) >= 3:
        org, parts = parts[0], parts[1:]
    return org, parts


def wechat_in_text(text: str) -> list[str]:
    """Account names quoted before 公众号 in running text: 请关注“珠海市质量协会”“珠海质协 ZAQ”公众号."""
    m = re.search(r"((?:“[^”]{2,30}”\s*(?:和|、)?\s*)+)(?:微信)?公众号", text)
    return re.findall(r"“([^”]+)”", m[1]) if m else []
