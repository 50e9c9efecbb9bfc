"""Posters without a browser: text fitting, the grid, styles, the font subset, and the pages the build makes."""

from __future__ import annotations

import io
import itertools
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qm_site.errors import QmError
from qm_site.printing import fonts, linebreak, posters
from qm_site.printing.fonts import FALLBACK
from qm_site.printing.posters import GAP, LINE_HEIGHT, fit, fit_parts, frame, join, measure
from qm_site.site import builder
from qm_site.site.pages import SloganView
from qm_site.source import content as content_mod
from qm_site.source.model import DEFAULT_FORMATS, Campaign, PosterFormat, PosterStyle, Site, SloganGroup
from sitecheck import CONTENT

SEEDS = CONTENT  # read only, as test_content reads it


@pytest.fixture(scope="module")
def seed_content():
    return content_mod.load(SEEDS, drafts=True)


def slogan_view(text: str) -> SloganView:
    return SloganView(0, text, None, text)

FACE = fonts.find_face()
NOTO = fonts.face_metrics(FACE) if FACE else None
METRICS = [pytest.param(FALLBACK, id="fallback")] + ([pytest.param(NOTO, id="noto")] if NOTO else [])
ODD_FORMATS = (
    PosterFormat(id="a4-landscape", name="A4 横版", width_mm=297, height_mm=210),
    PosterFormat(id="a4-vertical", name="A4 竖排", width_mm=210, height_mm=297, vertical=True),
    PosterFormat(id="tiny", name="小", width_mm=50, height_mm=50),
    PosterFormat(id="strip", name="长条", width_mm=5000, height_mm=300, one_line=True),
    PosterFormat(id="column", name="竖条", width_mm=300, height_mm=5000, vertical=True, one_line=True),
)
FORMATS = DEFAULT_FORMATS + ODD_FORMATS
SLOGANS = [
    "中国质量 共创共享",
    "强能力 激活力 聚合力 提效能",
    "贯彻党的十八届三中全会精神 推动实施《质量发展纲要》",
    "推动“三个转变” 建设质量强国",
    "质量·品牌·竞争力",
    "高质量发展：疫情常态化背景下的坚守与突破",
    "强化企业现场管理 实现“一心二效三节”",
    "ISO 9001 质量管理体系 2015版",
    "质",
]


def groupings(parts: list[str]):
    """Every way to cut the parts into consecutive lines."""
    for cuts in itertools.product((False, True), repeat=len(parts) - 1):
        lines, current = [], [parts[0]]
        for cut, part in zip(cuts, parts[1:]):
            if cut:
                lines.append(current)
                current = [part]
            else:
                current.append(part)
        yield [join(line) for line in lines + [current]]


def check_fits(text: str, fmt: PosterFormat, metrics) -> posters.Layout:
    """Fit a slogan and check the promises: inside the body box, breaks only between phrases, one line when asked."""
    layout = fit(text, fmt, metrics)
    body = frame(posters.banner_format(fmt, layout)).body  # a banner is made as long as its text
    assert "".join("".join(layout.lines).split(GAP)).replace(" ", "") == "".join(text.split()), "every character, in order"
    ends, at = set(), 0
    for phrase in linebreak.slogan_phrases(text)[0]:
        at += len(phrase)
        ends.add(at)
    at = 0
    for line in layout.lines:
        at += len(line.replace(GAP, "").replace(" ", ""))
        assert at in ends, f"{text}: a line ends inside a phrase: {layout.lines}"
    assert layout.width <= body.w + 1e-9 and layout.height <= body.h + 1e-9, (text, fmt.id, layout, body)
    longest = max(measure(line, fmt.vertical, metrics) for line in layout.lines) * layout.size
    assert longest <= (body.h if fmt.vertical else body.w) + 1e-9
    assert len(layout.lines) * LINE_HEIGHT * layout.size <= (body.w if fmt.vertical else body.h) + 1e-9
    if fmt.one_line:
        assert len(layout.lines) == 1
    return layout


@pytest.mark.parametrize("metrics", METRICS)
@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.id)
def test_every_slogan_fits_its_body_box(fmt: PosterFormat, metrics) -> None:
    for text in SLOGANS:
        check_fits(text, fmt, metrics)


