#!/usr/bin/env bash
# Durable writes (release builds, loopback), beside Redis with appendfsync always in the same
# run: ROUNDS (default 3) alternating rounds; in each, for 1 and then 50 clients, durable
# CreateInfoRequest/s and p50 on a fresh server, then `redis-benchmark -t set -c N -P 1 --csv`
# against `appendonly yes` + `appendfsync always` right after it; each round's ratios of rates
# and of p50, and their medians (another VM's load moves single runs by ±20 %). Then the write
# preset of findreviewer-load (50 connections, fresh server each round): throughput, p99,
# errors, CPU per call. Refusal/error rates are printed; over 1 % is flagged (and
# durability-bench writes fails). `make bench-writes` runs only this; `make bench` runs it
# inside scripts/bench-durability.sh. SECONDS per measurement as $1 (default 5).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${1:-5}
scripts/install-deps.sh redis-server redis-tools
swift build -c release --product findreviewer-server >/dev/null
swift build -c release --product durability-bench >/dev/null
swift build -c release --product findreviewer-load >/dev/null
bin=$(swift build -c release --show-bin-path)
data=$(mktemp -d)
trap 'kill $server_pid $redis_pid 2>/dev/null || true; wait 2>/dev/null; rm -rf "$data"' EXIT
server_pid=
redis_pid=

echo "machine: $(nproc) vCPU, $(uname -r); data directory on $(df --output=fstype "$data" | tail -1); $(uptime)"
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
# measure_redis CLIENTS: redis-benchmark SET for about $seconds s (its request count from a short
# calibration run); prints "rps p50_ms".
measure_redis() {
  local calib n
  calib=$(redis-benchmark -p "$redis_port" -t set -c "$1" -P 1 -n $(( $1 * 200 )) --csv | awk -F'"' '$2 == "SET" { print $4 }')
  n=$(awk -v r="$calib" -v s="$seconds" 'BEGIN { printf "%d", r * s }')
  redis-benchmark -p "$redis_port" -t set -c "$1" -P 1 -n "$n" --csv | awk -F'"' '$2 == "SET" { print $4, $10 }'
}

start_redis --appendonly yes --appendfsync always
results="$data/writes.tsv"
: > "$results"
for round in $(seq "$rounds"); do
  for clients in 1 50; do
    measure_ours "$clients" "round-$round-$clients.txt"
    out="$data/round-$round-$clients.txt"
    ours=$(awk -v c="$clients" '$1 == "RESULT_CREATE_" c { print $2 }' "$out")
    ours_p50=$(awk -v c="$clients" '$1 == "RESULT_CREATE_P50_US_" c { print $2 }' "$out")
    read -r errors calls < <(awk -v c="$clients" '$1 == "RESULT_CREATE_ERRORS_" c { print $2, $3 }' "$out")
    read -r theirs theirs_p50_ms < <(measure_redis "$clients")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$clients" "$ours" "$ours_p50" "$theirs" "$theirs_p50_ms" "$errors" "$calls" >> "$results"
    tail -1 "$results" | awk -F'\t' '{ printf "round %s, %s client(s): ours %.0f creates/s p50 %d us errors %d of %d (%.2f %%) | Redis SET (appendfsync always) %.0f/s p50 %.0f us | rate ratio %.2f, p50 ratio %.2f\n", $1, $2, $3, $4, $7, $8, $8 ? 100 * $7 / $8 : 0, $5, $6 * 1000, $3 / $5, $4 / ($6 * 1000) }'
  done
done
kill "$redis_pid"; wait "$redis_pid" 2>/dev/null || true
redis_pid=

# The write preset of findreviewer-load: 50 connections, one call in flight each, fresh server per round.
load="$data/load.tsv"
: > "$load"
for round in $(seq "$rounds"); do
  start_server "$data/load-$round"
  "$bin/findreviewer-load" --server "$address" --data-dir "$data/load-$round" --mix write --connections 50 --concurrency 1 \
    --duration "$seconds" --warmup 1 --server-pid "$server_pid" --json --quiet > "$data/load-$round.json" || true
  kill "$server_pid"; wait "$server_pid" || true
  server_pid=
  python3 - "$data/load-$round.json" "$round" >> "$load" <<'EOF'
