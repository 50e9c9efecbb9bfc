"""/admin/ (Decap CMS): the config made from the model covers every field, every campaign survives Decap's
YAML rewrite, and, in chromium, a theme edited in the form is saved to disk and rebuilt by `serve --cms`."""

from __future__ import annotations

import dataclasses
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import typing
from pathlib import Path

import pytest
import yaml

import sitecheck
from qm_site.errors import Collector
from qm_site.site import admin
from qm_site.source import content as content_mod
from qm_site.source import editor_form, model
from qm_site.source.markup import Renderer
from qm_site.source.schema import fields, hints, is_required
from sitecheck import CONTENT

ROOT = sitecheck.ROOT
NODE = shutil.which("node")
NODE_MODULES = ROOT / "node_modules"
needs_node = pytest.mark.skipif(NODE is None or not (NODE_MODULES / "decap-cms").is_dir() or not (NODE_MODULES / "yaml").is_dir(),
                                reason="needs Node.js and `npm ci` (decap-cms, decap-server, yaml); CI has them")
SOURCES = (("2022-national", "标题", ("attachment-1.md", "notice.md"), "notice.md", 2),
           ("2023-zhuhai", "另一个", ("notice.md",), "notice.md", 1))


def _config_fields(config_fields: list[dict]) -> dict[str, dict]:
    return {f["name"]: f for f in config_fields}


def _walk(cls, config_fields: list[dict], path: str = "") -> list[str]:
    """Every model field (nested too) missing from Decap's fields or configured unlike the validator; [] when all agree."""
    by_name, wrong = _config_fields(config_fields), []
    for f in fields(cls):
        where = f"{path}{f.name}"
        got = by_name.get(f.name)
        if got is None:
            wrong.append(f"{where}: missing")
            continue
        if got["required"] != is_required(f):
            wrong.append(f"{where}: required={got['required']}")
        if "pattern" in f.metadata and got.get("pattern", [None])[0] != f.metadata["pattern"]:
            wrong.append(f"{where}: pattern {got.get('pattern')}")
        for bound, key in (("minimum", "min"), ("maximum", "max")):
            if bound in f.metadata and got.get(key) != f.metadata[bound] and not f.metadata.get("renumber"):  # made by the form
                wrong.append(f"{where}: {key} {got.get(key)}")
        inner = _inner_dataclass(hints(cls)[f.name])
        if inner is not None and "fields" in got:
            wrong += _walk(inner, got["fields"], where + ".")
    extra = set(by_name) - {f.name for f in fields(cls)}
    return wrong + [f"{path}{name}: not in the model" for name in sorted(extra)]


def _inner_dataclass(tp):
    """The dataclass a field holds (itself, in a list, or in an optional), if any."""
    for arg in (tp, *typing.get_args(tp)):
        for inner in (arg, *typing.get_args(arg)):
            if isinstance(inner, type) and dataclasses.is_dataclass(inner) and inner is not model.Loc:
                return inner
    return None


def test_the_config_covers_every_model_field_with_the_validators_rules():
    config = admin.cms_config("content", SOURCES)
    campaigns, texts, settings = config["collections"][:3]  # and, deployed, the inbox (test_start.py)
    assert [f["file"] for f in campaigns["files"]] == ["content/2022-national/campaign.yaml", "content/2023-zhuhai/campaign.yaml"]
    for entry in campaigns["files"]:
        assert _walk(model.Campaign, entry["fields"]) == []
    assert _walk(model.Site, settings["files"][0]["fields"]) == []
    assert [f["file"] for f in texts["files"]] == ["content/2022-national/attachment-1.md", "content/2022-national/notice.md",
                                                  "content/2023-zhuhai/notice.md"]
    assert {f["widget"] for f in texts["files"][0]["fields"]} == {"qm-markdown"}
    assert "local_backend" not in config, "a build never points the editor at a local proxy"
    assert config["locale"] == "zh_Hans"


def test_the_review_list_is_in_the_form_in_chinese():
    """The import's open guesses are form fields, so the web editor shows and keeps them (comments it would drop)."""
    review = _config_fields(admin.model_fields(model.Campaign))["review"]
    assert review["label"] == "审核清单" and review["widget"] == "list" and review["summary"] == "{{fields.field}}"
    assert [(f["name"], f["label"]) for f in review["fields"]] == [("field", "字段"), ("guess", "导入时的猜测"), ("why", "原因")]


