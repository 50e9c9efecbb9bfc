"""PNG cards without a browser: share images, the touch icon and the digital formats, drawn with Pillow.

A card is a frozen description (size, its head (the campaign’s name: year and 质量月), the main text, the foot line,
three colours); `png` draws it. Lines are broken by the posters' own fitting (posters.fit_box: BudouX phrases through
linebreak.slogan_phrases, balanced lines, the largest size that fits), measured with the very font that draws them.
The font is Noto Sans CJK SC Bold from the locked PyPI package `manimgx-fonts-cjk` (a variable collection,
set to weight 700), so a build on a host without system fonts or Chromium (Netlify) makes the same images;
without the package, Debian's fonts-noto-cjk Bold serves. Images are palette PNGs: every pixel is the
background blended toward one of two inks, which is what text on a flat ground is, at a quarter of the
bytes and the encoding time of RGB. Deterministic: the same card, font and Pillow give the same bytes.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import math
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .. import cache as disk_cache
from . import fonts, linebreak, posters
from .fonts import Face, Metrics

FONT_PACKAGE = "manimgx_fonts_cjk"  # PyPI manimgx-fonts-cjk, pinned with its hash in requirements.lock
FONT_FILE = "NotoSansCJK-VF.otf.ttc"
WEIGHT = 700  # Bold, on the variable font's weight axis
LINE_HEIGHT = posters.LINE_HEIGHT
ASCENT = 0.88  # Noto CJK's ideographic em box above the baseline: lines are centred on the em box
LEVELS = 128  # blend steps from the ground to each ink (palette indices 0-127 and 128-255)
LOGO_SHARE = 0.11  # the logo's square at the head's right, a share of the card's short side
RENDER_VERSION = "1"  # with the sources' hash in every cache key; bump for a change outside these modules


@dataclass(frozen=True)
class Card:
    """One image: its size in px, the head (the campaign's name), the main text, the foot line and colours (#rrggbb)."""

    width: int
    height: int
    head: str
    body: str
    foot: str
    background: str
    color: str
    accent: str
    logo: bytes = field(default=b"", repr=False)  # a PNG (the posters' logo) drawn at the head's right; b"": none
    logo_digest: str = ""  # the logo's hash: what the disk cache's key (the card's repr) sees of it


@dataclass(frozen=True)
class Placed:
    """Text set on a card: its lines, font size in px, and the top-left corner of its block."""

    lines: tuple[str, ...]
    size: int
    x: float
    y: float
    ink: int  # 0: the text colour, 1: the accent
    centred_in: float = 0.0  # > 0: each line centred in this width from x (the icon); else set from x


def card_face() -> Face | None:
    """Noto Sans CJK SC from the locked font package, else the system's Bold face, else None (no images)."""
    spec = importlib.util.find_spec(FONT_PACKAGE)
    if spec is not None and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            path = Path(folder) / FONT_FILE
            if path.is_file():
                face = fonts.sc_face(path)
                if face is not None:
                    return face
    return fonts.find_face("Bold")


@cache
def pil_font(face: Face, size: int):
    """The face at a size in px, Bold on a variable font; BASIC layout, the same on every machine (no Raqm)."""
    from PIL import ImageFont

    font = ImageFont.truetype(face.path, size, index=max(face.number, 0), layout_engine=ImageFont.Layout.BASIC)
    try:
        font.set_variation_by_axes([WEIGHT])
    except OSError:  # a static face (Debian's NotoSansCJK-Bold) is Bold already
        pass
    return font


REF_SIZE = 1000  # px: advances are read at this size, in em to a thousandth


def measured(face: Face, text: str) -> Metrics:
    """Advances (em) of every character of `text` as the drawing font sets them, for posters' fitting."""
    font = pil_font(face, REF_SIZE)
    return Metrics({ord(ch): font.getlength(ch) / REF_SIZE for ch in set(text)}, exact=True)


def line_width(line: str, size: int, metrics: Metrics) -> float:
    """A line's width in px, as drawn (with the 1/8 em between ideographs and Latin, as the posters measure)."""
    return posters.measure(line, False, metrics) * size


def layout(card: Card, metrics: Metrics) -> tuple[Placed, ...]:
    """Where the head, the main text and the foot go: a margin, the head and its rule on top, the foot at the bottom."""
    w, h = card.width, card.height
    short = min(w, h)
    margin = round(0.075 * short)
    inner = w - 2 * margin
    out = []
    top: float = margin
    if card.head:
        beside = logo_side(card) * 1.25 if card.logo else 0  # the head keeps clear of the logo
        head = posters.fit_parts(tuple(card.head.split()), inner - beside, short, False, metrics, True, 0.08 * short)
        out.append(Placed(head.lines, math.floor(head.size), margin, top, 1))
        top += LINE_HEIGHT * out[-1].size + rule_gap(short) * 2 + rule_width(short)
    bottom: float = h - margin
    if card.foot:
        foot = posters.fit_parts(tuple(card.foot.split()), inner, short, False, metrics, True, max(16, 0.045 * short))
        bottom -= LINE_HEIGHT * math.floor(foot.size)
        out.append(Placed(foot.lines, math.floor(foot.size), margin, bottom, 0))
        bottom -= rule_gap(short)
    alone = not card.head and not card.foot  # the icon: its one text as large as it fits, centred
    body = posters.fit_box(card.body, inner, bottom - top, False, metrics, max_size=math.inf if alone else 0.16 * short)
    size = math.floor(body.size)
    block = LINE_HEIGHT * size * len(body.lines)
    placed = Placed(body.lines, size, margin, top + (bottom - top - block) / 2, 0, inner if alone else 0.0)
    out.insert(1 if card.head else 0, placed)
    return tuple(out)


def logo_side(card: Card) -> int:
    """The side in px of the square the logo is fitted into, at the top right inside the margin."""
    return round(LOGO_SHARE * min(card.width, card.height))


def with_logo(card: Card, index):
    """The drawn card (a palette image) in RGB with the logo pasted at the head's right, fitted into its square and
    laid on the ground by its own transparency."""
    from PIL import Image

    picture = Image.open(io.BytesIO(card.logo)).convert("RGBA")
    side = logo_side(card)
    picture.thumbnail((side, side), Image.Resampling.LANCZOS)  # keeps its proportions, never enlarges
    margin = round(0.075 * min(card.width, card.height))
    out = index.convert("RGB")
    out.paste(picture, (card.width - margin - picture.width, margin + (side - picture.height) // 2), picture)
    return out


def rule_gap(short: int) -> float:
    """Space around the accent rule under the head."""
    return 0.035 * short


def rule_width(short: int) -> int:
    """The accent rule's thickness in px."""
    return max(2, round(0.008 * short))


def draw_line(draw, x: float, baseline: float, line: str, font, size: int, metrics: Metrics, fill: int) -> None:
    """One line in runs of ideographs and of Latin, 1/8 em apart where they meet (as line_width measures)."""
    run, prev = "", ""
    for ch in line + "\0":
        if run and (ch == "\0" or _script(ch) != _script(prev)):
            draw.text((x, baseline), run, font=font, fill=fill, anchor="ls")
            x += posters.measure(run, False, metrics) * size
            if ch != "\0" and {_script(ch), _script(prev)} == {"han", "latin"}:
                x += posters.AUTOSPACE_EM * size
            run = ""
        run += ch
        prev = ch


def _script(ch: str) -> str:
    """'han', 'latin' or 'other': the classes text-autospace puts space between."""
    return "han" if posters._is_ideograph(ch) else "latin" if linebreak.is_latin(ch) else "other"


def render(card: Card, face: Face) -> bytes:
    """The card as PNG bytes: palette indices drawn as coverage, text and accent in their halves of the palette.

    Text is drawn at fill 127 on black, which leaves 127 × its coverage: the index of the ground-to-text blend.
    The accent (the head and its rule, above everything else) is drawn the same way into a strip of its own, whose
    drawn pixels move up by 128, into the ground-to-accent half, as they are pasted in: point operations on the
    strip alone, not the whole card (they were half of the drawing time).
    """
    from PIL import Image, ImageDraw

    metrics = measured(face, card.head + card.body + card.foot + posters.GAP)
    index = Image.new("L", (card.width, card.height), 0)
    placed = layout(card, metrics)
    strip = None
    if card.head:
        short, head = min(card.width, card.height), placed[0]
        rule_y = round(head.y + LINE_HEIGHT * head.size + rule_gap(short))
        strip = Image.new("L", (card.width, rule_y + rule_width(short)), 0)
        x0 = round(head.x)
        rule = (x0, rule_y, x0 + round(0.12 * card.width), rule_y + rule_width(short) - 1)
        ImageDraw.Draw(strip).rectangle(rule, fill=LEVELS - 1)
    draws = [ImageDraw.Draw(index), ImageDraw.Draw(strip) if strip is not None else None]
    for p in placed:
        font = pil_font(face, p.size)
        for i, line in enumerate(p.lines):
            baseline = p.y + (LINE_HEIGHT - 1) * p.size / 2 + ASCENT * p.size + i * LINE_HEIGHT * p.size
            x = p.x + (p.centred_in - line_width(line, p.size, metrics)) / 2 if p.centred_in else p.x
            draw_line(draws[p.ink], x, baseline, line, font, p.size, metrics, LEVELS - 1)
    if strip is not None:
        index.paste(strip.point(ACCENT_LUT), (0, 0), strip.point(DRAWN_LUT))
    index.putpalette(palette(card.background, card.color, card.accent))  # an L image with a palette becomes P
    buf = io.BytesIO()
    # 3: a third of level 6's time for 20% more bytes; a logo's own colours make the image RGB
    (with_logo(card, index) if card.logo else index).save(buf, "PNG", compress_level=3)
    return buf.getvalue()


ACCENT_LUT = [0] + [LEVELS + v for v in range(1, LEVELS)] + [255] * (256 - LEVELS)  # coverage -> accent half
DRAWN_LUT = [0] + [255] * 255  # where the strip holds anything


@cache
def palette(ground: str, ink: str, accent: str) -> tuple[int, ...]:
    """256 RGB entries: the ground blended toward `ink` in 128 steps, then toward `accent` in 128 steps."""
    g, a, b = _rgb(ground), _rgb(ink), _rgb(accent)
    out: list[int] = []
    for target in (a, b):
        for i in range(LEVELS):
            out += [round(g[k] + (target[k] - g[k]) * i / (LEVELS - 1)) for k in range(3)]
    return tuple(out)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


@cache
def renderer_digest() -> str:
    """A hash of the code that decides a card's pixels (this module, the fitting, the line breaking)."""
    digest = hashlib.sha256(RENDER_VERSION.encode())
    for module in (__file__, posters.__file__, linebreak.__file__, fonts.__file__):
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()[:16]


def face_key(face: Face) -> str:
    """What identifies the font file for the cache: its path, face, size and modification time."""
    stat = os.stat(face.path)
    return f"{face.path}|{face.number}|{stat.st_size}|{stat.st_mtime_ns}"


def png(card: Card, face: Face) -> bytes:
    """render through the disk cache, keyed by the card, the font file, Pillow and the renderer's code."""
    key = disk_cache.key_of("card", renderer_digest(), face_key(face), disk_cache.versions("pillow", "budoux"), repr(card))
    return disk_cache.cached("images", key, ".png", lambda: render(card, face))


def missing_glyphs(face: Face, text: str) -> str:
    """The characters of `text` the face cannot draw (white space aside): what would print as boxes."""
    from fontTools.ttLib import TTFont

    cmap = TTFont(face.path, fontNumber=max(face.number, 0), lazy=True).getBestCmap()
    return "".join(sorted({ch for ch in text if not ch.isspace() and ord(ch) not in cmap}))
