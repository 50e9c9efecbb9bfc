"""The content model: frozen dataclasses for the site settings and a campaign.

Field metadata drives validation and the JSON Schema (qm_site.schema):
`doc` describes the field (shown in editors), `min_items` rejects empty lists,
`pattern` constrains text (`item_pattern` each text of a list), `file` marks a path to a Markdown file beside the YAML,
`ref` names the collection an id must exist in, `parse` reads a friendly text form into
the field's type. For `build.py new` (qm_site.scaffold), `carry` marks structure that next
year's campaign keeps (ids, file names, table layout, poster style) and `template` a list of
which one item is kept as a pattern; every other field is a fact of its year and starts
empty or as 待填写. Fields named `loc` are internal. For the web editor (qm_site.site.admin), `hint` explains a
field in Chinese under its label (the Chinese half of `doc`), `labels` names a choice's values in Chinese and
`renumber` marks a row number the editor renumbers by position when it saves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Literal, TypeVar

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
TO_FILL = "待填写"  # what `new` writes where a fact of the new year goes; check will not publish it
RGB = r"^#[0-9a-fA-F]{6}$"
_PERCENT = r"(100|[1-9]?[0-9])"
CMYK = rf"^C{_PERCENT} M{_PERCENT} Y{_PERCENT} K{_PERCENT}$"  # ink percentages as print people write them
LANGUAGE_NAMES = {"zh_CN": "中文", "en": "英文"}
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
POSTCODE = r"^[0-9]{6}$"
# A phone or fax number as notices print it: digits with an area code in brackets or before a hyphen, spaces, a leading +,
# an extension after 转 (010-82262033, （0756）2661370, 400-123-4567, +86 10 8226 2033, 010-82262033转8012); no words.
PHONE = r"^[+（(]?[0-9][0-9 ()（）-]{5,}[0-9](?:\s*转\s*[0-9]{1,6})?$"
WEB_ADDRESS = r"^(?:https?://)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::[0-9]+)?(?:/\S*)?$"  # www.njcaq.org, https://…/path
BASE_URL = r"^https?://[^\s/]+(/[^\s]*)?/$"
CAMPAIGN_ID = r"^\d{4}-[a-z0-9]+(?:-[a-z0-9]+)*$"  # a campaign's folder name: 2022-national


@dataclass(frozen=True, slots=True)
class Loc:
    """Where a value was written: file, line and column (1-based)."""

    path: str = ""
    line: int = 0
    column: int = 0


NOWHERE = Loc()


def _f(doc: str, default=..., **meta):
    """A dataclass field with schema metadata; `...` means required."""
    meta["doc"] = doc
    if default is ...:
        return field(metadata=meta)
    if isinstance(default, (list, dict)):
        return field(default_factory=partial(type(default), default), metadata=meta)
    return field(default=default, metadata=meta)


def _loc():
    return field(default=NOWHERE, compare=False, repr=False, metadata={"internal": True})


# --- site settings ------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class PosterFormat:
    """A print format for slogan posters and banners."""

    id: str = _f("格式代号 / format id used in URLs and PDF names, e.g. a4", pattern=SLUG, hint="用于网址和 PDF 文件名，例如 a4")
    name: str = _f("格式名称 / label shown to designers, e.g. A4 竖版", hint="设计人员看到的名称，例如 A4 竖版")
    width_mm: float = _f("成品宽度（毫米）/ trimmed width in mm", minimum=50, maximum=5000)
    height_mm: float = _f("成品高度（毫米）/ trimmed height in mm", minimum=50, maximum=5000)
    vertical: bool = _f("竖排文字 / set text vertically (writing-mode: vertical-rl)", False, hint="文字竖向排列")
    one_line: bool = _f("单行 / keep each slogan on one line (banners)", False, hint="每条口号排成一行（横幅）")
    loc: Loc = _loc()


DEFAULT_FORMATS = (
    PosterFormat(id="a4", name="A4 竖版海报", width_mm=210, height_mm=297),
    PosterFormat(id="a3", name="A3 竖版海报", width_mm=297, height_mm=420),
    PosterFormat(id="banner", name="横幅", width_mm=3000, height_mm=700, one_line=True),
    PosterFormat(id="vertical-banner", name="竖幅", width_mm=700, height_mm=3000, vertical=True),
)


@dataclass(frozen=True, kw_only=True, slots=True)
class PosterStyle:
    """Colours, issuer line and logo of posters; every field optional so campaigns can override one."""

    background: str | None = _f("底色（屏幕）/ background colour on screens, e.g. \"#b71c1c\"", None, pattern=RGB,
                                hint="网页上的底色，例如 #b71c1c")
    background_cmyk: str | None = _f("底色（印刷）/ background colour in print, e.g. \"C0 M100 Y100 K10\"", None, pattern=CMYK,
                                     hint="印刷用的底色，例如 C0 M100 Y100 K10")
    color: str | None = _f("文字颜色（屏幕）/ text colour on screens", None, pattern=RGB, hint="网页上的文字颜色，例如 #ffffff")
    color_cmyk: str | None = _f("文字颜色（印刷）/ text colour in print, e.g. \"C0 M0 Y0 K0\" (paper white)", None, pattern=CMYK,
                                hint="印刷用的文字颜色，例如 C0 M0 Y0 K0（纸白）")
    accent: str | None = _f("点缀色（屏幕）/ accent colour for the year and rules on screens", None, pattern=RGB,
                            hint="网页上年份和线条的颜色")
    accent_cmyk: str | None = _f("点缀色（印刷）/ accent colour in print", None, pattern=CMYK, hint="印刷用的点缀色")
    style: Literal["official", "light"] | None = _f(
        "海报样式 / poster style: official (red ground, white text; the default) or light (paper ground, red text)", None,
        hint="红色正式：红底白字（默认）；浅色：浅底红字，省墨，适合室内张贴", labels={"official": "红色正式", "light": "浅色"})
    issuer_line: str | None = _f("落款 / issuer line printed at the foot (default: the campaign issuer)", None,
                                 hint="印在海报底部（不填则用发文单位）")
    logo: str | None = _f("标志 / logo image (SVG or PNG) in content/assets/, e.g. logo.svg", None,
                          hint="content/assets/ 中的 SVG 或 PNG 图片，例如 logo.svg")
    formats: list[PosterFormat] | None = _f("海报格式 / poster formats (default: A4, A3, 横幅, 竖幅)", None, min_items=1,
                                            hint="不填则为 A4、A3、横幅、竖幅")
    loc: Loc = _loc()


# --- who runs the site (issue 34: going live as a government or association site) -------------------------------

_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"  # the one-character names filing numbers start with
# 网站标识码 of 《政府网站发展指引》: ten characters, a six-digit division code and four digits (1100000088), or bm and eight
# digits for a State Council department's site (bm30000012).
SITE_CODE = r"^(?:[0-9]{10}|bm[0-9]{8})$"
# ICP备案号 as MIIT issues it: 京ICP备12345678号, or with the site's number within the filing: 京ICP备2021012345号-1.
ICP = rf"^[{_PROVINCES}]ICP备[0-9]{{6,12}}号(?:-[0-9]{{1,3}})?$"
# 公安机关备案号: 京公网安备 11010502030143号; the 14 digits are the record code the filing site looks up.
POLICE_RECORD = rf"^[{_PROVINCES}]公网安备\s?([0-9]{{14}})号$"


@dataclass(frozen=True, kw_only=True, slots=True)
class Owner:
    """Who runs the site (主办单位, 承办单位) and how readers reach them: shown in every page's footer."""

    name: str | None = _f("主办单位 / the organisation the site belongs to", None, hint="网站的主办单位，显示在每页底部")
    operator: str | None = _f("承办单位 / the office that runs the site for it", None, hint="承办网站的单位（可不填）")
    phone: str | None = _f("联系电话 / the site's contact phone", None, pattern=PHONE, hint="例如 010-82262033")
    email: str | None = _f("联系邮箱 / the site's contact e-mail", None, pattern=EMAIL, hint="例如 web@example.gov.cn")
    address: str | None = _f("地址 / postal address", None, hint="通信地址")
    loc: Loc = _loc()


