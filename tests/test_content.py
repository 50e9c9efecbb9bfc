"""Content layer: YAML 1.2 loading, the typed schema, cross-checks, and must-fail fixtures."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from qm_site import cli
from qm_site.errors import Collector, QmError
from qm_site.source import content, model, schema, yamlio
from qm_site.source.markup import Renderer
from sitecheck import CONTENT

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parent.parent

MINIMAL = """\
year: 2022
slug: test
title: 测试通知
issuer: 测试协会
"""


def parse(text: str, files: dict[str, str] | None = None):
    """Parse campaign YAML from a string; returns (entry, problems)."""
    files = files or {}
    errors = Collector()

    def read(name: str) -> str:
        if name not in files:
            raise FileNotFoundError(name)
        return files[name]

    entry = content.parse_campaign(text, "c.yaml", read, Renderer(), errors)
    return entry, errors.problems


# --- YAML 1.2 ------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["no", "off", "yes", "on", "9:30", "2022-09", "2022-09-01", "0756", "1_000"])
def test_yaml_12_values_stay_text(raw):
    node = yamlio.load(f"a: {raw}\n", "x.yaml")
    assert node.value["a"].text == raw
    assert node.value["a"].tag == "str" or raw == "0756"


def test_text_field_keeps_source_text_of_numbers():
    entry, problems = parse(MINIMAL + "doc_number: 0756\ncontacts:\n"
                                      "  - phones: [025-87775338, \"13851528648\"]\n    postcode: \"210000\"\n")
    assert not problems
    assert entry.campaign.doc_number == "0756"
    assert entry.campaign.contacts[0].phones == ["025-87775338", "13851528648"]
    assert entry.campaign.contacts[0].postcode == "210000"


def test_a_patterned_text_written_as_a_number_asks_for_quotes():
    """JSON Schema checks patterns on strings only, so check asks for the quotes the editor's schema wants too."""
    _, problems = parse(MINIMAL + "contacts:\n  - postcode: 210000\n")
    assert [(p.line, p.message, p.hint) for p in problems] == [
        (6, "`postcode` must be text; `210000` without quotes is read as a number or true/false", 'put it in quotes: "210000"')]


def test_a_quoted_number_is_said_to_be_quoted():
    _, problems = parse(MINIMAL.replace("year: 2022", 'year: "2022"'))
    assert [(p.message, p.hint) for p in problems] == [("`year` must be a whole number, found the text `2022`",
                                                        "remove the quotes: 2022")]


def test_every_node_keeps_line_and_column():
    node = yamlio.load("a:\n  - b: 1\n    c: [x, y]\n", "f.yaml")
    item = node.value["a"].value[0]
    assert (item.line, item.column) == (2, 5)
    assert item.value["c"].value[1].loc == ("f.yaml", 3, 12)
    assert item.keys["c"] == (3, 5)


def test_schedule_times_stay_strings():
    entry, problems = parse(MINIMAL + "schedules:\n  - id: a\n    caption: 表\n    rows:\n"
                                      "      - name: 会\n        time: 9:30\n      - name: 会二\n        time: 2022-09\n")
    assert [p.severity for p in problems] == ["warning", "warning"]  # not dates, so not in calendars
    assert [r.time for r in entry.campaign.schedules[0].rows] == ["9:30", "2022-09"]


# --- validation -----------------------------------------------------------------------


def test_minimal_campaign_is_valid():
    entry, problems = parse(MINIMAL)
    assert problems == []
    assert entry.id == "2022-test"
    assert entry.campaign.slogans == []


def test_every_problem_is_reported_at_once():
    _, problems = parse("year: 20x2\nslug: Bad Slug\ntitel: x\nissuer: i\nissue_date: 2022-13-01\n")
    messages = [p.message for p in problems]
    assert len(problems) >= 5, messages
    assert any("unknown key `titel`" in m for m in messages)
    assert any(p.hint == "did you mean `title`?" for p in problems)
    assert any("needs `title`" in m for m in messages)
    assert any("impossible date" in m for m in messages)
    assert all(p.path == "c.yaml" and p.line >= 1 and p.column >= 1 for p in problems)


