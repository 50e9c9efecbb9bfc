"""Lighthouse (npm, pinned in package.json) on one page of every reader page type, on a phone as Lighthouse
emulates it: performance, accessibility, best practices and SEO at least 98, and cumulative layout shift under 0.02.

Performance is measured as loaded (`--throttling-method=provided`: the local server, no simulated slow network
or CPU), so a busy test machine does not turn into a score; the pages' weight is checked in test_site_quality.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import sitecheck

LIGHTHOUSE = sitecheck.ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
PAGES = {"home": "", "campaign": "2022/zhuhai/", "notice": "2022/national/notice/", "schedule": "2022/caq/schedule/",
         "slogans": "2014/national/slogans/", "posters": "2022/zhuhai/posters/", "library": "slogans/2014/",
         "english": "en/2022/national/", "search": "search/?q=%E6%9C%BA%E6%A2%B0%E5%B7%A5%E4%B8%9A"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


@pytest.mark.browser
@pytest.mark.slow
def test_lighthouse_scores_on_every_reader_page_type(site_url: str, tmp_path: Path) -> None:
    low = _shortfalls(site_url, PAGES, tmp_path)
    assert low == [], "\n".join(low)


@pytest.mark.browser
@pytest.mark.slow
def test_lighthouse_scores_of_a_site_in_its_own_look(dressed_url: str, tmp_path: Path) -> None:
    """The seed with a blue theme, logo, key visual, footer override and replaced site.css (sitecheck.dress)."""
    low = _shortfalls(dressed_url, {kind: PAGES[kind] for kind in ("home", "campaign", "posters")}, tmp_path)
    assert low == [], "\n".join(low)


def _shortfalls(base: str, pages: dict[str, str], tmp_path: Path) -> list[str]:
    """Each page that falls short, with its scores; skips the test unless Lighthouse is asked for and can run."""
    if not os.environ.get("QM_LIGHTHOUSE"):
        pytest.skip("set QM_LIGHTHOUSE=1 to run Lighthouse (3.5 minutes; in the full suite on a shared 2-core machine the "
                    "poster gallery measured 96 for performance, 100 alone)")
    node = shutil.which("node")
    if node is None or not LIGHTHOUSE.is_file() or not sitecheck.CHROMIUM.is_file():
        pytest.skip("needs node, node_modules/lighthouse (run `npm ci --ignore-scripts` in the project folder) and Chromium")
    low = []
    for kind, url in pages.items():
        # A page below the mark is measured once more: on a shared machine one run can catch a busy moment;
        # a page that really is slow, heavy or shifting fails both times.
        found = _audit(node, base + url, tmp_path / f"{kind}.json") and _audit(node, base + url, tmp_path / f"{kind}-2.json")
        if found:
            low.append(f"{kind} ({url or '/'}): {found}")
    return low


def _audit(node: str, url: str, report: Path) -> str:
    """One Lighthouse run: what fell short, or an empty string."""
    subprocess.run([node, str(LIGHTHOUSE), url, "--quiet", "--throttling-method=provided",
                    f"--only-categories={','.join(CATEGORIES)}", "--output=json", f"--output-path={report}",
                    "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking"],
                   check=True, env={**os.environ, "CHROME_PATH": str(sitecheck.CHROMIUM)}, timeout=300)
    result = json.loads(report.read_text())
    scores = {c: result["categories"][c]["score"] for c in CATEGORIES}
    cls = result["audits"]["cumulative-layout-shift"]["numericValue"]
    return f"{scores}, CLS {cls:.3f}" if min(scores.values()) < 0.98 or cls >= 0.02 else ""