@dataclass(frozen=True, kw_only=True, slots=True)
class Gov:
    """Filing numbers and platform snippets a site hosted in mainland China shows; every one optional."""

    site_code: str | None = _f("网站标识码 / government website identifier, e.g. 1100000088 or bm30000012", None, pattern=SITE_CODE,
                               hint="政府网站的网站标识码，例如 1100000088 或 bm30000012；协会网站不填")
    icp: str | None = _f("ICP备案号 / ICP filing number, e.g. 京ICP备12345678号-1", None, pattern=ICP,
                         hint="工业和信息化部的 ICP 备案号，例如 京ICP备12345678号-1")
    police_record: str | None = _f("公安机关备案号 / public security filing number, e.g. 京公网安备 11010502030143号", None,
                                   pattern=POLICE_RECORD, hint="例如 京公网安备 11010502030143号")
    badge_html: str | None = _f("党政机关网站标识 / the 党政机关网站标识 code as the registration site gives it (a <script src>)",
                                None, long=True, hint="按开办网站时取得的代码原样粘贴（<script src=…>）")
    correction_html: str | None = _f("纠错 / the 政府网站找错 (纠错) code as the platform gives it (a <script src>)", None,
                                     long=True, hint="按全国政府网站找错平台给出的代码原样粘贴")
    head_html: str | None = _f("页头代码 / HTML added to every page's <head>, e.g. the supervising platform's analytics", None,
                               long=True, hint="加在每页 <head> 中的代码，例如监管平台的统计代码")
    footer_html: str | None = _f("页脚代码 / HTML added at the end of every page's footer", None, long=True,
                                 hint="加在每页底部的代码")
    loc: Loc = _loc()


