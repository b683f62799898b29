#!/usr/bin/env python3
"""Times moving one business with N requests between two servers (issue 19 item 4):
Admin/ExportBusiness on the old one, ImportBusiness on the new one, ForgetBusiness on the old.

Usage: PYTHONPATH=clients/python/src /usr/bin/python3 scripts/measure-move.py BIN-DIR [REQUESTS]
BIN-DIR holds a (release) findreviewer-server and findreviewer. Two unsharded servers on
loopback (an unsharded server owns every slot: the same work as two shards), test clock,
--max-payload-bytes 64 MiB on both ends. Prints the timings of the calls and of the CLI."""
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import findreviewer
from findreviewer import v1
from findreviewer.aio import AsyncChannel
from findreviewer.stubs import AsyncAdminStub, AsyncFindReviewerStub

BIN = sys.argv[1]
N = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
LIMIT = 64 << 20


def start(root, name, keys):
    data = os.path.join(root, name)
    os.makedirs(data)
    port_file = os.path.join(root, name + ".port")
    process = subprocess.Popen(
        [os.path.join(BIN, "findreviewer-server"), "--listen", "127.0.0.1:0", "--data-dir", data, "--keys-file", keys,
         "--port-file", port_file, "--test-clock", "--max-requests-per-day-free", "1000000",
         "--max-payload-bytes", str(LIMIT), "--log-level", "warn"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(3000):
        if os.path.exists(port_file) and open(port_file).read().strip():
            return process, "127.0.0.1:" + open(port_file).read().strip()
        time.sleep(0.01)
    raise SystemExit(f"{name} did not start")


async def seed(address, keys):
    key = lambda role: findreviewer.read_key(keys, role)
    async with AsyncChannel(address, key=key("reviews-ingest"), max_payload_bytes=LIMIT) as channel:
        ingest = AsyncFindReviewerStub(channel)
        await ingest.upsert_business(v1.UpsertBusinessRequest(business=v1.Business(
            id="big", display_name="Big Hotel", notification_email="team@big.example", locale="en")))
        reviewers = max(1, N // 10)
        for start_at in range(0, reviewers, 200):
            await asyncio.gather(*[ingest.upsert_reviewer(v1.UpsertReviewerRequest(reviewer=v1.Reviewer(
                id=f"rv-{i}", display_name=f"Reviewer {i}", email=f"rv{i}@mail.example", locale="en")))
                for i in range(start_at, min(reviewers, start_at + 200))])
        for start_at in range(0, N, 200):
            await asyncio.gather(*[ingest.publish_review(v1.PublishReviewRequest(review=v1.Review(
                id=f"big-{i}", business_id="big", reviewer_id=f"rv-{i % reviewers}", rating=1 + i % 5,
                title="A stay", text="We stayed three nights; the room was not what the site showed.",
                source=v1.REVIEW_SOURCE_ORGANIC))) for i in range(start_at, min(N, start_at + 200))])
    async with AsyncChannel(address, key=key("business-portal"), max_payload_bytes=LIMIT) as channel:
        portal = AsyncFindReviewerStub(channel)
        for start_at in range(0, N, 200):
            await asyncio.gather(*[portal.create_info_request(v1.CreateInfoRequestRequest(
                business_id="big", review_id=f"big-{i}", message="Could you tell us your booking reference?",
                requested_fields=[v1.REQUESTED_FIELD_REFERENCE_NUMBER], acknowledge_intro=True))
                for i in range(start_at, min(N, start_at + 200))])


async def move(old, new, keys):
    admin_key = findreviewer.read_key(keys, "admin")
    async with AsyncChannel(old, key=admin_key, max_payload_bytes=LIMIT, timeout=600) as a, \
            AsyncChannel(new, key=admin_key, max_payload_bytes=LIMIT, timeout=600) as b:
        old_admin, new_admin = AsyncAdminStub(a), AsyncAdminStub(b)
        t0 = time.perf_counter()
        exported = await old_admin.export_business(v1.ExportBusinessRequest(business_id="big"))
        t1 = time.perf_counter()
        imported = await new_admin.import_business(v1.ImportBusinessRequest(data=exported.data))
        t2 = time.perf_counter()
        forgotten = await old_admin.forget_business(v1.ForgetBusinessRequest(business_id="big"))
        t3 = time.perf_counter()
        assert imported.counts.requests == N and forgotten.counts.requests == N, (imported.counts, forgotten.counts)
        return {"export_s": round(t1 - t0, 3), "import_s": round(t2 - t1, 3), "forget_s": round(t3 - t2, 3),
                "total_s": round(t3 - t0, 3), "export_bytes": len(exported.data),
                "counts": {"requests": exported.counts.requests, "reviews": exported.counts.reviews,
                           "reviewers": exported.counts.reviewers, "outbox_entries": exported.counts.outbox_entries,
                           "pending_emails": exported.counts.pending_emails}}


def main():
    root = tempfile.mkdtemp(prefix="findreviewer-move-")
    keys = os.path.join(root, "keys.json")
    processes = []
    try:
        a, old = start(root, "old", keys)
        processes.append(a)
        b, new = start(root, "new", keys)
        processes.append(b)
        seeded = time.perf_counter()
        asyncio.run(seed(old, keys))
        print(f"seeded {N} requests in {time.perf_counter() - seeded:.1f} s", file=sys.stderr)
        result = asyncio.run(move(old, new, keys))
        result["requests"] = N
        print(json.dumps(result))
    finally:
        for process in processes:
            process.terminate()
            process.wait()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
