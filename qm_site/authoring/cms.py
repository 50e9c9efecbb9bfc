"""`serve --cms`: the web editor's file backend, confined to the content folder and reachable only through the preview.

Decap's local backend is decap-server's own local-fs middleware (npm, pinned), run by backend.js (package data)
with the content folder as its root, on a Unix socket in a private temporary folder: no browser, no other web
page and no other user can open it. The form at /admin/ talks to /admin/api/<secret>/v1 on the preview's own
origin; `BackendProxy` (serve.py) checks Host (as for every request), Origin (this preview's own), the run's secret,
the size, and every action and path with `vet` before `forward` hands the request on. So the form can read and save
the campaign files, their Markdown texts and site.yaml, and upload images and PDFs of the kinds the site publishes
into content/assets/, and nothing else: not .git, not build.py, not the templates, not a folder above the content.
The backend exits when its standard input closes, so it ends with the preview however the preview ends.
"""

from __future__ import annotations

import base64
import binascii
import http.client
import json
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import QmError
from ..i18n import N_, translate
from ..site.admin import Admin
from ..site.render import PACKAGE
from ..source import assets as assets_mod
from ..source.content import ASSETS_DIR, CAMPAIGN_FILE, SITE_FILE

SERVER = Path("node_modules") / "decap-server" / "dist" / "middlewares.js"  # in the folder the command runs in (`npm ci`)
BACKEND = PACKAGE / "admin" / "backend.js"
START_SECONDS = 20  # node loads express and friends in about a second here; a slow disk may take longer
MAX_BODY = 48 * 1024 * 1024  # one upload at the asset limit, in base64 (4/3), with room for the JSON around it
ANSWER_SECONDS = 60  # a save or a listing takes milliseconds; a backend that hangs must not hold the preview's request

# What the form may touch, relative to the content folder: site.yaml, a campaign's campaign.yaml and its Markdown
# texts (existing files only: the form edits, it does not create), and files directly in assets/ (the media folder).
CAMPAIGN = r"[0-9]{4}-[a-z0-9]+(?:-[a-z0-9]+)*"
ENTRY = re.compile(rf"{re.escape(SITE_FILE)}|{CAMPAIGN}/{re.escape(CAMPAIGN_FILE)}|{CAMPAIGN}/[a-z0-9]+(?:-[a-z0-9]+)*\.md",
                   re.ASCII)
MEDIA = re.compile(rf"{ASSETS_DIR}/[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*", re.ASCII)
READS = {"info", "getEntry", "entriesByFiles", "getMedia", "getMediaFile", "getDeployPreview"}
WRITES = {"persistEntry", "persistMedia", "deleteFile", "deleteFiles"}


