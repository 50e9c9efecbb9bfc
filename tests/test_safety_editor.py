"""The web editor's backend can touch content/ and nothing else, and never overwrites a file it cannot read (issue 30).

Three layers, each tested here: `cms.vet` (which actions and paths the form may ask for, pure), the backend itself
(decap-server's middleware behind backend.js, on a Unix socket, with the editor's own YAML parser), and the preview's
proxy at /admin/api/<secret>/v1 (Host, Origin, secret), through a real `serve --cms`. The YAML that `check` accepts is
read the same by the `yaml` package Decap is built with: every content file, and generated documents.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qm_site.authoring import cms
from qm_site.errors import QmError
from qm_site.source import yamlio
from sitecheck import CONTENT

ROOT = Path(__file__).resolve().parent.parent
NODE = shutil.which("node")
MODULES = ROOT / "node_modules"
needs_node = pytest.mark.skipif(NODE is None or not (MODULES / "decap-server").is_dir() or not (MODULES / "yaml").is_dir(),
                                reason="needs Node.js and `npm ci` (decap-server, decap-cms, yaml); CI has them")


def _png() -> bytes:
    """A small PNG written by Pillow."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (183, 28, 28)).save(out, "PNG")
    return out.getvalue()


PNG = _png()


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the seed content, with a file beside it that no editor may touch."""
    shutil.copytree(CONTENT, tmp_path / "content")
    (tmp_path / "secret.txt").write_text("outside\n", encoding="utf-8")
    return tmp_path / "content"


def refused(request: dict, root: Path, uploaded: set[str] | None = None) -> int:
    """The status `vet` refuses a request with (0 when it lets it through)."""
    try:
        cms.vet(request, root, set() if uploaded is None else uploaded)
    except cms.Refusal as refusal:
        return refusal.status
    return 0


# --- what the form may ask ----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["../secret.txt", "/etc/passwd", ".git/config", "build.py", "2022-zhuhai/../../secret.txt",
                                  "2022-zhuhai/../site.yaml", "./site.yaml", "2022-zhuhai\\campaign.yaml", "2022-zhuhai/.x.md",
                                  "templates/base.html", "2022-zhuhai/campaign.yaml\n", "２０２２-zhuhai/campaign.yaml",
                                  "2022-zhuhai/missing.md", "assets/logo.png", "", None, 7])
def test_entries_outside_the_campaign_files_are_refused(content, path):
    assert refused({"action": "getEntry", "params": {"branch": "main", "path": path}}, content) in (403, 404)
    save = {"slug": "x", "path": path, "raw": "year: 2022\n"}
    persist = {"action": "persistEntry", "params": {"branch": "main", "dataFiles": [save], "assets": []}}
    assert refused(persist, content) in (403, 404)


def test_the_campaign_files_and_site_yaml_are_allowed(content):
    for path in ("site.yaml", "2022-zhuhai/campaign.yaml", "2022-zhuhai/notice.md", "2022-national/attachment-1.md"):
        assert refused({"action": "getEntry", "params": {"branch": "main", "path": path}}, content) == 0, path
    files = [{"path": "2022-zhuhai/campaign.yaml"}, {"path": "site.yaml"}]
    assert refused({"action": "entriesByFiles", "params": {"branch": "main", "files": files}}, content) == 0


def test_a_link_inside_the_content_folder_is_not_followed(content):
    (content / "2099-link").mkdir()
    (content / "2099-link" / "campaign.yaml").symlink_to(content.parent / "secret.txt")
    assert refused({"action": "getEntry", "params": {"branch": "main", "path": "2099-link/campaign.yaml"}}, content) == 404


@pytest.mark.parametrize("action", ["entriesByFolder", "unpublishedEntries", "publishUnpublishedEntry", "deleteUnpublishedEntry",
                                    "updateUnpublishedEntryStatus", "exec", ""])
def test_actions_the_form_does_not_need_are_refused(content, action):
    assert refused({"action": action, "params": {"branch": "main", "folder": ".", "extension": "yaml", "depth": 9}}, content) == 403


def test_a_save_may_not_move_or_rename(content):
    save = {"slug": "x", "path": "2022-zhuhai/notice.md", "raw": "x", "newPath": "../secret.txt"}
    assert refused({"action": "persistEntry", "params": {"branch": "main", "dataFiles": [save], "assets": []}}, content) == 403


def _upload(path: str, data: bytes) -> dict:
    return {"action": "persistMedia", "params": {"branch": "main", "asset": {
        "path": path, "content": base64.b64encode(data).decode(), "encoding": "base64"}}}


@pytest.mark.parametrize("path, data", [
    ("assets/page.html", b"<!doctype html><script src=x.js></script>"),
    ("assets/x.js", b"fetch('/admin/api')"),
    ("assets/evil.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ("assets/photo.png", b"<html>not a png</html>"),
    ("../.git/config", PNG), ("assets/../../build.py", PNG), ("assets/sub/x.png", PNG), ("assets/.hidden.png", PNG),
])
def test_uploads_of_other_kinds_or_places_are_refused(content, path, data):
    uploaded: set[str] = set()
    assert refused(_upload(path, data), content, uploaded) in (403, 415)
    assert uploaded == set()


def test_an_image_upload_is_allowed_and_only_it_may_be_deleted(content):
    uploaded: set[str] = set()
    assert refused(_upload("assets/logo.png", PNG), content, uploaded) == 0
    assert uploaded == {"assets/logo.png"}
    assert refused({"action": "deleteFile", "params": {"branch": "main", "path": "assets/logo.png"}}, content, uploaded) == 0
    for path in ("assets/other.png", "2022-zhuhai/campaign.yaml", "../secret.txt"):
        assert refused({"action": "deleteFile", "params": {"branch": "main", "path": path}}, content, uploaded) == 403
    assert refused({"action": "deleteFiles", "params": {"branch": "main", "paths": ["assets/logo.png", "site.yaml"]}},
                   content, uploaded) == 403


def test_the_media_library_lists_only_the_media_folder(content):
    assert refused({"action": "getMedia", "params": {"branch": "main", "mediaFolder": "assets"}}, content) == 0
    for folder in (".", "..", "assets/..", "2022-zhuhai"):
        assert refused({"action": "getMedia", "params": {"branch": "main", "mediaFolder": folder}}, content) == 403


# --- the YAML check accepts is the YAML the editor reads -----------------------------------------

EDITOR_READ = r"""
const fs = require('fs');
const yaml = require(process.argv[1]);
const out = [];
for (const text of JSON.parse(fs.readFileSync(0, 'utf8'))) {
  const doc = yaml.parseDocument(text, { prettyErrors: true });  // decap-cms-core's formats/yaml.js fromFile
  out.push(doc.errors.length ? { error: doc.errors[0].message.split('\n')[0] } : { data: doc.toJSON() });
}
process.stdout.write(JSON.stringify(out));
"""


def editor_reads(texts: list[str]) -> list[dict]:
    """How the web editor's YAML parser (the `yaml` package decap-cms-core is built with) reads each text."""
    run = subprocess.run([NODE, "-e", EDITOR_READ, str(MODULES / "yaml")], input=json.dumps(texts), capture_output=True,
                         text=True, timeout=60, check=True)
    return json.loads(run.stdout)


