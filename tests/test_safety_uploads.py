"""content/assets/ publishes images and PDFs only, told by their bytes (issue 30): the web editor's uploads go there.

Every refused kind is refused by `check` and by `build` with the file named, exit 1, no traceback and nothing
written; every accepted kind (made by Pillow and pypdf, not by hand) is published.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfWriter

from qm_site import cli
from qm_site.errors import QmError
from qm_site.source import assets

ROOT = Path(__file__).resolve().parent.parent


def picture(fmt: str) -> bytes:
    """A small real picture in `fmt` (PNG, JPEG, WEBP), written by Pillow."""
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (183, 28, 28)).save(out, fmt)
    return out.getvalue()


def pdf() -> bytes:
    """A one-page PDF written by pypdf."""
    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=200, height=200)
    writer.write(out)
    return out.getvalue()


CLEAN_SVG = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
             b'viewBox="0 0 10 10"><defs><linearGradient id="g"><stop offset="0" stop-color="#b71c1c"/></linearGradient>'
             b'</defs><rect width="10" height="10" fill="url(#g)" style="fill:url(#g)"/><use xlink:href="#g"/></svg>')
REFUSED = {
    "page.html": b"<!doctype html><title>x</title><script src=x.js></script>",
    "x.js": b"fetch('/admin/config.yml').then(r => r.text())",
    "script.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "onload.svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>',
    "href.svg": b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
                b'<image xlink:href="https://example.com/x.png"/></svg>',
    "js-href.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><text>x</text></a></svg>',
    "foreign.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x'
                   b'</div></foreignObject></svg>',
    "set.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><a><set attributeName="href" to="javascript:alert(1)"/></a></svg>',
    "style.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://example.com/x.css);</style></svg>',
    "entity.svg": b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
    "notxml.svg": b"<svg xmlns='http://www.w3.org/2000/svg'><rect></svg>",
    "polyglot.png": b"GIF89a/*<svg onload=alert(1)>*/",
}


def test_the_kinds_a_site_needs_are_accepted():
    for name, data, kind in (("a.png", picture("PNG"), "png"), ("a.jpg", picture("JPEG"), "jpeg"),
                             ("a.jpeg", picture("JPEG"), "jpeg"), ("a.webp", picture("WEBP"), "webp"),
                             ("a.pdf", pdf(), "pdf"), ("logo.svg", CLEAN_SVG, "svg")):
        assert assets.asset_kind(name, data) == kind, name


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_other_kinds_and_unsafe_svg_are_refused(name):
    with pytest.raises(QmError) as caught:
        assets.asset_kind(name, REFUSED[name])
    assert caught.value.problems[0].path == name and caught.value.problems[0].hint


def test_a_name_that_lies_about_the_kind_is_refused():
    with pytest.raises(QmError, match="PNG file but its name"):
        assets.asset_kind("photo.jpg", picture("PNG"))
    with pytest.raises(QmError, match="rename it to end in .png"):
        assets.asset_kind("photo.html", picture("PNG"))


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path, capsys, monkeypatch):
    content = _site(tmp_path)
    big = content / "assets" / "huge.png"
    with big.open("wb") as fh:  # sparse: the size is there, the bytes are never read
        fh.write(picture("PNG"))
        fh.truncate(assets.MAX_BYTES + 1)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check", "--content", "content"]) == 1
    err = capsys.readouterr().err
    assert "content/assets/huge.png" in err and "larger than 20 MB" in err and "Traceback" not in err


def _site(tmp_path: Path) -> Path:
    """A copy of the seed content with an assets folder."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    (tmp_path / "content" / "assets").mkdir(exist_ok=True)
    return tmp_path / "content"


@pytest.mark.parametrize("name", ["page.html", "x.js", "script.svg", "polyglot.png"])
def test_check_and_build_refuse_a_file_the_site_may_not_publish(tmp_path, capsys, monkeypatch, name):
    content = _site(tmp_path)
    (content / "assets" / name).write_bytes(REFUSED[name])
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check", "--content", "content"]) == 1
    err = capsys.readouterr().err
    assert f"content/assets/{name}" in err and "Traceback" not in err
    assert cli.main(["build", "--content", "content", "--out", "public", "--no-search", "-q"]) == 1
    err = capsys.readouterr().err
    assert f"content/assets/{name}" in err and "Traceback" not in err
    assert not (tmp_path / "public").exists(), "nothing written"


def test_accepted_files_are_published_and_hidden_files_are_not(tmp_path, capsys, monkeypatch):
    content = _site(tmp_path)
    for name, data in (("key.jpg", picture("JPEG")), ("logo.svg", CLEAN_SVG), ("notice.pdf", pdf()), (".DS_Store", b"\0\1")):
        (content / "assets" / name).write_bytes(data)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["build", "--content", "content", "--out", "public", "--no-search", "-q"]) == 0
    published = {p.name.split(".")[0] for p in (tmp_path / "public" / "assets").iterdir()}
    assert {"key", "logo", "notice"} <= published and "" not in published


def test_check_in_chinese_names_the_file_and_the_fix(tmp_path, capsys, monkeypatch):
    content = _site(tmp_path)
    (content / "assets" / "page.html").write_bytes(REFUSED["page.html"])
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check", "--content", "content", "--lang", "zh_CN"]) == 1
    err = capsys.readouterr().err
    assert "content/assets/page.html" in err and "PNG" in err and "不能" in err
