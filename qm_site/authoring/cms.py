"""`serve --cms`: Decap's local backend, the official `decap-server` proxy (npm, pinned), beside the preview.

decap-server writes what the form at /admin/ saves into the files on disk (its "fs" mode: no git commits);
the preview's watcher sees the change and rebuilds as after any other edit. It listens on 127.0.0.1 only,
on a free port that the preview's config.yml names (`local_backend`), and stops with the preview.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

from ..errors import QmError
from ..i18n import N_
from ..site.admin import Admin

HOST = "127.0.0.1"
SERVER = Path("node_modules") / "decap-server" / "dist" / "index.js"  # in the folder the command runs in, where `npm ci --ignore-scripts` puts it
START_SECONDS = 20  # node loads express and friends in about a second here; a slow disk may take longer


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def requirements(admin: Admin, cwd: Path | None = None) -> tuple[str, Path]:
    """node and decap-server's script; one clear error when either (or Decap itself) is missing."""
    node = shutil.which("node")
    hint = N_("install Node.js and npm (Debian: apt-get install nodejs npm), then run `npm ci --ignore-scripts` in this folder; "
              "`python3 build.py serve` without --cms needs neither")
    if node is None:
        raise QmError.at("serve --cms", 0, 0, N_("--cms needs Node.js, and `node` was not found"), hint)
    server = (cwd or Path.cwd()) / SERVER
    if not server.is_file() or admin.dist is None or admin.identity is None:
        raise QmError.at("serve --cms", 0, 0, N_("--cms needs the npm packages decap-server and decap-cms, which are not installed"),
                         hint)
    return node, server


def start(admin: Admin, node: str, server: Path) -> subprocess.Popen:
    """Run decap-server for admin.repo on admin.local_port; return once it answers, or say why it did not."""
    env = {**os.environ, "PORT": str(admin.local_port), "BIND_HOST": HOST, "MODE": "fs",
           "GIT_REPO_DIRECTORY": str(admin.repo), "LOG_LEVEL": "warn"}
    proc = subprocess.Popen([node, str(server)], env=env, cwd=admin.repo, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            with socket.create_connection((HOST, admin.local_port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.1)
    stop(proc)
    raise QmError.at("serve --cms", 0, 0, N_("decap-server did not start (exit status %(code)s)", code=proc.returncode),
                     N_("run `npm ci --ignore-scripts` again; what node printed above says why"))


def stop(proc: subprocess.Popen) -> None:
    """End decap-server (the process this preview started) and wait for it."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
