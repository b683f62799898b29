"""Both clients against the real server binary: many calls on one connection, deadlines,
cancellation, ping, every status code the server produces, GOAWAY on SIGTERM, restarts."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from dataclasses import dataclass

import pytest
from support import expect, WAIT, ServerProcess

import findreviewer
from findreviewer import NO_RETRIES, aio, RpcError, StatusCode
from findreviewer import v1

GET_BUSINESS = "findreviewer.v1.FindReviewer/GetBusiness"


def seed_businesses(server: ServerProcess, prefix: str, count: int) -> list[str]:
    ids = [f"{prefix}-{n:03d}" for n in range(count)]
    with findreviewer.Channel(server.address, key=server.key("reviews-ingest")) as channel:
        stub = findreviewer.FindReviewerStub(channel)
        futures = [stub.upsert_business.future(v1.UpsertBusinessRequest(business=v1.Business(
            id=business_id, display_name=f"Business {business_id}", notification_email=f"{business_id}@biz.example",
            locale="en"))) for business_id in ids]
        for future in futures:
            future.result()
    return ids


def test_100_concurrent_calls_on_one_connection(server: ServerProcess, make_client) -> None:
    ids = seed_businesses(server, f"many-{make_client.__name__}", 100)
    client = make_client(server.address, key=server.key("admin"))
    handles = {business_id: client.future(GET_BUSINESS, v1.GetBusinessRequest(business_id=business_id), v1.GetBusinessResponse)
               for business_id in ids}
    # All 100 were started before any answer was read; each answer is its own call's.
    answers = {business_id: handle.result(WAIT).business for business_id, handle in handles.items()}
    assert all(business.id == business_id and business.display_name == f"Business {business_id}"
               for business_id, business in answers.items())
    assert client.connections_opened == 1


def test_100_calls_from_100_threads_share_one_connection(server: ServerProcess) -> None:
    ids = seed_businesses(server, "threads", 100)
    with findreviewer.Channel(server.address, key=server.key("admin")) as channel:
        stub = findreviewer.FindReviewerStub(channel)
        barrier = threading.Barrier(100)

        def get(business_id: str) -> str:
            barrier.wait(WAIT)
            return stub.get_business(v1.GetBusinessRequest(business_id=business_id)).business.id

        with concurrent.futures.ThreadPoolExecutor(100) as pool:
            assert list(pool.map(get, ids)) == ids
        assert channel.connections_opened == 1


def test_100_concurrent_calls_with_asyncio_gather(server: ServerProcess) -> None:
    ids = seed_businesses(server, "gather", 100)

    async def run() -> None:
        async with findreviewer.AsyncChannel(server.address, key=server.key("admin")) as channel:
            stub = findreviewer.AsyncFindReviewerStub(channel)
            answers = await asyncio.gather(*(stub.get_business(v1.GetBusinessRequest(business_id=i)) for i in ids))
            assert [answer.business.id for answer in answers] == ids
            assert channel.connections_opened == 1

    asyncio.run(run())


def test_ping(server: ServerProcess, client_kind: str) -> None:
    if client_kind == "sync":
        with findreviewer.Channel(server.address) as channel:
            assert 0 < channel.ping(b"hello") < WAIT
        return

    async def run() -> None:
        async with findreviewer.AsyncChannel(server.address) as channel:
            assert 0 < await channel.ping(b"hello") < WAIT

    asyncio.run(run())


def test_server_deadline_exceeded_for_a_call_queued_behind_work(server: ServerProcess, monkeypatch) -> None:
    """PROTOCOL.md §3.3: a call whose deadline passed before its handler started gets 4.

    asyncio sends every call started in one turn of the loop in one write, so the server
    reads all of them at once and the 1 ms call waits behind 40 listings of 500 reviews.
    The client would end that call itself after 1 ms; to see the server's own answer, the
    header says 1 ms while the client waits 10 s."""
    seed_reviews(server, "slow-co", 500)
    real_header = aio.request_header

    def header(method: str, timeout_ms: int, metadata):
        return real_header(method, 1 if method == GET_BUSINESS else timeout_ms, metadata)

    monkeypatch.setattr(aio, "request_header", header)

    async def run() -> list[object]:
        async with findreviewer.AsyncChannel(server.address, key=server.key("admin")) as channel:
            stub = findreviewer.AsyncFindReviewerStub(channel)
            work = [stub.list_reviews(v1.ListReviewsRequest(business_id="slow-co", page_size=500)) for _ in range(40)]
            late = stub.get_business(v1.GetBusinessRequest(business_id="slow-co"), timeout=10)
            return await asyncio.gather(*work, late, return_exceptions=True)

    *listed, late = asyncio.run(run())
    assert all(len(page.reviews) == 500 for page in listed)  # type: ignore[attr-defined]
    assert isinstance(late, RpcError) and late.code == StatusCode.DEADLINE_EXCEEDED, late
    assert "client side" not in late.message  # the server said so


def seed_reviews(server: ServerProcess, business_id: str, count: int) -> None:
    with findreviewer.Channel(server.address, key=server.key("reviews-ingest")) as channel:
        stub = findreviewer.FindReviewerStub(channel)
        stub.upsert_business(v1.UpsertBusinessRequest(business=v1.Business(
            id=business_id, display_name=business_id, notification_email="x@biz.example")))
        stub.upsert_reviewer(v1.UpsertReviewerRequest(reviewer=v1.Reviewer(id=f"{business_id}-rv", display_name="R", email="r@mail.example")))
        futures = [stub.publish_review.future(v1.PublishReviewRequest(review=v1.Review(
            id=f"{business_id}-{n}", business_id=business_id, reviewer_id=f"{business_id}-rv", rating=3,
            title="t" * 100, text="x" * 500, source=v1.REVIEW_SOURCE_ORGANIC))) for n in range(count)]
        for future in futures:
            future.result()


def test_cancel_against_the_server_leaves_the_connection_usable(server: ServerProcess) -> None:
    with findreviewer.Channel(server.address, key=server.key("admin")) as channel:
        stub = findreviewer.FindReviewerStub(channel)
        future = stub.list_businesses.future(v1.ListBusinessesRequest(page_size=500))
        cancelled = future.cancel()
        if cancelled:  # unless it had already been answered
            assert expect(StatusCode.CANCELLED, future.result).message == "cancelled by the caller"
        assert not future.cancel()
        assert stub.list_businesses(v1.ListBusinessesRequest(page_size=1)).businesses
        assert channel.connections_opened == 1

    async def run() -> None:
        async with findreviewer.AsyncChannel(server.address, key=server.key("admin")) as channel:
            stub = findreviewer.AsyncFindReviewerStub(channel)
            task = asyncio.ensure_future(stub.list_businesses(v1.ListBusinessesRequest(page_size=500)))
            await asyncio.sleep(0)  # the call is queued, not yet answered
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert (await stub.list_businesses(v1.ListBusinessesRequest(page_size=1))).businesses
            assert channel.connection is not None and channel.connection.in_flight == 0

    asyncio.run(run())


# -- every status code the server produces


def test_status_codes_from_the_server(server: ServerProcess) -> None:
    address = server.address
    with (findreviewer.Channel(address, key=server.key("reviews-ingest")) as ingest_channel,
          findreviewer.Channel(address, key=server.key("consumer-site")) as consumer_channel,
          findreviewer.Channel(address, key=server.key("admin"), retry=NO_RETRIES) as admin_channel,
          findreviewer.Channel(address) as keyless_channel,
          findreviewer.Channel(address, key="frk_not-a-key") as wrong_key_channel):
        ingest = findreviewer.FindReviewerStub(ingest_channel)
        # 3: a field breaking a rule, named in the details.
        bad = expect(StatusCode.INVALID_ARGUMENT, ingest.upsert_business, v1.UpsertBusinessRequest(business=v1.Business(
            id="codes", display_name="Codes", notification_email="not an email")))
        assert bad.field == "business.notificationEmail" or "notificationEmail" in bad.field, bad
        # 3: an unreadable payload; the connection stays usable.
        expect(StatusCode.INVALID_ARGUMENT, ingest_channel.call_bytes, GET_BUSINESS, b"\x0a\xff\xff")
        # 5: no such id.
        expect(StatusCode.NOT_FOUND, ingest.get_business, v1.GetBusinessRequest(business_id="no-such-business"))
        # 7: the consumer site may not feed businesses.
        expect(StatusCode.PERMISSION_DENIED, findreviewer.FindReviewerStub(consumer_channel).upsert_business,
               v1.UpsertBusinessRequest(business=v1.Business(id="codes", display_name="C", notification_email="c@c.example")))
        # 9: the rules refuse it now: a first request without acknowledging the introduction.
        seed_reviews(server, "codes-co", 1)
        refused = expect(StatusCode.FAILED_PRECONDITION, findreviewer.FindReviewerStub(admin_channel).create_info_request,
                         v1.CreateInfoRequestRequest(business_id="codes-co", review_id="codes-co-0", message="Hello?",
                                                     requested_fields=[v1.REQUESTED_FIELD_EMAIL]))
        assert refused.reason == "INTRODUCTION_NOT_ACKNOWLEDGED"
        # 12: unknown method.
        expect(StatusCode.UNIMPLEMENTED, admin_channel.call_bytes, "findreviewer.v1.FindReviewer/NoSuchMethod", b"")
        # 16: no key, and a key the server does not know.
        expect(StatusCode.UNAUTHENTICATED, findreviewer.FindReviewerStub(keyless_channel).get_business,
               v1.GetBusinessRequest(business_id="x"))
        expect(StatusCode.UNAUTHENTICATED, findreviewer.FindReviewerStub(wrong_key_channel).get_business,
               v1.GetBusinessRequest(business_id="x"))
        # Health/Check needs no key.
        assert findreviewer.HealthStub(keyless_channel).check(v1.HealthCheckRequest()).status == v1.SERVING_STATUS_SERVING
        assert findreviewer.HealthStub(keyless_channel).check(v1.HealthCheckRequest(service="nope")).status == \
            v1.SERVING_STATUS_SERVICE_UNKNOWN


def test_resource_exhausted_for_a_payload_over_the_servers_limit(start_server, client_kind, make_client) -> None:
    small = start_server("--max-payload-bytes", "1024")  # the least it takes
    client = make_client(small.address, retry=NO_RETRIES)
    error = expect(StatusCode.RESOURCE_EXHAUSTED, client.call, "findreviewer.v1.Health/Check",
                   v1.HealthCheckRequest(service="s" * 2000), v1.HealthCheckResponse)
    assert "the server closed the connection" in error.message
    # A new connection serves the next call.
    assert client.call("findreviewer.v1.Health/Check", v1.HealthCheckRequest(), v1.HealthCheckResponse).status == 1
    assert client.connections_opened == 2


def test_resource_exhausted_for_too_many_connections(start_server, make_client) -> None:
    one = start_server("--max-connections", "1")
    first = make_client(one.address, retry=NO_RETRIES)
    assert first.call("findreviewer.v1.Health/Check", v1.HealthCheckRequest(), v1.HealthCheckResponse).status == 1
    second = make_client(one.address, retry=NO_RETRIES)
    expect(StatusCode.RESOURCE_EXHAUSTED, second.call, "findreviewer.v1.Health/Check",
           v1.HealthCheckRequest(), v1.HealthCheckResponse)


def test_resource_exhausted_for_too_many_calls_in_flight(start_server) -> None:
    narrow = start_server("--max-calls-per-connection", "2")
    seed_reviews(narrow, "narrow-co", 1)

    async def run() -> list[object]:
        async with findreviewer.AsyncChannel(narrow.address, key=narrow.key("admin"), retry=NO_RETRIES) as channel:
            stub = findreviewer.AsyncFindReviewerStub(channel)
            # Durable writes in one write: each waits for its fsync while the next ones arrive.
            calls = [stub.upsert_reviewer(v1.UpsertReviewerRequest(reviewer=v1.Reviewer(
                id=f"narrow-{n}", display_name="N", email="n@mail.example"))) for n in range(20)]
            return await asyncio.gather(*calls, return_exceptions=True)

    outcomes = asyncio.run(run())
    refused = [o for o in outcomes if isinstance(o, RpcError)]
    assert refused and all(error.code == StatusCode.RESOURCE_EXHAUSTED for error in refused), outcomes
    assert len(refused) < len(outcomes)


# -- GOAWAY, shutdown, restart


@dataclass
class DrainRound:
    """One SIGTERM under load: 600 durable writes started back to back, SIGTERM once 20
    were answered, then the data read back from a restarted server."""

    last_call_id: int | None  # from the GOAWAY on the first connection (None: never read)
    ended: str  # how the first connection ended
    answered_ok: set[int]
    refused: set[int]  # first attempt after last_call_id: the server never accepted it
    accepted_unavailable: set[int]  # accepted (id <= last_call_id) but answered UNAVAILABLE by the server
    accepted_lost: set[int]  # accepted, but the connection ended before an answer arrived
    present: set[int]  # applied, read back after the restart
    errors: dict[int, RpcError]
    exit_status: int
    in_flight_at_goaway: int  # calls up to last_call_id not yet answered when the GOAWAY came


def drain_round(start_server, calls: int = 600, signal_after: int = 300) -> DrainRound:
    server = start_server()
    key = server.key("reviews-ingest")
    channel = findreviewer.Channel(server.address, key=key, retry=NO_RETRIES)
    stub = findreviewer.FindReviewerStub(channel)
    futures: list = []
    for n in range(calls):
        if n == signal_after:
            server.terminate()  # while calls keep coming
        futures.append(stub.upsert_reviewer.future(v1.UpsertReviewerRequest(reviewer=v1.Reviewer(
            id=f"drain-{n:04d}", display_name=f"Drain {n}", email="d@mail.example"))))
    for future in futures:
        future.exception(WAIT)
    exit_status = server.wait()
    first = futures[0].attempts[0][0]
    last = first.goaway.last_call_id if first.goaway is not None else None
    channel.close()
    first_ids = {n: f.attempts[0][1] for n, f in enumerate(futures) if f.attempts and f.attempts[0][0] is first}
    errors = {n: f.exception() for n, f in enumerate(futures) if f.exception() is not None}
    again = start_server(data_dir=server.data_dir)
    with findreviewer.Channel(again.address, key=key) as reader:
        reads = [findreviewer.FindReviewerStub(reader).get_reviewer.future(v1.GetReviewerRequest(reviewer_id=f"drain-{n:04d}"))
                 for n in range(calls)]
        present = {n for n, f in enumerate(reads) if f.exception(WAIT) is None}
        assert all(f.exception().code == StatusCode.NOT_FOUND for f in reads if f.exception() is not None)
    return DrainRound(
        last_call_id=last, ended=str(first._core.closed), answered_ok=set(range(calls)) - set(errors),
        # Sent after last_call_id, or still waiting in the client for a free slot (id 0).
        refused={n for n, call_id in first_ids.items() if last is not None and (call_id > last or call_id == 0)},
        accepted_unavailable={n for n, call_id in first_ids.items()
                              if last is not None and 0 < call_id <= last and n in errors
                              and errors[n].code == StatusCode.UNAVAILABLE and not lost(errors[n])},
        accepted_lost={n for n, call_id in first_ids.items()
                       if last is not None and 0 < call_id <= last and n in errors and lost(errors[n])},
        present=present, errors=errors, exit_status=exit_status, in_flight_at_goaway=first.pending_at_goaway)


def lost(error: RpcError) -> bool:
    """The client's own UNAVAILABLE for a connection that ended under a call."""
    return error.message.startswith("connection lost") or "closed the connection" in error.message