SNIPPETS = ("badge_html", "correction_html", "head_html", "footer_html")  # Gov's HTML slots, checked against the CSP


@dataclass(frozen=True, kw_only=True, slots=True)
class Theme:
    """The site's identity on screens: colours, logo and key visual; unset fields keep qm-site's red and cream."""

    primary: str | None = _f("主色（屏幕）/ main colour: the header, buttons and headings, white text on it, e.g. \"#1d4f91\"",
                             None, pattern=RGB, hint="页头、按钮和标题的颜色，其上是白色文字，例如 #1d4f91")
    primary_cmyk: str | None = _f("主色（印刷）/ main colour in print (default: derived from the screen colour)", None,
                                  pattern=CMYK, hint="印刷用的主色，例如 C90 M60 Y0 K10（不填则由屏幕颜色换算）")
    accent: str | None = _f("点缀色（屏幕）/ accent: focus rings and side rules, e.g. \"#b8860b\"", None, pattern=RGB,
                            hint="焦点框和侧边线的颜色，例如 #b8860b")
    accent_cmyk: str | None = _f("点缀色（印刷）/ accent colour in print (default: derived)", None, pattern=CMYK,
                                 hint="印刷用的点缀色（不填则由屏幕颜色换算）")
    paper: str | None = _f("底色 / page background, dark text on it, e.g. \"#fffdf8\"", None, pattern=RGB,
                           hint="网页的底色，其上是深色文字，例如 #fffdf8")
    logo: str | None = _f("标志 / logo (SVG or PNG) in content/assets/, shown in the header and on posters, e.g. logo.svg",
                          None, hint="content/assets/ 中的 SVG 或 PNG 图片，显示在页头和海报上，例如 logo.svg")
    key_visual: str | None = _f("主视觉 / banner picture of every campaign's home page (SVG, PNG, JPEG or WebP in "
                                "content/assets/, at least 960 px wide, 2:1 to 6:1)", None,
                                hint="活动首页顶部的横幅图片：content/assets/ 中的图片，宽至少 960 像素，宽高比 2:1 至 6:1")
    loc: Loc = _loc()


@dataclass(frozen=True, kw_only=True, slots=True)
class GongwenFonts:
    """The office's own (licensed) fonts for the 公文 PDFs: files in the content folder, never published on the site."""

    fangsong: str | None = _f("仿宋 / font file for the body text (仿宋_GB2312), relative to the content folder, e.g. "
                              "fonts/fangsong_gb2312.ttf (default: Noto Serif CJK SC)", None,
                              hint="正文用的仿宋字体文件，相对于内容文件夹，例如 _fonts/fangsong_gb2312.ttf；"
                                   "不填则用 Noto Serif CJK SC")
    xiaobiaosong: str | None = _f("小标宋 / font file for the 版头 and titles (方正小标宋), e.g. _fonts/fzxbsjw.ttf "
                                  "(default: Noto Serif CJK SC Bold)", None,
                                  hint="发文机关标志和标题用的小标宋字体文件；不填则用 Noto Serif CJK SC 粗体")
    heiti: str | None = _f("黑体 / font file for the 一级标题 (黑体), e.g. _fonts/simhei.ttf (default: Noto Sans CJK SC)", None,
                           hint="一级标题用的黑体字体文件；不填则用 Noto Sans CJK SC")
    kaiti: str | None = _f("楷体 / font file for the 二级标题 (楷体_GB2312), e.g. _fonts/kaiti_gb2312.ttf (default: AR PL UKai "
                           "CN, then Noto Serif CJK SC)", None, hint="二级标题用的楷体字体文件；不填则用 AR PL UKai CN")
    loc: Loc = _loc()


