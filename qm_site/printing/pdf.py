"""Print-ready poster PDFs: the site's own poster sheets printed by headless Chromium, then made PDF/X-1a.

Chromium ignores CSS `bleed` and `marks`, so each sheet page is already trim + 2 × 3 mm with the
background running into the bleed (the sheet's own crop marks, for printing from a browser, are hidden);
prepress then sets the print boxes, prints the colours in the site's CMYK inks, draws crop marks and a
colour bar in a slug beyond the bleed, and has Ghostscript write PDF/X-1a; preflight checks each file.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import os
import shutil
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import QmError
from ..i18n import N_
from ..source.content import Content, Entry
from ..source.model import Campaign, Period, PosterFormat
from ..urls import GONGWEN_URL, LANG_PREFIX, PDF_DIR, campaign_url, notice_pdf_name, poster_sheet_url
from . import fonts, gongwen, posters, preflight, prepress

PT_PER_MM = 72 / 25.4
SIZE_TOLERANCE_PT = 1.0  # Chromium rounds page sizes to 1/300 inch (0.24 pt)
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]


@dataclass(frozen=True)
class Job:
    """One PDF to make: a campaign's posters in one format."""

    entry: Entry
    fmt: PosterFormat
    pages: int
    sheet: str  # path of the sheet page in the rendered site
    name: str  # file name under pdf/
    issuer: str  # the posters' issuer line, the PDF's author
    inks: Mapping[str, tuple[float, ...]]  # the CMYK that prints each of the posters' screen colours
    scale: int = 1  # the posters are drawn at 1:scale (banners longer than a PDF page)


@dataclass(frozen=True)
class NoticeJob:
    """One campaign's notice as a 公文 PDF."""

    entry: Entry
    sheet: str  # path of its gongwen page in the rendered site
    name: str  # file name under pdf/
    fonts: tuple[tuple[str, str], ...] = ()  # the office's fonts from site.yaml: (CSS family, file path)


@dataclass(frozen=True)
class PdfReport:
    """What `build.py pdf` did."""

    files: int
    pages: int
    seconds: float  # printing and finishing only (the site render is reported by its own line)
    out: str

    def summary(self) -> str:
        """One line for the terminal."""
        per_page = self.seconds / self.pages if self.pages else 0.0
        return (f"wrote {self.files} PDFs ({self.pages} pages) into {self.out} in {self.seconds:.1f}s, "
                f"{per_page * 1000:.0f} ms per page")


def plan(content: Content, campaign: str | None = None, formats: list[str] | None = None) -> list[Job]:
    """The PDFs to make, checking the --campaign and --format choices."""
    site = content.site
    entries = [e for e in content.entries if campaign is None or e.id == campaign]
    if campaign is not None and not entries:
        raise QmError.at("--campaign", 0, 0, N_("there is no campaign `%(id)s`", id=campaign),
                         N_("choose one of: %(ids)s", ids=", ".join(e.id for e in content.entries)))
    lang = site.language if site.language in site.languages else site.languages[0]
    jobs, known = [], set()
    for e in entries:
        texts = posters.poster_texts(e.campaign)
        n = len(texts)
        if n == 0:
            if campaign is not None and formats is not None:
                raise QmError.at(e.campaign.loc.path or e.id, 0, 0,
                                 N_("campaign `%(id)s` has no theme or slogans to print", id=e.id),
                                 N_("add `theme` or `slogans` to its campaign.yaml"))
            continue
        st = posters.style(site, e.campaign)
        for f in st.formats:
            known.add(f.id)
            if formats is None or f.id in formats:
                sheet = poster_sheet_url(LANG_PREFIX[lang] + campaign_url(e), f.id) + "index.html"
                scale = posters.banner_scale(f, texts)
                name = posters.pdf_name(e.id, f, scale)
                jobs.append(Job(e, f, n, sheet, name, posters.issuer_line(e.campaign, st), st.inks, scale))
    for wanted in formats or ():
        if wanted not in known:
            raise QmError.at("--format", 0, 0, N_("there is no poster format `%(id)s`", id=wanted),
                             N_("choose one of: %(ids)s", ids=", ".join(sorted(known))))
    return jobs


