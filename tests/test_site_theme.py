"""The seed in a look of its own (sitecheck.dress: blue theme, logo, key visual, footer override, replaced site.css),
checked like the seed site is: valid HTML, no axe violations at phone and desktop widths, no sideways scrolling on a
360 px phone, and the colours the palette promised as the browser computes them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_site_quality import PHONE, VIEWPORTS, VNU_MISSING, axe_violations, one_page_per_kind, shorten

import sitecheck


@pytest.mark.slow
def test_the_dressed_site_is_valid_html(dressed_site: Path) -> None:
    errors = sitecheck.vnu_errors(dressed_site)
    if errors is None:
        pytest.skip(VNU_MISSING)
    assert errors == [], shorten(errors)
    assert sitecheck.broken_links(dressed_site) == []


@pytest.mark.browser
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_dressed_site_has_no_axe_violations(new_page, dressed_site: Path, dressed_url: str, viewport: str) -> None:
    """One page of each type in each language (the theme changes colours, so contrast is what axe checks here)."""
    pages = sitecheck.viewable_pages(dressed_site)
    sample = [rel for lang in ("zh_CN", "en") for rel in one_page_per_kind(pages, lang).values()]
    found = axe_violations(new_page(*VIEWPORTS[viewport]), dressed_url, sample)
    assert found == {}, shorten([f"{rel}: {v}" for rel, vs in found.items() for v in vs])


@pytest.mark.browser
def test_the_dressed_campaign_page_fits_a_phone_in_its_colours(new_page, dressed_url: str) -> None:
    page = new_page(*PHONE)
    page.goto(dressed_url + "2022/zhuhai/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    colours = page.evaluate("""() => ({
        masthead: getComputedStyle(document.querySelector('.masthead')).backgroundColor,
        body: getComputedStyle(document.body).backgroundColor,
        footer: getComputedStyle(document.querySelector('.site-footer')).borderTopColor,
        banner: document.querySelector('.key-visual').getBoundingClientRect().height,
        logo: document.querySelector('.brand-logo').getBoundingClientRect().height,
        loaded: [...document.images].every(i => i.complete && i.naturalWidth > 0),
    })""")
    assert colours["masthead"] == "rgb(29, 79, 145)" and colours["body"] == "rgb(245, 248, 252)"
    assert colours["footer"] == "rgb(29, 79, 145)"  # the replaced site.css's rule, in the theme's primary
    assert 70 < colours["banner"] < 90 and colours["logo"] == 32 and colours["loaded"]
