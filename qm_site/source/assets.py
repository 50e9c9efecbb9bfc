"""What may be published from content/assets/: images and PDFs, told by their bytes, never by their names alone.

content/assets/ is the web editor's media folder and is published under /assets/, on the same origin as /admin/.
An uploaded .html, .js or scripted SVG would run there under the site's own policy, so only the kinds a campaign site
needs are accepted: PNG, JPEG, WebP and PDF, whose first bytes say what they are, and SVG that is provably inert
(no scripts, no event handlers, no foreign content, no links out of the file). Unsafe SVG is refused, not rewritten:
a rewritten logo would silently differ from the file its owner keeps. `asset_kind` is pure; check, build, serve and
the editor's backend all call it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..errors import QmError
from ..i18n import N_

MAX_BYTES = 20 * 1024 * 1024  # a print-quality key visual or a scanned attachment; a site file larger than this is a mistake
EXTENSIONS = {"png": (".png",), "jpeg": (".jpg", ".jpeg"), "webp": (".webp",), "pdf": (".pdf",), "svg": (".svg",)}
SVG_NS = "{http://www.w3.org/2000/svg}"
# Elements that run code, embed other documents or change attributes over time (SMIL <set> can set href to javascript:).
FORBIDDEN = {"script", "foreignobject", "iframe", "embed", "object", "audio", "video", "set", "animate", "animatemotion",
             "animatetransform", "handler", "listener"}
SAFE_DATA = re.compile(r"data:image/(?:png|jpeg|webp);base64,[A-Za-z0-9+/=\s]*", re.ASCII)
URL_REF = re.compile(r"url\(\s*['\"]?([^'\")]*)", re.IGNORECASE)
HINT = N_("content/assets/ takes PNG, JPEG, WebP and PDF files, and SVG without scripts or links; "
          "save the picture as PNG or JPEG and put that file there instead")


def kind_of(data: bytes) -> str | None:
    """The kind the bytes are, by their signature: png, jpeg, webp, pdf, svg; None for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(b"%PDF-"):
        return "pdf"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--")) and b"<svg" in data[:4096].lower():
        return "svg"
    return None


def asset_kind(name: str, data: bytes) -> str:
    """The kind of a file content/assets/ may publish; a QmError naming the file, what is wrong and what to do otherwise."""
    check_size(name, len(data))
    kind = kind_of(data)
    if kind is None:
        raise QmError.at(name, 0, 0, N_("this kind of file cannot be published from content/assets/"), HINT)
    if not name.lower().endswith(EXTENSIONS[kind]):
        raise QmError.at(name, 0, 0, N_("the file is a %(kind)s file but its name does not say so", kind=kind.upper()),
                         N_("rename it to end in %(ext)s", ext=EXTENSIONS[kind][0]))
    if kind == "svg":
        _check_svg(name, data)
    return kind


def check_size(name: str, size: int) -> None:
    """Refuse a file over MAX_BYTES (called before reading it too, so a huge file is never read)."""
    if size > MAX_BYTES:
        raise QmError.at(name, 0, 0, N_("the file is larger than %(mb)s MB", mb=MAX_BYTES // (1024 * 1024)),
                         N_("make the picture smaller (2000 pixels across is plenty for a web page) and save it again"))


def _check_svg(name: str, data: bytes) -> None:
    """Refuse an SVG that could run code or load anything: the first such thing found is named."""
    lowered = data.lower()
    if b"<!doctype" in lowered or b"<!entity" in lowered or b"<?xml-stylesheet" in lowered:
        _unsafe(name, "<!DOCTYPE>")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise QmError.at(name, exc.position[0], exc.position[1] + 1, N_("the SVG file is not well-formed XML"),
                         N_("export it again from the drawing program, or save it as PNG")) from None
    if root.tag != SVG_NS + "svg":
        _unsafe(name, root.tag)
    for element in root.iter():
        local = element.tag.rsplit("}", 1)[-1].lower() if isinstance(element.tag, str) else ""
        if local in FORBIDDEN:
            _unsafe(name, f"<{local}>")
        if local == "style" and _links_out(element.text or ""):
            _unsafe(name, "<style>")
        for attr, value in element.attrib.items():
            _check_attribute(name, attr.rsplit("}", 1)[-1].lower(), value)


def _check_attribute(name: str, attr: str, value: str) -> None:
    """An event handler, a link out of the file, or a style loading something: refused."""
    if attr.startswith("on"):
        _unsafe(name, attr)
    if attr == "href" and not (value.strip().startswith("#") or SAFE_DATA.fullmatch(value.strip())):
        _unsafe(name, f'href="{value[:60]}"')
    if "javascript:" in value.lower().replace(" ", "") or (attr == "style" and _links_out(value)):
        _unsafe(name, attr)


def _links_out(css: str) -> bool:
    """Whether CSS imports or points at anything but a fragment of this file."""
    return "@import" in css.lower() or any(not ref.strip().startswith("#") for ref in URL_REF.findall(css))


def _unsafe(name: str, what: str) -> None:
    """The refusal of an SVG that holds `what`."""
    raise QmError.at(name, 0, 0, N_("the SVG file holds %(what)s, which could run a script or load another file", what=what),
                     N_("export the drawing as plain SVG (no scripts, links or embedded pages) or as PNG"))
