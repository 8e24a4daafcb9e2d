#!/usr/bin/env bash
# Install the SIP test peers from Debian's packages when one of their binaries is missing:
#   kamailio -> kamailio, baresip -> baresip-core, sipp -> sip-tester, openssl -> openssl (the
#   TLS tests' CA), linphone-daemon (the second, independent UA) -> linphone-cli, pulseaudio
#   (with parec and ALSA's pulse plugin: the audio tests' null-sink sound cards) -> pulseaudio,
#   Kamailio's presence.so (BLF tests) -> kamailio-presence-modules, tls.so (TCP/TLS tests) ->
#   kamailio-tls-modules, and PortAudio (the sounddevice audio backend) -> libportaudio2.
# Quick and silent-ish when all are present (no apt call at all).
#
# Without apt-get (not Debian/Ubuntu), or without root and without sudo, it prints a warning
# and exits 0: the SIP tests then mark themselves as needing the peers. If apt-get is there but
# the install fails, it fails under CI (CI=true) and only warns elsewhere.
# TWS_TUI_SKIP_SIP_PEERS=1 skips the whole step.
set -euo pipefail

source "$(dirname "$0")/apt_install.sh"

if [[ "${TWS_TUI_SKIP_SIP_PEERS:-}" == 1 ]]; then
  echo "SIP test peers: skipped (TWS_TUI_SKIP_SIP_PEERS=1)"
  exit 0
fi

# A binary may live in an sbin directory that is not on a normal user's PATH (kamailio does).
have() {
  command -v "$1" >/dev/null 2>&1 && return 0
  local dir
  for dir in /usr/sbin /sbin /usr/local/sbin /usr/local/bin; do
    [[ -x "$dir/$1" ]] && return 0
  done
  return 1
}

declare -A package_of=([kamailio]=kamailio [baresip]=baresip-core [sipp]=sip-tester
  [openssl]=openssl [linphone-daemon]=linphone-cli [pulseaudio]=pulseaudio)
missing=()
for binary in kamailio baresip sipp openssl linphone-daemon pulseaudio; do
  have "$binary" || missing+=("${package_of[$binary]}")
done
[[ -e /usr/lib/x86_64-linux-gnu/kamailio/modules/presence.so ]] \
  || compgen -G '/usr/lib/*/kamailio/modules/presence.so' >/dev/null \
  || missing+=(kamailio-presence-modules)
[[ -e /usr/lib/x86_64-linux-gnu/kamailio/modules/tls.so ]] \
  || compgen -G '/usr/lib/*/kamailio/modules/tls.so' >/dev/null \
  || missing+=(kamailio-tls-modules)
compgen -G '/usr/lib/*/libportaudio.so.2' >/dev/null \
  || compgen -G '/usr/lib/*/*/libportaudio.so.2' >/dev/null \
  || missing+=(libportaudio2)

if ((${#missing[@]} == 0)); then
  echo "SIP test peers: kamailio (with presence and tls modules), baresip, sipp, openssl," \
    "linphone, pulseaudio, portaudio present"
  exit 0
fi

apt_install "SIP test peers" "the SIP tests will report that they need the peers" "${missing[@]}"
