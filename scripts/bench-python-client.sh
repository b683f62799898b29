#!/usr/bin/env bash
# Calls per second from one Python process (the clients/python package) with 1 and 50 calls
# in flight, blocking and asyncio, against a release server on a free loopback port; the
# client's and the server's CPU beside each figure. SECONDS per measurement (default 5).
# `make bench-python` builds the release server first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-/usr/bin/python3}
binary=$root/.build/release/findreviewer-server
[ -x "$binary" ] || { echo "error: $binary is missing: swift build -c release --product findreviewer-server" >&2; exit 1; }
echo "machine: $(nproc) CPUs, $(uname -r); python $("$python" -c 'import platform, google.protobuf as p; print(platform.python_version(), "protobuf", p.__version__)')"
"$python" "$root/clients/python/tools/bench.py" --server-binary "$binary" --seconds "${1:-${SECONDS_PER_RUN:-5}}"
