#!/usr/bin/env python3
"""The PDFs of one campaign as PNG pages, for looking at them in a review (as screenshots.py does for pages).

    python scripts/pdf_pages.py                          # seed content, campaign 2020-nanjing
    python scripts/pdf_pages.py --campaign 2022-national --dpi 30

Prints the campaign's PDFs (`build.py pdf`: every poster format and the 公文) into a temporary folder and writes
screenshots/pdf-<file>.png (git-ignored): every page of each PDF side by side on one sheet, with the slug, crop marks
and colour bar of the posters, rendered by poppler's pdftoppm.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from qm_site.commands import pdf as pdf_command  # noqa: E402


def contact_sheet(src: Path, columns: int) -> bytes:
    """One PDF page holding every page of `src` in a grid (pypdf), to render as a single picture."""
    from pypdf import PdfReader, PdfWriter, Transformation

    pages = PdfReader(src).pages
    w = max(float(p.mediabox.width) for p in pages)
    h = max(float(p.mediabox.height) for p in pages)
    rows = -(-len(pages) // columns)
    writer = PdfWriter()
    sheet = writer.add_blank_page(w * min(columns, len(pages)), h * rows)
    for i, page in enumerate(pages):
        x = (i % columns) * w - float(page.mediabox.left)
        y = (rows - 1 - i // columns) * h - float(page.mediabox.bottom)
        sheet.merge_transformed_page(page, Transformation().translate(x, y))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def main() -> None:
    """Print, lay out and render."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--content", default=str(ROOT / "content"))
    ap.add_argument("--campaign", default="2020-nanjing")
    ap.add_argument("--dpi", type=float, default=20, help="resolution of the pictures (posters: 20; banners are 3 m long)")
    ap.add_argument("--columns", type=int, default=8)
    args = ap.parse_args()
    target = ROOT / "screenshots"
    target.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="qm-pdf-pages-") as tmp:
        print(pdf_command.build_pdfs(args.content, Path(tmp) / "public", campaign=args.campaign))
        for path in sorted((Path(tmp) / "public" / "pdf").glob("*.pdf")):
            sheet = Path(tmp) / f"sheet-{path.name}"
            sheet.write_bytes(contact_sheet(path, args.columns))
            dpi = args.dpi / 6 if path.stem.endswith("banner") else args.dpi  # banners beyond a PDF page are 1:10 already
            out = target / f"pdf-{path.stem}"
            subprocess.run(["pdftoppm", "-png", "-singlefile", "-r", f"{dpi:g}", str(sheet), str(out)], check=True)
            print(f"{out}.png")


if __name__ == "__main__":
    main()