def ours(text: str):
    """How check reads a text: its data, or the QmError."""
    try:
        node = yamlio.load(text, "t.yaml")
    except QmError as exc:
        return exc
    return None if node is None else node.plain()


@needs_node
def test_every_content_file_reads_the_same_in_the_editor():
    files = sorted([*CONTENT.rglob("*.yaml"), ROOT / "tests" / "fixtures" / "site.yaml"])
    texts = [p.read_text(encoding="utf-8") for p in files]
    for path, text, read in zip(files, texts, editor_reads(texts)):
        assert read == {"data": ours(text)}, path


_WORDS = st.sampled_from(["质量月", "abc", "9月1日", "2022-09-01", "yes", "no", "010-1234", "12", "1.5", "true", "null",
                          "“质量月”", "a, b", "x#y", "全国 质量"])
_INDENTS = st.integers(min_value=0, max_value=4)


@st.composite
def wrapped_value(draw) -> tuple[str, str]:
    """A value as an editor may write it: plain, quoted or a [flow] list, some of them continued over lines."""
    words = draw(st.lists(_WORDS, min_size=1, max_size=3))
    style = draw(st.sampled_from(["plain", '"', "'", "flow"]))
    breaks = [draw(st.sampled_from([" ", "\n", "\n\n"])) for _ in words[1:]]
    pads = [" " * draw(_INDENTS) for _ in words[1:]]
    body = words[0] + "".join(b + p + w for b, p, w in zip(breaks, pads, words[1:]))
    if style == "flow":
        rest = "".join(f",{b}{p}\"{w}\"" for b, p, w in zip(breaks, pads, words[1:]))
        body = "[" + ", ".join(f'"{w}"' for w in words[:1]) + rest + "]"
        return style, body
    return style, body if style == "plain" else style + body + style


