#!/usr/bin/env bash
# Fails when the committed protoc-c output differs from what `make protos` would write.
# (The generated Swift is checked by scripts/check-swift-protos.sh and ProtoGeneratorTests.)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
"$root/scripts/gen-protos.sh" "$fresh"
if ! diff -r "$fresh/generated" "$root/Sources/Runtime/FindReviewerProto/generated" >/dev/null \
  || ! diff -r "$fresh/include" "$root/Sources/Runtime/FindReviewerProto/include" >/dev/null; then
  diff -r "$fresh" "$root/Sources/Runtime/FindReviewerProto" | head -20 || true
  echo "error: Sources/Runtime/FindReviewerProto is stale: run 'make protos' and commit the result" >&2
  exit 1
fi
echo "protoc-c output is up to date"