def test_widgets_follow_the_types():
    by_name = _config_fields(admin.model_fields(model.Campaign))
    assert by_name["issue_date"]["widget"] == "datetime" and by_name["issue_date"]["format"] == "YYYY-MM-DD"
    assert by_name["issue_date"]["time_format"] is False
    assert by_name["recipients_position"] == {**by_name["recipients_position"], "widget": "select",
                                              "options": [{"label": "主送在开头", "value": "top"},
                                                          {"label": "在版记", "value": "footer"}]}
    assert by_name["confirmed_same"]["multiple"] is True
    assert by_name["draft"]["widget"] == "boolean" and by_name["draft"]["default"] is False
    assert by_name["co_issuers"]["widget"] == "list" and by_name["co_issuers"]["field"]["widget"] == "string"
    assert by_name["period"]["widget"] == "qm-period"
    assert by_name["guiding_ideology"]["widget"] == "text"
    assert by_name["title"]["label"] == "通知标题" and "hint" not in by_name["title"]
    assert by_name["slug"]["hint"] == "网址 /年份/网址名/ 中的短名，例如 national"
    schedules = _config_fields(by_name["schedules"]["fields"])
    rows = _config_fields(schedules["rows"]["fields"])
    assert schedules["rows"]["min"] == 1
    assert rows["details"]["widget"] == "qm-text-or-list"
    assert [o["value"] for o in rows["mode"]["options"]] == ["online", "offline", "mixed"]
    slogans = _config_fields(by_name["slogans"]["fields"])
    assert slogans["items"]["field"]["widget"] == "qm-slogan"
    contacts = _config_fields(by_name["contacts"]["fields"])
    assert contacts["emails"]["field"]["pattern"][0] == r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
    assert contacts["postcode"]["pattern"][0] == r"^[0-9]{6}$"


def test_the_preview_config_names_its_local_backend_with_paths_in_the_content_folder():
    """The preview's backend is rooted at the content folder itself: its paths start there, not at the repository."""
    config = admin.cms_config("content", SOURCES, local_api="http://127.0.0.1:8123/admin/api/s3cret/v1")
    assert config["local_backend"] == {"url": "http://127.0.0.1:8123/admin/api/s3cret/v1"}
    assert config["media_folder"] == "assets"
    files = [f["file"] for c in config["collections"] for f in c["files"]]
    assert files[0] == f"{SOURCES[0][0]}/campaign.yaml" and "site.yaml" in files
    assert not any(f.startswith(("content/", "/", ".")) for f in files)
    built = admin.cms_config("content", SOURCES)
    assert built["media_folder"] == "content/assets" and "local_backend" not in built


def test_config_yaml_is_plain_yaml_decap_can_read():
    text = admin.config_yaml(admin.cms_config("content", SOURCES))
    assert yaml.safe_load(text) == admin.cms_config("content", SOURCES)
    assert text.count("通知标题") == 1, "the Campaign fields written once, the other campaigns refer to them"


def test_config_yaml_through_the_cache_is_the_same_text(tmp_path, monkeypatch):
    monkeypatch.setenv("QM_SITE_CACHE", str(tmp_path))
    made = admin.cached_config_yaml("content", SOURCES, None)
    assert made == admin.config_yaml(admin.cms_config("content", SOURCES)) == admin.cached_config_yaml("content", SOURCES, None)
    assert len(list((tmp_path / "admin").iterdir())) == 1  # the second came from the cache
    assert admin.cached_config_yaml("content", SOURCES[:1], "/admin/api/x/v1") == \
        admin.config_yaml(admin.cms_config("content", SOURCES[:1], "/admin/api/x/v1"))


def test_config_yaml_grows_by_a_few_lines_per_campaign():
    def lines(n: int) -> int:
        sources = tuple((f"2022-c{i}", "题", ("notice.md",), "notice.md", 1) for i in range(n))
        return admin.config_yaml(admin.cms_config("content", sources)).count("\n")
    assert lines(11) - lines(1) <= 10 * 12


def test_locate_finds_the_content_folder_relative_to_the_working_folder(tmp_path):
    (tmp_path / "content").mkdir()
    found = admin.locate(tmp_path / "content", cwd=tmp_path)
    assert (found.repo, found.folder, found.dist) == (tmp_path.resolve(), "content", None)
    outside = admin.locate(tmp_path / "content", cwd=tmp_path / "elsewhere")
    assert (outside.repo, outside.folder) == (tmp_path.resolve(), "content")


@pytest.mark.slow
def test_without_the_npm_packages_the_build_says_so_once_and_has_no_admin(tmp_path):
    shutil.copytree(CONTENT, tmp_path / "content")
    run = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--lang", "en"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stderr.count("the web editor /admin/ was not built") == 1
    assert not (tmp_path / "public" / "admin").exists()
    assert (tmp_path / "public" / "index.html").is_file()


