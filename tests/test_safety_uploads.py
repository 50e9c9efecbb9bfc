"""Uploads and supply chain (issue 30, parts 3 and 6): one test per reported case.

content/assets/ (the web editor's media folder) is published under /assets/ on the same origin as /admin/:
only PNG, JPEG, WebP, PDF and inert SVG, told by their bytes, may be published. Each refused file is put into
a copy of the seed content; `check` and `build` must say the one clear message naming it, exit 1, print no
traceback and write nothing. npm installs run no package's install script, and make's uv is pinned by hash.
"""

from __future__ import annotations

import io
import os
import re
import socket
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

import sitecheck
from qm_site.errors import QmError
from qm_site.source import assets

ROOT = Path(__file__).resolve().parent.parent
SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">%s</svg>'


def picture(fmt: str) -> bytes:
    """A real 8x8 picture (or one-page PDF) in `fmt`, made by Pillow."""
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, fmt)
    return buf.getvalue()


def handmade_png() -> bytes:
    """A 1x1 PNG made chunk by chunk, so the PNG check is tested on bytes no library tidied."""
    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\xff\0\0")) + chunk(b"IEND", b"")


CLEAN_SVG = (SVG % (
    '<defs><linearGradient id="g"><stop offset="0" stop-color="#c00"/></linearGradient>'
    '<style>.mark { fill: url(#g); stroke: url( "#g" ) }</style></defs>'
    '<title>质量月 标志</title><!-- drawn by hand -->'
    '<circle id="c" class="mark" cx="5" cy="5" r="4" fill="url(#g)" style="opacity: .9"/>'
    '<use href="#c" x="1"/><use xlink:href="#c" y="1"/>'
    '<image width="1" height="1" href="data:image/png;base64,iVBORw0KGgo="/>'
    '<a href="#c"><text x="1" y="9">Quality Month — JavaScript-free</text></a>')).encode()

ACCEPTED = {
    "logo.png": ("png", picture("PNG")),
    "dot.png": ("png", handmade_png()),
    "photo.jpg": ("jpeg", picture("JPEG")),
    "photo.jpeg": ("jpeg", picture("JPEG")),
    "banner.webp": ("webp", picture("WEBP")),
    "notice.pdf": ("pdf", picture("PDF")),
    "mark.svg": ("svg", CLEAN_SVG),
    "LOGO.PNG": ("png", picture("PNG")),
}