@pytest.mark.parametrize("metrics", METRICS)
@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.id)
def test_the_size_is_the_largest_of_every_split(fmt: PosterFormat, metrics) -> None:
    """Brute force over all groupings of whole halves agrees with the dynamic programme (within the rounding it applies).

    The halves of a two-part slogan each take their own line; the parts of a longer list may share one.
    """
    if posters.is_banner(fmt):
        return  # a banner's text has one size, a share of its height (test_banners_are_made_as_shops_make_them)
    body = frame(fmt).body
    along, across = (body.h, body.w) if fmt.vertical else (body.w, body.h)
    for text in SLOGANS:
        parts = text.split()
        options = [[join(parts)]] if fmt.one_line else [parts] if len(parts) == 2 else list(groupings(parts))
        best = max(min(along / max(measure(line, fmt.vertical, metrics) for line in lines), across / (len(lines) * LINE_HEIGHT))
                   for lines in options)
        size = fit(text, fmt, metrics).size
        assert size >= best * posters.SAFETY - 0.011, text  # breaking at phrases only ever sets a slogan larger
        if size < best * linebreak.PHRASE_GAIN * posters.SAFETY - 0.011:
            assert size == pytest.approx(best * posters.SAFETY, abs=0.011), text  # ...and only when clearly larger


def test_halves_go_on_separate_lines_when_that_is_larger() -> None:
    a4, banner, vertical = DEFAULT_FORMATS[0], DEFAULT_FORMATS[2], DEFAULT_FORMATS[3]
    assert fit("中国质量 共创共享", a4, FALLBACK).lines == ("中国质量", "共创共享")
    assert fit("中国质量 共创共享", banner, FALLBACK).lines == ("中国质量" + GAP + "共创共享",)
    assert fit("强能力 激活力 聚合力 提效能", a4, FALLBACK).lines == ("强能力", "激活力", "聚合力", "提效能")
    # a vertical banner is one column, as shops make them, however long (test_banners_are_made_as_shops_make_them)
    assert len(fit("贯彻党的十八届三中全会精神 推动实施《质量发展纲要》", vertical, FALLBACK).lines) == 1


def test_a_long_slogan_without_spaces_breaks_at_its_phrases_into_balanced_lines() -> None:
    a4, banner = DEFAULT_FORMATS[0], DEFAULT_FORMATS[2]
    assert fit("质量引领中国制造走向世界", a4, FALLBACK).lines == ("质量引领", "中国制造", "走向世界")
    # capped, the fewest even lines win; never 质量引领中国 / 制造走向世界 (中国制造 is a key term), nor the ragged
    # 质量引领 / 中国制造走向世界 where three even lines are as large
    assert fit("质量引领中国制造走向世界", a4, FALLBACK, 12).lines == ("质量引领中国制造走向世界",)
    assert fit("质量引领中国制造走向世界", a4, FALLBACK, 20).lines == ("质量引领", "中国制造", "走向世界")
    assert fit("质量引领中国制造走向世界", banner, FALLBACK).lines == ("质量引领中国制造走向世界",), "banners keep one line"
    # quotes stay whole, and each half starts its own line: no "第一　建设" read as one phrase
    assert linebreak.slogan_phrases("推动“三个转变” 建设质量强国")[0] == ("推动", "“三个转变”", "建设", "质量强国")
    # 服务 / 新发展格局 / 助推高质量 / 发展 would be larger, but leaves two-character strays: each half keeps its line
    assert fit("服务新发展格局 助推高质量发展", a4, FALLBACK, 35).lines == ("服务新发展格局", "助推高质量发展")


ISSUE_35 = {  # the breaks issue 35 found on the seed posters, and what they became
    "推动质量变革创新 促进质量强国建设": ("推动质量变革创新", "促进质量强国建设"),
    "服务新发展格局 助推高质量发展": ("服务新发展格局", "助推高质量发展"),
    "质量引领中国制造走向世界": ("质量引领", "中国制造", "走向世界"),
    "全面提高质量水平 推动复工复产达产": ("全面提高质量水平", "推动复工复产达产"),
    "坚持质量为本 提升产业发展质量": ("坚持质量为本", "提升产业发展质量"),
}
SEEN_2014 = {  # the 2014 contact sheets set them 贯彻党的十八 / 届三中全会精神 and 质量助 / 推经济转型 (助推 is one word)
    "贯彻党的十八届三中全会精神 推动实施《质量发展纲要》": ("贯彻党的", "十八届三中全会精神", "推动实施", "《质量发展纲要》"),
    "质量助推经济转型 安全促进社会和谐": ("质量助推", "经济转型", "安全促进", "社会和谐"),
}


@pytest.mark.parametrize("metrics", METRICS)
def test_the_issues_examples_break_between_whole_terms_into_even_lines(metrics) -> None:
    for text, lines in ISSUE_35.items():
        assert fit(text, DEFAULT_FORMATS[0], metrics, 22.5).lines == lines, text
    for text, lines in SEEN_2014.items():
        assert fit(text, DEFAULT_FORMATS[0], metrics).lines == lines, text


