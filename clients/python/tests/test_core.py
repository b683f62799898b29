"""The connection state machine without sockets: matching, GOAWAY, connection errors."""

from __future__ import annotations

import pytest
from support import connection_error_frame, fixed

from findreviewer._core import (
    CallRecord,
    Closed,
    ConnectionCore,
    GoAwayReceived,
    NotAccepting,
    Outcome,
    PongReceived,
    SendBytes,
)
from findreviewer._wire import PREFACE, FrameType, encode_frame
from findreviewer.errors import StatusCode
from findreviewer.v1 import rpc_pb2


def submit(core: ConnectionCore, record: CallRecord) -> bytes:
    return core.submit(record, b"", b"", lambda: b"fresh")


def core_with_calls(count: int, limit: int = 256) -> tuple[ConnectionCore, list[CallRecord]]:
    core = ConnectionCore(1024, limit)
    records = [CallRecord("test.S/M", f"rid-{n}", None) for n in range(count)]
    for record in records:
        submit(core, record)
    assert core.receive(PREFACE) == []
    return core, records


def ok(call_id: int, payload: bytes = b"") -> bytes:
    return encode_frame(FrameType.RESPONSE, call_id, b"", payload)


def status(call_id: int, code: int, text: str = "") -> bytes:
    header = rpc_pb2.ResponseHeader(status_code=code, status_message=text,
                                    details=[rpc_pb2.ErrorDetail(reason="WHY", field="f", description="d")],
                                    metadata=[rpc_pb2.MetadataEntry(key="request-id", value="server-rid")])
    return encode_frame(FrameType.RESPONSE, call_id, header.SerializeToString())


def goaway(last: int) -> bytes:
    return encode_frame(FrameType.GOAWAY, 0, rpc_pb2.GoAway(last_call_id=last, status_code=14, message="bye").SerializeToString())


def test_call_ids_count_up_from_1_and_answers_match_in_any_order() -> None:
    core, records = core_with_calls(3)
    assert [r.call_id for r in records] == [1, 2, 3]
    actions = core.receive(ok(3, b"three") + ok(1, b"one") + status(2, 5, "no such id"))
    assert [(a.record.call_id, a.payload) for a in actions if isinstance(a, Outcome) and a.error is None] == [(3, b"three"), (1, b"one")]
    failed = actions[2]
    assert isinstance(failed, Outcome) and failed.error is not None
    assert failed.error.code == StatusCode.NOT_FOUND
    assert failed.error.message == "no such id"
    assert (failed.error.reason, failed.error.field, failed.error.description) == ("WHY", "f", "d")
    assert failed.error.request_id == "server-rid"
    assert failed.unprocessed is False
    assert core.pending == {}


def test_an_answer_to_a_forgotten_call_is_ignored() -> None:
    core, records = core_with_calls(1)
    assert core.cancel_frame(records[0]) == encode_frame(FrameType.CANCEL, 1)
    assert core.cancel_frame(records[0]) == b""  # only once
    assert core.receive(ok(1) + ok(99)) == []


def test_goaway_keeps_calls_up_to_last_call_id_and_refuses_the_rest() -> None:
    core, records = core_with_calls(5)
    actions = core.receive(goaway(3))
    assert isinstance(actions[0], GoAwayReceived) and actions[0].goaway.last_call_id == 3
    refused = [a for a in actions if isinstance(a, Outcome)]
    assert [a.record.call_id for a in refused] == [4, 5]
    assert all(a.unprocessed and a.error is not None and a.error.code == StatusCode.UNAVAILABLE for a in refused)
    assert sorted(core.pending) == [1, 2, 3]
    assert core.pending_at_goaway == 3
    assert not core.accepting
    with pytest.raises(NotAccepting):
        submit(core, CallRecord("test.S/M", "late", None))
    # The accepted calls still complete.
    assert [a.record.call_id for a in core.receive(ok(2) + ok(1) + ok(3))] == [2, 1, 3]


def test_unavailable_for_a_call_beyond_last_call_id_is_marked_unprocessed() -> None:
    core, _ = core_with_calls(2)
    core.goaway = rpc_pb2.GoAway(last_call_id=1)
    (answer,) = core.receive(status(2, 14, "shutting down"))
    assert isinstance(answer, Outcome) and answer.unprocessed
    (answer,) = core.receive(status(1, 14, "disk full"))
    assert isinstance(answer, Outcome) and not answer.unprocessed