def test_sigterm_sends_goaway_and_accepted_calls_are_answered(start_server) -> None:
    """PROTOCOL.md §3.5: GOAWAY says last_call_id; calls after it are never run; new calls
    go to a new connection (here: none, nothing listens), so they end UNAVAILABLE."""
    rounds = []
    for _ in range(8):  # until a round has calls in flight on both sides of last_call_id (timing)
        result = drain_round(start_server)
        rounds.append(result)
        assert result.exit_status == 0
        # Acknowledged means durable: every OK was applied.
        assert result.answered_ok <= result.present
        # Every call ended OK or UNAVAILABLE; none hung, none got anything else.
        assert all(error.code == StatusCode.UNAVAILABLE for error in result.errors.values()), \
            {str(e) for e in result.errors.values() if e.code != StatusCode.UNAVAILABLE}
        if result.last_call_id is not None and not result.accepted_lost and result.refused \
                and result.in_flight_at_goaway:
            break
    else:
        pytest.fail(f"no round read the GOAWAY, with calls in flight on both sides of last_call_id and no "
                    f"answer lost: {[(r.ended, len(r.refused), r.in_flight_at_goaway, len(r.accepted_lost)) for r in rounds]}")
    # The refused ones were not run, and the client knew they could go elsewhere.
    assert not (result.refused & result.present)
    assert all("cannot connect" in result.errors[n].message for n in result.refused), \
        {result.errors[n].message for n in result.refused}
    # Every accepted call was answered: OK (applied) or UNAVAILABLE.
    assert len(result.answered_ok) + len(result.accepted_unavailable) == result.last_call_id
    print(f"GOAWAY last_call_id={result.last_call_id} with {result.in_flight_at_goaway} in flight: {len(result.answered_ok)} OK, "
          f"{len(result.accepted_unavailable)} accepted but UNAVAILABLE, {len(result.refused)} refused")


