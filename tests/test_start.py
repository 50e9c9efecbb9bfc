"""新建活动 and 导入通知 from /admin/start.html: the preview's /new and /import (authoring/start.py), and, in chromium,
a campaign started with each that opens in the form as a draft."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from test_admin import _answers, _free_port, _wait_for, needs_node

import sitecheck
from qm_site.authoring import inbox as inbox_mod
from qm_site.authoring import start
from qm_site.authoring.cms import Refusal
from qm_site.site import admin
from sitecheck import CONTENT

ROOT = sitecheck.ROOT
NOTICE = ROOT / "tests" / "fixtures" / "notices" / "2022-zhuhai.txt"


def test_a_new_campaign_copies_the_latest_one_by_default(tmp_path):
    for name in ("2021-a", "2022-b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "campaign.yaml").write_text("x: 1\n", encoding="utf-8")
    assert start.latest(tmp_path) == "2022-b"
    assert start.new_request("application/json", b'{"id": "2023-c"}', tmp_path) == ("2023-c", "2022-b")
    assert start.new_request("application/json", b'{"id": "2023-c", "from": "2021-a"}', tmp_path) == ("2023-c", "2021-a")


@pytest.mark.parametrize("campaign_id", ["2023-National", "23-national", "2023-", "2023-全国", "1900-old", "2023-a\n"])
def test_an_id_that_is_not_year_and_short_name_is_refused_naming_the_field(tmp_path, campaign_id):
    with pytest.raises(Refusal) as refused:
        start.checked_id(campaign_id, tmp_path)
    assert refused.value.status == 400 and "campaign id" in refused.value.message


def test_an_existing_campaign_is_never_overwritten(tmp_path):
    (tmp_path / "2023-x").mkdir()
    with pytest.raises(Refusal) as refused:
        start.checked_id("2023-x", tmp_path)
    assert refused.value.status == 409


def test_an_upload_is_held_to_the_imports_limit_before_it_is_read():
    assert start.announced_size("1234") == 1234
    for length, status in ((None, 411), ("-1", 411), (str(50 * 1024 * 1024 + 1), 413), ("0", 400)):
        with pytest.raises(Refusal) as refused:
            start.announced_size(length)
        assert refused.value.status == status, length


def test_an_uploaded_name_keeps_its_own_name_and_no_folder():
    assert start.upload_name("../../etc/通知.docx") == "通知.docx"
    assert start.upload_name("C:\\Users\\x\\2022 通知.PDF") == "2022-通知.PDF"
    for name in ("notice.doc", "notice", "x.exe", ""):
        with pytest.raises(Refusal):
            start.upload_name(name)


# --- through the preview ------------------------------------------------------------------------


class Preview:
    """`serve --cms` on a copy of the seed content, and its backend's base URL (…/admin/api/<secret>)."""

    def __init__(self, tmp_path: Path) -> None:
        self.content = tmp_path / "content"
        shutil.copytree(CONTENT, self.content)
        self.base = f"http://127.0.0.1:{_free_port()}/"
        port = self.base.rsplit(":", 1)[1].strip("/")
        self.proc = subprocess.Popen([sys.executable, "build.py", "serve", "--cms", "--content", str(self.content), "--port",
                                      port, "--out", str(tmp_path / "out")], cwd=ROOT, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        _wait_for(lambda: _answers(self.base + "admin/config.yml"), 60, "serve --cms")
        config = yaml.safe_load(urllib.request.urlopen(self.base + "admin/config.yml").read())
        self.api = config["local_backend"]["url"].removesuffix("/v1")

    def post(self, path: str, body: bytes, origin: str | None = None, content_type: str = "application/json") -> tuple[int, dict]:
        """POST to the backend as a page of `origin` (this preview's by default): (status, JSON answer)."""
        headers = {"Content-Type": content_type, "Origin": origin or self.base.rstrip("/")}
        try:
            with urllib.request.urlopen(urllib.request.Request(self.api + path, body, headers)) as answer:
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as refused:
            return refused.code, json.loads(refused.read())

    def stop(self) -> str:
        """Ctrl-C; what it printed."""
        self.proc.send_signal(subprocess.signal.SIGINT)
        return self.proc.communicate(timeout=20)[0]


@pytest.fixture
def preview(tmp_path):
    running = Preview(tmp_path)
    yield running
    printed = running.stop()
    assert "Traceback" not in printed, printed


@needs_node
@pytest.mark.slow
def test_only_this_previews_page_with_this_runs_secret_may_start_a_campaign(preview):
    body = json.dumps({"id": "2031-x"}).encode()
    assert preview.post("/new", body, origin="http://evil.example")[0] == 403
    assert preview.post("/new", body, origin="http://localhost:1")[0] == 403
    wrong = preview.api.rsplit("/", 1)[0] + "/not-the-secret"
    status = urllib.request.Request(wrong + "/new", body, {"Content-Type": "application/json", "Origin": preview.base[:-1]})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(status)
    assert refused.value.code == 403
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(urllib.request.Request(f"{preview.api}/import?id=2031-y&name=a.txt", b"x",
                                                      {"Origin": "http://evil.example"}))
    assert refused.value.code == 403
    assert preview.post("/new", b"not json")[0] == 400
    status, answer = preview.post("/new", json.dumps({"id": "2022-national"}).encode())
    assert status == 409 and "已经存在" in answer["error"]
    assert not (preview.content / "2031-x").exists() and not (preview.content / "2031-y").exists()


@needs_node
@pytest.mark.slow
def test_an_upload_over_the_limit_is_refused_before_its_body_is_sent(preview):
    import http.client

    host, port = preview.base.split("//")[1].strip("/").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    conn.putrequest("POST", preview.api.split(preview.base.rstrip("/"))[1] + "/import?id=2031-big&name=big.docx")
    conn.putheader("Origin", preview.base.rstrip("/"))
    conn.putheader("Content-Length", str(60 * 1024 * 1024))
    conn.endheaders()  # and not one byte of the body: the answer comes from the headers alone
    answer = conn.getresponse()
    assert answer.status == 413 and "50 MB" in json.loads(answer.read())["error"]
    conn.close()
    status, answer = preview.post("/import?id=2031-empty&name=a.txt", b"", content_type="application/octet-stream")
    assert status == 400 and "空" in answer["error"]
    assert not (preview.content / "2031-big").exists() and not (preview.content / "2031-empty").exists()


def _draft(folder: Path) -> bool:
    """Whether a campaign folder on disk is a draft."""
    return yaml.safe_load((folder / "campaign.yaml").read_text(encoding="utf-8"))["draft"] is True


@needs_node
@pytest.mark.browser
@pytest.mark.slow
def test_campaigns_started_with_both_buttons_open_in_the_form_as_drafts(preview, browser, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(preview.base + "admin/")
    page.get_by_role("button", name="登录").click()
    page.get_by_text("2022-national · ").wait_for(timeout=30000)
    page.get_by_role("link", name="新建活动 / 导入通知").click()
    page.screenshot(path=str(tmp_path / "start.png"), full_page=True)
    new = page.locator("#new")
    new.get_by_label("年份").fill("2031")
    new.get_by_label("简称").fill("Start New")
    new.get_by_role("button", name="新建活动").click()
    page.locator("#new-msg.bad").wait_for(timeout=10000)
    assert "活动编号" in page.locator("#new-msg").inner_text(), "the Chinese message names the field"
    page.screenshot(path=str(tmp_path / "refused.png"), full_page=True)
    assert new.get_by_label("照哪个活动的结构").input_value() == "2022-zhuhai", "the latest campaign by default"
    new.get_by_label("简称").fill("start-new")
    new.get_by_role("button", name="新建活动").click()
    page.wait_for_url("**/admin/#/collections/campaigns/entries/2031-start-new", timeout=60000)
    page.get_by_label("通知标题").wait_for(timeout=30000)
    assert page.get_by_label("通知标题").input_value() == "待填写"
    page.screenshot(path=str(tmp_path / "new-in-form.png"))
    page.goto(preview.base + "admin/start.html")
    form = page.locator("#import")
    form.get_by_label("通知文件").set_input_files(str(NOTICE))
    form.get_by_label("年份").fill("2031")
    form.get_by_label("简称").fill("zhuhai")
    form.get_by_role("button", name="导入通知").click()
    page.wait_for_url("**/admin/#/collections/campaigns/entries/2031-zhuhai", timeout=60000)
    page.get_by_label("通知标题").wait_for(timeout=30000)
    assert "珠海" in page.get_by_label("通知标题").input_value()
    page.screenshot(path=str(tmp_path / "import-in-form.png"))
    assert errors == [], errors
    context.close()
    assert _draft(preview.content / "2031-start-new") and _draft(preview.content / "2031-zhuhai")
    assert (preview.content / "2031-zhuhai" / "notice.md").is_file()


# --- the deployed site: requests in inbox/, carried out by the repository's workflow -------------------


def _inbox(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the seed content and an empty inbox beside it."""
    shutil.copytree(CONTENT, tmp_path / "content")
    (tmp_path / "inbox").mkdir()
    return tmp_path / "inbox", tmp_path / "content"


def test_the_deployed_editor_commits_requests_into_the_inbox_and_the_preview_has_none():
    deployed = {c["name"]: c for c in admin.cms_config("content", ())["collections"]}
    assert deployed["inbox"]["folder"] == admin.INBOX == "inbox" and deployed["inbox"]["create"] is True
    notice = next(f for f in deployed["inbox"]["fields"] if f["name"] == "notice")
    assert notice["media_folder"] == "/inbox", "the notice is committed beside its request, not into content/assets/"
    assert "inbox" not in {c["name"] for c in admin.cms_config("content", (), local_api="http://x/v1")["collections"]}


@pytest.mark.slow
def test_the_inbox_makes_the_same_drafts_as_new_and_import(tmp_path):
    inbox, content = _inbox(tmp_path)
    shutil.copy(NOTICE, inbox / "通知.txt")
    (inbox / "2031-zhuhai.yml").write_text("kind: import\nid: 2031-zhuhai\nnotice: /inbox/通知.txt\n", encoding="utf-8")
    (inbox / "2031-national.yml").write_text("kind: new\nid: 2031-national\n", encoding="utf-8")
    lines, ok = inbox_mod.process(inbox, content)
    assert ok, lines
    assert _draft(content / "2031-zhuhai") and _draft(content / "2031-national")
    assert "珠海" in yaml.safe_load((content / "2031-zhuhai" / "campaign.yaml").read_text(encoding="utf-8"))["title"]
    assert yaml.safe_load((content / "2031-national" / "campaign.yaml").read_text(encoding="utf-8"))["copied_from"] == "2022-zhuhai"
    assert list(inbox.iterdir()) == [], "requests that worked are removed with their notices"


@pytest.mark.parametrize("request_text, says", [
    ("kind: new\nid: 2022-national\n", "已经存在"),
    ("kind: new\nid: 2031-Bad\n", "活动编号"),
    ("kind: import\nid: 2031-x\nnotice: /inbox/missing.txt\n", "inbox/"),
    ("kind: import\nid: 2031-x\nnotice: ../content/site.yaml\n", "不是"),
    ("kind: delete\nid: 2031-x\n", "new"),
    ("- not a mapping\n", "new"),
])
def test_a_request_that_cannot_be_done_stays_and_says_why(tmp_path, request_text, says):
    inbox, content = _inbox(tmp_path)
    (inbox / "request.yml").write_text(request_text, encoding="utf-8")
    before = sorted(p.name for p in content.iterdir())
    lines, ok = inbox_mod.process(inbox, content)
    assert not ok and says in "\n".join(lines), lines
    assert (inbox / "request.yml").is_file() and sorted(p.name for p in content.iterdir()) == before


def test_the_workflow_runs_build_py_inbox_on_pushes_to_the_inbox():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "inbox.yml").read_text(encoding="utf-8"))
    on = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert on["push"]["paths"] == ["inbox/**"] and on["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "write"}
    steps = workflow["jobs"]["inbox"]["steps"]
    runs = "\n".join(s.get("run", "") for s in steps)
    assert "pip install --require-hashes --no-deps -r requirements.lock" in runs and "npm ci --ignore-scripts" in runs
    assert "python build.py inbox" in runs and "git add -A content inbox" in runs and "git push" in runs
    assert all("@" in s["uses"] for s in steps if "uses" in s), "actions pinned to a version"


@needs_node
@pytest.mark.browser
def test_the_deployed_start_page_explains_the_inbox_under_the_sites_policy(tmp_path, browser):
    """Built for Netlify (no local backend): start.html shows the inbox way, not the forms, with no CSP violation."""
    from test_admin import sitecheck_build

    out = sitecheck_build(tmp_path)
    with sitecheck.serve(out) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        problems: list[str] = []
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("console", lambda m: "Content Security Policy" in m.text and problems.append(m.text))
        page.goto(url + "admin/start.html")
        page.locator("#deployed").wait_for(state="visible", timeout=10000)
        assert page.locator("#local").is_hidden()
        text = page.locator("#deployed").inner_text()
        assert "新建活动 / 导入通知" in text and "GitHub Actions" in text
        page.screenshot(path=str(tmp_path / "deployed.png"), full_page=True)
        context.close()
    assert problems == [], problems


def test_a_refusal_of_the_system_is_said_not_raised(tmp_path, monkeypatch):
    """A full disk (or a folder made meanwhile) is a message on the page, not a server error the page cannot read."""
    import errno

    def full(*args) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(start.scaffold, "new_campaign", full)
    with pytest.raises(Refusal) as refused:
        start.new(tmp_path, "2031-a", "2022-a")
    assert refused.value.status == 500 and "No space left" in str(refused.value.message.params["reason"])


@needs_node
@pytest.mark.browser
def test_the_deployed_editors_request_form_has_its_fields(tmp_path, browser):
    """Decap takes the inbox collection: with its in-memory test backend in place of git-gateway (which needs Netlify),
    a new request shows what to do, the id checked by its pattern, the notice upload and the campaign to copy."""
    from test_admin import sitecheck_build

    out = sitecheck_build(tmp_path)
    config = out / "admin" / "config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("name: git-gateway", "name: test-repo", 1), encoding="utf-8")
    with sitecheck.serve(out) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        problems: list[str] = []
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(url + "admin/")
        page.get_by_role("button", name="登录").click()
        page.goto(url + "admin/#/collections/inbox/new")
        page.get_by_label("活动编号").wait_for(timeout=30000)
        for label in ("做什么", "通知原件（导入通知时）", "照哪个活动的结构（新建活动时）"):
            assert page.get_by_text(label).count() >= 1, label
        page.get_by_label("活动编号").fill("2031-Bad")
        assert problems == [], problems
        page.get_by_role("button", name="发布").click()
        page.get_by_text("立即发布").click()
        page.get_by_text("简称只用小写英文字母").wait_for(timeout=10000)  # the pattern's message, and nothing committed
        page.screenshot(path=str(tmp_path / "request.png"))
        context.close()
    # Decap rejects its own save with `undefined` when a field is invalid (an uncaught rejection, its code, not ours).
    assert problems in ([], ["undefined"]), problems
