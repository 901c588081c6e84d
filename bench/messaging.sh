#!/usr/bin/env bash
# Durable sends per second and delivery latency over WebSockets (issues #3, #21), next to mosquitto as the pub/sub
# ceiling, measured in the same run by the same load generator with the same traffic: N conversations, each sender
# keeping W messages in flight, 200-byte ciphertexts. Lotse answers a send only after its commit (group commit,
# SQLite WAL); mosquitto acknowledges QoS 1 publishes from memory.
#
# The generator is bench/load (Swift on NIO, one thread: `bench-load`); the trivial echo server of the same program
# shows what the generator itself can drive. The Python harness (bench/messaging_load.py, which also signs the
# people up with keys) runs beside it on the same servers with its earlier shape (300 messages each), for continuity.
# Per round and Lotse server also: light load (one conversation, one in flight) and an open-loop run at half of
# that round's peak rate, for the ack latencies the issue asks of both.
#
# The server (or broker) runs pinned to core 0, the load on core 1, all on loopback, bounded in count.
# Usage: bench/messaging.sh [rounds=3] [conversations=16] [messages each=2000] [window=4]
#   LOTSE_SYNC="full normal" also measures synchronous=NORMAL; LOTSE_BINARY=path measures another build.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
conversations=${2:-16}
count=${3:-2000}
window=${4:-4}
python_count=300
command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || { apt-get update -qq && apt-get install -y -qq mosquitto >/dev/null; }
python3 -c 'import websockets, cryptography' 2>/dev/null || python3 -m pip install -q websockets cryptography
swift build -c release --product bench-load >/dev/null
load=.build/release/bench-load
source bench/lib.sh  # builds Lotse unless LOTSE_BINARY names a build; $binary, free_port

lotse_round() {  # synchronous mode -> lines "name JSON"
    local data port server people peak result
    start_lotse "$binary" warning "$1"
    people=$(python3 bench/messaging_load.py lotse "http://127.0.0.1:$port" "$data/outbox" \
        --conversations "$conversations" --people-only)
    local socket="ws://127.0.0.1:$port/api/v1/socket"
    result=$(taskset -c 1 "$load" lotse "$socket" "$people" --count "$count" --window "$window")
    echo "lotse-$1 $result"
    peak=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["per_second"])' "$result")
    echo "lotse-$1-half $(taskset -c 1 "$load" lotse "$socket" "$people" --rate $((peak / 2)) \
        --count $((peak * 3 / 2 / conversations + 1)))"
    python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))[:1]))' "$people" >"$data/one.json"
    echo "lotse-$1-light $(taskset -c 1 "$load" lotse "$socket" "$data/one.json" --count 500 --window 1)"
    echo "python-lotse-$1 $(taskset -c 1 python3 bench/messaging_load.py lotse "http://127.0.0.1:$port" "$data/outbox" \
        --conversations "$conversations" --count "$python_count" --window "$window")"
    stop_lotse
}

mosquitto_round() {
    local port broker
    port=$(free_port)
    taskset -c 0 "$(command -v mosquitto || echo /usr/sbin/mosquitto)" -p "$port" >/dev/null 2>&1 &
    broker=$!
    # Until it listens (half a second was not always enough on a busy machine).
    for _ in $(seq 100); do (: </dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.05; done
    echo "mosquitto $(taskset -c 1 "$load" mqtt "$port" --conversations "$conversations" --count "$count" --window "$window")"
    echo "mosquitto-light $(taskset -c 1 "$load" mqtt "$port" --conversations 1 --count 500 --window 1)"
    echo "python-mosquitto $(taskset -c 1 python3 bench/messaging_load.py mosquitto "$port" \
        --conversations "$conversations" --count "$python_count" --window "$window")"
    kill "$broker"
    wait "$broker" 2>/dev/null || true
}

echo_round() {
    local port echo_server
    port=$(free_port)
    taskset -c 0 "$load" echo-server "$port" >/dev/null &
    echo_server=$!
    sleep 0.5
    echo "echo $(taskset -c 1 "$load" echo "ws://127.0.0.1:$port/" --conversations "$conversations" --count "$count" --window "$window")"
    kill "$echo_server"
    wait "$echo_server" 2>/dev/null || true
}

results=""
for round in $(seq "$rounds"); do
    for mode in ${LOTSE_SYNC:-full}; do results+="$(lotse_round "$mode")"$'\n'; done
    results+="$(mosquitto_round)"$'\n'
    results+="$(echo_round)"$'\n'
done
python3 - "$results" "$conversations" "$count" "$window" "$python_count" <<'PY'
import json, statistics, sys
by_name = {}
for line in sys.argv[1].strip().splitlines():
    name, result = line.split(" ", 1)
    by_name.setdefault(name, []).append(json.loads(result))
conversations, count, window, python_count = sys.argv[2:6]
rounds = len(by_name["mosquitto"])
median = lambda name, key: statistics.median(r.get(key, float("nan")) for r in by_name[name])
print(f"{conversations} conversations, {window} in flight each; bench-load {count} messages each, the Python harness "
      f"{python_count}; light: 1 conversation, 1 in flight; half: open loop at half the round's peak. "
      f"Medians of {rounds} rounds; ratios to mosquitto through the same generator.")
print(f"{'run':36} {'msg/s':>7} {'ratio':>6} {'ack p50':>8} {'p99':>8} {'p99.9':>8} {'deliv p50':>10} {'p99':>8} {'p99.9':>8}")
names = {"echo": "bench-load: trivial echo (its ceiling)", "mosquitto": "bench-load: mosquitto QoS 1",
         "mosquitto-light": "bench-load: mosquitto, light",
         "python-mosquitto": "python: mosquitto QoS 1"}
for mode in ("full", "normal"):
    names[f"lotse-{mode}"] = f"bench-load: Lotse {mode.upper()}"
    names[f"lotse-{mode}-half"] = f"bench-load: Lotse {mode.upper()}, half"
    names[f"lotse-{mode}-light"] = f"bench-load: Lotse {mode.upper()}, light"
    names[f"python-lotse-{mode}"] = f"python: Lotse {mode.upper()}"
for name, label in names.items():
    if name not in by_name:
        continue
    ceiling = median("python-mosquitto" if name.startswith("python") else "mosquitto", "per_second")
    ratio = median(name, "per_second") / ceiling
    cells = [f"{median(name, key):7.2f}ms" for key in ("ack_p50_ms", "ack_p99_ms", "ack_p999_ms")]
    cells += [f"{median(name, key):9.2f}ms" if key.endswith("p50_ms") else f"{median(name, key):7.2f}ms"
              for key in ("delivery_p50_ms", "delivery_p99_ms", "delivery_p999_ms")]
    print(f"{label:36} {median(name, 'per_second'):7.0f} {ratio:6.2f} " + " ".join(cells))
PY
