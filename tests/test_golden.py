"""Golden files: every HTML page built from one seed campaign, both languages, byte for byte.

The campaign is tests/fixtures/site/content/2020-nanjing.

After an intended change to templates, pages or that campaign's content, refresh and review:

    python -m pytest tests/test_golden.py --update-golden
    git diff tests/golden/

The campaign is copied with the seeds' site.yaml into a temporary content folder, so the golden
set depends on nothing else. Only HTML pages are stored (no assets, feeds or data files), and
asset fingerprints in URLs (assets/site.<10 hex>.css) are written as assets/site.css, so a CSS
edit alone does not churn every golden file; everything else is compared exactly.
"""

from __future__ import annotations

import difflib
import re
import shutil
from pathlib import Path

import pytest
from conftest import CONTENT, build_site

GOLDEN = Path(__file__).resolve().parent / "golden"
CAMPAIGN = "2020-nanjing"
FINGERPRINT = re.compile(rb"(assets/[\w./-]+?)\.[0-9a-f]{10}(\.[a-z0-9]+)\b")


def unfingerprint(html: bytes) -> bytes:
    """assets/site.3f2a9c1b07.css -> assets/site.css (the hash changes with every asset edit)."""
    return FINGERPRINT.sub(rb"\1\2", html)


def html_tree(folder: Path) -> dict[str, bytes]:
    """Every .html file under folder but the web editor's (test_admin.py): relative posix path -> bytes, fingerprints removed."""
    return {p.relative_to(folder).as_posix(): unfingerprint(p.read_bytes()) for p in sorted(folder.rglob("*.html"))
            if not p.is_relative_to(folder / "admin")}


def write_golden(pages: dict[str, bytes]) -> None:
    """Replace tests/golden/ with exactly these pages."""
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for rel, data in pages.items():
        (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
        (GOLDEN / rel).write_bytes(data)


def unified_diff(rel: str, expected: bytes, actual: bytes) -> str:
    """A unified diff of one page, golden (expected) against the build (actual)."""
    lines = difflib.unified_diff(expected.decode("utf-8").splitlines(keepends=True),
                                 actual.decode("utf-8").splitlines(keepends=True),
                                 fromfile=f"tests/golden/{rel}", tofile=f"built/{rel}")
    return "".join(lines)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The HTML pages of a site built from site.yaml and the one golden campaign."""
    content = tmp_path_factory.mktemp("golden") / "content"
    shutil.copytree(CONTENT / CAMPAIGN, content / CAMPAIGN)
    shutil.copy(CONTENT / "site.yaml", content / "site.yaml")
    return html_tree(build_site(content, content.parent / "public"))


def test_golden_pages_match_the_build(built: dict[str, bytes], update_golden: bool) -> None:
    """The built pages are exactly the golden ones: same files, same bytes."""
    if update_golden:
        write_golden(built)
        return
    golden = html_tree(GOLDEN) if GOLDEN.is_dir() else {}
    assert golden, "tests/golden/ is empty: run `python -m pytest tests/test_golden.py --update-golden`"
    missing, extra = sorted(set(golden) - set(built)), sorted(set(built) - set(golden))
    assert not missing and not extra, (f"pages no longer built: {missing}\nnew pages without a golden file: {extra}\n"
                                       "if intended: python -m pytest tests/test_golden.py --update-golden")
    differing = [rel for rel in golden if golden[rel] != built[rel]]
    assert not differing, (f"{len(differing)} pages differ from tests/golden/ (first one shown; "
                           f"refresh with --update-golden if intended): {differing}\n\n"
                           + unified_diff(differing[0], golden[differing[0]], built[differing[0]]))


def test_golden_set_covers_both_languages() -> None:
    """The golden set holds the home page and the campaign's pages in Chinese and in English."""
    stored = set(html_tree(GOLDEN)) if GOLDEN.is_dir() else set()
    for prefix in ("", "en/"):
        for rel in ("index.html", "404.html", "slogans/index.html", "2020/nanjing/index.html",
                    "2020/nanjing/notice/index.html", "2020/nanjing/schedule/index.html"):
            assert prefix + rel in stored, f"tests/golden/{prefix}{rel} is missing"
