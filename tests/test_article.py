"""The 公众号 article (site/article.py), a pure function of the validated campaign: only the tags, attributes and inline
styles the 公众号 editor keeps, every fact of the campaign, links written as text, nothing active."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from articlecheck import campaign_facts, missing_facts, scan
from conftest import CONTENT

from qm_site.site import pages
from qm_site.site.article import article_html, restyle
from qm_site.site.render import fmt_range
from qm_site.source import content
from qm_site.source.markup import Renderer


def _views(root: Path) -> list[pages.CampaignView]:
    """Every campaign of a content folder, as the Chinese pages see it."""
    return [pages.campaign_view(e, "zh_CN", Renderer().inline) for e in content.load(root).entries]


SEED = _views(CONTENT)


@pytest.mark.parametrize("view", SEED, ids=lambda v: v.id)
def test_article_has_only_what_the_editor_keeps(view: pages.CampaignView) -> None:
    html = str(article_html(view))
    found = scan(html)
    assert found.problems == []
    assert html.startswith("<section style=") and html.endswith("</section>")
    assert {"h1", "h2", "p", "strong"} <= found.tags
    for needle in ("<a ", "href=", "class=", " id=", "<script", "<style", "<link", "<div", "<article"):
        assert needle not in html, needle


@pytest.mark.parametrize("view", SEED, ids=lambda v: v.id)
def test_article_holds_every_fact_of_the_campaign(view: pages.CampaignView) -> None:
    text = "".join(scan(str(article_html(view))).text)
    facts = campaign_facts(view.c, fmt_range(*view.period, "zh_CN"))
    assert missing_facts(facts, text) == []
    # the schedules are tables, each with one row per activity beside its heading row
    html = str(article_html(view))
    assert html.count("<table") == len(view.c.schedules)
    assert html.count("<tr>") == sum(len(s.rows) + 1 for s in view.c.schedules)


def test_a_fact_left_out_is_found_missing() -> None:
    """The fact check can fail: a slogan the article does not hold is named."""
    view = SEED[0]
    text = "".join(scan(str(article_html(view))).text)
    assert missing_facts(["全面提升质量 无中生有的口号"], text) == ["全面提升质量 无中生有的口号"]


def test_links_become_text_and_nothing_active_survives(tmp_path: Path) -> None:
    shutil.copy(CONTENT / "site.yaml", tmp_path / "site.yaml")
    shutil.copytree(CONTENT / "2022-zhuhai", tmp_path / "2022-zhuhai")
    notice = tmp_path / "2022-zhuhai" / "notice.md"
    notice.write_text(notice.read_text(encoding="utf-8") + (
        "\n\n详见[中国质量协会网站](https://www.caq.org.cn/notice)，或写信到 <zhszlxh@163.com>。"
        "<script>alert(1)</script><img src=x onerror=alert(2)>"
        '<a href="javascript:alert(3)">危险链接</a><span class="red" onclick="alert(4)">样式文字</span>'
        "[见附件](#attachment-1)。\n\n"
        "#### 小标题\n\n| 项目 | 时间 |\n|---|---|\n| 知识竞赛 | 9月 |\n"), encoding="utf-8")
    html = str(article_html(_views(tmp_path)[0]))
    assert scan(html).problems == []
    text = "".join(scan(html).text)
    assert "详见中国质量协会网站（https://www.caq.org.cn/notice）" in text
    assert "写信到 zhszlxh@163.com。" in text  # an address shown as its own text is not repeated
    assert "见附件。" in text  # a link within the page has no address worth writing out
    assert "危险链接" in text and "javascript" not in html and "alert" not in html and "onclick" not in html
    assert "样式文字" in text and "小标题" in text and "知识竞赛" in text


def test_restyle_gives_each_kept_tag_its_style_and_drops_the_rest() -> None:
    html = restyle('<h4 id="x">要点</h4><ol start="3"><li>一</li></ol><hr>'
                   '<table><tr><td colspan="2" class="c">格</td></tr></table>')
    assert html.startswith('<p style="font-weight:bold">要点</p><ol start="3" style=')
    assert "<hr" not in html and "class" not in html and 'colspan="2"' in html
    assert restyle("<p>上</p><hr><p>下<br>行</p>") == '<p style="margin:0 0 12px">上</p><p style="margin:0 0 12px">下<br>行</p>'
    assert scan(html).problems == []
