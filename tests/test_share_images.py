"""Share images, the touch icon and the digital formats (site/share.py, printing/raster.py): drawn without a browser.

One seed campaign (2022-national) with content/site.yaml is built by the command line with no Chromium on PATH;
a second build, in another cache, must give the same bytes. Every image is opened for its size; the campaign
page's first <img> and its og:image name the share image; every character drawn is in the font's cmap.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import CONTENT, ROOT

from qm_site.printing import posters, raster
from qm_site.site import share

pytestmark = pytest.mark.skipif(share.face() is None, reason="no Noto Sans CJK SC (font package or fonts-noto-cjk)")
CAMPAIGN = "2022-national"
BASE = "https://qm-site.netlify.app/"  # content/site.yaml's base_url


def build(content: Path, out: Path, cache: Path) -> None:
    """The command-line build, with a PATH that holds no chromium (what Netlify's image has)."""
    bare = out.parent / "bin"
    bare.mkdir(exist_ok=True)
    env = {**os.environ, "PATH": str(bare), "QM_SITE_CACHE": str(cache), "SOURCE_DATE_EPOCH": "1700000000"}
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--no-search", "--content", str(content),
                           "--out", str(out)], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The campaign built twice, each time with an empty cache of its own."""
    root = tmp_path_factory.mktemp("share")
    content = root / "content"
    shutil.copytree(CONTENT / CAMPAIGN, content / CAMPAIGN)
    shutil.copy(CONTENT / "site.yaml", content / "site.yaml")
    outs = []
    for n in (1, 2):
        (root / str(n)).mkdir()
        build(content, root / str(n) / "public", root / str(n) / "cache")
        outs.append(root / str(n) / "public")
    return outs[0], outs[1]


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the PNG's header (and that it is a PNG)."""
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


@pytest.mark.slow
def test_every_image_has_its_size(sites):
    site = sites[0]
    campaign = site / "2022" / "national"
    assert png_size(campaign / "share.png") == (1200, 630)
    assert png_size(campaign / "share-600x600.png") == (600, 600)
    assert png_size(site / "apple-touch-icon.png") == (180, 180)
    digital = sorted((campaign / "images").glob("*.png"))
    anchors = {p.name.rsplit("-", 1)[0] for p in digital}
    assert "theme" in anchors and len(anchors) == 16  # the theme and 15 slogans of the national notice
    for anchor in anchors:
        for kind, w, h in share.DIGITAL:
            assert png_size(campaign / "images" / f"{anchor}-{w}x{h}.png") == (w, h), (anchor, kind)


@pytest.mark.slow
def test_two_builds_are_byte_equal(sites):
    first, second = sites
    images = sorted(p.relative_to(first) for p in first.rglob("*.png"))
    assert len(images) == 2 + 16 * 3 + 1
    assert images == sorted(p.relative_to(second) for p in second.rglob("*.png"))
    different = [str(p) for p in images if (first / p).read_bytes() != (second / p).read_bytes()]
    assert not different