import json, sys
o = json.load(open(sys.argv[1]))
errors = sum(o["errors"].values())
cpu = o["cpu"]
print("\t".join(str(f) for f in [sys.argv[2], o["throughput"], o["latency_ms"]["p50"], o["latency_ms"]["p99"], errors, o["calls"],
      cpu["tool_us_per_call"] or 0, cpu["server_us_per_call"] or 0, json.dumps(o["errors"]), o.get("failure") or ""]))
EOF
  tail -1 "$load" | awk -F'\t' '{ printf "round %s, findreviewer-load --mix write, 50 connections: %.0f calls/s p50 %.3f ms p99 %.3f ms errors %d of %d (%.2f %%) %s; tool %.1f us/call, server %.1f us/call %s\n", $1, $2, $3, $4, $5, $6, $6 ? 100 * $5 / $6 : 0, $9, $7, $8, $10 }'
done

python3 - "$results" "$load" <<'EOF'
import sys, statistics
med = statistics.median
rows = {}
for line in open(sys.argv[1]):
    r, c, ours, p50, redis, redis_p50_ms, errors, calls = line.rstrip("\n").split("\t")
    rows.setdefault(int(c), []).append((float(ours), float(p50), float(redis), float(redis_p50_ms) * 1000, int(errors), int(calls)))
print()
print("| durable creates | creates/s per round | Redis SET/s per round | median rate ratio | our p50 us (median) | Redis p50 us (median) | median p50 ratio | errors |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
summary = {}
for c, runs in sorted(rows.items()):
    rate_ratio = med(r[0] / r[2] for r in runs)
    p50_ratio = med(r[1] / r[3] for r in runs)
    errors, calls = sum(r[4] for r in runs), sum(r[5] for r in runs)
    summary[c] = (rate_ratio, p50_ratio, errors, calls)
    flag = " **over 1 %**" if calls and errors * 100 > calls else ""
    print("| %d client(s) | %s | %s | **%.2f** | %.0f | %.0f | **%.2f** | %d of %d (%.2f %%)%s |" % (
        c, " / ".join("%.0f" % r[0] for r in runs), " / ".join("%.0f" % r[2] for r in runs), rate_ratio,
        med(r[1] for r in runs), med(r[3] for r in runs), p50_ratio, errors, calls, 100 * errors / max(1, calls), flag))
loads = [line.rstrip("\n").split("\t") for line in open(sys.argv[2])]
print()
print("| findreviewer-load --mix write, 50 connections | calls/s per round | median calls/s | p99 ms (median) | errors | tool us/call | server us/call |")
print("| --- | --- | --- | --- | --- | --- | --- |")
lerr, lcalls = sum(int(l[4]) for l in loads), sum(int(l[5]) for l in loads)
if loads:
    print("| write preset | %s | **%.0f** | %.3f | %d of %d (%.2f %%)%s | %.1f | %.1f |" % (
        " / ".join("%.0f" % float(l[1]) for l in loads), med(float(l[1]) for l in loads), med(float(l[3]) for l in loads),
        lerr, lcalls, 100 * lerr / max(1, lcalls), " **over 1 %**" if lcalls and lerr * 100 > lcalls else "",
        med(float(l[6]) for l in loads), med(float(l[7]) for l in loads)))
print()
print("| figure | measured (median of %d rounds) | target | met |" % len(loads or rows.get(50, [])))
print("| --- | --- | --- | --- |")
if 50 in summary:
    print("| durable creates/s, 50 clients / Redis SET/s (AOF always) | %.2f× | ≥ 1.0× | %s |" % (summary[50][0], "yes" if summary[50][0] >= 1.0 else "no"))
if 1 in summary:
    print("| 1-client p50 / Redis 1-client p50 | %.2f× | ≤ 1.10× | %s |" % (summary[1][1], "yes" if summary[1][1] <= 1.10 else "no"))
    print("| durable creates/s, 1 client / Redis SET/s | %.2f× | (none) | |" % summary[1][0])
for c, s in sorted(summary.items()):
    print("| create errors, %d client(s) | %.2f %% | ≤ 1 %% (else not a figure of durable writes) | %s |" % (c, 100 * s[2] / max(1, s[3]), "yes" if s[2] * 100 <= s[3] else "no"))
if loads:
    print("| write preset errors | %.2f %% | ≤ 1 %% | %s |" % (100 * lerr / max(1, lcalls), "yes" if lerr * 100 <= lcalls else "no"))
EOF
