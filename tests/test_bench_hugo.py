"""The benchmark's Hugo corpus carries each synthetic campaign's text, one page per campaign (no timing here)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import hugo  # noqa: E402
import synth  # noqa: E402


def test_hugo_site_has_one_page_per_campaign_with_its_text(tmp_path):
    content = synth.generate(3, tmp_path / "content")
    site = hugo.write_site(content, tmp_path / "hugo-site")
    pages = sorted((site / "content" / "campaigns").glob("c*.md"))
    assert [p.stem for p in pages] == ["c00000", "c00001", "c00002"]
    for page in pages:
        data = yaml.safe_load((content / page.stem / "campaign.yaml").read_text(encoding="utf-8"))
        text = page.read_text(encoding="utf-8")
        front = yaml.safe_load(text.split("---\n")[1])
        assert front["title"] == data["title"] and front["date"] == f"{data['year']}-09-01"
        assert (content / page.stem / "notice.md").read_text(encoding="utf-8").strip() in text
        assert all(f"- {s}\n" in text for s in data["slogans"][0]["items"])
        assert text.count("\n| ") == len(data["schedules"][0]["rows"]) + 1  # header and one row per activity
        assert data["contacts"][0]["address"] in text
    assert {"_default/baseof.html", "_default/single.html", "_default/list.html", "index.html"} == {
        str(p.relative_to(site / "layouts")) for p in (site / "layouts").rglob("*.html")}


@pytest.mark.skipif(not shutil.which("hugo"), reason="hugo is not installed (scripts/install-deps.sh --bench)")
def test_hugo_builds_the_site(tmp_path):
    site = hugo.write_site(synth.generate(3, tmp_path / "content"), tmp_path / "hugo-site")
    result = hugo.build(shutil.which("hugo") or "hugo", site, tmp_path / "out", tmp_path / "cache")
    assert result["pages"] == 5  # three campaigns, the section list and the home page
    page = (tmp_path / "out" / "campaigns" / "c00001" / "index.html").read_text(encoding="utf-8")
    assert "<table>" in page and "<footer" in page and result["rss_mb"] > 0