@dataclass(frozen=True, kw_only=True, slots=True)
class GongwenSettings:
    """How the 公文 PDFs are printed: which notices are the site's own, and how another issuer's notice is marked."""

    own_issuers: list[str] = _f("本站发文单位 / issuers whose notices are this site's own: printed with their red 版头 and "
                                "no mark", [], hint="本站自己的发文单位；它们的通知印红色版头，不加转载说明")
    reproduction: Literal["note", "black", "none"] = _f(
        "转载标记 / how another issuer's notice is marked in its 公文 PDF: note (a line above the 版头), black (the 版头 "
        "in black), none", "note", hint="其他单位的通知在公文 PDF 中如何标明是转载排版",
        labels={"note": "版头上方注明“本件据公开发布的通知排版，以正式文件为准”", "black": "黑色版头", "none": "不标明"})
    fonts: GongwenFonts = _f("字体 / the office's fonts (仿宋, 小标宋, 黑体, 楷体); "
                             "the open Noto faces stand in for those not given", GongwenFonts(),
                             hint="本单位有授权的公文字体；未给出的用开源字体代替")
    loc: Loc = _loc()


@dataclass(frozen=True, kw_only=True, slots=True)
class Site:
    """Site-wide settings from content/site.yaml."""

    title: str = _f("网站名称 / site title")
    title_en: str | None = _f("英文网站名称 / English site title", None)
    description: str = _f("网站简介 / one-sentence description for search engines", hint="一句话，供搜索引擎显示")
    description_en: str | None = _f("英文简介 / English description", None)
    base_url: str = _f("网址 / public base URL, ending with /", pattern=BASE_URL,
                       hint="网站的公开地址，以 / 结尾，例如 https://zlyue.example.cn/")
    language: Literal["zh_CN", "en"] = _f("默认语言 / default language", "zh_CN", labels=LANGUAGE_NAMES)
    languages: list[Literal["zh_CN", "en"]] = _f("网站语言 / languages the site is built in", ["zh_CN", "en"], min_items=1,
                                                 labels=LANGUAGE_NAMES, hint="网站生成哪些语言")
    posters: PosterStyle = _f("海报设置 / poster settings", PosterStyle())
    theme: Theme = _f("网站外观 / the site's colours, logo and key visual (default: qm-site's red and cream)", Theme(),
                      hint="网站的颜色、标志和主视觉（不填则为默认的红色和米色）")
    gongwen: GongwenSettings = _f("公文设置 / settings of the 公文 PDFs", GongwenSettings())
    notes: list[str] = _f("编辑备注 / the editors' notes on these settings; never published, kept when the web editor saves "
                          "(YAML comments are not)", [], long=True)
    # who runs the site (issue 34): footer, page metadata, filing numbers
    owner: Owner | None = _f("网站主办 / who runs the site: 主办单位, 承办单位 and contact, shown in every footer", None,
                             hint="网站的主办、承办单位和联系方式，显示在每页底部")
    gov: Gov | None = _f("备案与标识 / filing numbers (网站标识码, ICP, 公安) and platform code snippets", None,
                         hint="网站标识码、ICP 备案号、公安机关备案号，以及党政机关标识、纠错和统计代码")
    loc: Loc = _loc()


# --- a campaign ---------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class Period:
    """A date range, both ends included."""

    start: dt.date = _f("开始日期 / first day, e.g. 2022-09-01", hint="例如 2022-09-01")
    end: dt.date = _f("结束日期 / last day, e.g. 2022-09-30", hint="例如 2022-09-30")
    loc: Loc = _loc()