def test_slogan_shorthand_and_mapping_forms():
    entry, problems = parse(MINIMAL + "slogans:\n  - id: g\n    title: 口号\n    items:\n      - 质量第一\n"
                                      "      - text: 人人创造质量 人人享受质量\n        en: Quality by all, for all\n")
    assert not problems
    items = entry.campaign.slogans[0].items
    assert items[0] == "质量第一"
    assert isinstance(items[1], model.Slogan) and items[1].en == "Quality by all, for all"


def test_details_accept_text_or_list():
    entry, problems = parse(MINIMAL + "schedules:\n  - id: a\n    caption: 表\n    rows:\n"
                                      "      - name: 甲\n        details: 文本\n      - name: 乙\n        details: [一, 二]\n")
    assert not problems
    assert [r.details for r in entry.campaign.schedules[0].rows] == ["文本", ["一", "二"]]


def test_markdown_file_is_rendered_and_sanitised():
    body = "引言。\n\n## 活动内容\n\n正文<script>alert(1)</script><a href=\"javascript:x\" onclick=\"y\">链接</a>\n"
    entry, problems = parse(MINIMAL + "body: notice.md\n", {"notice.md": body})
    assert not problems
    doc = entry.docs["notice.md"]
    assert [s.title for s in doc.sections] == ["活动内容"]
    html = doc.intro_html + doc.sections[0].html
    assert "script" not in html and "onclick" not in html and "javascript:" not in html


@pytest.mark.parametrize("name,problem", [
    ("/etc/passwd.md", "must be a relative path"),
    ("../x.md", "points outside the campaign folder"),
    ("a/../../x.md", "points outside the campaign folder"),
    ("notice.txt", "is not a Markdown"),
])
def test_file_references_must_stay_inside(name, problem):
    _, problems = parse(MINIMAL + f"body: {name}\n")
    assert any(problem in p.message for p in problems)


def test_json_schema_matches_the_model():
    s = schema.json_schema(model.Campaign)
    assert s["additionalProperties"] is False
    assert set(s["properties"]) == {f.name for f in schema.fields(model.Campaign)}
    assert "year" in s["required"] and "title" in s["required"]
    group = s["definitions"]["SloganGroup"]
    assert group["properties"]["items"]["minItems"] == 1


def test_committed_schema_files_are_current():
    """schema/*.json are what editors load; regenerate with `python build.py schema > schema/campaign.schema.json`."""
    assert json.loads((ROOT / "schema/campaign.schema.json").read_text()) == schema.json_schema(model.Campaign)
    assert json.loads((ROOT / "schema/site.schema.json").read_text()) == schema.json_schema(model.Site)


# --- must-fail fixtures ---------------------------------------------------------------


def _expectations(case: Path, name: str = "expect.txt") -> list[tuple[str, str, list[str]]]:
    """Lines of expect.txt: `file:line:col: message | hint` -> (file, "line:col", [fragments])."""
    out = []
    for line in (case / name).read_text(encoding="utf-8").splitlines():
        m = re.match(r"^(.+?):(\d+:\d+): (.*)$", line)
        assert m, line
        out.append((m.group(1), m.group(2), [part.strip() for part in m.group(3).split(" | ")]))
    return out


FIXTURE_LANGS = [(case.name, lang) for case in sorted((FIXTURES / "invalid").iterdir())
                 for lang, name in (("en", "expect.txt"), ("zh_CN", "expect.zh.txt")) if (case / name).is_file()]


