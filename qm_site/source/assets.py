"""Which files of content/assets/ may be published: the kind of a file from its bytes, or a QmError saying why not.

The site publishes content/assets/ under /assets/, on the same origin as the web editor at /admin/, so a
file there must never be something a browser runs: only PNG, JPEG, WebP, PDF and provably inert SVG are
published. The kind comes from the bytes (the name's extension must agree, since the server picks the
Content-Type by extension), and nothing is rewritten: a file is published as it is, or refused.

Pure (no file system, no globals changed): `check` and `build` call `asset_kind` on every file they publish,
and the web editor's backend on every upload.
"""

from __future__ import annotations

import functools
import re
import struct
from collections.abc import Callable
from typing import Any
from xml.parsers import expat

from ..errors import QmError
from ..i18n import N_

MAX_BYTES = 10_000_000  # a scanned notice PDF is a few MB; this keeps the repository and the deploy small
KINDS = ("png", "jpeg", "webp", "pdf", "svg")
PICTURES = ("png", "jpeg", "webp", "svg")  # what an <img> shows: a poster logo must be one
EXTENSIONS = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".webp": "webp", ".pdf": "pdf", ".svg": "svg"}
_EXTENSION_OF = {"png": ".png", "jpeg": ".jpg", "webp": ".webp", "pdf": ".pdf", "svg": ".svg"}

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8\xff"
_PDF_MAGIC = b"%PDF-"

_SVG_NS = "http://www.w3.org/2000/svg"
# Namespaces whose elements a browser makes active inside an SVG document (HTML runs <script>, MathML links).
_ACTIVE_NS = {"http://www.w3.org/1999/xhtml", "http://www.w3.org/1998/Math/MathML", "http://www.w3.org/2001/xml-events"}
_ACTIVE_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"}
_SAFE_DATA_URI = re.compile(r"data:image/(png|jpeg|webp)[;,]", re.IGNORECASE)
# ASCII whitespace and controls are dropped from URLs by browsers ("java\tscript:"), so they are dropped here too.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]")
_SCRIPT_URL = re.compile(r"(java|vb)script:", re.IGNORECASE)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
# What CSS can load or run besides url(): imports, image-set()/image() strings, old IE expressions; and
# backslash escapes, which can spell any of these (`u\72l(`) past a textual check.
_CSS_REFUSED = ("@import", "image-set(", "image(", "expression(", "\\")

WRONG_KIND_HINT = N_("the site publishes PNG, JPEG, WebP, PDF and SVG files only: export the file in one of "
                     "those formats, or link to it from the text instead of uploading it")


def asset_kind(name: str, data: bytes) -> str:
    """The kind ("png", "jpeg", "webp", "pdf" or "svg") of a file that may be published, else a QmError naming `name`."""
    check_size(name, len(data))
    claimed = EXTENSIONS.get(_extension(name))
    if claimed is None:
        raise QmError.at(name, 0, 0, N_("`%(name)s` is not a kind of file the site publishes", name=_base(name)),
                         WRONG_KIND_HINT)
    kind = _kind_of_bytes(data)
    if kind is None or (kind == "svg") != (claimed == "svg"):  # text that is not an SVG is not "SVG content"
        raise QmError.at(name, 0, 0, N_("`%(name)s` is named like a %(kind)s file but its content is not one",
                                        name=_base(name), kind=claimed.upper()), WRONG_KIND_HINT)
    if kind != claimed:
        raise QmError.at(name, 0, 0, N_("`%(name)s` is named like a %(claimed)s file but its content is %(kind)s",
                                        name=_base(name), claimed=claimed.upper(), kind=kind.upper()),
                         N_("rename it to end in %(extension)s", extension=_EXTENSION_OF[kind]))
    _CHECKS[kind](name, data)
    return kind


def check_size(name: str, size: int) -> None:
    """Refuse a file over MAX_BYTES; callers that can stat a file call it before reading, so a huge one is never read."""
    if size > MAX_BYTES:
        raise QmError.at(name, 0, 0, N_("`%(name)s` is %(size)s bytes, more than the %(max)s a file in assets may have",
                                        name=_base(name), size=size, max=MAX_BYTES),
                         N_("make it smaller (2000 pixels across is plenty for a web page; a PDF saved for screen), "
                            "or link to it from the text"))


