#!/usr/bin/env bash
# A send over the socket as the web client completes it (issue #17): until the sending tab holds the stored message.
# Before, the ack carried only the sequence number and the tab fetched the message through the API; now the ack
# carries it. bench/messaging_load.py --as-web-client does what the tab does (fetch only when the ack lacks the
# message). With LOTSE_BASELINE=path (a build of an earlier commit) both builds are measured round by round in the
# same run. Server pinned to core 0, load to core 1, SQLite as shipped (full fsync).
# Usage: bench/send_ack.sh [rounds=3] [conversations=8] [messages each=200] [in flight per sender=1]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
conversations=${2:-8}
count=${3:-200}
window=${4:-1}
python3 -c 'import websockets, pyotp' 2>/dev/null || python3 -m pip install -q websockets pyotp
binary=${LOTSE_BINARY:-.build/release/lotse}
[ -n "${LOTSE_BINARY:-}" ] || swift build -c release --product lotse >/dev/null
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

run() {  # binary -> JSON line
    local data port server
    data=$(mktemp -d /tmp/lotse-bench-ack.XXXXXX)
    port=$(free_port)
    LOTSE_DATA_DIR=$data LOTSE_PORT=$port LOTSE_BCRYPT_COST=4 LOTSE_TRUSTED_PROXIES=127.0.0.1 LOG_LEVEL=warning \
        taskset -c 0 "$1" serve --env production >"$data/server.log" 2>&1 &
    server=$!
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.1; done
    taskset -c 1 python3 bench/messaging_load.py lotse "http://127.0.0.1:$port" "$data/outbox" --as-web-client \
        --conversations "$conversations" --count "$count" --window "$window"
    kill "$server"
    wait "$server" 2>/dev/null || true
    rm -rf "$data"
}

builds=("current=$binary")
[ -z "${LOTSE_BASELINE:-}" ] || builds+=("baseline=$LOTSE_BASELINE")
results=""
for round in $(seq "$rounds"); do
    for build in "${builds[@]}"; do
        results+="${build%%=*} $(run "${build#*=}")"$'\n'
    done
done
python3 - "$results" <<'PY'
import json, statistics, sys
rows = {}
for line in sys.argv[1].strip().splitlines():
    build, result = line.split(" ", 1)
    rows.setdefault(build, []).append(json.loads(result))
for build, results in sorted(rows.items(), reverse=True):
    median = lambda key: statistics.median(r[key] for r in results)
    print(f"{build:9} sends shown in the sending tab: {median('per_second'):7.0f}/s | "
          f"send → shown p50 {median('ack_p50_ms'):6.2f} ms, p99 {median('ack_p99_ms'):6.2f} ms")
PY
