"""The site's identity (site.yaml `theme`): its palette as CSS custom properties, contrast checks, logo and key visual.

Pure: the stylesheet's text and the pictures' bytes come in, problems and values go out. The palette's defaults
are the custom properties of the site.css in force (qm-site's, or the site's replacement in assets/), so the
red and cream of site.css are written once, there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..errors import Collector
from ..i18n import N_
from . import assets as asset_kinds
from .model import PosterStyle, Site, Theme

WHITE, INK, MUTED, HERO_LABEL = "#ffffff", "#1f1f1f", "#5c5c5c", "#ffe3a3"  # text colours site.css puts on the palette
TEXT_MIN, UI_MIN = 4.5, 3.0  # WCAG 2 AA (GB/T 37668-2019): text, and non-text parts such as focus rings (1.4.11)
LOGO_KINDS = ("svg", "png")
LOGO_MIN_HEIGHT = 64  # pixels of a PNG logo: the header shows it 32 px high, sharp on a phone's 2x screen
KEY_VISUAL_MIN_WIDTH = 960
KEY_VISUAL_RATIO = (2.0, 6.0)
KEY_VISUAL_MAX_BYTES = 400_000  # the campaign page's largest picture: Lighthouse's performance score follows it
_PROPERTY = re.compile(r"--([a-z-]+)\s*:\s*(#[0-9a-fA-F]{6})\b")


@dataclass(frozen=True, slots=True)
class Picture:
    """A picture of content/assets/ with its size, for an <img> that reserves its room (no layout shift)."""

    name: str
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class Identity:
    """What templates get as `identity`: the header's logo, each campaign's key visual and the browser's theme colour."""

    theme_color: str
    logo: Picture | None = None
    key_visuals: tuple[tuple[str, Picture], ...] = ()  # (campaign id, picture); the id "" is the site's

    def key_visual(self, campaign_id: str) -> Picture | None:
        """The campaign's banner: its own, else the site's, else None."""
        found = dict(self.key_visuals)
        return found.get(campaign_id, found.get(""))


PLAIN = Identity("#b3141b")  # qm-site's own look: its red (site.css's --primary), no logo, no key visual


def defaults(css: str) -> dict[str, str]:
    """The colour custom properties a stylesheet's first rule (its :root) sets, by name without the dashes."""
    root = css[css.find(":root"):css.find("}", css.find(":root"))] if ":root" in css else ""
    return {name: value.lower() for name, value in _PROPERTY.findall(root)}


def palette(theme: Theme, base: dict[str, str]) -> dict[str, str]:
    """The custom properties the theme sets (with the shades site.css derives from them); empty without colours."""
    out: dict[str, str] = {}
    if theme.primary:
        out["primary"] = theme.primary.lower()
        out["primary-dark"] = shade(theme.primary, 0.78)  # site.css's #8c0f15 is #b3141b at 78%
    if theme.accent:
        out["accent"] = theme.accent.lower()
    if theme.paper:
        out["paper"] = theme.paper.lower()
        out["soft"] = shade(theme.paper, 0.965)  # panels and the footer, a little darker than the page
        out["line"] = shade(theme.paper, 0.9)
    return {k: v for k, v in out.items() if base.get(k) != v}


def palette_css(theme: Theme, base: dict[str, str]) -> str:
    """The rule appended to site.css for the theme's colours ("" when it sets none)."""
    props = palette(theme, base)
    rule = "; ".join(f"--{k}: {v}" for k, v in props.items())
    return f"\n/* site.yaml theme */\n:root {{ {rule} }}\n" if props else ""


def shade(rgb: str, factor: float) -> str:
    """The colour with each channel multiplied by `factor` (below 1: darker)."""
    return "#" + "".join(f"{min(255, round(c * factor)):02x}" for c in channels(rgb))


def channels(rgb: str) -> tuple[int, int, int]:
    """#rrggbb as three integers."""
    return int(rgb[1:3], 16), int(rgb[3:5], 16), int(rgb[5:7], 16)