def test_calls_up_to_last_call_id_complete_ok(start_server) -> None:
    """PROTOCOL.md §3.5: no call up to last_call_id is answered 14; every one of them ran."""
    result = drain_round(start_server)
    assert result.last_call_id is not None
    assert not result.accepted_unavailable, (
        f"{len(result.accepted_unavailable)} of {result.last_call_id} accepted calls answered UNAVAILABLE; "
        f"applied: {len(result.accepted_unavailable & result.present)}")


def test_answers_to_applied_calls_reach_the_client(start_server) -> None:
    """PROTOCOL.md §3.5: the linger close never resets the connection, so every answer written
    (applied writes included) reaches the client."""
    for _ in range(10):
        result = drain_round(start_server)
        assert result.last_call_id is not None, f"GOAWAY never read: {result.ended}"
        lost = result.present - result.answered_ok
        assert not lost, f"{len(lost)} writes applied whose answers never arrived ({result.ended})"


def test_a_channel_outlives_a_server_restart(start_server, make_client) -> None:
    server = start_server()
    client = make_client(server.address, key=server.key("admin"))
    assert client.call("findreviewer.v1.Health/Check", v1.HealthCheckRequest(), v1.HealthCheckResponse).status == 1
    assert server.stop() == 0
    expect(StatusCode.UNAVAILABLE, client.call, "findreviewer.v1.Health/Check", v1.HealthCheckRequest(),
           v1.HealthCheckResponse)
    again = start_server("--listen", server.address, data_dir=server.data_dir)
    assert again.address == server.address
    assert client.call("findreviewer.v1.ServerInfoService/GetServerInfo", v1.GetServerInfoRequest(),
                       v1.ServerInfo).name == "findreviewer-server"
