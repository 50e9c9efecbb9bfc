"""Deployment: netlify.toml agrees with the README, its headers cover every output file, builds are reproducible."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from qm_site import cache
from sitecheck import CONTENT

ROOT = Path(__file__).resolve().parent.parent
NETLIFY = tomllib.loads((ROOT / "netlify.toml").read_text())
README = (ROOT / "README.md").read_text()
SECURITY = {"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy",
            "Strict-Transport-Security"}


def rule_matches(rule: str, url: str) -> bool:
    """Netlify path matching: `:name` is one segment, a trailing `*` is everything after."""
    pattern = "^" + "".join(
        "[^/]+" if part.startswith(":") else ".*" if part == "*" else re.escape(part)
        for part in re.split(r"(:[a-z]+|\*)", rule)
    ) + "$"
    return re.match(pattern, url) is not None


def headers_for(url: str) -> dict[str, list[str]]:
    """Every header value Netlify would send for a URL, listing values per name across matching rules."""
    out: dict[str, list[str]] = {}
    for rule in NETLIFY["headers"]:
        if rule_matches(rule["for"], url):
            for name, value in rule["values"].items():
                out.setdefault(name, []).append(value)
    return out


def test_build_command_and_publish_dir_are_the_readmes():
    build = NETLIFY["build"]
    assert build["publish"] == "public"
    assert f"`{build['command']}`" in README
    assert "publishes `public/`" in README
    assert NETLIFY["build"]["environment"]["PYTHON_VERSION"] == "3.11"
    assert "--drafts" in NETLIFY["context"]["deploy-preview"]["command"]
    for command in (build["command"], *(c["command"] for c in NETLIFY["context"].values())):
        assert command.startswith("pip install --require-hashes --no-deps -r requirements.lock && "), command


def test_deploys_keep_the_build_cache(monkeypatch):
    """Netlify restores and saves the folder qm_site.cache writes to, with the plugin package.json installs."""
    monkeypatch.delenv("QM_SITE_CACHE", raising=False)  # as on Netlify (the tests use a temporary cache)
    plugins = {p["package"]: p.get("inputs", {}) for p in NETLIFY.get("plugins", [])}
    assert plugins["netlify-plugin-cache"]["paths"] == [str(cache.cache_dir().relative_to(ROOT))]
    assert "netlify-plugin-cache" in json.loads((ROOT / "package.json").read_text())["devDependencies"]


def test_csp_forbids_inline_scripts():
    csp = headers_for("/")["Content-Security-Policy"][0]
    script = re.search(r"script-src ([^;]+)", csp).group(1)
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script


def test_netlify_sends_the_header_table_the_preview_sends():
    """qm_site.headers is the one table: netlify.toml says the same, the preview sends it less what needs HTTPS."""
    from qm_site import headers

    site, admin = headers_for("/"), headers_for("/admin/")
    assert site["Content-Security-Policy"] == [headers.SITE_CSP]
    assert admin["Content-Security-Policy"][-1] == headers.ADMIN_CSP  # the later rule's value replaces the earlier one
    assert site["Strict-Transport-Security"] == [headers.HSTS]
    for name, value in headers.SECURITY.items():
        assert site[name] == [value], name
    assert headers.preview_headers("/")["Content-Security-Policy"] == headers.SITE_CSP.replace("; upgrade-insecure-requests", "")


def test_netlify_toml_holds_the_whole_header_table():
    """Every [[headers]] rule of netlify.toml, in order, is headers.RULES' (nginx's block is made from the same table)."""
    from qm_site import headers

    assert [(rule["for"], rule["values"]) for rule in NETLIFY["headers"]] == [(rule, values) for rule, values in headers.RULES]


def test_hsts_keeps_browsers_on_https_for_a_year_without_preload():
    """includeSubDomains for the site's own subdomains; preload is the domain owner's call (hard to undo)."""
    hsts = headers_for("/")["Strict-Transport-Security"]
    assert hsts == ["max-age=31536000; includeSubDomains"]
    assert headers_for("/2022/national/campaign.json")["Strict-Transport-Security"] == hsts  # every path, data files too


def test_readme_quick_start_is_two_commands():
    block = README.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make site", "make test"]
    ci = (ROOT / ".ci/run").read_text()
    assert re.search(r"^make test$", ci, re.M), ".ci/run must run the README's test command"


@pytest.fixture(scope="module")
def built(site_dir: Path) -> Path:
    """The seed site as the production build makes it (the session's build: these tests only read it)."""
    return site_dir


def _urls(out: Path) -> list[tuple[Path, str]]:
    return [(p, "/" + p.relative_to(out).as_posix()) for p in sorted(out.rglob("*")) if p.is_file()]


def test_headers_cover_every_page_and_asset_type(built):
    kinds = set()
    for path, url in _urls(built):
        if url == "/_redirects":
            continue
        served = url[: -len("index.html")] if url.endswith("/index.html") else url
        h = headers_for(served)
        missing = SECURITY - set(h)
        assert not missing, f"{served} lacks {missing}"
        for name, values in h.items():
            if served.startswith("/admin/") and name == "Content-Security-Policy":
                continue  # the web editor's own policy replaces the site's (netlify.toml says why)
            assert len(values) == 1, f"{served}: {name} set by {len(values)} rules (Netlify would join them)"
        if url.startswith("/assets/"):
            assert re.search(r"\.[0-9a-f]{10}\.[a-z0-9]+$", url), f"{url} is not fingerprinted"
            assert h["Cache-Control"] == ["public, max-age=31536000, immutable"]
        else:
            assert "immutable" not in "".join(h.get("Cache-Control", [])), url
        if url.endswith(".ics"):
            assert h["Content-Type"][0].startswith("text/calendar")
        kinds.add(path.suffix)
    assert {".html", ".css", ".js", ".svg", ".ics", ".json", ".xml", ".txt"} <= kinds


def test_every_asset_reference_is_fingerprinted(built):
    for path in built.rglob("*.html"):
        for ref in re.findall(r'(?:href|src)="([^"]*assets/[^"]+)"', path.read_text()):
            assert re.search(r"\.[0-9a-f]{10}\.[a-z0-9]+$", ref), f"{path}: {ref}"
            target = built / ref.lstrip("/") if ref.startswith("/") else path.parent / ref  # 404 pages use root paths
            assert target.resolve().is_file(), f"{path}: {ref} missing"


def test_redirects_latest_and_404(built):
    rules = (built / "_redirects").read_text().splitlines()
    assert "/latest/ /2022/national/ 302!" in rules
    assert "/en/* /en/404.html 404" in rules
    assert (built / "404.html").is_file() and (built / "en/404.html").is_file()
    assert 'url=../2022/national/' in (built / "latest/index.html").read_text()


def _build(out: Path, env_extra: dict) -> dict[str, bytes]:
    env = {**os.environ, **env_extra}
    subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--content", str(CONTENT), "--out", str(out), "-q"],
                   check=True, cwd=ROOT, env=env)
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


