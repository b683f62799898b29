#!/usr/bin/env bash
# Fails when any committed generated Swift file (the value types, the method table, the
# client's methods: the files scripts/gen-swift-protos.sh writes) differs from what
# `make protos` would write: it regenerates into a temporary folder and compares.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
"$root/scripts/gen-swift-protos.sh" "$fresh"
stale=0
for file in $(cd "$fresh" && find . -type f | LC_ALL=C sort); do
  if ! cmp -s "$fresh/$file" "$root/$file"; then
    diff "$fresh/$file" "$root/$file" | head -10 || true
    echo "stale: ${file#./}" >&2
    stale=1
  fi
done
if [ "$stale" -ne 0 ]; then
  echo "error: generated Swift is stale: run 'make protos' and commit the result" >&2
  exit 1
fi
echo "generated Swift is up to date"
