#!/usr/bin/env bash
# Durable sends per second and delivery latency over WebSockets (issue #3), next to mosquitto as the pub/sub
# ceiling, measured in the same run with the same harness (bench/messaging_load.py) and the same traffic:
# N conversations, each sender keeping W messages in flight, 200-byte ciphertexts. Lotse answers a send only
# after its commit (group commit, SQLite WAL); mosquitto acknowledges QoS 1 publishes from memory.
# The server (or broker) runs pinned to core 0, the load on core 1, all on loopback, bounded in count.
# Usage: bench/messaging.sh [rounds, default 3] [conversations, default 16] [messages each, default 300] [window, default 4]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
conversations=${2:-16}
count=${3:-300}
window=${4:-4}
command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || { apt-get update -qq && apt-get install -y -qq mosquitto >/dev/null; }
python3 -c 'import websockets, cryptography' 2>/dev/null || python3 -m pip install -q websockets cryptography
binary=${LOTSE_BINARY:-.build/release/lotse}
[ -n "${LOTSE_BINARY:-}" ] || swift build -c release --product lotse >/dev/null
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

run_lotse() {  # synchronous mode -> JSON line
    local data port server
    data=$(mktemp -d /tmp/lotse-bench.XXXXXX)
    port=$(free_port)
    LOTSE_DATA_DIR=$data LOTSE_PORT=$port LOTSE_BCRYPT_COST=4 LOTSE_TRUSTED_PROXIES=127.0.0.1 \
        LOTSE_SQLITE_SYNCHRONOUS=$1 LOG_LEVEL=warning taskset -c 0 "$binary" serve --env production \
        >"$data/server.log" 2>&1 &
    server=$!
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.1; done
    taskset -c 1 python3 bench/messaging_load.py lotse "http://127.0.0.1:$port" "$data/outbox" \
        --conversations "$conversations" --count "$count" --window "$window"
    kill "$server"
    wait "$server" 2>/dev/null || true
    rm -rf "$data"
}

run_mosquitto() {
    local port broker
    port=$(free_port)
    taskset -c 0 "$(command -v mosquitto || echo /usr/sbin/mosquitto)" -p "$port" >/dev/null 2>&1 &
    broker=$!
    sleep 0.5
    taskset -c 1 python3 bench/messaging_load.py mosquitto "$port" \
        --conversations "$conversations" --count "$count" --window "$window"
    kill "$broker"
    wait "$broker" 2>/dev/null || true
}

results=""
for round in $(seq "$rounds"); do
    results+="full $(run_lotse full)"$'\n'
    results+="normal $(run_lotse normal)"$'\n'
    results+="mosquitto $(run_mosquitto)"$'\n'
done
python3 - "$results" "$conversations" "$count" "$window" <<'PY'
import json, statistics, sys
rows = [line.split(" ", 1) for line in sys.argv[1].strip().splitlines()]
by_peer = {}
for peer, result in rows:
    by_peer.setdefault(peer, []).append(json.loads(result))
ceiling = statistics.median(r["per_second"] for r in by_peer["mosquitto"])
print(f"{sys.argv[2]} conversations x {sys.argv[3]} messages, {sys.argv[4]} in flight each; medians of {len(by_peer['mosquitto'])} rounds")
print(f"{'peer':34} {'msg/s':>7} {'ratio':>6} {'ack p50':>8} {'ack p99':>8} {'deliv p50':>10} {'deliv p99':>10}")
names = {"full": "Lotse, SQLite synchronous=FULL", "normal": "Lotse, SQLite synchronous=NORMAL", "mosquitto": "mosquitto QoS 1 (ceiling)"}
for peer in ("full", "normal", "mosquitto"):
    results = by_peer[peer]
    median = lambda key: statistics.median(r[key] for r in results)
    print(f"{names[peer]:34} {median('per_second'):7.0f} {median('per_second') / ceiling:6.2f} "
          f"{median('ack_p50_ms'):7.1f}ms {median('ack_p99_ms'):7.1f}ms {median('delivery_p50_ms'):9.1f}ms {median('delivery_p99_ms'):9.1f}ms")
PY
