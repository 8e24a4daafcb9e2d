# Sourced by the tools/install_*.sh scripts: the one way they install missing Debian packages.
#
#   apt_install LABEL CONSEQUENCE PACKAGE...
#
# LABEL starts each line printed ("SIP test peers", "test browser"); CONSEQUENCE says what the
# tests do without the packages ("the SIP tests will report that they need the peers").
# Without apt-get, or without root and sudo, a warning and return 0 (the tests then say what is
# missing); sudo never waits for a password without a terminal (CI); another install holding
# dpkg's lock is waited for; an install that fails returns 1 under CI (CI=true), and only warns
# elsewhere.

warn() { printf 'WARNING: %s\n' "$*" >&2; }

apt_install() {
  local label=$1 consequence=$2
  shift 2
  echo "$label: missing Debian packages: $*"
  if ! command -v apt-get >/dev/null 2>&1; then
    warn "apt-get is not available: install $* (or their equivalents) by hand;"
    warn "$consequence."
    return 0
  fi
  local sudo=()
  if [[ "$(id -u)" -ne 0 ]]; then
    if ! command -v sudo >/dev/null 2>&1; then
      warn "not root and no sudo: run 'apt-get install --no-install-recommends $*' as root;"
      warn "$consequence."
      return 0
    fi
    # No terminal to ask for a password on (CI, no stdin): never wait for one.
    if [[ -t 0 ]]; then sudo=(sudo); else sudo=(sudo -n); fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  local lock=(-o DPkg::Lock::Timeout=300)  # another install (a parallel job) may hold it
  if "${sudo[@]}" apt-get "${lock[@]}" update -q \
    && "${sudo[@]}" apt-get "${lock[@]}" install -y -q --no-install-recommends "$@"; then
    echo "$label: installed $*"
    return 0
  fi
  if [[ "${CI:-}" == true ]]; then
    echo "ERROR: $label: could not install $* under CI" >&2
    return 1
  fi
  warn "could not install $*; $consequence."
  return 0
}