def test_the_key_terms_are_a_maintained_list_that_no_phrase_splits() -> None:
    terms = linebreak.key_terms()
    for term in ("高质量", "质量强国", "质量强省", "质量强市", "质量月", "中国制造", "高品质", "新发展格局", "质量提升",
                 "复工复产"):
        assert term in terms
    for term in terms:
        text = "推动" + term + "建设"
        assert any(term in p for p in linebreak.slogan_phrases(text)[0]), term
        assert any(term in p for p in linebreak.text_phrases(text)), term  # the reader pages break alike


def poster_breaks(text: str, lines: tuple[str, ...]) -> set[int]:
    """Where, in the slogan without spaces, the poster's lines end (but the last)."""
    out, at = set(), 0
    for line in lines[:-1]:
        at += len(line.replace(GAP, "").replace(" ", ""))
        out.add(at)
    return out


def test_no_seed_poster_splits_a_key_term_or_strands_a_word(seed_content) -> None:
    """Every seed slogan on A4 and A3: no line ends inside a key term, no line of one or two characters is cut
    from a longer half, and the halves of a two-part slogan never share a line."""
    metrics = fonts.face_metrics(fonts.find_face()) if fonts.find_face() else FALLBACK
    checked = 0
    for e in seed_content.entries:
        texts = posters.poster_texts(e.campaign)
        for fmt in DEFAULT_FORMATS[:2]:
            for text, layout in zip(texts, posters.fit_set(texts, fmt, metrics)):
                flat = "".join(text.split())
                split = linebreak.inside_terms(flat) & poster_breaks(text, layout.lines)
                assert not split, f"{e.id} {fmt.id}: {' / '.join(layout.lines)} splits a key term at {sorted(split)}"
                halves = text.split()
                stray = [ln for ln in layout.lines if linebreak.letters(ln) <= 2 and ln not in halves]
                assert not stray, f"{e.id} {fmt.id}: {' / '.join(layout.lines)}"
                if len(halves) == 2:
                    assert not any(GAP in ln for ln in layout.lines), (e.id, fmt.id, layout.lines)
                checked += 1
    assert checked > 100


def test_slogan_lines_serves_any_renderer_with_a_measure() -> None:
    """The public API the share images use: a measure in em, a box, a line height; lines and a size back."""
    lines, size = linebreak.slogan_lines("提升产品、工程和服务质量", len, 10, 10)
    assert lines == ("提升产品、", "工程和服务质量") and size == pytest.approx(10 / 7)
    assert linebreak.slogan_lines("中国质量 共创共享", len, 100, 3) == (("中国质量", "共创共享"), pytest.approx(3 / 2.6))
    assert linebreak.slogan_lines("", len, 10, 10) == ((), 0.0)


def test_every_poster_of_a_set_is_set_at_nearly_one_size_and_a4_at_a_twelfth_of_its_width(seed_content) -> None:
    """The seed campaigns: the longest slogan sets the size; A4 text at least 210/12 = 17.5 mm high."""
    metrics = fonts.face_metrics(fonts.find_face()) if fonts.find_face() else FALLBACK
    for e in seed_content.entries:
        texts = posters.poster_texts(e.campaign)
        for fmt in DEFAULT_FORMATS if texts else ():
            sizes = [layout.size for layout in posters.fit_set(texts, fmt, metrics)]
            assert max(sizes) / min(sizes) <= 1.5, (e.id, fmt.id, min(sizes), max(sizes))
            if fmt.id == "a4":
                assert min(sizes) >= fmt.width_mm / 12, (e.id, min(sizes))


def test_each_poster_says_quality_month_and_vertical_digits_stand_upright() -> None:
    site, c = site_with(), campaign_with(theme="2022年 质量强国", slogans=[])
    metrics = FALLBACK
    sets = [posters.poster_set("2022-x", c, (slogan_view("2022年 质量强国"),), f, posters.style(site, c), metrics)
            for f in DEFAULT_FORMATS]
    for ps in sets:
        assert "".join(ps.head.lines) == "2022年“质量月”"  # the title names none: the year's 质量月
        art = ps.art(ps.posters[0], 33)
        assert ("质量月" in art) != ps.banner, ps.fmt.id  # a banner is its slogan alone, as shops make them
        assert ("pa-qr" in art) != ps.banner, ps.fmt.id  # nobody scans a QR code on a façade
        assert ('<span class="tcy">2022</span>年' in art) == ps.fmt.vertical, ps.fmt.id