@pytest.mark.slow
@pytest.mark.parametrize("epoch", [None, "1693526400"])
def test_builds_are_reproducible(tmp_path, epoch):
    env = {"SOURCE_DATE_EPOCH": epoch} if epoch else {}
    if not epoch:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    first = _build(tmp_path / "a", env)
    time.sleep(1.1)  # a different wall-clock second must not change a byte
    second = _build(tmp_path / "b", env)
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []
    if epoch:
        assert b"<updated>2023-09-01T00:00:00Z</updated>" in first["feed.xml"]
        assert int((tmp_path / "a" / "index.html").stat().st_mtime) == int(epoch)


@pytest.mark.slow
def test_bad_source_date_epoch_is_a_clear_error(tmp_path):
    env = {**os.environ, "SOURCE_DATE_EPOCH": "yesterday"}
    r = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--content", str(CONTENT), "--out", str(tmp_path / "o")],
                       capture_output=True, text=True, cwd=ROOT, env=env)
    assert r.returncode == 1 and "SOURCE_DATE_EPOCH must be seconds" in r.stderr and "Traceback" not in r.stderr


def test_build_py_runs_itself_in_the_project_venv():
    """README commands work without activating anything: a python3 outside any venv re-runs build.py in .venv/."""
    venv = ROOT / ".venv"
    if not (venv / "bin" / "python").exists():
        pytest.skip(".venv/ is not made yet (make site makes it)")
    base = Path(sys.base_prefix) / "bin" / "python3"
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    r = subprocess.run([str(base), str(ROOT / "build.py"), "--version"], capture_output=True, text=True, env=env, check=True)
    assert r.stdout.strip().endswith(f", {venv})"), r.stdout


def test_the_printable_publishing_guide_is_the_readmes():
    """docs/publishing-guide.zh.md is the README's step-by-step guide, for printing: it may not drift from it."""
    guide = (ROOT / "docs" / "publishing-guide.zh.md").read_text(encoding="utf-8")
    assert guide.startswith("## 发布新一年的“质量月”活动") and guide.strip() in README


def test_npm_installs_run_no_package_scripts():
    """vnu-jar's postinstall downloads a Java runtime from outside the registries, unchecked (issue 30): none run."""
    install = (ROOT / "scripts" / "install-deps.sh").read_text(encoding="utf-8")
    commands = [line.strip() for line in install.splitlines() if re.match(r"\s*npm (ci|install)\b", line)]
    assert commands and all("--ignore-scripts" in c for c in commands), commands
    npmrc = [line.strip() for line in (ROOT / ".npmrc").read_text().splitlines() if not line.startswith(("#", ";"))]
    assert "ignore-scripts=true" in npmrc, "a plain `npm ci`, and Netlify's own install, run none either"


def test_installed_packages_with_install_scripts_are_the_ones_known_to_work_without():
    """A new dependency whose install script matters must be looked at, not silently skipped."""
    modules = ROOT / "node_modules"
    if not modules.is_dir():
        pytest.skip("node_modules/ is not installed (make test installs it)")
    with_scripts = set()
    for manifest in [*modules.glob("*/package.json"), *modules.glob("@*/*/package.json")]:
        scripts = json.loads(manifest.read_text(encoding="utf-8")).get("scripts", {})
        if any(k in scripts for k in ("preinstall", "install", "postinstall")):
            with_scripts.add(manifest.parent.relative_to(modules).as_posix())
    assert with_scripts <= {"vnu-jar"}, with_scripts  # vnu-jar: vnu.jar ships in the package, runs on Debian's JRE


def test_the_lock_tool_is_installed_by_hash():
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    lock = make.split("\nlock:", 1)[1].split("\n\n", 1)[0]
    assert "--require-hashes" in lock and "-r requirements/uv.txt" in lock and "uv==" not in lock
    pins = (ROOT / "requirements" / "uv.txt").read_text(encoding="utf-8")
    assert re.search(r"^uv==[0-9.]+ \\$", pins, re.M) and len(re.findall(r"--hash=sha256:[0-9a-f]{64}", pins)) >= 2


def test_the_guide_shows_the_review_step():
    """Issue 31: the printable guide (and so the README) says how an import's guesses are checked and removed."""
    guide = (ROOT / "docs" / "publishing-guide.zh.md").read_text(encoding="utf-8")
    for step in ("审核清单", "review:", "field", "guess", "why", "核对一条，删一条",
                 "check` 会报错“本活动还有 N 处导入时的猜测有待确认”",
                 "schedules.0.rows.1.place"):
        assert step in guide, step
