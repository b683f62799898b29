#!/usr/bin/env bash
# Regenerates the generated Swift of Sources/Messages/Generated into OUT (default: that
# folder) with findreviewer-protogen: the value types (Messages.generated.swift, from the
# protobuf-c descriptors compiled into the FindReviewerProto target, so run
# scripts/gen-protos.sh first) and the method table (Methods.generated.swift, from a
# descriptor set of every .proto under Protos/, for the method options). Never edit the
# output by hand. SWIFT (default swift) builds protogen.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/Sources/Messages/Generated}
swift=${SWIFT:-swift}
include=${PROTOBUF_INCLUDE:-/usr/include}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cd "$root"
$swift build --product findreviewer-protogen >&2
protogen="$($swift build --show-bin-path)/findreviewer-protogen"
protos=$(cd Protos && find findreviewer -name '*.proto' | LC_ALL=C sort)
(cd Protos && protoc -I. -I"$include" --include_imports --descriptor_set_out="$tmp/descriptors.pb" $protos)
mkdir -p "$out"
"$protogen" messages > "$tmp/Messages.generated.swift"
"$protogen" methods "$tmp/descriptors.pb" > "$tmp/Methods.generated.swift"
mv "$tmp/Messages.generated.swift" "$tmp/Methods.generated.swift" "$out/"