# name -> (bytes, what the message says); the file is named in every message by its path.
REFUSED = {
    "page.html": (b'<!doctype html><script src="/assets/x.js"></script>', "`page.html` is not a kind of file the site publishes"),
    "x.js": (b"fetch('/admin/')", "`x.js` is not a kind of file the site publishes"),
    "style.css": (b"body{}", "`style.css` is not a kind of file the site publishes"),
    "noext": (picture("PNG"), "`noext` is not a kind of file the site publishes"),
    "script.svg": ((SVG % "<script>alert(1)</script>").encode(), "the SVG has a <script> element"),
    "onload.svg": ((SVG % '<rect width="1" height="1" onload="alert(1)"/>').encode(), "event handler attribute onload"),
    "root-onload.svg": (b'<svg xmlns="http://www.w3.org/2000/svg" onLoad="alert(1)"/>', "event handler attribute onLoad"),
    "external.svg": ((SVG % '<image href="https://evil.example/x.png"/>').encode(), "the SVG links to https://evil.example/x.png"),
    "xlink.svg": ((SVG % '<use xlink:href="other.svg#a"/>').encode(), "the SVG links to other.svg#a"),
    "javascript.svg": ((SVG % '<a href="jav&#x09;ascript:alert(1)"><text>x</text></a>').encode(), "the SVG links to"),
    "html-data.svg": ((SVG % '<a href="data:text/html,&lt;script&gt;"><text>x</text></a>').encode(),
                      "the SVG links to data:text/html"),
    "foreign.svg": ((SVG % "<foreignObject><div xmlns='http://www.w3.org/1999/xhtml'>x</div></foreignObject>").encode(),
                    "the SVG has a <foreignObject> element"),
    "iframe.svg": ((SVG % '<iframe xmlns="http://www.w3.org/1999/xhtml" src="/admin/"/>').encode(),
                   "the SVG has a <iframe> element"),
    "embed.svg": ((SVG % "<embed/>").encode(), "the SVG has a <embed> element"),
    "xhtml-script.svg": ((SVG % '<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>').encode(),
                         "the SVG has a <script> element"),
    "animate.svg": ((SVG % '<a><set attributeName="href" to="javascript:alert(1)"/><text>x</text></a>').encode(),
                    "the SVG animates the attribute href"),
    "animate-handler.svg": ((SVG % '<animate attributeName=" xlink:onclick " to="1"/>').encode(),
                            "the SVG animates the attribute xlink:onclick"),
    "import.svg": ((SVG % '<style>@im<!-- split -->port "https://evil.example/a.css";</style>').encode(),
                   "the SVG's CSS uses @import"),
    "css-url.svg": ((SVG % "<style>rect { fill: u&#114;l(https://evil.example/t) }</style>").encode(),
                    "the SVG's CSS loads https://evil.example/t"),
    "css-escape.svg": ((SVG % r"<style>rect { fill: u\72l(https://evil.example/t) }</style>").encode(), "the SVG's CSS uses \\"),
    "style-attr.svg": ((SVG % '<rect style="fill: url(https://evil.example/t)"/>').encode(),
                       "the SVG's CSS loads https://evil.example/t"),
    "doctype.svg": (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                    + (SVG % "<text>&x;</text>").encode(), "the SVG has a DOCTYPE or an entity declaration"),
    "stylesheet.svg": (b'<?xml-stylesheet href="https://evil.example/a.css"?>' + (SVG % "").encode(),
                       "the SVG has a processing instruction <?xml-stylesheet"),
    "html.svg": (b"<html><body onload='alert(1)'></body></html>", "the file's first element is <html>, not an SVG <svg> element"),
    "broken.svg": (b'<svg xmlns="http://www.w3.org/2000/svg"><g></svg>', "`broken.svg` is not a well-formed SVG file"),
    "photo.jpg": (picture("PNG"), "`photo.jpg` is named like a JPEG file but its content is PNG"),
    "logo.svg.png": ((SVG % "").encode(), "`logo.svg.png` is named like a PNG file but its content is not one"),
    "gifar.png": (b"GIF89a/*\x00\x00*/=alert(1)//", "`gifar.png` is named like a PNG file but its content is not one"),
    "polyglot.png": (picture("PNG") + b"<html><script>alert(1)</script>", "`polyglot.png` has data after the end of its PNG image"),
    "polyglot.jpg": (picture("JPEG") + b"<script>alert(1)</script>", "`polyglot.jpg` has data after the end of its JPEG image"),
    "polyglot.webp": (picture("WEBP") + b"<script>", "`polyglot.webp` has data after the end of its WebP image"),
    "polyglot.pdf": (picture("PDF") + b"\n<html><script>alert(1)</script>", "`polyglot.pdf` does not end like a PDF file"),
    "cut.png": (picture("PNG")[:40], "`cut.png` has data after the end of its PNG image, or is cut short"),
}


@pytest.fixture
def site(tmp_path: Path, monkeypatch) -> Path:
    """A project folder holding a copy of the seed content with an empty content/assets/; the working folder."""
    sitecheck.copy_seed(tmp_path, monkeypatch)
    (tmp_path / "content" / "assets").mkdir()
    return tmp_path


run = sitecheck.run_cli


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- the function the loader and the editor's backend share ---------------------------------------


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_each_kind_a_site_needs_is_accepted(name):
    kind, data = ACCEPTED[name]
    assert assets.asset_kind(name, data) == kind


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_each_unsafe_or_mislabelled_file_is_refused_with_its_reason(name):
    data, message = REFUSED[name]
    with pytest.raises(QmError) as caught:
        assets.asset_kind(f"content/assets/{name}", data)
    (problem,) = caught.value.problems
    assert problem.path == f"content/assets/{name}" and message in problem.message and problem.hint


def test_an_svg_refusal_gives_the_line_and_column():
    data = b'<svg xmlns="http://www.w3.org/2000/svg">\n  <g>\n    <script>alert(1)</script>\n  </g>\n</svg>\n'
    with pytest.raises(QmError) as caught:
        assets.asset_kind("logo.svg", data)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (3, 5)


