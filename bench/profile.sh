#!/usr/bin/env bash
# Where the server's CPU goes, by thread and function (#21): a release server on core 0 with bench/profile/sampler.c
# preloaded, sampled over the chat peak (bench-load on core 1, 16 conversations × N messages, 4 in flight) or over
# wrk on one authenticated GET, then bench/profile/report.py. Counts samples, not time: compare shares within a
# run, and builds by alternating runs.
# Usage: [LOTSE_BINARY=path] bench/profile.sh chat [messages per conversation, default 20000] [thread filter]
#        [LOTSE_BINARY=path] bench/profile.sh route /api/v1/notifications [thread filter]
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-chat}
source bench/lib.sh  # builds Lotse unless LOTSE_BINARY names a build; start_lotse, stop_lotse
work=$(mktemp -d /tmp/lotse-profile.XXXXXX)
gcc -O2 -shared -fPIC -o "$work/sampler.so" bench/profile/sampler.c
export LD_PRELOAD=$work/sampler.so PROF_OUT=$work/samples
start_lotse "$binary" warning full
unset LD_PRELOAD
if [ "$mode" = chat ]; then
    count=${2:-20000}
    filter=${3:-}
    swift build -c release --product bench-load >/dev/null 2>&1
    people=$(python3 bench/messaging_load.py lotse "http://127.0.0.1:$port" "$data/outbox" --conversations 16 --people-only)
    socket="ws://127.0.0.1:$port/api/v1/socket"
    taskset -c 1 .build/release/bench-load lotse "$socket" "$people" --count 300 --window 4 >/dev/null
    kill -USR2 "$server"
    taskset -c 1 .build/release/bench-load lotse "$socket" "$people" --count "$count" --window 4
else
    path=${2:?a path such as /api/v1/notifications}
    filter=${3:-}
    token=$(python3 bench/make_session.py "http://127.0.0.1:$port" "$data/outbox")
    taskset -c 1 wrk -t1 -c32 -d2s -H "Authorization: Bearer $token" "http://127.0.0.1:$port$path" >/dev/null
    kill -USR2 "$server"
    taskset -c 1 wrk -t1 -c32 -d10s -H "Authorization: Bearer $token" "http://127.0.0.1:$port$path" | grep Requests
fi
kill -USR2 "$server"
sleep 1
stop_lotse
python3 bench/profile/report.py "$work/samples" "$filter" 60
rm -rf "$work"
