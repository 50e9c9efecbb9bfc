"""Prepress: Chromium's RGB poster pages made into PDF/X-1a, all colour in CMYK ink, with marks in a slug.

Why PDF/X-1a:2001 rather than X-4: it is the exchange format every print shop accepts (X-4 is still
refused by older RIPs), and our posters are flat colour with no transparency, so X-4's live transparency
and ICC colour would add nothing. Debian 12's Ghostscript (10.0) writes PDF/X-3-structured files only, not
X-4; with every colour converted to DeviceCMYK, PDF 1.3 and no transparency its output meets X-1a, and
`preflight.check` verifies that for every file before it is written.

The steps, each with a real tool:
1. pypdf (`mark_up`): the print boxes (TrimBox = the format, BleedBox = 3 mm more on every side,
   MediaBox = a slug beyond that), the poster's own colours replaced by the inks the site names
   (`posters.Style.inks`: the campaign red is printed with the CMYK it is specified in, not a conversion of
   its screen RGB), and crop marks and a colour bar drawn in the slug, outside the bleed.
2. Ghostscript's pdfwrite (`to_pdfx`): whatever colour is left (a logo image, say) converted to CMYK through
   the output-intent profile, fonts re-embedded, the PDF/X keys and the output intent written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from ..errors import QmError
from ..i18n import N_
from . import gongwen
from .posters import BLEED_MM
from .preflight import PT_PER_MM

SLUG_MM = 10.0  # beyond the bleed, for crop marks and the colour bar
MARK_OFFSET_MM = 1.0  # crop marks start this far outside the bleed, so a trim a little off never cuts into one
MARK_LENGTH_MM = 5.0
MARK_WIDTH_PT = 0.25
PATCH_MM = 5.0
REGISTRATION = (1.0, 1.0, 1.0, 1.0)  # marks print on every plate
PROCESS_PATCHES = ((1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 1, 0), (0, 0, 0, 1),
                   (.5, 0, 0, 0), (0, .5, 0, 0), (0, 0, .5, 0), (0, 0, 0, .5))
GHOSTSCRIPT_NAMES = ("gs", "gswin64c")
# The output-intent profile: Ghostscript's own CMYK default (Artifex CMYK SWOP Profile), installed with it
# by Debian's libgs-common; QM_CMYK_PROFILE names another (a print shop's own profile, say).
PROFILE_PATHS = ("/usr/share/color/icc/ghostscript/default_cmyk.icc", "/usr/share/ghostscript/iccprofiles/default_cmyk.icc")
GS_TIMEOUT_S = 600
# Ghostscript 10.00-10.01's new PDF reader copies a ToUnicode range ending above U+00FF wrongly (Chromium maps
# “ ” that way), so pdftotext, search and screen readers would read “ as <; its former reader keeps them right.
LEGACY_READER_VERSIONS = ("10.00", "10.01")


def rgb_key(operands) -> str | None:
    """The #rrggbb of an `rg` operator's operands, as Chromium writes the CSS colour (0-1, 4 decimals)."""
    if len(operands) != 3:
        return None
    return "#" + "".join(f"{round(float(v) * 255):02x}" for v in operands)


def recolour(operations: list, inks: Mapping[str, tuple[float, ...]]) -> list:
    """The operations with each RGB colour of `inks` set as its CMYK (fill `rg` -> `k`, stroke `RG` -> `K`)."""
    from pypdf.generic import FloatObject

    out = []
    for operands, operator in operations:
        if operator in (b"rg", b"RG"):
            cmyk = inks.get(rgb_key(operands) or "")
            if cmyk is not None:
                operands, operator = [FloatObject(v) for v in cmyk], (b"k" if operator == b"rg" else b"K")
        out.append((operands, operator))
    return out


