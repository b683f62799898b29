#!/usr/bin/env bash
# Regenerates the generated Swift with findreviewer-protogen under ROOT (default: the
# repository; scripts/check-swift-protos.sh passes a temporary folder), at the same paths:
#   Sources/Runtime/Messages/Generated/Messages.generated.swift   value types, from the protobuf-c
#       descriptors compiled into FindReviewerProto (run scripts/gen-protos.sh first), with the
#       oneofs' names from the descriptor set, and the pure-Swift wire readers (`init(wire:)`)
#       of storage.proto's messages (journal records, snapshot items);
#   Sources/Runtime/Messages/Generated/Methods.generated.swift    the method table, and
#   Sources/Runtime/FindReviewerClient/Generated/FindReviewerClient.generated.swift   the client's
#       methods, and
#   Sources/Runtime/FindReviewerServer/Generated/ServiceHandlers.generated.swift   a protocol per
#       service with one requirement per rpc, all from a descriptor set of every .proto under
#       Protos/ (method options).
# Never edit the output by hand. SWIFT (default swift) builds protogen.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root}
swift=${SWIFT:-swift}
include=${PROTOBUF_INCLUDE:-/usr/include}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cd "$root"
$swift build --product findreviewer-protogen >&2
protogen="$($swift build --show-bin-path)/findreviewer-protogen"
protos=$(cd Protos && find findreviewer -name '*.proto' | LC_ALL=C sort)
(cd Protos && protoc -I. -I"$include" --include_imports --descriptor_set_out="$tmp/descriptors.pb" $protos)
"$protogen" messages "$tmp/descriptors.pb" > "$tmp/Messages.generated.swift"
"$protogen" methods "$tmp/descriptors.pb" > "$tmp/Methods.generated.swift"
"$protogen" client "$tmp/descriptors.pb" > "$tmp/FindReviewerClient.generated.swift"
"$protogen" handlers "$tmp/descriptors.pb" > "$tmp/ServiceHandlers.generated.swift"
mkdir -p "$out/Sources/Runtime/Messages/Generated" "$out/Sources/Runtime/FindReviewerClient/Generated" "$out/Sources/Runtime/FindReviewerServer/Generated"
mv "$tmp/Messages.generated.swift" "$tmp/Methods.generated.swift" "$out/Sources/Runtime/Messages/Generated/"
mv "$tmp/FindReviewerClient.generated.swift" "$out/Sources/Runtime/FindReviewerClient/Generated/"
mv "$tmp/ServiceHandlers.generated.swift" "$out/Sources/Runtime/FindReviewerServer/Generated/"
