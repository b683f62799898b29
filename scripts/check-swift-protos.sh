#!/usr/bin/env bash
# Fails when the committed generated Swift (Sources/Messages/Generated: the value types and
# the method table) differs from what `make protos` would write (scripts/gen-swift-protos.sh
# into a temporary folder, then a diff).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
"$root/scripts/gen-swift-protos.sh" "$fresh"
if ! diff -r "$fresh" "$root/Sources/Messages/Generated" >/dev/null; then
  diff -r "$fresh" "$root/Sources/Messages/Generated" | head -20 || true
  echo "error: Sources/Messages/Generated is stale: run 'make protos' and commit the result" >&2
  exit 1
fi
echo "generated Swift is up to date"
