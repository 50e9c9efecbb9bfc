"""Who runs the site (issue 34): site.yaml's owner and gov keys validated, in the schema and the web form, and shown on
every indexable page (footer, filing links, 网页元数据 meta tags, the HTML 网站地图); snippets the CSP would block refused."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from qm_site import headers
from qm_site.errors import Collector
from qm_site.site import admin, owner
from qm_site.source import content, model, schema
from sitecheck import CONTENT

ROOT = Path(__file__).resolve().parent.parent
BADGE = '<script id="_ideConac" src="https://dcs.conac.cn/js/33/000/0000/60479491/CA330000000604794910001.js"></script>'
CORRECTION = '<script id="_jiucuo_" sitecode="1100000088" src="https://zfwzgl.www.gov.cn/exposure/jiucuo.js"></script>'
EVERY_KEY = f"""
owner:
  name: 某某市市场监督管理局
  operator: 某某市质量协会
  phone: 010-82262033
  email: web@example.gov.cn
  address: 某某市某某路1号
gov:
  site_code: "1100000088"
  icp: 京ICP备12345678号-1
  police_record: 京公网安备 11010502030143号
  badge_html: '{BADGE}'
  correction_html: '{CORRECTION}'
  head_html: <meta name="supervisor-check" content="qm-owner-test">
  footer_html: <p class="muted">本网站由某某平台监测</p>
"""
META = ("SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ArticleTitle", "ContentSource", "Keywords", "Description", "Url")


def site_problems(extra: str) -> list:
    """The problems parse_site finds in the seed site.yaml plus `extra`."""
    errors = Collector()
    text = (ROOT / "content/site.yaml").read_text(encoding="utf-8") + extra
    site = content.parse_site(text, "site.yaml", errors)
    return site, errors.problems


def test_every_key_is_valid_and_read():
    site, problems = site_problems(EVERY_KEY)
    assert problems == []
    assert site.owner.name == "某某市市场监督管理局" and site.owner.operator == "某某市质量协会"
    assert (site.gov.site_code, site.gov.icp, site.gov.police_record) == ("1100000088", "京ICP备12345678号-1",
                                                                          "京公网安备 11010502030143号")
    assert site.gov.badge_html == BADGE


@pytest.mark.parametrize(("key", "value", "zh_hint"), [
    ("site_code", '"110000008"', "十位数字"),
    ("site_code", "BM30000012", "bm 加八位数字"),
    ("icp", "ICP备12345678号", "京ICP备12345678号-1"),
    ("icp", "京ICP备12345678", "京ICP备12345678号"),
    ("police_record", "京公网安备 1101050203014号", "14 位数字"),
])
def test_a_code_in_the_wrong_form_is_one_clear_error_in_both_languages(key, value, zh_hint):
    _site, problems = site_problems(f"gov:\n  {key}: {value}\n")
    assert len(problems) == 1, problems
    p = problems[0]
    lines = (ROOT / "content/site.yaml").read_text(encoding="utf-8").count("\n")
    assert (p.path, p.line, p.column) == ("site.yaml", lines + 2, len(key) + 5)
    assert "is not in the expected form" in p.format()
    assert zh_hint in p.format("zh_CN")


@pytest.mark.parametrize(("snippet", "english", "chinese"), [
    ('<script>var _hmt = [];</script>', "runs code written in the page", "直接写在网页中的代码"),
    ('<img src="x.png" onerror="alert(1)">', "runs code written in the page", "直接写在网页中的代码"),
    ('<script src="http://zfwzgl.www.gov.cn/exposure/jiucuo.js"></script>', "over plain http", "https://"),
    ('<script src="https://hm.baidu.com/hm.js?abc"></script>', "(script-src) does not allow", "qm_site/headers.py"),
    ('<iframe src="https://example.org/"></iframe>', "(frame-src) does not allow", "不允许"),
])
def test_a_snippet_the_csp_would_block_is_refused_where_it_is_written(snippet, english, chinese):
    _site, problems = site_problems(f"gov:\n  icp: 京ICP备12345678号\n  head_html: '{snippet}'\n")
    assert problems, snippet
    lines = (ROOT / "content/site.yaml").read_text(encoding="utf-8").count("\n")
    assert {(p.line, p.column) for p in problems} == {(lines + 3, 14)}
    assert any(english in p.format() for p in problems), [p.format() for p in problems]
    assert any(chinese in p.format("zh_CN") for p in problems)


def test_the_platform_scripts_and_site_files_pass_the_csp():
    for snippet in (BADGE, CORRECTION, '<script src="/assets/x.js"></script><img src="data:image/png;base64,AA==" alt="">'):
        assert all(headers.allows(headers.SITE_CSP, d, u) for d, u in headers.snippet_loads(snippet)), snippet
    assert not headers.allows(headers.SITE_CSP, "script-src", "https://dcs.conac.cn.evil.example/x.js")


def test_schema_and_web_form_have_every_key_with_its_pattern():
    props = schema.json_schema(model.Site)["definitions"]
    assert set(props["Owner"]["properties"]) == {"name", "operator", "phone", "email", "address"}
    gov = props["Gov"]["properties"]
    assert {"site_code", "icp", "police_record"} <= set(gov) and len(gov) == 7
    assert gov["icp"]["anyOf"][0]["pattern"] == model.ICP
    form = {f["name"]: f for f in admin.model_fields(model.Site)}
    fields = {f["name"]: f for f in form["gov"]["fields"]}
    assert fields["site_code"]["pattern"][0] == model.SITE_CODE and "十位数字" in fields["site_code"]["pattern"][1]
    assert fields["badge_html"]["widget"] == "text"
    assert {f["name"] for f in form["owner"]["fields"]} == {"name", "operator", "phone", "email", "address"}


def test_police_link_carries_the_record_code():
    assert owner.police_link("京公网安备 11010502030143号") == "https://beian.mps.gov.cn/#/query/webSearch?code=11010502030143"


# --- the built site ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The seed content with every key of who runs the site, built (no search index) into a temporary folder."""
    tmp = tmp_path_factory.mktemp("owner")
    shutil.copytree(CONTENT, tmp / "content")
    with open(tmp / "content/site.yaml", "a", encoding="utf-8") as f:
        f.write(EVERY_KEY)
    subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--content", str(tmp / "content"), "--out",
                    str(tmp / "public"),
                    "--no-search", "-q"], check=True, cwd=tmp)
    return tmp / "public"


