"""What a page shows when it is shared, and the images made for sharing (pure, but for the renderer's disk cache).

Per campaign: a share image (1200×630, the size og:image cards use) and a square one (600×600: WeChat and QQ
crop to a square), shown as the first <img> of the campaign page and named in og:image and itemprop image;
per poster text (the theme and each slogan) the digital formats organisers post: 1080×1080, 1080×1920 and the
公众号 cover, 900×383, linked from the poster gallery. For the site, a PNG apple-touch-icon (180×180).
All are drawn by printing.raster, without a browser, so a Netlify build makes them too.

The share title: a page's own title when it is short enough for a share card (SHARE_TITLE_MAX); else, on a
campaign's pages, the campaign's name as its notice writes it (2022年全国“质量月”), after the sub-page's name.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from ..printing import posters, raster
from ..printing.raster import Card
from ..source.model import spaced
from . import graph
from .pages import CampaignView, Page

SHARE = (1200, 630)
SQUARE = (600, 600)
ICON = (180, 180)
ICON_PATH = "apple-touch-icon.png"
DIGITAL = (("square", 1080, 1080), ("story", 1080, 1920), ("cover", 900, 383))  # (kind, width, height)
SHARE_TITLE_MAX = 20  # characters: WeChat and QQ cards show about this much of a Chinese title on one or two lines
SHARE_TITLE_MAX_EN = 60
Logos = Mapping[str, bytes]  # the PNG logos the cards draw, by their name in content/assets/
NO_LOGOS: Logos = MappingProxyType({})
NAME = re.compile(r"(\d{4})\s*年度?\s*([^，。、：“”\s]{0,12}?)\s*[“\"]质量月[”\"]")


@cache
def face():
    """The font the images are drawn in (raster.card_face), looked up once per process; None: no images."""
    return raster.card_face()


def campaign_name(v: CampaignView) -> str:
    """The campaign's name as its notice's title writes it (2022年全国“质量月”), with the issuer when it names no place."""
    found = NAME.search(v.c.title)
    place = found.group(2) if found and int(found.group(1)) == v.c.year else ""
    name = f"{v.c.year}年{place}“质量月”"
    label = v.c.issuer_label or v.c.issuer
    return name if place or len(label + name) > SHARE_TITLE_MAX else label + name


def share_title(page: Page, v: CampaignView | None) -> str:
    """og:title: the page's title when short, else the sub-page's name and the campaign's (see the module's note)."""
    limit = SHARE_TITLE_MAX_EN if page.lang == "en" else SHARE_TITLE_MAX
    if v is None or len(page.title) <= limit:
        return page.title
    name = campaign_name(v) if page.lang != "en" else f"Quality Month {v.c.year}"
    section = page.title.split(" · ")[0] if " · " in page.title else ""
    joined = f"{section} · {name}" if section else name
    return joined if len(joined) <= limit + 4 else name


def share_card(site, v: CampaignView, size: tuple[int, int], logos: Logos = NO_LOGOS) -> Card:
    """A share image of the campaign: its name, the theme (or the title when it has none), the issuer."""
    return _card(site, v, size, spaced(v.c.theme or v.c.title), logos)


def digital_card(site, v: CampaignView, text: str, size: tuple[int, int], logos: Logos = NO_LOGOS) -> Card:
    """One poster text (the theme or a slogan) in a digital format."""
    return _card(site, v, size, text, logos)


def _card(site, v: CampaignView, size: tuple[int, int], body: str, logos: Logos) -> Card:
    st = posters.style(site, v.c)
    # the posters' issuer line, else the notice's own short form (市场监管总局等21部门) over the lead issuer alone
    foot = " ".join((st.issuer_line or v.c.issuer_label or v.c.issuer).split())
    logo = logos.get(st.logo or "", b"")
    return Card(size[0], size[1], campaign_name(v), body, foot, st.background.rgb, st.color.rgb, st.accent.rgb,
                logo, hashlib.sha256(logo).hexdigest()[:16] if logo else "")


def card_logos(site, campaigns, assets: Logos) -> dict[str, bytes]:
    """The posters' logos (site.yaml theme or posters, each campaign's posters) that the cards can draw: PNGs of
    content/assets/. Pillow draws no SVG, and the images are made without a browser, so an SVG logo is left off."""
    names = {posters.style(site, c).logo for c in campaigns}
    return {name: assets[name] for name in sorted(n for n in names if n)
            if name.lower().endswith(".png") and name in assets}


def share_path(v: CampaignView, size: tuple[int, int] = SHARE) -> str:
    """Where a campaign's share image is, from the site root (the same file for every language)."""
    return f"{v.url}share.png" if size == SHARE else f"{v.url}share-{size[0]}x{size[1]}.png"