@dataclass(frozen=True, kw_only=True, slots=True)
class Activity:
    """One row of a schedule table."""

    no: int | None = _f("序号 / row number as printed; leave out for a row without one", None, minimum=0, renumber=True,
                        hint="网页编辑器保存时按行的顺序重新编号；原文这一行没有序号时取消勾选")
    name: str = _f("活动名称 / activity name")
    name_en: str | None = _f("英文活动名称 / English name", None)
    time: str | None = _f("时间 / when, as printed: 9月1日-11月30日, 9月中旬, 全年", None,
                          hint="按原文填写，例如 9月1日-11月30日、9月中旬、全年")
    place: str | None = _f("地点 / where, as printed: 合肥, 在线答题", None, hint="按原文填写，例如 合肥、在线答题")
    start: dt.date | None = _f("开始日期 / explicit first day, overrides parsing `time`", None,
                               hint="明确的开始日期，优先于“时间”中的日期")
    end: dt.date | None = _f("结束日期 / explicit last day, overrides parsing `time`", None,
                             hint="明确的结束日期，优先于“时间”中的日期")
    mode: Literal["online", "offline", "mixed"] | None = _f(
        "形式 / online, offline or mixed (default: guessed from place: 在线/线上)", None,
        hint="不填时按地点判断：地点含“在线”“线上”为线上", labels={"online": "线上", "offline": "线下", "mixed": "线上线下"})
    details: str | list[str] | None = _f("主要内容 / what happens: text, or a list of points", None,
                                         hint="一段文字；或每行以“- ”开头的要点列表")
    loc: Loc = _loc()


@dataclass(frozen=True, kw_only=True, slots=True)
class Schedule:
    """A captioned schedule table (活动安排)."""

    id: str = _f("表格代号 / id used in links and by attachments, e.g. activities", pattern=SLUG, carry=True,
                 hint="用于链接和附件，例如 activities")
    caption: str = _f("表格标题 / caption, e.g. 2022年珠海市质量协会“质量月”系列活动安排",
                      hint="例如 2022年珠海市质量协会“质量月”系列活动安排")
    caption_en: str | None = _f("英文标题 / English caption", None)
    time_heading: str = _f("时间列标题 / heading of the time column", "时间", carry=True)
    place_heading: str = _f("地点列标题 / heading of the place column", "地点", carry=True)
    merge_time_place: bool = _f("合并时间地点 / show time and place in one column, as in 时间地点", False, carry=True,
                                hint="时间和地点合为一列，如原文的“时间地点”")
    note: str | None = _f("表注 / note under the table (注：…)", None, hint="表格下方的注（注：…）")
    rows: list[Activity] = _f("活动 / the rows", min_items=1, template=True, hint="表格的各行")
    loc: Loc = _loc()


@dataclass(frozen=True, kw_only=True, slots=True)
class Slogan:
    """One slogan (口号); its halves are separated by a space."""

    text: str = _f("口号 / the slogan, halves separated by a space", hint="上下句用空格分开")
    en: str | None = _f("英文 / English translation", None, hint="英文译文，可不填")
    loc: Loc = _loc()


@dataclass(frozen=True, kw_only=True, slots=True)
class SloganGroup:
    """A titled list of slogans, e.g. 全国“质量月”活动口号."""

    id: str = _f("分组代号 / group id, e.g. national", pattern=SLUG, carry=True, hint="例如 national")
    title: str = _f("分组标题 / group title")
    title_en: str | None = _f("英文标题 / English title", None)
    items: list[Slogan | str] = _f("口号 / the slogans, in order", min_items=1, hint="按原文的顺序")
    loc: Loc = _loc()


def spaced(text: str) -> str:
    """A slogan or theme with each run of white space as one space: how it is shown, and compared with another."""
    return " ".join(text.split())  # the same white space as \s (str.isspace); 10x faster than re.sub, called 100k times


T = TypeVar("T")


def theme_first(theme: T | None, slogans: Iterable[T], text: Callable[[T], str]) -> list[T]:
    """What gets a poster, in order: the theme, then every slogan not printed already (a theme often recurs as
    slogan 1, spaced alike or not). One rule for the posters (printing) and the site's views of them (pages)."""
    first: dict[str, T] = {}
    for item in ([theme] if theme else []) + list(slogans):
        first.setdefault(spaced(text(item)), item)
    return list(first.values())