def marks(trim: tuple[float, float, float, float], patches: tuple[tuple[float, ...], ...]) -> list:
    """Crop marks at the four corners and a colour bar under the poster, all in the slug (pt, PDF space)."""
    from pypdf.generic import FloatObject

    left, bottom, right, top = trim
    near = (BLEED_MM + MARK_OFFSET_MM) * PT_PER_MM
    far = near + MARK_LENGTH_MM * PT_PER_MM
    ops: list = [([], b"q"), ([FloatObject(MARK_WIDTH_PT)], b"w"), ([FloatObject(v) for v in REGISTRATION], b"K")]
    for x, y, dx, dy in ((left, bottom, -1, -1), (right, bottom, 1, -1), (left, top, -1, 1), (right, top, 1, 1)):
        ops += [([FloatObject(x + dx * near), FloatObject(y)], b"m"), ([FloatObject(x + dx * far), FloatObject(y)], b"l"),
                ([FloatObject(x), FloatObject(y + dy * near)], b"m"), ([FloatObject(x), FloatObject(y + dy * far)], b"l")]
    ops.append(([], b"S"))
    side = PATCH_MM * PT_PER_MM
    x0, y0 = left + far + side, bottom - far
    for i, cmyk in enumerate(patches):
        ops += [([FloatObject(v) for v in cmyk], b"k"),
                ([FloatObject(x0 + i * side), FloatObject(y0), FloatObject(side), FloatObject(side)], b"re"), ([], b"f")]
    return ops + [([], b"Q")]


def mark_up(page, reader, trim: tuple[float, float, float, float], inks: Mapping[str, tuple[float, ...]]) -> None:
    """Set one page's print boxes, print its colours in ink, and draw its marks in the slug."""
    from pypdf.generic import ContentStream, RectangleObject

    bleed, slug = BLEED_MM * PT_PER_MM, (BLEED_MM + SLUG_MM) * PT_PER_MM
    left, bottom, right, top = trim
    page.trimbox = RectangleObject(trim)
    page.bleedbox = RectangleObject([left - bleed, bottom - bleed, right + bleed, top + bleed])
    page.mediabox = RectangleObject([left - slug, bottom - slug, right + slug, top + slug])
    page.cropbox = page.mediabox
    art = ContentStream(page.get_contents(), reader)
    # the poster's own inks after the process ones; paper white needs no patch
    colours = tuple(c for c in dict.fromkeys(inks.values()) if any(c) and c not in PROCESS_PATCHES)
    art.operations = [([], b"q")] + recolour(art.operations, inks) + [([], b"Q")] + marks(trim, PROCESS_PATCHES + colours)
    page.replace_contents(art)


# --- Ghostscript -----------------------------------------------------------------------


def ghostscript() -> str:
    """The Ghostscript to convert with: $QM_GHOSTSCRIPT, else the first one on PATH."""
    path = os.environ.get("QM_GHOSTSCRIPT") or next(filter(None, map(shutil.which, GHOSTSCRIPT_NAMES)), None)
    if not path or not Path(path).exists():
        raise QmError.at("ghostscript", 0, 0, N_("Ghostscript was not found; print-ready PDFs need it"),
                         N_("install it (apt-get install ghostscript) or set QM_GHOSTSCRIPT to its path"))
    return path


@cache
def reader_flags(gs: str) -> tuple[str, ...]:
    """`-dNEWPDF=false` for the Ghostscript versions whose new PDF reader garbles text (see LEGACY_READER_VERSIONS)."""
    done = subprocess.run([gs, "--version"], capture_output=True, text=True, timeout=60, check=False)
    return ("-dNEWPDF=false",) if done.stdout.strip().startswith(LEGACY_READER_VERSIONS) else ()


def profile() -> Path:
    """The CMYK profile of the output intent: $QM_CMYK_PROFILE, else Ghostscript's own."""
    named = os.environ.get("QM_CMYK_PROFILE")
    for candidate in ([named] if named else PROFILE_PATHS):
        if Path(candidate).is_file():
            return Path(candidate)
    raise QmError.at(named or PROFILE_PATHS[0], 0, 0, N_("the CMYK colour profile for print-ready PDFs was not found"),
                     N_("install Ghostscript's profiles (apt-get install ghostscript) or set QM_CMYK_PROFILE to a CMYK .icc file"))


