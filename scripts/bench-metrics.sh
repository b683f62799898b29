#!/usr/bin/env bash
# Cost of a metrics update on the hot path (counter increment + histogram observe on a shard),
# release build: nanoseconds per pair, then instructions per pair and heap allocations from
# valgrind (deterministic): two runs of N and 2N pairs, their difference divided by N.
set -euo pipefail
swift build -c release --product metrics-bench >/dev/null
bin="$(swift build -c release --show-bin-path)/metrics-bench"
echo "== wall time (noisy on a shared machine; best of 5 rounds of 20M pairs)"
"$bin"
if ! command -v valgrind >/dev/null; then
  echo "valgrind not installed: no instruction counts"
  exit 0
fi
n=1000000
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
instructions() {
  valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" "$bin" loop "$1" 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
allocations() {
  valgrind --tool=memcheck "$bin" loop "$1" 2>&1 | sed -n 's/.*total heap usage: \([0-9,]*\) allocs.*/\1/p' | tr -d ,
}
i1=$(instructions $n)
i2=$(instructions $((2 * n)))
a1=$(allocations $n)
a2=$(allocations $((2 * n)))
echo "== valgrind"
echo "instructions: $i1 for $n pairs, $i2 for $((2 * n)): $(( (i2 - i1) / n )) per pair (including ~8 of the benchmark loop)"
echo "heap allocations: $a1 for $n pairs, $a2 for $((2 * n)): $(( (a2 - a1) )) more for $n more pairs"
