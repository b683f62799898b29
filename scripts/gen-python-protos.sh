#!/usr/bin/env bash
# Regenerates the Python client's generated code from Protos/ into OUT (default: the
# package, clients/python/src/findreviewer): the message classes (protoc --python_out and
# --pyi_out) into v1/, and, from the same descriptors, v1/__init__.py and stubs.py
# (clients/python/tools/gen_stubs.py). Never edit the output by hand.
#
# PYTHON (default /usr/bin/python3, Debian's, which has python3-protobuf) runs the stub
# generator.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/clients/python/src/findreviewer}
python=${PYTHON:-/usr/bin/python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cd "$root/Protos"
protos=$(find findreviewer -name '*.proto' | LC_ALL=C sort)
protoc --python_out="$tmp" --pyi_out="$tmp" $protos
protoc --include_source_info --include_imports --descriptor_set_out="$tmp/descriptors.pb" $protos

mkdir -p "$out/v1"
rm -f "$out"/v1/*_pb2.py "$out"/v1/*_pb2.pyi
cp "$tmp"/findreviewer/v1/*_pb2.py "$tmp"/findreviewer/v1/*_pb2.pyi "$out/v1/"
"$python" "$root/clients/python/tools/gen_stubs.py" "$tmp/descriptors.pb" "$out"
