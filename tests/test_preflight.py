"""Preflight and prepress on small PDFs made here: what a print shop's checker rejects, and that prepress fixes it."""

from __future__ import annotations

import datetime as dt
import shutil
from io import BytesIO

import pytest

from qm_site.printing import preflight, prepress

PT = 72 / 25.4
TRIM = (3 * PT, 3 * PT, 213 * PT, 300 * PT)  # an A4 poster on Chromium's page of A4 + 3 mm bleed
INKS = {"#b3141b": (0.2, 1.0, 1.0, 0.1), "#ffffff": (0.0, 0.0, 0.0, 0.0)}


def rgb_page(extra_state: dict | None = None) -> bytes:
    """A page as Chromium prints one: RGB fills, no print boxes."""
    from pypdf import PdfWriter
    from pypdf.generic import ContentStream, DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(216 * PT, 303 * PT)
    stream = DecodedStreamObject()
    stream.set_data(b".702 .0784 .1059 rg 0 0 612 859 re f 1 1 1 RG 0 0 10 10 re S .5 .5 .5 rg 20 20 5 5 re f")
    page.replace_contents(ContentStream(stream, writer))
    if extra_state:
        state = DictionaryObject({NameObject(k): v for k, v in extra_state.items()})
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/ExtGState"): DictionaryObject({NameObject("/G0"): state})})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def marked_up(data: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(BytesIO(data)))
    for page in writer.pages:
        prepress.mark_up(page, writer, TRIM, INKS)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def messages(data: bytes) -> list[str]:
    return [str(p) for p in preflight.check(data)]


def test_a_chromium_page_fails_on_every_count() -> None:
    found = messages(rgb_page())
    assert "page 1: no /TrimBox or /BleedBox" in found
    assert "page 1: RGB colour operator rg" in found and "page 1: RGB colour operator RG" in found
    assert any("GTS_PDFXVersion" in m for m in found) and any("output intents" in m for m in found)


def test_mark_up_sets_the_boxes_and_prints_the_named_colours_in_ink() -> None:
    from pypdf import PdfReader
    from pypdf.generic import ContentStream

    data = marked_up(rgb_page())
    page = PdfReader(BytesIO(data)).pages[0]
    assert [round(float(v) / PT, 2) for v in page.trimbox] == [3, 3, 213, 300]
    assert [round(float(v) / PT, 2) for v in page.bleedbox] == [0, 0, 216, 303]
    assert [round(float(v) / PT, 2) for v in page.mediabox] == [-10, -10, 226, 313]
    ops = ContentStream(page.get_contents(), None).operations
    inks = [tuple(float(v) for v in operands) for operands, op in ops if op in (b"k", b"K")]
    assert (0.2, 1.0, 1.0, 0.1) in inks and (0.0, 0.0, 0.0, 0.0) in inks and (1.0, 1.0, 1.0, 1.0) in inks
    found = messages(data)
    assert not any("TrimBox" in m or "bleed" in m or "slug" in m for m in found), found
    assert found.count("page 1: RGB colour operator rg") == 1, "only the grey no ink was named for is left to Ghostscript"


def test_transparency_is_reported() -> None:
    from pypdf.generic import FloatObject, NameObject

    found = messages(rgb_page({"/ca": FloatObject(0.5), "/BM": NameObject("/Multiply")}))
    assert "page 1: graphics state /G0: /ca = 0.5" in found and "page 1: graphics state /G0: blend mode /Multiply" in found


def test_ghostscript_makes_a_pdfx_1a_file_that_passes() -> None:
    if shutil.which("gs") is None:
        pytest.skip("needs ghostscript")
    done = prepress.to_pdfx(marked_up(rgb_page()), dt.date(2023, 9, 1), "test")
    assert messages(done) == []
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(done))
    assert reader.metadata["/GTS_PDFXVersion"] == "PDF/X-1:2001"
    intent = reader.trailer["/Root"]["/OutputIntents"][0].get_object()
    assert intent["/DestOutputProfile"].get_object()["/N"] == 4 and intent["/Info"] == prepress.profile().name