def luminance(rgb: str) -> float:
    """WCAG 2 relative luminance."""
    lin = [c / 255 / 12.92 if c <= 10 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in channels(rgb)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def check_colours(theme: Theme, base: dict[str, str], path: str, errors: Collector) -> None:
    """Every pair of colours site.css shows text (or a focus ring) in must contrast enough; each failure names its pair."""
    colours = {**base, **palette(theme, base)}
    primary, paper, soft = colours.get("primary"), colours.get("paper"), colours.get("soft")
    on_paper, on_panel = N_("theme.paper"), N_("the panels, theme.paper a little darker")
    pairs = [  # (text, what it is, background, what it is, minimum, hint)
        (WHITE, N_("the white text of the header and buttons"), primary, N_("theme.primary"), TEXT_MIN,
         N_("choose a darker theme.primary")),
        (HERO_LABEL, N_("the light yellow label of the home page's banner"), primary, N_("theme.primary"), TEXT_MIN,
         N_("choose a darker theme.primary")),
        (primary, N_("headings in theme.primary"), paper, on_paper, TEXT_MIN,
         N_("choose a darker theme.primary or a lighter theme.paper")),
        (INK, N_("the body text"), paper, on_paper, TEXT_MIN, N_("choose a lighter theme.paper")),
        (MUTED, N_("the grey notes"), soft, on_panel, TEXT_MIN, N_("choose a lighter theme.paper")),
        (colours.get("accent"), N_("the focus ring in theme.accent"), paper, on_paper, UI_MIN,
         N_("choose a darker or stronger theme.accent: it outlines the focused link (non-text contrast, 3:1)")),
    ]
    for fg, fg_name, bg, bg_name, minimum, hint in pairs:
        if fg is None or bg is None:
            continue
        ratio = contrast(fg, bg)
        if ratio < minimum:
            errors.add(path, theme.loc.line, theme.loc.column,
                       N_("%(fg_name)s (%(fg)s) on %(bg_name)s (%(bg)s) has a contrast of %(ratio)s:1, less than %(min)s:1",
                          fg_name=fg_name, fg=fg, bg_name=bg_name, bg=bg, ratio=f"{ratio:.2f}", min=f"{minimum:g}"), hint)


def check_pictures(site: Site, key_visuals: list[tuple[str, tuple]], pictures: dict[str, bytes], base: dict[str, str],
                   errors: Collector) -> Identity:
    """The logo and key visuals checked (named, kind, size); the Identity they make.

    `key_visuals`: (campaign id, (name, its Loc)); `base`: the palette's defaults (for the browser's theme colour).
    """
    theme, logo = site.theme, None
    path = theme.loc.path or "site.yaml"
    if theme.logo:
        logo = _picture(theme.logo, pictures, LOGO_KINDS, theme.loc, errors)
        if logo and theme.logo.lower().endswith(".png") and logo.height < LOGO_MIN_HEIGHT:
            errors.add(path, theme.loc.line, theme.loc.column,
                       N_("the logo `%(name)s` is %(height)d pixels high, less than %(min)d", name=theme.logo,
                          height=logo.height, min=LOGO_MIN_HEIGHT),
                       N_("export the PNG at least 64 pixels high, or give an SVG"))
    found = []
    for cid, name, loc in [("", theme.key_visual, theme.loc)] + [(c, n, where) for c, (n, where) in key_visuals]:
        if not name:
            continue
        picture = _picture(name, pictures, asset_kinds.PICTURES, loc, errors)
        if picture and _key_visual_fits(picture, len(pictures[name]), loc, errors):
            found.append((cid, picture))
    return Identity((theme.primary or base.get("primary", "")).lower(), logo, tuple(found))


def _picture(name: str, pictures: dict[str, bytes], kinds: tuple[str, ...], loc, errors: Collector) -> Picture | None:
    """The picture `name` of content/assets/ if it is there, of one of `kinds` and has a size; else None, said why."""
    where = (loc.path or "site.yaml", loc.line, loc.column)
    kind = asset_kinds.EXTENSIONS.get(PurePosixPath(name).suffix.lower())
    if name not in pictures:
        errors.add(*where, N_("the picture `%(name)s` is not in content/assets/", name=name),
                   N_("put the file into content/assets/ (the web editor's upload does) and give its name relative to that folder"))
    elif kind not in kinds:
        errors.add(*where, N_("`%(name)s` is not one of the picture kinds %(kinds)s", name=name,
                              kinds=", ".join(k.upper() for k in kinds)), N_("export the picture as one of these kinds"))
    else:
        size = asset_kinds.picture_size(pictures[name])
        if size and size[0] > 0 and size[1] > 0:
            return Picture(name, *size)
        errors.add(*where, N_("the size of `%(name)s` cannot be read", name=name),
                   N_("give an SVG a width and height or a viewBox; save other pictures again in an image editor"))
    return None


def _key_visual_fits(p: Picture, size: int, loc, errors: Collector) -> bool:
    """Whether a key visual is wide enough, banner-shaped and small enough; says why not."""
    where = (loc.path or "site.yaml", loc.line, loc.column)
    ratio, ok = p.width / p.height, True
    if not p.name.lower().endswith(".svg") and p.width < KEY_VISUAL_MIN_WIDTH:
        errors.add(*where, N_("the key visual `%(name)s` is %(width)d pixels wide, less than %(min)d", name=p.name,
                              width=p.width, min=KEY_VISUAL_MIN_WIDTH), N_("export it at least 960 pixels wide (1920 is best)"))
        ok = False
    if not KEY_VISUAL_RATIO[0] <= ratio <= KEY_VISUAL_RATIO[1]:
        errors.add(*where, N_("the key visual `%(name)s` is %(width)d×%(height)d pixels, not a banner between 2:1 and 6:1",
                              name=p.name, width=p.width, height=p.height), N_("crop it to a wide banner, e.g. 1920×480 pixels"))
        ok = False
    if size > KEY_VISUAL_MAX_BYTES:
        errors.add(*where, N_("the key visual `%(name)s` is %(size)d bytes, more than %(max)d", name=p.name, size=size,
                              max=KEY_VISUAL_MAX_BYTES),
                   N_("save it as WebP or JPEG (quality 80) at 1920 pixels wide: a large banner slows the campaign page"))
        ok = False
    return ok


def poster_layer(theme: Theme) -> PosterStyle:
    """The theme as the posters' first layer: its primary colour as their background, its accent and logo."""
    return PosterStyle(background=theme.primary, background_cmyk=theme.primary_cmyk, accent=theme.accent,
                       accent_cmyk=theme.accent_cmyk, logo=theme.logo, loc=theme.loc)
