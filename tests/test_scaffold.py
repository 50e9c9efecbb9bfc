"""`new <id> --from <id>`: next year's draft from an existing campaign, edited as text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qm_site import cli, content, scaffold, yamlio
from qm_site.errors import QmError

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted(p.name for p in (ROOT / "content").iterdir() if (p / "campaign.yaml").is_file())


@pytest.fixture
def content_dir(tmp_path) -> Path:
    """A private copy of the seed content (tests never touch content/)."""
    return Path(shutil.copytree(ROOT / "content", tmp_path / "content"))


def next_id(source_id: str) -> str:
    """2022-national -> 2023-national."""
    year, slug = source_id.split("-", 1)
    return f"{int(year) + 1}-{slug}"


def entry(content_dir: Path, campaign_id: str) -> content.Entry:
    """The loaded campaign with this id (drafts included)."""
    return next(e for e in content.load(content_dir, drafts=True).entries if e.id == campaign_id)


@pytest.mark.parametrize("source_id", SEEDS)
def test_new_from_each_seed_passes_check(content_dir, source_id, capsys):
    assert cli.main(["new", next_id(source_id), "--from", source_id, "--content", str(content_dir)]) == 0
    printed = capsys.readouterr().out
    assert "draft: false" in printed and "issue_date" in printed and "doc_number" in printed
    assert cli.main(["check", "--content", str(content_dir)]) == 0


@pytest.mark.parametrize("source_id", SEEDS)
def test_new_bumps_the_year_and_clears_last_years_facts(content_dir, source_id):
    scaffold.new_campaign(content_dir, next_id(source_id), source_id)
    old, new = entry(content_dir, source_id).campaign, entry(content_dir, next_id(source_id)).campaign
    assert new.year == old.year + 1 and new.slug == old.slug
    assert new.draft is True
    assert new.doc_number is None and new.issue_date is None and new.period is None
    assert [r.name for s in new.schedules for r in s.rows] == [r.name for s in old.schedules for r in s.rows]
    assert all(r.time is None and r.start is None and r.end is None for s in new.schedules for r in s.rows)
    assert new.title == old.title.replace(str(old.year), str(new.year))
    assert str(old.year) not in new.title + "".join(a.title for a in new.attachments) + "".join(s.caption for s in new.schedules)
    assert new.slogans == old.slogans.__class__(
        g.__class__(**{**g.__dict__, "title": g.title.replace(str(old.year), str(new.year)),
                       "title_en": g.title_en and g.title_en.replace(str(old.year), str(new.year))}) for g in old.slogans)
    assert new.theme == old.theme and new.contacts == old.contacts


@pytest.mark.parametrize("source_id", SEEDS)
def test_new_keeps_comments_layout_and_markdown(content_dir, source_id):
    scaffold.new_campaign(content_dir, next_id(source_id), source_id)
    src, dst = content_dir / source_id, content_dir / next_id(source_id)
    old_lines = (src / "campaign.yaml").read_text(encoding="utf-8").splitlines()
    new_lines = (dst / "campaign.yaml").read_text(encoding="utf-8").splitlines()
    assert new_lines[0] == old_lines[0]  # the yaml-language-server schema line
    old_comments = [l for l in old_lines if l.lstrip().startswith("#")]
    new_comments = [l for l in new_lines if l.lstrip().startswith("#")]
    year, new_year = source_id.split("-")[0], next_id(source_id).split("-")[0]
    def norm(lines):  # header comments get the new year, the others keep their text
        return [c.replace(year, "?").replace(new_year, "?") for c in lines]

    assert norm(new_comments) == norm(old_comments)
    assert sorted(p.name for p in dst.iterdir()) == sorted(p.name for p in src.iterdir())
    for md in src.glob("*.md"):
        assert (dst / md.name).read_bytes() == md.read_bytes()


def test_drafts_are_left_out_of_build_unless_asked(content_dir, tmp_path):
    scaffold.new_campaign(content_dir, "2023-zhuhai", "2022-zhuhai")
    assert cli.main(["build", "--content", str(content_dir), "--out", str(tmp_path / "public"), "-q"]) == 0
    assert not (tmp_path / "public" / "2023").exists()
    assert "2023-zhuhai" not in (tmp_path / "public" / "sitemap.xml").read_text(encoding="utf-8")
    assert cli.main(["build", "--content", str(content_dir), "--out", str(tmp_path / "public"), "--drafts", "-q"]) == 0
    assert (tmp_path / "public" / "2023" / "zhuhai" / "index.html").is_file()


def test_new_with_another_slug_renames(content_dir):
    scaffold.new_campaign(content_dir, "2023-shenzhen", "2022-zhuhai")
    e = entry(content_dir, "2023-shenzhen")
    assert e.folder == "2023-shenzhen" and e.campaign.slug == "shenzhen"


def test_missing_source_lists_existing_ids(content_dir):
    with pytest.raises(QmError) as info:
        scaffold.new_campaign(content_dir, "2023-national", "2021-national")
    p = info.value.problems[0]
    assert "no campaign `2021-national`" in p.message
    assert all(i in p.hint for i in SEEDS)
    assert not (content_dir / "2023-national").exists()


def test_source_outside_content_is_refused(content_dir, tmp_path):
    shutil.copytree(content_dir / "2022-zhuhai", tmp_path / "elsewhere")
    with pytest.raises(QmError) as info:
        scaffold.new_campaign(content_dir, "2023-zhuhai", "../elsewhere")
    assert "no campaign" in info.value.problems[0].message


def test_existing_target_is_refused(content_dir):
    before = (content_dir / "2022-zhuhai" / "campaign.yaml").read_bytes()
    with pytest.raises(QmError) as info:
        scaffold.new_campaign(content_dir, "2022-zhuhai", "2022-national")
    assert "already exists" in info.value.problems[0].message
    assert (content_dir / "2022-zhuhai" / "campaign.yaml").read_bytes() == before


@pytest.mark.parametrize("bad", ["2023_national", "national", "2023-National", "23-national", "1900-national"])
def test_bad_ids_are_refused(content_dir, bad):
    with pytest.raises(QmError) as info:
        scaffold.new_campaign(content_dir, bad, "2022-national")
    assert "is not a campaign id" in info.value.problems[0].message


def test_cli_reports_errors_without_traceback(content_dir, capsys):
    assert cli.main(["new", "2023-x", "--from", "1999-x", "--content", str(content_dir)]) == 1
    err = capsys.readouterr().err
    assert "there is no campaign `1999-x`" in err and "hint:" in err and "Traceback" not in err


def test_nothing_is_left_behind_in_content(content_dir):
    scaffold.new_campaign(content_dir, "2023-national", "2022-national")
    assert not [p for p in content_dir.iterdir() if p.name.startswith(".")]


# --- the text edits ------------------------------------------------------------------------


ROWS = """\
# 2022 年测试活动
year: 2022
slug: test
title: 2022年测试通知
issuer: 测试协会
issue_date: 2022-08-01
period:
  start: 2022-09-01
  end: 2022-09-30