def test_a_second_goaway_may_lower_last_call_id_but_not_raise_it() -> None:
    core, _ = core_with_calls(4)
    core.receive(goaway(3))
    core.receive(goaway(9))
    assert core.goaway is not None and core.goaway.last_call_id == 3
    actions = core.receive(goaway(1))
    assert [a.record.call_id for a in actions if isinstance(a, Outcome)] == [2, 3]


def test_connection_error_fails_every_call_with_its_code() -> None:
    core, _ = core_with_calls(2)
    actions = core.receive(connection_error_frame(8, "too many connections"))
    outcomes = [a for a in actions if isinstance(a, Outcome)]
    assert len(outcomes) == 2
    assert all(a.error is not None and a.error.code == StatusCode.RESOURCE_EXHAUSTED for a in outcomes)
    assert "too many connections" in outcomes[0].error.message  # type: ignore[union-attr]
    assert isinstance(actions[-1], Closed) and actions[-1].farewell == b""
    assert core.receive(ok(1)) == []


def test_a_violation_answers_connection_error_and_fails_calls_with_internal() -> None:
    core, _ = core_with_calls(1)
    actions = core.receive(fixed(0, 0xEE, 0, 1))
    (outcome,) = [a for a in actions if isinstance(a, Outcome)]
    assert outcome.error is not None and outcome.error.code == StatusCode.INTERNAL
    assert "unknown frame type" in outcome.error.message
    closed = actions[-1]
    assert isinstance(closed, Closed)
    # Our CONNECTION_ERROR says INVALID_ARGUMENT, as the server would for the same fault.
    length_and_type = closed.farewell[:5]
    assert length_and_type[4] == FrameType.CONNECTION_ERROR
    sent = rpc_pb2.ConnectionError.FromString(closed.farewell[12:])
    assert sent.status_code == StatusCode.INVALID_ARGUMENT and "unknown frame type" in sent.message


def test_an_unreadable_response_header_fails_only_that_call() -> None:
    core, _ = core_with_calls(2)
    actions = core.receive(encode_frame(FrameType.RESPONSE, 1, b"\x0a\xff", b"") + ok(2))
    assert actions[0].error is not None and actions[0].error.code == StatusCode.INTERNAL  # type: ignore[union-attr]
    assert actions[1].error is None  # type: ignore[union-attr]
    assert core.closed is None


def test_ping_is_answered_and_pong_reported() -> None:
    core, _ = core_with_calls(0)
    actions = core.receive(encode_frame(FrameType.PING, 0, b"", b"hello") + encode_frame(FrameType.PONG, 0, b"", b"mine"))
    assert actions == [SendBytes(encode_frame(FrameType.PONG, 0, b"", b"hello")), PongReceived(b"mine")]


def test_end_of_stream_mid_frame_says_so() -> None:
    core, _ = core_with_calls(1)
    core.receive(fixed(10, 2, 0, 1) + b"abc")
    (outcome, closed) = core.end_of_stream()
    assert isinstance(outcome, Outcome) and outcome.error is not None
    assert outcome.error.code == StatusCode.UNAVAILABLE and "middle of a frame" in outcome.error.message
    assert isinstance(closed, Closed)


def test_calls_past_the_limit_wait_and_go_out_as_slots_free() -> None:
    core, records = core_with_calls(5, limit=2)
    assert [r.call_id for r in records] == [1, 2, 0, 0, 0]
    (send,) = core.receive(ok(1))[1:]
    # The third call goes out now, with a header made now (its deadline left).
    assert send == SendBytes(encode_frame(FrameType.REQUEST, 3, b"fresh", b""))
    assert core.cancel_frame(records[3]) == b""  # still waiting: nothing to tell the server
    assert core.cancel_frame(records[1]) == encode_frame(FrameType.CANCEL, 2) + encode_frame(FrameType.REQUEST, 4, b"fresh", b"")
    assert [r.call_id for r in records] == [1, 2, 3, 0, 4]


def test_waiting_calls_are_unprocessed_when_the_connection_ends() -> None:
    core, records = core_with_calls(3, limit=1)
    actions = core.receive(goaway(1))
    refused = [a for a in actions if isinstance(a, Outcome)]
    assert [a.record for a in refused] == records[1:] and all(a.unprocessed for a in refused)
    core, records = core_with_calls(3, limit=1)
    outcomes = [a for a in core.end_of_stream() if isinstance(a, Outcome)]
    assert [a.unprocessed for a in outcomes] == [False, True, True]  # the first was sent
