"""Where every page and file of the site lives: one home for the URL rules that the site, the printing and the templates share.

Pure and below every stage (it imports nothing of qm_site): pages lists the pages at these paths, printing finds
the sheets it prints there, and the templates link them through the same names.
"""

from __future__ import annotations

from typing import Protocol

LANG_PREFIX = {"zh_CN": "", "en": "en/"}  # each language's root under the site's
POSTERS_URL = "posters/"  # under the campaign: the gallery, and a print sheet per format below it
GONGWEN_URL = "notice/print/"  # under the campaign: the notice as a 公文, what its PDF is printed from
ARTICLE_URL = "article/"  # under the campaign: the notice as a 公众号 article, for editors to copy
PDF_DIR = "pdf/"  # at the site's root: the PDFs `build.py pdf` prints, kept across builds


class Located(Protocol):
    """What a campaign's URL is made of (a content Entry, or a campaign view)."""

    @property
    def year(self) -> int: ...

    @property
    def slug(self) -> str: ...


def campaign_url(e: Located) -> str:
    """URL of a campaign relative to its language root, e.g. 2022/national/."""
    return f"{e.year}/{e.slug}/"


def poster_sheet_url(campaign: str, format_id: str) -> str:
    """URL of a campaign's print sheet in one poster format, relative to the site root (campaign: its URL with prefix)."""
    return f"{campaign}{POSTERS_URL}{format_id}/"


def notice_pdf_name(campaign_id: str) -> str:
    """File name of a campaign's notice as a 公文 PDF, e.g. 2022-national-notice.pdf."""
    return f"{campaign_id}-notice.pdf"

