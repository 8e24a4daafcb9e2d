#!/usr/bin/env bash
# Install the headless browser of the browser-mode test (tests/test_web_browser.py) from
# Debian's packages when it is missing: chromium -> chromium (driven by Python's playwright from
# the 'web' extra, never by a browser build of playwright's own: `playwright install` is not
# used). Quick and silent-ish when it is present (no apt call at all).
#
# Without apt-get (not Debian/Ubuntu), or without root and without sudo, it prints a warning and
# exits 0: the browser test then skips itself with the reason (outside CI; under CI=true it
# fails). If apt-get is there but the install fails, this fails under CI and only warns
# elsewhere. TWS_TUI_SKIP_BROWSER=1 skips the whole step.
set -euo pipefail

source "$(dirname "$0")/apt_install.sh"

if [[ "${TWS_TUI_SKIP_BROWSER:-}" == 1 ]]; then
  echo "test browser: skipped (TWS_TUI_SKIP_BROWSER=1)"
  exit 0
fi

if command -v chromium >/dev/null 2>&1 || [[ -x /usr/bin/chromium ]]; then
  echo "test browser: chromium present"
  exit 0
fi

apt_install "test browser" "the browser test will report that it needs it" chromium
