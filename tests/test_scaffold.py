"""`new <id> --from <id>`: next year's draft with last year's structure and none of its facts; check guards publishing."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import typing
from pathlib import Path

import pytest

from qm_site import cli
from qm_site.authoring import scaffold
from qm_site.errors import QmError
from qm_site.source import content, model, schema, yamlio
from qm_site.source.model import TO_FILL
from sitecheck import CONTENT

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted(p.name for p in CONTENT.iterdir() if (p / "campaign.yaml").is_file())


@pytest.fixture
def content_dir(tmp_path) -> Path:
    """A private copy of the seed content (tests never touch content/)."""
    return Path(shutil.copytree(CONTENT, tmp_path / "content"))


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
    assert "draft: false" in printed and TO_FILL in printed
    assert cli.main(["check", "--content", str(content_dir)]) == 0


def facts(node: yamlio.Node, cls=model.Campaign) -> set[str]:
    """Every text of last year's campaign.yaml that is a fact (not a field `carry` marks as structure)."""
    found: set[str] = set()
    for f in schema.fields(cls):
        sub = node.value.get(f.name) if node.kind == "mapping" else None
        if sub is None or f.metadata.get("carry") or f.name in scaffold.SPECIAL:
            continue
        for item in sub.value if sub.kind == "sequence" else [sub]:
            inner = scaffold._options(schema.hints(cls)[f.name])
            dc = next((typing.get_args(o)[0] for o in inner if typing.get_origin(o) is list and
                       dataclasses.is_dataclass(typing.get_args(o)[0])), None)
            dc = dc or next((o for o in inner if dataclasses.is_dataclass(o)), None)
            if item.kind == "mapping" and dc is not None:
                found |= facts(item, dc)
            elif item.kind == "scalar" and item.tag == "str" and len(item.text) > 3:
                found.add(item.text)
    return found


def test_new_leaves_last_years_open_review_behind(content_dir):
    path = content_dir / "2022-zhuhai" / "campaign.yaml"
    path.write_text("draft: true\n" + path.read_text(encoding="utf-8") + "review:\n  - field: issuer\n    why: guessed\n",
                    encoding="utf-8")
    scaffold.new_campaign(content_dir, "2023-zhuhai", "2022-zhuhai")
    assert entry(content_dir, "2023-zhuhai").campaign.review == []


@pytest.mark.parametrize("source_id", SEEDS)
def test_new_carries_structure_and_no_fact_of_last_year(content_dir, source_id):
    scaffold.new_campaign(content_dir, next_id(source_id), source_id)
    old, new = entry(content_dir, source_id), entry(content_dir, next_id(source_id))
    o, n = old.campaign, new.campaign
    assert (n.year, n.slug, n.draft, n.copied_from) == (o.year + 1, o.slug, True, source_id)
    assert n.title == TO_FILL and n.issuer == TO_FILL and n.doc_number in (None, TO_FILL)
    assert n.issue_date is None and n.period is None and n.notes == []  # last year's editorial notes stay behind
    assert [s.id for s in n.schedules] == [s.id for s in o.schedules] and all(len(s.rows) == 1 for s in n.schedules)
    assert [g.id for g in n.slogans] == [g.id for g in o.slogans] and all(g.items == [TO_FILL] for g in n.slogans)
    assert [(a.number, a.schedule, a.slogans, a.file) for a in n.attachments] == \
        [(a.number, a.schedule, a.slogans, a.file) for a in o.attachments]
    folder = content_dir / next_id(source_id)
    written = "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()))
    source = yamlio.load((content_dir / source_id / "campaign.yaml").read_text(encoding="utf-8"))
    leaked = [t for t in facts(source) if t in written]
    assert not leaked, leaked
    assert not re.search(rf"(?<!\d){o.year}(?!\d)", written.replace(f"copied_from: {source_id}", "").replace(f"从 {source_id}", ""))
    for name, doc in old.docs.items():  # Markdown files keep their headings and nothing else
        assert [s.title for s in new.docs[name].sections] == [s.title for s in doc.sections]
        headings = {w for s in doc.sections for w in ("##", *(s.typed + " " + s.title).split())}
        assert set(new.docs[name].text.split()) <= {TO_FILL} | headings


