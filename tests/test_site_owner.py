"""In Chromium, under the site's own Content-Security-Policy: the footer with every key of who runs the site fits a phone
and a desktop, and the 党政机关网站标识 and 纠错 scripts the policy allows run (their hosts answered by stand-ins).

After test_posters.py in file order: the local server is a thread (tests/README.md says why that matters)."""

from __future__ import annotations

import pytest
from test_owner import built  # noqa: F401  (the fixture: the seed site with every key, built)

import sitecheck
from qm_site import headers

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082")


def _platform(route) -> None:
    """The two platforms, offline: each script draws its badge image from its own host, as the real ones do."""
    url = route.request.url
    if url.endswith(".png"):
        route.fulfill(body=PNG, content_type="image/png")
        return
    host = url.split("/")[2]
    route.fulfill(content_type="application/javascript",
                  body=f"var i = document.createElement('img'); i.src = 'https://{host}/badge.png'; i.alt = '{host}'; "
                       "i.className = 'platform-badge'; document.currentScript.parentNode.appendChild(i);")


@pytest.mark.browser
@pytest.mark.parametrize("width", [360, 1280])
def test_the_footer_fits_and_the_platform_scripts_run_under_the_csp(built, new_page, width):  # noqa: F811
    with sitecheck.serve(built) as url:
        page = new_page(width=width, height=800)
        problems: list[str] = []

        def with_policy(route) -> None:
            response = route.fetch()
            policy = headers.preview_headers("/")["Content-Security-Policy"]  # the shipped policy, less the https upgrade
            route.fulfill(response=response, headers={**response.headers, "content-security-policy": policy})

        page.route(f"{url}**", with_policy)
        page.route("https://dcs.conac.cn/**", _platform)
        page.route("https://zfwzgl.www.gov.cn/**", _platform)
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.goto(url + "2022/national/")
        page.wait_for_load_state("load")
        badges = page.evaluate("[...document.querySelectorAll('.platform-badge')].map(i => [i.alt, i.naturalWidth])")
        assert sorted(badges) == [["dcs.conac.cn", 1], ["zfwzgl.www.gov.cn", 1]], (badges, problems)
        assert not problems, problems
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        footer = page.inner_text("footer.site-footer")
        for text in ("主办单位：某某市市场监督管理局", "网站标识码：1100000088", "京ICP备12345678号-1",
                     "京公网安备 11010502030143号"):
            assert text in footer, text