def _base(name: str) -> str:
    """The last part of a slash-separated name."""
    return name.replace("\\", "/").rsplit("/", 1)[-1]


def _extension(name: str) -> str:
    """The name's extension, lower case with its dot ('' without one)."""
    base = _base(name)
    dot = base.rfind(".")
    return base[dot:].lower() if dot > 0 else ""


def _kind_of_bytes(data: bytes) -> str | None:
    """The kind the first bytes announce, or None for anything else."""
    if data.startswith(_PNG_MAGIC):
        return "png"
    if data.startswith(_JPEG_MAGIC):
        return "jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(_PDF_MAGIC):
        return "pdf"
    if _looks_like_xml(data):
        return "svg"
    return None


def _looks_like_xml(data: bytes) -> bool:
    """Whether the text (UTF-8, BOM allowed) starts with a tag: an SVG candidate, parsed strictly later."""
    return data.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n").startswith(b"<")


def _trailing(name: str, kind: str) -> QmError:
    """The error for bytes after the end of an image: room for a second file (a polyglot) hidden in the first."""
    return QmError.at(name, 0, 0, N_("`%(name)s` has data after the end of its %(kind)s image, or is cut short",
                                     name=_base(name), kind=kind),
                      N_("open the file in an image editor and save it again, then upload the new file"))


def _check_png(name: str, data: bytes) -> None:
    """The PNG's chunks run exactly to its IEND chunk and no further."""
    pos = len(_PNG_MAGIC)
    while pos + 12 <= len(data):
        length, tag = struct.unpack(">I4s", data[pos:pos + 8])
        pos += 12 + length
        if tag == b"IEND":
            if pos == len(data):
                return
            break
    raise _trailing(name, "PNG")


def _check_jpeg(name: str, data: bytes) -> None:
    """The JPEG ends with its end-of-image marker; what a camera or editor writes after it is not an image."""
    if not data.endswith(b"\xff\xd9"):
        raise _trailing(name, "JPEG")


def _check_webp(name: str, data: bytes) -> None:
    """The WebP's RIFF header gives the file's exact length."""
    (size,) = struct.unpack("<I", data[4:8]) if len(data) >= 12 else (-1,)
    if size + 8 != len(data):
        raise _trailing(name, "WebP")


def _check_pdf(name: str, data: bytes) -> None:
    """The PDF ends with its %%EOF marker (whitespace after it aside).

    A PDF is served as application/pdf, which browsers open in their own viewer, apart from the site's pages:
    what it holds does not run on the site's origin, so only its end is checked (against an appended file).
    """
    if not data.rstrip(b" \t\r\n\x00").endswith(b"%%EOF"):
        raise QmError.at(name, 0, 0, N_("`%(name)s` does not end like a PDF file: it is cut short or has data after its end",
                                        name=_base(name)),
                         N_("open it in a PDF reader and save or print it to a new PDF, then upload that file"))


class _Refused(Exception):
    """What makes an SVG unsafe, found while parsing; `_located` adds where the parser was (1-based)."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint
        self.line, self.column = 1, 1


def _located(handler: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a parser handler so its refusal carries the parser's place (read later, the parser has moved on)."""
    @functools.wraps(handler)
    def run(self: _SvgChecker, *args: Any) -> Any:
        try:
            return handler(self, *args)
        except _Refused as exc:
            exc.line, exc.column = self.parser.CurrentLineNumber, self.parser.CurrentColumnNumber + 1
            raise
    return run


def _check_svg(name: str, data: bytes) -> None:
    """The SVG is well-formed XML with an <svg> root and nothing that runs, loads or links outside the file."""
    checker = _SvgChecker()
    parser = checker.parser
    try:
        parser.Parse(data, True)
    except _Refused as exc:
        raise QmError.at(name, exc.line, exc.column, exc.message, exc.hint) from None
    except expat.ExpatError as exc:
        raise QmError.at(name, exc.lineno, exc.offset + 1,
                         N_("`%(name)s` is not a well-formed SVG file: %(reason)s", name=_base(name),
                            reason=expat.ErrorString(exc.code)),
                         N_("export the drawing again as plain SVG (Inkscape: Save As, Plain SVG)")) from None


