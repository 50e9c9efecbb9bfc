"""`build.py pdf`: build the site, then print its poster sheets and 公文 pages as PDFs into it, in one swap.

The orchestration lives here, above both stages, so that printing (what a PDF is and how it is printed)
needs nothing from site (how the site is rendered and published).
"""

from __future__ import annotations

import os
from pathlib import Path

from ..heap import batch_gc
from ..printing import pdf, prepress
from ..site import output
from ..site.builder import check_look, publish
from ..source import content as content_mod
from ..urls import PDF_DIR


def build_pdfs(content_dir: str | Path, out_dir: str | Path, campaign: str | None = None,
               formats: list[str] | None = None, drafts: bool = False, look: tuple = (None, None)) -> str:
    """Build the site, print one PDF per campaign and format from its poster sheets into <out>/pdf/, and report.

    The site is rendered once: the galleries already link the PDFs this run makes (and those it keeps), and
    the sheets are printed from the staged site before it replaces the previous one. `drafts`: drafts are on
    that site and printed too, every page marked as a draft (the sheets' own mark) and its title prefixed.
    """
    pdf.require_extra()
    prepress.ghostscript(), prepress.profile()  # refuse before rendering anything when they are missing
    output.check_target(Path(out_dir), (Path(content_dir),))
    workers = os.cpu_count() or 1
    with batch_gc():
        content = content_mod.load(content_dir, drafts=drafts, workers=workers, look=look)
        check_look(content.look)
        jobs: list[pdf.Job | pdf.NoticeJob] = [*pdf.plan(content, campaign, formats), *pdf.plan_notices(content, campaign, formats)]
        target = Path(out_dir) / PDF_DIR
        full = campaign is None and formats is None  # a full run: formats or campaigns removed leave no stale PDFs
        kept = set() if full or not target.is_dir() else {p.name for p in target.glob("*.pdf")}
        done: list[pdf.PdfReport] = []
        publish(content, out_dir, frozenset(kept | {j.name for j in jobs}), workers,
                lambda staging: done.append(pdf.print_all(jobs, staging, target, full)))
    return done[0].summary()