@st.composite
def document(draw) -> str:
    """A small campaign-like document: keys at two levels and a list, with generated values."""
    lines = []
    for key in ("title", "theme"):
        lines.append(f"{key}: {draw(wrapped_value())[1]}")
    lines.append("contacts:")
    indent = " " * draw(st.sampled_from([0, 2]))
    for _ in range(draw(st.integers(min_value=1, max_value=2))):
        lines.append(f"{indent}- name: {draw(wrapped_value())[1]}")
        lines.append(f"{indent}  phone: {draw(wrapped_value())[1]}")
    lines.append("slogans:")
    lines.append(f"{indent}- {draw(wrapped_value())[1]}")
    return "\n".join(lines) + "\n"


@pytest.mark.slow
@needs_node
@settings(max_examples=12)
@given(st.lists(document(), min_size=40, max_size=40))
def test_what_check_accepts_the_editor_reads_the_same(texts):
    for text, read in zip(texts, editor_reads(texts)):
        mine = ours(text)
        if isinstance(mine, QmError):
            continue  # check refuses it: nobody publishes it, and the form never saves over it (below)
        assert read == {"data": mine}, text


# --- the backend: decap-server's middleware behind backend.js --------------------------------------


@pytest.fixture
def backend(content):
    """The backend for the copied content, stopped after the test."""
    running = cms.start(content, NODE, MODULES)
    yield running
    cms.stop(running)


def ask(backend: cms.Backend, action: str, **params) -> tuple[int, object]:
    """One vetted request to the backend: (status, JSON answer)."""
    if action == "persistEntry":  # what Decap sends with every save (decap-server requires it)
        params.setdefault("options", {"commitMessage": "Update", "useWorkflow": False, "status": "draft"})
    request = cms.vet({"action": action, "params": {"branch": "main", **params}}, backend.root, backend.uploaded)
    status, body = cms.forward(backend, json.dumps(request).encode())
    return status, json.loads(body)


WRAPPED = 'year: 2022\nslug: zhuhai\ntitle: "关于组织开展2022年珠海市企业\n“质量月”活动的通知"\nissuer: 珠海市质量协会\n'


