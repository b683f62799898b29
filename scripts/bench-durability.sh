#!/usr/bin/env bash
# Durability benchmark (release builds, loopback), beside Redis with appendfsync always in the
# same run: durable creates per second with 1 and 50 clients; then, at REQUESTS information
# requests (default 1,000,000): snapshot time, recovery time, resident memory, and read p99
# without and during a snapshot while serving.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${1:-5}
requests=${REQUESTS:-1000000}
scripts/install-deps.sh redis-server redis-tools
swift build -c release --product findreviewer-server >/dev/null
swift build -c release --product durability-bench >/dev/null
bin=$(swift build -c release --show-bin-path)
data=$(mktemp -d)
trap 'kill $server_pid $redis_pid 2>/dev/null || true; wait 2>/dev/null; rm -rf "$data"' EXIT
server_pid=
redis_pid=

start_server() { # $1: data dir
  "$bin/findreviewer-server" --listen 127.0.0.1:0 --data-dir "$1" --log-level warn > "$data/out" 2>"$data/err" &
  server_pid=$!
  for _ in $(seq 600); do grep -q "listening on" "$data/out" 2>/dev/null && break; sleep 0.1; done
  address=$(sed -n 's/^listening on //p' "$data/out")
  key=$(python3 -c 'import json,sys; print([k["key"] for k in json.load(open(sys.argv[1]))["keys"] if k["role"]=="admin"][0])' "$1/keys.json")
}

echo "machine: $(nproc) vCPU, $(uname -r); data directory on $(df --output=fstype "$data" | tail -1)"
start_server "$data/writes"
"$bin/durability-bench" writes "$address" "$key" "$seconds" | tee "$data/writes.txt"
kill "$server_pid"; wait "$server_pid" || true

redis_port=$((20000 + RANDOM % 20000))
mkdir -p "$data/redis"
redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$data/redis" --save "" --appendonly yes --appendfsync always --daemonize no > "$data/redis.log" 2>&1 &
redis_pid=$!
for _ in $(seq 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis_line=$(redis-benchmark -p "$redis_port" -t set -c 50 -P 1 -n 200000 -q | tr '\r' '\n' | grep -E "^SET" | tail -1)
echo "redis-benchmark -t set -c 50 -P 1 (appendonly yes, appendfsync always): $redis_line"
kill "$redis_pid"; wait "$redis_pid" 2>/dev/null || true
ours=$(awk '/RESULT_CREATE_50/ {print $2}' "$data/writes.txt")
theirs=$(echo "$redis_line" | sed -n 's/^SET: \([0-9.]*\) requests per second.*/\1/p')
awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "ratio durable creates/s (50 clients) / Redis SET/s (appendfsync always): %.2f\n", a / b }'

"$bin/durability-bench" generate "$data/big" "$requests"
"$bin/durability-bench" recover "$data/big"
start_server "$data/big"
grep -o 'recovered.*' "$data/err" | head -1 || true
echo "server resident memory after recovery: $(awk '/VmRSS/ {print $2, $3}' /proc/$server_pid/status)"
"$bin/durability-bench" snapshot-load "$address" "$key" "$seconds"