@pytest.mark.parametrize("metrics", METRICS)
def test_banners_are_made_as_shops_make_them(seed_content, metrics) -> None:
    """Every seed slogan as a 横幅 and 竖幅: one line at 60-70 % of the banner's height, the banner as long as the
    text plus its clear ends; beyond a PDF page, the whole set drawn at 1:10 and its PDF named so."""
    site = seed_content.site
    banners = [f for f in DEFAULT_FORMATS if posters.is_banner(f)]
    assert [f.id for f in banners] == ["banner", "vertical-banner"]
    scaled_sets = 0
    for e in seed_content.entries:
        slogans = tuple(slogan_view(t) for t in posters.poster_texts(e.campaign))
        for fmt in banners if slogans else ():
            ps = posters.poster_set(e.id, e.campaign, slogans, fmt, posters.style(site, e.campaign), metrics)
            for p in ps.posters:
                height = min(p.fmt.width_mm, p.fmt.height_mm)
                assert height == pytest.approx(700 / ps.scale)
                assert len(p.layout.lines) == 1
                assert 0.6 <= p.layout.size / height <= 0.7, (e.id, fmt.id, p.layout.size, height)
                length = max(p.fmt.width_mm, p.fmt.height_mm)
                text = p.layout.height if fmt.vertical else p.layout.width
                assert text + height <= length + 1e-6 <= max(text + height + 1, 3000 / ps.scale), (e.id, p.fmt)
                assert max(p.page_size) <= posters.MAX_PAGE_MM
            full = [max(p.fmt.width_mm, p.fmt.height_mm) * ps.scale + 2 * posters.BLEED_MM for p in ps.posters]
            if metrics is FALLBACK:  # the scale is decided with these upper-bound widths, before the font is known
                assert (ps.scale == 10) == (max(full) > posters.MAX_PAGE_MM), (e.id, fmt.id, max(full))
            assert ps.pdf.endswith("-1to10.pdf") == (ps.scale == 10)
            scaled_sets += ps.scale == 10
            css = ps.sheet_css()
            assert css.count("@page b") == len(ps.posters)  # each banner its own page size
    assert scaled_sets > 0


def test_the_head_names_the_campaign_as_its_notice_does_and_the_qr_code_says_what_it_opens() -> None:
    for title, name in (("市场监管总局等21部门关于开展2022年全国“质量月”活动的通知", "2022年全国“质量月”"),
                        ("关于组织开展2022年珠海市企业“质量月”活动的通知", "2022年珠海市企业“质量月”"),
                        ("2022年中国质量协会“质量月”系列活动安排", "2022年中国质量协会“质量月”"),
                        ("关于开展质量提升活动的通知", "2022年“质量月”")):
        assert posters.campaign_name(campaign_with(title=title)) == name
    c = campaign_with(title="关于组织开展2022年珠海市企业“质量月”活动的通知")
    site = site_with()
    for fmt in DEFAULT_FORMATS[:2]:
        ps = posters.poster_set("2022-x", c, (slogan_view("质量第一"),), fmt, posters.style(site, c), FALLBACK)
        assert "".join(ps.head.lines) == "2022年珠海市企业“质量月”"
        art = ps.art(ps.posters[0], 33)
        assert '<p class="pa pa-caption">扫码查看活动安排</p>' in art and "扫码查看活动安排" in ps.preview_symbol
        f = ps.frame
        assert f.safe.contains(f.caption) and f.caption.y >= f.qr.y + f.qr.h - 1e-9
        assert ps.caption is not None and ps.caption.width <= f.caption.w + 1e-9
    # the theme under the head of every slogan's poster, not on the theme's own
    views = (slogan_view("主题一 主题二"), slogan_view("质量第一"))
    ps = posters.poster_set("2022-x", c, views, DEFAULT_FORMATS[0], posters.style(site, c), FALLBACK)
    assert ps.theme is not None and ps.theme.text == "主题一" + GAP + "主题二"
    assert [ps.shows_theme(p) for p in ps.posters] == [False, True]
    assert ['class="pa pa-theme"' in ps.art(p, 33) for p in ps.posters] == [False, True]
    assert ps.frame.theme.y >= ps.frame.rules[0].y and ps.frame.theme.y + ps.frame.theme.h <= ps.frame.body.y


