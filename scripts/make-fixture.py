#!/usr/bin/env python3
"""Writes Tests/Fixtures/<name>/: a data directory made by the binaries of this checkout, and
the answers those binaries give about it, so that later releases prove they still load it.

    scripts/make-fixture.py release-0.1.0      (after `swift build`)

The data directory holds a journal segment, a snapshot and journal records after it, and the
whole story: the demo's (answered, expired and reopened requests, an open report, emails),
then a declined request with its report, a withdrawn request, a second business and a
transition after the snapshot. `calls.jsonl` lists read calls (method, request); the
`answer` of each is what this release said. Tests/CLITests/FixtureDataTests.swift starts
the server on a copy at the same test-clock time and expects the same answers.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
CLI = os.path.join(BIN, "findreviewer")
SERVER = os.path.join(BIN, "findreviewer-server")


def cli(*args, data, server=None, expect=0):
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    command = [CLI, *args, "--data-dir", data] + (["--server", server] if server else [])
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode != expect:
        sys.exit(f"{' '.join(command)}: exit {done.returncode}\n{done.stdout}{done.stderr}")
    return done.stdout


def start(data, clock):
    port_file = os.path.join(tempfile.mkdtemp(), "port")
    process = subprocess.Popen(
        [SERVER, "--listen", "127.0.0.1:0", "--data-dir", data, "--test-clock", "--test-clock-start", str(clock),
         "--port-file", port_file],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(3000):
        if os.path.exists(port_file) and open(port_file).read().strip():
            return process, "127.0.0.1:" + open(port_file).read().strip()
        time.sleep(0.01)
    sys.exit("the server did not start")


def stop(process):
    process.terminate()
    if process.wait(timeout=60) != 0:
        sys.exit("the server did not exit 0")


def main():
    name = sys.argv[1]
    target = os.path.join(ROOT, "Tests", "Fixtures", name)
    work = tempfile.mkdtemp()
    demo = cli("demo", "--keep", data=work)
    data = re.search(r"its data directory is kept: (\S+)", demo).group(1)
    day0 = re.search(r"Server clock: (\S+ \S+) UTC \(day 0\)", demo).group(1)
    start_clock = int(time.mktime(time.strptime(day0, "%Y-%m-%d %H:%M:%S"))) - time.timezone
    clock = start_clock + 5 * 86400  # where the demo left its clock
    process, server = start(data, clock)
    try:
        lines = "\n".join(json.dumps(line) for line in [
            {"business": {"id": "globex", "displayName": "Globex", "notificationEmail": "desk@globex.example", "locale": "de"}},
            {"review": {"id": "g1", "businessId": "globex", "reviewerId": "ann", "rating": 3, "title": "Fine", "source": "REVIEW_SOURCE_ORGANIC"}},
        ])
        lines_file = os.path.join(work, "import.jsonl")
        open(lines_file, "w").write(lines + "\n")
        cli("import", lines_file, data=data, server=server)
        cli("requests", "create", "--business", "acme", "--review", "r4", "--fields", "name,email",
            "--message", "We have no trip under this name. Could you tell us yours?", data=data, server=server)
        time.sleep(0.5)  # delivery writes the email in the background; a one-off tool, not a test
        emails = json.loads(cli("outbox", "--to", "bob@mail.example", "--kind", "requestToReviewer", "--json", data=data))
        token = emails[-1]["token"]
        cli("reviewer", "decline", token, data=data, server=server)
        cli("reviews", "report", "--business", "acme", "r4", "--reason", "not-genuine-experience",
            "--explanation", "The reviewer declined to show they travelled with us.", "--acknowledge-guidelines",
            data=data, server=server)
        cli("requests", "create", "--business", "globex", "--review", "g1", "--fields", "reference", "--label", "Auftragsnummer",
            "--acknowledge-intro", "--message", "Wir finden Ihren Auftrag nicht.", "--idempotency-key", "fixture-1",
            data=data, server=server)
        cli("requests", "withdraw", "--business", "globex", "req_00000004", data=data, server=server)
        cli("snapshot", data=data, server=server)
        cli("clock", "advance", "3d", data=data, server=server)  # req_00000002's reminder, after the snapshot
        cli("requests", "create", "--business", "globex", "--review", "g1", "--fields", "email,phone",
            "--message", "Noch einmal: wer sind Sie?", data=data, server=server)
        clock += 3 * 86400
    finally:
        stop(process)
    os.remove(os.path.join(data, "server.log")) if os.path.exists(os.path.join(data, "server.log")) else None
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(data, os.path.join(target, "data"))
    # The answers, from a fresh start on the kept files.
    process, server = start(os.path.join(target, "data"), clock)
    calls = [
        ("FindReviewer/ListBusinesses", {}),
        ("FindReviewer/GetBusiness", {"businessId": "acme"}),
        ("FindReviewer/GetBusiness", {"businessId": "globex"}),
        ("FindReviewer/ListInfoRequests", {"businessId": "acme"}),
        ("FindReviewer/ListInfoRequests", {"businessId": "globex"}),
        *[("FindReviewer/GetInfoRequest", {"businessId": business, "requestId": f"req_0000000{n}"})
          for business, n in [("acme", 1), ("acme", 2), ("acme", 3), ("globex", 4), ("globex", 5)]],
        *[("FindReviewer/GetReview", {"businessId": business, "reviewId": review})
          for business, review in [("acme", "r1"), ("acme", "r2"), ("acme", "r3"), ("acme", "r4"), ("globex", "g1")]],
        ("FindReviewer/GetPublicReview", {"reviewId": "r1"}),
        ("Admin/GetClock", {}),
    ]
    with open(os.path.join(target, "calls.jsonl"), "w") as out:
        for method, request in calls:
            answer = json.loads(cli("call", method, json.dumps(request), "--json", data=os.path.join(target, "data"), server=server))
            out.write(json.dumps({"method": method, "request": request, "answer": answer}, sort_keys=True) + "\n")
    stop(process)
    for leftover in ["server.log"]:
        path = os.path.join(target, "data", leftover)
        if os.path.exists(path):
            os.remove(path)
    open(os.path.join(target, "clock"), "w").write(f"{clock}\n")
    print(f"wrote {target}: clock {clock}, {len(calls)} calls")


main()
