"""Slogan posters: formats and styles, the poster grid, text fitting, QR codes (pure, no I/O).

Every size is in millimetres from the trimmed poster's top-left corner. Text is fitted
at build time from font metrics (`fonts.Metrics`): each slogan is set as large as its
format allows inside the safe margin, breaking lines only at the slogan's own spaces.
The print sheets (HTML, templates/_poster.html) and the gallery's small SVG previews
are both drawn from the same grid and fits, so the gallery shows what the PDF prints.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache, cached_property, lru_cache
from typing import Protocol

from markupsafe import Markup, escape

from .. import cache as disk_cache
from ..errors import Collector, QmError
from ..i18n import N_
from ..source.model import DEFAULT_FORMATS, NOWHERE, Campaign, Loc, PosterFormat, Site, spaced, theme_first
from ..source.theme import poster_layer
from ..urls import LANG_PREFIX
from . import fonts, linebreak
from .fonts import Metrics

BLEED_MM = 3.0
MAX_PAGE_MM = 5080.0  # a PDF page side may not exceed 200 inches
BANNER_TEXT = 0.65  # banner text is set at 65 % of the banner's height (喷绘 shops set 60-70 %)
BANNER_END = 0.5  # each end of a banner is left clear for half its height
BANNER_SCALE = 10  # banners longer than a PDF page may be are drawn at 1:10, as shops take them
GAP, SPACE = linebreak.GAP, linebreak.SPACE  # between a slogan's halves on one line: ideographic, or plain between Latin words
LINE_HEIGHT = 1.3
SAFETY = 0.995  # browsers round positions to 1/64 px; keep half a percent in hand
AUTOSPACE_EM = 0.125  # `text-autospace` adds 1/8 em between ideographs and Latin letters or digits
# On every poster (poster.css) and 公文 page (gongwen.html, translated) of a draft printed for review.
DRAFT_MARK = "草稿，仅供内部审阅"
WORDMARK = "质量月"  # what makes a poster a Quality Month poster: the campaign's name holds it (campaign_name)
QR_CAPTION = "扫码查看活动安排"  # under every poster's QR code: a bare code says nothing of what it opens
CAPTION_SHARE = 0.045  # the caption's height, a share of the poster's short side
VISUAL_SHARE = 0.18  # the key visual's band above the head, a share of the short side (A4: 5.4:1 with its bleed)
THEME_ROOM = 1.2  # a vertical (non-banner) poster at least this much taller than wide prints the theme under its head
NAME = re.compile(r"(\d{4}年)([^“”\"，。、\s]{0,12}?[“\"]质量月[”\"])")  # 2022年全国“质量月” in a notice's title
SET_SPREAD = 1.25  # the slogans of a set are set at sizes within this ratio: the longest sets the size, short ones grow a little
TCY = re.compile(r"(?<![0-9])[0-9]{2,4}(?![0-9])")  # digits set in one upright square in vertical text (years, 21)
PREVIEW_PX = (300.0, 170.0)  # gallery previews fit this box (CSS px)
TEMPLATES = ("posters.html", "poster_sheet.html")
# Each colour as shown on screens and as printed: the campaign red is specified in inks, its screen RGB beside it.
# The poster style (`style:` in site.yaml or campaign.yaml) picks the defaults a campaign's own colours override.
STYLES = {
    "official": {"background": ("#b3141b", "C20 M100 Y100 K10"), "color": ("#ffffff", "C0 M0 Y0 K0"),
                 "accent": ("#ffd166", "C0 M20 Y65 K0")},  # red ground, white slogan, gold name: the 质量月 red
    "light": {"background": ("#fbf6ec", "C0 M3 Y8 K0"), "color": ("#b3141b", "C20 M100 Y100 K10"),
              "accent": ("#8a6a12", "C0 M25 Y90 K45")},  # paper ground, red slogan, dark gold name: indoors, less ink
}
DEFAULT_COLORS = STYLES["official"]
QR_INK = "#1a1a1a"  # the QR code's modules on screens; printed in black ink alone (K100), so they stay crisp
QR_PAPER = "#ffffff"  # the QR code's ground (poster.css): no ink


# --- style -------------------------------------------------------------------------


@dataclass(frozen=True)
class Colour:
    """One poster colour: its RGB for screens and its CMYK inks (0-1) for print."""

    rgb: str
    cmyk: tuple[float, float, float, float]

    def __str__(self) -> str:
        return self.rgb


def parse_cmyk(text: str) -> tuple[float, float, float, float]:
    """`C0 M100 Y100 K10` (already checked by the model's pattern) as four ink fractions."""
    c, m, y, k = (int(part[1:]) / 100 for part in text.split())
    return c, m, y, k


def rgb_of_cmyk(cmyk: tuple[float, float, float, float]) -> str:
    """A screen colour for inks given alone (the uncalibrated formula: give `background` etc. for an exact one)."""
    c, m, y, k = cmyk
    return "#" + "".join(f"{round(255 * (1 - v) * (1 - k)):02x}" for v in (c, m, y))


def cmyk_of_rgb(rgb: str) -> tuple[float, float, float, float]:
    """Inks for a screen colour given alone (the uncalibrated formula: give `background_cmyk` etc. for exact inks)."""
    r, g, b = (int(rgb[i:i + 2], 16) / 255 for i in (1, 3, 5))
    k = 1 - max(r, g, b)
    if k >= 1:
        return 0.0, 0.0, 0.0, 1.0
    c, m, y = (round((1 - v - k) / (1 - k), 2) for v in (r, g, b))
    return c, m, y, round(k, 2)


def colour(layers, name: str, defaults: dict[str, tuple[str, str]] = DEFAULT_COLORS) -> Colour:
    """A colour from the last layer that sets it (RGB, CMYK or both), else the style's; the other half derived when left out."""
    rgb, cmyk = defaults[name]
    for layer in layers:
        own_rgb, own_cmyk = getattr(layer, name), getattr(layer, name + "_cmyk")
        if own_rgb or own_cmyk:
            rgb, cmyk = own_rgb, own_cmyk
    inks = parse_cmyk(cmyk) if cmyk else cmyk_of_rgb(rgb)
    return Colour(rgb.lower() if rgb else rgb_of_cmyk(inks), inks)


@dataclass(frozen=True)
class Style:
    """The poster settings in force for one campaign."""

    background: Colour
    color: Colour
    accent: Colour
    issuer_line: str | None
    logo: str | None
    logo_loc: Loc
    formats: tuple[PosterFormat, ...]
    key_visual: str | None = None  # a picture of content/assets/ in a band across the top of stacked posters
    key_visual_loc: Loc = NOWHERE

    @property
    def css(self) -> str:
        """Colours as CSS custom properties for a style attribute."""
        return f"--bg:{self.background.rgb};--fg:{self.color.rgb};--accent:{self.accent.rgb}"

    @property
    def inks(self) -> dict[str, tuple[float, float, float, float]]:
        """What each screen colour of a poster is printed with: the style's colours, the QR code in black ink."""
        out = {QR_PAPER: (0.0, 0.0, 0.0, 0.0), QR_INK: (0.0, 0.0, 0.0, 1.0)}
        out.update((c.rgb, c.cmyk) for c in (self.background, self.color, self.accent))
        return out


def style(site: Site, c: Campaign | None) -> Style:
    """The site's poster settings with the campaign's overrides on top (None: the site's own); formats checked."""
    layers = [s for s in (poster_layer(site.theme), site.posters, c.posters if c else None) if s is not None]

    def pick(name: str):
        value = None
        for layer in layers:
            if getattr(layer, name) is not None:
                value = getattr(layer, name)
        return value

    logo_layer = next((s for s in reversed(layers) if s.logo is not None), None)
    formats = tuple(pick("formats") or DEFAULT_FORMATS)
    _check_formats(formats)
    defaults = STYLES[pick("style") or "official"]
    # a campaign that chooses a style starts from that style's colours, not from the site's colours for another one
    tinted = layers[max((i for i, layer in enumerate(layers) if layer.style is not None), default=0):]
    return Style(
        background=colour(tinted, "background", defaults), color=colour(tinted, "color", defaults),
        accent=colour(tinted, "accent", defaults),
        issuer_line=pick("issuer_line"), logo=pick("logo"), logo_loc=logo_layer.loc if logo_layer else NOWHERE, formats=formats,
        key_visual=c and c.key_visual or site.theme.key_visual, key_visual_loc=c.loc if c and c.key_visual else site.theme.loc,
    )


def _check_formats(formats: tuple[PosterFormat, ...]) -> None:
    """Format ids name URLs and PDFs, so they must be unique; pages must fit in a PDF."""
    errors = Collector()
    seen: set[str] = set()
    for f in formats:
        if f.id in seen:
            errors.add(f.loc.path or "site.yaml", f.loc.line, f.loc.column, N_("two poster formats have the id `%(id)s`", id=f.id),
                       N_("give each format its own id"))
        seen.add(f.id)
        side = max(f.width_mm, f.height_mm) + 2 * BLEED_MM
        if side > MAX_PAGE_MM and not is_banner(f):  # banners beyond the limit are drawn at 1:10
            errors.add(f.loc.path or "site.yaml", f.loc.line, f.loc.column,
                       N_("poster format `%(id)s` is %(size)s mm with bleed; a PDF page side may not exceed %(max)s mm",
                          id=f.id, size=f"{side:g}", max=f"{MAX_PAGE_MM:g}"),
                       N_("make the format smaller, or print it in tiles"))
    errors.raise_if_any()


# --- geometry ------------------------------------------------------------------------


@cache  # poster templates format the same few lengths tens of thousands of times
def _num(v: float) -> str:
    """A length for CSS: at most two decimals, no trailing zeros."""
    return f"{v:.2f}".rstrip("0").rstrip(".")


def mm(v: float) -> str:
    """A CSS length in millimetres."""
    return _num(v) + "mm"


@dataclass(frozen=True)
class Box:
    """A rectangle in mm from the trimmed poster's top-left corner."""

    x: float
    y: float
    w: float
    h: float

    @cache  # noqa: B019 - a format's few frozen boxes are shared by every poster of it; they live as long as the format
    def css(self) -> str:
        """Absolute position and size for a style attribute."""
        return f"left:{mm(self.x)};top:{mm(self.y)};width:{mm(self.w)};height:{mm(self.h)}"

    def contains(self, other: Box, tol: float = 1e-6) -> bool:
        """Whether `other` lies inside this box."""
        return (other.x >= self.x - tol and other.y >= self.y - tol
                and other.x + other.w <= self.x + self.w + tol and other.y + other.h <= self.y + self.h + tol)

    @cache  # noqa: B019 - a format's few frozen boxes are shared by every poster of it; they live as long as the format
    def svg(self) -> Markup:
        """Position attributes of an SVG <rect> or <use>."""
        return Markup(f'x="{_num(self.x)}" y="{_num(self.y)}" width="{_num(self.w)}" height="{_num(self.h)}"')

    @cache  # noqa: B019 - a format's few frozen boxes are shared by every poster of it; they live as long as the format
    def attr(self) -> str:
        """The box as 'x y w h' for data attributes (tests read it)."""
        return " ".join(_num(v) for v in (self.x, self.y, self.w, self.h))


@dataclass(frozen=True)
class Frame:
    """Where things go on a poster of one format."""

    kind: str  # "stack" (head, body, foot from top to bottom), "vertical" (vertical text), "banner" or "banner vertical"
    safe: Box  # inside the safe margin; everything printed lies in it
    head: Box  # the year, and the logo if there is one
    year_max: float  # largest year size, mm
    body: Box  # the slogan
    issuer: Box
    issuer_max: float
    qr: Box
    rules: tuple[Box, ...]  # accent rules
    caption: Box = Box(0, 0, 0, 0)  # under the QR code: what scanning it gives (QR_CAPTION)
    theme: Box = Box(0, 0, 0, 0)  # under the head: the campaign's theme, on every slogan's poster
    visual: Box = Box(0, 0, 0, 0)  # the key visual's band above the head, into the bleed at the top and sides


def is_banner(fmt: PosterFormat) -> bool:
    """A 横幅 or 竖幅: a strip more than twice as long as it is high, one line of text whose length sets its own."""
    return fmt.height_mm > 2 * fmt.width_mm if fmt.vertical else fmt.width_mm > 2 * fmt.height_mm


@cache  # a handful of formats, asked for by every poster's fit
def frame(fmt: PosterFormat, visual: bool = False) -> Frame:
    """The grid of a format, in proportion to its short side; `visual`: with a key visual's band (stacked posters)."""
    W, H = fmt.width_mm, fmt.height_mm
    if is_banner(fmt):
        return _banner_frame(W, H, fmt.vertical)
    if fmt.vertical:
        return _vertical_frame(W, H)
    return _stack_frame(W, H, visual)


def _stack_frame(W: float, H: float, visual: bool = False) -> Frame:
    s = min(W, H)
    m = 0.07 * s
    band = VISUAL_SHARE * s if visual else 0.0  # the picture takes the top; the head and all under it move down
    head = Box(m, band + m, W - 2 * m, 0.11 * s)
    q, cap = 0.2 * s, CAPTION_SHARE * s
    qr = Box(W - m - q, H - m - q - cap, q, q)
    theme = Box(m, head.y + 0.16 * s, W - 2 * m, 0.065 * s)
    body_top = theme.y + theme.h + 0.04 * s
    return Frame(
        "stack", Box(m, m, W - 2 * m, H - 2 * m), head, head.h / LINE_HEIGHT,
        Box(m, body_top, W - 2 * m, qr.y - 0.06 * s - body_top),
        Box(m, qr.y, qr.x - 0.05 * s - m, q + cap), 0.055 * s, qr,
        (Box(m, head.y + 0.135 * s, W - 2 * m, 0.006 * s),), Box(qr.x, H - m - cap, q, cap), theme,
        Box(-BLEED_MM, -BLEED_MM, W + 2 * BLEED_MM, band + BLEED_MM) if visual else Box(0, 0, 0, 0),
    )


def _banner_frame(W: float, H: float, vertical: bool) -> Frame:
    """A banner as shops make it: the slogan alone, its ends clear; no head, issuer or QR code (nobody scans a façade)."""
    s = W if vertical else H
    end, edge = BANNER_END * s, 0.05 * s
    body = Box(edge, end, W - 2 * edge, H - 2 * end) if vertical else Box(end, edge, W - 2 * end, H - 2 * edge)
    none = Box(0, 0, 0, 0)
    return Frame("banner vertical" if vertical else "banner", body, none, 0.0, body, none, 0.0, none, ())


def _vertical_frame(W: float, H: float) -> Frame:
    s = W
    m = 0.07 * s
    head_h = min(0.3 * s, 0.12 * H)
    q = min(0.3 * s, 0.2 * H)
    cap = CAPTION_SHARE * s
    foot_h = max(q + cap, min(0.7 * s, 0.3 * H))
    issuer_max = min(0.07 * s, foot_h / 6)
    # the theme across the poster under the rule, as on A4 and A3, when the poster is tall enough to spare the room
    theme = Box(m, m + head_h + 0.06 * s, W - 2 * m, 0.08 * s) if H >= THEME_ROOM * W else Box(0, 0, 0, 0)
    body_top = theme.y + theme.h + 0.04 * s if theme.h else m + head_h + 0.06 * s
    return Frame(
        "vertical", Box(m, m, W - 2 * m, H - 2 * m), Box(m, m, W - 2 * m, head_h), min(0.22 * s, head_h),
        Box(m, body_top, W - 2 * m, H - m - foot_h - 0.06 * s - body_top),
        Box(m, H - m - foot_h, issuer_max * LINE_HEIGHT, foot_h), issuer_max,
        Box(W - m - q, H - m - q - cap, q, q),
        (Box(m, m + head_h + 0.03 * s, W - 2 * m, 0.006 * s),), Box(W - m - q, H - m - cap, q, cap), theme,
    )


def head_boxes(f: Frame, has_logo: bool) -> tuple[Box, Box | None]:
    """The year's box and the logo's, sharing the head."""
    head = f.head
    if not has_logo or f.kind.startswith("banner"):  # a banner is its slogan alone
        return head, None
    if f.kind == "stack":  # year at the left, logo at the right, one row
        return Box(head.x, head.y, head.w - head.h * 1.2, head.h), Box(head.x + head.w - head.h, head.y, head.h, head.h)
    side = min(head.w, head.h) * 0.45  # vertical: logo on top, year under it
    logo = Box(head.x + (head.w - side) / 2, head.y, side, side)
    return Box(head.x, head.y + side * 1.15, head.w, head.h - side * 1.15), logo


# --- text fitting ---------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """Fitted text: its lines (columns when vertical), font size and block size in mm."""

    lines: tuple[str, ...]
    size: float
    width: float
    height: float
    vertical: bool

    @property
    def text(self) -> str:
        """The lines as one line."""
        return join(self.lines)


join = linebreak.join_halves  # parts set on one line: an ideographic space between them, a plain one between Latin words


def _is_ideograph(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\u3040" <= ch <= "\u30ff" or ch >= "\U00020000"


def _round_down(size: float) -> float:
    """A font size with the safety margin, down to 0.01 mm."""
    return math.floor(size * SAFETY * 100) / 100


def measure(line: str, vertical: bool, metrics: Metrics) -> float:
    """Length of one line (or column) in em, including the autospace browsers add."""
    advance = metrics.vadvance if vertical else metrics.advance
    squares = TCY.findall(line) if vertical else []  # each run of digits is one em square (text-combine-upright)
    total = sum(advance(ch) for ch in (TCY.sub("", line) if squares else line)) + len(squares)
    for a, b in zip(line, line[1:]):
        if (_is_ideograph(a) and linebreak.is_latin(b)) or (linebreak.is_latin(a) and _is_ideograph(b)):
            total += AUTOSPACE_EM
    return total


@lru_cache(maxsize=4096)
def fit_parts(parts: tuple[str, ...], box_w: float, box_h: float, vertical: bool, metrics: Metrics,
              one_line: bool = False, max_size: float = math.inf) -> Layout:
    """Group `parts` into lines and choose the largest font size that fits the box.

    For each number of lines k, the split with the shortest longest line is found
    (dynamic programming over the breaks between parts); its size is limited by the
    longest line along the text and k line heights across it. The largest size wins;
    on a tie, fewer lines.
    """
    n = len(parts)
    if n == 0:
        return Layout((), 0.0, 0.0, 0.0, vertical)
    along, across = (box_h, box_w) if vertical else (box_w, box_h)
    length = _line_lengths(parts, vertical, metrics)
    # best[k][j]: (longest line, breaks) for the first j parts in k lines
    best: list[dict[int, tuple[float, tuple[int, ...]]]] = [{0: (0.0, ())}]
    choice: tuple[float, int, tuple[int, ...]] | None = None
    for k in range(1, (1 if one_line else n) + 1):
        row: dict[int, tuple[float, tuple[int, ...]]] = {}
        for j in range(k, n + 1):
            prev = best[k - 1]  # zero lines hold zero parts only, hence the membership test
            row[j] = min((max(prev[i][0], length[i, j]), prev[i][1] + (i,)) for i in range(k - 1, j) if i in prev)
        best.append(row)
        longest, breaks = row[n]
        fits_along = along / longest if 0 < longest < math.inf else 0.0 if longest else math.inf
        size = min(fits_along, across / (k * LINE_HEIGHT), max_size)
        if choice is None or size > choice[0] + 1e-9:
            choice = (size, k, breaks)
    assert choice is not None  # k = 1 always gives one
    size, k, breaks = choice
    cuts = list(breaks[1:]) + [n]
    return _layout(tuple(join(parts[a:b]) for a, b in zip(breaks, cuts)), size, vertical, metrics)


@lru_cache(maxsize=1024)
def _line_lengths(parts: tuple[str, ...], vertical: bool, metrics: Metrics) -> dict[tuple[int, int], float]:
    """The length in em of every line parts[i:j] could make; the same for every format and size, so measured once."""
    n = len(parts)
    return {(i, j): measure(join(parts[i:j]), vertical, metrics) for i in range(n) for j in range(i + 1, n + 1)}


def fit(text: str, fmt: PosterFormat, metrics: Metrics, max_size: float = math.inf, visual: bool = False) -> Layout:
    """A slogan as large as the format's body box allows (up to max_size), in balanced lines (linebreak.settings).

    Banners set it on one line, its halves a space apart; other formats set each half on its own line(s), broken
    between phrases, never inside a key term, only when that sets the slogan clearly larger (linebreak.choose).
    `visual`: the format's grid with a key visual's band (frame).
    """
    body = frame(fmt, visual).body
    if is_banner(fmt):  # one line at BANNER_TEXT of the height, however long: the banner is made as long as it
        return _layout((join(text.split()),), BANNER_TEXT * min(fmt.width_mm, fmt.height_mm) / SAFETY, fmt.vertical, metrics)
    return fit_box(text, body.w, body.h, fmt.vertical, metrics, fmt.one_line, max_size)


def fit_box(text: str, box_w: float, box_h: float, vertical: bool, metrics: Metrics, one_line: bool = False,
            max_size: float = math.inf) -> Layout:
    """fit for any box (in any unit: the size comes out in it): each half on its own line(s), broken between phrases."""
    if one_line:
        return fit_parts(tuple(text.split()), box_w, box_h, vertical, metrics, True, max_size)
    along, across = (box_h, box_w) if vertical else (box_w, box_h)
    setting, size = linebreak.choose(slogan_settings(text, vertical, metrics), along, across, LINE_HEIGHT, max_size)
    return _layout(setting.lines, size, vertical, metrics)


@lru_cache(maxsize=4096)
def slogan_settings(text: str, vertical: bool, metrics: Metrics) -> tuple[linebreak.Setting, ...]:
    """The slogan's best setting in each number of lines, measured in em: the same for every format, so made once."""
    parts, starts = linebreak.slogan_phrases(text)
    return linebreak.settings(parts, starts, lambda line: measure(line, vertical, metrics))


def _layout(lines: tuple[str, ...], size: float, vertical: bool, metrics: Metrics) -> Layout:
    """Lines at a fitted size (with the safety margin), and the block they make."""
    size = _round_down(size)
    longest = max(measure(line, vertical, metrics) for line in lines) * size
    extent = len(lines) * LINE_HEIGHT * size
    return Layout(lines, size, extent if vertical else longest, longest if vertical else extent, vertical)


def banner_format(fmt: PosterFormat, layout: Layout) -> PosterFormat:
    """A banner format as long as its text needs (its ends clear), rounded up to a whole mm, no shorter than `fmt`."""
    if not is_banner(fmt):
        return fmt
    across = min(fmt.width_mm, fmt.height_mm)
    text = layout.height if fmt.vertical else layout.width
    along = max(max(fmt.width_mm, fmt.height_mm), math.ceil(text + 2 * BANNER_END * across - 1e-9))
    return replace(fmt, height_mm=along) if fmt.vertical else replace(fmt, width_mm=along)


def banner_scale(fmt: PosterFormat, texts: list[str]) -> int:
    """1, or BANNER_SCALE when a banner of these texts would be longer than a PDF page may be.

    Decided with the upper-bound metrics (fonts.FALLBACK), so the PDF's name is known before the font is chosen.
    """
    if not is_banner(fmt):
        return 1
    made = (banner_format(fmt, fit(t, fmt, fonts.FALLBACK)) for t in texts)
    longest = max((max(f.width_mm, f.height_mm) for f in made), default=0.0)
    return BANNER_SCALE if longest + 2 * BLEED_MM > MAX_PAGE_MM else 1


def scaled(fmt: PosterFormat, scale: int) -> PosterFormat:
    """A format drawn at 1:scale."""
    return fmt if scale == 1 else replace(fmt, width_mm=fmt.width_mm / scale, height_mm=fmt.height_mm / scale)


def fit_set(texts: list[str], fmt: PosterFormat, metrics: Metrics, visual: bool = False) -> list[Layout]:
    """Every slogan of a set at nearly one size: as large as the longest allows, the others at most SET_SPREAD larger."""
    alone = [fit(t, fmt, metrics, visual=visual) for t in texts]
    if not alone:
        return []
    cap = min(layout.size for layout in alone) * SET_SPREAD
    # refit every slogan at its final size, so one that was capped takes the fewest, most natural lines
    return [fit(t, fmt, metrics, min(layout.size / SAFETY, cap), visual) for t, layout in zip(texts, alone)]


def campaign_name(c: Campaign) -> str:
    """The campaign's name as its notice writes it (2022年全国“质量月”, 2022年珠海市企业“质量月”), else 2022年“质量月”."""
    m = NAME.search(c.title)
    return m.group() if m else f"{c.year}年“{WORDMARK}”"


def head_layout(box: Box, name: str, metrics: Metrics, max_size: float) -> Layout:
    """The identity at the head: the campaign's name, on one line, or two after the year (2022年 / 全国“质量月”).

    Set across even on vertical posters: a year in one upright square (text-combine-upright) would be a quarter
    as wide as a character there.
    """
    m = NAME.fullmatch(name)
    parts = m.groups() if m else (name,)
    options = linebreak.settings(parts, (True,) + (False,) * (len(parts) - 1), lambda line: measure(line, False, metrics))
    setting, size = linebreak.choose(options, box.w, box.h, LINE_HEIGHT, max_size)
    return _layout(setting.lines, size, False, metrics)


# --- a campaign's posters -------------------------------------------------------------


class Slogan(Protocol):
    """What a poster needs of a slogan (a pages.SloganView; printing does not import site)."""

    @property
    def n(self) -> int: """Its number within the campaign (the theme is 0)."""

    @property
    def text(self) -> str: """As written."""

    @property
    def anchor(self) -> str: """Its fragment id on the slogans and posters pages."""


@dataclass(frozen=True)
class Poster:
    """One slogan (a pages.SloganView) fitted to one format."""

    slogan: Slogan
    layout: Layout
    fmt: PosterFormat  # its size: the set's format, or a banner's own length (at the set's scale)

    @property
    def page_size(self) -> tuple[float, float]:
        """The printed page with bleed, mm."""
        return self.fmt.width_mm + 2 * BLEED_MM, self.fmt.height_mm + 2 * BLEED_MM


@dataclass(frozen=True)
class PosterSet:
    """Every poster of a campaign in one format, theme first."""

    fmt: PosterFormat
    frame: Frame
    style: Style
    head: Layout  # the year and 质量月
    year_box: Box  # where the head is set
    logo_box: Box | None
    issuer: Layout
    posters: tuple[Poster, ...]
    pdf: str  # file name under pdf/
    metrics: Metrics  # for the previews' vertical lines (their digits are drawn as squares)
    scale: int = 1  # the sheet and PDF draw the posters at 1:scale (long banners: BANNER_SCALE)
    caption: Layout | None = None  # QR_CAPTION fitted under the QR code (none on banners)
    theme: Layout | None = None  # the campaign's theme under the head of every slogan's poster (stacked formats)

    @property
    def banner(self) -> bool:
        """Whether each poster is a banner as long as its text (its own page size)."""
        return self.frame.kind.startswith("banner")

    @property
    def text_share(self) -> str:
        """How high banner text is set, as a share of the banner's height: 65%."""
        return f"{BANNER_TEXT:.0%}"

    @property
    def page_size(self) -> tuple[float, float]:
        """The printed page with bleed, mm (of the first poster: banners' pages differ)."""
        return self.posters[0].page_size if self.posters else (self.fmt.width_mm + 2 * BLEED_MM, self.fmt.height_mm + 2 * BLEED_MM)

    @property
    def size_label(self) -> str:
        """The trimmed size as printed for people: 210 × 297 mm; banners' range of lengths, full size: 700 × 4,200–9,800 mm."""
        if not self.banner or not self.posters:
            return f"{_num(self.fmt.width_mm)} × {_num(self.fmt.height_mm)} mm"
        along = sorted({max(p.fmt.width_mm, p.fmt.height_mm) * self.scale for p in self.posters})
        lengths = f"{along[0]:,.0f}" + (f"–{along[-1]:,.0f}" if len(along) > 1 else "")
        across = f"{min(self.fmt.width_mm, self.fmt.height_mm):,.0f}"
        return f"{across} × {lengths} mm" if self.fmt.vertical else f"{lengths} × {across} mm"

    @cached_property  # on every gallery preview
    def name_html(self) -> Markup:
        """The format's name, escaped."""
        return escape(self.fmt.name)

    @cached_property  # read for every preview of the format
    def preview(self) -> dict[str, str]:
        """Width and height of a gallery preview in CSS px (an SVG drawn in mm, scaled to fit PREVIEW_PX)."""
        return preview_px(self.fmt)

    @property
    def head_marks(self) -> tuple[Mark, ...]:
        """The head (year and 质量月), which every preview of the format shares, in the accent colour."""
        return head_marks(self)

    @property
    def foot_marks(self) -> tuple[Mark, ...]:
        """The issuer line, which every preview of the format shares, in the text colour."""
        return issuer_marks(self.frame, self.issuer)

    def slogan_marks(self, p: Poster) -> tuple[Mark, ...]:
        """The lines of one poster's slogan (and the theme above a slogan), for its preview."""
        marks = slogan_marks((frame(p.fmt) if self.banner else self.frame).body, p.layout, self.metrics)
        if self.theme and self.shows_theme(p):  # placed as the sheet places it: from the left on stacked posters
            marks += slogan_marks(self.frame.theme, self.theme, self.metrics, start=self.frame.kind == "stack")
        return marks

    def shows_theme(self, p: Poster) -> bool:
        """Whether poster p prints the theme under its head: every slogan's poster, not the theme's own."""
        return self.theme is not None and spaced(p.slogan.text) != spaced(self.theme.text.replace(GAP, " "))

    # Poster markup is built here rather than in Jinja macros: a campaign has ~30 posters in 4 formats and
    # 2 languages, and string formatting is ~5x faster than macro calls (see README, Performance).

    def sheet_css(self) -> Markup:
        """The geometry every poster of this format shares, as one stylesheet per print sheet.

        Written once instead of inline on every poster: the sheets are most of the bytes a build writes.
        """
        f, k = self.frame, f"f-{self.fmt.id}"
        page_w, page_h = self.page_size
        if self.banner:  # the slogan alone, on a page of its own length
            return Markup(f".sheet-page.{k},.poster-art.{k}{{{self.style.css}}}\n"
                          # what precedes the first banner is on its page: a change of page name forces a (blank) page
                          f"body,main{{page:b0}}\n{self._banner_css()}")
        rules = "".join(f".{k} .pa-rule.r{i}{{{r.css()}}}" for i, r in enumerate(f.rules))
        logo = f".{k} .pa-logo{{{self.logo_box.css()}}}" if self.logo_box else ""
        v = f.visual  # placed on the page (its origin is the bleed's corner), not in the trimmed artwork
        logo += f".{k} .sheet-visual{{{Box(v.x + BLEED_MM, v.y + BLEED_MM, v.w, v.h).css()}}}" if v.h else ""
        return Markup(
            f".sheet-page.{k}{{width:{mm(page_w)};height:{mm(page_h)};--page-w:{mm(page_w)};--page-h:{mm(page_h)};{self.style.css}}}\n"
            f".poster-art.{k}{{width:{mm(self.fmt.width_mm)};height:{mm(self.fmt.height_mm)};{self.style.css}}}\n"
            f"{rules}{logo}.{k} .pa-year{{{self.year_box.css()};font-size:{mm(self.head.size)}}}\n"
            f".{k} .pa-body{{{f.body.css()}}}\n"
            f".{k} .pa-issuer{{{f.issuer.css()};font-size:{mm(self.issuer.size)}}}\n"
            f".{k} .pa-qr{{{f.qr.css()}}}\n"
            f".{k} .pa-caption{{{f.caption.css()};font-size:{mm(self.caption.size if self.caption else 0)}}}\n"
            f".{k} .pa-theme{{{f.theme.css()};font-size:{mm(self.theme.size if self.theme else 0)}}}\n"
        )

    def _banner_css(self) -> str:
        """Each banner's own page, artwork and text box: its length follows its text (a named @page each)."""
        out = []
        for i, p in enumerate(self.posters):
            w, h = p.page_size
            a = f"#{p.slogan.anchor}"
            out.append(f"@page b{i}{{size:{mm(w)} {mm(h)};margin:0}}\n"
                       f"{a}.sheet-page{{page:b{i};width:{mm(w)};height:{mm(h)};--page-w:{mm(w)};--page-h:{mm(h)}}}\n"
                       f"{a} .poster-art{{width:{mm(p.fmt.width_mm)};height:{mm(p.fmt.height_mm)}}}"
                       f"{a} .pa-body{{{frame(p.fmt).body.css()}}}\n")
        return "".join(out)

    def art(self, p: Poster, qr_size: int, qr_label: str = "", logo_src: str = "") -> Markup:
        """One poster's artwork for a print sheet; its geometry comes from sheet_css()."""
        _, _, start, middle = self._art_parts[self.posters.index(p)]
        logo, end = self._page_parts(qr_size, qr_label, logo_src)
        return Markup(f"{start}{logo}{middle}{end}")

    @cached_property
    def _art_parts(self) -> tuple[tuple[str, str, str, str], ...]:
        """Each poster's anchor and slogan, escaped, and its artwork before and after the logo: the same on every
        language's sheet, so made once for both."""
        f = self.frame
        rules = "".join(f'<span class="pa pa-rule r{i}"></span>' for i in range(len(f.rules)))
        head = "" if self.banner else f'<div class="pa pa-year"><p class="pa-lines">{line_spans(self.head)}</p></div>\n'
        issuer = "" if self.banner else f'<p class="pa pa-issuer">{escape(self.issuer.text)}</p>\n'
        theme = f'<p class="pa pa-theme">{escape(self.theme.text)}</p>\n' if self.theme else ""
        return tuple((
            escape(p.slogan.anchor), escape(p.slogan.text),
            f'<div class="poster-art {f.kind} f-{self.fmt.id}" lang="zh-CN" data-safe="{frame(p.fmt).safe.attr()}">\n{rules}',
            f'{head}{theme if self.shows_theme(p) else ""}<div class="pa pa-body">'
            f'<p class="pa-text" style="font-size:{mm(p.layout.size)}">{line_spans(p.layout)}</p></div>\n'
            f'{issuer}') for p in self.posters)

    def _page_parts(self, qr_size: int, qr_label: str, logo_src: str) -> tuple[str, str]:
        """What a page supplies to every poster's artwork: the logo (its URL depends on the page's depth), and the
        QR code with its label (in the page's language) that ends the artwork."""
        if self.banner:
            return "", "</div>\n"
        logo = f'<img class="pa pa-logo" src="{escape(logo_src)}" alt="">' if self.logo_box else ""
        qr_attrs = f' role="img" aria-label="{escape(qr_label)}"' if qr_label else ' aria-hidden="true"'
        return logo, (f'<svg class="pa pa-qr" viewBox="0 0 {qr_size} {qr_size}"{qr_attrs}><use href="#poster-qr"/></svg>\n'
                      f'<p class="pa pa-caption">{QR_CAPTION}</p>\n</div>\n')

    def sheet_pages(self, qr_size: int, qr_label: str, logo_src: str, label: Callable[[int], str], visual_src: str = "") -> Markup:
        """A print sheet's pages: per poster a section named by `label(n)` (the theme is 0), its artwork, the key
        visual (`visual_src`, when the frame has its band), crop marks.

        Drawn here rather than in a template loop: a sheet has a page per slogan, eight sheets a campaign.
        """
        crops = ('<span class="crop crop-tl"></span><span class="crop crop-tr"></span>'
                 '<span class="crop crop-bl"></span><span class="crop crop-br"></span>')
        fmt_id = escape(self.fmt.id)
        logo, end = self._page_parts(qr_size, qr_label, logo_src)
        # after the artwork, whose ground would hide it, and on the page rather than the trim: it bleeds
        visual = f'<img class="sheet-visual" src="{escape(visual_src)}" alt="">\n' if visual_src and self.frame.visual.h else ""
        return Markup("\n".join(
            f'<section class="sheet-page f-{fmt_id}" id="{anchor}" aria-label="{escape(label(p.slogan.n))}: {text}">\n'
            f'<div class="sheet-trim">{start}{logo}{middle}{end}</div>\n{visual}{crops}\n</section>'
            for p, (anchor, text, start, middle) in zip(self.posters, self._art_parts, strict=True)))

    @cached_property
    def preview_symbol(self) -> Markup:
        """The SVG symbol every gallery preview of the format uses: ground, rules, head, issuer line and QR code."""
        return self.preview_defs()

    def preview_defs(self, visual_src: str = "") -> Markup:
        """preview_symbol with the key visual drawn in its band from `visual_src` (its URL depends on the page's
        depth; once a page, every preview of the format uses the symbol)."""
        f, st, w, h = self.frame, self.style, self.fmt.width_mm, self.fmt.height_mm
        if self.banner:  # each banner's preview has its own length and draws its own ground
            return Markup("")
        visual = (f'<image href="{escape(visual_src)}" {f.visual.svg()} preserveAspectRatio="xMidYMid slice"/>\n'
                  if visual_src and f.visual.h else "")
        accent = escape(st.accent.rgb)
        rules = "".join(f'<rect {r.svg()} fill="{accent}"/>' for r in f.rules)
        head = "".join(mark_svg(m) for m in self.head_marks)
        foot = "".join(mark_svg(m) for m in self.foot_marks)
        c = f.caption
        caption_mark = Mark(QR_CAPTION, c.x + c.w / 2, c.y + c.h / 2, self.caption.size) if self.caption else None
        caption = f'<g fill="{escape(st.color.rgb)}">{mark_svg(caption_mark)}</g>\n' if caption_mark else ""
        return Markup(
            f'<symbol id="pv-{escape(self.fmt.id)}" viewBox="0 0 {w} {h}">\n'
            f'<rect width="{w}" height="{h}" fill="{escape(st.background.rgb)}"/>\n{visual}'
            f'{rules}<g fill="{accent}">{head}</g><g fill="{escape(st.color.rgb)}">{foot}</g>\n'
            f'<rect {f.qr.svg()} fill="#fff"/><use href="#poster-qr" {f.qr.svg()}/>\n{caption}</symbol>\n')

    @cached_property
    def _previews(self) -> dict[int, Markup]:
        return {}

    def preview_svg(self, i: int) -> Markup:
        """Poster i's gallery preview, drawn once for every language's gallery."""
        if i not in self._previews:
            self._previews[i] = self._preview_svg(self.posters[i])
        return self._previews[i]

    def _preview_svg(self, p: Poster) -> Markup:
        """A gallery preview: the format's shared symbol plus this poster's slogan lines."""
        size = preview_px(p.fmt) if self.banner else self.preview
        marks = "".join(mark_svg(m) for m in self.slogan_marks(p))
        w, h = _num(p.fmt.width_mm), _num(p.fmt.height_mm)
        ground = (f'<rect width="{w}" height="{h}" fill="{escape(self.style.background.rgb)}"/>' if self.banner
                  else f'<use href="#pv-{self.fmt.id}"/>')
        return Markup(
            f'<svg class="pv" lang="zh-CN" viewBox="0 0 {w} {h}" '
            f'width="{size["width"]}" height="{size["height"]}" aria-hidden="true" focusable="false">'
            f'{ground}<g fill="{escape(self.style.color.rgb)}">{marks}</g></svg>\n'
        )


def preview_px(fmt: PosterFormat) -> dict[str, str]:
    """Width and height of a format's gallery preview in CSS px (an SVG drawn in mm, scaled to fit PREVIEW_PX)."""
    k = min(PREVIEW_PX[0] / fmt.width_mm, PREVIEW_PX[1] / fmt.height_mm)
    return {"width": _num(fmt.width_mm * k), "height": _num(fmt.height_mm * k)}


def preview_links(sets: tuple[PosterSet, ...], i: int, base: str, zh: Markup, slogan) -> Markup:
    """The gallery's row for poster i: one preview (the first format's; A4 and A3 would look alike) and beside it
    a link per format to its print sheet, with its size."""
    if not sets:
        return Markup("")
    base, text = escape(base), escape(slogan.text)  # once, not once per format
    first = sets[0]
    links = "".join(f'      <li><a href="{base}{ps.fmt.id}/#{slogan.anchor}"><span{zh}>{ps.name_html}</span>'
                    f'<span class="visually-hidden">: {text}</span></a></li>\n' for ps in sets)
    return Markup(f'    <div class="preview">{first.preview_svg(i)}</div>\n    <ul class="preview-formats">\n{links}    </ul>\n')


def mark_svg(m: Mark) -> str:
    """An SVG <text> for a preview mark (a plain string to join with others: a Markup per mark costs more than drawing it)."""
    squeeze = f' textLength="{_num(m.squeeze)}" lengthAdjust="spacingAndGlyphs"' if m.squeeze else ""
    cls = ' class="pv-v"' if m.vertical else ""
    return (f'<text x="{_num(m.x)}" y="{_num(m.y)}" font-size="{_num(m.size)}" text-anchor="{m.anchor}"{squeeze}{cls}>'
            f"{escape(m.text)}</text>")


# --- gallery previews: the same grid drawn as small SVGs (a few elements each, not a page of HTML)


@dataclass(frozen=True)
class Mark:
    """Text placed in an SVG preview: anchor point (on the central baseline) and size, mm."""

    text: str
    x: float
    y: float
    size: float
    anchor: str = "middle"  # SVG text-anchor
    vertical: bool = False
    squeeze: float | None = None  # textLength, for digits set in one square in vertical text


def line_spans(layout: Layout) -> str:
    """A layout's lines as sheet markup; in vertical text each run of digits is one upright square."""
    if layout.vertical:
        return "".join('<span class="pa-line">' + TCY.sub(lambda m: f'<span class="tcy">{m.group()}</span>', str(escape(line)))
                       + "</span>" for line in layout.lines)
    return "".join(f'<span class="pa-line">{escape(line)}</span>' for line in layout.lines)


def slogan_marks(body: Box, layout: Layout, metrics: Metrics, start: bool = False) -> tuple[Mark, ...]:
    """Each line centred in the box, as the sheets' flexbox centres them (or from its left edge: `start`)."""
    step = LINE_HEIGHT * layout.size
    k = len(layout.lines)
    if layout.vertical:  # columns from right to left
        right = body.x + (body.w + k * step) / 2
        return tuple(m for i, line in enumerate(layout.lines)
                     for m in column_marks(line, right - (i + 0.5) * step, body.y + body.h / 2, layout.size, metrics))
    top = body.y + (body.h - k * step) / 2
    x, anchor = (body.x, "start") if start else (body.x + body.w / 2, "middle")
    return tuple(Mark(line, x, top + (i + 0.5) * step, layout.size, anchor) for i, line in enumerate(layout.lines))


def column_marks(line: str, x: float, middle: float, size: float, metrics: Metrics) -> tuple[Mark, ...]:
    """One vertical line centred on `middle`: upright text, and each run of digits as one squeezed square."""
    if not TCY.search(line):
        return (Mark(line, x, middle, size, vertical=True),)
    y = middle - measure(line, True, metrics) * size / 2
    out = []
    for piece in re.split(f"({TCY.pattern})", line):
        if not piece:
            continue
        length = (1.0 if TCY.fullmatch(piece) else measure(piece, True, metrics)) * size
        square = TCY.fullmatch(piece) is not None
        out.append(Mark(piece, x, y + length / 2, size, vertical=not square, squeeze=size if square else None))
        y += length
    return tuple(out)


def head_marks(ps: PosterSet) -> tuple[Mark, ...]:
    """The year and 质量月: from the left of the head in stacked posters, centred otherwise."""
    return slogan_marks(ps.year_box, ps.head, ps.metrics, start=ps.frame.kind == "stack")


def issuer_marks(f: Frame, issuer: Layout) -> tuple[Mark, ...]:
    """The issuer line at the foot: bottom-left, bottom-centre, or a column ending at the bottom."""
    b, size, half = f.issuer, issuer.size, LINE_HEIGHT * issuer.size / 2
    if f.kind == "vertical":
        return (Mark(issuer.text, b.x + b.w - half, b.y + b.h, size, "end", vertical=True),)
    return (Mark(issuer.text, b.x, b.y + b.h - half, size, "start"),)


def issuer_line(c: Campaign, st: Style) -> str:
    """What the foot of every poster says: the configured line, else the issuer."""
    return spaced(st.issuer_line or c.issuer)


def poster_set(campaign_id: str, c: Campaign, slogans: tuple[Slogan, ...], fmt: PosterFormat, st: Style,
               metrics: Metrics) -> PosterSet:
    """Fit the theme and every slogan, the year and the issuer line to one format."""
    f = frame(fmt, bool(st.key_visual))
    year_box, logo_box = head_boxes(f, bool(st.logo))
    head = head_layout(year_box, campaign_name(c), metrics, f.year_max)
    issuer = fit_parts(tuple(issuer_line(c, st).split()), f.issuer.w, f.issuer.h, fmt.vertical, metrics, True, f.issuer_max)
    texts = [s.text for s in slogans]
    scale = banner_scale(fmt, texts)
    drawn = scaled(fmt, scale)  # banners beyond a PDF page are fitted and drawn at 1:10
    layouts = fit_set(texts, drawn, metrics, bool(st.key_visual))
    posters = tuple(Poster(s, layout, banner_format(drawn, layout)) for s, layout in zip(slogans, layouts))
    caption = None if is_banner(fmt) else fit_parts((QR_CAPTION,), f.caption.w, f.caption.h, False, metrics, True)
    theme = (fit_parts(tuple(c.theme.split()), f.theme.w, f.theme.h, False, metrics, True, f.theme.h / LINE_HEIGHT)
             if c.theme and f.theme.h > 0 else None)
    return PosterSet(fmt, f, st, head, year_box, logo_box, issuer, posters, pdf_name(campaign_id, fmt, scale), metrics, scale,
                     caption, theme)


def pdf_name(campaign_id: str, fmt: PosterFormat, scale: int = 1) -> str:
    """File name of a campaign's PDF in one format, e.g. 2022-national-a4.pdf; at 1:10, 2022-national-banner-1to10.pdf."""
    return f"{campaign_id}-{fmt.id}.pdf" if scale == 1 else f"{campaign_id}-{fmt.id}-1to{scale}.pdf"


def poster_texts(c: Campaign) -> list[str]:
    """What gets a poster (model.theme_first), as written."""
    return theme_first(c.theme, (item if isinstance(item, str) else item.text for g in c.slogans for item in g.items), str)


def charset(site: Site, campaigns) -> str:
    """Every character any poster prints (slogans, years, issuer lines, the gap), sorted; '' without posters."""
    chars: set[str] = set()
    for c in campaigns:
        texts = poster_texts(c)
        if texts:
            draft = [DRAFT_MARK] if c.draft or c.incomplete else []  # poster.css prints it on a draft's posters
            for text in texts + [campaign_name(c), QR_CAPTION, issuer_line(c, style(site, c)), GAP + SPACE, *draft]:
                chars.update(text)  # whole strings at C speed; white space goes below
    return "".join(sorted(ch for ch in chars if not ch.isspace() or ch in (GAP, SPACE)))


# --- QR codes --------------------------------------------------------------------------


@dataclass(frozen=True)
class QR:
    """A QR code as one SVG path, drawn once per page and reused by every poster."""

    url: str
    size: int  # modules, including the quiet zone
    path: str


@lru_cache(maxsize=256)
def qr(url: str) -> QR:
    """The QR code of a URL, with the standard 4-module quiet zone (segno)."""
    svg = disk_cache.cached("qr", disk_cache.key_of("qr-v1", disk_cache.versions("segno"), url), ".svg",
                            lambda: segno_svg(url)).decode()
    size = re.search(r'viewBox="0 0 (\d+) \1"', svg)
    path = re.search(r' d="([^"]+)"', svg)
    if not size or not path:
        raise QmError.at(url, 0, 0, N_("could not draw the QR code"), N_("this is a bug in qm-site"))
    return QR(url, int(size.group(1)), path.group(1))


def segno_svg(url: str) -> bytes:
    """segno's SVG of a URL: choosing the best of its 8 masks costs ~3.5 ms (benchmarks/run.py), hence the disk cache."""
    import segno

    return segno.make(url, error="m").svg_inline(scale=1, border=4, omitsize=True).encode()


# --- template context -----------------------------------------------------------------


def poster_sets(site: Site, v, metrics: Metrics, asset_urls: dict[str, str]) -> tuple[PosterSet, ...]:
    """Every format's fitted posters of a campaign view; the same in every language, so made once per campaign."""
    st = style(site, v.c)
    if st.logo and st.logo not in asset_urls:
        loc = st.logo_loc
        raise QmError.at(loc.path or "site.yaml", loc.line, loc.column,
                         N_("the poster logo `%(name)s` is not in assets/", name=st.logo),
                         N_("put the SVG or PNG under assets/ and give its name relative to that folder"))
    if st.key_visual and st.key_visual not in asset_urls:  # check (theme.check_pictures) says so first, with the rules
        loc = st.key_visual_loc
        raise QmError.at(loc.path or "site.yaml", loc.line, loc.column,
                         N_("the picture `%(name)s` is not in content/assets/", name=st.key_visual),
                         N_("put the file into content/assets/ (the web editor's upload does) "
                            "and give its name relative to that folder"))
    return tuple(poster_set(v.id, v.c, v.posters, f, st, metrics) for f in st.formats)


def page_context(site: Site, v, lang: str, sets: tuple[PosterSet, ...], has_font: bool) -> dict:
    """What posters.html and poster_sheet.html need besides the campaign view `v`."""
    return {"poster_sets": sets, "poster_qr": qr(site.base_url + LANG_PREFIX[lang] + v.url), "poster_font": has_font,
            "poster_font_css": fonts.STYLESHEET, "poster_qr_ink": QR_INK, "mm": mm, "preview_links": preview_links}
