#!/usr/bin/env bash
# What a directory search costs. A release server pinned to core 0 with N published profiles (German and English,
# made through the API), wrk on core 1, all on loopback, bounded to a few seconds per endpoint and round:
#   ceiling   GET /favicon.svg                          Vapor, the middleware chain and a static file
#   health    GET /api/v1/health                        one database query
#   narrow    GET /api/v1/directory/coaches?q=gründung  one prefix term, few matches
#   broad     GET /api/v1/directory/coaches?q=fuhrung   a common term, a tenth to a third of all profiles
#   two       …?q=coaching%20karriere&language=de       two terms and a filter
#   page      GET /coaches?q=fuhrung                    the same as broad, rendered as HTML
# The result is each one's ratio to the ceiling (median over rounds), so it compares across machines.
# Usage: [LOTSE_BINARY=path] bench/directory.sh [profiles, default 500] [rounds, default 5] [seconds, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
profiles=${1:-500}
rounds=${2:-5}
seconds=${3:-3}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
binary=${LOTSE_BINARY:-.build/release/lotse}
[ -n "${LOTSE_BINARY:-}" ] || swift build -c release --product lotse >/dev/null
data=$(mktemp -d /tmp/lotse-bench.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
LOTSE_DATA_DIR=$data LOTSE_PORT=$port LOTSE_BCRYPT_COST=4 LOTSE_TRUSTED_PROXIES=127.0.0.1 LOG_LEVEL=warning \
    taskset -c 0 "$binary" serve --env production >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.1; done
python3 bench/directory_seed.py "http://127.0.0.1:$port" "$data/outbox" "$profiles"
base="http://127.0.0.1:$port"
for path in "/api/v1/directory/coaches?q=gr%C3%BCndung" "/api/v1/directory/coaches?q=fuhrung&limit=1"; do
    curl -sf "$base$path" | python3 -c 'import json,sys; print(sys.argv[1], json.load(sys.stdin)["total"], "matches")' "$path"
done

measure() {  # path -> requests/s
    local output errors
    output=$(taskset -c 1 wrk -t1 -c16 -d"${seconds}s" "$base$1")
    errors=$(awk '/Non-2xx/ {print $5}' <<<"$output")
    [ -z "$errors" ] || { echo "$1: $errors non-2xx answers" >&2; exit 1; }
    awk '/Requests\/sec/ {print $2}' <<<"$output"
}

rows=""
for round in $(seq "$rounds"); do
    rows+="$(measure /favicon.svg) $(measure /api/v1/health) $(measure '/api/v1/directory/coaches?q=gr%C3%BCndung')"
    rows+=" $(measure '/api/v1/directory/coaches?q=fuhrung') $(measure '/api/v1/directory/coaches?q=coaching%20karriere&language=de')"
    rows+=" $(measure '/coaches?q=fuhrung')"$'\n'
done
echo "$rows" >&2  # the raw rounds: ceiling health narrow broad two page, in requests/s
python3 - "$rows" "$profiles" <<'PY'
import statistics, sys
rounds = [list(map(float, line.split())) for line in sys.argv[1].strip().splitlines()]
print(f"{sys.argv[2]} profiles, {len(rounds)} rounds")
print(f"{'endpoint':8} {'median req/s':>13} {'ratio to ceiling (median of rounds)':>36}")
for index, name in enumerate(["ceiling", "health", "narrow", "broad", "two", "page"]):
    ratio = statistics.median(r[index] / r[0] for r in rounds)
    print(f"{name:8} {statistics.median(r[index] for r in rounds):13.0f} {ratio:36.2f}")
PY