@needs_node
def test_the_backend_reads_and_saves_inside_the_content_folder_only(backend, content):
    status, entry = ask(backend, "getEntry", path="2022-zhuhai/campaign.yaml")
    assert status == 200 and entry["data"] == (content / "2022-zhuhai" / "campaign.yaml").read_text(encoding="utf-8")
    text = (content / "2022-zhuhai" / "notice.md").read_text(encoding="utf-8") + "\n一行新的文字。\n"
    status, _ = ask(backend, "persistEntry", dataFiles=[{"slug": "x", "path": "2022-zhuhai/notice.md", "raw": text}], assets=[])
    assert status == 200 and (content / "2022-zhuhai" / "notice.md").read_text(encoding="utf-8") == text
    # decap-server itself resolves paths under its root, the content folder: even a request past the proxy stays in
    status, body = cms.forward(backend, json.dumps({"action": "getEntry", "params": {"branch": "main",
                                                                                       "path": "../secret.txt"}}).encode())
    assert status == 422 and "secret" not in body.decode().replace("../secret.txt", "")
    assert (content.parent / "secret.txt").read_text(encoding="utf-8") == "outside\n"


@needs_node
def test_a_file_the_editor_cannot_read_opens_as_an_error_and_is_never_overwritten(backend, content):
    path = content / "2022-zhuhai" / "campaign.yaml"
    path.write_text(WRAPPED, encoding="utf-8")
    status, answer = ask(backend, "getEntry", path="2022-zhuhai/campaign.yaml")
    assert status == 422 and "2022-zhuhai/campaign.yaml:3:" in answer["error"] and "build.py check" in answer["error"]
    empty_form = "year: 2022\nslug: zhuhai\ntitle: 新标题\nissuer: 珠海市质量协会\n"  # what saving the empty form wrote
    status, answer = ask(backend, "persistEntry", dataFiles=[{"slug": "x", "path": "2022-zhuhai/campaign.yaml",
                                                               "raw": empty_form}], assets=[])
    assert status == 409 and "不能在网页中打开或保存" in answer["error"]
    assert path.read_text(encoding="utf-8") == WRAPPED


@needs_node
def test_a_save_that_drops_keys_the_file_had_is_refused(backend, content):
    path = content / "2022-zhuhai" / "campaign.yaml"
    before = path.read_text(encoding="utf-8")
    four_lines = {"slug": "x", "path": "2022-zhuhai/campaign.yaml",
                  "raw": "year: 2022\nslug: zhuhai\ntitle: 只剩四行\nissuer: 某单位\n"}
    status, answer = ask(backend, "persistEntry", dataFiles=[four_lines], assets=[])
    assert status == 409 and "schedules" in answer["error"] and "没有保存" in answer["error"]
    assert path.read_text(encoding="utf-8") == before


@needs_node
def test_the_backend_listens_on_no_tcp_port_and_ends_with_its_parent(content, tmp_path):
    script = ("import sys, time; from pathlib import Path; from qm_site.authoring import cms; "
              f"b = cms.start(Path({str(content)!r}), {NODE!r}, Path({str(MODULES)!r})); "
              "print(b.proc.pid, flush=True); time.sleep(600)")
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        child = int(parent.stdout.readline())
        assert _tcp_listeners(child) == set(), "browsers can reach only the preview"
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        assert _ends(child, 10), "the backend outlived a kill -9 of its preview"
    finally:
        parent.kill()


