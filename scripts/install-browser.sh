#!/usr/bin/env bash
# Install what tests/test_browser.py needs on a fresh Debian machine:
#   - Debian's chromium (playwright's own browser download is not used; the tests launch /usr/bin/chromium)
#   - CJK fonts, so screenshots of Chinese agreements show characters, not boxes
#   - the playwright Python package, into .venv
# Idempotent: apt is skipped when /usr/bin/chromium and the fonts are already there.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
# grep -c reads all of fc-list's output (grep -q would close the pipe early and, with pipefail, fail it)
if [ "$(fc-list 2>/dev/null | grep -ci 'cjk' || true)" = "0" ]; then
  need+=(fonts-noto-cjk)
fi
if [ "${#need[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
fi

PY=.venv/bin/python
if [ ! -x "$PY" ]; then
  echo "install-browser.sh: .venv not found; run scripts/setup.sh first" >&2
  exit 2
fi
if ! "$PY" -c "import playwright" 2>/dev/null; then
  "$PY" -m pip install -q playwright
fi
/usr/bin/chromium --version 2>/dev/null  # its launcher script may warn on stderr
"$PY" -c "import playwright; from importlib.metadata import version; print('playwright', version('playwright'))"
