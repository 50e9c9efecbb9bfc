"""The suite reads its own frozen copy of the seeds (tests/fixtures/site/), never the checkout's content/."""

from __future__ import annotations

import re
from pathlib import Path

from sitecheck import CONTENT, ROOT

# A path built from the repository root to its content folder, in any spelling the tests have used.
NAMES_CONTENT = re.compile(r"""(ROOT|parent\.parent|\.\.)\s*/\s*["']content["']|["']\.\./content["']""")
HERE = Path(__file__).resolve().parent


def content_readers(folder: Path) -> list[str]:
    """'file:line' of every Python line in folder that names the checkout's own content/ folder."""
    return [f"{path.name}:{n}" for path in sorted(folder.glob("*.py")) if path != Path(__file__).resolve()
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if NAMES_CONTENT.search(line)]


def test_no_test_or_benchmark_reads_the_checkouts_content():
    found = content_readers(HERE) + content_readers(ROOT / "benchmarks")
    assert found == [], f"read sitecheck.CONTENT (tests/fixtures/site/content) instead: {found}"


def test_the_guard_catches_each_spelling(tmp_path):
    for line in ['x = ROOT / "content"', "x = Path(__file__).parent.parent / 'content'", 'x = ROOT/"content"/"a"']:
        (tmp_path / "t.py").write_text(line + "\n", encoding="utf-8")
        assert len(content_readers(tmp_path)) == 1, line
    (tmp_path / "t.py").write_text('x = tmp_path / "content"\ny = public.parent / "content"\n', encoding="utf-8")
    assert content_readers(tmp_path) == []


def test_the_fixture_is_a_complete_site():
    assert (CONTENT / "site.yaml").is_file()
    assert len(list(CONTENT.glob("*/campaign.yaml"))) >= 5, "the five seed campaigns"
    assert CONTENT.is_relative_to(HERE / "fixtures")
