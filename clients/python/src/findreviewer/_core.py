"""The client side of one connection as a state machine: calls in, frames out, frames in,
outcomes out (PROTOCOL.md §1-3). No I/O: the blocking and the asyncio connections drive it
and perform what it returns, so both behave the same and it is tested without sockets.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from google.protobuf.message import DecodeError

from findreviewer._wire import (
    MAX_CALL_ID,
    MAX_HEADER_BYTES,
    Frame,
    FrameDecoder,
    FrameType,
    ProtocolViolation,
    encode_frame,
)
from findreviewer.errors import RpcError, StatusCode
from findreviewer.v1 import rpc_pb2

class CallRecord:
    """One attempt of a call on one connection; ``sink`` is whatever the I/O layer completes."""

    __slots__ = ("call_id", "method", "request_id", "sink", "live")

    def __init__(self, method: str, request_id: str, sink: Any) -> None:
        #: 0 until it is sent (it may wait for a free slot first).
        self.call_id = 0
        self.method = method
        self.request_id = request_id
        self.sink = sink
        #: True from submit until its outcome, cancel or deadline.
        self.live = False


class Outcome(NamedTuple):
    """How one call attempt ended.

    ``payload`` is the OK response's bytes, else ``error`` is set. ``unprocessed`` is True
    when the server provably never ran the call (it came after the GOAWAY's
    ``last_call_id``, or the connection failed before the request was written), so any
    method may be retried on a fresh connection.
    """

    record: CallRecord
    payload: bytes | None
    error: RpcError | None
    metadata: tuple[tuple[str, str], ...] = ()
    unprocessed: bool = False


class SendBytes(NamedTuple):
    """Bytes the I/O layer must write (a PONG)."""

    data: bytes


class PongReceived(NamedTuple):
    """The answer to one of our PINGs."""

    payload: bytes


class GoAwayReceived(NamedTuple):
    """The server takes no new calls here: open a new connection for them."""

    goaway: rpc_pb2.GoAway


class Closed(NamedTuple):
    """The connection is over: close the socket after writing ``farewell`` (may be empty)."""

    error: RpcError
    farewell: bytes = b""


Action = Outcome | SendBytes | PongReceived | GoAwayReceived | Closed


class NotAccepting(Exception):
    """This connection takes no new calls (GOAWAY received, closed, or out of call ids)."""


class ConnectionCore:
    """Call table, GOAWAY and connection-error handling for one connection.

    Not thread-safe: the blocking connection holds a lock around it; asyncio runs it on
    its loop.
    """

    def __init__(self, max_payload_bytes: int, max_calls_in_flight: int = 256) -> None:
        self.decoder = FrameDecoder(max_payload_bytes)
        self.pending: dict[int, CallRecord] = {}
        #: Calls past the in-flight limit, sent as answers free their slots. The server refuses
        #: calls beyond its limit (default 256, PROTOCOL.md §6) one by one with 8.
        self.max_calls_in_flight = max_calls_in_flight
        self.waiting: deque[tuple[CallRecord, bytes, Callable[[], bytes]]] = deque()
        self.goaway: rpc_pb2.GoAway | None = None
        self.closed: RpcError | None = None
        self._next_call_id = 1
        #: Calls with an id at most this were in flight when the GOAWAY came (for tests, stats).
        self.pending_at_goaway = 0

    @property
    def accepting(self) -> bool:
        """Whether a new call may start here."""
        return self.goaway is None and self.closed is None and self._next_call_id <= MAX_CALL_ID

    def submit(self, record: CallRecord, header: bytes, payload: bytes, fresh_header: Callable[[], bytes]) -> bytes:
        """The REQUEST frame to write for a new call, or ``b""`` when it waits for a free slot
        (it is then sent later in a :class:`SendBytes`, with ``fresh_header()`` so that its
        timeout is what is left). Raises :class:`NotAccepting`."""
        if not self.accepting:
            raise NotAccepting()
        record.live = True
        if len(self.pending) >= self.max_calls_in_flight or self.waiting:
            self.waiting.append((record, payload, fresh_header))
            return b""
        return self._send(record, header, payload)

    def cancel_frame(self, record: CallRecord) -> bytes:
        """Forgets the call; returns what to write: its CANCEL (if it was sent) and any calls
        that now fit. No outcome follows for it."""
        if not record.live:
            return b""
        record.live = False
        if record.call_id == 0:
            self.waiting = deque(entry for entry in self.waiting if entry[0] is not record)
            return b""
        self.pending.pop(record.call_id, None)
        if self.closed is not None:
            return b""
        return encode_frame(FrameType.CANCEL, record.call_id) + self._promote()

    def _send(self, record: CallRecord, header: bytes, payload: bytes) -> bytes:
        call_id = self._next_call_id
        self._next_call_id += 1
        record.call_id = call_id
        self.pending[call_id] = record
        return encode_frame(FrameType.REQUEST, call_id, header, payload)

    def _promote(self) -> bytes:
        frames = []
        while self.waiting and len(self.pending) < self.max_calls_in_flight and self.accepting:
            record, payload, fresh_header = self.waiting.popleft()
            frames.append(self._send(record, fresh_header(), payload))
        return b"".join(frames)

    def receive(self, data: bytes) -> list[Action]:
        """What the bytes from the server mean; after a :class:`Closed` nothing more."""
        if self.closed is not None:
            return []
        try:
            frames = self.decoder.feed(data)
        except ProtocolViolation as violation:
            return self._violation(violation)
        actions: list[Action] = []
        for frame in frames:
            try:
                self._handle(frame, actions)
            except ProtocolViolation as violation:
                actions.extend(self._violation(violation))
                break
            if self.closed is not None:
                break
        if self.waiting and self.closed is None:
            promoted = self._promote()
            if promoted:
                actions.append(SendBytes(promoted))
        return actions

    def end_of_stream(self) -> list[Action]:
        """The server closed the connection (or it broke): every call still in flight fails."""
        if self.closed is not None:
            return []
        try:
            self.decoder.check_end()
        except ProtocolViolation as violation:
            return self._close(RpcError(violation.code, violation.message))
        if self.goaway is not None:
            message = "the server closed the connection after GOAWAY before answering this call (drain timeout?)"
        else:
            message = "the server closed the connection"
        return self._close(RpcError(StatusCode.UNAVAILABLE, message))

    def fail(self, error: RpcError, *, unprocessed: bool = False) -> list[Action]:
        """Ends the connection from our side (socket error, client closed, frame timeout)."""
        if self.closed is not None:
            return []
        return self._close(error, unprocessed=unprocessed)

    def frame_timed_out(self, seconds: float) -> list[Action]:
        """A started frame did not complete in time: a connection error, as the server does (§6)."""
        violation = ProtocolViolation(
            StatusCode.DEADLINE_EXCEEDED,
            f"the server started a frame and did not finish it within {seconds:g} s "
            f"({self.decoder.buffered} bytes received; frame_timeout)")
        return self._violation(violation)

    # -- internals

    def _handle(self, frame: Frame, actions: list[Action]) -> None:
        kind = frame.type
        if kind is FrameType.RESPONSE:
            record = self.pending.pop(frame.call_id, None)
            if record is None:
                return  # a call we cancelled or timed out: its answer may cross our CANCEL
            record.live = False
            actions.append(self._outcome(record, frame))
        elif kind is FrameType.PING:
            actions.append(SendBytes(encode_frame(FrameType.PONG, 0, b"", frame.payload)))
        elif kind is FrameType.PONG:
            actions.append(PongReceived(frame.payload))
        elif kind is FrameType.GOAWAY:
            actions.extend(self._goaway(frame))
        elif kind is FrameType.CONNECTION_ERROR:
            error = self._parse(rpc_pb2.ConnectionError, frame.header, "CONNECTION_ERROR")
            code = error.status_code or StatusCode.UNKNOWN
            actions.extend(self._close(RpcError(code, f"the server closed the connection: {error.message}", wire_code=code)))

    def _outcome(self, record: CallRecord, frame: Frame) -> Outcome:
        if not frame.header:
            return Outcome(record, frame.payload, None)
        try:
            header = rpc_pb2.ResponseHeader.FromString(frame.header)
        except DecodeError:
            # Only this call is lost; the frame boundaries are intact, so the connection goes on.
            error = RpcError(StatusCode.INTERNAL, f"unreadable response header ({len(frame.header)} bytes)")
            return Outcome(record, None, error.with_call(record.method, record.request_id))
        metadata = tuple((entry.key, entry.value) for entry in header.metadata)
        if header.status_code == StatusCode.OK:
            return Outcome(record, frame.payload, None, metadata)
        request_id = _metadata_value(metadata, "request-id") or record.request_id
        error = RpcError(
            header.status_code, header.status_message, header.details,
            method=record.method, request_id=request_id, metadata=metadata)
        unprocessed = (
            header.status_code == StatusCode.UNAVAILABLE
            and self.goaway is not None
            and record.call_id > self.goaway.last_call_id)
        return Outcome(record, None, error, metadata, unprocessed)

    def _goaway(self, frame: Frame) -> list[Action]:
        goaway = self._parse(rpc_pb2.GoAway, frame.header, "GOAWAY")
        if self.goaway is not None and goaway.last_call_id > self.goaway.last_call_id:
            # A later GOAWAY may lower last_call_id, never raise it (it already refused those).
            goaway.last_call_id = self.goaway.last_call_id
        self.goaway = goaway
        actions: list[Action] = [GoAwayReceived(goaway)]
        refused = [self.pending.pop(call_id) for call_id in list(self.pending) if call_id > goaway.last_call_id]
        self.pending_at_goaway = len(self.pending)
        refused += [entry[0] for entry in self.waiting]  # never sent
        self.waiting.clear()
        for record in refused:
            record.live = False
            error = RpcError(
                StatusCode.UNAVAILABLE,
                f"the server is going away ({goaway.message or 'GOAWAY'}) and did not accept this call",
                method=record.method, request_id=record.request_id)
            actions.append(Outcome(record, None, error, unprocessed=True))
        return actions

    def _violation(self, violation: ProtocolViolation) -> list[Action]:
        farewell = rpc_pb2.ConnectionError(status_code=violation.code, message=violation.message[:1024])
        frame = encode_frame(FrameType.CONNECTION_ERROR, 0, farewell.SerializeToString())
        # A malformed frame means a broken server: the calls see INTERNAL rather than the
        # INVALID_ARGUMENT we tell the server, which a caller would read as their own fault.
        code = StatusCode.INTERNAL if violation.code == StatusCode.INVALID_ARGUMENT else violation.code
        return self._close(RpcError(code, f"protocol error from the server: {violation.message}"), farewell=frame)

    def _close(self, error: RpcError, *, farewell: bytes = b"", unprocessed: bool = False) -> list[Action]:
        self.closed = error
        actions: list[Action] = []
        ended = [(record, unprocessed) for record in self.pending.values()]
        ended += [(entry[0], True) for entry in self.waiting]  # never sent
        for record, never_ran in ended:
            record.live = False
            call_error = RpcError(error.code, error.message, error.details, wire_code=error.wire_code)
            actions.append(Outcome(record, None, call_error.with_call(record.method, record.request_id), unprocessed=never_ran))
        self.pending.clear()
        self.waiting.clear()
        actions.append(Closed(error, farewell))
        return actions

    @staticmethod
    def _parse(message_type: Any, data: bytes, what: str) -> Any:
        try:
            return message_type.FromString(data)
        except DecodeError:
            raise ProtocolViolation(StatusCode.INVALID_ARGUMENT, f"unreadable {what} header ({len(data)} bytes)") from None


class ConnectionView:
    """What the blocking and the asyncio connections show of their :class:`ConnectionCore`."""

    _core: ConnectionCore

    @property
    def accepting(self) -> bool:
        """Whether new calls may start here (no GOAWAY, not closed)."""
        return self._core.accepting

    @property
    def goaway(self) -> rpc_pb2.GoAway | None:
        """The GOAWAY the server sent, if any."""
        return self._core.goaway

    @property
    def pending_at_goaway(self) -> int:
        """Calls the server still had to answer when its GOAWAY came."""
        return self._core.pending_at_goaway

    @property
    def in_flight(self) -> int:
        """Calls sent and not yet answered."""
        return len(self._core.pending)

    @property
    def queued(self) -> int:
        """Calls waiting for a free slot (``max_calls_per_connection`` are in flight)."""
        return len(self._core.waiting)


def request_header(method: str, timeout_ms: int, metadata: Sequence[tuple[str, str]]) -> bytes:
    """A REQUEST frame's header; raises :class:`RpcError` when it is over 8 KiB."""
    header = rpc_pb2.RequestHeader(
        method=method, timeout_ms=timeout_ms,
        metadata=[rpc_pb2.MetadataEntry(key=key, value=value) for key, value in metadata]).SerializeToString()
    if len(header) > MAX_HEADER_BYTES:
        raise RpcError(
            StatusCode.RESOURCE_EXHAUSTED,
            f"request header of {len(header)} bytes is over the limit of {MAX_HEADER_BYTES}: send less metadata",
            method=method)
    return header


def _metadata_value(metadata: Sequence[tuple[str, str]], key: str) -> str:
    for name, value in metadata:
        if name == key:
            return value
    return ""
