"""Helpers for checking a built site like a user would: pages, links, a local server, Chromium.

Pure functions over an output folder, shared by the tests (via conftest.py) and by
scripts/screenshots.py; nothing here imports qm_site, so it works on any built folder.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
# The tests' own frozen copy of the seed content (tests/fixtures/site/README.md): never the checkout's content/, so an
# editor's unfinished draft there changes nothing the suite sees.
CONTENT = Path(__file__).resolve().parent / "fixtures" / "site" / "content"
CHROMIUM = Path(os.environ.get("QM_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


# --- pages -----------------------------------------------------------------------------


def copy_seed(tmp_path: Path, monkeypatch) -> Path:
    """A copy of the seed content in tmp_path/content, tmp_path the working folder (tests never touch the real tree)."""
    import shutil

    shutil.copytree(CONTENT, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_cli(capsys, *argv: str) -> tuple[int, str]:
    """Run the command line in this process; (exit code, stderr), with no traceback allowed."""
    from qm_site import cli

    code = cli.main(list(argv))
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def html_files(site: Path) -> list[str]:
    """Every HTML file of a built site, as sorted posix paths relative to the site root.

    Not admin/: the web editor is Decap's own page (its app draws everything), checked by test_admin.py.
    """
    return sorted(rel for rel in (p.relative_to(site).as_posix() for p in site.rglob("*.html")) if not rel.startswith("admin/"))


def viewable_pages(site: Path) -> list[str]:
    """HTML files a user actually sees: all but <meta refresh> redirect stubs (they navigate away at once)."""
    return [rel for rel in html_files(site) if not parse_page(site / rel).refresh]


def page_url(rel: str) -> str:
    """The URL path (no leading slash) a user types for a file: '2022/x/index.html' -> '2022/x/'."""
    if rel == "index.html" or rel.endswith("/index.html"):
        return rel[: -len("index.html")]
    return rel


def page_kind(rel: str) -> str:
    """The page type of an output file: home, campaign, notice, …, library, 404 (language-independent)."""
    parts = page_url(rel.removeprefix("en/")).rstrip("/").split("/")
    if parts == [""]:
        return "home"
    if parts == ["404.html"]:
        return "404"
    if parts[0] == "slogans":
        return "library" if len(parts) == 1 else "library-year"
    if len(parts) < 2:
        return parts[0]  # e.g. latest/
    if len(parts) == 2:
        return "campaign"
    return parts[2] if len(parts) == 3 else f"{parts[2]}-sheet"  # posters/ and the sheets under it


# --- parsing ---------------------------------------------------------------------------


@dataclass
class Link:
    """One href or src found in a page."""

    tag: str
    attr: str
    value: str
    line: int


@dataclass
class ParsedPage:
    """What the link checker needs from one HTML file."""

    ids: set[str] = field(default_factory=set)
    links: list[Link] = field(default_factory=list)
    lang: str | None = None
    refresh: bool = False  # a <meta http-equiv=refresh> redirect stub, never seen by a user


class _PageParser(HTMLParser):
    """Collects ids, href/src attributes and the <html lang>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record ids, link targets and the document language."""
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.page.ids.add(value)
            elif name in ("href", "src"):
                self.page.links.append(Link(tag, name, value, self.getpos()[0]))
            elif name == "lang" and tag == "html":
                self.page.lang = value
            elif name == "http-equiv" and tag == "meta" and value.lower() == "refresh":
                self.page.refresh = True


@functools.cache
def parse_page(path: Path) -> ParsedPage:
    """Parse one HTML file with html.parser (cached: files of a built site do not change)."""
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser.page


# --- links -----------------------------------------------------------------------------


def netlify_redirects(site: Path) -> dict[str, str]:
    """Exact `from -> to` redirects (3xx or 200 rewrites) of the site's Netlify `_redirects` file."""
    rules: dict[str, str] = {}
    file = site / "_redirects"
    if file.is_file():
        for line in file.read_text(encoding="utf-8").splitlines():
            fields = line.split()
            if len(fields) < 2 or fields[0].startswith("#") or "*" in fields[0] or ":" in fields[0]:
                continue
            status = fields[2].rstrip("!") if len(fields) > 2 else "301"
            if status.startswith("3") or status == "200":
                rules[fields[0]] = fields[1]
    return rules


def internal_path(page_rel: str, ref: str, base_url: str) -> tuple[str, str] | None:
    """(path from the site root, fragment) of a link, or None for external links (other hosts, mailto:, tel:)."""
    if base_url and ref.startswith(base_url):
        ref = "/" + ref[len(base_url):]
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc:
        return None
    joined = urlsplit(urljoin("/" + page_rel, ref))
    return unquote(joined.path), unquote(joined.fragment)


def target_file(site: Path, path: str, redirects: dict[str, str]) -> tuple[Path | None, str]:
    """The file a URL path is served from (directory URLs -> index.html), or None and why not."""
    path = redirects.get(path, path)
    file = site / path.lstrip("/")
    if path.endswith("/"):
        file = file / "index.html"
    elif file.is_dir():
        return None, "directory link without a trailing slash"
    if not file.is_file():
        return None, f"no file {file.relative_to(site).as_posix()}"
    return file, ""


