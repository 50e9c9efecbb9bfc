"""Who runs the site, as pages show it (pure): the footer's filing links and the 政府网站网页元数据 meta tags.

The meta names are those 《政府网站发展指引》(国办发〔2017〕47号) asks of every page for the inspection platforms' crawlers:
SiteName, SiteDomain, SiteIDCode, ColumnName, ArticleTitle, PubDate, ContentSource, Keywords, Description, Image, Url.
They are written only for a site with a `gov` block (an association's site has no use for them).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..source.model import POLICE_RECORD, Site

MIIT_BEIAN = "https://beian.miit.gov.cn/"  # where an ICP number is looked up (the filing rules ask the footer to link it)
MPS_BEIAN = "https://beian.mps.gov.cn/#/query/webSearch?code="  # the public-security filing site's search by record code


def police_link(record: str) -> str:
    """The filing site's page of a 公安机关备案号: its 14-digit record code in the query."""
    m = re.search(POLICE_RECORD, record)
    assert m, record  # the validator accepted only this form
    return MPS_BEIAN + m.group(1)


def page_meta(site: Site, page, canonical: str, image: str = "") -> list[tuple[str, str]]:
    """The page's (name, content) meta tags of the 网页元数据 (none without site.yaml's `gov`), in the standard's order;
    `image`: the absolute URL of the page's image (a campaign's share image)."""
    if site.gov is None:
        return []
    view = page.context.get("campaign")
    meta = [("SiteName", site.title), ("SiteDomain", urlsplit(site.base_url).hostname or "")]
    if site.gov.site_code:
        meta.append(("SiteIDCode", site.gov.site_code))
    if view is not None:  # a campaign's pages are its column; the notice's facts date and source them
        c = view.c
        meta += [("ColumnName", view.title_text), ("ArticleTitle", page.title)]
        if c.issue_date:
            meta.append(("PubDate", c.issue_date.isoformat()))
        meta += [("ContentSource", view.issuer), ("Keywords", ",".join(k for k in ("质量月", str(c.year), c.theme) if k))]
    else:
        meta += [("ColumnName", page.title), ("ArticleTitle", page.title)]
        if site.owner and site.owner.name:
            meta.append(("ContentSource", site.owner.name))
        meta.append(("Keywords", "质量月"))
    meta.append(("Description", page.description))
    if image:
        meta.append(("Image", image))
    meta.append(("Url", canonical))
    return meta