def _tcp_listeners(pid: int) -> set[int]:
    """The TCP ports process `pid` listens on (from /proc)."""
    inodes = {os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")}
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            cols = row.split()
            if cols[3] == "0A" and f"socket:[{cols[9]}]" in inodes:  # 0A: LISTEN
                ports.add(int(cols[1].rsplit(":", 1)[1], 16))
    return ports


def _ends(pid: int, seconds: float) -> bool:
    """Whether process `pid` is gone (or a zombie) within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return True
        if state == "Z":
            return True
        time.sleep(0.1)
    return False


# --- the preview's proxy: Host, Origin, secret, through a real serve --cms --------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(content, tmp_path):
    """`serve --cms` on the copied content, started from another folder (the content is outside the project)."""
    port = _free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--cms", "--content", str(content),
                             "--port", str(port), "--out", str(tmp_path / "out")], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    config = ""
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            config = urllib.request.urlopen(base + "/admin/config.yml", timeout=2).read().decode()
            break
        except OSError:
            time.sleep(0.2)
    assert config, proc.stdout.read() if proc.poll() is not None else "serve --cms did not answer"
    api = re.search(rf"url: {base}(/admin/api/[A-Za-z0-9_-]+/v1)", config).group(1)
    yield base, port, api
    proc.send_signal(signal.SIGINT)
    printed, _ = proc.communicate(timeout=30)
    assert "Traceback" not in printed, printed


def post(url: str, body: dict, **headers) -> tuple[int, dict]:
    """POST JSON: (status, JSON answer)."""
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        text = error.read().decode()
        return error.code, json.loads(text) if text.startswith("{") else {"error": text}


@needs_node
@pytest.mark.slow
def test_the_proxy_checks_host_origin_and_secret(served, content):
    base, port, api = served
    read = {"action": "getEntry", "params": {"branch": "main", "path": "2022-zhuhai/campaign.yaml"}}
    mine = {"Origin": base}
    status, entry = post(base + api, read, **mine)
    assert status == 200 and "珠海" in entry["data"]
    assert post(base + api, read)[0] == 403, "no Origin: not a page of this preview"
    assert post(base + api, read, Origin="http://127.0.0.1:9")[0] == 403, "another local server's page"
    assert post(base + api, read, Origin="null")[0] == 403
    assert post(base + api, read, Origin=base, **{"Sec-Fetch-Site": "cross-site"})[0] == 403
    assert post(base + api.replace("/v1", "x/v1").replace("api/", "api/0"), read, **mine)[0] in (403, 404)
    assert post(base + "/admin/api/not-the-secret/v1", read, **mine)[0] == 403
    assert post(base + api, read, Host=f"evil.example:{port}", Origin=f"http://evil.example:{port}")[0] == 403
    status, answer = post(base + api, {"action": "persistEntry", "params": {"branch": "main", "assets": [], "dataFiles": [
        {"slug": "x", "path": "../.git/config", "raw": "[core]\n\tfsmonitor = touch /tmp/pwned\n"}]}}, **mine)
    assert status == 403 and "只编辑" in answer["error"], answer
    assert not (content.parent / ".git").exists()


@needs_node
@pytest.mark.slow
def test_the_preview_sends_the_sites_security_policy(served):
    base, _, _ = served
    with urllib.request.urlopen(base + "/") as page:
        policy = page.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "upgrade-insecure-requests" not in policy
        assert page.headers["X-Content-Type-Options"] == "nosniff" and page.headers["X-Frame-Options"] == "DENY"
    with urllib.request.urlopen(base + "/admin/") as editor:
        assert "'unsafe-eval'" in editor.headers["Content-Security-Policy"]


@needs_node
@pytest.mark.browser
@pytest.mark.slow
def test_in_chromium_a_file_the_editor_cannot_read_shows_the_error_not_an_empty_form(served, content, browser):
    """The data-loss path found by the attack trial: an empty form, filled in and published, wrote 4 lines over 128."""
    base, _, _ = served
    path = content / "2022-zhuhai" / "campaign.yaml"
    before = path.read_text(encoding="utf-8")
    wrapped = re.sub(r"^title: .*$", 'title: "关于组织开展2022年珠海市企业\n“质量月”活动的通知"', before, count=1, flags=re.M)
    path.write_text(wrapped, encoding="utf-8")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base + "/admin/")
    page.get_by_role("button", name="登录").click()
    page.get_by_text("2022-zhuhai · ").click()
    page.get_by_text("网页编辑器读不懂这个文件").first.wait_for(timeout=30000)
    assert page.get_by_label("活动主题").count() == 0, "no form to fill in and publish"
    context.close()
    assert path.read_text(encoding="utf-8") == wrapped