def digital_path(v: CampaignView, anchor: str, size: tuple[int, int]) -> str:
    """Where a poster text's digital format is, from the site root."""
    return f"{v.url}images/{anchor}-{size[0]}x{size[1]}.png"


def campaign_cards(site, v: CampaignView, logos: Logos = NO_LOGOS) -> dict[str, Card]:
    """Every image of a campaign by path: the two share images, then each poster text in each digital format."""
    cards = {share_path(v, size): share_card(site, v, size, logos) for size in (SHARE, SQUARE)}
    for s in v.posters:
        for _kind, w, h in DIGITAL:
            cards[digital_path(v, s.anchor, (w, h))] = digital_card(site, v, s.text, (w, h), logos)
    return cards


def image_output(site, v: CampaignView, logos: Logos) -> graph.Output | None:
    """A campaign's images as one output, keyed by their cards (the renderer's disk cache keys its code and font);
    `logos`: card_logos."""
    found = face()
    if found is None:
        return None
    cards = campaign_cards(site, v, logos)
    return graph.Output(share_path(v), ("images", v.id, found, tuple(cards.items())),
                        lambda: {path: raster.png(card, found) for path, card in cards.items()}, group=v.id, origin=v.url)


def icon_card(site) -> Card:
    """The site's touch icon: 质量月 in the site's poster colours (its theme, poster style and colours, as the posters)."""
    st = posters.style(site, None)
    return Card(ICON[0], ICON[1], "", posters.WORDMARK, "", st.background.rgb, st.color.rgb, st.accent.rgb)


def icon_output(site) -> graph.Output | None:
    """apple-touch-icon.png at the site root (iOS and some Android browsers look for it there too)."""
    found = face()
    if found is None:
        return None
    card = icon_card(site)
    return graph.single(ICON_PATH, ("icon", found, card), lambda: raster.png(card, found))


@dataclass(frozen=True, slots=True)
class Share:
    """What base.html and campaign.html need to share a page: the short title, and the image when it has one."""

    title: str
    image: str = ""  # from the page (relative), for <img>
    image_url: str = ""  # absolute, for og:image and itemprop image
    alt: str = ""
    width: int = SHARE[0]
    height: int = SHARE[1]
    icon: str = ""  # the touch icon, from the page


def page_share(site, page: Page, v: CampaignView | None, site_root: str) -> Share:
    """A page's Share: the short title, the touch icon, and on a campaign's pages its share image."""
    title = share_title(page, v)
    if face() is None:
        return Share(title)
    icon = site_root + ICON_PATH
    if v is None:
        return Share(title, icon=icon)
    path = share_path(v)
    card = share_card(site, v, SHARE)
    alt = f"{card.head}：{card.body}（{card.foot}）"  # the image's text as it reads
    return Share(title, site_root + path, site.base_url + path, alt, icon=icon)


@dataclass(frozen=True, slots=True)
class Digital:
    """One poster text's digital formats for the gallery: (kind, width, height, path from the site root) each."""

    anchor: str
    n: int
    text: str
    files: tuple[tuple[str, int, int, str], ...]


def digital(v: CampaignView) -> tuple[Digital, ...]:
    """Every poster text's digital formats, theme first (nothing when no font can draw them)."""
    if face() is None:
        return ()
    return tuple(Digital(s.anchor, s.n, s.text, tuple((kind, w, h, digital_path(v, s.anchor, (w, h))) for kind, w, h in DIGITAL))
                 for s in v.posters)

