#!/usr/bin/env bash
# RPC benchmark beside Redis on the same machine, in the same run (release builds, loopback).
# Prints calls/s and p50/p99 for three shapes, redis-benchmark's GET rate, and the ratio.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${1:-5}
scripts/install-deps.sh redis-server redis-tools
swift build -c release --product findreviewer-server >/dev/null
swift build -c release --product rpc-bench >/dev/null
bin=$(swift build -c release --show-bin-path)
data=$(mktemp -d)
trap 'kill $server_pid $redis_pid 2>/dev/null || true; rm -rf "$data"' EXIT

source scripts/bench-common.sh
start_server "$data/server"
start_redis --appendonly no
redis-cli -p "$redis_port" set key:__rand_int__ xxx >/dev/null

echo "machine: $(nproc) vCPU, $(uname -r); server: findreviewer-server (release) at $address"
"$bin/rpc-bench" "$address" "$seconds" | tee "$data/rpc"
redis_line=$(redis-benchmark -p "$redis_port" -t get -c 50 -P 1 -n 400000 -q | tr '\r' '\n' | grep -E "^GET" | tail -1)
echo "redis-benchmark -t get -c 50 -P 1: $redis_line"
ours=$(awk '/RESULT_50x1/ {print $2}' "$data/rpc")
theirs=$(echo "$redis_line" | sed -n 's/^GET: \([0-9.]*\) requests per second.*/\1/p')
awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "ratio 50x1 calls/s / Redis GET/s: %.2f\n", a / b }'
