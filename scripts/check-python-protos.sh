#!/usr/bin/env bash
# Fails when the Python client's committed generated code (clients/python/src/findreviewer:
# v1/*_pb2.py, v1/*_pb2.pyi, v1/__init__.py, stubs.py) differs from what `make protos` writes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
package=$root/clients/python/src/findreviewer
fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
"$root/scripts/gen-python-protos.sh" "$fresh"
stale=0
for file in $(cd "$fresh" && find . -type f | LC_ALL=C sort) \
            $(cd "$package" && find v1 -name '*_pb2.py*' | sed 's|^|./|' | LC_ALL=C sort); do
  if ! cmp -s "$fresh/$file" "$package/$file"; then
    echo "stale: clients/python/src/findreviewer/${file#./}" >&2
    stale=1
  fi
done
if [ "$stale" -ne 0 ]; then
  echo "error: the Python client's generated code is stale: run 'make protos' and commit the result" >&2
  exit 1
fi
echo "Python client's generated code is up to date"