@dataclass(frozen=True, kw_only=True, slots=True)
class Contact:
    """A contact block (联系方式)."""

    organization: str | None = _f("单位 / organisation or department", None, hint="单位或部门")
    people: list[str] = _f("联系人 / contact people", [])
    phones: list[str] = _f("电话 / phone numbers as printed", [], item_pattern=PHONE,
                           hint="按原文填写，例如 010-82262033、（0756）2661370、13851528648")
    fax: list[str] = _f("传真 / fax numbers", [], item_pattern=PHONE, hint="按原文填写，例如 010-82260622")
    emails: list[str] = _f("邮箱 / e-mail addresses", [], item_pattern=EMAIL, hint="例如 name@example.com")
    address: str | None = _f("地址 / postal address", None, hint="通信地址")
    postcode: str | None = _f("邮编 / postcode", None, pattern=POSTCODE, hint="六位数字，例如 519000")
    website: str | None = _f("网址 / website, e.g. www.njcaq.org", None, pattern=WEB_ADDRESS, hint="例如 www.njcaq.org")
    wechat: list[str] = _f("微信公众号 / WeChat official accounts", [])
    loc: Loc = _loc()


@dataclass(frozen=True, kw_only=True, slots=True)
class Attachment:
    """An attachment (附件): a schedule table, slogan groups, or a Markdown file."""

    number: int | None = _f("附件编号 / number as printed (default: position)", None, minimum=1, carry=True,
                            hint="按原文填写（不填则按顺序编号）")
    numbered: bool = _f("有编号 / printed with its number (附件1); false for a notice's only attachment printed as 附件 alone",
                        True, carry=True, hint="原文只有一个附件、只写“附件”不带编号时取消勾选")
    title: str = _f("附件标题 / title")
    title_en: str | None = _f("英文标题 / English title", None)
    schedule: str | None = _f("活动表 / id of a schedule table", None, ref="schedules", carry=True,
                              hint="作为附件的活动安排表格的代号")
    slogans: list[str] | None = _f("口号分组 / ids of slogan groups", None, ref="slogans", min_items=1, carry=True,
                                   hint="作为附件的口号分组的代号")
    file: str | None = _f("正文文件 / a Markdown file beside campaign.yaml", None, file=True, carry=True,
                          hint="与 campaign.yaml 同一文件夹中的 Markdown 文件，例如 attachment-1.md")
    loc: Loc = _loc()


@dataclass(frozen=True, kw_only=True, slots=True)
class Review:
    """One guess or doubt of `build.py import`, still to be checked against the notice (an open item of the review)."""

    field: str = _f("字段 / the key path it concerns: issuer, schedules.0.rows.3.time, or notice for notice.md",
                    hint="所涉及的字段，例如 issuer、schedules.0.rows.3.time；notice 指正文 notice.md")
    guess: str | None = _f("导入时的猜测 / the value as the import guessed it", None, long=True, hint="导入时填入的内容")
    why: str = _f("原因 / why it needs a person's eye", long=True, hint="为什么需要人工核对")
    loc: Loc = _loc()


