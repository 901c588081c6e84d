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
. bench/lib.sh

run() {  # binary -> JSON line
    start_lotse "$1" warning
    taskset -c 1 python3 bench/messaging_load.py lotse "http://127.0.0.1:$port" "$data/outbox" --as-web-client \
        --conversations "$conversations" --count "$count" --window "$window"
    stop_lotse
}

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