class _Page(HTMLParser):
    """The meta tags, footer links and footer text of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.footer_links: dict[str, str] = {}  # text -> href
        self.footer_text = ""
        self.footer_html: list[str] = []
        self._footer = self._link = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and "name" in a:
            self.meta[a["name"]] = a.get("content", "")
        if tag == "footer" and a.get("class") == "site-footer":
            self._footer = True
        if self._footer:
            self.footer_html.append(self.get_starttag_text())
            if tag == "a":
                self._link = a["href"]

    def handle_endtag(self, tag):
        if tag == "footer":
            self._footer = False
        if tag == "a":
            self._link = None

    def handle_data(self, data):
        if self._footer:
            self.footer_text += data
            if self._link:
                self.footer_links[data.strip()] = self._link


def indexable(built: Path) -> list[tuple[str, Path]]:
    """(URL, file) of every page sitemap.xml lists."""
    base = "https://qm-site.netlify.app/"
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = [loc.text for loc in ET.parse(built / "sitemap.xml").findall("s:url/s:loc", ns)]
    return [(u, built / (u[len(base):] + ("index.html" if u.endswith("/") else ""))) for u in urls]


@pytest.mark.slow
def test_every_indexable_page_shows_who_runs_the_site(built):
    pages = indexable(built)
    assert len(pages) > 50
    for url, path in pages:
        html = path.read_text(encoding="utf-8")
        page = _Page()
        page.feed(html)
        for text in ("某某市市场监督管理局", "某某市质量协会", "010-82262033", "web@example.gov.cn", "某某市某某路1号",
                     "1100000088", "本网站由某某平台监测"):
            assert text in page.footer_text, (url, text)
        assert page.footer_links["京ICP备12345678号-1"] == "https://beian.miit.gov.cn/", url
        assert page.footer_links["京公网安备 11010502030143号"] == "https://beian.mps.gov.cn/#/query/webSearch?code=11010502030143"
        assert BADGE in html and CORRECTION in html, url
        site_map = page.footer_links["网站地图" if "/en/" not in url else "Site map"]
        assert (path.parent / site_map / "index.html").resolve().is_file(), url
        assert "sitemap.xml" not in "".join(page.footer_links.values()), url
        assert all(page.meta.get(name) for name in META), (url, page.meta)
        assert (page.meta["SiteIDCode"], page.meta["Url"], page.meta["SiteDomain"]) == ("1100000088", url, "qm-site.netlify.app")
        assert page.meta["supervisor-check"] == "qm-owner-test"
        if "netlify.app/2022/national/" in url:
            assert page.meta["PubDate"] == "2022-08-22" and page.meta["ContentSource"] == "市场监管总局等21部门", url
            assert page.meta["Image"] == "https://qm-site.netlify.app/2022/national/share.png", "the share image is its Image"
            assert (built / "2022/national/share.png").is_file()


@pytest.mark.slow
def test_the_site_map_page_lists_every_indexable_page(built):
    pages = indexable(built)
    for prefix in ("", "en/"):
        site_map = built / prefix / "sitemap/index.html"
        hrefs = re.findall(r'<li><a href="([^"]+)"', site_map.read_text(encoding="utf-8"))
        links = {(site_map.parent / href).resolve() for href in hrefs}
        wanted = {p.resolve() for u, p in pages if (u.split("netlify.app/")[1].startswith("en/")) == bool(prefix)}
        wanted.discard(site_map.resolve())
        assert wanted == {link / "index.html" if link.is_dir() else link for link in links}, prefix
        assert "网站地图" in site_map.read_text(encoding="utf-8") or prefix


def test_a_site_without_the_keys_has_no_page_metadata():
    """The seed site.yaml has neither block: no 网页元数据, no filing line (an association's site is not a government one)."""
    site, problems = site_problems("")
    assert problems == [] and site.gov is None and site.owner is None
    assert owner.page_meta(site, None, "") == []
