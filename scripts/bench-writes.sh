#!/usr/bin/env bash
# Durable writes (release builds, loopback), beside Redis with appendfsync always in the same
# run: durable CreateInfoRequest per second with 1 client, then ROUNDS (default 3) alternating
# rounds of 50 clients against us and `redis-benchmark -t set -c 50 -P 1` against
# `appendonly yes` + `appendfsync always`; each round's ratio and their median (another VM's
# load moves single runs by ±20 %). `make bench-writes` runs only this; `make bench` runs it
# inside scripts/bench-durability.sh. SECONDS per measurement as $1 (default 5).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${1:-5}
scripts/install-deps.sh redis-server redis-tools
swift build -c release --product findreviewer-server >/dev/null
swift build -c release --product durability-bench >/dev/null
bin=$(swift build -c release --show-bin-path)
data=$(mktemp -d)
trap 'kill $server_pid $redis_pid 2>/dev/null || true; wait 2>/dev/null; rm -rf "$data"' EXIT
server_pid=
redis_pid=

echo "machine: $(nproc) vCPU, $(uname -r); data directory on $(df --output=fstype "$data" | tail -1)"
rounds=${ROUNDS:-3}
source scripts/bench-common.sh
# Each measurement of ours on a fresh server and data directory, stopped afterwards: its email
# backlog must not deliver (and sync the file system) while Redis is measured. The directories
# stay until the script exits: on ext4 without a journal (these machines), inodes freed less than
# 30 s earlier are skipped one by one when new files are created, so removing a round's 200,000+
# email files just before the next round made that round's email writing several times dearer.
measure_ours() { # $1: clients, $2: output file
  start_server "$data/writes-$2"
  "$bin/durability-bench" writes "$address" "$key" "$seconds" "$1" | tee "$data/$2"
  kill "$server_pid"; wait "$server_pid" || true
  server_pid=
}

start_redis --appendonly yes --appendfsync always

measure_ours 1 one.txt
ratios=()
for round in $(seq "$rounds"); do
  measure_ours 50 "round-$round.txt"
  ours=$(awk '/RESULT_CREATE_50/ {print $2}' "$data/round-$round.txt")
  redis_line=$(redis-benchmark -p "$redis_port" -t set -c 50 -P 1 -n 200000 -q | tr '\r' '\n' | grep -E "^SET" | tail -1)
  theirs=$(echo "$redis_line" | sed -n 's/^SET: \([0-9.]*\) requests per second.*/\1/p')
  ratio=$(awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "%.2f", a / b }')
  ratios+=("$ratio")
  echo "round $round: redis-benchmark -t set -c 50 -P 1 (appendonly yes, appendfsync always): $redis_line; ratio $ratio"
done
kill "$redis_pid"; wait "$redis_pid" 2>/dev/null || true
redis_pid=
median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
echo "ratio durable creates/s (50 clients) / Redis SET/s (appendfsync always): median $median of ${ratios[*]}"
