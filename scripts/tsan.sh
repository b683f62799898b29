#!/usr/bin/env bash
# `make tsan`: builds the tests and every executable (the server binary the end-to-end tests
# start included) with ThreadSanitizer, in a scratch path of its own (.build-tsan), and runs
# the suite. Every instrumented process, the test process and each server it starts, writes
# its reports to its own file under one directory (TSAN_OPTIONS log_path=DIR/tsan, one file
# per pid), so a report from a child process fails the run as surely as one from the tests.
# Arguments are passed to `swift test` (e.g. --filter RPCTests).
# Suppressions: scripts/tsan.supp, each with the evidence that it is a false report.
set -uo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
SCRATCH=${TSAN_SCRATCH:-.build-tsan}
REPORTS=$(mktemp -d /tmp/findreviewer-tsan.XXXXXX)
export TSAN_OPTIONS="log_path=$REPORTS/tsan halt_on_error=0 second_deadlock_stack=1 suppressions=$PWD/scripts/tsan.supp ${TSAN_OPTIONS:-}"
started=$(date +%s)
"$SWIFT" build --build-tests --sanitize=thread --scratch-path "$SCRATCH" || exit 2
"$SWIFT" test --skip-build --sanitize=thread --scratch-path "$SCRATCH" "$@"
status=$?
count=$(find "$REPORTS" -type f | wc -l)
if [ "$count" -gt 0 ]; then
    for file in "$REPORTS"/*; do
        echo "== $file"
        cat "$file"
    done
    echo "make tsan: ThreadSanitizer reports from $count process(es) (above; files in $REPORTS)" >&2
    exit 1
fi
rm -rf "$REPORTS"
echo "make tsan: no ThreadSanitizer report; swift test exit $status; $(( $(date +%s) - started )) s"
exit $status
