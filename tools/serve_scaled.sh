#!/usr/bin/env bash
# `make serve-scaled`: the server's scaled mode on loopback for a local try (docs/scaled-mode.md):
# a redis-server, one switch process (`--role switch`) and a standby, N API instances
# (`--role api`) on consecutive ports, the two demo accounts of `make serve-demo`. Ctrl+C stops
# everything. The server data is SQLite in SERVE_SCALED_DIR/server, shared by the processes
# of this machine (the scaled mode's database part brings PostgreSQL); Redis keeps nothing on
# disk (its working directory is SERVE_SCALED_DIR/redis, persistence off).
#
# Environment (the Makefile passes them): TWS_TUI, the tws-tui command (default
# .venv/bin/tws-tui; it may be several words); SERVE_SCALED_DIR (default .serve-scaled);
# SERVE_SCALED_INSTANCES (default 3); SERVE_SCALED_PORT, the first API port (default 8801);
# SERVE_SCALED_REDIS_PORT (default 6390).
set -euo pipefail

read -r -a tws <<<"${TWS_TUI:-.venv/bin/tws-tui}"
dir=${SERVE_SCALED_DIR:-.serve-scaled}
instances=${SERVE_SCALED_INSTANCES:-3}
first_port=${SERVE_SCALED_PORT:-8801}
redis_port=${SERVE_SCALED_REDIS_PORT:-6390}
data="$dir/server"
redis_url="redis://127.0.0.1:$redis_port/0"

redis_server=$(command -v redis-server || echo /usr/sbin/redis-server)
if [[ ! -x "$redis_server" ]]; then
  echo "redis-server is missing: make redis (Debian's redis-server) first" >&2
  exit 1
fi

mkdir -p "$data" "$dir/redis" "$dir/logs"
logs=$(cd "$dir/logs" && pwd)
existing=$("${tws[@]}" serve list-users --data-dir "$data" | cut -f1)
for account in "alice|100|supervisor|Alice Vasseur|alice-demo" \
  "bruno|400|operator|Bruno Collet|bruno-demo"; do
  IFS='|' read -r user extension role name password <<<"$account"
  if ! grep -qx -- "$user" <<<"$existing"; then
    printf '%s\n' "$password" | "${tws[@]}" serve add-user "$user" --extension "$extension" \
      --role "$role" --name "$name" --password-stdin --data-dir "$data" >/dev/null
    echo "created the account $user ($name, password $password) in $data"
  fi
done

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

"$redis_server" --port "$redis_port" --bind 127.0.0.1 --dir "$dir/redis" --save '' \
  --appendonly no --logfile "$logs/redis.log" &
pids+=($!)
for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$redis_port") 2>/dev/null && break
  sleep 0.1
done
echo "redis      $redis_url (log: $dir/logs/redis.log)"

for name in switch standby; do
  "${tws[@]}" serve --role switch --redis "$redis_url" --data-dir "$data" --traffic \
    >>"$dir/logs/$name.log" 2>&1 &
  pids+=($!)
  printf "%-10s pid %s (log: %s)\n" "$name" "$!" "$dir/logs/$name.log"
done

for ((n = 0; n < instances; n++)); do
  port=$((first_port + n))
  "${tws[@]}" serve --role api --redis "$redis_url" --data-dir "$data" --port "$port" \
    >>"$dir/logs/api-$port.log" 2>&1 &
  pids+=($!)
  echo "api        http://127.0.0.1:$port (log: $dir/logs/api-$port.log)"
done

echo
echo "A console on any instance: the sign-in screen's CTI server, e.g. http://127.0.0.1:$first_port,"
echo "user alice (password alice-demo) or bruno (bruno-demo). Kill an API instance or the active"
echo "switch (the one not standing by) to see the others carry on. Ctrl+C stops everything."
wait
