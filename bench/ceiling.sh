#!/usr/bin/env bash
# What Lotse's requests cost next to what the framework and the machine allow (#21). In one run, taking turns for
# several rounds, each server pinned to core 0 and wrk (-t1 -c32) on core 1, all on loopback:
#   nginx    GET /                 a fixed string: the machine's ceiling
#   vapor    GET /plain            bare Vapor, one route returning a string (bench/vapor): the framework's ceiling
#   live     GET /api/v1/live      Lotse's plain route: its whole middleware chain, no database
#   health   GET /api/v1/health    one query (SQLite)
#   account  GET /api/v1/account   authenticated: session lookup by token hash and the account
# Reported: the median requests/s and the median of the per-round ratios to bare Vapor and to nginx.
# Usage: [LOTSE_BINARY=path] bench/ceiling.sh [rounds, default 5] [seconds per server and round, default 3]
# (LOTSE_BINARY: another build of Lotse, e.g. of the previous commit, against the same ceilings.)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
seconds=${2:-3}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v nginx >/dev/null || { apt-get update -qq && apt-get install -y -qq nginx-light >/dev/null; }
source bench/lib.sh  # builds Lotse unless LOTSE_BINARY names a build; $binary, free_port, wrk_rate
swift build -c release --product bench-vapor >/dev/null
work=$(mktemp -d /tmp/lotse-ceiling.XXXXXX)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
wait_for() { for _ in $(seq 150); do curl -sf "$1" >/dev/null && return; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }

nginx_port=$(free_port)
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
    access_log off;
    server { listen 127.0.0.1:$nginx_port; location / { default_type text/plain; return 200 "ok"; } }
}
CONF
taskset -c 0 nginx -p "$work" -c "$work/nginx.conf" &
pids+=($!)
vapor_port=$(free_port)
# One event loop on its one core, as Lotse runs there since f46d60d (NIO alone makes one per core of the machine).
NIO_SINGLETON_GROUP_LOOP_COUNT=${VAPOR_LOOPS:-1} PORT=$vapor_port taskset -c 0 .build/release/bench-vapor serve --env production --log warning >"$work/vapor.log" 2>&1 &
pids+=($!)
lotse_port=$(free_port)
mkdir "$work/lotse"
LOTSE_DATA_DIR=$work/lotse LOTSE_PORT=$lotse_port LOG_LEVEL=warning taskset -c 0 "$binary" serve \
    --env production >"$work/lotse.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$nginx_port/"
wait_for "http://127.0.0.1:$vapor_port/plain"
wait_for "http://127.0.0.1:$lotse_port/api/v1/health"
token=$(python3 bench/make_session.py "http://127.0.0.1:$lotse_port" "$work/lotse/outbox")

rows=""
for _ in $(seq "$rounds"); do
    # One assignment each, so that a failed measurement stops the run (set -e).
    nginx=$(wrk_rate "http://127.0.0.1:$nginx_port/")
    vapor=$(wrk_rate "http://127.0.0.1:$vapor_port/plain")
    live=$(wrk_rate "http://127.0.0.1:$lotse_port/api/v1/live")
    health=$(wrk_rate "http://127.0.0.1:$lotse_port/api/v1/health")
    account=$(wrk_rate "http://127.0.0.1:$lotse_port/api/v1/account" "Authorization: Bearer $token")
    rows+="$nginx $vapor $live $health $account"$'\n'
done
python3 - "$rows" <<'PY'
import statistics, sys
rounds = [list(map(float, line.split())) for line in sys.argv[1].strip().splitlines()]
print(f"{'server':8} {'median req/s':>13} {'to bare Vapor':>14} {'to nginx':>9}")
for index, name in enumerate(["nginx", "vapor", "live", "health", "account"]):
    to_vapor = statistics.median(r[index] / r[1] for r in rounds)
    to_nginx = statistics.median(r[index] / r[0] for r in rounds)
    print(f"{name:8} {statistics.median(r[index] for r in rounds):13.0f} {to_vapor:14.2f} {to_nginx:9.2f}")
print(f"({len(rounds)} rounds)")
PY
