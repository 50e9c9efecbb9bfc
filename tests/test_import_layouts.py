"""The layouts real notices use (issue 31): each parsed from a string, and the real corpus held to 0 wrong facts."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from qm_site.importing import facts
from qm_site.importing.blocks import from_text
from qm_site.importing.recognise import recognise

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import import_recall  # noqa: E402


def _draft(text: str, year: int = 2023):
    """The draft of a notice given as text."""
    return recognise(from_text(text), year)


def _todo(draft, key: str) -> list[str]:
    """The to-do notes of one key, as their message ids."""
    return [str(n.message) for n in draft.notes if n.key == key and n.todo]


# --- the theme is the theme, not its label or sentence ------------------------------------------

@pytest.mark.parametrize("line, theme", [
    ("全国统一主题:加强质量支撑 共建质量强国", "加强质量支撑 共建质量强国"),
    ("2022年“质量月”活动的主题是:“推动质量变革创新 促进质量强国建设”。", "推动质量变革创新 促进质量强国建设"),
    ("2008年质量月活动主题为:质量安全是社会和谐的基础。", "质量安全是社会和谐的基础"),
    ("匠心聚力,打造公路水运品质工程。", "匠心聚力,打造公路水运品质工程"),
    ("建设质量强国", "建设质量强国"),
])
def test_the_theme_loses_its_label_quotes_and_full_stop(line, theme):
    assert facts.theme(line) == theme


def test_a_theme_section_holding_a_sentence_is_left_to_a_person():
    text = ("关于开展质量月活动的通知\n\n各有关单位：\n\n一、活动主题\n\n"
            "今年的活动围绕质量强国建设展开。各地要结合实际确定本地主题。\n\n二、活动内容\n\n开展宣传。\n")
    draft = _draft(text)
    assert draft.fields["theme"] == "待填写"
    assert any("sentence" in m for m in _todo(draft, "theme"))


def test_the_theme_under_its_heading_is_taken_without_its_label():
    text = "关于开展质量月活动的通知\n\n各有关单位：\n\n一、活动主题\n\n全国统一主题:加强质量支撑 共建质量强国\n"
    assert _draft(text).fields["theme"] == "加强质量支撑 共建质量强国"


# --- head of a web copy ---------------------------------------------------------------------

def test_a_web_copy_printing_title_date_title_gives_one_title():
    title = "交通运输部办公厅关于开展2017年公路水运工程建设领域“质量月”活动的通知"
    text = f"{title}\n2017-09-11\n{title}\n\n各省、自治区、直辖市交通运输厅:\n\n为推进质量工作,通知如下:\n"
    fields = _draft(text, 2017).fields
    assert fields["title"] == title
    assert fields["issuer"] == "交通运输部办公厅"


# --- 主送 --------------------------------------------------------------------------------

def test_the_provinces_phrase_stays_one_recipient_even_misprinted():
    assert facts.recipients("各盛自治区、直辖市、新疆生产建设兵团交通运输厅(局、委):") == [
        "各盛自治区、直辖市、新疆生产建设兵团交通运输厅(局、委)"]


def test_a_recipient_that_is_not_part_of_the_provinces_phrase_stays_apart():
    assert facts.recipients("各省、自治区、直辖市质协，副省级城市和新疆生产建设兵团质协，各会员企业：") == [
        "各省、自治区、直辖市质协", "副省级城市和新疆生产建设兵团质协", "各会员企业"]


# --- issuers -----------------------------------------------------------------------------

def test_joint_signers_on_one_line_give_issuer_and_co_issuers_in_order():
    text = ("关于命名质量教育社会实践基地的通知\n\n各有关单位:\n\n经评审，同意命名。\n\n"
            "质检总局办公厅  教育部办公厅\n\n2013年11月11日\n")
    draft = _draft(text, 2013)
    assert draft.fields["issuer"] == "质检总局办公厅"
    assert draft.fields["co_issuers"] == ["教育部办公厅"]
    assert _todo(draft, "issuer")  # read from the signature: a person confirms


def test_a_title_wrapped_above_the_mark_is_no_issuer():
    text = ("关于“六一”期间开展中小学质量教育社会\n实践活动的通知\n湖南省教育厅\n湖南省质量技术监督局\n"
            "湘教通〔2012〕307号\n关于“六一”期间开展中小学质量教育\n社会实践活动的通知\n各市州教育局:\n正文。\n")
    fields = _draft(text, 2012).fields
    assert fields["issuer"] == "湖南省教育厅"
    assert fields["co_issuers"] == ["湖南省质量技术监督局"]


@pytest.mark.parametrize("line", ["关于开展质量教育社会", "“质量月”宣传委员会", "关于成立质量协会"])
def test_a_title_fragment_is_no_organisation(line):
    assert not facts.is_org_line(line)


# --- the corpus ------------------------------------------------------------------------------

@pytest.mark.slow
def test_the_real_corpus_has_no_wrong_or_invented_fact():
    """A wrong official fact published silently is the worst outcome: none, in any format."""
    results = import_recall.run_real(["txt", "docx", "pdf"])
    bad = [(cid, fmt, f.field, f.want, f.got) for cid, per in results.items() for fmt, r in per.items()
           for f in r["facts"] if f.outcome in ("wrong", "invented")]
    assert bad == []


@pytest.mark.slow
def test_every_real_notice_is_at_least_95_percent_right():
    results = import_recall.run_real(["txt", "docx", "pdf"])
    low = [(cid, fmt, r["counts"]["right_pct"]) for cid, per in results.items()
           for fmt, r in per.items() if (r["counts"]["right_pct"] or 0) < 95]
    assert low == []


def test_a_web_pages_heading_above_its_date_and_source_is_the_title_to_review():
    text = ("市场监管总局面向社会公开征集 2020年全国“质量月”活动口号\n  • 时间:2020-06-18 15:48 来源:市市场监督管理局\n\n"
            "全国“质量月”活动是每年9月开展的群众性质量活动。\n")
    draft = _draft(text, 2020)
    assert draft.fields["title"] == "市场监管总局面向社会公开征集 2020年全国“质量月”活动口号"
    assert _todo(draft, "title")  # a page's heading is not a 公文 title: a person confirms it
    assert "来源" not in (draft.notice or "") and "征集 2020" not in (draft.notice or "")


def test_a_first_line_without_a_date_and_source_under_it_is_not_taken_as_title():
    draft = _draft("市场监管总局面向社会公开征集活动口号\n全国“质量月”活动是每年9月开展的群众性质量活动。\n", 2020)
    assert draft.fields["title"] == "待填写"


@pytest.mark.slow
def test_the_seeds_stay_fully_right():
    results = import_recall.run_seeds(["txt", "docx"])
    for cid, per in results.items():
        for fmt, r in per.items():
            assert r["counts"]["right_pct"] == 100.0, (cid, fmt, [f for f in r["facts"] if f.outcome != "right"])


# --- the 印发-方案 layout and web copies -------------------------------------------------------

PLAN = """{top}
各设区市交通局、公路局,厅直各单位:
现将《交通行业2008年质量月活动方案》印发给你们,请抓紧组织实施。

