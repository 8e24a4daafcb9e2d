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

warn() { printf 'WARNING: %s\n' "$*" >&2; }

if [[ "${TWS_TUI_SKIP_BROWSER:-}" == 1 ]]; then
  echo "test browser: skipped (TWS_TUI_SKIP_BROWSER=1)"
  exit 0
fi

if command -v chromium >/dev/null 2>&1 || [[ -x /usr/bin/chromium ]]; then
  echo "test browser: chromium present"
  exit 0
fi

echo "test browser: missing Debian package: chromium"

if ! command -v apt-get >/dev/null 2>&1; then
  warn "apt-get is not available: install chromium by hand;"
  warn "the browser test will report that it needs it."
  exit 0
fi

sudo=()
if [[ "$(id -u)" -ne 0 ]]; then
  if ! command -v sudo >/dev/null 2>&1; then
    warn "not root and no sudo: run 'apt-get install --no-install-recommends chromium' as root;"
    warn "the browser test will report that it needs it."
    exit 0
  fi
  # No terminal to ask for a password on (CI, no stdin): never wait for one.
  if [[ -t 0 ]]; then sudo=(sudo); else sudo=(sudo -n); fi
fi

export DEBIAN_FRONTEND=noninteractive
# Another install may hold the dpkg lock (the SIP peers' step, a parallel job): wait for it.
lock=(-o DPkg::Lock::Timeout=300)
if "${sudo[@]}" apt-get "${lock[@]}" update -q \
  && "${sudo[@]}" apt-get "${lock[@]}" install -y -q --no-install-recommends chromium; then
  echo "test browser: installed chromium"
  exit 0
fi

if [[ "${CI:-}" == true ]]; then
  echo "ERROR: could not install chromium (the browser test's browser) under CI" >&2
  exit 1
fi
warn "could not install chromium; the browser test will report that it needs it."
exit 0