_EXPORT_PLAIN = N_("export the drawing again as plain SVG (Inkscape: Save As, Optimized or Plain SVG) and remove "
                   "scripts, links and embedded web content")


class _SvgChecker:
    """An expat parser whose handlers raise _Refused at the first thing that is not inert drawing."""

    def __init__(self) -> None:
        self.seen_root = False
        self.in_style = False
        self.text: list[str] = []  # character data since the last tag: expat splits it, comments do not end it
        self.style: list[str] = []  # the text of the open <style>, checked whole when it closes
        self.parser = p = expat.ParserCreate(namespace_separator=" ")
        p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        p.StartDoctypeDeclHandler = self._doctype
        p.EntityDeclHandler = self._doctype
        p.ExternalEntityRefHandler = self._external
        p.ProcessingInstructionHandler = self._instruction
        p.StartElementHandler = self._start
        p.EndElementHandler = self._end
        p.CharacterDataHandler = self._text

    @_located
    def _doctype(self, *args) -> None:
        """A DOCTYPE can declare entities (external files, exponential expansion): none is accepted."""
        raise _Refused(N_("the SVG has a DOCTYPE or an entity declaration"),
                       N_("delete the <!DOCTYPE …> part at the top of the file; SVG does not need it"))

    @_located
    def _external(self, context: str, base: str | None, system_id: str | None, public_id: str | None) -> int:
        """A reference to an external entity (only reachable through a DOCTYPE, refused above all the same)."""
        self._doctype()
        return 0

    @_located
    def _instruction(self, target: str, data: str) -> None:
        """A processing instruction such as <?xml-stylesheet?> loads another file."""
        raise _Refused(N_("the SVG has a processing instruction <?%(target)s …?>", target=target), _EXPORT_PLAIN)

    @_located
    def _start(self, tag: str, attrs: dict[str, str]) -> None:
        """Check one element and its attributes."""
        self._flush()
        ns, _, local = tag.rpartition(" ")
        if self.in_style:  # a stylesheet is its text: an element inside could split "@import" past the check
            raise _Refused(N_("the SVG's <style> holds a <%(tag)s> element", tag=local), _EXPORT_PLAIN)
        if not self.seen_root:
            if (ns, local) != (_SVG_NS, "svg"):
                raise _Refused(N_("the file's first element is <%(tag)s>, not an SVG <svg> element", tag=local),
                               N_('an SVG file starts with <svg xmlns="http://www.w3.org/2000/svg" …>'))
            self.seen_root = True
        if local.lower() in _ACTIVE_ELEMENTS or ns in _ACTIVE_NS:
            raise _Refused(N_("the SVG has a <%(tag)s> element, which can run code or show another page", tag=local),
                           _EXPORT_PLAIN)
        for key, value in attrs.items():
            self._attribute(key.rpartition(" ")[2], value)
        self.in_style = local == "style"

    @_located
    def _end(self, tag: str) -> None:
        """Check the text before the end tag, and a <style>'s whole stylesheet when it closes."""
        self._flush()
        if self.in_style:
            _check_css("".join(self.style))
            self.in_style, self.style = False, []

    def _flush(self) -> None:
        """Check the text gathered since the last tag."""
        text = "".join(self.text)
        self.text = []
        _check_text(text)
        if self.in_style:
            self.style.append(text)

    def _attribute(self, local: str, value: str) -> None:
        """An attribute may not be an event handler, link outside the file, or animate a link or handler."""
        name = local.lower()
        if name.startswith("on"):
            raise _Refused(N_("the SVG has an event handler attribute %(attr)s", attr=local), _EXPORT_PLAIN)
        if name == "href" and not _inside_file(value):
            raise _Refused(N_("the SVG links to %(url)s: only links inside the file (#…) and embedded PNG, "
                              "JPEG or WebP images are allowed", url=_short(value)), _EXPORT_PLAIN)
        target = _URL_NOISE.sub("", value).lower().rpartition(":")[2]  # the animated attribute, prefix dropped
        if name == "attributename" and (target == "href" or target.startswith("on")):
            raise _Refused(N_("the SVG animates the attribute %(attr)s", attr=value.strip()), _EXPORT_PLAIN)
        if name == "style":
            _check_css(value)
        elif "url(" in value.lower():
            _check_css(value)
        _check_text(value)

    def _text(self, text: str) -> None:
        """Gather character data, checked whole at the next tag."""
        self.text.append(text)