def test_the_key_visual_is_a_band_above_the_head_of_stacked_posters() -> None:
    """The campaign's key_visual, else the site theme's, across the top of A4/A3 into the bleed; all else below it."""
    from qm_site.source.model import Theme

    site = Site(title="t", description="d", base_url="https://example.org/", theme=Theme(key_visual="site.webp"))
    assert posters.style(site, campaign_with()).key_visual == "site.webp"
    own = campaign_with(key_visual="own.png")
    st_ = posters.style(site, own)
    assert st_.key_visual == "own.png"
    views = (slogan_view("主题一 主题二"), slogan_view("服务新发展格局 助推高质量发展"))
    for fmt in DEFAULT_FORMATS[:2]:
        plain, banded = frame(fmt), frame(fmt, True)
        band = banded.visual
        bleed = posters.BLEED_MM
        assert (band.x, band.y, band.w) == (-bleed, -bleed, fmt.width_mm + 2 * bleed), "to the bleed's edge, top and sides"
        assert band.y + band.h <= banded.head.y - 0.05 * fmt.width_mm, "a margin between the picture and the head"
        assert banded.body.y + banded.body.h == pytest.approx(plain.body.y + plain.body.h) and banded.body.h < plain.body.h
        for box in (banded.head, banded.theme, banded.body, *banded.rules):
            assert banded.safe.contains(box) and box.y >= band.y + band.h
        ps = posters.poster_set("2022-x", own, views, fmt, st_, FALLBACK)
        assert ps.frame == banded
        for p in ps.posters:  # every slogan fits the smaller body
            assert p.layout.width <= banded.body.w + 1e-6 and p.layout.height <= banded.body.h + 1e-6
        sheet = ps.sheet_pages(33, "", "", str, "/assets/own.png")
        assert sheet.count('<img class="sheet-visual" src="/assets/own.png" alt="">') == len(views)
        assert ".sheet-visual{left:0mm;top:0mm;" in ps.sheet_css()
        assert '<image href="/assets/own.png"' in ps.preview_defs("/assets/own.png") and "<image" not in ps.preview_symbol
    for fmt in DEFAULT_FORMATS[2:] + (ODD_FORMATS[1],):  # banners are their slogan alone; a vertical poster has no room
        ps = posters.poster_set("2022-x", own, views, fmt, st_, FALLBACK)
        assert ps.frame.visual.h == 0 and "sheet-visual" not in ps.sheet_pages(33, "", "", str, "/assets/own.png")
    assert "sheet-visual" not in posters.poster_set("2022-x", campaign_with(), views, DEFAULT_FORMATS[0],
                                                    posters.style(site_with(), campaign_with()), FALLBACK).sheet_css()


def test_vertical_posters_print_the_theme_under_their_head_when_tall_enough() -> None:
    c, site = campaign_with(theme="推动质量变革创新 促进质量强国建设"), site_with()
    views = (slogan_view(c.theme), slogan_view("质量第一 用户至上"))
    tall = ODD_FORMATS[1]  # A4 竖排
    ps = posters.poster_set("2022-x", c, views, tall, posters.style(site, c), FALLBACK)
    f = ps.frame
    assert ps.theme is not None and ps.theme.width <= f.theme.w + 1e-6 and ps.theme.size >= 0.04 * tall.width_mm
    assert f.rules[0].y < f.theme.y and f.theme.y + f.theme.h < f.body.y and f.safe.contains(f.theme)
    assert ['class="pa pa-theme"' in ps.art(p, 33) for p in ps.posters] == [False, True]
    assert [len(ps.slogan_marks(p)) > len(posters.slogan_marks(f.body, p.layout, FALLBACK)) for p in ps.posters] == [False, True]
    squat = PosterFormat(id="squat", name="方", width_mm=300, height_mm=330, vertical=True)
    assert frame(squat).theme.h == 0, "no room: the slogan keeps it"


def test_the_poster_style_chooses_the_red_official_or_the_light_design(seed_content) -> None:
    official = posters.style(site_with(), campaign_with())
    light = posters.style(site_with(), campaign_with(posters=PosterStyle(style="light")))
    assert (official.background.rgb, official.color.rgb) == ("#b3141b", "#ffffff")
    assert (light.background.rgb, light.color.rgb) == ("#fbf6ec", "#b3141b")
    assert light.color.cmyk == official.background.cmyk, "the light design prints the same red, for the text"
    own = posters.style(site_with(), campaign_with(posters=PosterStyle(style="light", color="#003366")))
    assert own.color.rgb == "#003366" and own.background.rgb == "#fbf6ec", "a campaign's own colours override the style's"
    by_id = {e.id: e.campaign for e in seed_content.entries}
    assert posters.style(seed_content.site, by_id["2014-national"]).background.rgb == "#fbf6ec"  # posters: style: light
    assert posters.style(seed_content.site, by_id["2022-national"]).background.rgb == "#b3141b"


def test_a_theme_repeated_as_the_first_slogan_gets_one_poster() -> None:
    c = campaign_with(theme="质量第一 用户至上",
                      slogans=[SloganGroup(id="g", title="口号", items=["质量第一  用户至上", "质量月"])])
    assert posters.poster_texts(c) == ["质量第一 用户至上", "质量月"]


