"""Both clients against a fake server in this process: what a broken or scripted server
sends, and what the client must do about it. Every wait is bounded: a hang fails the test."""

from __future__ import annotations

import concurrent.futures
import socket
import threading
import time
from dataclasses import dataclass

import pytest
from support import WAIT, FakePeer, connection_error_frame, fixed

import findreviewer
from findreviewer import NO_RETRIES, RpcError, StatusCode
from findreviewer._wire import PREFACE, FrameType, encode_frame
from findreviewer.v1 import (
    GetServerInfoRequest,
    HealthCheckRequest,
    HealthCheckResponse,
    MethodInfo,
    ServerInfo,
    ServiceInfo,
)

METHOD = "test.Fake/Call"
IDEMPOTENT = "test.Fake/Read"
SERVING = HealthCheckResponse(status=1)
# No retries and no GetServerInfo lookups unless a test asks for them.
QUIET = {"retry": NO_RETRIES, "idempotent_methods": ()}


def expect_error(handle_or_call: object, code: StatusCode) -> RpcError:
    with pytest.raises(RpcError) as caught:
        if callable(handle_or_call):
            handle_or_call()
        else:
            handle_or_call.result(WAIT)  # type: ignore[attr-defined]
    assert caught.value.code == code, caught.value
    return caught.value


def expect_cancelled(handle: object) -> None:
    """A cancelled call: RpcError CANCELLED (blocking), CancelledError (asyncio)."""
    try:
        handle.result(WAIT)  # type: ignore[attr-defined]
    except RpcError as error:
        assert error.code == StatusCode.CANCELLED
    except concurrent.futures.CancelledError:
        pass
    else:
        raise AssertionError("the cancelled call returned a result")


@dataclass
class Case:
    name: str
    sent: bytes  # what the server sends after reading the request (call id 1)
    code: StatusCode
    text: str
    farewell: int | None  # the code of the CONNECTION_ERROR the client must send, if any
    close: bool = False  # the server closes right after sending
    channel: dict | None = None