def _inside_file(url: str) -> bool:
    """Whether a link stays in the file: a #fragment, or an embedded PNG, JPEG or WebP image."""
    url = _URL_NOISE.sub("", url)
    return url.startswith("#") or bool(_SAFE_DATA_URI.match(url))


def _short(text: str) -> str:
    """At most 60 characters of a value, for a message."""
    text = text.strip()
    return text if len(text) <= 60 else text[:57] + "..."


def _check_text(text: str) -> None:
    """Refuse a javascript: URL anywhere, however spaced or cased."""
    if _SCRIPT_URL.search(_URL_NOISE.sub("", text)):
        raise _Refused(N_("the SVG contains a script URL (javascript: or vbscript:)"), _EXPORT_PLAIN)


def _check_css(css: str) -> None:
    """CSS (a <style> or style attribute, or a url() value) may only point inside the file."""
    lowered = css.lower()
    for refused in _CSS_REFUSED:
        if refused in lowered:
            raise _Refused(N_("the SVG's CSS uses %(what)s, which can load another file", what=refused), _EXPORT_PLAIN)
    for match in _CSS_URL.finditer(css):
        if not _inside_file(match.group(2)):
            raise _Refused(N_("the SVG's CSS loads %(url)s: only url(#…) and embedded PNG, JPEG or WebP images are allowed",
                              url=_short(match.group(2))), _EXPORT_PLAIN)
    if lowered.count("url(") != len(_CSS_URL.findall(css)):
        raise _Refused(N_("the SVG's CSS has a url( it does not close"), _EXPORT_PLAIN)


_CHECKS = {"png": _check_png, "jpeg": _check_jpeg, "webp": _check_webp, "pdf": _check_pdf, "svg": _check_svg}


def picture_size(data: bytes) -> tuple[int, int] | None:
    """The width and height in pixels of a PNG, JPEG, WebP or SVG (an SVG's width/height or viewBox); None if unknown."""
    kind = _kind_of_bytes(data)
    if kind == "png" and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if kind == "jpeg":
        return _jpeg_size(data)
    if kind == "webp":
        return _webp_size(data)
    if kind == "svg":
        return _svg_size(data)
    return None


_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}  # frame headers, which hold the size


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """A JPEG's size from its first start-of-frame segment."""
    pos = 2
    while pos + 9 <= len(data) and data[pos] == 0xFF:
        marker, (length,) = data[pos + 1], struct.unpack(">H", data[pos + 2:pos + 4])
        if marker in _SOF:
            height, width = struct.unpack(">HH", data[pos + 5:pos + 9])
            return width, height
        pos += 2 + length
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    """A WebP's size from its first chunk (lossy VP8, lossless VP8L or extended VP8X)."""
    chunk = data[12:16]
    if chunk == b"VP8 " and len(data) >= 30:
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X" and len(data) >= 30:
        return int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1
    return None


_SVG_ROOT = re.compile(rb"<svg\b[^>]*>", re.DOTALL)
_NUMBER = r"\s*([0-9]+(?:\.[0-9]+)?)"


def _svg_size(data: bytes) -> tuple[int, int] | None:
    """An SVG's size: its root's width and height in pixels (no unit or px), else its viewBox's."""
    root = _SVG_ROOT.search(data)
    if root is None:
        return None
    tag = root.group().decode("utf-8", "replace")
    width, height = (re.search(rf"\b{a}\s*=\s*[\"']{_NUMBER}(?:px)?\s*[\"']", tag) for a in ("width", "height"))
    if width and height:
        return round(float(width.group(1))), round(float(height.group(1)))
    box = re.search(rf"\bviewBox\s*=\s*[\"']\s*(-?[0-9.]+)[\s,]+(-?[0-9.]+)[\s,]+{_NUMBER}[\s,]+{_NUMBER}\s*[\"']", tag)
    return (round(float(box.group(3))), round(float(box.group(4)))) if box else None
