#!/usr/bin/env bash
# The chat and API benchmarks on PostgreSQL (Debian's, durable: fsync and synchronous commit as shipped), with one
# instance and with two sharing it, next to SQLite in the same run (#21). Each round, on fresh databases:
#   sqlite        one instance on SQLite (synchronous=FULL), pinned to core 0
#   pg-1          one instance on PostgreSQL; the instance and PostgreSQL share core 0
#   pg-2          two instances on core 0 with PostgreSQL: every sender on A, every receiver on B, so each message
#                 crosses instances through the relay (LISTEN/NOTIFY) and B loads it from the database
#   pg-1-both     one instance, it and PostgreSQL free to use both cores
#   pg-2-both     A on core 0, B on core 1, PostgreSQL on both
# The load (bench-load, bench/load) runs on core 1 for the pinned ones and floats for the "both" ones; per
# configuration the peak (N conversations, W in flight each), an open loop at half of it, and light load (one
# conversation, one in flight). The API part: wrk (-t1 -c32, core 1) against `GET /api/v1/health` (one query) and
# `GET /api/v1/account` (authenticated) on sqlite and pg-1, next to bare Vapor (bench/vapor) on core 0.
# Medians of the rounds. All on loopback, bounded in count.
# Usage: [LOTSE_BINARY=path] bench/postgres.sh [rounds=3] [conversations=16] [messages each=2000] [window=4] [seconds=3]
set -euo pipefail
shopt -s inherit_errexit  # a failed run inside $(…) stops the benchmark
cd "$(dirname "$0")/.."
rounds=${1:-3}
conversations=${2:-16}
count=${3:-2000}
window=${4:-4}
seconds=${5:-3}
[ -n "$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null)" ] || { apt-get update -qq && apt-get install -y -qq postgresql >/dev/null; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
python3 -c 'import websockets, cryptography' 2>/dev/null || python3 -m pip install -q websockets cryptography
swift build -c release --product bench-load >/dev/null
swift build -c release --product bench-vapor >/dev/null
load=.build/release/bench-load
source bench/lib.sh  # builds Lotse unless LOTSE_BINARY names a build; $binary, start_lotse, wrk_rate, free_port

pg_dir=$(mktemp -d /tmp/lotse-bench-pg.XXXXXX)
pg_port=$(free_port)
admin=$(scripts/postgres start "$pg_dir" "$pg_port" durable)
servers=()
folders=()  # the instances' data folders
vapor=""
cleanup() {
    kill "${servers[@]}" $vapor 2>/dev/null || true
    wait 2>/dev/null || true
    scripts/postgres stop "$pg_dir"
    rm -rf "$pg_dir" "${folders[@]}"
}
trap cleanup EXIT
psql_admin() { psql -q -X "$admin" -c "$1" >/dev/null; }
pg_cores() {  # this PostgreSQL's processes; backends started later inherit the postmaster's cores
    local postmaster
    postmaster=$(head -n 1 "$pg_dir/data/postmaster.pid")
    for pid in "$postmaster" $(pgrep -P "$postmaster"); do taskset -a -cp "$1" "$pid" >/dev/null; done
}
database=0
fresh_database() {  # -> sets database_url to an empty database
    database=$((database + 1))
    psql_admin "CREATE DATABASE bench_$database"
    database_url="${admin%/postgres}/bench_$database"
}

# chat LABEL SENDER_PORT RECEIVER_PORT DATA LOAD_CORES -> lines "label[-half|-light] JSON"
chat() {
    local people peak result one
    people=$(python3 bench/messaging_load.py lotse "http://127.0.0.1:$2" "$4/outbox" \
        --conversations "$conversations" --people-only)
    local run=(taskset -c "$5" "$load" lotse "ws://127.0.0.1:$2/api/v1/socket" --receive-at "ws://127.0.0.1:$3/api/v1/socket"
        --timeout 300)
    result=$("${run[@]}" "$people" --count "$count" --window "$window")
    echo "$1 $result"
    peak=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["per_second"])' "$result")
    echo "$1-half $("${run[@]}" "$people" --rate $((peak / 2)) --count $((peak * 3 / 2 / conversations + 1)))"
    one=$4/one.json
    python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))[:1]))' "$people" >"$one"
    echo "$1-light $("${run[@]}" "$one" --count 500 --window 1)"
}

# api LABEL PORT DATA -> "label health account" in requests/s
api() {
    local token health account
    token=$(python3 bench/make_session.py "http://127.0.0.1:$2" "$3/outbox")
    health=$(wrk_rate "http://127.0.0.1:$2/api/v1/health")
    account=$(wrk_rate "http://127.0.0.1:$2/api/v1/account" "Authorization: Bearer $token")
    echo "$1 $health $account"
}