@pytest.mark.slow
@needs_node
def test_the_build_has_decaps_page_config_and_scripts(tmp_path):
    out = sitecheck_build(tmp_path)
    page = (out / "admin" / "index.html").read_text(encoding="utf-8")
    for script in ("netlify-identity-widget.js", "decap-cms.js", "widgets.js"):
        assert f'<script src="{script}"></script>' in page
        assert (out / "admin" / script).is_file()
    assert "http" not in page.replace("http-equiv", ""), "no script or style from another host"
    config = yaml.safe_load((out / "admin" / "config.yml").read_text(encoding="utf-8"))
    folder = CONTENT.relative_to(ROOT).as_posix()  # the content folder as the repository names it
    assert {f["file"] for f in config["collections"][0]["files"]} >= {f"{folder}/2022-national/campaign.yaml"}
    chunks = [p.name for p in (out / "admin").glob("*.decap-cms.js")]
    assert chunks, "the chunks decap-cms.js loads on demand are there"
    assert not list((out / "admin").glob("*.map")), "no source maps published"


def sitecheck_build(tmp_path: Path) -> Path:
    """The seed content built with the production build (from the project folder, where node_modules/ is)."""
    from qm_site.site.builder import build

    build(CONTENT, tmp_path / "public")
    return tmp_path / "public"


# --- round trip through Decap's YAML writer ----------------------------------------------------

DECAP_DUMP = r"""
const fs = require('fs');
const yaml = require(process.argv[1]);
// decap-cms-core's formats/yaml.ts: fromFile = parseDocument(...).toJSON(); toFile = new Document with createNode(data)
for (const [src, dst] of JSON.parse(process.argv[2])) {
  const data = yaml.parseDocument(fs.readFileSync(src, 'utf8')).toJSON();
  const doc = new yaml.Document();
  doc.contents = yaml.createNode(data);
  fs.writeFileSync(dst, doc.toString());
}
"""


def _parsed(folder: Path, text: str):
    errors = Collector()
    entry = content_mod.parse_campaign(text, str(folder / "campaign.yaml"), lambda n: (folder / n).read_text(encoding="utf-8"),
                                       Renderer(), errors, folder.name)
    assert not errors.errors, [e.message for e in errors.errors]
    return entry.campaign


@needs_node
def test_every_campaign_survives_decaps_yaml_rewrite(tmp_path):
    folders = sorted(p.parent for p in CONTENT.glob("*/campaign.yaml"))
    pairs = [(str(f / "campaign.yaml"), str(tmp_path / f"{f.name}.yaml")) for f in folders]
    subprocess.run([NODE, "-e", DECAP_DUMP, str(NODE_MODULES / "yaml"), json.dumps(pairs)], check=True, timeout=60)
    for folder, (src, dst) in zip(folders, pairs):
        rewritten = Path(dst).read_text(encoding="utf-8")
        assert "#" not in rewritten.splitlines()[0], "Decap drops comments"
        assert _parsed(folder, rewritten) == _parsed(folder, Path(src).read_text(encoding="utf-8")), folder.name


def test_corrections_are_in_fields_not_comments():
    """Comments are lost when Decap saves: the seeds carry none, and the corrections they made live in `notes`."""
    for path in [CONTENT / "site.yaml", *sorted(CONTENT.glob("*/campaign.yaml"))]:
        assert editor_form.comments(path.read_text(encoding="utf-8")) == [], path
    for name, fixes in (("2014-national", 5), ("2022-zhuhai", 1)):
        notes = yaml.safe_load((CONTENT / name / "campaign.yaml").read_text(encoding="utf-8"))["notes"]
        assert sum(n.startswith("fixed: ") for n in notes) == fixes, name


# --- the form in chromium ----------------------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


