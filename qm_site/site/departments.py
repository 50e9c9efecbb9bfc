"""Official English names of the departments and associations that issue Quality Month notices.

English pages name an issuer in English when this table knows it, and show the Chinese marked lang="zh-CN"
otherwise. The names are the ones the bodies use for themselves in English (the State Council's and the
ministries' English sites; the associations' own English names). Add a row when a campaign brings a new
issuer: tests/test_departments.py fails for any issuer, co-issuer, printing office or contact organisation
in content/ that has no English name here.
"""

from __future__ import annotations

import re

ENGLISH = {
    # National regulators and ministries (2018 State Council reform names; 质检总局 before 2018)
    "市场监管总局": "State Administration for Market Regulation (SAMR)",
    "国家市场监督管理总局": "State Administration for Market Regulation (SAMR)",
    "市场监管总局办公厅": "General Office of the State Administration for Market Regulation",
    "市场监管总局质量发展局": "Department of Quality Development, State Administration for Market Regulation",
    "质检总局": "General Administration of Quality Supervision, Inspection and Quarantine (AQSIQ)",
    "国家质量监督检验检疫总局": "General Administration of Quality Supervision, Inspection and Quarantine (AQSIQ)",
    "科技部": "Ministry of Science and Technology",
    "工业和信息化部": "Ministry of Industry and Information Technology",
    "公安部": "Ministry of Public Security",
    "自然资源部": "Ministry of Natural Resources",
    "生态环境部": "Ministry of Ecology and Environment",
    "住房和城乡建设部": "Ministry of Housing and Urban-Rural Development",
    "交通运输部": "Ministry of Transport",
    "水利部": "Ministry of Water Resources",
    "农业农村部": "Ministry of Agriculture and Rural Affairs",
    "商务部": "Ministry of Commerce",
    "文化和旅游部": "Ministry of Culture and Tourism",
    "国家卫生健康委": "National Health Commission",
    "国资委": "State-owned Assets Supervision and Administration Commission of the State Council (SASAC)",
    "国家发展改革委": "National Development and Reform Commission",
    "教育部": "Ministry of Education",
    "海关总署": "General Administration of Customs",
    "国家知识产权局": "China National Intellectual Property Administration",
    "全国总工会": "All-China Federation of Trade Unions",
    "共青团中央": "Central Committee of the Communist Youth League of China",
    "全国妇联": "All-China Women's Federation",
    "全国工商联": "All-China Federation of Industry and Commerce",
    # Associations
    "中国质量协会": "China Association for Quality (CAQ)",
    "南京质量协会": "Nanjing Association for Quality",
    "珠海市质量协会": "Zhuhai Association for Quality",
}

_WITH_OTHERS = re.compile(r"^(?P<lead>.+?)等(?:(?P<n>\d+)(?:个)?部门)?$")  # 质检总局等, 市场监管总局等21部门


def english_name(zh: str) -> str | None:
    """The official English name of a department, or of "X and N other departments" (X等N部门); None when unknown."""
    if zh in ENGLISH:
        return ENGLISH[zh]
    m = _WITH_OTHERS.match(zh)
    if not m or m["lead"] not in ENGLISH:
        return None
    lead = ENGLISH[m["lead"]]
    if m["n"] is None:
        return f"{lead} and other departments"
    others = int(m["n"]) - 1
    return f"{lead} and {others} other department{'s' if others != 1 else ''}"
