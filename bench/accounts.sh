#!/usr/bin/env bash
# What an authenticated request costs. One release server pinned to core 0, wrk on core 1, all on loopback,
# bounded to a few seconds per endpoint. Three endpoints measured in the same run:
#   ceiling  GET /favicon.svg         Vapor, the middleware chain and a static file: nothing of ours
#   health   GET /api/v1/health       one database query
#   account  GET /api/v1/account      session lookup by token hash, the user, the recovery-code count
# The result is the ratio of each to the ceiling, so it compares across machines.
# Usage: [LOTSE_BINARY=path] bench/accounts.sh [rounds, default 7] [seconds per endpoint and round, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-7}
seconds=${2:-3}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
source bench/lib.sh  # $binary: LOTSE_BINARY (another build, e.g. of the previous commit) or this tree's; wrk_rate
data=$(mktemp -d /tmp/lotse-bench.XXXXXX)
port=$(free_port)
LOTSE_DATA_DIR=$data LOTSE_PORT=$port LOG_LEVEL=warning taskset -c 0 "$binary" serve --env production \
    >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.1; done
token=$(python3 bench/make_session.py "http://127.0.0.1:$port" "$data/outbox")

measure() { wrk_rate "http://127.0.0.1:$port$1" "${2:-}"; }

# This machine is noisy, so the endpoints take turns for several rounds and each round yields its own ratios;
# the report is the median over rounds, which a single slow second cannot move much.
rows=""
for round in $(seq "$rounds"); do
    ceiling=$(measure /favicon.svg)
    health=$(measure /api/v1/health)
    account=$(measure /api/v1/account "Authorization: Bearer $token")
    rows+="$ceiling $health $account"$'\n'
done
python3 - "$rows" <<'PY'
import statistics, sys
rounds = [list(map(float, line.split())) for line in sys.argv[1].strip().splitlines()]
ceiling = statistics.median(r[0] for r in rounds)
print(f"{'endpoint':8} {'median req/s':>13} {'ratio to ceiling (median of rounds)':>36}")
for index, name in enumerate(["ceiling", "health", "account"]):
    ratio = statistics.median(r[index] / r[0] for r in rounds)
    print(f"{name:8} {statistics.median(r[index] for r in rounds):13.0f} {ratio:36.2f}")
print(f"({len(rounds)} rounds)")
PY