def plan_notices(content: Content, campaign: str | None = None, formats: list[str] | None = None) -> list[NoticeJob]:
    """The 公文 PDFs to make: one per campaign, unless only poster formats were asked for (the page is Chinese only)."""
    if formats is not None or "zh_CN" not in content.site.languages:
        return []
    office = gongwen.office_fonts(content.site.gongwen.fonts, content.root) if content.root else ()
    return [NoticeJob(e, f"{LANG_PREFIX['zh_CN']}{campaign_url(e)}{GONGWEN_URL}index.html", notice_pdf_name(e.id), office)
            for e in content.entries if campaign is None or e.id == campaign]


def chromium_path() -> str:
    """The Chromium to print with: $QM_CHROMIUM, else the first one on PATH."""
    path = os.environ.get("QM_CHROMIUM") or next(filter(None, map(shutil.which, CHROMIUM_NAMES)), None)
    if not path or not Path(path).exists():
        raise QmError.at("chromium", 0, 0, N_("Chromium was not found"),
                         N_("install it (apt-get install chromium) or set QM_CHROMIUM to its path"))
    return path


def require_extra() -> None:
    """Refuse at once, before any work, when the packages of the `pdf` extra are missing."""
    for module in ("playwright", "pypdf"):
        if importlib.util.find_spec(module) is None:
            raise QmError.at(module, 0, 0, N_("PDFs need the package `%(name)s`, which is not installed", name=module),
                             N_("install qm-site with its PDF extra: pip install 'qm-site[pdf]' (make site does it)"))


@contextmanager
def browser():
    """A headless Chromium through Playwright (never `playwright install`: the system's Chromium is used)."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    with sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        except PlaywrightError as exc:
            raise QmError.at(path, 0, 0, N_("Chromium did not start: %(error)s", error=str(exc).splitlines()[0]),
                             N_("check that this Chromium runs: %(path)s --headless --version", path=path)) from None
        try:
            yield b
        finally:
            b.close()


def print_sheet(page, url: str, expect_font: bool) -> bytes:
    """Load one sheet and print it at its CSS page size, backgrounds included."""
    page.goto(url)
    page.add_style_tag(content=".crop { display: none; }")  # the PDF's marks are drawn in its slug, outside the bleed
    page.evaluate("document.fonts.ready")
    if expect_font and not page.evaluate("document.fonts.check('700 12px \"QM Poster\"')"):
        raise QmError.at(url, 0, 0, N_("the poster font did not load"), N_("this is a bug in qm-site"))
    return page.pdf(prefer_css_page_size=True, print_background=True)


def finish(data: bytes, job: Job) -> bytes:
    """Chromium's pages made print-ready (prepress), checked like a print shop would (preflight)."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(data))
    if len(reader.pages) != job.pages:
        raise QmError.at(job.sheet, 0, 0, N_("the %(format)s sheet printed %(found)d pages for %(expected)d posters",
                                             format=job.fmt.id, found=len(reader.pages), expected=job.pages),
                         N_("this is a bug in qm-site: a poster does not fit its page"))
    writer = PdfWriter(clone_from=reader)
    for page in writer.pages:
        prepress.mark_up(page, writer, trim_of(page, job), job.inks)
    c = job.entry.campaign
    date = dated(c)
    writer.metadata = None
    writer.add_metadata({"/Title": f"{draft_prefix(c)}{c.title} · {job.fmt.name}", "/Author": job.issuer,
                         "/Subject": f"{c.year} {job.fmt.name}{scale_note(job)} {posters.BLEED_MM:g} mm bleed",
                         "/Creator": "qm-site (Chromium, pypdf)"})
    buf = io.BytesIO()
    writer.write(buf)
    done = prepress.to_pdfx(buf.getvalue(), date, job.sheet)
    problems = preflight.check(done, posters.BLEED_MM)
    if problems:
        raise QmError.at(job.name, 0, 0, N_("the PDF failed the print check: %(problem)s", problem=str(problems[0])),
                         N_("this is a bug in qm-site"))
    return done


def finish_notice(data: bytes, job: NoticeJob) -> bytes:
    """The 公文 PDF with its metadata: the notice's title, issuer and date."""
    c = job.entry.campaign
    return gongwen.finish(data, draft_prefix(c) + c.title, c.issuer, dated(c))


def dated(c: Campaign) -> dt.date:
    """The date a campaign's PDFs carry: its issue date, else its period's first day, else 1 September."""
    if c.issue_date:
        return c.issue_date
    return c.period.start if isinstance(c.period, Period) else dt.date(c.year, 9, 1)