# start_one CORES: one instance on $database_url (SQLite when empty); sets $port and $data
start_one() {
    start_lotse "$binary" warning full "" "$1"
    servers+=("$server") folders+=("$data")
}

# two_instances CORES_A CORES_B: A and B on $database_url; sets $a_port $b_port $a_data
two_instances() {
    start_one "$1"
    a_port=$port a_data=$data
    start_one "$2"
    b_port=$port
}

stop_all() {
    kill "${servers[@]}" 2>/dev/null || true
    for pid in "${servers[@]}"; do wait "$pid" 2>/dev/null || true; done
    servers=()
    rm -rf "${folders[@]}"
    folders=()
}

# on_postgres SUFFIX CORES CORES_A CORES_B LOAD_CORES [api]: pg-1SUFFIX (one instance and PostgreSQL on CORES) and
# pg-2SUFFIX (A and B), each on a fresh database; with `api`, also the API on pg-1
on_postgres() {
    pg_cores "$2"
    fresh_database
    start_one "$2"
    [ -z "${6:-}" ] || results+="$(api pg-1-api "$port" "$data")"$'\n'
    results+="$(chat "pg-1$1" "$port" "$port" "$data" "$5")"$'\n'
    stop_all
    fresh_database
    two_instances "$3" "$4"
    results+="$(chat "pg-2$1" "$a_port" "$b_port" "$a_data" "$5")"$'\n'
    stop_all
}

vapor_port=$(free_port)
PORT=$vapor_port taskset -c 0 .build/release/bench-vapor serve --env production --log warning >/dev/null 2>&1 &
vapor=$!
for _ in $(seq 150); do curl -sf "http://127.0.0.1:$vapor_port/plain" >/dev/null && break; sleep 0.1; done

results=""
for round in $(seq "$rounds"); do
    results+="vapor $(wrk_rate "http://127.0.0.1:$vapor_port/plain")"$'\n'
    database_url=""
    start_one 0
    results+="$(api sqlite-api "$port" "$data")"$'\n'
    results+="$(chat sqlite "$port" "$port" "$data" 1)"$'\n'
    stop_all
    on_postgres "" 0 0 0 1 api
    on_postgres -both 0,1 0 1 0,1
done
echo "$results" >&2
python3 - "$results" "$conversations" "$count" "$window" <<'PY'
import json, statistics, sys
chats, apis, vapor = {}, {}, []
for line in sys.argv[1].strip().splitlines():
    name, rest = line.split(" ", 1)
    if name == "vapor":
        vapor.append(float(rest))
    elif name.endswith("-api"):
        apis.setdefault(name[:-4], []).append(list(map(float, rest.split())))
    else:
        chats.setdefault(name, []).append(json.loads(rest))
conversations, count, window = sys.argv[2:5]
print(f"Chat: {conversations} conversations x {count} messages, {window} in flight each; half: open loop at half the "
      f"peak; light: one conversation, one in flight. Medians of {len(vapor)} rounds.")
print(f"{'configuration':12} {'msg/s':>7} {'to sqlite':>9} {'ack p50':>8} {'p99':>8} {'p99.9':>8} {'deliv p50':>10} "
      f"{'p99':>8} {'half: ack p99':>14} {'light: ack p50':>15} {'p99':>8}")
median = lambda name, key: statistics.median(r[key] for r in chats[name])
for name in ("sqlite", "pg-1", "pg-2", "pg-1-both", "pg-2-both"):
    if name not in chats:
        continue
    print(f"{name:12} {median(name, 'per_second'):7.0f} {median(name, 'per_second') / median('sqlite', 'per_second'):9.2f} "
          + " ".join(f"{median(name, k):6.2f}ms" for k in ("ack_p50_ms", "ack_p99_ms", "ack_p999_ms"))
          + f" {median(name, 'delivery_p50_ms'):8.2f}ms {median(name, 'delivery_p99_ms'):6.2f}ms"
          + f" {median(name + '-half', 'ack_p99_ms'):12.2f}ms"
          + f" {median(name + '-light', 'ack_p50_ms'):13.2f}ms {median(name + '-light', 'ack_p99_ms'):6.2f}ms")
print(f"\nAPI (wrk -c32 on core 1, servers on core 0): bare Vapor {statistics.median(vapor):.0f} req/s")
for name, rows in apis.items():
    health = statistics.median(r[0] for r in rows)
    account = statistics.median(r[1] for r in rows)
    print(f"{name:12} health {health:7.0f} req/s ({health / statistics.median(vapor):.2f} of Vapor), "
          f"account {account:7.0f} req/s ({account / statistics.median(vapor):.2f})")
PY
