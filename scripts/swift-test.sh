#!/usr/bin/env bash
# Runs the Swift test suite (built already) and, when it fails, repeats every failing test's
# issues at the very end of the output: a CI log that keeps only its tail still names them.
set -uo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
log=$(mktemp "${TMPDIR:-/tmp}/findreviewer-swift-test.XXXXXX")
trap 'rm -f "$log"' EXIT

"$SWIFT" test --skip-build "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
    echo
    echo "== failing Swift tests (repeated from above) =="
    # Swift Testing marks a failed test and each issue it recorded with ✘; XCTest prints
    # "error:" lines and "failed" summaries.
    grep -E '✘|: error: |Test Case .* failed|Fatal error|Crashed|signal [0-9]+' "$log" | head -n 60
    echo "== swift test exited with $status =="
fi
exit "$status"