@dataclass(frozen=True, kw_only=True, slots=True)
class Campaign:
    """A campaign notice: content/<id>/campaign.yaml."""

    year: int = _f("年份 / campaign year", minimum=1978, maximum=2100)
    slug: str = _f("网址名 / short name in the URL /<year>/<slug>/, e.g. national", pattern=SLUG,
                   hint="网址 /年份/网址名/ 中的短名，例如 national")
    title: str = _f("通知标题 / notice title")
    title_en: str | None = _f("英文标题 / English title", None)
    draft: bool = _f("草稿 / a draft is shown by `serve` but left out of `build`", False, hint="草稿在预览中显示，但不发布")
    incomplete: str | None = _f("未录完 / why the campaign is not complete yet, e.g. 附件2尚未录入: kept off the public site until "
                                "removed", None, hint="说明尚未录完的内容，例如 附件2尚未录入；删除这一项之前不在公开网站上显示")
    copied_from: str | None = _f("复制自 / the campaign `new` started this one from; check compares them before publishing",
                                 None, pattern=CAMPAIGN_ID, hint="本活动由哪个活动复制而来；发布前检查会与之比较")
    confirmed_same: list[Literal["slogans", "attachments", "contacts"]] = _f(
        "确认沿用 / parts that are rightly the same as in copied_from (check then stops asking)", [],
        hint="确实与复制来源相同的部分（检查不再提醒）", labels={"slogans": "口号", "attachments": "附件", "contacts": "联系方式"})
    doc_number: str | None = _f("文号 / document number, e.g. 国质检质联〔2014〕432号", None, hint="例如 国质检质联〔2014〕432号")
    issuer: str = _f("发文单位 / issuing organisation")
    issuer_label: str | None = _f("署名 / how the issuer is named in lists, e.g. 市场监管总局等21部门", None,
                                  hint="在列表中如何称呼发文单位，例如 市场监管总局等21部门")
    co_issuers: list[str] = _f("联合发文单位 / co-issuers", [])
    recipients: list[str] = _f("主送 / recipients", [])
    recipients_printed: str | None = _f(
        "主送原文 / the 主送 line as printed, its separators kept (各省、自治区…局，党委宣传部); shown instead of `recipients` "
        "joined with ，", None, hint="按原文照录（保留原文的、和，），不含“主送：”和句末标点；填写后网页按此显示")
    recipients_position: Literal["top", "footer"] = _f(
        "主送位置 / where 主送 is printed: top (salutation) or footer (版记, for widely distributed notices)", "top", carry=True,
        hint="主送印在正文开头（称呼），或印在版记中（发送范围广的通知）", labels={"top": "主送在开头", "footer": "在版记"})
    copies: list[str] = _f("抄送 / copied to", [])
    copies_printed: str | None = _f(
        "抄送原文 / the 抄送 line as printed, its separators kept (国家药监局、国家知识产权局，有关联合会); shown instead of "
        "`copies` joined with ，", None, hint="按原文照录（保留原文的、和，），不含“抄送：”和句末“。”；填写后网页按此显示")
    issue_date: dt.date | None = _f("印发日期 / date of issue, e.g. 2022-08-22", None, hint="例如 2022-08-22")
    printed_by: str | None = _f("印发机关 / office that printed the notice", None, hint="印发通知的机关")
    publication_note: str | None = _f("公开方式 / e.g. 此件公开发布", None, hint="例如 此件公开发布")
    period: Period | str | None = _f("活动时间 / campaign period, e.g. 9月1日-30日 or start/end dates (default: September)", None,
                                     parse="period",
                                     hint="按原文填写，例如 9月1日-30日；或写成 2023-09-01 至 2023-09-30（不填则为九月）")
    theme: str | None = _f("活动主题 / the campaign theme", None)
    theme_en: str | None = _f("英文主题 / English theme", None)
    summary: str | None = _f("摘要 / one sentence for search engines and the home page", None, hint="一句话，用于搜索引擎和首页")
    guiding_ideology: str | None = _f("指导思想 / guiding ideology (Markdown)", None, hint="可用 Markdown")
    body: str | None = _f("正文文件 / Markdown file with the notice sections (## headings)", None, file=True, carry=True,
                          hint="含各部分（## 小标题）的 Markdown 文件")
    body_en: str | None = _f("英文正文 / English notice body, Markdown", None, file=True, carry=True,
                             hint="英文正文的 Markdown 文件")
    schedules: list[Schedule] = _f("活动安排 / schedule tables", [])
    slogans: list[SloganGroup] = _f("口号 / slogan groups", [])
    contacts: list[Contact] = _f("联系方式 / contacts", [])
    attachments: list[Attachment] = _f("附件 / attachments", [])
    posters: PosterStyle | None = _f("海报设置 / poster overrides for this campaign", None, carry=True,
                                     hint="本活动的海报设置（覆盖网站设置）")
    key_visual: str | None = _f("主视觉 / this campaign's banner picture in content/assets/ (default: site.yaml theme.key_visual)",
                                None, carry=True, hint="本活动首页顶部的横幅图片（不填则用网站设置中的主视觉）")
    notes: list[str] = _f("编辑备注 / the editors' notes: sources, corrections made to the original (fixed: …); "
                          "never published, kept when the web editor saves (YAML comments are not)", [], long=True,
                              hint="资料来源、对原文的更正（fixed: …）；不发布；网页编辑器保存时保留（YAML 注释不保留）")
    review: list[Review] = _f("审核清单 / what `build.py import` guessed or doubted: check each against the notice, then "
                              "remove its entry; never published, and check will not publish while one remains", [],
                              hint="导入时的猜测和疑问：逐条对照通知原件核对，核对后删除该条；清单未清空前不能发布")
    loc: Loc = _loc()
