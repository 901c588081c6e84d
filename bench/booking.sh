#!/usr/bin/env bash
# The booking path (issue #17): a client reads an engagement's free slots and books sessions one after another,
# against the one-query health check as the ceiling, each over one kept-alive connection (bench/booking_load.py).
# A release server on SQLite pinned to core 0, the load on core 1. With LOTSE_BASELINE=path (say, a build of the
# previous commit), that build is measured in the same run, round by round, so the two can be compared. Also
# counts the SQL statements one slots read and one booking cost (a server with LOG_LEVEL=debug logs each).
# Usage: bench/booking.sh [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
python3 -c 'import pyotp' 2>/dev/null || python3 -m pip install -q pyotp
. bench/lib.sh

run() {  # binary, log level -> JSON line (debug: the statements count; otherwise the timings)
    local extra=()
    start_lotse "$1" "$2"
    [ "$2" != debug ] || extra=(--statements "$data/server.log")
    taskset -c 1 python3 bench/booking_load.py "http://127.0.0.1:$port" "$data/outbox" "${extra[@]}"
    stop_lotse
}

results=""
for build in "${builds[@]}"; do
    results+="${build%%=*} statements $(run "${build#*=}" debug)"$'\n'
done
for round in $(seq "$rounds"); do
    for build in "${builds[@]}"; do
        results+="${build%%=*} timing $(run "${build#*=}" warning)"$'\n'
    done
done
python3 - "$results" <<'PY'
import json, statistics, sys
rows = {}
for line in sys.argv[1].strip().splitlines():
    build, kind, result = line.split(" ", 2)
    if result.strip():
        rows.setdefault((build, kind), []).append(json.loads(result))
for build in sorted({build for build, _ in rows}, reverse=True):
    timing = rows.get((build, "timing"), [])
    counted = rows.get((build, "statements"), [{}])[0]
    def median(key):
        return statistics.median(r[key] for r in timing)
    print(f"{build:9} health {median('health_ms'):6.2f} ms | slots {median('slots_ms'):6.2f} ms "
          f"({median('slots_ms') / median('health_ms'):4.1f}× health) | booking {median('booking_ms'):6.2f} ms "
          f"({median('booking_ms') / median('health_ms'):4.1f}× health) | statements: slots "
          f"{counted.get('slots_statements', '?')}, booking {counted.get('booking_statements', '?')}")
PY
