#!/usr/bin/env bash
# Durability benchmark (release builds, loopback): scripts/bench-writes.sh (durable creates per
# second with 1 and 50 clients beside Redis with appendfsync always, in the same run); then, at
# REQUESTS information requests (default 1,000,000): snapshot time, recovery time, resident
# memory, and read p99 without and during a snapshot while serving; ROUNDS (default 3) rounds of
# recovery alternating with Redis 7 loading an RDB of 3 x REQUESTS keys of 120 bytes (DEBUG
# POPULATE, SAVE, restart: "DB loaded from disk"), medians and a targets table. SKIP_WRITES=1
# leaves out scripts/bench-writes.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${1:-5}
requests=${REQUESTS:-1000000}
rounds=${ROUNDS:-3}
swift build -c release --product findreviewer-server >/dev/null
swift build -c release --product durability-bench >/dev/null
scripts/install-deps.sh redis-server redis-tools
bin=$(swift build -c release --show-bin-path)
data=$(mktemp -d)
trap 'kill $server_pid $redis_pid 2>/dev/null || true; wait 2>/dev/null; rm -rf "$data"' EXIT
server_pid=
redis_pid=

source scripts/bench-common.sh

[ -n "${SKIP_WRITES:-}" ] || scripts/bench-writes.sh "$seconds"

"$bin/durability-bench" generate "$data/big" "$requests" | tee "$data/generate.txt"

# Redis' RDB of 3 keys of 120 bytes per request (about our record count per request: the
# request, its review and its email), made once: DEBUG POPULATE, SAVE, shut down.
redis_keys=$((3 * requests))
REDIS_DIR="$data/rdb" start_redis --enable-debug-command local --dbfilename bench.rdb
redis-cli -p "$redis_port" debug populate "$redis_keys" key 120 >/dev/null
redis-cli -p "$redis_port" save >/dev/null
redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
wait "$redis_pid" 2>/dev/null || true
redis_pid=
# redis_load: restarts Redis on that RDB and prints the seconds its log gives for the load.
redis_load() {
  REDIS_DIR="$data/rdb" start_redis --dbfilename bench.rdb
  for _ in $(seq 600); do grep -q "DB loaded from disk" "$data/redis.log" && break; sleep 0.1; done
  sed -n 's/.*DB loaded from disk: \([0-9.]*\) seconds.*/\1/p' "$data/redis.log" | tail -1
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  wait "$redis_pid" 2>/dev/null || true
  redis_pid=
}

# Recovery beside Redis' RDB load, ROUNDS alternating rounds (another VM's load moves single
# runs by ±20 %): each round's ratio, then the medians.
: > "$data/recovery.tsv"
for round in $(seq "$rounds"); do
  "$bin/durability-bench" recover "$data/big" | tee "$data/recover-$round.txt"
  ours=$(awk '/RESULT_RECOVERY_SECONDS/ { print $2 }' "$data/recover-$round.txt")
  theirs=$(redis_load)
  bytes=$(awk '/RESULT_BEYOND_TEXT_BYTES_PER_REQUEST/ { print $2 }' "$data/recover-$round.txt")
  resident=$(awk '/RESULT_RESIDENT_BYTES_PER_REQUEST/ { print $2 }' "$data/recover-$round.txt")
  echo "round $round: recovery of $requests requests $ours s; Redis RDB load of $redis_keys keys x 120 B $theirs s; ratio $(awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "%.2f", a / b }')"
  printf '%s\t%s\t%s\t%s\n' "$ours" "$theirs" "$bytes" "$resident" >> "$data/recovery.tsv"
done

start_server "$data/big"
echo "server resident memory after recovery: $(awk '/VmRSS/ {print $2, $3}' /proc/$server_pid/status)"
: > "$data/snapshot.tsv"
for round in $(seq "$rounds"); do
  "$bin/durability-bench" snapshot-load "$address" "$key" "$seconds" | tee "$data/snapshot-$round.txt"
  awk '/RESULT_SNAPSHOT_SECONDS/ { s = $2 } /RESULT_READ_P99_BEFORE_US/ { b = $2 } /RESULT_READ_P99_DURING_US/ { d = $2 }
    END { printf "%s\t%s\t%s\n", s, b, d }' "$data/snapshot-$round.txt" >> "$data/snapshot.tsv"
done
snapshot_generate=$(awk '/RESULT_GENERATE_SNAPSHOT_SECONDS/ { print $2 }' "$data/generate.txt")

python3 - "$data/recovery.tsv" "$data/snapshot.tsv" "$requests" "$redis_keys" "$snapshot_generate" <<'EOF'
import statistics, sys
recovery = [[float(v) for v in line.split()] for line in open(sys.argv[1]) if line.strip()]
snapshot = [[float(v) for v in line.split()] for line in open(sys.argv[2]) if line.strip()]
requests, keys, generate_snapshot = int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
median = lambda rows, i: statistics.median(r[i] for r in rows)
ratios = [r[0] / r[1] for r in recovery]
p99_ratios = [r[2] / max(1.0, r[1]) for r in snapshot]
print()
print("| figure (%d requests, %d rounds) | per round | median | target | met |" % (requests, len(recovery)))
print("| --- | --- | --- | --- | --- |")
def row(name, values, fmt, target, met):
    print("| %s | %s | %s | %s | %s |" % (name, " / ".join(fmt % v for v in values), fmt % statistics.median(values), target, "yes" if met else "**no**"))
row("recovery, s", [r[0] for r in recovery], "%.2f", "", True)
row("Redis RDB load of %d keys x 120 B, s" % keys, [r[1] for r in recovery], "%.2f", "", True)
row("recovery / Redis RDB load", ratios, "%.2f", "<= 0.50", statistics.median(ratios) <= 0.5)
row("state bytes per request beyond its text", [r[2] for r in recovery], "%.0f", "<= 512", median(recovery, 2) <= 512)
row("resident bytes per request (with text)", [r[3] for r in recovery], "%.0f", "", True)
row("snapshot while serving, s", [r[0] for r in snapshot], "%.2f", "", True)
row("snapshot in generate (idle), s", [generate_snapshot], "%.2f", "", True)
row("read p99 without a snapshot, us", [r[1] for r in snapshot], "%.0f", "", True)
row("read p99 during a snapshot, us", [r[2] for r in snapshot], "%.0f", "", True)
row("read p99 during / without", p99_ratios, "%.2f", "<= 2.00", statistics.median(p99_ratios) <= 2.0)
EOF
