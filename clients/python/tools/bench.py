"""Calls per second from one Python process, with 1 and 50 calls in flight, and the CPU the
Python process and the server spent on them (scripts/bench-python-client.sh; `make bench-python`).

It starts the given server binary on a free loopback port with a data directory of its
own, seeds one business, reviewer and review, then for each mode runs closed-loop for
``--seconds``: ``Health/Check`` (the cheapest call) and ``GetReview`` (a real read, with
authorisation and the domain). CPU is user+system time: the client's from
``os.times()``, the server's from /proc/PID/stat.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import findreviewer  # noqa: E402
from findreviewer import v1  # noqa: E402

HEALTH = "findreviewer.v1.Health/Check"
GET_REVIEW = "findreviewer.v1.FindReviewer/GetReview"
TICKS = os.sysconf("SC_CLK_TCK")


def server_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def own_cpu() -> float:
    times = os.times()
    return times.user + times.system


def start_server(binary: str, data_dir: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen([binary, "--listen", "127.0.0.1:0", "--data-dir", data_dir],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("listening on "):
            address = line.split()[-1]
        if line.startswith("keys file: "):
            threading.Thread(target=process.stdout.read, daemon=True).start()
            return process, address
    raise SystemExit("the server did not start")


def seed(address: str, keys: str) -> None:
    with findreviewer.Channel(address, key=findreviewer.read_key(keys, "reviews-ingest")) as channel:
        stub = findreviewer.FindReviewerStub(channel)
        stub.upsert_business(v1.UpsertBusinessRequest(business=v1.Business(
            id="bench", display_name="Bench", notification_email="b@bench.example")))
        stub.upsert_reviewer(v1.UpsertReviewerRequest(reviewer=v1.Reviewer(id="rv", display_name="R", email="r@mail.example")))
        stub.publish_review(v1.PublishReviewRequest(review=v1.Review(
            id="r1", business_id="bench", reviewer_id="rv", rating=4, title="Fine", text="A fine stay.",
            source=v1.REVIEW_SOURCE_ORGANIC)))


def call_of(method: str):
    if method == HEALTH:
        return v1.HealthCheckRequest(), v1.HealthCheckResponse
    return v1.GetReviewRequest(business_id="bench", review_id="r1"), v1.GetReviewResponse


def sync_loop(channel: findreviewer.Channel, method: str, seconds: float) -> int:
    request, response = call_of(method)
    count, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        channel.call(method, request, response)
        count += 1
    return count


def sync_threads(channel: findreviewer.Channel, method: str, seconds: float, threads: int) -> int:
    counts = [0] * threads

    def run(index: int) -> None:
        counts[index] = sync_loop(channel, method, seconds)

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(counts)


def sync_futures(channel: findreviewer.Channel, method: str, seconds: float, window: int) -> int:
    """``window`` calls in flight from one thread: each answer starts the next call."""
    request, response = call_of(method)
    end = time.monotonic() + seconds
    done = threading.Semaphore(0)
    count = [0]
    lock = threading.Lock()

    def again(future) -> None:
        future.result()
        with lock:
            count[0] += 1
        if time.monotonic() < end:
            channel.future(method, request, response).add_done_callback(again)
        else:
            done.release()

    for _ in range(window):
        channel.future(method, request, response).add_done_callback(again)
    for _ in range(window):
        done.acquire()
    return count[0]


async def async_run(address: str, key: str, method: str, seconds: float, window: int) -> int:
    request, response = call_of(method)
    async with findreviewer.AsyncChannel(address, key=key) as channel:
        end = time.monotonic() + seconds

        async def worker() -> int:
            count = 0
            while time.monotonic() < end:
                await channel.call(method, request, response)
                count += 1
            return count

        return sum(await asyncio.gather(*(worker() for _ in range(window))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server-binary", default=".build/release/findreviewer-server")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--json", action="store_true", help="one JSON object per line instead of a table")
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="findreviewer-bench-py-")
    process, address = start_server(args.server_binary, data_dir)
    keys = os.path.join(data_dir, "keys.json")
    key = findreviewer.read_key(keys, "admin")
    try:
        seed(address, keys)
        modes = [
            ("sync, 1 in flight", lambda ch, m: sync_loop(ch, m, args.seconds)),
            ("sync futures, 50 in flight", lambda ch, m: sync_futures(ch, m, args.seconds, 50)),
            ("sync, 50 threads", lambda ch, m: sync_threads(ch, m, args.seconds, 50)),
            ("asyncio, 1 in flight", lambda ch, m: asyncio.run(async_run(address, key, m, args.seconds, 1))),
            ("asyncio, 50 in flight", lambda ch, m: asyncio.run(async_run(address, key, m, args.seconds, 50))),
        ]
        if not args.json:
            print(f"{'mode':28} {'method':22} {'calls/s':>9} {'client CPU':>10} {'server CPU':>10} "
                  f"{'client µs/call':>14} {'server µs/call':>14}")
        with findreviewer.Channel(address, key=key) as channel:
            for name, run in modes:
                for method in (HEALTH, GET_REVIEW):
                    wall0, mine0, theirs0 = time.monotonic(), own_cpu(), server_cpu(process.pid)
                    calls = run(channel, method)
                    wall = time.monotonic() - wall0
                    mine, theirs = own_cpu() - mine0, server_cpu(process.pid) - theirs0
                    row = {"mode": name, "method": method.rsplit("/", 1)[1], "calls_per_s": round(calls / wall),
                           "client_cpu": round(mine / wall, 2), "server_cpu": round(theirs / wall, 2),
                           "client_us_per_call": round(mine / calls * 1e6, 1),
                           "server_us_per_call": round(theirs / calls * 1e6, 1)}
                    if args.json:
                        print(json.dumps(row))
                    else:
                        print(f"{name:28} {row['method']:22} {row['calls_per_s']:>9} {row['client_cpu']:>10.2f} "
                              f"{row['server_cpu']:>10.2f} {row['client_us_per_call']:>14} {row['server_us_per_call']:>14}")
    finally:
        process.terminate()
        process.wait(30)
        subprocess.run(["rm", "-rf", data_dir], check=False)


if __name__ == "__main__":
    main()