def draft_prefix(c) -> str:
    """What a PDF's title starts with when its campaign is not published: the file says so in a viewer's title bar."""
    return posters.DRAFT_MARK + " · " if c.draft or c.incomplete else ""


def scale_note(job: Job) -> str:
    """What the PDF's metadata says of its scale: nothing at full size, " 1:10" for a banner drawn small."""
    return "" if job.scale == 1 else f" 1:{job.scale}"


def trim_of(page, job: Job) -> tuple[float, float, float, float]:
    """Where the trimmed poster lies on Chromium's page (pt), after checking the page is the format plus bleed.

    A banner is as long as its text, so only its height (its width when vertical) is known beforehand.
    """
    box = page.mediabox
    bleed = posters.BLEED_MM * PT_PER_MM
    fmt = posters.scaled(job.fmt, job.scale)
    trim_w, trim_h = fmt.width_mm * PT_PER_MM, fmt.height_mm * PT_PER_MM
    if posters.is_banner(fmt):
        along = float(box.height if fmt.vertical else box.width) - 2 * bleed
        trim_w, trim_h = (trim_w, along) if fmt.vertical else (along, trim_h)
    if (abs(float(box.width) - trim_w - 2 * bleed) > SIZE_TOLERANCE_PT
            or abs(float(box.height) - trim_h - 2 * bleed) > SIZE_TOLERANCE_PT):
        raise QmError.at(job.sheet, 0, 0,
                         N_("Chromium printed the %(format)s posters at %(w)s × %(h)s mm instead of %(W)s × %(H)s mm",
                                             format=job.fmt.id, w=f"{float(box.width) / PT_PER_MM:.1f}",
                                             h=f"{float(box.height) / PT_PER_MM:.1f}", W=f"{trim_w / PT_PER_MM + 6:.1f}",
                                             H=f"{trim_h / PT_PER_MM + 6:.1f}"),
                         N_("use a Chromium that honours CSS @page sizes (version 100 or later)"))
    top = float(box.top)
    # Chromium rounds the page size at its bottom-right; the artwork starts exactly 3 mm from the top-left.
    return bleed, top - bleed - trim_h, bleed + trim_w, top - bleed


def write_pdf(path: Path, data: bytes) -> None:
    """Replace one PDF atomically, so a reader never sees half a file."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


@contextmanager
def _chromium_errors(sheet: str) -> Iterator[None]:
    """Chromium failing while it prints a sheet (it crashed, or was killed) as one problem, not a traceback."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        yield
    except PlaywrightError as exc:
        raise QmError.at(sheet, 0, 0, N_("Chromium stopped while printing this sheet: %(error)s", error=str(exc).splitlines()[0]),
                         N_("run the command again; nothing was changed (if it stops again, check that this Chromium "
                            "runs: %(path)s --headless --version)", path=chromium_path())) from None


def print_all(jobs: list[Job | NoticeJob], site: Path, target: Path, full: bool) -> PdfReport:
    """Print every job's page from the rendered (staged) site into its pdf/, beside the kept PDFs of target/.

    The PDFs go into the staged site, not into target (the live output's pdf/): they go live with the site
    that links them, and a run that fails leaves the output as it was (or absent) rather than a pdf/ folder
    without the marker that lets later builds replace it. A full run keeps nothing, so no stale PDF remains.
    """
    has_font = (site / fonts.STYLESHEET).is_file()
    printed = site / PDF_DIR
    printed.mkdir()
    made = {j.name for j in jobs}
    if not full and target.is_dir():
        for old in sorted(target.glob("*.pdf")):
            if old.name not in made:
                shutil.copy2(old, printed / old.name)
    started = time.perf_counter()
    pages = 0
    with browser() as b:
        page = b.new_page()
        for job in jobs:
            with _chromium_errors(job.sheet):
                sheet = (gongwen.print_notice(page, (site / job.sheet).as_uri(), job.fonts) if isinstance(job, NoticeJob) else
                         print_sheet(page, (site / job.sheet).as_uri(), has_font))
            if isinstance(job, NoticeJob):
                data = finish_notice(sheet, job)
                pages += gongwen.page_count(data)
            else:
                data = finish(sheet, job)
                pages += job.pages
            write_pdf(printed / job.name, data)
    return PdfReport(len(jobs), pages, time.perf_counter() - started, str(target))
