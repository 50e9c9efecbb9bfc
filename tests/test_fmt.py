"""`build.py fmt`: content files are kept in the form the web editor (Decap CMS) writes, so a form edit is one line in git."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from qm_site import cli
from qm_site.authoring import scaffold
from qm_site.site import admin
from qm_site.source import editor_form, model
from sitecheck import CONTENT

ROOT = Path(__file__).resolve().parent.parent
NODE = shutil.which("node")
CORE = ROOT / "node_modules" / "decap-cms-core"
needs_node = pytest.mark.skipif(NODE is None or not (CORE / "package.json").is_file(),
                                reason="needs node and the npm package decap-cms-core (npm ci)")
CONTENT_FILES = [CONTENT / "site.yaml", *sorted(CONTENT.glob("*/campaign.yaml"))]

# Decap's own reader and writer (decap-cms-core's formats/yaml.js and helpers.js, unchanged but for the two import
# paths node needs), so the tests compare with what Decap runs rather than with our copy of it in canonical.js.
DRIVER = r"""
import { readFileSync } from 'fs';
const { default: decap } = await import(process.argv[2]);
const { sortKeys } = await import(process.argv[3]);
const YAML = (await import(process.argv[4])).default;
const jobs = JSON.parse(readFileSync(0, 'utf8'));
const out = jobs.map(job => {
  const data = decap.fromFile(job.text);
  for (const [key, value] of Object.entries(job.set || {})) data[key] = value;
  return decap.toFile(data, job.keys);
});
process.stdout.write(JSON.stringify(out));
"""


@pytest.fixture(scope="module")
def decap(tmp_path_factory):
    """A function running Decap's fromFile, optional field edits, and toFile(data, form keys) on each job, in node."""
    folder = tmp_path_factory.mktemp("decap")
    esm = CORE / "dist" / "esm" / "formats"
    yaml_dir = CORE / "node_modules" / "yaml" if (CORE / "node_modules" / "yaml").is_dir() else ROOT / "node_modules" / "yaml"
    yaml_js = yaml_dir / "index.js"
    source = (esm / "yaml.js").read_text(encoding="utf-8")
    source = source.replace("import yaml from 'yaml';", f"import yaml from {json.dumps(yaml_js.as_uri())};")
    source = source.replace("from './helpers';", "from './helpers.mjs';")
    (folder / "yaml.mjs").write_text(source, encoding="utf-8")
    shutil.copy(esm / "helpers.js", folder / "helpers.mjs")
    (folder / "driver.mjs").write_text(DRIVER, encoding="utf-8")

    def run(jobs: list[dict]) -> list[str]:
        done = subprocess.run([NODE, str(folder / "driver.mjs"), (folder / "yaml.mjs").as_uri(), (folder / "helpers.mjs").as_uri(),
                               yaml_js.as_uri()], input=json.dumps(jobs), capture_output=True, text=True, check=True, timeout=60)
        return json.loads(done.stdout)
    return run


def keys_of(path: Path) -> list[str]:
    """The form's field order for a content file, as config.yml gives it to Decap."""
    config = admin.cms_config("content", (("2022-zhuhai", "t", ("notice.md",), "notice.md", 1),))
    collection = config["collections"][2 if path.name == "site.yaml" else 0]
    return [f["name"] for f in collection["files"][0]["fields"]]


def test_fmt_sorts_keys_in_the_order_of_the_forms_fields():
    assert editor_form.form_keys(model.Campaign) == keys_of(Path("campaign.yaml"))
    assert editor_form.form_keys(model.Site) == keys_of(Path("site.yaml"))


@needs_node
def test_every_content_file_is_a_fixed_point_of_decaps_writer(decap):
    jobs = [{"text": p.read_text(encoding="utf-8"), "keys": keys_of(p)} for p in CONTENT_FILES]
    for path, job, saved in zip(CONTENT_FILES, jobs, decap(jobs)):
        assert saved == job["text"], f"{path.relative_to(ROOT)} is not as the web editor saves it: run python3 build.py fmt"