江西省交通厅
二〇〇八年九月十八日

交通行业2008年质量月活动方案

一、活动主题

2008年质量月活动主题为:质量安全是社会和谐的基础。

二、工作要求

认真组织。

江西省交通厅办公室
2008年9月20日
"""


def test_a_cover_letter_gives_the_campaign_its_title_number_recipients_and_signature():
    title = "江西省交通厅关于印发交通行业2008年质量月活动方案的通知"
    fields = _draft(PLAN.format(top=f"{title}\n\n{title}\n(赣交基建字[2008]50号)\n"), 2008).fields
    assert fields["title"] == title  # the 方案's own title is body, not the campaign's
    assert fields["doc_number"] == "赣交基建字[2008]50号"
    assert fields["issuer"] == "江西省交通厅"
    assert "co_issuers" not in fields  # the 方案's foot is not a second signer
    assert str(fields["issue_date"]) == "2008-09-18"
    assert fields["recipients"] == ["各设区市交通局", "公路局", "厅直各单位"]
    assert fields["theme"] == "质量安全是社会和谐的基础"


def test_a_copy_that_begins_with_its_recipients_keeps_them():
    fields = _draft(PLAN.format(top=""), 2008).fields
    assert fields["recipients"] == ["各设区市交通局", "公路局", "厅直各单位"]
    assert fields["issuer"] == "江西省交通厅"


def test_a_title_wrapped_above_the_number_is_read_whole():
    text = ("福鼎市市场监督管理局关于印发2024年福鼎\n市“质量月”活动方案的通知\n鼎市监质〔2024〕70号\n"
            "各市场监管所,机关各股室:\n现印发给你们。\n")
    fields = _draft(text, 2024).fields
    assert fields["title"] == "福鼎市市场监督管理局关于印发2024年福鼎市“质量月”活动方案的通知"
    assert fields["doc_number"] == "鼎市监质〔2024〕70号"


def test_traditional_characters_keep_the_provinces_phrase_whole():
    assert facts.recipients("各省、自治區、直轄市及新疆生產建設兵團市場監管局(廳、委),黨委宣傳部:") == [
        "各省、自治區、直轄市及新疆生產建設兵團市場監管局(廳、委)", "黨委宣傳部"]


def test_a_notice_flattened_into_one_line_is_read_as_its_lines():
    text = ("各省、自治区、直辖市质量技术监督局、工商行政管理局,党委宣传部,有关企业: "
            "为促进质量强国建设,2018年9月共同开展全国“质量月”活动。现就有关事项通知如下: "
            "一、活动主题 加强市场监管 建设质量强国 二、工作要求 " + "各地要认真组织,精心安排。" * 20)
    fields = _draft(text, 2018).fields
    assert fields["recipients"] == ["各省、自治区、直辖市质量技术监督局", "工商行政管理局", "党委宣传部", "有关企业"]
    assert fields["theme"] == "加强市场监管 建设质量强国"


def test_a_long_line_without_breaks_stays_one_paragraph():
    line = "各地要认真组织,精心安排" * 40
    assert [b.text for b in from_text(line)] == [line]


# --- traditional characters, web meta lines, citing sentences, dates, letter-spaced signers ----------

def test_traditional_characters_are_recognised_and_kept_as_printed():
    text = ("關于開展2022年全國“質量月”活動的通知\n(國市監質發〔2022〕76號)\n為深入貫徹,現就有關事項通知如下:\n"
            "一、活動主題\n……\n推動質量變革創新 促進質量強國建設\n二、活動重點\n加強宣傳。\n")
    fields = _draft(text, 2022).fields
    assert fields["title"] == "關于開展2022年全國“質量月”活動的通知"
    assert fields["doc_number"] == "國市監質發〔2022〕76號"
    assert fields["theme"] == "推動質量變革創新 促進質量強國建設"  # the elision …… is no theme


def test_the_web_page_lines_under_a_title_are_no_part_of_it():
    text = ("中国质量协会关于开展2015年全国“质量月”活动的通知\n\n作者:系统管理员 发布日期:2015/09/29\n\n"
            "各省、自治区、直辖市质协,各会员企业:\n\n现就有关事项通知如下:\n")
    fields = _draft(text, 2015).fields
    assert fields["title"] == "中国质量协会关于开展2015年全国“质量月”活动的通知"
    assert fields["recipients"] == ["各省、自治区、直辖市质协", "各会员企业"]


def test_a_body_named_in_a_citing_sentence_is_not_the_issuer():
    text = ("关于印发2022年“质量月”活动方案的通知\n\n各有关单位：\n\n"
            "按照市场监管总局等21个部门关于开展全国“质量月”活动的通知要求,制定本方案。\n")
    draft = _draft(text, 2022)
    assert draft.fields["issuer"] == "待填写"
    text = "关于开展“质量月”活动的通知\n\n各有关单位：\n\n市场监管总局等21个部门定于9月开展“质量月”活动。\n"
    assert _draft(text, 2022).fields["issuer"] == "市场监管总局"


@pytest.mark.parametrize("line", ["二O一二年五月三十一日", "二○一二年五月三十一日", "二〇一二年五月三十一日"])
def test_a_signature_date_in_numerals_with_any_zero(line):
    assert facts.is_date_line(line)
    assert str(facts.cn_date(line)) == "2012-05-31"


def test_letter_spaced_signers_and_a_contact_heading_with_a_colon():
    text = ("湖南省教育厅\n湖南省质量技术监督局\n湘教通〔2012〕307号\n关于开展中小学质量教育社会实践活动的通知\n"
            "各市州教育局:\n请认真组织。\n五、联系方式:\n湖南省教育厅 颜慧林 84715494\n"
            "湖 南 省 教 育 厅 湖南省质量技术监督局\n二O一二年五月三十一日\n")
    fields = _draft(text, 2012).fields
    assert fields["issuer"] == "湖南省教育厅"
    assert fields["co_issuers"] == ["湖南省质量技术监督局"]
    assert str(fields["issue_date"]) == "2012-05-31"
    assert fields["contacts"][0]["people"] == ["颜慧林"] and fields["contacts"][0]["phones"] == ["84715494"]


# --- schedules written as numbered items --------------------------------------------------------

ITEMS = """关于开展质量月活动的通知