def ps_string(text: str) -> str:
    """A PostScript string literal."""
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def pdfx_prefix(icc: Path) -> str:
    """The pdfmarks that make Ghostscript's output PDF/X-1a: version keys and the CMYK output intent."""
    name = icc.name
    return f"""%!PS
[ /GTS_PDFXVersion (PDF/X-1:2001) /GTS_PDFXConformance (PDF/X-1a:2001) /Trapped /False /DOCINFO pdfmark
[ /_objdef {{icc_PDFX}} /type /stream /OBJ pdfmark
[ {{icc_PDFX}} << /N 4 >> /PUT pdfmark
[ {{icc_PDFX}} {ps_string(str(icc))} (r) file /PUT pdfmark
[ /_objdef {{OutputIntent_PDFX}} /type /dict /OBJ pdfmark
[ {{OutputIntent_PDFX}} << /Type /OutputIntent /S /GTS_PDFX /OutputConditionIdentifier (Custom)
  /OutputCondition {ps_string("CMYK offset printing, profile " + name)} /Info {ps_string(name)}
  /RegistryName (http://www.color.org) /DestOutputProfile {{icc_PDFX}} >> /PUT pdfmark
[ {{Catalog}} << /OutputIntents [ {{OutputIntent_PDFX}} ] >> /PUT pdfmark
"""


def to_pdfx(data: bytes, date: dt.date, what: str) -> bytes:
    """Ghostscript's PDF/X conversion of `data`, dated `date` (midnight in China) and identified by its content."""
    gs, icc = ghostscript(), profile()
    epoch = int(dt.datetime(date.year, date.month, date.day, tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp())
    with tempfile.TemporaryDirectory(prefix="qm-pdfx-") as tmp:
        src, dst, prefix = Path(tmp, "in.pdf"), Path(tmp, "out.pdf"), Path(tmp, "pdfx.ps")
        src.write_bytes(data)
        prefix.write_text(pdfx_prefix(icc), encoding="latin-1")
        cmd = [gs, *reader_flags(gs), "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", f"--permit-file-read={icc}", "-sDEVICE=pdfwrite",
               "-dPDFX", "-dCompatibilityLevel=1.3", "-sColorConversionStrategy=CMYK", "-sProcessColorModel=DeviceCMYK",
               f"-sOutputICCProfile={icc}", f"-sOutputFile={dst}", str(prefix), str(src)]
        env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}  # Ghostscript dates the file from it, not the clock
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=GS_TIMEOUT_S, check=False)
        if done.returncode != 0 or not dst.is_file():
            last = (done.stderr or done.stdout).strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
            raise QmError.at(what, 0, 0, N_("Ghostscript could not convert the PDF: %(error)s", error=last[0]),
                             N_("check that this Ghostscript runs: %(path)s --version", path=gs))
        return with_file_id(dst.read_bytes())


def id_span(data: bytes, trailer: int) -> tuple[int, int] | None:
    """Where the trailer's `/ID [...]` array lies (from `/ID` to past `]`), or None; its strings hex or literal.

    Ghostscript writes each identifier string in whichever form is shorter for its bytes: <hex> mostly, and now
    and then a (literal string) with escapes, whose bytes may hold any other character.
    """
    i = data.find(b"/ID", trailer)
    k = data.find(b"[", i) + 1 if i >= 0 else 0
    depth = 0  # inside a literal string: its parentheses' nesting
    while 0 < k < len(data):
        c = data[k]
        if depth and c == 0x5C:  # a backslash escapes the next byte
            k += 1
        elif c == 0x28:  # (
            depth += 1
        elif depth and c == 0x29:  # )
            depth -= 1
        elif not depth and c == 0x5D:  # ]
            return i, k + 1
        k += 1
    return None


def with_file_id(data: bytes) -> bytes:
    """The PDF with its file identifier made from its content (Ghostscript's mixes in the clock; a file without one gets one).

    The identifier sits in the trailer, after the cross-reference table: rewriting it moves no object and
    `startxref` stays right (PDF 32000-1, 7.5.5 and 14.4). It is always written as two equal hex strings.
    """
    at = data.rfind(b"trailer")
    span = id_span(data, at) if at >= 0 else None
    if span is None:  # none to replace: write one, then make it as every other
        data = gongwen.with_file_id(data)
        span = id_span(data, data.rfind(b"trailer"))
        assert span is not None  # just written
    head, tail = data[:span[0]], data[span[1]:]
    ident = hashlib.md5(head + b"/ID [<" + b"0" * 32 + b"><" + b"0" * 32 + b">]" + tail).hexdigest().upper().encode()
    return head + b"/ID [<" + ident + b"><" + ident + b">]" + tail