@needs_node
def test_canonical_js_writes_what_decap_writes(decap, tmp_path):
    """Our writer and Decap's agree on files in other forms too (flow lists, folded text, comments, keys out of order)."""
    text = ("# a comment\nslug: x\nyear: 2023\nrecipients: [a, b]\ntheme: >-\n  long\n  text\ntitle: '9:30'\n"
            "contacts:\n  - phones: ['0756', 12]\n    people: [甲]\n")
    keys = editor_form.form_keys(model.Campaign)
    source = editor_form.Source(tmp_path / "c.yaml", "c.yaml", text, tuple(keys))
    ours = editor_form.editor_texts([source], NODE, ROOT)[0]["text"]
    assert ours == decap([{"text": text, "keys": keys}])[0]
    assert ours.startswith("year: 2023\nslug: x\ntitle:")


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


@needs_node
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: p.parent.name if p.name == "campaign.yaml" else p.name)
def test_a_form_edit_of_one_field_is_one_changed_line_in_git(decap, tmp_path, path):
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / path.name).write_bytes(path.read_bytes())
    _git(repo, "add", path.name)
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "seed")
    edited = "2023年“质量月”活动的通知（改）" if path.name == "campaign.yaml" else "质量月活动（改）"
    saved = decap([{"text": path.read_text(encoding="utf-8"), "keys": keys_of(path), "set": {"title": edited}}])[0]
    (repo / path.name).write_text(saved, encoding="utf-8")
    assert _git(repo, "diff", "--numstat").split() == ["1", "1", path.name]
    assert f"+title: {edited}" in _git(repo, "diff")


@pytest.fixture
def content(tmp_path) -> Path:
    """A copy of content/ to format."""
    shutil.copytree(CONTENT, tmp_path / "content")
    return tmp_path / "content"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.slow
@needs_node
def test_fmt_check_names_each_file_not_in_the_editors_form_and_changes_nothing(content, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    site = content / "site.yaml"
    text = site.read_text(encoding="utf-8").replace("languages:\n  - zh_CN\n  - en\n", "languages: [zh_CN, en]\n")
    site.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "fmt", "--check", "--content", str(content), "--lang", "en")
    assert code == 1 and f"{site}: error: not in the form the web editor saves" in err
    assert err.count("error:") == 1 and "1 problem found; nothing was changed." in err
    assert site.read_text(encoding="utf-8") == text
    code, out, _ = run(capsys, "fmt", "--content", str(content), "--lang", "en")
    assert code == 0 and f"rewrote {site}" in out and "1 file rewritten, 5 already" in out
    assert site.read_bytes() == (CONTENT / "site.yaml").read_bytes()
    assert run(capsys, "fmt", "--check", "--content", str(content))[0] == 0


@needs_node
def test_fmt_refuses_a_rewrite_that_changes_meaning(content, capsys, monkeypatch):
    """`issuer_label: 07562661370`: check keeps the digits of a text field as written; Decap's reader makes the number
    7562661370. (Phones may no longer be written so: check wants them quoted, like postcodes.)"""
    monkeypatch.chdir(ROOT)
    path = content / "2022-zhuhai" / "campaign.yaml"
    text = path.read_text(encoding="utf-8").replace("issuer: 珠海市质量协会\n",
                                                    "issuer: 珠海市质量协会\nissuer_label: 07562661370\n", 1)
    path.write_text(text, encoding="utf-8")
    assert run(capsys, "check", "--content", str(content))[0] == 0
    code, _, err = run(capsys, "fmt", "--content", str(content), "--lang", "en")
    line = text.splitlines().index("issuer_label: 07562661370") + 1
    assert code == 1 and f"{path}:{line}:15: error: the web editor would save `07562661370` here as `7562661370`" in err
    assert 'hint: put the value in double quotes ("07562661370")' in err
    assert path.read_text(encoding="utf-8") == text
    assert (content / "site.yaml").read_bytes() == (CONTENT / "site.yaml").read_bytes()  # nothing at all was written