def test_halves_get_an_ideographic_space_and_latin_words_a_plain_one() -> None:
    assert join(["质量", "ISO", "9001", "认证"]) == "质量" + GAP + "ISO 9001" + GAP + "认证"
    assert fit("ISO 9001 认证", DEFAULT_FORMATS[2], FALLBACK).lines == ("ISO 9001" + GAP + "认证",)


def test_fitting_is_deterministic() -> None:
    first = [fit(t, f, FALLBACK) for t in SLOGANS for f in FORMATS]
    fit_parts.cache_clear()
    assert [fit(t, f, FALLBACK) for t in SLOGANS for f in FORMATS] == first


def test_measure_counts_ideographs_as_one_em_and_autospace() -> None:
    assert measure("质量强国", False, FALLBACK) == 4.0
    assert measure("质量强国", True, FALLBACK) == 4.0
    # an ideograph next to a digit gets 1/8 em of autospace from the browser
    assert measure("9001质量", False, FALLBACK) == pytest.approx(4 * FALLBACK.advance("9") + 2 + posters.AUTOSPACE_EM)
    if NOTO:
        assert NOTO.advance("质") == 1.0 and NOTO.vadvance("A") == 1.0
        assert 0.4 < NOTO.advance("2") < 0.7
        assert FALLBACK.advance("2") >= NOTO.advance("2"), "guesses must never be narrower than the real font"


cjk = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=14)
mixed = st.text(alphabet=st.sampled_from("质量月ABCxyz2022“”《》·、："), min_size=1, max_size=10)


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(parts=st.lists(st.one_of(cjk, mixed), min_size=1, max_size=6), fmt=st.sampled_from(FORMATS))
def test_random_slogans_always_fit(parts: list[str], fmt: PosterFormat) -> None:
    for metrics in (FALLBACK, NOTO) if NOTO else (FALLBACK,):
        check_fits(" ".join(parts), fmt, metrics)


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.id)
@pytest.mark.parametrize("logo", [False, True])
def test_the_grid_stays_inside_the_safe_margin(fmt: PosterFormat, logo: bool) -> None:
    f = frame(fmt)
    trim = posters.Box(0, 0, fmt.width_mm, fmt.height_mm)
    assert trim.contains(f.safe)
    year, logo_box = posters.head_boxes(f, logo)
    if posters.is_banner(fmt):  # the slogan alone: no head, issuer, QR code or logo
        assert logo_box is None and f.body == f.safe and not f.rules
        return
    boxes = ([f.head, f.body, f.issuer, f.qr, f.caption, year, *f.rules]
             + ([logo_box] if logo else []) + ([f.theme] if f.theme.h else []))
    for box in boxes:
        assert f.safe.contains(box), (fmt.id, box)
        assert box.w > 0 and box.h > 0
    assert f.body.w * f.body.h > 0.15 * f.safe.w * f.safe.h, "the slogan gets a good part of the poster"


def site_with(**posters_fields) -> Site:
    return Site(title="t", description="d", base_url="https://example.org/", posters=PosterStyle(**posters_fields))


def campaign_with(**fields) -> Campaign:
    base = {"year": 2022, "slug": "x", "title": "t", "issuer": "某市质量协会", "theme": "主题一 主题二",
            "slogans": [SloganGroup(id="g", title="口号", items=["质量第一 用户至上", "质量月"])]}
    return Campaign(**{**base, **fields})


def test_style_merges_site_and_campaign_settings() -> None:
    site = site_with(background="#112233", accent="#445566", issuer_line="站点落款")
    st_ = posters.style(site, campaign_with(posters=PosterStyle(accent="#abcdef", logo="logo.svg")))
    got = (st_.background.rgb, st_.color.rgb, st_.accent.rgb, st_.issuer_line, st_.logo)
    assert got == ("#112233", "#ffffff", "#abcdef", "站点落款", "logo.svg")
    assert st_.formats == DEFAULT_FORMATS
    only_a4 = [PosterFormat(id="a4", name="A4", width_mm=210, height_mm=297)]
    assert [f.id for f in posters.style(site_with(), campaign_with(posters=PosterStyle(formats=only_a4))).formats] == ["a4"]
    assert posters.issuer_line(campaign_with(), posters.style(site_with(), campaign_with())) == "某市质量协会"