@pytest.mark.parametrize("case, lang", FIXTURE_LANGS)
def test_invalid_fixture_fails_with_its_message(case, lang, tmp_path, capsys, monkeypatch):
    """expect.txt holds the English message (whatever LANG says); expect.zh.txt, where present, the Chinese one."""
    src = FIXTURES / "invalid" / case
    root = tmp_path / "content"
    shutil.copytree(src, root, ignore=shutil.ignore_patterns("expect*.txt"))
    if not (root / "site.yaml").exists():
        shutil.copy(FIXTURES / "site.yaml", root / "site.yaml")
    monkeypatch.chdir(root)
    assert cli.main(["check", "--content", ".", "--lang", lang]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    label = "error" if lang == "en" else "错误"
    for path, where, fragments in _expectations(src, "expect.txt" if lang == "en" else "expect.zh.txt"):
        located = [line for line in err.splitlines() if line.startswith(f"{path}:{where}: {label}:")]
        assert located, f"no error at {path}:{where} in:\n{err}"
        lines = err.splitlines()
        blocks = ["\n".join(lines[i:i + 2]) for i, line in enumerate(lines) if line in located]  # message + hint
        assert any(all(f in b for f in fragments) for b in blocks), f"{fragments} not in:\n{err}"
    if lang == "zh_CN":  # no parser English in Chinese mode
        assert not re.search(r"while (scanning|parsing)|could not find|not allowed|expected", err), err


# --- the seed content -------------------------------------------------------------------

# Counted from ../shared/seeds: slogans per group and schedule rows per table.
SEED_COUNTS = {
    "2022-zhuhai": {"slogans": [17], "rows": [7], "attachments": 2},
    "2020-nanjing": {"slogans": [15], "rows": [10], "attachments": 2},
    "2022-national": {"slogans": [15], "rows": [], "attachments": 4},
    "2022-caq": {"slogans": [], "rows": [22], "attachments": 1},
    "2014-national": {"slogans": [27, 4], "rows": [], "attachments": 1},
}


@pytest.fixture(scope="module")
def seeds():
    return {e.id: e for e in content.load(CONTENT, drafts=True).entries}


def test_seed_content_is_valid(capsys):
    assert cli.main(["check", "--content", str(CONTENT), "--lang", "en"]) == 0
    assert "5 campaigns OK" in capsys.readouterr().out


@pytest.mark.parametrize("cid", sorted(SEED_COUNTS))
def test_seed_counts_match_the_notices(seeds, cid):
    c = seeds[cid].campaign
    expected = SEED_COUNTS[cid]
    assert [len(g.items) for g in c.slogans] == expected["slogans"]
    assert [len(s.rows) for s in c.schedules] == expected["rows"]
    assert len(c.attachments) == expected["attachments"]


def test_seed_free_text_attachments_keep_every_item(seeds):
    docs = seeds["2022-national"].docs
    counts = [len(re.findall(r"^[一二三四五六七八九十]+、", docs[f"attachment-{i}.md"].text, re.M)) for i in (1, 2, 3)]
    assert counts == [16, 11, 20]


def test_seed_themes(seeds):
    themes = {cid: e.campaign.theme for cid, e in seeds.items()}
    assert themes == {
        "2022-zhuhai": "创造质量价值 增强质量韧性 助力高质量发展",
        "2020-nanjing": "高质量发展：疫情常态化背景下的坚守与突破",
        "2022-national": "推动质量变革创新 促进质量强国建设",
        "2022-caq": None,
        "2014-national": "推动“三个转变” 建设质量强国",
    }


def test_every_seed_slogan_is_in_the_content(seeds):
    """Each numbered slogan line of the seed files appears, in order, in some campaign."""
    seed_dir = ROOT.parent / "shared" / "seeds"
    if not seed_dir.is_dir():
        pytest.skip("shared/seeds is not beside the checkout")
    all_slogans = [re.sub(r"\s+", " ", s if isinstance(s, str) else s.text)
                   for e in seeds.values() for g in e.campaign.slogans for s in g.items]
    for name in ("000", "001"):
        text = next(seed_dir.glob(f"{name}_*.txt")).read_text()
        block = text[text.rindex("活动宣传口号"):]
        found = [re.sub(r"\s+", " ", m).strip() for m in re.findall(r"^\d+\. (.+)$", block, re.M)]
        assert found and all(s in all_slogans for s in found), set(found) - set(all_slogans)


def test_memo_reparses_only_changed_folders(tmp_path):
    """The dev server's memo: unchanged campaigns are reused, edited ones re-parsed, removed ones dropped."""
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    memo: dict = {}
    first = content.load(root, drafts=True, memo=memo)
    again = content.load(root, drafts=True, memo=memo)
    assert all(a is b for a, b in zip(first.entries, again.entries))
    yaml = root / "2022-zhuhai" / "campaign.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("高质量 可持续 享未来", "高质量 可持续 赢未来"), encoding="utf-8")
    shutil.rmtree(root / "2014-national")
    edited = content.load(root, drafts=True, memo=memo)
    fresh = content.load(root, drafts=True)
    assert edited == fresh and edited.warnings == fresh.warnings
    by_id = {e.id: e for e in edited.entries}
    assert "2014-national" not in by_id and len(memo) == 4
    assert by_id["2022-zhuhai"] is not {e.id: e for e in first.entries}["2022-zhuhai"]
    assert by_id["2022-national"] is {e.id: e for e in first.entries}["2022-national"]


def test_memo_with_the_changed_paths_signs_only_their_folders(tmp_path):
    """Given the changed paths (the dev server's watcher knows them), only their folders are looked at again."""
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    memo: dict = {}
    content.load(root, drafts=True, memo=memo)
    zhuhai, national = root / "2022-zhuhai" / "campaign.yaml", root / "2022-national" / "campaign.yaml"
    zhuhai.write_text(zhuhai.read_text(encoding="utf-8").replace("高质量 可持续 享未来", "高质量 可持续 赢未来"), encoding="utf-8")
    national.write_text(national.read_text(encoding="utf-8").replace("人人创造质量 人人享受质量", "人人创造质量"), encoding="utf-8")
    told = content.load(root, drafts=True, memo=memo, changed={zhuhai})
    slogans = {e.id: [s for g in e.campaign.slogans for s in g.items] for e in told.entries}
    assert "高质量 可持续 赢未来" in slogans["2022-zhuhai"]
    assert "人人创造质量 人人享受质量" in slogans["2022-national"]  # not reported, so taken as it was
    assert content.load(root, drafts=True, memo=memo) == content.load(root, drafts=True)  # without: every folder is signed


def test_the_listing_is_reused_only_while_files_inside_campaigns_change(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    memo: dict = {}
    listing: dict = {}
    (root / "_drafts").mkdir()
    (root / "_drafts" / "campaign.yaml").write_text("")  # a warning of the listing, said again with a reused one
    first = content.load(root, drafts=True, memo=memo, listing=listing)
    notice = root / "2022-national" / "notice.md"
    notice.write_text(notice.read_text(encoding="utf-8") + "\n补充。\n", encoding="utf-8")
    again = content.load(root, drafts=True, memo=memo, changed={notice}, listing=listing)
    assert again.warnings == first.warnings and again == content.load(root, drafts=True)
    shutil.copytree(root / "2022-zhuhai", root / "2023-zhuhai")  # the watcher names the new folder itself
    text = (root / "2023-zhuhai" / "campaign.yaml").read_text(encoding="utf-8")
    (root / "2023-zhuhai" / "campaign.yaml").write_text(text.replace("year: 2022", "year: 2023"), encoding="utf-8")
    grown = content.load(root, drafts=True, memo=memo, changed={root / "2023-zhuhai"}, listing=listing)
    assert "2023-zhuhai" in {e.id for e in grown.entries} and grown == content.load(root, drafts=True)
    (root / "2023-zhuhai" / "campaign.yaml").unlink()  # no longer a campaign: listed again, and said
    with pytest.raises(QmError, match="no campaign.yaml"):
        content.load(root, drafts=True, memo=memo, changed={root / "2023-zhuhai" / "campaign.yaml"}, listing=listing)


# --- hand-typed section numbers ------------------------------------------------------------


def test_a_hand_typed_section_number_is_not_printed_twice():
    doc = Renderer().document("## 三、活动要求\n\n正文\n\n## （二）其他\n\n## 2022年重点\n")
    assert [(s.typed, s.title) for s in doc.sections] == [("三、", "活动要求"), ("（二）", "其他"), ("", "2022年重点")]


def test_a_hand_typed_number_that_is_not_the_sections_number_is_a_warning():
    errors = Collector()
    md = "## 一、活动主题\n\n质量\n\n## 三、活动要求\n\n要求\n"
    content.parse_campaign(MINIMAL + "body: notice.md\n", "c/campaign.yaml", lambda name: md, Renderer(), errors)
    assert [(p.path, p.line, p.severity, p.message) for p in errors.problems] == [
        ("c/notice.md", 5, "warning", "the heading is numbered 三、 by hand, but it is section 二、 of the notice")]


def test_a_quote_left_open_inside_a_list_is_reported_as_the_quote():
    text = 'year: 2022\ncontacts:\n  - people: ["王明]\n    phones: ["010-1"]\n'
    with pytest.raises(QmError) as caught:
        yamlio.load(text, "c.yaml")
    p = caught.value.problems[0]
    assert (p.line, p.column, p.message) == (3, 14, "the quotation mark opened here is never closed")