@needs_node
def test_fmt_stops_at_a_comment_so_what_it_says_can_move_into_notes(content, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    path = content / "2020-nanjing" / "campaign.yaml"
    text = path.read_text(encoding="utf-8").replace("slug: nanjing\n", "slug: nanjing # 网址名\n")
    path.write_text("# 来源：南京质协网站\n" + text, encoding="utf-8")
    code, _, err = run(capsys, "fmt", "--content", str(content), "--lang", "zh_CN")
    assert code == 1 and f"{path}:1:1: " in err and f"{path}:3:15: " in err and "notes" in err
    assert editor_form.comments('a: "x #1"\nb: |\n  # kept\nc: [1, 2] # here\n') == [(4, 11)]


def test_fmt_without_node_says_what_to_install(content, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    code, _, err = run(capsys, "fmt", "--check", "--content", str(content), "--lang", "en")
    assert code == 1 and "needs Node.js: `node` was not found" in err and "apt-get install nodejs npm" in err and "npm ci" in err


def test_make_test_runs_fmt_check_after_lint():
    target = re.search(r"^test:.*?\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)
    assert target is not None
    lines = target.group(1).splitlines()
    lint = next(i for i, line in enumerate(lines) if "lint" in line)
    assert any("build.py fmt --check" in line for line in lines[lint + 1:])


def test_vscode_maps_the_schemas_to_the_content_files():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"] == {"./schema/campaign.schema.json": "content/*/campaign.yaml",
                                        "./schema/site.schema.json": "content/site.yaml"}


@needs_node
@pytest.mark.parametrize("source", [p.parent.name for p in CONTENT_FILES[1:]])
def test_new_writes_a_campaign_in_the_editors_form(decap, content, source, monkeypatch):
    monkeypatch.chdir(ROOT)
    scaffold.new_campaign(content, "2031-" + source.split("-", 1)[1], source)
    path = next(content.glob("2031-*/campaign.yaml"))
    text = path.read_text(encoding="utf-8")
    assert decap([{"text": text, "keys": keys_of(path)}]) == [text]


def test_new_without_node_writes_the_campaign_and_says_to_run_fmt(content, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    report = scaffold.new_campaign(content, "2023-zhuhai", "2022-zhuhai")
    assert f"run python3 build.py fmt --content {content}" in report
    assert (content / "2023-zhuhai" / "campaign.yaml").is_file()


@pytest.mark.slow
@needs_node
def test_an_imported_draft_is_in_the_editors_form_with_its_review_as_data(content, capsys, monkeypatch, tmp_path):
    """The import's guesses are `review` entries, which the editor's writer keeps (comments it would drop)."""
    monkeypatch.chdir(ROOT)
    notice = ROOT / "tests" / "fixtures" / "notices" / "2022-zhuhai.txt"
    assert run(capsys, "import", str(notice), "--id", "2023-zhuhai", "--content", str(content))[0] == 0
    path = content / "2023-zhuhai" / "campaign.yaml"
    assert run(capsys, "fmt", "--check", "--content", str(content))[0] == 0
    assert "\nreview:\n  - field: title\n" in path.read_text(encoding="utf-8")
    code, _, err = run(capsys, "check", "--content", str(content), "--lang", "en")
    assert code == 0 and "import guesses to confirm; this one: `title`" in err  # a draft: its to-do list, as warnings
    out = tmp_path / "drafts"
    assert run(capsys, "build", "--drafts", "--content", str(content), "--out", str(out), "--no-search", "-q")[0] == 0
    published = json.loads((out / "2023" / "zhuhai" / "campaign.json").read_text(encoding="utf-8"))
    assert "review" not in published and "notes" not in published  # the editors' own lists are never published


def test_the_notes_comments_became_are_never_published(content, tmp_path, capsys):
    assert run(capsys, "build", "--content", str(content), "--out", str(tmp_path / "out"), "--no-search", "-q")[0] == 0
    published = [p for p in (tmp_path / "out").rglob("*") if p.is_file() and p.suffix in (".html", ".json", ".xml", ".ics", ".txt")]
    assert published
    for path in published:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert "seeds/00" not in text and "fixed: " not in text and "PDF 只用 CMYK" not in text, path


@needs_node
def test_fmt_names_an_empty_file_and_writes_nothing(content, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    (content / "site.yaml").write_text("\n", encoding="utf-8")
    code, _, err = run(capsys, "fmt", "--content", str(content), "--lang", "en")
    assert code == 1 and f"{content / 'site.yaml'}:1:1: error: the file is empty" in err
    assert [p.read_bytes() for p in sorted(content.glob("*/campaign.yaml"))] == \
        [p.read_bytes() for p in sorted(CONTENT.glob("*/campaign.yaml"))]