@needs_node
@pytest.mark.browser
@pytest.mark.slow
def test_five_fields_changed_in_the_form_are_five_lines_in_git_and_rebuilt(tmp_path, browser):
    import urllib.request

    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "build.py", "serve", "--cms", "--content", str(content), "--port", str(port),
                             "--out", str(tmp_path / "out")], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait_for(lambda: _answers(base + "admin/config.yml"), 60, "serve --cms")
        assert "livereload.js" in urllib.request.urlopen(base).read().decode()
        assert "livereload.js" not in urllib.request.urlopen(base + "admin/").read().decode(), "no reload under the editor"
        with urllib.request.urlopen(base + "admin/config.yml") as config:
            assert config.headers["Content-Type"] == "text/yaml; charset=utf-8"
            backend = rf"url: {base}admin/api/[A-Za-z0-9_-]{{20,}}/v1"
            assert re.search(backend, config.read().decode()), "the local backend, with a secret"
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(base + "admin/")
        page.get_by_role("button", name="登录").click()
        page.get_by_text("2020-nanjing · ").click()  # schedule details as text and as lists, a quoted phone number
        folder = content / "2020-nanjing"
        original = (folder / "campaign.yaml").read_text(encoding="utf-8")
        before = _parsed(folder, original)
        theme = page.get_by_label("活动主题").first
        theme.wait_for(timeout=30000)
        theme.fill("网页表单改过的主题")
        edits = {"title": ("通知标题", "关于开展2020年“质量月”系列科普活动的通知（修订）"),
                 "doc_number": ("文号", "宁质协字〔2020〕13号"),
                 "issuer": ("发文单位", "南京市质量协会"), "publication_note": ("公开方式", "此件公开发布")}
        for label, value in edits.values():  # five everyday edits in all, one of them a field the file did not have
            page.get_by_label(label).first.fill(value)
        page.get_by_role("button", name="发布").click()
        page.get_by_text("立即发布").click()
        yaml_file = folder / "campaign.yaml"
        _wait_for(lambda: "网页表单改过的主题" in yaml_file.read_text(encoding="utf-8"), 30, "the YAML on disk")
        saved = yaml_file.read_text(encoding="utf-8")
        assert yaml.safe_load(saved)["theme"] == "网页表单改过的主题"
        values = {key: value for key, (_, value) in edits.items()}
        expected = dataclasses.replace(before, theme="网页表单改过的主题", **values)
        assert _parsed(folder, saved) == expected, "the rest unchanged in meaning"
        # The file is kept in the form Decap writes (build.py fmt), so five edits change five lines and no other:
        # four replaced, one added (the new key, where the form's order puts it).
        changed = [line for line in difflib.ndiff(original.splitlines(), saved.splitlines()) if line[:2] in ("- ", "+ ")]
        removed = sorted(line[2:].split(":")[0] for line in changed if line.startswith("- "))
        added = sorted(line[2:] for line in changed if line.startswith("+ "))
        assert removed == ["doc_number", "issuer", "theme", "title"], changed
        assert added == sorted([f"{k}: {v}" for k, v in values.items()] + ["theme: 网页表单改过的主题"]), changed
        rebuilt = lambda: "网页表单改过的主题" in urllib.request.urlopen(base + "2020/nanjing/").read().decode()  # noqa: E731
        _wait_for(rebuilt, 30, "the rebuilt page")
        page.screenshot(path=str(tmp_path / "editor.png"))
        assert errors == [], errors
        context.close()
    finally:
        proc.send_signal(subprocess.signal.SIGINT)
        printed, _ = proc.communicate(timeout=20)
    assert "Traceback" not in printed, printed


def _answers(url: str) -> bool:
    import urllib.request

    try:
        urllib.request.urlopen(url, timeout=1).close()
        return True
    except OSError:
        return False


@needs_node
@pytest.mark.browser
def test_decap_starts_under_the_sites_content_security_policy(tmp_path, browser):
    """As deployed: /admin/ with its CSP from netlify.toml shows git-gateway's login with no violation."""
    import tomllib

    netlify = tomllib.loads((ROOT / "netlify.toml").read_text(encoding="utf-8"))
    rules = [r["for"] for r in netlify["headers"] if "Content-Security-Policy" in r["values"]]
    assert rules == ["/*", "/admin/*"], "the web editor's policy comes last, after the site's"
    policies = [r["values"]["Content-Security-Policy"] for r in netlify["headers"] if r["for"] == "/admin/*"]
    assert "'unsafe-inline'" not in policies[0].split("script-src")[1].split(";")[0]
    out = sitecheck_build(tmp_path)
    with sitecheck.serve(out) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        def with_policy(route) -> None:
            response = route.fetch()
            route.fulfill(response=response, headers={**response.headers, "content-security-policy": policies[0]})

        page.route("**/admin/**", with_policy)
        problems: list[str] = []
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("console", lambda m: "Content Security Policy" in m.text and problems.append(m.text))
        page.goto(url + "admin/")
        page.get_by_role("button", name="使用 Netlify Identity 登录").wait_for(timeout=30000)
        page.screenshot(path=str(tmp_path / "login.png"))
        context.close()
    assert problems == [], problems