class Head(HTMLParser):
    """The page's meta tags by property/name/itemprop, and its <img> elements in order."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.imgs: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "meta":
            for key in ("property", "name", "itemprop"):
                if key in a:
                    self.meta[a[key]] = a.get("content", "")
        elif tag == "img":
            self.imgs.append(a)


def parsed(path: Path) -> Head:
    head = Head()
    head.feed(path.read_text("utf-8"))
    return head


@pytest.mark.slow
@pytest.mark.parametrize("page", ["2022/national/index.html", "en/2022/national/index.html"])
def test_campaign_page_shows_and_names_the_share_image(sites, page):
    site = sites[0]
    head = parsed(site / page)
    first = head.imgs[0]
    assert (site / page).parent.joinpath(first["src"]).resolve() == (site / "2022/national/share.png").resolve()
    assert "推动质量变革创新" in first["alt"] and "2022" in first["alt"]
    assert (first["width"], first["height"]) == ("1200", "630")
    assert head.meta["og:image"] == BASE + "2022/national/share.png"
    assert head.meta["image"] == BASE + "2022/national/share.png"  # itemprop, read by QQ and WeChat
    assert head.meta["og:image:width"] == "1200" and head.meta["og:image:height"] == "630"


@pytest.mark.slow
def test_every_campaign_page_has_a_short_share_title_and_the_icon(sites):
    site = sites[0]
    # the print sheets (posters/a4/, notice/print/) are for printing, not sharing
    readers = [p for p in sorted((site / "2022").rglob("index.html"))
               if p.parent.parent.name != "posters" and p.parent.name != "print"]
    assert len(readers) == 7  # the campaign page, its reader sub-pages and the 公众号 article (merged beside this test)
    for page in readers:
        html = page.read_text("utf-8")
        head = parsed(page)
        assert len(head.meta["og:title"]) <= share.SHARE_TITLE_MAX + 4, (page, head.meta["og:title"])
        assert head.meta["og:image"].startswith(BASE), page
        icon = re.search(r'<link rel="apple-touch-icon" href="([^"]+)">', html)
        assert icon and (page.parent / icon.group(1)).resolve() == (site / "apple-touch-icon.png").resolve()
    national = parsed(site / "2022/national/index.html").meta["og:title"]
    assert national == "2022年全国“质量月”"  # the title is 33 characters: the campaign's name as the notice writes it


@pytest.mark.slow
def test_gallery_links_each_digital_format_with_its_size(sites):
    site = sites[0]
    page = site / "2022/national/posters/index.html"
    html = page.read_text("utf-8")
    links = re.findall(r'<a href="([^"]+\.png)">([^<]+)<', html)
    assert len(links) == 16 * 3
    for href, label in links:
        w, h = re.search(r"(\d+)×(\d+)", label).groups()
        assert png_size((page.parent / href).resolve()) == (int(w), int(h))
    assert "公众号封面 900×383" in html


def seed_cards():
    """Every card of every seed campaign, made as the build makes them (nothing drawn)."""
    from qm_site.site import pages
    from qm_site.source import content as content_mod

    loaded = content_mod.load(CONTENT)
    for entry in loaded.entries:
        view = pages.campaign_view(entry, "zh_CN", lambda text: text)
        yield from share.campaign_cards(loaded.site, view).values()
    yield share.icon_card(loaded.site)


def test_the_font_draws_every_character_of_every_seed_image():
    face = share.face()
    cards = list(seed_cards())
    text = "".join(c.head + c.body + c.foot for c in cards)
    assert len(cards) > 200 and not raster.missing_glyphs(face, text)
    assert raster.missing_glyphs(face, "质量\ue000月") == "\ue000"  # a private-use character is not in the font: it is reported


def test_every_line_fits_its_card():
    face = share.face()
    for card in seed_cards():
        metrics = raster.measured(face, card.head + card.body + card.foot + posters.GAP)
        placed = raster.layout(card, metrics)
        for p in placed:
            assert p.size >= 12, card
            for line in p.lines:
                assert p.x + raster.line_width(line, p.size, metrics) <= card.width - p.x + 0.5, (card, line)
            assert p.y >= 0 and p.y + raster.LINE_HEIGHT * p.size * len(p.lines) <= card.height, card
        body = placed[1 if card.head else 0]
        assert "".join("".join(line.split()) for line in body.lines).replace(posters.GAP, "") == "".join(card.body.split())


def test_share_title_of_a_long_title_is_the_campaign_name():
    from qm_site.site.pages import Page

    class View:
        class c:  # noqa: N801 - a stand-in for the campaign view's campaign
            year = 2022
            title = "关于组织开展2022年珠海市企业“质量月”活动的通知"
            issuer, issuer_label = "珠海市质量协会", None

    page = Page("2022/zhuhai/", "campaign.html", "zh_CN", View.c.title, "", {}, "2022-zhuhai")
    assert share.share_title(page, View) == "2022年珠海市企业“质量月”"
    sub = Page("2022/zhuhai/schedule/", "schedule.html", "zh_CN", "活动安排 · " + View.c.title, "", {}, "2022-zhuhai")
    assert share.share_title(sub, View) == "活动安排 · 2022年珠海市企业“质量月”"
    short = Page("slogans/", "library.html", "zh_CN", "口号库", "", {}, None)
    assert share.share_title(short, None) == "口号库"


@pytest.mark.slow
def test_the_share_image_is_drawn_in_the_poster_colours(sites):
    from PIL import Image

    image = Image.open(sites[0] / "2022/national/share.png").convert("RGB")
    colours = dict((c, n) for n, c in image.getcolors(256))
    ground, text, accent = (0xB3, 0x14, 0x1B), (0xFF, 0xFF, 0xFF), (0xFF, 0xD1, 0x66)  # content/site.yaml's posters
    assert colours[ground] > 0.7 * 1200 * 630 and colours[text] > 5000 and colours[accent] > 1000
    head = image.crop((0, 0, 1200, 100)).getcolors(256)
    assert text not in {c for _, c in head}  # the head (the campaign's name) is in the accent, not the text colour


def test_images_are_cached_by_their_card(tmp_path, monkeypatch):
    monkeypatch.setenv("QM_SITE_CACHE", str(tmp_path))
    face = share.face()
    card = raster.Card(300, 300, "2022年全国“质量月”", "质量第一 效益优先", "市场监管总局", "#b3141b", "#ffffff", "#ffd166")
    first = raster.png(card, face)
    assert [p.read_bytes() for p in (tmp_path / "images").iterdir()] == [first]

    def no_drawing(*_args):
        raise AssertionError("a cached card was drawn again")

    monkeypatch.setattr(raster, "render", no_drawing)
    assert raster.png(card, face) == first
    with pytest.raises(AssertionError, match="drawn again"):  # another text is another entry
        raster.png(raster.Card(300, 300, card.head, "质量强国", card.foot, card.background, card.color, card.accent), face)


def logo_png(colour: tuple[int, int, int]) -> bytes:
    """A 200×100 PNG logo: a disc of `colour` on a transparent ground."""
    from PIL import Image, ImageDraw

    logo = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    ImageDraw.Draw(logo).ellipse((50, 0, 150, 100), fill=(*colour, 255))
    buf = io.BytesIO()
    logo.save(buf, "PNG")
    return buf.getvalue()


def test_the_posters_png_logo_is_drawn_at_the_head_and_an_svg_one_left_off():
    from PIL import Image

    from qm_site.source.model import PosterStyle, Site, Theme

    blue = (10, 60, 200)
    site = Site(title="t", description="d", base_url="https://example.org/", theme=Theme(logo="logo.png"))
    campaign = type("C", (), {"posters": PosterStyle(logo="own.svg"), "key_visual": None, "loc": None})()
    assets = {"logo.png": logo_png(blue), "own.svg": b"<svg/>", "other.png": b""}
    assert share.card_logos(site, [], assets) == {}
    plain = type("C", (), {"posters": None, "key_visual": None, "loc": None})()
    assert share.card_logos(site, [plain, campaign], assets) == {"logo.png": assets["logo.png"]}, "PNG only: Pillow draws no SVG"
    face = share.face()
    for w, h in ((1200, 630), (1080, 1920), (900, 383)):
        card = raster.Card(w, h, "2022年全国“质量月”", "质量第一 效益优先", "市场监管总局", "#b3141b", "#ffffff", "#ffd166",
                           assets["logo.png"], "x")
        image = Image.open(io.BytesIO(raster.render(card, face))).convert("RGB")
        side, margin = raster.logo_side(card), round(0.075 * min(w, h))
        centre = (w - margin - side // 2, margin + side // 2)
        assert image.getpixel(centre) == blue, (w, h)
        logo_corner = image.getpixel((w - margin // 2, margin // 2))
        assert logo_corner == (0xB3, 0x14, 0x1B), "the logo's transparent ground shows the card's"
        metrics = raster.measured(face, card.head + card.body + card.foot + posters.GAP)
        head = raster.layout(card, metrics)[0]
        assert head.x + raster.line_width(head.lines[0], head.size, metrics) <= w - margin - side, "the head keeps clear of it"


def test_the_build_draws_the_theme_logo_on_the_share_images(tmp_path):
    from PIL import Image

    content = tmp_path / "content"
    shutil.copytree(CONTENT / CAMPAIGN, content / CAMPAIGN)
    (content / "assets").mkdir()
    (content / "assets" / "logo.png").write_bytes(logo_png((10, 60, 200)))
    site_yaml = (CONTENT / "site.yaml").read_text(encoding="utf-8")
    (content / "site.yaml").write_text(site_yaml + "theme:\n  logo: logo.png\n", encoding="utf-8")
    build(content, tmp_path / "public", tmp_path / "cache")
    for name in ("share.png", "images/theme-1080x1080.png"):
        image = Image.open(tmp_path / "public/2022/national" / name).convert("RGB")
        assert (10, 60, 200) in {c for _, c in image.getcolors(1 << 16)}, name


def test_the_touch_icon_takes_the_posters_colours_from_the_theme_and_style():
    from qm_site.source.model import PosterStyle, Site, Theme

    def icon(**fields) -> tuple[str, str, str]:
        card = share.icon_card(Site(title="t", description="d", base_url="https://example.org/", **fields))
        return card.background, card.color, card.accent

    assert icon() == ("#b3141b", "#ffffff", "#ffd166")
    assert icon(theme=Theme(primary="#1d4e89"))[0] == "#1d4e89", "the theme's primary, as on the posters"
    assert icon(posters=PosterStyle(style="light"))[:2] == ("#fbf6ec", "#b3141b")
