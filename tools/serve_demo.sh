#!/usr/bin/env bash
# `make serve-demo`: the reference CTI server on loopback with two accounts and simulated
# traffic, and the two commands that open a console on it, one per account.
#
# Uses the server's own account commands (`tws-tui serve add-user`, `list-users`): the accounts
# are created once, in SERVE_DEMO_DIR/server (kept between runs; `rm -r .serve-demo` starts
# again). Each console gets its own directory SERVE_DEMO_DIR/<user> for its config.toml (written
# here: the CTI backend, the server's address, the user name), prefs.toml, local contacts, call
# journal and log, as two desks would.
#
# Environment (the Makefile passes them): TWS_TUI, the tws-tui command (default
# .venv/bin/tws-tui; it may be several words, e.g. "python -m tws_tui"); SERVE_DEMO_DIR
# (default .serve-demo); SERVE_DEMO_PORT (default 8765).
set -euo pipefail

read -r -a tws <<<"${TWS_TUI:-.venv/bin/tws-tui}"
dir=${SERVE_DEMO_DIR:-.serve-demo}
port=${SERVE_DEMO_PORT:-8765}
url="http://127.0.0.1:$port"
data="$dir/server"

# user name, extension, role, display name, password (at least 8 characters)
accounts=(
  "alice|100|supervisor|Alice Vasseur|alice-demo"
  "bruno|400|operator|Bruno Collet|bruno-demo"
)

mkdir -p "$data"
existing=$("${tws[@]}" serve list-users --data-dir "$data" | cut -f1)
for account in "${accounts[@]}"; do
  IFS='|' read -r user extension role name password <<<"$account"
  if ! grep -qx -- "$user" <<<"$existing"; then
    printf '%s\n' "$password" | "${tws[@]}" serve add-user "$user" --extension "$extension" \
      --role "$role" --name "$name" --password-stdin --data-dir "$data" >/dev/null
    echo "created the account $user ($name) in $data"
  fi
  mkdir -p "$dir/$user"
  cat >"$dir/$user/config.toml" <<EOF
# The console of $name on the demo server of \`make serve-demo\` (rewritten at each run).
[general]
# The simulated company's voicemail (Alt+V).
voicemail_number = "3990"

[backend]
name = "cti"

[backend.cti]
url = "$url"
username = "$user"
EOF
done

cat <<EOF

tws-tui demo server on $url: the simulated company, with calls coming in.
Open a console for each account, each in its own terminal, from $(pwd):

EOF
for account in "${accounts[@]}"; do
  IFS='|' read -r user extension role name password <<<"$account"
  desk="$dir/$user"
  echo "  $name ($role, extension $extension), user $user, password $password:"
  echo "    TWS_TUI_CONFIG_DIR=$desk TWS_TUI_DATA_DIR=$desk TWS_TUI_STATE_DIR=$desk ${tws[*]}"
  echo
done
cat <<EOF
Each console opens on its sign-in screen with "CTI server", the address and the user name
filled in: type the password and press Enter. Calls to 100 ring Alice; queue calls go to both.
Ctrl+C here stops the server.

EOF
exec "${tws[@]}" serve --data-dir "$data" --port "$port" --traffic
