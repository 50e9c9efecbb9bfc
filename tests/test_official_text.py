"""The official text as printed: a notice's only attachment printed as 附件 without a number stays so (issue 31 item 5)."""

from __future__ import annotations

import shutil
from pathlib import Path

from qm_site import cli

ROOT = Path(__file__).resolve().parent.parent
CAMPAIGN = """year: 2022
slug: test
title: 关于开展2022年“质量月”活动的通知
issuer: 测试协会
attachments:
  - title: 活动安排
    numbered: false
    file: attachment.md
"""


def _content(tmp_path: Path, campaign: str) -> Path:
    """A content folder with the test site settings and one campaign."""
    root = tmp_path / "content"
    (root / "2022-test").mkdir(parents=True)
    shutil.copy(ROOT / "tests" / "fixtures" / "site.yaml", root / "site.yaml")
    (root / "2022-test" / "campaign.yaml").write_text(campaign, encoding="utf-8")
    (root / "2022-test" / "attachment.md").write_text("各单位按时报送。\n", encoding="utf-8")
    return root


def test_an_unnumbered_single_attachment_is_published_as_fujian_alone(tmp_path, capsys):
    root = _content(tmp_path, CAMPAIGN)
    out = tmp_path / "out"
    assert cli.main(["build", "--content", str(root), "--out", str(out), "--no-search", "-q"]) == 0, capsys.readouterr()
    page = (out / "2022" / "test" / "attachments" / "index.html").read_text(encoding="utf-8")
    assert '<p class="attachment-no" id="attachment-1-no">附件</p>' in page and "附件1" not in page
    notice = (out / "2022" / "test" / "notice" / "index.html").read_text(encoding="utf-8")
    assert '<ul class="attachment-list">' in notice and 'value="1"' not in notice


def test_numbered_false_is_refused_when_the_notice_has_several_attachments(tmp_path, capsys):
    two = CAMPAIGN + "  - title: 口号\n    file: attachment.md\n"
    root = _content(tmp_path, two)
    assert cli.main(["check", "--content", str(root), "--lang", "en"]) == 1
    assert "has `numbered: false`, but the notice has 2 attachments" in capsys.readouterr().err


PRINTED = """year: 2022
slug: test
title: 关于开展2022年“质量月”活动的通知
issuer: 测试协会
copies:
  - 国家药监局
  - 国家知识产权局
  - 有关联合会
copies_printed: %s
"""


def test_the_cc_line_is_published_with_the_separators_it_was_printed_with(tmp_path, capsys):
    root = _content(tmp_path, PRINTED % "国家药监局、国家知识产权局，有关联合会")
    out = tmp_path / "out"
    assert cli.main(["build", "--content", str(root), "--out", str(out), "--no-search", "-q"]) == 0, capsys.readouterr()
    notice = (out / "2022" / "test" / "notice" / "index.html").read_text(encoding="utf-8")
    assert "国家药监局、国家知识产权局，有关联合会。" in notice and "国家药监局，国家知识产权局" not in notice


def test_a_printed_line_that_leaves_out_an_entry_of_the_list_is_refused(tmp_path, capsys):
    root = _content(tmp_path, PRINTED % "国家药监局、有关联合会")
    assert cli.main(["check", "--content", str(root), "--lang", "en"]) == 1
    assert "`copies_printed` does not hold every entry of `copies` in order" in capsys.readouterr().err