class Refusal(Exception):
    """A request the backend is not asked to do: the HTTP status, the message the form shows and what to do (catalog messages)."""

    def __init__(self, status: int, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.status, self.message, self.hint = status, message, hint


@dataclass
class Backend:
    """A running backend: its process, socket and secret, and the media this run uploaded (the only files it may delete)."""

    proc: subprocess.Popen
    socket: Path
    secret: str
    root: Path
    uploaded: set[str] = field(default_factory=set)


# --- what the form may ask --------------------------------------------------------------------


def vet(request: object, root: Path, uploaded: set[str]) -> dict:
    """The request if the form may make it; a Refusal naming what is wrong otherwise. Uploads are checked by kind."""
    if not isinstance(request, dict) or not isinstance(request.get("action"), str):
        raise Refusal(400, N_("the request is not one the web editor sends"))
    action, params = request["action"], request.get("params") or {}
    if action not in READS | WRITES or not isinstance(params, dict):
        raise Refusal(403, N_("the web editor may not do `%(action)s` here", action=str(action)[:40]))
    if action == "getEntry":
        _entry(params.get("path"), root)
    elif action == "entriesByFiles":
        for item in _list(params.get("files")):
            _entry(item.get("path") if isinstance(item, dict) else None, root)
    elif action == "getMedia":
        if params.get("mediaFolder") != ASSETS_DIR:
            raise Refusal(403, N_("the web editor's media folder is %(folder)s/", folder=ASSETS_DIR))
    elif action == "getMediaFile":
        _media(params.get("path"))
    elif action == "persistEntry":
        _persist_entry(params, root, uploaded)
    elif action == "persistMedia":
        _upload(params.get("asset"), uploaded)
    elif action in ("deleteFile", "deleteFiles"):
        paths = [params.get("path")] if action == "deleteFile" else _list(params.get("paths"))
        for path in paths:
            if _media(path) not in uploaded:
                raise Refusal(403, N_("the web editor deletes only what it uploaded in this session; "
                                      "delete %(path)s by hand if it must go", path=str(path)[:200]))
    return request


def json_request(content_type: str, body: bytes) -> object:
    """The parsed JSON of a request the editor's pages send; a Refusal for any other kind or unreadable JSON."""
    if not content_type.startswith("application/json"):
        raise Refusal(415, N_("the request is not one the web editor sends"))
    try:
        return json.loads(body)
    except ValueError:
        raise Refusal(400, N_("the request is not one the web editor sends")) from None


def _list(value: object) -> list:
    """A list parameter, or a Refusal."""
    if not isinstance(value, list):
        raise Refusal(400, N_("the request is not one the web editor sends"))
    return value


def _entry(path: object, root: Path) -> str:
    """An existing content file the form edits (site.yaml, campaign.yaml, a campaign's .md), as given."""
    if not isinstance(path, str) or not ENTRY.fullmatch(path):
        raise Refusal(403, N_("the web editor edits only the campaign files and site.yaml of the content folder, "
                              "not %(path)s", path=str(path)[:200]))
    target = root / path
    if target.is_symlink() or not target.is_file():
        raise Refusal(404, N_("%(path)s is not a file of the content folder", path=path))
    return path


def _media(path: object) -> str:
    """A file name directly in the media folder, as given."""
    if not isinstance(path, str) or not MEDIA.fullmatch(path) or len(path) > 200:
        raise Refusal(403, N_("uploads go directly into %(folder)s/, named with letters, digits, '-', '_' and '.', "
                              "not %(path)s", folder=ASSETS_DIR, path=str(path)[:200]))
    return path


def _upload(asset: object, uploaded: set[str]) -> str:
    """An upload whose kind the site publishes (by its bytes, not its name); its path is noted as this run's."""
    if not isinstance(asset, dict) or asset.get("encoding") != "base64" or not isinstance(asset.get("content"), str):
        raise Refusal(400, N_("the request is not one the web editor sends"))
    path = _media(asset.get("path"))
    try:
        data = base64.b64decode(asset["content"], validate=True)
    except (binascii.Error, ValueError):
        raise Refusal(400, N_("the request is not one the web editor sends")) from None
    try:
        assets_mod.asset_kind(path, data)
    except QmError as exc:
        raise Refusal(415, exc.problems[0].message) from None
    uploaded.add(path)
    return path


def _persist_entry(params: dict, root: Path, uploaded: set[str]) -> None:
    """A save of existing content files (never a new path, never a move) with its uploads."""
    files = params.get("dataFiles") or [params.get("entry")]
    for item in _list(files):
        if not isinstance(item, dict) or not isinstance(item.get("raw"), str):
            raise Refusal(400, N_("the request is not one the web editor sends"))
        if item.get("newPath") not in (None, item.get("path")):
            raise Refusal(403, N_("the web editor does not move or rename content files"))
        _entry(item.get("path"), root)
    for asset in _list(params.get("assets", [])):
        _upload(asset, uploaded)


# --- the process ------------------------------------------------------------------------------


def requirements(admin: Admin, cwd: Path | None = None) -> tuple[str, Path]:
    """node and the node_modules folder holding decap-server; one clear error when either (or Decap itself) is missing."""
    node = shutil.which("node")
    hint = N_("install Node.js and npm (Debian: apt-get install nodejs npm), then run `npm ci` in this folder; "
              "`python3 build.py serve` without --cms needs neither")
    if node is None:
        raise QmError.at("serve --cms", 0, 0, N_("--cms needs Node.js, and `node` was not found"), hint)
    server = (cwd or Path.cwd()) / SERVER
    if not server.is_file() or admin.dist is None or admin.identity is None:
        raise QmError.at("serve --cms", 0, 0,
                         N_("--cms needs the npm packages decap-server and decap-cms, which are not installed"),
                         hint)
    return node, server.parents[2]


def start(content_dir: Path, node: str, modules: Path, secret: str | None = None) -> Backend:
    """Run the backend for content_dir on a fresh private socket; return once it answers, or say why it did not."""
    root = content_dir.resolve()
    folder = Path(tempfile.mkdtemp(prefix="qm-site-editor-"))  # mode 0700: the socket is this user's alone
    path = folder / "backend.sock"
    env = {"PATH": "/usr/bin:/bin", "QM_SOCKET": str(path), "QM_ROOT": str(root), "QM_MODULES": str(modules.resolve()),
           "NODE_ENV": "production"}
    proc = subprocess.Popen([node, str(BACKEND)], env=env, cwd=root, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    backend = Backend(proc, path, secret or secrets.token_urlsafe(24), root)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with socket.socket(socket.AF_UNIX) as s:
                s.connect(str(path))
            return backend
        except OSError:
            time.sleep(0.05)
    stop(backend)
    raise QmError.at("serve --cms", 0, 0, N_("decap-server did not start (exit status %(code)s)", code=proc.returncode),
                     N_("run `npm ci` again; what node printed above says why"))


def stop(backend: Backend) -> None:
    """End the backend (closing its standard input is enough; terminate if it lingers) and remove its socket folder."""
    proc = backend.proc
    if proc.stdin is not None:
        proc.stdin.close()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    shutil.rmtree(backend.socket.parent, ignore_errors=True)


class _UnixConnection(http.client.HTTPConnection):
    """An HTTP connection over the backend's Unix socket."""

    def __init__(self, path: Path, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self.path = path

    def connect(self) -> None:
        """Open the Unix socket instead of a TCP one."""
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(str(self.path))
        self.sock = sock


def forward(backend: Backend, body: bytes) -> tuple[int, bytes]:
    """Send a vetted request body to the backend: its (status, JSON body). Blocking: run it off the event loop."""
    conn = _UnixConnection(backend.socket, ANSWER_SECONDS)
    try:
        conn.request("POST", "/api/v1", body=body, headers={"Content-Type": "application/json"})
        answer = conn.getresponse()
        return answer.status, answer.read()
    finally:
        conn.close()


def refusal_body(refusal: Refusal) -> bytes:
    """The JSON the form shows for a refused request, in Chinese (the editor's language); with what to do, when known."""
    body = {"error": translate(refusal.message, "zh_CN")}
    if refusal.hint:
        body["hint"] = translate(refusal.hint, "zh_CN")
    return json.dumps(body, ensure_ascii=False).encode()
