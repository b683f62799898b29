#!/usr/bin/env bash
# Fuzzes the frame decoder and message unpacking with libFuzzer for SECONDS (default 60).
# Crashes are saved under fuzz/artifacts/; copy each into fuzz/regressions/ so the
# regression test replays it on every `make test`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${1:-60}
swift build -c release --scratch-path .build-fuzz --product fuzz-frames \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -DFUZZING >/dev/null
mkdir -p fuzz/artifacts fuzz/work-corpus
cp -n fuzz/corpus/* fuzz/work-corpus/ 2>/dev/null || true
.build-fuzz/release/fuzz-frames -max_total_time="$seconds" -rss_limit_mb=4096 -max_len=65536 \
  -artifact_prefix=fuzz/artifacts/ -print_final_stats=1 fuzz/work-corpus 2>&1 | grep -E "^(Done|stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)" || true
if ls fuzz/artifacts/crash-* fuzz/artifacts/leak-* >/dev/null 2>&1; then
  echo "fuzzing found crashes: see fuzz/artifacts/" >&2
  exit 1
fi
echo "fuzzing: no crashes in ${seconds}s"
