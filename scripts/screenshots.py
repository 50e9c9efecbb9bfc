#!/usr/bin/env python3
"""Screenshots of each page type on a phone (390x844) and a desktop (1366x768), for looking at the design.

    python scripts/screenshots.py                      # seed content, campaign 2020/nanjing
    python scripts/screenshots.py --campaign 2022/national --fold

Builds the site into a temporary folder, serves it on 127.0.0.1 (a free port) and writes
screenshots/<viewport>-<page>.png (git-ignored) with headless Chromium (/usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import sitecheck  # noqa: E402  (tests/sitecheck.py: the server and browser helpers the tests use)

VIEWPORTS = {"phone": (390, 844), "desktop": (1366, 768)}


def page_paths(campaign: str) -> dict[str, str]:
    """Screenshot name -> URL path of each page type (the 404 is a missing URL, as users meet it)."""
    c = campaign.strip("/") + "/"
    return {
        "home": "", "campaign": c, "notice": c + "notice/", "schedule": c + "schedule/", "slogans": c + "slogans/",
        "contacts": c + "contacts/", "attachments": c + "attachments/", "posters": c + "posters/",
        "library": "slogans/", "library-year": f"slogans/{c.split('/')[0]}/", "404": c + "no-such-page/", "en-home": "en/",
    }


def exists(site: Path, path: str) -> bool:
    """Whether the built site has a page at a URL path."""
    return (site / path / "index.html").is_file() if path.endswith("/") or path == "" else (site / path).is_file()


def shoot(site: Path, out: Path, campaign: str, full_page: bool, scale: float) -> list[Path]:
    """Serve the site and write one PNG per page type and viewport; returns the files written."""
    wanted = {name: path for name, path in page_paths(campaign).items() if name == "404" or exists(site, path)}
    written = []
    with sitecheck.serve(site) as url, sitecheck.chromium() as browser:
        for viewport, (width, height) in VIEWPORTS.items():
            context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=scale)
            page = context.new_page()
            for name, path in wanted.items():
                page.goto(url + path)
                target = out / f"{viewport}-{name}.png"
                page.screenshot(path=str(target), full_page=full_page)
                written.append(target)
            context.close()
    return written


def main(argv: list[str] | None = None) -> int:
    """Build, serve, shoot; prints each file written."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", default=str(ROOT / "content"), help="content folder (default: content/)")
    parser.add_argument("--campaign", default="2020/nanjing", help="campaign URL path, <year>/<slug> (default: 2020/nanjing)")
    parser.add_argument("--out", default=str(ROOT / "screenshots"), help="folder for the PNGs (default: screenshots/)")
    parser.add_argument("--fold", action="store_true", help="only what fits in the viewport, not the full page")
    parser.add_argument("--scale", type=float, default=1.0, help="device pixel ratio (default: 1)")
    args = parser.parse_args(argv)
    if not sitecheck.CHROMIUM.is_file():
        print(f"Chromium not found at {sitecheck.CHROMIUM}; set QM_CHROMIUM", file=sys.stderr)
        return 1
    from qm_site.site.builder import build

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="qm-shots-") as tmp:
        site = Path(tmp) / "public"
        build(args.content, site)
        for path in shoot(site, out, args.campaign, not args.fold, args.scale):
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
