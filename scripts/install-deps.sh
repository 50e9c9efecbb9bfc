#!/usr/bin/env bash
# Installs everything qm-site needs on a fresh Debian machine: Python packages always;
# with --test also chromium, CJK fonts, poppler, Java and the npm validators. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
want_test=0
[[ "${1:-}" == "--test" ]] && want_test=1

if [[ $want_test == 1 ]]; then
  need=()
  command -v chromium >/dev/null || need+=(chromium)
  [[ -d /usr/share/fonts/opentype/noto ]] && ls /usr/share/fonts/opentype/noto/NotoSansCJK-* >/dev/null 2>&1 || need+=(fonts-noto-cjk)
  command -v pdftoppm >/dev/null || need+=(poppler-utils)
  command -v java >/dev/null || need+=(default-jre-headless)
  command -v npm >/dev/null || need+=(npm)
  if (( ${#need[@]} )); then
    if [[ $(id -u) != 0 ]]; then SUDO=sudo; else SUDO=; fi
    echo "installing Debian packages: ${need[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
  fi
  if [[ ! -f node_modules/vnu-jar/build/dist/vnu.jar || ! -f node_modules/axe-core/axe.min.js ]]; then
    echo "installing npm packages (vnu-jar, axe-core)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
  "$PY" -m pip install -q --disable-pip-version-check -e '.[test]'
else
  "$PY" -m pip install -q --disable-pip-version-check -e .
fi
