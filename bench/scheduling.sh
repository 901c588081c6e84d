#!/usr/bin/env bash
# The 90-day free-slot computation for a busy coach (bench/slots_scenario.py), in Swift as the server runs it
# (Sources/LotseServer/Scheduling/{ZoneOffsets,SlotFinder}.swift with -O) and in the independent Python reference
# (bench/slots_reference.py, zoneinfo). Both run in this one run on the same scenario; the script fails unless they
# offer exactly the same starts, and reports Swift's time against the reference and against the 50 µs target.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/lotse-bench-slots.XXXXXX)
trap 'rm -rf "$work"' EXIT
swiftc -O -module-name SlotBench \
    Sources/LotseServer/Scheduling/ZoneOffsets.swift Sources/LotseServer/Scheduling/SlotFinder.swift \
    bench/slots/main.swift -o "$work/slots" 2>&1 | grep -v "^$" || true
python3 bench/slots_scenario.py "$work/scenario.json" "${RUNS:-2000}"
"$work/slots" "$work/scenario.json" > "$work/swift.json"
python3 bench/slots_reference.py "$work/scenario.json" "${REFERENCE_RUNS:-15}" > "$work/python.json"
python3 - "$work/swift.json" "$work/python.json" <<'PY'
import json, sys
swift, python = (json.load(open(p)) for p in sys.argv[1:3])
if swift["starts"] != python["starts"]:
    a, b = set(swift["starts"]), set(python["starts"])
    sys.exit(f"results differ: only Swift {sorted(a - b)[:5]}, only Python {sorted(b - a)[:5]}")
s, p = swift["medianMicroseconds"], python["medianMicroseconds"]
print(f"free starts offered: {len(swift['starts'])} (identical in Swift and the Python reference)")
print(f"Swift  median {s:9.1f} µs per 90-day computation")
print(f"Python median {p:9.1f} µs (reference, zoneinfo)")
print(f"Swift / reference: {s / p:.4f}   Swift / 50 µs target: {s / 50:.2f}")
PY
