#!/usr/bin/env bash
# What an authenticated request costs. One release server pinned to core 0, wrk on core 1, all on loopback,
# bounded to a few seconds per endpoint. Three endpoints measured in the same run:
#   ceiling  GET /favicon.svg         Vapor, the middleware chain and a static file: nothing of ours
#   health   GET /api/v1/health       one database query
#   account  GET /api/v1/account      session lookup by token hash, the user, the recovery-code count
# The result is the ratio of each to the ceiling, so it compares across machines.
# Usage: bench/accounts.sh [seconds per endpoint, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
swift build -c release --product lotse >/dev/null
data=$(mktemp -d /tmp/lotse-bench.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
LOTSE_DATA_DIR=$data LOTSE_PORT=$port LOG_LEVEL=warning taskset -c 0 .build/release/lotse serve --env production \
    >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.1; done
token=$(python3 bench/make_session.py "http://127.0.0.1:$port" "$data/outbox")

measure() {  # name path [header]
    local output
    output=$(taskset -c 1 wrk -t1 -c32 -d"${seconds}s" --latency ${3:+-H "$3"} "http://127.0.0.1:$port$2")
    local rps p99
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$output")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$output")
    local errors
    errors=$(awk '/Non-2xx/ {print $5}' <<<"$output")
    [ -z "$errors" ] || { echo "$1: $errors non-2xx answers" >&2; exit 1; }
    echo "$1 $rps $p99"
}

results=$(
    measure ceiling /favicon.svg
    measure health /api/v1/health
    measure account /api/v1/account "Authorization: Bearer $token"
)
ceiling=$(awk '$1 == "ceiling" {print $2}' <<<"$results")
printf '%-8s %12s %10s %8s\n' endpoint "requests/s" "p99" "ratio"
while read -r name rps p99; do
    printf '%-8s %12.0f %10s %8.2f\n' "$name" "$rps" "$p99" "$(python3 -c "print($rps / $ceiling)")"
done <<<"$results"
