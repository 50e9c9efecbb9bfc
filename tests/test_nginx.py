"""`build.py nginx`: a real nginx (Debian's package) serves the built site with netlify.toml's headers, the 404 pages and
the redirects, from the printed server block included in a configuration of its own (a free port on 127.0.0.1, every
file of nginx's in a temporary folder)."""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_deploy import headers_for

from qm_site import headers
from sitecheck import CONTENT

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
pytestmark = pytest.mark.skipif(not Path(NGINX).is_file(), reason="nginx is not installed (apt-get install nginx; "
                                "scripts/install-deps.sh --test does)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """nginx serving a build of the seed content; yields (port, the built folder)."""
    tmp = tmp_path_factory.mktemp("nginx")
    public = tmp / "public"
    subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--content", str(CONTENT), "--out", str(public),
                    "--no-search", "-q"], check=True, cwd=tmp)
    admin = public / "admin"  # without npm's Decap packages the build has no web editor: its rules are served from stand-ins
    admin.mkdir(exist_ok=True)
    for name, text in (("index.html", "<!DOCTYPE html><title>admin</title>"), ("config.yml", "backend: {}\n")):
        if not (admin / name).exists():
            (admin / name).write_text(text)
    port = _free_port()
    block = subprocess.run([sys.executable, str(ROOT / "build.py"), "nginx", "--content", str(CONTENT), "--root", str(public),
                            "--listen", f"127.0.0.1:{port}"], check=True, cwd=tmp, capture_output=True, text=True).stdout
    (tmp / "site.conf").write_text(block)
    temps = "\n".join(f"    {kind}_temp_path {tmp / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # As root (a container), nginx's workers would switch to `nobody`, who cannot read pytest's private temporary folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    (tmp / "nginx.conf").write_text(
        f"{user}worker_processes 1;\ndaemon off;\npid {tmp / 'nginx.pid'};\nerror_log {tmp / 'error.log'} warn;\n"
        f"events {{ worker_connections 64; }}\nhttp {{\n    include /etc/nginx/mime.types;\n    access_log off;\n{temps}\n"
        f"    include {tmp / 'site.conf'};\n}}\n")
    check = subprocess.run([NGINX, "-t", "-p", str(tmp), "-e", str(tmp / "error.log"), "-c", str(tmp / "nginx.conf")],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen([NGINX, "-p", str(tmp), "-e", str(tmp / "error.log"), "-c", str(tmp / "nginx.conf")])
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield port, public
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def get(port: int, path: str, **extra: str) -> tuple[int, dict[str, str], bytes]:
    """GET path without following redirects: status, headers (a repeated name is an error), body."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers=extra)
    response = conn.getresponse()
    names = [name.lower() for name, _ in response.getheaders()]
    assert len(names) == len(set(names)), f"{path}: a header sent twice: {names}"
    out = (response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    conn.close()
    return out


def _sample_urls(public: Path) -> list[str]:
    """One URL of every kind of file netlify.toml has a rule for, and pages."""
    css = next((public / "assets").glob("site.*.css")).name
    ics = next(public.glob("*/*/schedule.ics")).relative_to(public).as_posix()
    one_ics = next(public.glob("*/*/ics/*.ics")).relative_to(public).as_posix()
    urls = ["/", "/2022/national/", "/en/2022/national/notice/", "/sitemap/", f"/assets/{css}", f"/{ics}", f"/{one_ics}",
            "/2022/national/campaign.json", "/feed.xml", "/en/feed.xml", "/sitemap.xml", "/robots.txt", "/admin/",
            "/admin/config.yml"]
    return urls


@pytest.mark.slow
def test_nginx_sends_netlify_tomls_headers(server):
    port, public = server
    for url in _sample_urls(public):
        status, sent, _ = get(port, url)
        assert status == 200, url
        for name, values in headers_for(url).items():
            assert sent.get(name.lower()) == values[-1], (url, name, sent.get(name.lower()))  # the later rule's value wins
        if "Cache-Control" not in headers_for(url):
            assert sent["cache-control"] == headers.REVALIDATE, url  # what Netlify sends by default
    assert get(port, "/")[1]["content-type"] == "text/html; charset=utf-8"


@pytest.mark.slow
def test_nginx_serves_the_sites_404_pages_with_the_headers(server):
    port, public = server
    for url, page in (("/no/such/page/", "404.html"), ("/en/no/such/page/", "en/404.html"), ("/_redirects", "404.html")):
        status, sent, body = get(port, url)
        assert status == 404, url
        assert body == (public / page).read_bytes(), url
        assert sent["content-security-policy"] == headers.SITE_CSP and sent["x-frame-options"] == "DENY", url


@pytest.mark.slow
def test_nginx_redirects_like_the_redirects_file(server):
    port, public = server
    for line in (public / "_redirects").read_text().splitlines():
        source, target, status = line.split()
        if status.rstrip("!") != "404":
            got, sent, _ = get(port, source)
            assert (got, sent["location"]) == (int(status.rstrip("!")), target), line
            assert sent["strict-transport-security"] == headers.HSTS
    status, sent, _ = get(port, "/2022/national")  # a folder without its slash: relative, so the reader's host and scheme stay
    assert (status, sent["location"]) == (301, "/2022/national/")


@pytest.mark.slow
def test_nginx_compresses_text(server):
    port, public = server
    css = next((public / "assets").glob("site.*.css")).name
    status, sent, _ = get(port, f"/assets/{css}", **{"Accept-Encoding": "gzip"})
    assert status == 200 and sent.get("content-encoding") == "gzip" and sent["cache-control"] == headers.IMMUTABLE
    (public / "robots.txt.gz").write_bytes(b"\x1f\x8b-precompressed")  # gzip_static: a name.gz beside a file is sent as it is
    assert get(port, "/robots.txt", **{"Accept-Encoding": "gzip"})[2] == b"\x1f\x8b-precompressed"