各有关单位:

二、活动内容

(一)举办“质量月”宣传活动。围绕商场、社区开展宣传。

活动时间:9月

活动地点:全市

牵头部门:质监股

配合部门:食药股、各分局

(二)开展计量服务活动。

活动时间:5-12月

活动范围:全市

牵头部门:质监股

(三)加强组织领导。各股室要高度重视。

牵头部门:办公室
"""


def test_numbered_items_with_time_and_place_lines_become_schedule_rows():
    draft = _draft(ITEMS, 2024)
    rows = draft.fields["schedules"][0]["rows"]
    assert [(r["no"], r["name"], r["time"], r["place"]) for r in rows] == [
        (1, "举办“质量月”宣传活动", "9月", "全市"), (2, "开展计量服务活动", "5-12月", "全市")]
    assert rows[0]["details"] == "围绕商场、社区开展宣传。牵头部门：质监股；配合部门：食药股、各分局"
    assert "加强组织领导" in draft.notice  # an item saying neither when nor where stays text


def test_a_table_printed_with_bars_is_a_schedule_even_in_traditional_characters():
    text = ("序號 | 活動名稱 | 活動內容 |\n1 | 舉辦宣貫會 | 邀請企業參加 |\n"
            "2 | 加大主題宣傳 | 通過各種途徑宣傳 |\n")
    rows = _draft(text, 2023).fields["schedules"][0]["rows"]
    assert [(r["no"], r["name"], r["details"]) for r in rows] == [(1, "舉辦宣貫會", "邀請企業參加"),
                                                                  (2, "加大主題宣傳", "通過各種途徑宣傳")]


def test_one_line_with_bars_is_no_table():
    assert [b.text for b in from_text("发布机构: | 市市场监督管理局 |")] == ["发布机构: | 市市场监督管理局 |"]


def test_a_table_pasted_one_cell_per_line_with_lead_and_assist_columns():
    text = "\n\n".join(["序号", "活动内容", "活动时间", "牵头部门", "协助部门",
                       "1", "群发公益短信", "9月1日-2日", "质量股", "办公室",
                       "2", "组织首席质量官培训", "9月", "质量股", "各所"]) + "\n"
    rows = _draft(text, 2024).fields["schedules"][0]["rows"]
    assert [(r["no"], r["name"], r["time"]) for r in rows] == [(1, "群发公益短信", "9月1日-2日"), (2, "组织首席质量官培训", "9月")]
    assert "牵头部门：质量股" in rows[0]["details"]


def test_a_pdf_page_holding_only_a_ruled_table_is_read_not_refused():
    from qm_site.importing.readers import _paragraphs

    table = [["序号", "活动名称", "时间"], ["1", "质量宣传", "9月"]]
    blocks = _paragraphs([[(10.0, table)]])
    assert [b.rows for b in blocks] == [table]  # type: ignore[union-attr]


def test_a_theme_stated_in_a_sentence_is_taken_and_marked_for_a_person():
    text = ("中国质量协会关于开展2015年全国“质量月”活动的通知\n\n各会员企业:\n\n"
            "2015年全国“质量月”活动9月份如期开展,主题是:迈向质量时代  建设质量强国。\n")
    draft = _draft(text, 2015)
    assert draft.fields["theme"] == "迈向质量时代 建设质量强国"
    assert _todo(draft, "theme")


def test_a_publication_note_between_the_cover_date_and_the_plan_title():
    text = ("福鼎市市场监督管理局关于印发2024年“质量月”活动方案的通知\n鼎市监质〔2024〕70号\n各市场监管所:\n"
            "现印发给你们,请认真遵照执行。\n福鼎市市场监督管理局\n2024年8月26日\n(此件主动公开)\n"
            "2024年福鼎市“质量月”活动方案\n一、活动主题\n加强质量支撑 共建质量强国\n")
    fields = _draft(text, 2024).fields
    assert str(fields["issue_date"]) == "2024-08-26"
    assert fields["publication_note"] == "此件主动公开"


def test_the_labels_a_web_page_prints_above_a_notice_fill_what_the_notice_lacks_marked():
    text = ("索引号: | 111/202209-00022 | 组配分类: | 产品质量 |\n"
            "名称: | 某市市场监管局关于印发2022年“质量月”活动方案的通知 | 文号: | 某市监质量字〔2022〕5号 |\n"
            "成文日期: | 2022-09-02 | 发布日期: | 2022-09-03 |\n一、活动主题\n质量强国\n")
    draft = _draft(text, 2022)
    assert draft.fields["title"] == "某市市场监管局关于印发2022年“质量月”活动方案的通知"
    assert draft.fields["doc_number"] == "某市监质量字〔2022〕5号"
    assert str(draft.fields["issue_date"]) == "2022-09-02"
    assert _todo(draft, "title") and _todo(draft, "doc_number") and _todo(draft, "issue_date")
    assert "索引号" not in (draft.notice or "")


def test_a_line_of_spaces_is_an_empty_cell_of_a_table_pasted_one_cell_per_line():
    text = "\n".join(["序号", "活动内容", "活动时间", "牵头部门", "协助部门", "1", "群发短信", "9月1日", "质量股", "办公室",
                      "2", "首席质量官培训", "9月", "质量股", " ", "", "正文。"]) + "\n"
    blocks = from_text(text)
    assert blocks[0].rows[2] == ["2", "首席质量官培训", "9月", "质量股", ""]  # type: ignore[union-attr]
    assert [b.text for b in blocks[1:]] == ["正文。"]  # type: ignore[union-attr]


def test_office_name_phone_lines_under_a_contact_heading_are_one_contact_each():
    text = ("关于开展质量教育活动的通知\n各市州教育局:\n请认真组织。\n五、联系方式:\n"
            "湖南省教育厅 颜慧林 84715494\n湖南省质量技术监督局 张 健 89967043\n")
    contacts = _draft(text, 2012).fields["contacts"]
    assert contacts == [{"organization": "湖南省教育厅", "people": ["颜慧林"], "phones": ["84715494"]},
                        {"organization": "湖南省质量技术监督局", "people": ["张 健"], "phones": ["89967043"]}]
    assert facts.office_line("请于9月1日前报送 联系 84715494") is None


def test_a_flattened_notice_with_numbered_contacts_an_attachment_list_and_a_date():
    text = ("各施工单位、会员企业: " + "为推动建设质量不断提高,现将有关事项通知如下:" * 8 + " 一、对自愿参评的企业不收申报费。"
            " 二、申报时间:截至2012年12月5日止。 三、联系电话:010-57811642 传真:010-57811352 联 系 人:张女士"
            " 附件:1、评选办法 2、申报确认表 二○一二年九月七日")
    draft = _draft(text, 2012)
    contact = draft.fields["contacts"][0]
    assert contact["phones"] == ["010-57811642"] and contact["fax"] == ["010-57811352"]
    assert [a["title"] for a in draft.fields["attachments"]] == ["评选办法", "申报确认表"]
    assert str(draft.fields["issue_date"]) == "2012-09-07"


def test_an_email_in_a_sentence_and_attachment_file_names_of_a_web_page():
    text = ("关于征集质量月活动口号的通知\n\n各有关单位：\n\n"
            "(一)投稿方式:将征集表发送至邮箱:qualitymonth@samr.gov.cn,邮件需注明“口号征集”。\n\n"
            "口号征集表(个人).docx\n\n全国“质量月”活动情况介绍.doc\n")
    draft = _draft(text, 2020)
    assert draft.fields["contacts"][0]["emails"] == ["qualitymonth@samr.gov.cn"]
    assert [a["title"] for a in draft.fields["attachments"]] == ["口号征集表(个人).docx", "全国“质量月”活动情况介绍.doc"]


def test_a_copy_without_number_or_recipients_takes_its_first_title_line_noted():
    text = "关于开展2023年全国“质量月”活动的通知\n\n为促进质量强国建设,现就有关事项通知如下:\n\n一、活动主题\n\n增强质量意识\n"
    draft = _draft(text, 2023)
    assert draft.fields["title"] == "关于开展2023年全国“质量月”活动的通知"
    assert _todo(draft, "title")
    assert "现就有关事项通知如下" in (draft.notice or "")


def test_a_web_heading_above_the_title_is_not_joined_to_it():
    heading = "市场监管总局等25个部门共同发布《关于开展2023年全国质量月活动的通知》发布-某某网站首页栏目"
    blocks = from_text(f"{heading}\n关于开展2023年全国“质量月”活动的通知\n")
    assert [b.text for b in blocks] == [heading, "关于开展2023年全国“质量月”活动的通知"]  # type: ignore[union-attr]


# --- the layouts of the corpus's newer notices (2019-anhui-essay, 2024-jiangsu-housing, 2025-hainan-housing, 2024-cbmf) --

def test_a_copy_that_begins_with_its_number_then_its_recipients_keeps_both():
    fields = _draft("苏建函质安〔2024〕398号\n各设区市住房和城乡建设局(建委),无锡市市政和园林局:\n现将有关事项通知如下:\n",
                    2024).fields
    assert fields["doc_number"] == "苏建函质安〔2024〕398号"
    assert fields["recipients"] == ["各设区市住房和城乡建设局(建委)", "无锡市市政和园林局"]
    assert fields["title"] == "待填写"


@pytest.mark.parametrize("title", [
    "关于印发《2025年度海南省住建系统“质量月”活动方案》的通知",
    "关于印发《2025年度海南省住建系统“质量\n月”活动方案》的通知",  # wrapped, as a PDF prints it
])
def test_title_issuer_title_is_one_title_and_its_issuer(title):
    text = (f"{title}\n海南省住房和城乡建设厅\n关于印发《2025年度海南省住建系统“质量月”活动方案》的通知\n"
            "各市、县、自治县住房和城乡建设局,各有关单位:\n现将方案印发给你们。\n")
    fields = _draft(text, 2025).fields
    assert fields["title"] == "关于印发《2025年度海南省住建系统“质量月”活动方案》的通知"
    assert fields["issuer"] == "海南省住房和城乡建设厅"
    assert fields["recipients"] == ["各市、县、自治县住房和城乡建设局", "各有关单位"]


def test_a_labelled_theme_under_a_theme_and_time_heading_is_the_theme():
    text = "各有关单位:\n现通知如下:\n二、活动主题及时间\n主题:加强全面质量管理促进质量强国建设\n时间:2025年9月\n"
    assert _draft(text, 2025).fields["theme"] == "加强全面质量管理促进质量强国建设"


def test_a_bare_attachment_label_over_numbered_lines_is_the_list_and_a_traditional_signature_signs():
    text = ("現將結果予以公布(名單見附件1、2)。\n附件:\n1. 質量管理小組名單\n2. 質量信得過班組名單\n"
            "中國建筑材料聯合會\n2024年12月19日\n附件1\n附件2\n")
    draft = _draft(text, 2024)
    assert [(a["number"], a["title"]) for a in draft.fields["attachments"]] == [(1, "質量管理小組名單"), (2, "質量信得過班組名單")]
    assert draft.fields["issuer"] == "中國建筑材料聯合會"
    assert str(draft.fields["issue_date"]) == "2024-12-19"
    assert not [n for n in draft.notes if "date printed with the title" in str(n.message)]  # the body is no title


# --- the official text as printed: 主送/抄送 separators, a single 附件 without a number (real notices) ------------------

REAL = ROOT / "tests" / "fixtures" / "notices" / "real"


def _real(name: str, year: int):
    """The draft of a real notice's web copy."""
    return recognise(from_text((REAL / name / "source.txt").read_text(encoding="utf-8")), year)