def test_each_colour_is_printed_in_the_inks_given_and_shown_in_the_rgb_given() -> None:
    """RGB and CMYK are a pair taken from the layer that sets either; the missing half is derived."""
    site = site_with(background="#b3141b", background_cmyk="C20 M100 Y100 K10", color_cmyk="C0 M0 Y0 K100")
    st_ = posters.style(site, campaign_with())
    assert st_.background == posters.Colour("#b3141b", (0.2, 1.0, 1.0, 0.1)), "both given: both kept, never converted"
    assert st_.color == posters.Colour("#000000", (0.0, 0.0, 0.0, 1.0)), "inks alone: the screen colour follows"
    assert st_.accent == posters.Colour("#ffd166", (0.0, 0.2, 0.65, 0.0)), "neither: the defaults, a pair"
    over = posters.style(site, campaign_with(posters=PosterStyle(background="#0000ff")))
    assert over.background == posters.Colour("#0000ff", (1.0, 1.0, 0.0, 0.0)), "the campaign's RGB wins, with inks of its own"
    assert over.inks["#0000ff"] == (1.0, 1.0, 0.0, 0.0) and over.inks[posters.QR_INK] == (0.0, 0.0, 0.0, 1.0)
    assert posters.rgb_of_cmyk((0.0, 1.0, 1.0, 0.0)) == "#ff0000" and posters.cmyk_of_rgb("#000000") == (0.0, 0.0, 0.0, 1.0)


def test_bad_formats_are_reported_by_name() -> None:
    twice = [PosterFormat(id="a4", name="A4", width_mm=210, height_mm=297)] * 2
    with pytest.raises(QmError, match="two poster formats have the id `a4`"):
        posters.style(site_with(formats=twice), campaign_with())
    # the model allows 5000 mm; with bleed that would still be a legal page, so build one that is not
    huge = PosterFormat(id="huge", name="巨幅", width_mm=5078, height_mm=2600)  # a banner that long is drawn at 1:10
    with pytest.raises(QmError, match=r"poster format `huge` is 5084 mm with bleed.*5080 mm"):
        posters.style(site_with(formats=[huge]), campaign_with())


def test_charset_holds_every_printed_character_and_nothing_without_posters() -> None:
    chars = posters.charset(site_with(), [campaign_with()])
    assert set(chars) == set("主题一二质量第用户至上月2022年“”某市协会扫码查看活动安排") | {GAP, " "}
    assert posters.charset(site_with(), [campaign_with(theme=None, slogans=[])]) == ""


def test_qr_code_is_one_path_with_a_quiet_zone() -> None:
    code = posters.qr("https://example.org/2022/x/")
    assert code.size == 29 + 8  # version 3 at level M, with 4 modules of quiet zone on each side
    assert code.path.startswith("M") and code.url == "https://example.org/2022/x/"


@pytest.mark.skipif(FACE is None, reason="fonts-noto-cjk is not installed")
def test_font_subset_has_exactly_the_characters_and_truetype_outlines() -> None:
    from fontTools.ttLib import TTFont

    text = "质量强国" + GAP + "2022“”"
    said: list[str] = []
    metrics, font = fonts.poster_font(text, say=said.append)
    assert metrics is NOTO and font is not None
    ttf = TTFont(io.BytesIO(font.data))
    assert ttf.flavor == "woff2" and "glyf" in ttf and "CFF " not in ttf
    assert set(ttf.getBestCmap()) == {ord(c) for c in text}
    assert said == [f"poster font subset: {round(len(font.data) / 1024)} KB, {len(set(text))} characters"]
    assert re.fullmatch(r"assets/poster-font\.[0-9a-f]{10}\.woff2", font.path)
    assert fonts.poster_font(text, say=said.append)[1] == font, "the same characters give the same file"