def test_the_size_limit_is_checked_before_the_kind():
    with pytest.raises(QmError, match="more than the 10000000 a file in assets may have"):
        assets.asset_kind("big.png", picture("PNG") + bytes(assets.MAX_BYTES))
    assets.check_size("big.png", assets.MAX_BYTES)  # the limit itself is allowed


PREFIXES = [b"", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"RIFF\x04\x00\x00\x00WEBP", b"%PDF-", b"\xef\xbb\xbf<svg",
            b'<svg xmlns="http://www.w3.org/2000/svg">']


@given(st.sampled_from(PREFIXES), st.binary(max_size=200), st.sampled_from(sorted(assets.EXTENSIONS) + [".html", ""]))
def test_any_bytes_give_a_kind_or_one_clear_error(prefix, rest, extension):
    try:
        kind = assets.asset_kind(f"upload{extension}", prefix + rest)
    except QmError as exc:
        assert len(exc.problems) == 1 and exc.problems[0].hint
    else:
        assert assets.EXTENSIONS[extension.lower()] == kind


# --- check and build -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["page.html", "x.js", "script.svg", "onload.svg", "external.svg", "foreign.svg",
                                  "photo.jpg", "polyglot.png", "gifar.png", "import.svg"])
def test_check_and_build_refuse_a_file_they_must_not_publish(site, capsys, name):
    data, message = REFUSED[name]
    (site / "content" / "assets" / name).write_bytes(data)
    before = snapshot(site)
    code, err = run(capsys, "check", "--lang", "en")
    assert code == 1 and f"content/assets/{name}" in err and message in err, err
    code, err = run(capsys, "build", "--out", "public", "--lang", "en")
    assert code == 1 and f"content/assets/{name}" in err and message in err, err
    assert not (site / "public").exists() and snapshot(site) == before


def test_a_file_over_the_limit_is_refused_unread(site, capsys, monkeypatch):
    big = site / "content" / "assets" / "poster.png"
    with big.open("wb") as fh:
        fh.write(picture("PNG"))
        fh.truncate(assets.MAX_BYTES + 1)  # sparse: no 10 MB written
    monkeypatch.setattr(assets, "asset_kind", lambda *a: pytest.fail("a file over the limit was read"))
    code, err = run(capsys, "check", "--lang", "en")
    assert code == 1 and "content/assets/poster.png" in err and "more than the 10000000 a file in assets may have" in err
    code, err = run(capsys, "build", "--out", "public", "--lang", "en")
    assert code == 1 and "content/assets/poster.png" in err and not (site / "public").exists()


def test_every_refused_file_is_named_in_one_run(site, capsys):
    for name in ("page.html", "script.svg", "photo.jpg"):
        (site / "content" / "assets" / name).write_bytes(REFUSED[name][0])
    code, err = run(capsys, "check", "--lang", "en")
    assert code == 1 and "3 problems found" in err
    assert all(f"content/assets/{name}" in err for name in ("page.html", "script.svg", "photo.jpg"))


def test_the_message_is_in_the_users_language(site, capsys):
    (site / "content" / "assets" / "page.html").write_bytes(REFUSED["page.html"][0])
    code, err = run(capsys, "check", "--lang", "zh_CN")
    assert code == 1 and "content/assets/page.html" in err and "`page.html`" in err
    assert "is not a kind" not in err and re.search(r"[\u4e00-\u9fff]", err)


@pytest.mark.slow
def test_every_kind_a_site_needs_is_published_as_it_is(site, capsys):
    folder = site / "content" / "assets"
    for name, (_, data) in ACCEPTED.items():
        (folder / name).write_bytes(data)
    (folder / "icons").mkdir()
    (folder / "icons" / "seal.png").write_bytes(handmade_png())
    (folder / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")  # hidden: skipped, not published, not an error
    (folder / ".git").mkdir()
    (folder / ".git" / "hook.js").write_text("alert(1)")
    site_yaml = site / "content" / "site.yaml"  # the seed's `posters:` gets the PNG logo: the posters show it
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace("posters:\n", "posters:\n  logo: logo.png\n", 1),
                         encoding="utf-8")
    assert run(capsys, "check", "--lang", "en")[0] == 0
    assert run(capsys, "build", "--out", "public", "-q")[0] == 0
    published = snapshot(site / "public" / "assets")
    for name, (_, data) in ACCEPTED.items():
        stem, suffix = name.rsplit(".", 1)
        (match,) = [k for k in published if re.fullmatch(rf"{re.escape(stem)}\.[0-9a-f]{{10}}\.{suffix}", k)]
        assert published[match] == data, name
    assert any(re.fullmatch(r"icons/seal\.[0-9a-f]{10}\.png", k) for k in published)
    assert not any("DS_Store" in k or "hook" in k for k in snapshot(site / "public"))
    # banners carry only the slogan, as shops make them (issue 35): the logo is on the A4 and A3 posters
    sheets = [p.read_text(encoding="utf-8") for f in ("a4", "a3") for p in (site / "public").rglob(f"posters/{f}/index.html")]
    assert sheets and all(re.search(r'class="pa pa-logo" src="[^"]*assets/logo\.[0-9a-f]{10}\.png"', s) for s in sheets)


