#!/usr/bin/env bash
# Install Redis (Debian's redis-server, which brings redis-cli) when redis-server is missing:
# the scaled-mode tests (event stream on Redis Streams, --role api|switch, the switch's leader
# lock) start their own redis-server on a free loopback port in a temporary directory.
# Quick and silent-ish when it is present (no apt call at all); without apt-get, root or sudo, a
# warning and exit 0 (the tests then say they need redis-server); an install that fails fails
# under CI (CI=true). TWS_TUI_SKIP_REDIS=1 skips the step.
set -euo pipefail

source "$(dirname "$0")/apt_install.sh"

if [[ "${TWS_TUI_SKIP_REDIS:-}" == 1 ]]; then
  echo "Redis: skipped (TWS_TUI_SKIP_REDIS=1)"
  exit 0
fi

if command -v redis-server >/dev/null 2>&1 || [[ -x /usr/bin/redis-server ]]; then
  echo "Redis: redis-server present"
  exit 0
fi

apt_install "Redis" "the scaled-mode tests will report that they need redis-server" redis-server
