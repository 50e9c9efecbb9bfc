"""The package works outside its checkout: a wheel, installed into an empty virtual environment with
the locked versions of its runtime dependencies, builds and checks a site in an unrelated folder.

One module-scoped fixture does the slow part once (about half a minute; pip downloads from PyPI or
takes wheels from its cache, and a registry that cannot be reached fails the test, it never skips):
1. the wheel, built from a clean copy of the sources (pyproject.toml, README.md, qm_site/) with
   `pip wheel --no-deps --no-build-isolation`: an in-tree build would write build/ and *.egg-info
   into the checkout, and a stale build/lib/ can put deleted modules into the wheel;
2. an empty venv (`python -m venv`, no system site-packages) with the requirements.lock entries that
   the wheel's own dependencies need (not the test or pdf extras: a user's `pip install qm-site` gets
   none of them either), `--require-hashes --no-deps`, then the wheel `--no-deps`, then `pip check`;
3. a copy of content/ in a folder of its own, where the installed `qm-site build` and `qm-site check`
   run with that folder as the working directory and without QM_SITE_CACHE, so the default .cache/
   location is what is exercised.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from sitecheck import CONTENT

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
PIP_TIMEOUT = 900  # generous: a cold pip cache on a slow mirror; this is a hang guard, not a speed check

pytestmark = pytest.mark.slow


@dataclass
class Installed:
    wheel: Path
    venv: Path
    site_packages: Path
    site: Path  # the unrelated folder holding content/
    build: subprocess.CompletedProcess
    check: subprocess.CompletedProcess
    package_before: dict[str, tuple[int, int]]
    package_after: dict[str, tuple[int, int]]
    timings: dict[str, float] = field(default_factory=dict)


def run(cmd: list, **kwargs) -> subprocess.CompletedProcess:
    """Run a command, capturing its output; fail with that output if it exits non-zero."""
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=PIP_TIMEOUT, **kwargs)
    assert r.returncode == 0, f"{' '.join(map(str, cmd))} exited {r.returncode}\n{r.stdout}\n{r.stderr}"
    return r


def clean_env() -> dict[str, str]:
    """The caller's environment without anything that points Python at this checkout or this venv."""
    drop = {"QM_SITE_CACHE", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSAFEPATH"}
    return {k: v for k, v in os.environ.items() if k not in drop}


def runtime_names(wheel: Path) -> set[str]:
    """Canonical names of the distributions the wheel needs at run time (its Requires-Dist without
    extras, and theirs, with the extras they ask for), following the metadata installed in this venv."""
    with zipfile.ZipFile(wheel) as zf:
        meta = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        text = zf.read(meta).decode()
    todo = [(Requirement(line.split(":", 1)[1].strip()), "") for line in text.splitlines()
            if line.startswith("Requires-Dist:")]
    env, names = default_environment(), set()
    while todo:
        req, extra = todo.pop()
        if req.marker and not req.marker.evaluate({**env, "extra": extra}):
            continue
        name = canonicalize_name(req.name)
        extras = sorted(req.extras)
        key = f"{name}[{','.join(extras)}]"
        if key in names:
            continue
        names.add(key)
        for sub in metadata.distribution(name).requires or []:
            for e in extras or [""]:
                todo.append((Requirement(sub), e))
    return {n.split("[")[0] for n in names}


def lock_entries() -> dict[str, str]:
    """requirements.lock as {canonical name: its whole entry (requirement, marker, hashes, comment)}."""
    entries: dict[str, str] = {}
    name = None
    for line in LOCK.read_text(encoding="utf-8").splitlines(keepends=True):
        m = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==", line)
        if m:
            name = canonicalize_name(m.group(1))
            entries[name] = line
        elif name and line.startswith((" ", "\t")):
            entries[name] += line
        else:
            name = None
    return entries


def listing(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under folder, with size and modification time."""
    found = {}
    for p in sorted(folder.rglob("*")):
        st = p.stat()
        found[p.relative_to(folder).as_posix()] = (st.st_size if p.is_file() else -1, st.st_mtime_ns)
    return found


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    tmp = tmp_path_factory.mktemp("package")
    timings: dict[str, float] = {}
    env = clean_env()

    started = time.perf_counter()
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(ROOT / "qm_site", src / "qm_site", ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo"))
    run([sys.executable, "-m", "pip", "wheel", "-q", "--disable-pip-version-check", "--no-deps",
         "--no-build-isolation", "-w", tmp / "dist", src], env=env)
    (wheel,) = (tmp / "dist").glob("qm_site-*.whl")
    timings["wheel"] = time.perf_counter() - started

    started = time.perf_counter()
    venv = tmp / "venv"
    run([sys.executable, "-m", "venv", venv], env=env)
    py = venv / "bin" / "python"
    names, entries = runtime_names(wheel), lock_entries()
    assert names <= entries.keys(), f"requirements.lock lacks runtime dependencies: {sorted(names - entries.keys())}"
    runtime_lock = tmp / "runtime.lock"
    runtime_lock.write_text("".join(entries[n] for n in sorted(names)), encoding="utf-8")
    pip = [py, "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    run([*pip, "--require-hashes", "--no-deps", "-r", runtime_lock], env=env)
    run([*pip, "--no-deps", wheel], env=env)
    run([py, "-m", "pip", "check", "--disable-pip-version-check"], env=env)
    timings["venv"] = time.perf_counter() - started

    site_packages = Path(run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], env=env).stdout.strip())
    site = tmp / "elsewhere" / "my-site"
    site.mkdir(parents=True)
    shutil.copytree(CONTENT, site / "content")
    before = listing(site_packages / "qm_site")

    started = time.perf_counter()
    cli = venv / "bin" / "qm-site"
    build = subprocess.run([cli, "build"], cwd=site, env=env, capture_output=True, text=True, timeout=PIP_TIMEOUT)
    timings["build"] = time.perf_counter() - started
    check = subprocess.run([cli, "check"], cwd=site, env=env, capture_output=True, text=True, timeout=PIP_TIMEOUT)
    after = listing(site_packages / "qm_site")
    print("test_package timings (s): " + ", ".join(f"{k} {v:.1f}" for k, v in timings.items()))
    return Installed(wheel, venv, site_packages, site, build, check, before, after, timings)


def test_the_wheel_ships_templates_assets_and_catalogs(installed):
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    templates = {f"qm_site/templates/{p.name}" for p in (ROOT / "qm_site" / "templates").glob("*.html")}
    assert templates and templates <= names, sorted(templates - names)
    assets = {f"qm_site/assets/{p.name}" for p in (ROOT / "qm_site" / "assets").iterdir() if p.is_file()}
    assert "qm_site/assets/site.css" in assets and assets <= names, sorted(assets - names)
    catalogs = {f"qm_site/locale/{lang}/LC_MESSAGES/messages.po" for lang in ("zh_CN", "en")}
    assert catalogs <= names, sorted(catalogs - names)
    assert not [n for n in names if "__pycache__" in n or n.endswith((".pyc", ".mo"))]


def test_the_venv_holds_the_wheel_and_only_runtime_dependencies(installed):
    py = installed.venv / "bin" / "python"
    where = run([py, "-c", "import qm_site; print(qm_site.__file__)"], cwd=installed.site, env=clean_env()).stdout.strip()
    assert Path(where).is_relative_to(installed.site_packages), where
    # (setuptools is left out: `python -m venv` on 3.11 puts it there itself, 3.12 and later do not)
    extra = run([py, "-c", "import importlib.util as u; print([m for m in ('playwright', 'pypdf', 'pytest', 'hypothesis')"
                     " if u.find_spec(m)])"], env=clean_env()).stdout.strip()
    assert extra == "[]", f"the runtime venv has test or pdf packages: {extra}"


def test_installed_build_works_outside_the_checkout(installed):
    r = installed.build
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    public = installed.site / "public"
    index = (public / "index.html").read_text(encoding="utf-8")
    title = yaml.safe_load((CONTENT / "site.yaml").read_text(encoding="utf-8"))["title"]
    assert title in index
    css = [p.name for p in (public / "assets").glob("site.*.css")]
    assert len(css) == 1 and re.fullmatch(r"site\.[0-9a-f]{8,}\.css", css[0]), css
    assert f"assets/{css[0]}" in index


def test_installed_check_works_outside_the_checkout(installed):
    r = installed.check
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Traceback" not in r.stderr


def test_the_cache_is_made_in_the_site_folder_and_nothing_in_the_package(installed):
    assert installed.build.returncode == 0, installed.build.stderr
    assert installed.package_after == installed.package_before, "the commands wrote into site-packages/qm_site"
    cache = installed.site / ".cache"
    assert cache.is_dir() and any(cache.rglob("*")), "the default cache location is .cache/ in the working folder"
    assert not [p for p in installed.venv.rglob(".cache")], "a .cache folder inside the venv"