@pytest.mark.slow
@pytest.mark.skipif(FACE is None, reason="fonts-noto-cjk is not installed")
def test_a_subset_made_in_another_process_is_the_same_file(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("QM_SITE_CACHE", str(tmp_path))
    text = "检验检测" + GAP + "2023"
    said: list[str] = []
    metrics, later = fonts.poster_font_later(text, say=said.append)
    assert metrics is NOTO and not fonts.subset_ready(text) and said == []  # being made elsewhere while the caller goes on
    font = later()
    assert font is not None and said == [font.summary()] and fonts.subset_ready(text)
    assert fonts.poster_font(text, say=said.append)[1] == font  # from the disk cache the child's bytes went to
    assert fonts.subset_woff2(FACE, "".join(sorted(set(text)))) == font.data


def test_without_noto_the_build_says_so_once_and_uses_safe_metrics(monkeypatch) -> None:
    monkeypatch.setattr(fonts, "find_face", lambda weight="Bold": None)
    said: list[str] = []
    assert fonts.poster_font("质量", say=said.append) == (FALLBACK, None)
    assert said == [fonts.MISSING_NOTE]


# --- the pages the build makes ------------------------------------------------------------

SITE_YAML = """title: 质量月
description: 测试
base_url: https://example.org/
languages: [zh_CN, en]
posters:
  background: "#0d47a1"
"""
CAMPAIGN_YAML = """year: 2023
slug: demo
title: 关于开展2023年“质量月”活动的通知
issuer: 某市质量协会
theme: 质量强国 你我同行
slogans:
  - id: main
    title: 活动口号
    items:
      - 坚持质量第一 建设质量强国
      - 质量月
"""


def make_content(folder: Path, site: str = SITE_YAML, campaign: str = CAMPAIGN_YAML) -> Path:
    """A content folder with one campaign, written from YAML text."""
    (folder / "2023-demo").mkdir(parents=True)
    (folder / "site.yaml").write_text(site, encoding="utf-8")
    (folder / "2023-demo" / "campaign.yaml").write_text(campaign, encoding="utf-8")
    return folder


@pytest.mark.slow
def test_build_makes_a_gallery_and_one_sheet_per_format(tmp_path: Path) -> None:
    pdfs = frozenset(f"2023-demo-{f.id}.pdf" for f in DEFAULT_FORMATS[:2])
    files, _ = builder.render_site(content_mod.load(make_content(tmp_path / "content")), pdfs=pdfs)
    for lang in ("", "en/"):
        gallery = files[f"{lang}2023/demo/posters/index.html"].decode()
        for anchor in ("theme", "s1", "s2"):
            assert f'id="{anchor}"' in gallery
        for f in DEFAULT_FORMATS:  # only PDFs that exist are linked
            assert (f'pdf/2023-demo-{f.id}.pdf" download' in gallery) == (f"2023-demo-{f.id}.pdf" in pdfs)
            sheet = files[f"{lang}2023/demo/posters/{f.id}/index.html"].decode()
            assert sheet.count('class="sheet-page f-') == 3
            if posters.is_banner(f):  # as long as each slogan needs: a named page each; the slogan alone
                assert sheet.count("@page b") == 3 and "--bg:#0d47a1" in sheet and "pa-qr" not in sheet
                continue
            assert f"@page {{ size: {f.width_mm + 6:g}mm {f.height_mm + 6:g}mm; margin: 0; }}" in sheet
            assert "--bg:#0d47a1" in sheet and "某市质量协会" in sheet and "扫码查看活动安排" in sheet
            assert re.search('>2023年(</span><span class="pa-line">)?“质量月”<', sheet)  # the campaign's name, from its title
    sitemap = files["sitemap.xml"].decode()
    assert "https://example.org/2023/demo/posters/" in sitemap and "posters/a4/" not in sitemap
    assert any(name.startswith("assets/poster-font.") for name in files) == (FACE is not None)
    assert builder.render_site(content_mod.load(tmp_path / "content"), pdfs=pdfs)[0] == files, "same input, same bytes"
    no_pdfs = builder.render_site(content_mod.load(tmp_path / "content"))[0]
    for page, says in (("2023/demo/posters/index.html", "另存为 PDF"), ("en/2023/demo/posters/index.html", "save it as a PDF")):
        html = no_pdfs[page].decode()  # no developer instruction, no link to a missing PDF
        assert "build.py" not in html and "pdf/2023-demo" not in html and says in html


def test_a_missing_logo_is_an_error_with_its_location(tmp_path: Path) -> None:
    site = SITE_YAML + "  logo: nowhere.svg\n"
    with pytest.raises(QmError) as caught:
        builder.render_site(content_mod.load(make_content(tmp_path / "content", site=site)))
    problem = caught.value.problems[0]
    assert "poster logo `nowhere.svg` is not in assets/" in problem.message
    assert problem.path.endswith("site.yaml") and problem.line == 6  # the posters: mapping


def test_a_campaign_without_slogans_has_no_poster_pages(tmp_path: Path) -> None:
    bare = "\n".join(CAMPAIGN_YAML.splitlines()[:4]) + "\n"
    files, _ = builder.render_site(content_mod.load(make_content(tmp_path / "content", campaign=bare)))
    assert not any("/posters/" in name for name in files)
    assert not any(name.startswith("assets/poster-font.") for name in files)


def test_font_metrics_survive_the_disk_cache_and_a_damaged_entry_is_refused() -> None:
    if FACE is None:
        pytest.skip("needs Noto Sans CJK")
    packed = fonts._pack_metrics(NOTO)
    back = fonts._unpack_metrics(packed)
    assert back is not None and all(back.advance(ch) == NOTO.advance(ch) and back.vadvance(ch) == NOTO.vadvance(ch)
                                    for ch in "质量月 2023，“A”")
    assert fonts._unpack_metrics(packed[:-3]) is None  # then face_metrics reads the font again
