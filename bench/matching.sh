#!/usr/bin/env bash
# The program matcher (Sources/LotseServer/Programs/Matching/Matcher.swift, compiled with -O on its own) against an
# independent reference in the same run: scipy's linear_sum_assignment on the capacity-expanded matrix, and the
# greedy baseline, on seeded instances from bench/matching_instance.py. Fails unless the optimum's total equals
# scipy's (pairs may differ where scores tie) and is at least greedy's; reports the time ratios and the 50 ms target.
#
#   bench/matching.sh [runs=5] [sizes="500x200 2000x700 3000x1000"] [seed=7]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
sizes=${2:-500x200 2000x700 3000x1000}
seed=${3:-7}
work=$(mktemp -d /tmp/lotse-bench-matching.XXXXXX)
trap 'rm -rf "$work"' EXIT
swiftc -O -module-name MatchBench Sources/LotseServer/Programs/Matching/Matcher.swift bench/matching/main.swift \
    -o "$work/match"
printf '%-11s %8s %8s %9s %9s %9s %10s %9s %9s %8s\n' size total greedy matched "swift ms" "scipy ms" "swift/scipy" \
    "/50 ms" "greedy ms" excluded
for size in $sizes; do
    mentees=${size%x*}
    mentors=${size#*x}
    python3 bench/matching_instance.py "$work/$size.bin" "$mentees" "$mentors" "$seed"
    taskset -c 0 "$work/match" "$work/$size.bin" "$runs" > "$work/swift.json"
    taskset -c 0 python3 bench/matching_instance.py --reference "$work/$size.bin" "$runs" > "$work/scipy.json"
    python3 - "$size" "$work/swift.json" "$work/scipy.json" <<'PY'
import json, sys
size, swift, scipy = sys.argv[1], *(json.load(open(p)) for p in sys.argv[2:4])
if swift["total"] != scipy["total"]:
    sys.exit(f"{size}: optimum {swift['total']:.0f} differs from scipy's {scipy['total']}")
if swift["everyoneMatched"] != scipy["everyoneMatched"]:
    sys.exit(f"{size}: 'nobody unmatched first' matched {swift['everyoneMatched']:.0f}, scipy {scipy['everyoneMatched']}")
if swift["total"] < swift["greedyTotal"] or swift["greedyTotal"] != scipy["greedyTotal"]:
    sys.exit(f"{size}: greedy {swift['greedyTotal']:.0f} (Python {scipy['greedyTotal']}) against optimum {swift['total']:.0f}")
s, p = swift["medianMilliseconds"], scipy["medianMilliseconds"]
print(f"{size:<11} {swift['total']:8.0f} {swift['greedyTotal']:8.0f} {swift['matched']:9.0f} {s:9.1f} {p:9.1f} "
      f"{s / p:10.2f} {s / 50:9.2f} {swift['greedyMilliseconds']:9.1f} {scipy['excludedShare']:8.0%}")
PY
done
