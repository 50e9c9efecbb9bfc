"""The content model: frozen dataclasses for the site settings and a campaign.

Field metadata drives validation and the JSON Schema (qm_site.schema):
`doc` describes the field (shown in editors), `min_items` rejects empty lists,
`pattern` constrains text, `file` marks a path to a Markdown file beside the YAML,
`ref` names the collection an id must exist in, `parse` reads a friendly text form into
the field's type. For `build.py new` (qm_site.scaffold), `carry` marks structure that next
year's campaign keeps (ids, file names, table layout, poster style) and `template` a list of
which one item is kept as a pattern; every other field is a fact of its year and starts
empty or as 待填写. Fields named `loc` are internal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import partial
from typing import Literal

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
TO_FILL = "待填写"  # what `new` writes where a fact of the new year goes; check will not publish it
RGB = r"^#[0-9a-fA-F]{6}$"
_PERCENT = r"(100|[1-9]?[0-9])"
CMYK = rf"^C{_PERCENT} M{_PERCENT} Y{_PERCENT} K{_PERCENT}$"  # ink percentages as print people write them


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

    id: str = _f("格式代号 / format id used in URLs and PDF names, e.g. a4", pattern=SLUG)
    name: str = _f("格式名称 / label shown to designers, e.g. A4 竖版")
    width_mm: float = _f("成品宽度（毫米）/ trimmed width in mm", minimum=50, maximum=5000)
    height_mm: float = _f("成品高度（毫米）/ trimmed height in mm", minimum=50, maximum=5000)
    vertical: bool = _f("竖排文字 / set text vertically (writing-mode: vertical-rl)", False)
    one_line: bool = _f("单行 / keep each slogan on one line (banners)", False)
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

    background: str | None = _f("底色（屏幕）/ background colour on screens, e.g. \"#b71c1c\"", None, pattern=RGB)
    background_cmyk: str | None = _f("底色（印刷）/ background colour in print, e.g. \"C0 M100 Y100 K10\"", None, pattern=CMYK)
    color: str | None = _f("文字颜色（屏幕）/ text colour on screens", None, pattern=RGB)
    color_cmyk: str | None = _f("文字颜色（印刷）/ text colour in print, e.g. \"C0 M0 Y0 K0\" (paper white)", None, pattern=CMYK)
    accent: str | None = _f("点缀色（屏幕）/ accent colour for the year and rules on screens", None, pattern=RGB)
    accent_cmyk: str | None = _f("点缀色（印刷）/ accent colour in print", None, pattern=CMYK)
    issuer_line: str | None = _f("落款 / issuer line printed at the foot (default: the campaign issuer)", None)
    logo: str | None = _f("标志 / logo image (SVG or PNG) in content/assets/, e.g. logo.svg", None)
    formats: list[PosterFormat] | None = _f("海报格式 / poster formats (default: A4, A3, 横幅, 竖幅)", None, min_items=1)
    loc: Loc = _loc()


@dataclass(frozen=True, kw_only=True, slots=True)
class Site:
    """Site-wide settings from content/site.yaml."""

    title: str = _f("网站名称 / site title")
    title_en: str | None = _f("英文网站名称 / English site title", None)
    description: str = _f("网站简介 / one-sentence description for search engines")
    description_en: str | None = _f("英文简介 / English description", None)
    base_url: str = _f("网址 / public base URL, ending with /", pattern=r"^https?://[^\s/]+(/[^\s]*)?/$")
    language: Literal["zh_CN", "en"] = _f("默认语言 / default language", "zh_CN")
    languages: list[Literal["zh_CN", "en"]] = _f("网站语言 / languages the site is built in", ["zh_CN", "en"], min_items=1)
    posters: PosterStyle = _f("海报设置 / poster settings", PosterStyle())
    notes: list[str] = _f("编辑备注 / the editors' notes on these settings; never published, kept when the web editor saves "
                          "(YAML comments are not)", [], long=True)
    loc: Loc = _loc()


# --- a campaign ---------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class Period:
    """A date range, both ends included."""

    start: dt.date = _f("开始日期 / first day, e.g. 2022-09-01")
    end: dt.date = _f("结束日期 / last day, e.g. 2022-09-30")
    loc: Loc = _loc()


@dataclass(frozen=True, kw_only=True, slots=True)
class Activity:
    """One row of a schedule table."""

    no: int | None = _f("序号 / row number as printed; leave out for a row without one", None, minimum=0)
    name: str = _f("活动名称 / activity name")
    name_en: str | None = _f("英文活动名称 / English name", None)
    time: str | None = _f("时间 / when, as printed: 9月1日-11月30日, 9月中旬, 全年", None)
    place: str | None = _f("地点 / where, as printed: 合肥, 在线答题", None)
    start: dt.date | None = _f("开始日期 / explicit first day, overrides parsing `time`", None)
    end: dt.date | None = _f("结束日期 / explicit last day, overrides parsing `time`", None)
    mode: Literal["online", "offline", "mixed"] | None = _f(
        "形式 / online, offline or mixed (default: guessed from place: 在线/线上)", None
    )
    details: str | list[str] | None = _f("主要内容 / what happens: text, or a list of points", None)
    loc: Loc = _loc()


@dataclass(frozen=True, kw_only=True, slots=True)
class Schedule:
    """A captioned schedule table (活动安排)."""

    id: str = _f("表格代号 / id used in links and by attachments, e.g. activities", pattern=SLUG, carry=True)
    caption: str = _f("表格标题 / caption, e.g. 2022年珠海市质量协会“质量月”系列活动安排")
    caption_en: str | None = _f("英文标题 / English caption", None)
    time_heading: str = _f("时间列标题 / heading of the time column", "时间", carry=True)
    place_heading: str = _f("地点列标题 / heading of the place column", "地点", carry=True)
    merge_time_place: bool = _f("合并时间地点 / show time and place in one column, as in 时间地点", False, carry=True)
    note: str | None = _f("表注 / note under the table (注：…)", None)
    rows: list[Activity] = _f("活动 / the rows", min_items=1, template=True)
    loc: Loc = _loc()


@dataclass(frozen=True, kw_only=True, slots=True)
class Slogan:
    """One slogan (口号); its halves are separated by a space."""

    text: str = _f("口号 / the slogan, halves separated by a space")
    en: str | None = _f("英文 / English translation", None)
    loc: Loc = _loc()


@dataclass(frozen=True, kw_only=True, slots=True)
class SloganGroup:
    """A titled list of slogans, e.g. 全国“质量月”活动口号."""

    id: str = _f("分组代号 / group id, e.g. national", pattern=SLUG, carry=True)
    title: str = _f("分组标题 / group title")
    title_en: str | None = _f("英文标题 / English title", None)
    items: list[Slogan | str] = _f("口号 / the slogans, in order", min_items=1)
    loc: Loc = _loc()


@dataclass(frozen=True, kw_only=True, slots=True)
class Contact:
    """A contact block (联系方式)."""

    organization: str | None = _f("单位 / organisation or department", None)
    people: list[str] = _f("联系人 / contact people", [])
    phones: list[str] = _f("电话 / phone numbers as printed", [])
    fax: list[str] = _f("传真 / fax numbers", [])
    emails: list[str] = _f("邮箱 / e-mail addresses", [], item_pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    address: str | None = _f("地址 / postal address", None)
    postcode: str | None = _f("邮编 / postcode", None, pattern=r"^[0-9]{6}$")
    website: str | None = _f("网址 / website, e.g. www.njcaq.org", None)
    wechat: list[str] = _f("微信公众号 / WeChat official accounts", [])
    loc: Loc = _loc()


@dataclass(frozen=True, kw_only=True, slots=True)
class Attachment:
    """An attachment (附件): a schedule table, slogan groups, or a Markdown file."""

    number: int | None = _f("附件编号 / number as printed (default: position)", None, minimum=1, carry=True)
    title: str = _f("附件标题 / title")
    title_en: str | None = _f("英文标题 / English title", None)
    schedule: str | None = _f("活动表 / id of a schedule table", None, ref="schedules", carry=True)
    slogans: list[str] | None = _f("口号分组 / ids of slogan groups", None, ref="slogans", min_items=1, carry=True)
    file: str | None = _f("正文文件 / a Markdown file beside campaign.yaml", None, file=True, carry=True)
    loc: Loc = _loc()


@dataclass(frozen=True, kw_only=True, slots=True)
class Campaign:
    """A campaign notice: content/<id>/campaign.yaml."""

    year: int = _f("年份 / campaign year", minimum=1978, maximum=2100)
    slug: str = _f("网址名 / short name in the URL /<year>/<slug>/, e.g. national", pattern=SLUG)
    title: str = _f("通知标题 / notice title")
    title_en: str | None = _f("英文标题 / English title", None)
    draft: bool = _f("草稿 / a draft is shown by `serve` but left out of `build`", False)
    incomplete: str | None = _f("未录完 / why the campaign is not complete yet, e.g. 附件2尚未录入: kept off the public site until "
                                "removed", None)
    copied_from: str | None = _f("复制自 / the campaign `new` started this one from; check compares them before publishing",
                                 None, pattern=r"^\d{4}-[a-z0-9]+(?:-[a-z0-9]+)*$")
    confirmed_same: list[Literal["slogans", "attachments", "contacts"]] = _f(
        "确认沿用 / parts that are rightly the same as in copied_from (check then stops asking)", [])
    doc_number: str | None = _f("文号 / document number, e.g. 国质检质联〔2014〕432号", None)
    issuer: str = _f("发文单位 / issuing organisation")
    issuer_label: str | None = _f("署名 / how the issuer is named in lists, e.g. 市场监管总局等21部门", None)
    co_issuers: list[str] = _f("联合发文单位 / co-issuers", [])
    recipients: list[str] = _f("主送 / recipients", [])
    recipients_position: Literal["top", "footer"] = _f(
        "主送位置 / where 主送 is printed: top (salutation) or footer (版记, for widely distributed notices)", "top", carry=True
    )
    copies: list[str] = _f("抄送 / copied to", [])
    issue_date: dt.date | None = _f("印发日期 / date of issue, e.g. 2022-08-22", None)
    printed_by: str | None = _f("印发机关 / office that printed the notice", None)
    publication_note: str | None = _f("公开方式 / e.g. 此件公开发布", None)
    period: Period | str | None = _f("活动时间 / campaign period, e.g. 9月1日-30日 or start/end dates (default: September)", None,
                                     parse="period")
    theme: str | None = _f("活动主题 / the campaign theme", None)
    theme_en: str | None = _f("英文主题 / English theme", None)
    summary: str | None = _f("摘要 / one sentence for search engines and the home page", None)
    guiding_ideology: str | None = _f("指导思想 / guiding ideology (Markdown)", None)
    body: str | None = _f("正文文件 / Markdown file with the notice sections (## headings)", None, file=True, carry=True)
    body_en: str | None = _f("英文正文 / English notice body, Markdown", None, file=True, carry=True)
    schedules: list[Schedule] = _f("活动安排 / schedule tables", [])
    slogans: list[SloganGroup] = _f("口号 / slogan groups", [])
    contacts: list[Contact] = _f("联系方式 / contacts", [])
    attachments: list[Attachment] = _f("附件 / attachments", [])
    posters: PosterStyle | None = _f("海报设置 / poster overrides for this campaign", None, carry=True)
    notes: list[str] = _f("编辑备注 / the editors' notes: sources, corrections made to the original (fixed: …); "
                          "never published, kept when the web editor saves (YAML comments are not)", [], long=True)
    loc: Loc = _loc()
