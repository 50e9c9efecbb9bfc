"""Chinese line breaking by phrase: the `phrases` filter (BudouX at build time) and, in Chromium on 360 and 390 px
phones, that no line of a heading, title, slogan, card or table cell breaks inside a phrase."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup, escape

from qm_site.site.render import make_env, phrase_html, phrases

CJK_TEXT = st.text(alphabet=st.sampled_from(list("质量月全国开展活动的通知强国建设推动中国2022年9月1日 ，。“”、：ABC<&>")),
                   max_size=40)


@given(CJK_TEXT)
def test_phrases_keep_every_character_in_order(text):
    assert "".join(phrases(text)) == text


@given(CJK_TEXT)
def test_filter_only_adds_wbr_and_the_keep_all_span(text):
    out = str(phrase_html(text))
    assert re.sub(r"<wbr>|^<span class=\"phr\">|</span>$", "", out) == str(escape(text))


def test_numbers_dates_and_single_characters_stay_whole():
    title = "市场监管总局等21部门关于开展2022年全国“质量月”活动的通知"
    got = phrases(title)
    assert "2022年" in got and "全国" in got  # BudouX alone gives 全|国
    assert not any(re.search(r"\d$", a) and re.match(r"\d", b) for a, b in zip(got, got[1:]))
    assert phrases("9月1日-11月30日") == ("9月1日", "-11月30日")
    assert phrases("推动“三个转变” 建设质量强国")[-1] == "质量强国"  # a key term (key_terms.txt) stays whole
    assert all(len(p) > 1 for p in phrases("建设质量强国"))  # no one-character orphan at the end


def test_markup_keeps_its_tags_and_entities():
    out = phrase_html(Markup('<span lang="zh-CN">质量 &amp; 品牌建设</span>'))
    assert out == Markup('<span class="phr"><span lang="zh-CN">质量<wbr> &amp; <wbr>品牌<wbr>建设</span></span>')


def test_slogans_keep_their_halves_together():
    assert phrase_html("推动“三个转变” 建设质量强国", spaced=True) == Markup(  # 质量强国: a key term
        '<span class="phr"><span class="phr-w">推动<wbr>“三个<wbr>转变”</span> '
        '<span class="phr-w">建设<wbr>质量强国</span></span>')


def test_english_is_left_alone():
    assert phrase_html("Quality Month 2022 <b>") == Markup("Quality Month 2022 &lt;b&gt;")
    assert phrase_html(None) == Markup("")


def test_templates_use_it_as_a_filter():
    assert make_env("zh_CN").from_string("<h1>{{ t|phrases }}</h1>").render(t="全国质量月") == \
        '<h1><span class="phr">全国<wbr>质量月</span></h1>'


# Pages with long Chinese headings, slogans, cards and table cells, in both languages.
PHRASE_PAGES = ["", "2022/national/", "2022/national/notice/", "2014/national/slogans/", "2022/caq/schedule/",
                "2022/national/attachments/", "2022/zhuhai/posters/", "slogans/2014/", "2020/nanjing/contacts/",
                "en/2022/national/"]

# Every run of text between two <wbr>s of a .phr element (split at spaces, where a break is allowed): those whose
# glyphs lie on more than one line box were broken inside a phrase.
BROKEN_PHRASES = """() => {
  const broken = [];
  let checked = 0;
  for (const root of document.querySelectorAll('.phr')) {
    if (!root.getClientRects().length) continue;  // not shown (e.g. a visually hidden label)
    const chars = [];
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (n.nodeType === 1) { if (n.tagName === 'WBR') chars.push(null); continue; }
      for (let i = 0; i < n.data.length; i++) chars.push(/\\s/.test(n.data[i]) ? null : [n, i]);
    }
    chars.push(null);
    let start = -1;
    for (let i = 0; i < chars.length; i++) {
      if (chars[i] && start < 0) start = i;
      if (chars[i] || start < 0) continue;
      const first = chars[start], last = chars[i - 1];
      start = -1;
      const range = document.createRange();
      range.setStart(first[0], first[1]);
      range.setEnd(last[0], last[1] + 1);
      const tops = [...range.getClientRects()].filter(r => r.width > 0).map(r => r.top);
      checked += 1;
      if (tops.length && Math.max(...tops) - Math.min(...tops) > 4) broken.push(range.toString());
    }
  }
  return {broken, checked};
}"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [360, 390])
def test_no_line_breaks_inside_a_phrase_on_phones(new_page, site_url: str, width: int) -> None:
    page = new_page(width=width, height=800)
    for url in PHRASE_PAGES:
        page.goto(site_url + url)
        result = page.evaluate(BROKEN_PHRASES)
        assert result["checked"] > 5, url
        assert result["broken"] == [], f"{url} at {width} px breaks inside phrases: {result['broken']}"


@pytest.mark.browser
def test_the_check_finds_breaks_when_phrases_are_not_kept_whole(new_page, site_url: str) -> None:
    """Without keep-all the browser breaks Chinese anywhere: the measurement above must then see broken phrases."""
    page = new_page(width=360, height=800)
    page.goto(site_url + "2014/national/slogans/")
    page.add_style_tag(content=".phr { word-break: normal !important; text-wrap: wrap !important; }")
    assert page.evaluate(BROKEN_PHRASES)["broken"]
