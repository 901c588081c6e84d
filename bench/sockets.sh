#!/usr/bin/env bash
# What an idle signed-in device costs the server (#21): N idle authenticated WebSockets (default 10,000), measured
# as the server's resident memory before and after they are open, while 1 % of that many sockets chat.
#
# Set-up (not measured): a release server on SQLite signs up one client through the API (bench/make_session.py)
# and the chatting people with keys (bench/messaging_load.py --people-only: N/200 conversations, two sockets each);
# then the server stops and bench/sockets_seed.py copies the client N times straight into the database, each copy
# with its own session and bearer token. The server restarts pinned to core 0; bench-load (bench/load) on core 1
# chats once without idle sockets, opens the N idle sockets (each counted when its `hello` arrives), and chats again.
# The server's RSS (VmRSS) is read when it is warm, with the sockets open and idle for 11 s (two of the session
# cache's sweeps), and after the second chat.
# Usage: bench/sockets.sh [idle sockets=10000] [messages per conversation=500]
set -euo pipefail
cd "$(dirname "$0")/.."
idle=${1:-10000}
count=${2:-500}
conversations=$(((idle / 100 + 1) / 2))
python3 -c 'import websockets, cryptography' 2>/dev/null || python3 -m pip install -q websockets cryptography
swift build -c release --product bench-load >/dev/null
load=.build/release/bench-load
source bench/lib.sh  # builds Lotse unless LOTSE_BINARY names a build; $binary, free_port
ulimit -n "$(ulimit -Hn)"

rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$server/status"; }
trap 'kill "${server:-}" 2>/dev/null || true; rm -rf "${data:-}"' EXIT

start_lotse "$binary" warning
template=$(python3 bench/make_session.py "http://127.0.0.1:$port" "$data/outbox")
people=$(python3 bench/messaging_load.py lotse "http://127.0.0.1:$port" "$data/outbox" \
    --conversations "$conversations" --people-only)
stop_server
python3 bench/sockets_seed.py "$data/lotse.sqlite" "$template" "$idle" "$data/tokens"

start_lotse "$binary" warning full "$data"
socket="ws://127.0.0.1:$port/api/v1/socket"
# Warm: every code path the measurement uses has run once, and the chat without idle sockets for comparison.
taskset -c 1 "$load" lotse "$socket" "$people" --count 50 --window 1 >/dev/null
alone=$(taskset -c 1 "$load" lotse "$socket" "$people" --count "$count" --window 1)
before=$(rss_kib)
coproc IDLE { taskset -c 1 "$load" idle "$socket" "$data/tokens"; }
read -r opened <&"${IDLE[0]}"
# Idle: the session cache drops the handshakes' sessions (and gives a burst's memory back) at its five-second sweeps.
sleep 11
with_sockets=$(rss_kib)
beside=$(taskset -c 1 "$load" lotse "$socket" "$people" --count "$count" --window 1)
after_chat=$(rss_kib)
exec {IDLE[1]}>&-
wait "$IDLE_PID" 2>/dev/null || true
stop_server
python3 - "$idle" "$opened" "$before" "$with_sockets" "$after_chat" "$alone" "$beside" "$conversations" <<'PY'
import json, sys
idle, opened, before, with_sockets, after_chat = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:6])
alone, beside, conversations = json.loads(sys.argv[6]), json.loads(sys.argv[7]), sys.argv[8]
count = int(opened.split()[1])
print(f"{opened} idle sockets (asked for {idle}); {conversations} conversations chat (2 sockets each, 1 in flight)")
print(f"server RSS warm {before / 1024:.1f} MiB, with the sockets {with_sockets / 1024:.1f} MiB, "
      f"after the chat {after_chat / 1024:.1f} MiB")
print(f"per idle socket: {(with_sockets - before) * 1024 / count / 1000:.1f} kB "
      f"({(after_chat - before) * 1024 / count / 1000:.1f} kB after the chat); target <= 16 kB")
for label, result in (("chat alone", alone), ("chat beside them", beside)):
    print(f"{label:18} {result['per_second']:6} msg/s, ack p50 {result['ack_p50_ms']} ms, p99 {result['ack_p99_ms']} ms, "
          f"delivery p99 {result['delivery_p99_ms']} ms")
PY
