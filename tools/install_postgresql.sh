#!/usr/bin/env bash
# Install Debian's PostgreSQL (package postgresql) when it is missing: the server's scaled-mode
# tests start their own throw-away cluster on loopback from its binaries
# (/usr/lib/postgresql/<version>/bin: initdb, postgres; tests/pg_server.py). Quick and
# silent-ish when present (no apt call at all). Same rules as install_sip_peers.sh: without
# apt-get, or without root and sudo, a warning and exit 0 (the tests then say what is missing);
# an install that fails fails under CI (CI=true), and only warns elsewhere.
set -euo pipefail

source "$(dirname "$0")/apt_install.sh"

if compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
  echo "PostgreSQL: $(ls -d /usr/lib/postgresql/*/bin | tr '\n' ' ')present"
  exit 0
fi
apt_install "PostgreSQL" "the PostgreSQL tests will say that they need it" postgresql