def test_a_refused_logo_is_named_once_and_a_pdf_logo_is_not_a_picture(site, capsys):
    (site / "content" / "assets" / "logo.svg").write_bytes(REFUSED["script.svg"][0])
    site_yaml = site / "content" / "site.yaml"
    seed = site_yaml.read_text(encoding="utf-8")
    site_yaml.write_text(seed.replace("posters:\n", "posters:\n  logo: logo.svg\n", 1), encoding="utf-8")
    code, err = run(capsys, "check", "--lang", "en")
    assert code == 1 and "the SVG has a <script> element" in err and "is not in assets/" not in err
    (site / "content" / "assets" / "logo.pdf").write_bytes(picture("PDF"))
    site_yaml.write_text(seed.replace("posters:\n", "posters:\n  logo: logo.pdf\n", 1), encoding="utf-8")
    code, err = run(capsys, "check", "--lang", "en")
    assert code == 1 and "content/site.yaml:" in err and "the poster logo `logo.pdf` is not a picture" in err


def get(url: str) -> tuple[int, str]:
    """(status, body) of a GET, errors included; OSError while nothing listens."""
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return resp.status, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


@pytest.mark.slow
def test_serve_shows_the_refusal_and_never_serves_the_file(site):
    (site / "content" / "assets" / "page.html").write_bytes(REFUSED["page.html"][0])
    (site / "content" / "assets" / "logo.svg").write_bytes(REFUSED["script.svg"][0])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port), "--out", "out", "--lang", "en"],
                            cwd=site, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None and time.monotonic() < deadline, "the preview did not start"
            try:
                status, page = get(f"http://127.0.0.1:{port}/")
                break
            except OSError:
                time.sleep(0.1)
        assert status == 200 and "page.html" in page and "is not a kind of file the site publishes" in page
        assert "the SVG has a &lt;script&gt; element" in page
        for path in ("assets/page.html", "assets/logo.svg"):
            status, body = get(f"http://127.0.0.1:{port}/{path}")
            assert status in (200, 404) and "<script>alert(1)" not in body and '<script src="/assets/x.js">' not in body
    finally:
        proc.send_signal(subprocess.signal.SIGINT)
        printed, _ = proc.communicate(timeout=15)
    assert "content/assets/page.html" in printed and "Traceback" not in printed
    assert not [p for p in (site / "out").rglob("*") if p.name.startswith(("page.", "logo."))]


# --- supply chain ----------------------------------------------------------------------------------

NPM_INSTALL = re.compile(r"\bnpm\s+(ci|install|i)\b[^\n`]*")
# Where an npm install is run or a reader is told to run one: scripts, config, docs, and qm-site's own messages.
PLACES = ["Makefile", "netlify.toml", "scripts", ".ci", "README.md", "docs", "qm_site", "tests"]


def npm_installs() -> list[tuple[str, str]]:
    """(file, command) for every npm install or ci written in the project's scripts, config, docs and messages."""
    found = []
    for place in PLACES:
        path = ROOT / place
        for file in sorted(path.rglob("*") if path.is_dir() else [path]):
            if file.is_file() and file.suffix in ("", ".md", ".sh", ".toml", ".py", ".js") and file.name != Path(__file__).name:
                for match in NPM_INSTALL.finditer(file.read_text(encoding="utf-8")):
                    found.append((file.relative_to(ROOT).as_posix(), match.group(0)))
    return found
