#!/usr/bin/env bash
# Heap allocations per request (#21): a count that does not move with the machine's load, unlike requests/s, so it
# shows what a change saves even on a noisy machine. Each server runs under heaptrack twice, answering 500 and then
# 500 + N requests on one keep-alive connection (after Lotse's sign-up of the bearer's account); the difference of
# the two runs' allocation calls over N is what one request costs, start-up and sign-up cancelled out.
#   vapor    GET /plain            bare Vapor (bench/vapor)
#   live     GET /api/v1/live      Lotse's middleware chain, no database
#   health   GET /api/v1/health    one query
#   account  GET /api/v1/account   authenticated (the session from the cache), the account as JSON
# Usage: [LOTSE_BINARY=path] bench/allocations.sh [N=2000]
#        [LOTSE_BINARY=path] bench/allocations.sh chat [N=1000]   per chat message, server-wide: 16 conversations
#        (bench-load, 4 in flight), 200 and then 200 + N messages each; the difference over 16 × N
set -euo pipefail
cd "$(dirname "$0")/.."
mode=requests
if [ "${1:-}" = chat ]; then mode=chat; shift; fi
n=${1:-2000}
[ "$mode" = requests ] || n=${1:-1000}
command -v heaptrack >/dev/null || { apt-get update -qq && apt-get install -y -qq heaptrack >/dev/null; }
source bench/lib.sh  # builds Lotse unless LOTSE_BINARY names a build; $binary, free_port
swift build -c release --product bench-vapor >/dev/null
work=$(mktemp -d /tmp/lotse-allocations.XXXXXX)
trap 'rm -rf "$work"' EXIT

# calls SERVER PATH COUNT: allocation calls of a server process that answered COUNT requests to PATH.
calls() {
    local server=$1 path=$2 count=$3 port token="" data=$work/data-$RANDOM
    port=$(free_port)
    mkdir "$data"
    if [ "$server" = vapor ]; then
        PORT=$port heaptrack -o "$data/trace" .build/release/bench-vapor serve --env production --log warning \
            >/dev/null 2>&1 &
    else
        env LOTSE_DATA_DIR="$data" LOTSE_PORT="$port" LOTSE_BCRYPT_COST=4 LOG_LEVEL=warning \
            heaptrack -o "$data/trace" "$binary" serve --env production >/dev/null 2>&1 &
    fi
    local traced=$!
    for _ in $(seq 300); do curl -s -o /dev/null "http://127.0.0.1:$port$path" && break; sleep 0.2; done
    [ "$path" != /api/v1/account ] || token=$(python3 bench/make_session.py "http://127.0.0.1:$port" "$data/outbox")
    python3 - "$port" "$path" "$count" "$token" <<'PY'
import http.client, sys
port, path, count, token = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
connection = http.client.HTTPConnection("127.0.0.1", port)
headers = {"Authorization": "Bearer " + token} if token else {}
for _ in range(count):
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        sys.exit(f"{path}: {response.status}")
PY
    pkill -INT -P "$traced" 2>/dev/null || true  # the server, a child of heaptrack's script
    wait "$traced" || true
    heaptrack_print -f "$data/trace.zst" --print-peaks 0 --print-allocators 0 --print-temporary 0 --print-leaks 0 \
        2>/dev/null | awk '/calls to allocation functions/ {print $5}'
}

# chat COUNT: allocation calls of a Lotse server that carried 16 × COUNT chat messages (after the people's sign-ups).
chat() {
    local count=$1 port data=$work/data-$RANDOM
    port=$(free_port)
    mkdir "$data"
    env LOTSE_DATA_DIR="$data" LOTSE_PORT="$port" LOTSE_BCRYPT_COST=4 LOG_LEVEL=warning \
        LOTSE_TRUSTED_PROXIES=127.0.0.1 heaptrack -o "$data/trace" "$binary" serve --env production >/dev/null 2>&1 &
    local traced=$!
    for _ in $(seq 300); do curl -s -o /dev/null "http://127.0.0.1:$port/api/v1/health" && break; sleep 0.2; done
    local people
    people=$(python3 bench/messaging_load.py lotse "http://127.0.0.1:$port" "$data/outbox" --conversations 16 \
        --people-only)
    taskset -c 1 .build/release/bench-load lotse "ws://127.0.0.1:$port/api/v1/socket" "$people" --count "$count" \
        --window 4 --timeout 600 >/dev/null
    pkill -INT -P "$traced" 2>/dev/null || true
    wait "$traced" || true
    heaptrack_print -f "$data/trace.zst" --print-peaks 0 --print-allocators 0 --print-temporary 0 --print-leaks 0 \
        2>/dev/null | awk '/calls to allocation functions/ {print $5}'
}

if [ "$mode" = chat ]; then
    swift build -c release --product bench-load >/dev/null
    base=$(chat 200)
    more=$(chat $((200 + n)))
    echo "allocations per chat message, server-wide: $(((more - base) / (16 * n)))"
    exit 0
fi

printf '%-8s %s\n' server "allocations per request"
for row in "vapor /plain" "live /api/v1/live" "health /api/v1/health" "account /api/v1/account"; do
    read -r name path <<<"$row"
    server=lotse
    [ "$name" != vapor ] || server=vapor
    base=$(calls "$server" "$path" 500)
    more=$(calls "$server" "$path" $((500 + n)))
    printf '%-8s %d\n' "$name" $(((more - base) / n))
done
