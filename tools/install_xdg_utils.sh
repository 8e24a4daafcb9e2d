#!/usr/bin/env bash
# Install xdg-utils (xdg-mime) from Debian's packages when it is missing: the test of
# `tws-tui install-handler` registers tel: and sip: with the real xdg-mime and reads it back;
# the chat's "open the file" test opens a file with the real xdg-open, which asks `file` for
# its type.
# Quick and silent-ish when present (no apt call at all). Same rules as install_sip_peers.sh:
# without apt-get, or without root and sudo, a warning and exit 0 (the test then says what is
# missing); an install that fails fails under CI (CI=true), and only warns elsewhere.
set -euo pipefail

source "$(dirname "$0")/apt_install.sh"

if command -v xdg-mime >/dev/null 2>&1 && command -v file >/dev/null 2>&1; then
  echo "xdg-utils: xdg-mime and file present"
  exit 0
fi
apt_install "xdg-utils" "the install-handler test will say it is missing" xdg-utils file