def broken_links(site: Path, base_url: str = "") -> list[str]:
    """Every internal href/src that does not resolve to a file, or whose #fragment is not an id there."""
    redirects = netlify_redirects(site)
    problems = []
    for rel in html_files(site):
        for link in parse_page(site / rel).links:
            where = f"{rel}:{link.line}: <{link.tag} {link.attr}=\"{link.value}\">"
            resolved = internal_path(rel, link.value, base_url)
            if resolved is None:
                continue
            path, fragment = resolved
            file, why = target_file(site, path, redirects)
            if file is None:
                problems.append(f"{where}: {why}")
            elif fragment and file.suffix == ".html" and fragment not in parse_page(file).ids:
                problems.append(f"{where}: no id=\"{fragment}\" in {file.relative_to(site).as_posix()}")
    return problems


# --- serving -------------------------------------------------------------------------


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site quietly; a missing path gets /404.html with status 404, as on Netlify."""

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - signature from the base class
        """Stay quiet: tests and scripts print their own output."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer 404s with the site's own 404 page, like the production host."""
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 (a free port) from a child process; yields the base URL, ending in '/'.

    A process, not a thread: qm_site forks (poster font subsets, build workers) only while it runs no other thread, so
    a server thread left in the test process would change what every later test exercises, by the order they run in.
    """
    proc = subprocess.Popen([sys.executable, __file__, str(site)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        port = proc.stdout.readline().strip()
        if not port.isdigit():
            raise RuntimeError(f"the site server for {site} did not start (exit {proc.wait()})")
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.stdin.close()  # its end of input is the server's signal to stop
        proc.wait(timeout=30)
        proc.stdout.close()


def _serve_until_stdin_ends(site: str) -> None:
    """The server process: print the port, answer until standard input ends (the parent closed it, or died)."""
    handler = functools.partial(SiteHandler, directory=site)
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=lambda: (sys.stdin.read(), server.shutdown()), daemon=True).start()
        print(server.server_port, flush=True)
        server.serve_forever()


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """Headless Chromium through Playwright (the system browser; never `playwright install`)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def vnu_errors(site: Path) -> list[str] | None:
    """The Nu HTML checker's errors on every page of a built site ("page:line: message"); None without java or vnu.jar."""
    import json
    import shutil
    import subprocess

    java = shutil.which("java")
    if java is None or not VNU_JAR.is_file():
        return None
    run = subprocess.run([java, "-jar", str(VNU_JAR), "--errors-only", "--skip-non-html", "--format", "json", str(site)],
                         capture_output=True, text=True, check=False)
    report = json.loads(run.stdout or run.stderr)
    return [f"{m.get('url', '').split(str(site))[-1]}:{m.get('lastLine', '?')}: {m['message']}"
            for m in report["messages"] if m["type"] in ("error", "non-document-error")]


# --- a site in its own look -------------------------------------------------------------

BLUE_THEME = """theme:
  primary: "#1d4f91"
  accent: "#0f7b8a"
  paper: "#f5f8fc"
  logo: logo.svg
  key_visual: banner.svg
"""
LOGO_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">'
            '<circle cx="48" cy="48" r="44" fill="#ffffff"/><circle cx="48" cy="48" r="34" fill="#1d4f91"/>'
            '<path d="M30 50 l12 12 l24 -28" fill="none" stroke="#ffffff" stroke-width="9" stroke-linecap="round"/></svg>\n')
BANNER_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="1920" height="480" viewBox="0 0 1920 480">'
              '<defs><linearGradient id="g" x1="0" x2="1"><stop offset="0" stop-color="#1d4f91"/>'
              '<stop offset="1" stop-color="#0f7b8a"/></linearGradient></defs><rect width="1920" height="480" fill="url(#g)"/>'
              '<circle cx="1600" cy="120" r="260" fill="#ffffff" fill-opacity=".12"/>'
              '<circle cx="1780" cy="420" r="180" fill="#ffffff" fill-opacity=".10"/>'
              '<path d="M0 400 C480 300 960 480 1920 340 V480 H0 Z" fill="#ffffff" fill-opacity=".18"/></svg>\n')
FOOTER_MARK = "主办单位：某市质量协会"  # what templates/examples/base.html adds to the footer
CSS_MARK = "/* the site's own site.css */"


def dress(root: Path) -> Path:
    """Give the seed content copied to root/content a look of its own: a blue theme with a logo and key visual in
    site.yaml, the repository's example footer override in root/templates/, a replaced site.css in root/assets/."""
    content = root / "content"
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + BLUE_THEME, encoding="utf-8")
    (content / "assets").mkdir(exist_ok=True)
    (content / "assets" / "logo.svg").write_text(LOGO_SVG, encoding="utf-8")
    (content / "assets" / "banner.svg").write_text(BANNER_SVG, encoding="utf-8")
    (root / "templates").mkdir()
    (root / "templates" / "base.html").write_bytes((ROOT / "templates" / "examples" / "base.html").read_bytes())
    (root / "assets").mkdir()
    css = (ROOT / "qm_site" / "assets" / "site.css").read_text(encoding="utf-8")
    (root / "assets" / "site.css").write_text(f"{CSS_MARK}\n{css}.site-footer {{ border-top: 4px solid var(--primary); }}\n",
                                              encoding="utf-8")
    return root


if __name__ == "__main__":
    _serve_until_stdin_ends(sys.argv[1])
