#!/usr/bin/env bash
# Durability benchmark (release builds, loopback): scripts/bench-writes.sh (durable creates per
# second with 1 and 50 clients beside Redis with appendfsync always, in the same run); then, at
# REQUESTS information requests (default 1,000,000): snapshot time, recovery time, resident
# memory, and read p99 without and during a snapshot while serving.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${1:-5}
requests=${REQUESTS:-1000000}
swift build -c release --product findreviewer-server >/dev/null
swift build -c release --product durability-bench >/dev/null
bin=$(swift build -c release --show-bin-path)
data=$(mktemp -d)
trap 'kill $server_pid 2>/dev/null || true; wait 2>/dev/null; rm -rf "$data"' EXIT
server_pid=

source scripts/bench-common.sh

scripts/bench-writes.sh "$seconds"

"$bin/durability-bench" generate "$data/big" "$requests"
# Recovery three times (another VM's load moves single runs by ±20 %): each, then the median.
for round in 1 2 3; do "$bin/durability-bench" recover "$data/big" | tee "$data/recover-$round.txt"; done
awk '/RESULT_RECOVERY_SECONDS/ { print $2 }' "$data"/recover-*.txt | sort -n |
  awk '{ v[NR] = $1 } END { printf "recovery of the same snapshot, median of %d runs: %.2f s\n", NR, v[int((NR + 1) / 2)] }'
start_server "$data/big"
grep -o 'recovered.*' "$data/err" | head -1 || true
echo "server resident memory after recovery: $(awk '/VmRSS/ {print $2, $3}' /proc/$server_pid/status)"
"$bin/durability-bench" snapshot-load "$address" "$key" "$seconds"
