"""Preflight: what a print shop's checker looks at in a poster PDF, read with pypdf's public API (pure, no I/O).

PDF/X-1a:2001 (ISO 15930-1) in short: PDF 1.3; the GTS_PDFX version keys in the document information;
an output intent of subtype GTS_PDFX whose destination profile is CMYK; on every page a TrimBox inside a
BleedBox inside the MediaBox; colour only in DeviceCMYK, DeviceGray or Separation/DeviceN (no RGB, no
ICC-based or Lab colour); no transparency; every font embedded. `check` lists what breaks any of these,
plus our own rule that the bleed is exactly `bleed_mm` on every side and a slug lies beyond it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

PT_PER_MM = 72 / 25.4
BOX_TOLERANCE_PT = 0.02
RGB_OPERATORS = {b"rg", b"RG"}
SPACE_OPERATORS = {b"cs", b"CS"}
ALLOWED_SPACES = {"/DeviceCMYK", "/DeviceGray", "/Separation", "/DeviceN", "/Pattern", "/Indexed"}
INLINE_SPACES = {"/CMYK": "/DeviceCMYK", "/G": "/DeviceGray", "/RGB": "/DeviceRGB", "/I": "/Indexed"}
BLEND_OK = {"/Normal", "/Compatible"}


@dataclass(frozen=True)
class Problem:
    """One thing a print shop would reject: page number (0 for the document) and what is wrong."""

    page: int
    message: str

    def __str__(self) -> str:
        return f"page {self.page}: {self.message}" if self.page else self.message


def check(data: bytes, bleed_mm: float = 3.0) -> list[Problem]:
    """Every problem of a PDF meant to be PDF/X-1a with `bleed_mm` of bleed; [] when it passes."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    problems = document_problems(reader)
    for number, page in enumerate(reader.pages, 1):
        problems += [Problem(number, m) for m in box_problems(page, bleed_mm)]
        seen: set[int] = set()
        problems += [Problem(number, m) for m in resource_problems(page.get("/Resources"), page.get_contents(), reader, seen)]
        if _is_transparency_group(page.get("/Group")):
            problems.append(Problem(number, "the page is a transparency group"))
    return problems


def document_problems(reader) -> list[Problem]:
    """The header, the PDF/X keys and the output intent."""
    out = []
    if reader.pdf_header not in ("%PDF-1.3", "%PDF-1.2", "%PDF-1.1", "%PDF-1.0"):
        out.append(Problem(0, f"PDF/X-1a needs PDF 1.3 or older, the file is {reader.pdf_header}"))
    info = reader.metadata or {}
    if not str(info.get("/GTS_PDFXVersion", "")).startswith("PDF/X-1"):
        out.append(Problem(0, f"GTS_PDFXVersion is {info.get('/GTS_PDFXVersion')!r}, not PDF/X-1:2001"))
    if info.get("/GTS_PDFXConformance") != "PDF/X-1a:2001":
        out.append(Problem(0, f"GTS_PDFXConformance is {info.get('/GTS_PDFXConformance')!r}, not PDF/X-1a:2001"))
    if info.get("/Trapped") not in ("/True", "/False"):
        out.append(Problem(0, "the Trapped key must be True or False"))
    intents = [i.get_object() for i in reader.trailer["/Root"].get("/OutputIntents", [])]
    pdfx = [i for i in intents if i.get("/S") == "/GTS_PDFX"]
    if len(pdfx) != 1:
        out.append(Problem(0, f"{len(pdfx)} PDF/X output intents, PDF/X needs exactly one"))
    for intent in pdfx:
        profile = intent.get("/DestOutputProfile")
        if profile is None or profile.get_object().get("/N") != 4:
            out.append(Problem(0, "the output intent has no CMYK destination profile"))
        if not intent.get("/OutputConditionIdentifier"):
            out.append(Problem(0, "the output intent has no OutputConditionIdentifier"))
    return out


def box_problems(page, bleed_mm: float) -> list[str]:
    """MediaBox > BleedBox = TrimBox + bleed on every side > TrimBox."""
    missing = [name for name in ("/TrimBox", "/BleedBox") if name not in page]
    if missing:
        return [f"no {' or '.join(missing)}"]
    media, bleed, trim = _edges(page.mediabox), _edges(page.bleedbox), _edges(page.trimbox)
    if "/CropBox" in page and max(abs(a - b) for a, b in zip(_edges(page.cropbox), media)) > BOX_TOLERANCE_PT:
        return ["the CropBox cuts off part of the page"]
    out = []
    want = bleed_mm * PT_PER_MM
    sides = ("left", "bottom", "right", "top")
    for i, side in enumerate(sides):
        sign = -1 if i < 2 else 1
        if abs((bleed[i] - trim[i]) * sign - want) > BOX_TOLERANCE_PT:
            out.append(f"the bleed at the {side} is {(bleed[i] - trim[i]) * sign / PT_PER_MM:.2f} mm, not {bleed_mm:g} mm")
        if (media[i] - bleed[i]) * sign <= BOX_TOLERANCE_PT:
            out.append(f"no slug beyond the bleed at the {side}: the MediaBox must be larger than the BleedBox")
    return out


