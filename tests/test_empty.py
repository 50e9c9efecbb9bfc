"""Empty is absent: `""`, `[]`, `{}` and null, as the web editor saves a cleared field, mean "not given" everywhere."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qm_site import cli
from qm_site.authoring import scaffold
from qm_site.importing import draft_files, validate
from qm_site.importing.recognise import Draft
from qm_site.source import content
from qm_site.source.model import TO_FILL
from sitecheck import CONTENT

ROOT = Path(__file__).resolve().parent.parent
# Optional fields of the 2022-zhuhai campaign, cleared as the form saves them: "" for text, [] for lists, {} for a group.
CLEARED = {"period": '""', "doc_number": '""', "co_issuers": "[]", "copies": "[]", "posters": "{}",
           "summary": "null", "issue_date": '""', "confirmed_same": "[]"}


@pytest.fixture
def content_dir(tmp_path) -> Path:
    """A copy of content/ whose 2022-zhuhai has every CLEARED field written empty (those it had are replaced)."""
    shutil.copytree(CONTENT, tmp_path / "content")
    path = tmp_path / "content" / "2022-zhuhai" / "campaign.yaml"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.split(":")[0] not in CLEARED]
    lines[2:2] = [f"{key}: {value}" for key, value in CLEARED.items()]  # after year and slug
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path / "content"


def test_check_and_build_read_an_empty_value_as_not_given(content_dir):
    cleared = content.read_campaign(content_dir / "2022-zhuhai")[1].campaign
    original = content.read_campaign(CONTENT / "2022-zhuhai")[1].campaign
    assert cleared.period is None and cleared.doc_number is None and cleared.posters is None and cleared.copies == []
    assert cleared == original.__class__(**{**{f: getattr(original, f) for f in original.__slots__ if f != "loc"},
                                            "doc_number": None})
    loaded = content.load(content_dir)
    assert [e.id for e in loaded.entries] == [e.id for e in content.load(CONTENT).entries]


@pytest.mark.slow
def test_build_of_an_empty_value_is_the_build_without_it(content_dir, tmp_path, capsys):
    path = content_dir / "2022-zhuhai" / "campaign.yaml"
    text = path.read_text(encoding="utf-8")
    assert cli.main(["build", "--content", str(content_dir), "--out", str(tmp_path / "a"), "--no-search", "-q"]) == 0
    path.write_text("\n".join(line for line in text.splitlines() if line.split(":")[0] not in CLEARED) + "\n", encoding="utf-8")
    assert cli.main(["build", "--content", str(content_dir), "--out", str(tmp_path / "b"), "--no-search", "-q"]) == 0
    for page in ("2022/zhuhai/index.html", "2022/zhuhai/schedule/index.html", "2022/zhuhai/campaign.json"):
        assert (tmp_path / "a" / page).read_bytes() == (tmp_path / "b" / page).read_bytes(), page


def test_new_from_a_campaign_with_empty_values_works_and_asks_nothing_of_them(content_dir):
    report = scaffold.new_campaign(content_dir, "2023-zhuhai", "2022-zhuhai")
    text = (content_dir / "2023-zhuhai" / "campaign.yaml").read_text(encoding="utf-8")
    assert "period" not in text and "doc_number" not in text and "posters" not in text
    assert "活动时间 period" not in report and "文号 doc_number" not in report
    assert TO_FILL in text  # the facts that were given are still to fill in
    assert content.read_campaign(content_dir / "2023-zhuhai")[1].campaign.draft


def test_import_writes_no_empty_value_and_its_check_reads_them_as_absent():
    draft = Draft(fields={"title": "关于开展2023年“质量月”活动的通知", "doc_number": "", "issuer": "某市质量协会", "recipients": [],
                          "theme": "  ", "posters": {}, "contacts": [{"people": ["张三"], "phones": [], "address": ""}]},
                  notice="## 一、活动主题\n\n质量\n")
    files = draft_files(draft, 2023, "city", "notice.txt", "en")
    text = files["campaign.yaml"]
    for key in ("doc_number", "recipients", "theme", "posters", "phones", "address"):
        assert f"{key}:" not in text, key
    assert "people:" in text
    assert validate(files, "content/2023-city") == []