def test_a_real_notices_only_attachment_printed_without_a_number_is_numbered_false():
    draft = _real("2015-gd-quality-award", 2015)
    assert draft.fields["attachments"] == [{"numbered": False, "file": "attachment-1.md",
                                            "title": "中施企协关于开展工程建设企业质量管理评估暨遴选推荐第二届中国质量奖的通知"}]


@pytest.mark.parametrize("name, year", [("2024-cca-quality", 2024), ("2024-cbmf-results", 2024)])
def test_real_notices_whose_attachments_print_numbers_stay_numbered(name, year):
    assert all(a.get("numbered", True) for a in _real(name, year).fields["attachments"])


@pytest.mark.parametrize("text, numbered", [
    ("各有关单位:\n正文。\n附件:活动安排表\n2024年9月1日\n附件\n活动安排表\n一段。\n", False),
    ("各有关单位:\n正文。\n附件:活动安排表\n2024年9月1日\n", False),
    ("各有关单位:\n正文。\n附件:1.活动安排表\n2024年9月1日\n附件\n活动安排表\n一段。\n", True),  # the list numbers it
    ("各有关单位:\n正文。\n附件:活动安排表\n2024年9月1日\n附件1\n活动安排表\n一段。\n", True),  # its heading does
    ("各有关单位:\n正文。\n2024年9月1日\n附件\n表一\n一段。\n附件\n表二\n一段。\n", True),  # two: GB/T 9704 numbers them
])
def test_numbered_false_only_for_a_single_attachment_printed_without_a_number(text, numbered):
    atts = _draft(text, 2024).fields["attachments"]
    assert all(a.get("numbered", True) is numbered for a in atts)