@pytest.mark.slow
def test_serve_cms_without_node_says_what_to_install(tmp_path):
    shutil.copytree(CONTENT, tmp_path / "content")
    empty = tmp_path / "bin"
    empty.mkdir()
    run = subprocess.run([sys.executable, str(ROOT / "build.py"), "serve", "--cms", "--content", str(tmp_path / "content"),
                          "--port", str(_free_port()), "--lang", "en"], cwd=ROOT, capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PATH": str(empty)})
    assert run.returncode == 1
    assert "--cms needs Node.js, and `node` was not found" in run.stderr
    assert "apt-get install nodejs npm" in run.stderr and "Traceback" not in run.stderr


@pytest.mark.skipif(NODE is None, reason="needs Node.js (only the npm packages are missing here)")
def test_serve_cms_without_the_npm_packages_says_so(tmp_path):
    shutil.copytree(CONTENT, tmp_path / "content")
    run = subprocess.run([sys.executable, str(ROOT / "build.py"), "serve", "--cms", "--port", str(_free_port()), "--lang", "zh_CN"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert "--cms 需要 npm 软件包 decap-server 和 decap-cms" in run.stderr and "npm ci" in run.stderr
    assert "Traceback" not in run.stderr


WIDGET_HARNESS = r"""
// widgets.js under a stand-in for Decap's globals: createClass returns the spec, so each method can be called.
const registered = {};
const ignored = () => {};  // the save event and the preview are tried in chromium (test_admin_form.py)
global.window = {CMS: {registerWidget: (name, spec) => { registered[name] = spec; }, registerEventListener: ignored,
                       registerPreviewTemplate: ignored, registerPreviewStyle: ignored}, h: () => null, createClass: s => s};
require(process.argv[1]);
const immutable = v => ({toJS: () => v});  // Decap hands values over as Immutable.js collections
function edit(name, value, typed) {  // load `value` into the widget, type `typed` (or keep its text), return what it saves
  const spec = registered[name];
  const saved = [];
  const self = Object.assign({}, spec, {props: {value: value, onChange: v => saved.push(v)}, setState: () => {}});
  if (spec.getInitialState) self.state = spec.getInitialState.call(self);
  if (name === "qm-slogan") {
    self.change("text", {target: {value: typed == null ? self.parts().text : typed}});
  } else {
    self.handleChange({target: {value: typed == null ? self.state.text : typed}});
  }
  return {shown: self.state ? self.state.text : self.parts(), saved: saved[saved.length - 1]};
}
const cases = JSON.parse(process.argv[2]).map(([name, value, wrap, typed]) => edit(name, wrap ? immutable(value) : value, typed));
console.log(JSON.stringify(cases));
"""

WIDGET_CASES = [  # (widget, value loaded, as Immutable?, text typed or None to keep it) -> (shown, saved)
    (("qm-text-or-list", "一段文字", False, None), ("一段文字", "一段文字")),
    (("qm-text-or-list", ["要点一;", "要点二"], True, None), ("- 要点一;\n- 要点二", ["要点一;", "要点二"])),
    (("qm-text-or-list", ["只有一点"], True, None), ("- 只有一点", ["只有一点"])),
    (("qm-text-or-list", "", False, "- 新的一点\n- 第二点\n"), ("", ["新的一点", "第二点"])),
    (("qm-text-or-list", "", False, "不是列表\n- 混在一起"), ("", "不是列表\n- 混在一起")),
    (("qm-slogan", "质量第一 安全至上", False, None), ({"text": "质量第一 安全至上", "en": ""}, "质量第一 安全至上")),
    (("qm-slogan", {"text": "质量第一", "en": "Quality first"}, True, None),
     ({"text": "质量第一", "en": "Quality first"}, {"text": "质量第一", "en": "Quality first"})),
    (("qm-period", "9月1日-30日", False, None), ("9月1日-30日", "9月1日-30日")),
    (("qm-period", {"start": "2023-09-01", "end": "2023-09-30"}, True, None),
     ("2023-09-01 至 2023-09-30", {"start": "2023-09-01", "end": "2023-09-30"})),
]


@pytest.mark.skipif(NODE is None, reason="needs Node.js; CI has it")
def test_the_form_widgets_keep_each_value_in_its_form():
    """widgets.js: a value loaded and saved is the same value; lists are '- ' lines, a translation makes a mapping."""
    run = subprocess.run([NODE, "-e", WIDGET_HARNESS, str(admin.WIDGETS), json.dumps([c for c, _ in WIDGET_CASES])],
                         capture_output=True, text=True, timeout=60, check=True)
    got = [(r["shown"], r.get("saved")) for r in json.loads(run.stdout)]
    for (case, expected), result in zip(WIDGET_CASES, got):
        shown, saved = expected
        assert result[1] == saved, case
        if case[3] is None:
            assert result[0] == shown, case