CASES = [
    Case("http server", b"HTTP/1.1 400 Bad Request\r\n\r\n", StatusCode.INTERNAL, "not a FindReviewer server", 3),
    Case("protocol version 2", b"FRVW\x00\x02\x00\x00", StatusCode.UNIMPLEMENTED, "version 2", 12),
    Case("unknown frame type", PREFACE + fixed(0, 0xEE, 0, 1), StatusCode.INTERNAL, "unknown frame type 238", 3),
    Case("REQUEST from the server", PREFACE + fixed(0, 1, 0, 1), StatusCode.INTERNAL, "may not send REQUEST", 3),
    Case("header longer than the frame", PREFACE + fixed(4, 2, 5, 1) + b"\0" * 4, StatusCode.INTERNAL,
         "larger than its length", 3),
    # Only the fixed parts are sent, and the connection stays open: refused before the rest.
    Case("header over 8 KiB", PREFACE + fixed(9000, 2, 9000, 1), StatusCode.RESOURCE_EXHAUSTED,
         "over the limit of 8192", 8),
    Case("payload over 4 MiB", PREFACE + fixed(5 << 20, 2, 0, 1), StatusCode.RESOURCE_EXHAUSTED,
         "over this client's limit of 4194304", 8),
    Case("payload over a configured 1000", PREFACE + encode_frame(FrameType.RESPONSE, 1, b"", b"x" * 1001),
         StatusCode.RESOURCE_EXHAUSTED, "1001 bytes is over this client's limit of 1000", 8,
         channel={"max_payload_bytes": 1000}),
    Case("truncated frame, then close", PREFACE + fixed(40, 2, 0, 1) + b"\0" * 12, StatusCode.UNAVAILABLE,
         "in the middle of a frame (12 of its 40 bytes", None, close=True),
    Case("truncated frame, then silence", PREFACE + fixed(40, 2, 0, 1) + b"\0" * 12, StatusCode.DEADLINE_EXCEEDED,
         "did not finish it within 0.2 s", 4, channel={"frame_timeout": 0.2}),
    Case("truncated preface, then close", PREFACE[:5], StatusCode.UNAVAILABLE, "after 5 of the preface's 8 bytes",
         None, close=True),
    Case("closed without a word", b"", StatusCode.UNAVAILABLE, "the server closed the connection", None, close=True),
    Case("unreadable GOAWAY", PREFACE + encode_frame(FrameType.GOAWAY, 0, b"\x0a\xff"), StatusCode.INTERNAL,
         "unreadable GOAWAY header", 3),
    Case("PING of 65 bytes", PREFACE + encode_frame(FrameType.PING, 0, b"", b"p" * 65), StatusCode.INTERNAL,
         "over the limit of 64", 3),
    Case("CONNECTION_ERROR", PREFACE + connection_error_frame(8, "too many connections"), StatusCode.RESOURCE_EXHAUSTED,
         "the server closed the connection: too many connections", None, close=True),
    Case("CONNECTION_ERROR with a code gRPC lacks", PREFACE + connection_error_frame(99, "odd"), StatusCode.UNKNOWN,
         "odd", None, close=True),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_malformed_server_is_refused_without_hanging(case: Case, make_client, fake_server) -> None:
    received: list[tuple[FrameType, bytes]] = []

    def script(peer: FakePeer, index: int) -> None:
        peer.read_preface()
        peer.send(case.sent)  # a server speaks first (its preface), so the bad bytes come at once
        if case.close:
            peer.hang_up()
            return
        try:
            while not received:
                frame_type, _, header, _ = peer.read_frame()
                if frame_type != FrameType.REQUEST:  # the call may have gone out after a good preface
                    received.append((frame_type, header))
        except EOFError:
            pass
        peer.closed_by_client()

    fake = fake_server(script)
    client = make_client(fake.address, **QUIET, **(case.channel or {}))
    started = time.monotonic()
    error = expect_error(lambda: client.call(METHOD, HealthCheckRequest(), HealthCheckResponse, timeout=WAIT), case.code)
    assert case.text in error.message
    assert error.method == METHOD and error.request_id
    assert time.monotonic() - started < WAIT / 2  # the violation ended it, not the deadline
    fake.wait_scripts()
    if case.farewell is not None:
        # The client said why before closing, in a CONNECTION_ERROR frame.
        assert received and received[0][0] == FrameType.CONNECTION_ERROR
        from findreviewer.v1 import rpc_pb2

        assert rpc_pb2.ConnectionError.FromString(received[0][1]).status_code == case.farewell


def test_an_answer_for_an_unknown_call_is_ignored(make_client, fake_server) -> None:
    def script(peer: FakePeer, index: int) -> None:
        peer.read_preface()
        peer.send(PREFACE)
        call_id, _, _ = peer.read_request()
        peer.respond(call_id + 1000, SERVING)
        peer.respond(call_id, SERVING)
        peer.closed_by_client()

    fake = fake_server(script)
    client = make_client(fake.address, **QUIET)
    assert client.call(METHOD, HealthCheckRequest(), HealthCheckResponse).status == 1


def test_an_unreadable_answer_fails_that_call_and_the_connection_goes_on(make_client, fake_server) -> None:
    def script(peer: FakePeer, index: int) -> None:
        peer.read_preface()
        peer.send(PREFACE)
        first, _, _ = peer.read_request()
        peer.send(encode_frame(FrameType.RESPONSE, first, b"\x0a\xff"))  # unreadable header
        second, _, _ = peer.read_request()
        peer.send(encode_frame(FrameType.RESPONSE, second, b"", b"\x08"))  # payload that does not decode
        third, _, _ = peer.read_request()
        peer.respond(third, SERVING)
        peer.closed_by_client()

    fake = fake_server(script)
    client = make_client(fake.address, **QUIET)
    assert "unreadable response header" in expect_error(
        lambda: client.call(METHOD, HealthCheckRequest(), HealthCheckResponse), StatusCode.INTERNAL).message
    assert "does not decode" in expect_error(
        lambda: client.call(METHOD, HealthCheckRequest(), HealthCheckResponse), StatusCode.INTERNAL).message
    assert client.call(METHOD, HealthCheckRequest(), HealthCheckResponse).status == 1
    assert client.connections_opened == 1


def test_the_client_answers_ping_with_the_same_bytes(make_client, fake_server) -> None:
    pongs: list[bytes] = []

    def script(peer: FakePeer, index: int) -> None:
        peer.read_preface()
        peer.send(PREFACE)
        call_id, _, _ = peer.read_request()
        peer.send(encode_frame(FrameType.PING, 0, b"", b"are you there"))
        frame_type, _, _, payload = peer.read_frame()
        assert frame_type == FrameType.PONG
        pongs.append(payload)
        peer.respond(call_id, SERVING)
        peer.closed_by_client()

    fake = fake_server(script)
    client = make_client(fake.address, **QUIET)
    assert client.call(METHOD, HealthCheckRequest(), HealthCheckResponse).status == 1
    assert pongs == [b"are you there"]


def test_request_header_carries_method_deadline_and_metadata(make_client, fake_server) -> None:
    headers = []

    def script(peer: FakePeer, index: int) -> None:
        peer.read_preface()
        peer.send(PREFACE)
        for _ in range(2):
            call_id, header, _ = peer.read_request()
            headers.append(header)
            peer.respond(call_id, SERVING)
        peer.closed_by_client()

    fake = fake_server(script)
    client = make_client(fake.address, key="k-123", metadata={"x-caller": "portal"}, **QUIET)
    client.call(METHOD, HealthCheckRequest(), HealthCheckResponse, timeout=2.5,
                metadata=[("x-trace", "t1")], idempotency_key="idem-1")
    client.call("findreviewer.v1.Health/Check", HealthCheckRequest(), HealthCheckResponse, timeout=None)
    first, health = headers
    metadata = {entry.key: entry.value for entry in first.metadata}
    assert first.method == METHOD
    assert 2000 < first.timeout_ms <= 2500
    assert metadata["authorization"] == "Bearer k-123"
    assert metadata["idempotency-key"] == "idem-1"
    assert metadata["x-caller"] == "portal" and metadata["x-trace"] == "t1"
    assert len(metadata["request-id"]) == 32
    # Health/Check needs no key, so none is sent; no deadline is timeout_ms 0.
    assert health.timeout_ms == 0
    assert "authorization" not in {entry.key for entry in health.metadata}


def test_key_and_address_come_from_the_environment(monkeypatch, make_client, fake_server) -> None:
    keys = []

    def script(peer: FakePeer, index: int) -> None:
        peer.read_preface()
        peer.send(PREFACE)
        call_id, header, _ = peer.read_request()
        keys.append({entry.key: entry.value for entry in header.metadata}.get("authorization"))
        peer.respond(call_id, SERVING)
        peer.closed_by_client()

    fake = fake_server(script)
    monkeypatch.setenv("FINDREVIEWER_SERVER", fake.address)
    monkeypatch.setenv("FINDREVIEWER_KEY", "from-env")
    client = make_client(None, **QUIET)
    client.call(METHOD, HealthCheckRequest(), HealthCheckResponse)
    assert keys == ["Bearer from-env"]


def test_bad_metadata_is_refused_before_sending() -> None:
    channel = findreviewer.Channel("127.0.0.1:9")
    with pytest.raises(ValueError, match="lowercase"):
        channel.call(METHOD, HealthCheckRequest(), HealthCheckResponse, metadata={"X-Upper": "v"})
    with pytest.raises(TypeError, match="takes a findreviewer.v1.HealthCheckRequest"):
        findreviewer.HealthStub(channel).check(GetServerInfoRequest())  # type: ignore[arg-type]
    assert channel.connections_opened == 0


def test_an_oversized_request_is_refused_locally_and_the_connection_kept(make_client, fake_server) -> None:
    def script(peer: FakePeer, index: int) -> None:
        peer.read_preface()
        peer.send(PREFACE)
        call_id, _, payload = peer.read_request()
        assert len(payload) < 100
        peer.respond(call_id, SERVING)
        peer.closed_by_client()

    fake = fake_server(script)
    client = make_client(fake.address, max_payload_bytes=100, **QUIET)
    error = expect_error(lambda: client.call(METHOD, HealthCheckRequest(service="s" * 200), HealthCheckResponse),
                         StatusCode.RESOURCE_EXHAUSTED)
    assert "not sent" in error.message
    assert client.call(METHOD, HealthCheckRequest(service="small"), HealthCheckResponse).status == 1


def test_client_deadline_sends_cancel_and_raises_deadline_exceeded(make_client, fake_server) -> None:
    cancels = []

    def script(peer: FakePeer, index: int) -> None:
        peer.read_preface()
        peer.send(PREFACE)
        call_id, header, _ = peer.read_request()
        assert 0 < header.timeout_ms <= 200
        frame_type, cancelled_id, _, _ = peer.read_frame()  # the server never answers
        cancels.append((frame_type, cancelled_id == call_id))
        peer.respond(call_id, SERVING)  # too late: ignored
        second, _, _ = peer.read_request()
        peer.respond(second, SERVING)
        peer.closed_by_client()

    fake = fake_server(script)
    client = make_client(fake.address, **QUIET)
    error = expect_error(lambda: client.call(METHOD, HealthCheckRequest(), HealthCheckResponse, timeout=0.2),
                         StatusCode.DEADLINE_EXCEEDED)
    assert "0.2 s" in error.message
    assert client.call(METHOD, HealthCheckRequest(), HealthCheckResponse).status == 1
    client.close()
    fake.wait_scripts()
    assert cancels == [(FrameType.CANCEL, True)]


def test_a_deadline_that_has_passed_sends_nothing(make_client, fake_server) -> None:
    fake = fake_server(lambda peer, index: peer.closed_by_client())
    client = make_client(fake.address, **QUIET)
    expect_error(lambda: client.call(METHOD, HealthCheckRequest(), HealthCheckResponse, timeout=0), StatusCode.DEADLINE_EXCEEDED)


def test_cancel_sends_cancel_and_ends_the_call(make_client, fake_server) -> None:
    frames = []
    got_request = threading.Event()

    def script(peer: FakePeer, index: int) -> None:
        peer.read_preface()
        peer.send(PREFACE)
        call_id, _, _ = peer.read_request()
        got_request.set()
        frame_type, cancelled_id, _, _ = peer.read_frame()
        frames.append((frame_type, cancelled_id == call_id))
        peer.respond(call_id, SERVING)  # crossed the CANCEL: ignored
        peer.closed_by_client()

    fake = fake_server(script)
    client = make_client(fake.address, **QUIET)
    handle = client.future(METHOD, HealthCheckRequest(), HealthCheckResponse)
    assert got_request.wait(WAIT)
    handle.cancel()
    expect_cancelled(handle)
    client.close()
    fake.wait_scripts()
    assert frames == [(FrameType.CANCEL, True)]


@pytest.mark.parametrize("code", [c for c in StatusCode if c != StatusCode.OK])
def test_every_status_code_becomes_an_rpc_error_with_its_details(code: StatusCode, make_client, fake_server) -> None:
    from findreviewer.v1 import ErrorDetail

    def script(peer: FakePeer, index: int) -> None:
        peer.read_preface()
        peer.send(PREFACE)
        call_id, _, _ = peer.read_request()
        peer.respond(call_id, code=code, text=f"status {code.name}",
                     details=(ErrorDetail(reason="SOME_REASON", field="businessId", description="why"),))
        peer.closed_by_client()

    fake = fake_server(script)
    client = make_client(fake.address, **QUIET)
    error = expect_error(lambda: client.call(METHOD, HealthCheckRequest(), HealthCheckResponse), code)
    assert error.message == f"status {code.name}"
    assert (error.reason, error.field, error.description) == ("SOME_REASON", "businessId", "why")
    assert f"{code.name} ({int(code)})" in str(error)


# -- retries


def unavailable_then_ok(requests: list[tuple[int, str, dict[str, str]]], *, failures: int = 1, info: ServerInfo | None = None):
    """A script answering UNAVAILABLE to the first ``failures`` calls of any method but
    GetServerInfo (answered with ``info``), OK after; it records every request."""

    def script(peer: FakePeer, index: int) -> None:
        peer.read_preface()
        peer.send(PREFACE)
        while True:
            try:
                call_id, header, _ = peer.read_request()
            except EOFError:
                return
            metadata = {entry.key: entry.value for entry in header.metadata}
            if header.method.endswith("/GetServerInfo"):
                peer.respond(call_id, info or ServerInfo())
                continue
            requests.append((index, header.method, metadata))
            if len([r for r in requests if r[1] == header.method]) <= failures:
                peer.respond(call_id, code=14, text="the durable store cannot write")
            else:
                peer.respond(call_id, SERVING)

    return script


FAST_RETRY = findreviewer.RetryPolicy(max_attempts=3, initial_backoff=0.001, max_backoff=0.002)


def test_unavailable_is_retried_for_an_idempotent_method(make_client, fake_server) -> None:
    requests: list = []
    fake = fake_server(unavailable_then_ok(requests))
    client = make_client(fake.address, retry=FAST_RETRY, idempotent_methods=[IDEMPOTENT])
    assert client.call(IDEMPOTENT, HealthCheckRequest(), HealthCheckResponse).status == 1
    assert len(requests) == 2
    assert requests[0][2]["request-id"] == requests[1][2]["request-id"]  # one call, two attempts


def test_unavailable_is_not_retried_for_a_method_that_may_apply_twice(make_client, fake_server) -> None:
    requests: list = []
    fake = fake_server(unavailable_then_ok(requests))
    client = make_client(fake.address, retry=FAST_RETRY, idempotent_methods=[IDEMPOTENT])
    expect_error(lambda: client.call(METHOD, HealthCheckRequest(), HealthCheckResponse), StatusCode.UNAVAILABLE)
    assert len(requests) == 1


def test_unavailable_is_retried_with_an_idempotency_key(make_client, fake_server) -> None:
    requests: list = []
    fake = fake_server(unavailable_then_ok(requests))
    client = make_client(fake.address, retry=FAST_RETRY, idempotent_methods=[])
    client.call(METHOD, HealthCheckRequest(), HealthCheckResponse, idempotency_key="portal-1")
    assert [r[2]["idempotency-key"] for r in requests] == ["portal-1", "portal-1"]


def test_retries_stop_after_max_attempts(make_client, fake_server) -> None:
    requests: list = []
    fake = fake_server(unavailable_then_ok(requests, failures=10))
    client = make_client(fake.address, retry=FAST_RETRY, idempotent_methods=[IDEMPOTENT])
    expect_error(lambda: client.call(IDEMPOTENT, HealthCheckRequest(), HealthCheckResponse), StatusCode.UNAVAILABLE)
    assert len(requests) == 3


def test_idempotent_methods_are_learned_from_get_server_info(make_client, fake_server) -> None:
    info = ServerInfo(services=[ServiceInfo(name="test.Fake", methods=[
        MethodInfo(name="Read", full_name=IDEMPOTENT, idempotent=True),
        MethodInfo(name="Call", full_name=METHOD, idempotent=False)])])
    requests: list = []
    fake = fake_server(unavailable_then_ok(requests, info=info))
    client = make_client(fake.address, retry=FAST_RETRY)  # idempotent_methods not given
    assert client.call(IDEMPOTENT, HealthCheckRequest(), HealthCheckResponse).status == 1
    expect_error(lambda: client.call(METHOD, HealthCheckRequest(), HealthCheckResponse), StatusCode.UNAVAILABLE)
    assert [r[1] for r in requests] == [IDEMPOTENT, IDEMPOTENT, METHOD]


def test_goaway_finishes_accepted_calls_and_moves_the_rest_to_a_new_connection(make_client, fake_server) -> None:
    served: list[tuple[int, int]] = []  # (connection, call id) answered OK

    def script(peer: FakePeer, index: int) -> None:
        peer.read_preface()
        peer.send(PREFACE)
        if index == 0:
            calls = [peer.read_request()[0] for _ in range(3)]
            peer.goaway(last_call_id=calls[1], message="shutting down")
            for call_id in calls[:2]:
                peer.respond(call_id, HealthCheckResponse(status=10 + call_id))
                served.append((0, call_id))
            # The third arrived after GOAWAY: refused, as PROTOCOL.md §3.5 says.
            peer.respond(calls[2], code=14, text="shutting down")
            peer.closed_by_client()
        else:
            while True:
                try:
                    call_id, header, _ = peer.read_request()
                except EOFError:
                    return
                served.append((index, call_id))
                peer.respond(call_id, HealthCheckResponse(status=20 + index))

    fake = fake_server(script)
    client = make_client(fake.address, retry=NO_RETRIES, idempotent_methods=[])
    handles = [client.future(METHOD, HealthCheckRequest(service=str(n)), HealthCheckResponse) for n in range(3)]
    statuses = sorted(handle.result(WAIT).status for handle in handles)
    # Two answered on the first connection; the refused one, never run there, on the second
    # even though the method is not idempotent and retries are off.
    assert statuses[:2] == [11, 12] and statuses[2] == 21
    assert client.call(METHOD, HealthCheckRequest(), HealthCheckResponse).status == 21  # new calls: new connection
    assert client.connections_opened == 2
    assert sorted(connection for connection, _ in served) == [0, 0, 1, 1]


def test_unavailable_after_connect_refused_says_where(make_client) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))  # a port of ours that nothing listens on
        address = f"127.0.0.1:{unused.getsockname()[1]}"
        client = make_client(address, retry=FAST_RETRY, idempotent_methods=[])
        error = expect_error(lambda: client.call(METHOD, HealthCheckRequest(), HealthCheckResponse), StatusCode.UNAVAILABLE)
    assert client.connections_opened == 0
    assert f"cannot connect to {address}" in error.message
    assert "FINDREVIEWER_SERVER" in error.message


def test_the_client_keeps_to_its_calls_in_flight_limit(make_client, fake_server) -> None:
    most = []

    def script(peer: FakePeer, index: int) -> None:
        peer.read_preface()
        peer.send(PREFACE)
        open_calls: list[int] = []
        answered = 0
        while answered < 20:
            call_id, header, _ = peer.read_request()
            open_calls.append(call_id)
            most.append(len(open_calls))
            if len(open_calls) == 3:  # answer all three at once, out of order
                for call in reversed(open_calls):
                    peer.respond(call, HealthCheckResponse(status=call))
                answered += len(open_calls)
                open_calls.clear()
            elif answered + len(open_calls) == 20:
                for call in open_calls:
                    peer.respond(call, HealthCheckResponse(status=call))
                answered += len(open_calls)
        peer.closed_by_client()

    fake = fake_server(script)
    client = make_client(fake.address, max_calls_per_connection=3, **QUIET)
    handles = [client.future(METHOD, HealthCheckRequest(), HealthCheckResponse) for _ in range(20)]
    assert sorted(handle.result(WAIT).status for handle in handles) == list(range(1, 21))
    assert max(most) == 3
