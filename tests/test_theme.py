"""The site's own look (issue 36): templates/ and assets/ beside content/, and site.yaml's `theme`.

A dressed copy of the seed (sitecheck.dress: a blue theme with a logo and a key visual, the repository's example
footer override, a replaced site.css) is built once; each refusal is tried on its own copy, through the command
line, which must say one clear message at the file and line and print no traceback.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import shutil
from pathlib import Path

import pytest

import sitecheck
from qm_site.authoring import serve
from qm_site.errors import Collector
from qm_site.site import builder, overrides
from qm_site.source import assets, content, look, theme
from qm_site.source.model import PosterStyle, Theme

ROOT = sitecheck.ROOT


def _copy(tmp_path: Path, monkeypatch) -> Path:
    """A dressed copy of the seed in tmp_path (the working folder)."""
    return sitecheck.dress(sitecheck.copy_seed(tmp_path, monkeypatch))


@pytest.fixture(scope="module")
def dressed(dressed_site: Path) -> Path:
    """The folder of the dressed seed (conftest.py): its content/, templates/, assets/ and public/."""
    return dressed_site.parent


def _page(root: Path, rel: str) -> str:
    return (root / "public" / rel).read_text(encoding="utf-8")


def _asset(root: Path, page: str, pattern: str) -> bytes:
    """The bytes of the asset a page links under `pattern` (a regex with one group: the URL)."""
    url = re.search(pattern, page)
    assert url, pattern
    return (root / "public" / url.group(1).lstrip("./")).read_bytes()


def test_the_dressed_site_has_its_footer_stylesheet_palette_logo_and_banner(dressed):
    home, campaign = _page(dressed, "index.html"), _page(dressed, "2022/zhuhai/index.html")
    assert sitecheck.FOOTER_MARK in home and sitecheck.FOOTER_MARK in campaign
    assert "Atom" in home  # the override kept the built-in footer through super()
    css = _asset(dressed, home, r'<link rel="stylesheet" href="([^"]*site\.[0-9a-f]{10}\.css)"').decode()
    assert css.startswith(sitecheck.CSS_MARK)  # the site's site.css replaced qm-site's, fingerprinted like it
    assert css.rstrip().endswith("--soft: #eceff3; --line: #dcdfe3 }")
    assert "--primary: #1d4f91; --primary-dark: #173e71; --accent: #0f7b8a; --paper: #f5f8fc" in css
    assert '<meta name="theme-color" content="#1d4f91">' in home
    logo = re.search(r'<img class="brand-logo" src="([^"]+)" alt="" width="96" height="96">', campaign)
    assert logo and (dressed / "public" / "2022/zhuhai" / logo.group(1)).read_text() == sitecheck.LOGO_SVG
    assert re.search(r'<img class="key-visual" src="\.\./\.\./assets/banner\.[0-9a-f]{10}\.svg" alt="" width="1920" '
                     r'height="480" fetchpriority="high">', campaign)
    assert "key-visual" not in _page(dressed, "2022/zhuhai/notice/index.html")  # the campaign's home page only


def test_the_theme_logo_goes_on_the_posters_and_its_colour_behind_them(dressed):
    site = content.load(dressed / "content")
    from qm_site.printing import posters

    entry = next(e for e in site.entries if e.id == "2022-zhuhai")
    style = posters.style(site.site, entry.campaign)
    assert style.logo == "logo.svg"
    assert style.background.rgb == "#b3141b"  # site.yaml's posters.background, set in the seed, still wins
    plain = dataclasses.replace(site.site, posters=PosterStyle())
    assert posters.style(plain, entry.campaign).background.rgb == "#1d4f91"  # without it, the theme's primary
    sheet = _page(dressed, "2022/zhuhai/posters/a4/index.html")
    assert re.search(r'class="pa pa-logo" src="[./]*assets/logo\.[0-9a-f]{10}\.svg"', sheet)


def test_the_seed_site_is_unchanged_by_the_repository_example(tmp_path, monkeypatch):
    """templates/examples/ is checked but inert: the seed builds byte for byte as without any templates/ folder."""
    plain = tmp_path / "plain"
    shutil.copytree(sitecheck.CONTENT, plain / "content")
    with_example = tmp_path / "example"
    shutil.copytree(sitecheck.CONTENT, with_example / "content")
    shutil.copytree(ROOT / "templates", with_example / "templates")
    shutil.copytree(ROOT / "assets", with_example / "assets")
    assert look.read(with_example / "content", Collector()).names == ("examples/base.html",)
    for root in (plain, with_example):
        builder.build(root / "content", root / "public", search=False)
    files = {p.relative_to(plain / "public") for p in (plain / "public").rglob("*") if p.is_file()}
    assert files == {p.relative_to(with_example / "public") for p in (with_example / "public").rglob("*") if p.is_file()}
    for rel in files:
        assert (plain / "public" / rel).read_bytes() == (with_example / "public" / rel).read_bytes(), rel
    assert not [p for p in files if p.name.startswith("README")]  # assets/README.md is never published


def test_a_template_error_in_an_override_is_reported_at_its_file_and_line(tmp_path, monkeypatch, capsys):
    root = _copy(tmp_path, monkeypatch)
    base = root / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("{% endblock %}", "{% endblok %}"), encoding="utf-8")
    line = base.read_text(encoding="utf-8").splitlines().index("{% endblok %}") + 1
    for command in (["check"], ["build", "--out", "public"]):
        code, err = sitecheck.run_cli(capsys, *command, "--lang", "en")
        assert code == 1
        assert re.search(rf"templates/base\.html:{line}:1: error: template error: .*endblok", err), err
    assert not (root / "public").exists()


def test_an_unknown_block_is_named_with_the_blocks_there_are(tmp_path, monkeypatch, capsys):
    root = _copy(tmp_path, monkeypatch)
    base = root / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("block footer", "block fooder"), encoding="utf-8")
    line = next(n for n, text in enumerate(base.read_text(encoding="utf-8").splitlines(), 1) if "fooder" in text)
    code, err = sitecheck.run_cli(capsys, "check", "--lang", "en")
    assert code == 1
    assert f"templates/base.html:{line}:1: error: base.html has no block `fooder`" in err
    assert "footer" in err.split("use one of its blocks:")[1]
    code, err = sitecheck.run_cli(capsys, "check", "--lang", "zh_CN")
    assert code == 1 and "base.html 中没有 `fooder` 块" in err


def test_an_override_that_extends_itself_is_told_the_builtin_prefix(tmp_path, monkeypatch, capsys):
    root = _copy(tmp_path, monkeypatch)
    base = root / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace('"builtin:base.html"', '"base.html"'), encoding="utf-8")
    code, err = sitecheck.run_cli(capsys, "check", "--lang", "en")
    assert code == 1 and "`base.html` extends itself" in err and 'builtin:base.html' in err


def test_the_builtin_hash_is_recorded_and_a_changed_builtin_reported(tmp_path, monkeypatch, capsys):
    root = _copy(tmp_path, monkeypatch)
    code, err = sitecheck.run_cli(capsys, "check", "--lang", "en")
    assert code == 0 and "no record of which built-in base.html" in err
    assert sitecheck.run_cli(capsys, "templates", "--record")[0] == 0
    record = root / "templates" / "base.html.builtin.sha256"
    expected = hashlib.sha256((ROOT / "qm_site" / "templates" / "base.html").read_bytes()).hexdigest()
    assert record.read_text(encoding="utf-8") == f"{expected}  base.html\n"  # sha256sum's format
    code, err = sitecheck.run_cli(capsys, "check", "--lang", "en")
    assert code == 0 and "base.html" not in err
    record.write_text("0" * 64 + "  base.html\n", encoding="utf-8")  # as if made from an older qm-site
    code, err = sitecheck.run_cli(capsys, "check", "--lang", "zh_CN")
    assert code == 0 and "templates/base.html: 警告:" in err and "qm-site 自带的 base.html" in err
    listed = [item for item in overrides.listing(look.read(root / "content", Collector())) if item.name == "base.html"]
    assert listed[0].override and listed[0].changed and "footer" in listed[0].blocks


def test_templates_list_shows_blocks_and_overrides(tmp_path, monkeypatch, capsys):
    _copy(tmp_path, monkeypatch)
    from qm_site import cli

    assert cli.main(["templates", "--list"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^base\.html  <- .*templates/base\.html", out, re.M)
    assert re.search(r"^campaign\.html\n    .*main", out, re.M)
    assert "footer" in out


def test_given_folders_and_missing_ones(tmp_path, monkeypatch, capsys):
    root = _copy(tmp_path, monkeypatch)
    (root / "templates").rename(root / "mine")
    found = look.read(root / "content", Collector(), templates=root / "mine")
    assert found.templates == root / "mine" and found.names == ("base.html",)
    code, err = sitecheck.run_cli(capsys, "check", "--templates", "nowhere", "--lang", "en")
    assert code == 1 and "the folder nowhere does not exist" in err


def test_assets_of_a_kind_the_site_does_not_publish_are_refused(tmp_path, monkeypatch, capsys):
    root = _copy(tmp_path, monkeypatch)
    (root / "assets" / "tool.exe").write_bytes(b"MZ\x90\x00")
    (root / "assets" / "latin1.css").write_bytes("body { content: 'é' }".encode("latin-1"))
    code, err = sitecheck.run_cli(capsys, "check", "--lang", "en")
    assert code == 1
    assert "assets/tool.exe: error: `tool.exe` is not a kind of file the site publishes" in err
    assert "assets/latin1.css: error: CSS file `latin1.css` is not UTF-8 text" in err


@pytest.mark.parametrize(("key", "value", "message"), [
    ("primary", "#7fa7e0", "the white text of the header and buttons (#ffffff) on theme.primary (#7fa7e0) has a contrast "
                           "of 2.47:1, less than 4.5:1"),
    ("primary", "#3d6fb0", "the light yellow label of the home page's banner (#ffe3a3) on theme.primary (#3d6fb0) has a "
                           "contrast of 4.09:1, less than 4.5:1"),
    ("paper", "#c9d1da", "the grey notes (#5c5c5c) on the panels, theme.paper a little darker (#c2cad2) has a contrast of "
                         "4.04:1, less than 4.5:1"),
    ("accent", "#9fd3dc", "the focus ring in theme.accent (#9fd3dc) on theme.paper (#f5f8fc) has a contrast of 1.54:1, "
                          "less than 3:1"),
])
def test_colours_whose_text_would_be_hard_to_read_are_refused_naming_the_pair(tmp_path, monkeypatch, capsys, key, value, message):
    root = _copy(tmp_path, monkeypatch)
    site_yaml = root / "content" / "site.yaml"
    text = site_yaml.read_text(encoding="utf-8")
    site_yaml.write_text(re.sub(rf'(\n  {key}: )"#[0-9a-f]+"', rf'\1"{value}"', text), encoding="utf-8")
    code, err = sitecheck.run_cli(capsys, "check", "--lang", "en")
    line = text.splitlines().index("theme:") + 2
    assert code == 1
    assert f"content/site.yaml:{line}:3: error: {message}" in err, err
    code, err = sitecheck.run_cli(capsys, "check", "--lang", "zh_CN")
    assert "对比度" in err


def test_contrast_is_wcag_and_the_default_palette_passes():
    assert round(theme.contrast("#ffffff", "#000000"), 2) == 21.0
    assert round(theme.contrast("#ffffff", "#b3141b"), 2) == 6.92
    base = theme.defaults((ROOT / "qm_site" / "assets" / "site.css").read_text(encoding="utf-8"))
    assert base["primary"] == "#b3141b" and base["paper"] == "#fffdf8"
    found = Collector()
    theme.check_colours(Theme(), base, "site.yaml", found)
    assert found.errors == []
    assert theme.palette_css(Theme(primary="#B3141B"), base) == "\n/* site.yaml theme */\n:root { --primary-dark: #8c1015 }\n"


@pytest.mark.parametrize(("setting", "file", "data", "message"), [
    ("logo: logo.jpg", "logo.jpg", None, "`logo.jpg` is not one of the picture kinds SVG, PNG"),
    ("logo: tiny.png", "tiny.png", "png:40x40", "the logo `tiny.png` is 40 pixels high, less than 64"),
    ("logo: gone.svg", None, None, "the picture `gone.svg` is not in content/assets/"),
    ("key_visual: square.png", "square.png", "png:1200x1200", "the key visual `square.png` is 1200×1200 pixels, not a banner"),
    ("key_visual: small.png", "small.png", "png:800x200", "the key visual `small.png` is 800 pixels wide, less than 960"),
])
def test_logos_and_key_visuals_are_checked(tmp_path, monkeypatch, capsys, setting, file, data, message):
    root = _copy(tmp_path, monkeypatch)
    if file:
        (root / "content" / "assets" / file).write_bytes(_picture(data) if data else _picture("jpeg:100x100"))
    site_yaml = root / "content" / "site.yaml"
    key = setting.split(":")[0]
    site_yaml.write_text(re.sub(rf"\n  {key}: .*", f"\n  {setting}", site_yaml.read_text(encoding="utf-8")), encoding="utf-8")
    code, err = sitecheck.run_cli(capsys, "check", "--lang", "en")
    assert code == 1 and message in err, err


def test_a_campaign_key_visual_replaces_the_sites(tmp_path, monkeypatch):
    root = _copy(tmp_path, monkeypatch)
    (root / "content" / "assets" / "zh.png").write_bytes(_picture("png:1200x400"))
    yaml = root / "content" / "2022-zhuhai" / "campaign.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8") + "key_visual: zh.png\n", encoding="utf-8")
    loaded = content.load(root / "content")
    assert loaded.identity.key_visual("2022-zhuhai") == theme.Picture("zh.png", 1200, 400)
    assert loaded.identity.key_visual("2022-national") == theme.Picture("banner.svg", 1920, 480)


@pytest.mark.parametrize("fmt", ["png", "jpeg", "webp"])
def test_picture_sizes_come_from_the_bytes(fmt):
    assert assets.picture_size(_picture(f"{fmt}:321x123")) == (321, 123)


def test_svg_sizes_come_from_width_and_height_or_the_viewbox():
    assert assets.picture_size(sitecheck.BANNER_SVG.encode()) == (1920, 480)
    assert assets.picture_size(b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-5 0 300 100"></svg>') == (300, 100)
    assert assets.picture_size(b'<svg xmlns="http://www.w3.org/2000/svg" width="50%" height="20"></svg>') is None


def test_serve_rebuilds_when_an_override_changes_or_is_added(tmp_path, monkeypatch):
    root = _copy(tmp_path, monkeypatch)
    preview = serve.Preview(root / "content", root / "out")
    assert preview.refresh().problems == ()
    assert sitecheck.FOOTER_MARK in (root / "out" / "index.html").read_text(encoding="utf-8")
    base = root / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace(sitecheck.FOOTER_MARK, "主办单位：新的协会"), encoding="utf-8")
    assert preview.refresh({base}).ids is None  # a full render
    assert "主办单位：新的协会" in (root / "out" / "index.html").read_text(encoding="utf-8")
    added = root / "templates" / "campaign.html"
    added.write_text('{% extends "builtin:campaign.html" %}{% block main %}<p>覆盖的活动页</p>{% endblock %}\n', encoding="utf-8")
    assert preview.refresh({added}).problems == ()
    assert "覆盖的活动页" in (root / "out" / "2022" / "zhuhai" / "index.html").read_text(encoding="utf-8")
    added.write_text('{% extends "builtin:campaign.html" %}{% block main %}{% if %}{% endblock %}\n', encoding="utf-8")
    outcome = preview.refresh({added})
    assert outcome.problems and outcome.problems[0].path.endswith("templates/campaign.html") and outcome.problems[0].line == 1
    css = root / "assets" / "site.css"
    css.write_text(css.read_text(encoding="utf-8") + ".brand { color: #fff; }\n", encoding="utf-8")
    added.unlink()
    assert preview.refresh({css, added}).problems == ()
    assert root / "templates" in serve.watched(root / "content") and root / "assets" in serve.watched(root / "content")


def _picture(spec: str) -> bytes:
    """A picture made by Pillow from "fmt:WxH"."""
    import io

    from PIL import Image

    fmt, size = spec.split(":")
    w, h = (int(n) for n in size.split("x"))
    buf = io.BytesIO()
    Image.new("RGB", (w, h), "#1d4f91").save(buf, fmt.upper())
    return buf.getvalue()
