"""The benchmark's pieces that are not timing: the Hugo corpus, the import-time parser, the targets table (no timing here)."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml

from sitecheck import CONTENT

ROOT = Path(__file__).resolve().parent.parent

sys.path.insert(0, str(ROOT / "benchmarks"))

import run  # noqa: E402

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


IMPORTTIME = """import time: self [us] | cumulative | imported package
import time:       120 |        120 |   _io
import time:       300 |        420 | site
import time:        50 |         50 |     jinja2.utils
import time:       900 |       1000 |   jinja2
import time:      2000 |       3000 | qm_site.cli
import time:       400 |        400 | qm_site.render
poster font subset: 59 KB, 279 characters
"""


def test_parse_importtime_sums_top_level_imports_by_package():
    parsed = run.parse_importtime(IMPORTTIME, top=1)
    assert parsed["total_us"] == 420 + 3000 + 400  # nested lines are inside their parent's cumulative figure
    assert parsed["top"] == [{"package": "qm_site", "cumulative_us": 3400}]


def test_targets_judge_only_what_was_measured():
    row = {"n": 1000, "pages": 22000, "wall_s": 10.0, "cold_s": 11.0, "cold_over_warm": 1.1, "pages_per_s": 2200,
           "peak_rss_mb": 500, "incremental_s": 0.08, "incremental_markdown_s": 0.12}
    without_hugo = run.targets(0.3, [row, dict(row, n=100)])
    assert [(t["target"].split(":")[0], t["met"]) for t in without_hugo] == [
        ("start-up < 0.35 s (N=1, warm python build.py build --no-search)", True), ("N=1000", True), ("N=1000", False)]
    with_hugo = run.targets(0.4, [dict(row, hugo={"pages_per_s": 1000, "peak_rss_mb": 400}, pages_per_s_over_hugo=2.2)])
    assert [t["met"] for t in with_hugo] == [False, True, False, True, False]


def test_cpu_note_says_whether_the_machine_was_quiet():
    row = {"cpu_s": 20.0, "cold_cpu_s": 30.0, "probe_s": [0.100, 0.105, 0.102]}
    assert "5% spread: a quiet machine" in run.cpu_note(row)
    noisy = run.cpu_note(dict(row, probe_s=[0.070, 0.117]))
    assert "67% spread" in noisy and "speed varied" in noisy and "70-117 ms" in noisy


def test_cold_note_sets_what_the_cache_hides_against_the_warm_build():
    row = {"n": 1000, "cpu_s": 20.0, "cold_cpu_s": 33.0, "cache_hidden": {"campaigns": 100, "qr_ms": 7.0, "ics_ms": 4.0,
                                                                            "probe_s": 0.07}}
    note = run.cold_note(row)
    assert "QR codes 7.0 ms" in note and "calendars 4.0 ms" in note and "probe took 70 ms" in note
    assert "11.0s of CPU, 55% of the warm build's 20.0s" in note and "13.0s more" in note


def test_cache_hidden_times_the_work_of_real_campaigns(tmp_path):
    hidden = run.cache_hidden(synth.generate(2, tmp_path / "content"))
    assert hidden["campaigns"] == 2 and hidden["qr_ms"] > 0 and hidden["ics_ms"] > 0


def test_heavy_corpus_is_the_seeds_copied_under_unique_slugs_and_scaled_to_real_weights(tmp_path):
    from qm_site.source import content

    seeds = sorted(p.parent.name for p in CONTENT.glob("*/campaign.yaml"))
    loaded = content.load(synth.heavy(len(seeds) + 2, tmp_path / "content"))
    # content.load raises on any error; the copies warn only of what the seeds themselves warn of (their texts end
    # in the copy's number)
    def kinds(warnings):
        return {re.sub(r"\d+", "", w.message) for w in warnings}

    assert kinds(loaded.warnings) <= kinds(content.load(CONTENT).warnings)
    assert sorted(e.folder.rsplit("-h", 1)[0] for e in loaded.entries) == sorted(seeds + seeds[:2])
    assert len({(e.campaign.year, e.campaign.slug) for e in loaded.entries}) == len(seeds) + 2
    longest = max(len(p.read_text(encoding="utf-8")) for p in CONTENT.glob("*/notice.md"))
    for e in loaded.entries:
        assert e.campaign.schedules and all(len(s.rows) >= synth.HEAVY_ROWS for s in e.campaign.schedules), e.folder
        assert len(e.campaign.slogans[0].items) == synth.HEAVY_SLOGANS, e.folder
        assert len((tmp_path / "content" / e.folder / e.campaign.body).read_text(encoding="utf-8")) >= longest, e.folder
    slogans = [s for e in loaded.entries for s in e.campaign.slogans[0].items]
    assert len(set(slogans)) == len(slogans)  # no two copies share a text, which the build would memoise
    assert synth.heavy(3, tmp_path / "again").joinpath("2014-national-h00000", "campaign.yaml").read_bytes() == (
        tmp_path / "content" / "2014-national-h00000" / "campaign.yaml").read_bytes()  # deterministic


def test_targets_name_the_corpus_of_a_row_that_is_not_the_synthetic_one():
    row = {"corpus": "heavy", "n": 1000, "pages": 22000, "wall_s": 10.0, "cold_s": 11.0, "cold_over_warm": 1.1,
           "pages_per_s": 2200, "peak_rss_mb": 500, "incremental_s": 0.08, "incremental_markdown_s": 0.05}
    assert [t["target"].split(":")[0] for t in run.targets(0.3, [row])][1:] == ["N=1000 heavy", "N=1000 heavy"]


def test_hugo_page_of_a_heavy_copy_holds_its_markdown_attachments_and_may_lack_a_theme(tmp_path):
    content = synth.heavy(len(list(CONTENT.glob("*/campaign.yaml"))), tmp_path / "content")
    pages = hugo.write_site(content, tmp_path / "hugo-site") / "content" / "campaigns"
    for folder in sorted(p.parent for p in content.glob("*/campaign.yaml")):
        text = (pages / f"{folder.name}.md").read_text(encoding="utf-8")
        assert all(md.read_text(encoding="utf-8").strip() in text for md in folder.glob("*.md")), folder.name