schedules:
  - id: a
    caption: 2022年活动安排
    rows:
      - time: 9月1日
        # the first key of a row carries its `- `
        name: 启动会 2022
        details: 2022年度总结
      - name: 论坛
        # printed as two dates
        start: 2022-09-02
        end: 2022-09-03
        place: 北京
      - {name: 竞赛, time: 9月}

slogans:
  - id: s
    title: "2022 年口号"
    items: [质量第一]
"""


def test_plan_moves_the_dash_removes_attached_comments_and_keeps_inline_rows():
    result = scaffold.plan(ROWS, "c.yaml", 2022, 2023, "test")
    text = result.text
    assert "      - name: 启动会 2022\n        details: 2022年度总结\n" in text  # names and details keep their year
    assert "# the first key of a row carries its `- `" in text
    assert "# printed as two dates" not in text and "start:" not in text.split("rows:")[1].split("{")[0]
    assert "      - {name: 竞赛, time: 9月}" in text
    assert result.rows_cleared == 2 and result.rows_kept == [23]
    assert "issue_date" not in text and "period" not in text
    assert text.startswith("# 2023 年测试活动\nyear: 2023\nslug: test\ndraft: true")
    assert "title: 2023年测试通知" in text and "caption: 2023年活动安排" in text and 'title: "2023 年口号"' in text
    assert "\n\nslogans:" in text  # blank lines between sections stay
    node = yamlio.load(text, "c.yaml").plain()
    assert node["schedules"][0]["rows"][0] == {"name": "启动会 2022", "details": "2022年度总结"}


def test_plan_sets_an_existing_draft_flag():
    text = scaffold.plan(ROWS.replace("slug: test\n", "slug: test\ndraft: false  # published\n"), "c.yaml", 2022, 2023, "new").text
    assert "draft: true  # published" in text and "slug: new" in text
    assert text.count("draft:") == 1


def test_checklist_names_what_to_fill_in(content_dir):
    text = scaffold.new_campaign(content_dir, "2023-zhuhai", "2022-zhuhai")
    for needle in ("theme", "slogans", "17", "time", "doc_number", "珠质协[2023]…号", "issue_date", "contacts", "notice.md",
                   "draft: false", "python build.py serve", "python build.py check"):
        assert needle in text, needle