def _edges(box) -> tuple[float, float, float, float]:
    return float(box.left), float(box.bottom), float(box.right), float(box.top)


def resource_problems(resources, contents, reader, seen: set[int]) -> list[str]:
    """Colour, transparency and fonts of one content stream and everything its resources reach."""
    from pypdf.generic import ContentStream

    resources = resources.get_object() if resources is not None else {}
    out = []
    spaces = _named(resources, "/ColorSpace")
    if contents is not None:
        for operands, operator in ContentStream(contents, reader).operations:
            if operator in RGB_OPERATORS:
                out.append(f"RGB colour operator {operator.decode()}")
            elif operator in SPACE_OPERATORS:
                out += _space_problems(spaces.get(operands[0], operands[0]), f"colour space {operands[0]}")
            elif operator == b"INLINE IMAGE":
                space = operands["settings"].get("/CS", operands["settings"].get("/ColorSpace", "/DeviceGray"))
                out += _space_problems(spaces.get(space, INLINE_SPACES.get(space, space)), "an inline image")
    for name, state in _named(resources, "/ExtGState").items():
        out += [f"graphics state {name}: {m}" for m in _transparency(state.get_object())]
    for name, shading in _named(resources, "/Shading").items():
        out += _space_problems(shading.get_object().get("/ColorSpace"), f"shading {name}")
    for name, font in _named(resources, "/Font").items():
        out += [f"font {name}: {m}" for m in font_problems(font.get_object())]
    for name, ref in _named(resources, "/XObject").items():
        out += [f"{name}: {m}" for m in xobject_problems(ref, reader, seen)]
    return out


def xobject_problems(ref, reader, seen: set[int]) -> list[str]:
    """An image's colour and soft mask, or a form's content, each object once."""
    key = getattr(ref, "idnum", None)
    if key is not None and key in seen:
        return []
    if key is not None:
        seen.add(key)
    obj = ref.get_object()
    if obj.get("/Subtype") == "/Image":
        out = [] if obj.get("/ImageMask") else _space_problems(obj.get("/ColorSpace"), "image")
        if obj.get("/SMask") is not None or obj.get("/SMaskInData"):
            out.append("image with a soft mask (transparency)")
        return out
    out = ["a transparency group"] if _is_transparency_group(obj.get("/Group")) else []
    return out + resource_problems(obj.get("/Resources"), obj, reader, seen)


def _space_problems(space, what: str) -> list[str]:
    """A colour space PDF/X-1a does not allow (RGB, calibrated, ICC-based, Lab), looked through Indexed."""
    if space is None:
        return []
    space = space.get_object()
    family = str(space[0] if isinstance(space, list) else space)
    if family == "/Indexed" and isinstance(space, list):
        return _space_problems(space[1], what)
    if family not in ALLOWED_SPACES:
        return [f"{what} uses {family}"]
    return []


def _transparency(state) -> list[str]:
    """Soft masks, constant alpha below 1 or blend modes other than Normal."""
    out = []
    if state.get("/SMask") not in (None, "/None"):
        out.append("soft mask")
    for key in ("/CA", "/ca"):
        if state.get(key) is not None and float(state[key]) < 1:
            out.append(f"{key} = {state[key]}")
    mode = state.get("/BM")
    modes = [str(m) for m in mode] if isinstance(mode, list) else [str(mode)] if mode is not None else []
    if modes and not set(modes) & BLEND_OK:
        out.append(f"blend mode {mode}")
    return out


def _is_transparency_group(group) -> bool:
    return group is not None and group.get_object().get("/S") == "/Transparency"


def font_problems(font) -> list[str]:
    """A font whose glyphs are not in the file (Type 3 fonts are drawn in the file itself)."""
    if font.get("/Subtype") == "/Type3":
        return []
    if font.get("/Subtype") == "/Type0":
        return [m for d in font.get("/DescendantFonts", []) for m in font_problems(d.get_object())]
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return [f"{font.get('/BaseFont')} is not embedded (no font descriptor)"]
    if not any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")):
        return [f"{font.get('/BaseFont')} is not embedded"]
    return []


def _named(resources, category: str) -> dict:
    """One category of a resource dictionary (fonts, images, ...), {} when absent."""
    value = resources.get(category) if resources else None
    return dict(value.get_object()) if value is not None else {}

