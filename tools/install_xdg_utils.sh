#!/usr/bin/env bash
# Install xdg-utils (xdg-mime) from Debian's packages when it is missing: the test of
# `tws-tui install-handler` registers tel: and sip: with the real xdg-mime and reads it back.
# Quick and silent-ish when present (no apt call at all). Same rules as install_sip_peers.sh:
# without apt-get, or without root and sudo, a warning and exit 0 (the test then says what is
# missing); an install that fails fails under CI (CI=true), and only warns elsewhere.
set -euo pipefail

warn() { printf 'WARNING: %s\n' "$*" >&2; }

if command -v xdg-mime >/dev/null 2>&1; then
  echo "xdg-utils: xdg-mime present"
  exit 0
fi
echo "xdg-utils: xdg-mime missing"

if ! command -v apt-get >/dev/null 2>&1; then
  warn "apt-get is not available: install xdg-utils by hand."
  exit 0
fi

sudo=()
if [[ "$(id -u)" -ne 0 ]]; then
  if ! command -v sudo >/dev/null 2>&1; then
    warn "not root and no sudo: run 'apt-get install --no-install-recommends xdg-utils' as root."
    exit 0
  fi
  if [[ -t 0 ]]; then sudo=(sudo); else sudo=(sudo -n); fi
fi

export DEBIAN_FRONTEND=noninteractive
if "${sudo[@]}" apt-get update -q \
  && "${sudo[@]}" apt-get install -y -q --no-install-recommends xdg-utils; then
  echo "xdg-utils: installed"
  exit 0
fi

if [[ "${CI:-}" == true ]]; then
  echo "ERROR: could not install xdg-utils under CI" >&2
  exit 1
fi
warn "could not install xdg-utils; the install-handler test will say it is missing."
exit 0
