#!/usr/bin/env bash
# RPC reads beside Redis on the same machine, in the same run (release builds, loopback).
# ROUNDS (default 3) rounds; in each, every row runs findreviewer-load with 50 connections x 1
# call in flight on one thread (as redis-benchmark runs: one thread, 50 clients, no pipelining),
# then `redis-benchmark -t get -c 50 -P 1` right after it; each row's ratio per round, then the
# medians, with the CPU per call of the load tool beside the server's (from /proc).
# SECONDS per measurement as $1 (default 5; each run also warms up for 1 s, not counted).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${1:-5}
rounds=${ROUNDS:-3}
scripts/install-deps.sh redis-server redis-tools
swift build -c release --product findreviewer-server >/dev/null
swift build -c release --product findreviewer-load >/dev/null
swift build -c release --product rpc-bench >/dev/null
bin=$(swift build -c release --show-bin-path)
data=$(mktemp -d)
trap 'kill $server_pid $redis_pid 2>/dev/null || true; wait 2>/dev/null; rm -rf "$data"' EXIT
server_pid=
redis_pid=

source scripts/bench-common.sh
start_server "$data/server"
start_redis --appendonly no
redis-cli -p "$redis_port" set key:__rand_int__ xxx >/dev/null

echo "machine: $(nproc) vCPU, $(uname -r); server: findreviewer-server (release) at $address, pid $server_pid"
# Health/Check shapes and the blocking client library, briefly (rpc-bench).
"$bin/rpc-bench" "$address" 2

# Row name, then the --mix of findreviewer-load.
rows=(
  "Health/Check|Check=1"
  "GetReview|GetReview=1"
  "GetInfoRequest|GetInfoRequest=1"
  "ListInfoRequests (page of 20)|ListInfoRequests=1"
  "GetPublicReview|GetPublicReview=1"
  "read mix|read"
)
# Enough requests for about $seconds s of Redis GET at ~100k/s.
redis_requests=$((seconds * 100000))
results="$data/results.tsv"
: > "$results"
for round in $(seq "$rounds"); do
  for row in "${rows[@]}"; do
    name=${row%%|*}
    mix=${row#*|}
    # 10 businesses with 40 reviews and 25 pending requests each: every page of 20 is full, and
    # little seeding (and few emails for the server to file in the background) per run.
    "$bin/findreviewer-load" --server "$address" --data-dir "$data/server" --mix "$mix" --connections 50 --concurrency 1 --threads 1 \
      --duration "$seconds" --warmup 1 --businesses 10 --seed-reviews 40 --seed-pending 25 --server-pid "$server_pid" --json --quiet > "$data/ours.json"
    redis_line=$(redis-benchmark -p "$redis_port" -t get -c 50 -P 1 -n "$redis_requests" -q | tr '\r' '\n' | grep -E "^GET" | tail -1)
    theirs=$(echo "$redis_line" | sed -n 's/^GET: \([0-9.]*\) requests per second.*/\1/p')
    python3 - "$data/ours.json" "$theirs" "$round" "$name" >> "$results" <<'EOF'
import json, sys
ours = json.load(open(sys.argv[1]))
redis, round_, name = float(sys.argv[2]), sys.argv[3], sys.argv[4]
cpu = ours["cpu"]
errors = sum(ours["errors"].values())
fields = [round_, name, ours["throughput"], redis, ours["throughput"] / redis, ours["latency_ms"]["p99"],
          cpu["tool_us_per_call"] or 0, cpu["server_us_per_call"] or 0, errors]
print("\t".join(str(f) for f in fields))
EOF
    tail -1 "$results" | awk -F'\t' '{ printf "round %s  %-30s %9.0f calls/s  p99 %6.3f ms  tool %5.1f us/call  server %5.1f us/call  errors %d | Redis GET %9.0f/s  ratio %.2f\n", $1, $2, $3, $6, $7, $8, $9, $4, $5 }'
  done
done

python3 - "$results" <<'EOF'
import sys, statistics
rows = {}
for line in open(sys.argv[1]):
    round_, name, ours, redis, ratio, p99, tool, server, errors = line.rstrip("\n").split("\t")
    rows.setdefault(name, []).append((float(ours), float(redis), float(ratio), float(p99), float(tool), float(server), int(errors)))
print()
print("| call, 50 connections x 1 | calls/s per round | Redis GET/s per round | ratio per round | median ratio | p99 ms (median) | tool us/call | server us/call | tool/server |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for name, runs in rows.items():
    median = lambda index: statistics.median(run[index] for run in runs)
    tool, server = median(4), median(5)
    print("| %s | %s | %s | %s | **%.2f** | %.3f | %.1f | %.1f | %.2f |" % (
        name, " / ".join("%.0f" % r[0] for r in runs), " / ".join("%.0f" % r[1] for r in runs),
        " / ".join("%.2f" % r[2] for r in runs), median(2), median(3), tool, server, tool / server if server else float("nan")))
    if any(r[6] for r in runs):
        print("  (%s: %d calls failed)" % (name, sum(r[6] for r in runs)))
EOF
