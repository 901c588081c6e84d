# Shared by the benchmarks that compare this build with an earlier one (booking.sh, send_ack.sh, ceiling.sh); sourced.
# `builds` lists "name=binary": the build under test (LOTSE_BINARY, else a release build of this tree) and, with
# LOTSE_BASELINE=path, an earlier build measured in the same run, round by round.
binary=${LOTSE_BINARY:-.build/release/lotse}
[ -n "${LOTSE_BINARY:-}" ] || swift build -c release --product lotse >/dev/null
builds=("current=$binary")
[ -z "${LOTSE_BASELINE:-}" ] || builds+=("baseline=$LOTSE_BASELINE")

# wrk_rate URL [HEADER]: requests/s of wrk -t1 -c32 on core 1 for $seconds; any non-2xx answer fails the run.
wrk_rate() {
    local output errors
    output=$(taskset -c 1 wrk -t1 -c32 -d"${seconds}s" ${2:+-H "$2"} "$1")
    errors=$(awk '/Non-2xx/ {print $5}' <<<"$output")
    [ -z "$errors" ] || { echo "$1: $errors non-2xx answers" >&2; exit 1; }
    awk '/Requests\/sec/ {print $2}' <<<"$output"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start_lotse BINARY LOG_LEVEL [SYNCHRONOUS=full] [DATA] [CORES=0]: a server pinned to CORES, on SQLite in a fresh data
# folder unless DATA names one (to start again on what an earlier server left), or on PostgreSQL when $database_url
# is set (with the secrets every instance shares); sets $data, $port and $server.
start_lotse() {
    data=${4:-$(mktemp -d /tmp/lotse-bench.XXXXXX)}
    port=$(free_port)
    local shared=()
    [ -z "${database_url:-}" ] || shared=("DATABASE_URL=$database_url"
        "LOTSE_SECRET=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" "LOTSE_AUDIT_KEY=AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=")
    env "${shared[@]}" LOTSE_DATA_DIR=$data LOTSE_PORT=$port LOTSE_BCRYPT_COST=4 LOTSE_TRUSTED_PROXIES=127.0.0.1 LOG_LEVEL=$2 \
        LOTSE_SQLITE_SYNCHRONOUS=${3:-full} taskset -c "${5:-0}" "$1" serve --env production >>"$data/server.log" 2>&1 &
    server=$!
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.1; done
}

# stop_server: stops it and keeps its data folder; stop_lotse: stops it and removes the folder.
stop_server() {
    kill "$server"
    wait "$server" 2>/dev/null || true
}

stop_lotse() {
    stop_server
    rm -rf "$data"
}