@pytest.mark.parametrize("name, year, key, printed", [
    ("2025-hainan-housing", 2025, "recipients_printed",  # a web copy's ASCII commas, as the copy prints them
     "各市、县、自治县住房和城乡建设局,三沙市自然资源和规划建设局,五指山市自然资源和城乡规划建设局,各重点园区管理局(管委会),各有关单位"),
    ("2024-gongqing", 2024, "recipients_printed", "机关各股室、分局,所属事业单位"),
])
def test_a_real_notices_recipients_are_kept_as_printed(name, year, key, printed):
    assert _real(name, year).fields[key] == printed


def test_recipients_joined_as_the_site_joins_them_need_no_printed_line():
    assert "recipients_printed" not in _draft("各有关单位:\n正文。\n", 2024).fields


def test_the_footers_recipients_and_copies_keep_their_separators():
    fields = import_recall.import_bytes((ROOT / "tests" / "fixtures" / "notices" / "2022-national.txt").read_bytes(),
                                        "2022-national.txt", 2022)
    assert fields["copies_printed"] == "国家药监局、国家知识产权局，有关联合会、协会，有关企业"
    assert fields["copies"] == ["国家药监局", "国家知识产权局", "有关联合会", "协会", "有关企业"]
    assert fields["recipients_printed"].startswith("各省、自治区、直辖市和新疆生产建设兵团市场监管局（厅、委）、发展改革委、")


@pytest.mark.slow
def test_the_recall_benchmark_prints_every_real_notice_and_format_with_its_outcomes():
    """Issue 31's measure: benchmarks/import_recall.py prints right / wrong / missing / invented per notice and format."""
    import subprocess

    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "import_recall.py"), "--corpus", "real"],
                       capture_output=True, text=True, timeout=300, check=True)
    lines = r.stdout.splitlines()
    assert any(line.split() == ["notice", "fmt", "right", "wrong", "missing", "invented", "guessed", "right", "%"]
               for line in lines)
    printed = {tuple(line.split()[:2]) for line in lines if line.split()[:1] and line.split()[0][:4].isdigit()}
    expected = {(p.name, f.suffix[1:]) for p in import_recall.real_notices() for f in p.glob("source.*")}
    assert len(import_recall.real_notices()) >= 22 and printed == expected
