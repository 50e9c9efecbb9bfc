"""In Chromium, every poster of every seed campaign in every format keeps its text inside the safe area.

The sheets are measured as they print (print media, real millimetres). Along the text,
a line's extent is the Range of its glyphs; across it, the line boxes of the text
element. Where the poster font is installed the fit must also be tight, which proves
the build-time metrics match what the browser draws.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qm_site.errors import QmError
from qm_site.printing import fonts, pdf, posters
from qm_site.source import content as content_mod
from sitecheck import CONTENT

ROOT = Path(__file__).resolve().parent.parent
SLACK = 1.0  # px: layout rounds to 1/64 px, painting to whole pixels

MEASURE = """([slack, exact]) => {
  const PX = 96 / 25.4, problems = [], fills = [];
  const inside = (r, box) => r.left >= box.left - slack && r.top >= box.top - slack
    && r.right <= box.right + slack && r.bottom <= box.bottom + slack;
  const show = r => `[${r.left.toFixed(1)} ${r.top.toFixed(1)} ${r.right.toFixed(1)} ${r.bottom.toFixed(1)}]`;
  for (const sheet of document.querySelectorAll('.sheet-page')) {
    const art = sheet.querySelector('.poster-art'), a = art.getBoundingClientRect();
    const [x, y, w, h] = art.dataset.safe.split(' ').map(Number);
    const safe = {left: a.left + x * PX, top: a.top + y * PX, right: a.left + (x + w) * PX, bottom: a.top + (y + h) * PX};
    const vertical = art.classList.contains('vertical');
    const where = `#${sheet.id}`;
    // text: glyph extents along the line (Range), line boxes across it (the element)
    for (const el of art.querySelectorAll('.pa-line, .pa-year, .pa-issuer')) {
      const range = document.createRange();
      range.selectNodeContents(el);
      const g = range.getBoundingClientRect(), box = (el.closest('.pa-text') || el).getBoundingClientRect();
      const r = vertical ? {left: box.left, right: box.right, top: g.top, bottom: g.bottom}
                         : {left: g.left, right: g.right, top: box.top, bottom: box.bottom};
      if (!inside(r, safe))
        problems.push(`${where} ${el.className} "${el.textContent}" ${show(r)} outside the safe area ${show(safe)}`);
    }
    for (const el of art.querySelectorAll('.pa-qr, .pa-logo, .pa-rule')) {
      if (!inside(el.getBoundingClientRect(), safe))
        problems.push(`${where} ${el.className.baseVal ?? el.className} outside the safe area`);
    }
    for (const el of art.querySelectorAll('.pa-body, .pa-issuer, .pa-year')) {
      // across the lines only the poster font's content area is known to be the em box (see fonts._em_box_metrics)
      const alongOver = vertical ? el.scrollHeight > el.clientHeight + 1 : el.scrollWidth > el.clientWidth + 1;
      const acrossOver = vertical ? el.scrollWidth > el.clientWidth + 1 : el.scrollHeight > el.clientHeight + 1;
      if (alongOver || (exact && acrossOver))
        problems.push(`${where} ${el.className} overflows: ${el.scrollWidth}x${el.scrollHeight} `
                      + `in ${el.clientWidth}x${el.clientHeight}`);
    }
    const body = art.querySelector('.pa-body').getBoundingClientRect(), text = art.querySelector('.pa-text');
    if (!inside(text.getBoundingClientRect(), body)) problems.push(`${where} the slogan leaves its box`);
    // how much of the body the slogan fills in its tighter direction
    const lines = [...text.querySelectorAll('.pa-line')].map(l => {
      const r = document.createRange();
      r.selectNodeContents(l);
      return r.getBoundingClientRect();
    });
    const along = Math.max(...lines.map(r => vertical ? r.height : r.width)) / (vertical ? body.height : body.width);
    const across = (vertical ? text.getBoundingClientRect().width / body.width : text.getBoundingClientRect().height / body.height);
    fills.push([where, Math.max(along, across), parseFloat(text.style.fontSize)]);
  }
  return {problems, fills, sheets: document.querySelectorAll('.sheet-page').length,
          font: document.fonts.check('700 12px "QM Poster"')};
}"""


@pytest.fixture
def own_browser():
    """A Chromium of this test's own, closed at its end (an open session browser would stop test_serve's Playwright)."""
    try:
        with pdf.browser() as browser:
            yield browser
    except QmError as exc:
        pytest.skip(str(exc))


def sheet_pages(site: Path) -> list[str]:
    """Every poster sheet of the built site, both languages."""
    return sorted(p.relative_to(site).as_posix() for p in site.glob("**/posters/*/index.html"))


@pytest.mark.browser
def test_no_poster_text_leaves_its_safe_area(site_dir: Path, own_browser) -> None:
    content = content_mod.load(CONTENT)
    expected = {f"{e.year}/{e.slug}": len(posters.poster_texts(e.campaign)) for e in content.entries}
    sheets = sheet_pages(site_dir)
    n_formats = sum(len(posters.style(content.site, e.campaign).formats)
                    for e in content.entries if posters.poster_texts(e.campaign))
    assert len(sheets) == n_formats * len(content.site.languages), "a sheet per campaign with posters, format and language"
    problems, loose = [], []
    exact = fonts.find_face() is not None
    page = own_browser.new_page()
    page.emulate_media(media="print")
    for rel in sheets:
        page.goto((site_dir / rel).as_uri())
        page.evaluate("document.fonts.ready")
        found = page.evaluate(MEASURE, [SLACK, exact])
        campaign = "/".join(rel.removeprefix("en/").split("/")[:2])
        assert found["sheets"] == expected[campaign], rel
        assert found["font"] == exact, f"{rel}: the poster font {'did not load' if exact else 'should not exist'}"
        problems += [f"{rel} {p}" for p in found["problems"]]
        # the set's longest slogan sets the size; the others grow up to SET_SPREAD larger, and fill unless capped there
        cap = min((size for _, _, size in found["fills"]), default=0) * posters.SET_SPREAD * 0.99
        loose += [f"{rel} {where} fills {fill:.3f}" for where, fill, size in found["fills"] if fill < 0.98 and size < cap]
    assert problems == [], "\n".join(problems[:30])
    if exact:  # the metrics are the font's own, so the largest size must really fill the box
        assert loose == [], "\n".join(loose[:30])