def test_the_to_do_list_names_every_fact_with_last_years_count(content_dir):
    text = scaffold.new_campaign(content_dir, "2023-national", "2022-national")
    for needle in ("联合发文单位 co_issuers：去年 12 项", "主送 recipients：去年 26 项", "抄送 copies：去年 5 项",
                   "印发机关 printed_by", "公开方式 publication_note", "印发日期 issue_date：已删去", "2023年8月22日",
                   "口号 slogans 1 › 口号 items：去年 15 项",
                   "联系方式 contacts 1 › 电话 phones", "附件 attachments 1 › 附件标题 title", "notice.md", "draft: false"):
        assert needle in text, needle


def test_check_refuses_to_publish_a_scaffold_until_every_marker_is_filled(content_dir, capsys):
    scaffold.new_campaign(content_dir, "2023-zhuhai", "2022-zhuhai")
    yaml = content_dir / "2023-zhuhai" / "campaign.yaml"
    text = yaml.read_text(encoding="utf-8").replace("draft: true", "draft: false")
    yaml.write_text(text, encoding="utf-8")
    assert cli.main(["check", "--content", str(content_dir), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    title_line = text.splitlines().index("title: 待填写") + 1
    assert f"2023-zhuhai/campaign.yaml:{title_line}:8: error: `title` still says 待填写" in err
    assert "2023-zhuhai/notice.md:1:1: error: the text still says 待填写" in err

    # filled in, but with last year's slogans pasted back: refused until confirmed
    last = yamlio.load((content_dir / "2022-zhuhai" / "campaign.yaml").read_text(encoding="utf-8"), "x").plain()
    pasted = json.dumps([s if isinstance(s, str) else s["text"] for s in last["slogans"][0]["items"]], ensure_ascii=False)
    filled = text.replace(f"items:\n      - {TO_FILL}", f"items: {pasted}").replace(TO_FILL, "二〇二三年的内容")
    yaml.write_text(filled, encoding="utf-8")
    for md in (content_dir / "2023-zhuhai").glob("*.md"):
        md.write_text(md.read_text(encoding="utf-8").replace(TO_FILL, "今年的正文。"), encoding="utf-8")
    assert cli.main(["check", "--content", str(content_dir), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    group_line = yaml.read_text(encoding="utf-8").splitlines().index("  - id: national") + 1
    assert f"2023-zhuhai/campaign.yaml:{group_line}:5: error: the slogans are the same as in 2022-zhuhai" in err
    assert "confirmed_same: [slogans]" in err
    confirmed = yaml.read_text(encoding="utf-8").replace("draft: false", "draft: false\nconfirmed_same: [slogans]")
    yaml.write_text(confirmed, encoding="utf-8")
    assert cli.main(["check", "--content", str(content_dir), "--lang", "en"]) == 0, capsys.readouterr().err


@pytest.mark.slow
def test_an_incomplete_campaign_stays_off_the_public_site(content_dir, tmp_path, capsys):
    yaml = content_dir / "2022-zhuhai" / "campaign.yaml"
    incomplete = yaml.read_text(encoding="utf-8").replace("slug: zhuhai", "slug: zhuhai\nincomplete: 附件2尚未录入")
    yaml.write_text(incomplete, encoding="utf-8")
    assert cli.main(["check", "--content", str(content_dir), "--lang", "en"]) == 0
    assert "`2022-zhuhai` is marked incomplete (附件2尚未录入)" in capsys.readouterr().err
    assert cli.main(["build", "--content", str(content_dir), "--out", str(tmp_path / "public"), "-q"]) == 0
    assert not (tmp_path / "public" / "2022" / "zhuhai").exists()
    assert cli.main(["build", "--content", str(content_dir), "--out", str(tmp_path / "preview"), "--drafts", "-q"]) == 0
    page = (tmp_path / "preview" / "2022" / "zhuhai" / "index.html").read_text(encoding="utf-8")
    assert "附件2尚未录入" in page and 'class="status-note' in page


@pytest.mark.slow
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


def test_new_reads_the_source_as_check_does(content_dir):
    """A source whose notice links outside the content folder is refused, not copied (not even its headings)."""
    notice = content_dir / "2022-zhuhai" / "notice.md"
    notice.unlink()
    notice.symlink_to("/etc/passwd")
    with pytest.raises(QmError) as caught:
        scaffold.new_campaign(content_dir, "2023-zhuhai", "2022-zhuhai")
    assert "outside the content folder" in caught.value.problems[0].message
    assert not (content_dir / "2023-zhuhai").exists()
