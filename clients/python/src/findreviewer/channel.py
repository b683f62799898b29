"""The blocking client: :class:`Channel`, :class:`CallFuture` and the stubs' :class:`UnaryMethod`.

Every method is thread-safe. One channel keeps one connection for new calls and opens a new
one when the server sends GOAWAY or the connection ends; calls already on the old
connection finish there.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from google.protobuf.message import DecodeError, Message

from findreviewer import _options
from findreviewer._connection import Connection
from findreviewer._core import CallRecord, NotAccepting, Outcome, request_header
from findreviewer._options import Metadata
from findreviewer.errors import RpcError, StatusCode
from findreviewer.v1 import info_pb2

__all__ = ["Channel", "CallFuture", "UnaryMethod", "DEFAULT_TIMEOUT"]

RequestT = TypeVar("RequestT", bound=Message)
ResponseT = TypeVar("ResponseT", bound=Message)


class _DefaultTimeout:
    def __repr__(self) -> str:
        return "DEFAULT_TIMEOUT"


#: A call's ``timeout`` when none is given: the channel's ``timeout``. ``None`` means no deadline.
DEFAULT_TIMEOUT: Any = _DefaultTimeout()


class Channel(_options.ChannelBase[Connection]):
    """Calls to one FindReviewer server over one multiplexed connection at a time; thread-safe.

    ``Channel(address=None, *, key=None, timeout=30.0, metadata=None,
    max_payload_bytes=4 MiB, max_calls_per_connection=256, connect_timeout=5.0,
    frame_timeout=10.0, retry=None, idempotent_methods=None)``: see
    :class:`findreviewer._options.ChannelBase` for each. Use as a context manager, or call
    :meth:`close`. Nothing is connected until the first call.
    """

    # -- calls

    def call(
        self,
        method: str,
        request: Message,
        response_type: type[ResponseT],
        *,
        timeout: float | None = DEFAULT_TIMEOUT,
        metadata: Metadata | None = None,
        idempotency_key: str | None = None,
    ) -> ResponseT:
        """Calls ``method`` (``package.Service/Method``) and waits for the answer; raises RpcError."""
        return self._start(method, request.SerializeToString(), response_type.FromString, timeout, metadata,
                           idempotency_key, watch=False).result()

    def future(
        self,
        method: str,
        request: Message,
        response_type: type[ResponseT],
        *,
        timeout: float | None = DEFAULT_TIMEOUT,
        metadata: Metadata | None = None,
        idempotency_key: str | None = None,
    ) -> CallFuture[ResponseT]:
        """Starts a call and returns at once; many may be in flight on one connection."""
        return self._start(method, request.SerializeToString(), response_type.FromString, timeout, metadata,
                           idempotency_key, watch=True)

    def call_bytes(
        self,
        method: str,
        payload: bytes,
        *,
        timeout: float | None = DEFAULT_TIMEOUT,
        metadata: Metadata | None = None,
        idempotency_key: str | None = None,
    ) -> bytes:
        """Like :meth:`call` with the request and response as wire bytes (for generic tools)."""
        return self._start(method, bytes(payload), bytes, timeout, metadata, idempotency_key, watch=False).result()

    def ping(self, payload: bytes = b"", timeout: float = 5.0) -> float:
        """Sends PING on the current connection; returns the round trip in seconds."""
        return self._connection().ping(payload or os.urandom(8), timeout)

    def server_info(self, *, refresh: bool = False) -> info_pb2.ServerInfo:
        """``ServerInfoService/GetServerInfo`` (needs any valid key); also learns idempotent methods."""
        info = self.call(_options.SERVER_INFO, info_pb2.GetServerInfoRequest(), info_pb2.ServerInfo)
        self._learn(info)
        return info

    def close(self) -> None:
        """Closes every connection; calls still in flight end with CANCELLED."""
        with self._lock:
            self._closed = True
            live = list(self._live)
            self._current = None
        for connection in live:
            connection.close(RpcError(StatusCode.CANCELLED, "the channel was closed"))

    def __enter__(self) -> Channel:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- internals

    def _start(
        self,
        method: str,
        payload: bytes,
        decode: Callable[[bytes], ResponseT],
        timeout: float | None,
        metadata: Metadata | None,
        idempotency_key: str | None,
        *,
        watch: bool,
    ) -> CallFuture[ResponseT]:
        # Blocking calls keep their own deadline while they wait; futures nobody waits for
        # are expired by the connection's reader (``watch``).
        if timeout is DEFAULT_TIMEOUT:
            timeout = self.settings.default_timeout
        future = CallFuture(self, method, payload, decode, timeout, metadata, idempotency_key, watch)
        future._attempt()
        return future

    def _connection(self) -> Connection:
        with self._lock:
            if self._closed:
                raise RpcError(StatusCode.CANCELLED, "the channel was closed")
            connection = self._current
            if connection is None or not connection.accepting:
                connection = Connection(self.settings, self._went_away, self._ended)
                self._current = connection
                self._live.add(connection)
                self.connections_opened += 1
            return connection

    def _idempotent_methods(self) -> frozenset[str] | None:
        if self._idempotent is None:
            try:
                self.server_info()
            except RpcError:
                return None  # not known: no retry of calls the server may have run
        return self._idempotent


class CallFuture(Generic[ResponseT]):
    """One call in flight: :meth:`result` waits for it, :meth:`cancel` abandons it.

    Its deadline holds across retries. ``request_id`` is the ``request-id`` it carries;
    ``metadata`` is the response header's metadata once it has ended.
    """

    def __init__(
        self,
        channel: Channel,
        method: str,
        payload: bytes,
        decode: Callable[[bytes], ResponseT],
        timeout: float | None,
        metadata: Metadata | None,
        idempotency_key: str | None,
        watch: bool,
    ) -> None:
        self.method = method
        self._channel = channel
        self._payload = payload
        self._decode = decode
        self._timeout = timeout
        self._deadline = None if timeout is None else time.monotonic() + timeout
        self._metadata, self.request_id = _options.call_metadata(channel.settings, method, metadata, idempotency_key)
        self._watch = watch
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._callbacks: list[Callable[[CallFuture[ResponseT]], None]] = []
        self._record: CallRecord | None = None
        self._connection: Connection | None = None
        self._retries = _options.RetryBudget(channel.settings.retry, method, idempotency_key is not None)
        self._answer: bytes | None = None
        self._response: ResponseT | None = None
        self._error: RpcError | None = None
        #: The response header's metadata (after the call ended).
        self.metadata: tuple[tuple[str, str], ...] = ()
        self._sent: list[tuple[Connection, CallRecord]] = []

    # -- public

    def result(self, timeout: float | None = None) -> ResponseT:
        """The response; raises :class:`RpcError`, or TimeoutError if ``timeout`` passes first."""
        self._wait(timeout)
        if self._error is not None:
            raise self._error
        if self._response is None:
            try:
                self._response = self._decode(self._answer or b"")
            except DecodeError as error:
                self._error = RpcError(
                    StatusCode.INTERNAL, f"the server's answer ({len(self._answer or b'')} bytes) does not decode: {error}",
                    method=self.method, request_id=self.request_id)
                raise self._error from None
        return self._response

    def exception(self, timeout: float | None = None) -> RpcError | None:
        """The error the call ended with, or None after success."""
        try:
            self.result(timeout)
        except RpcError as error:
            return error
        return None

    def cancel(self) -> bool:
        """Abandons the call (CANCEL goes to the server); False if it had already ended."""
        return self._end(_options.cancelled_error(self.method, self.request_id))

    def done(self) -> bool:
        """Whether the call has ended."""
        return self._done.is_set()

    def add_done_callback(self, callback: Callable[[CallFuture[ResponseT]], None]) -> None:
        """Runs ``callback(self)`` when the call ends (at once if it has); on a client thread."""
        with self._lock:
            if not self._done.is_set():
                self._callbacks.append(callback)
                return
        callback(self)

    @property
    def connection(self) -> Connection | None:
        """The connection of the latest attempt."""
        return self._connection

    @property
    def attempts(self) -> list[tuple[Connection, int]]:
        """(connection, call id) of each attempt so far, for diagnostics (0: not sent yet)."""
        return [(connection, record.call_id) for connection, record in self._sent]

    @property
    def call_id(self) -> int:
        """The call id of the latest attempt on its connection (0 before it was sent)."""
        return self._record.call_id if self._record is not None else 0

    # -- called by the connection

    def on_outcome(self, outcome: Outcome) -> None:
        if outcome.record is not self._record or self._done.is_set():
            return  # an earlier attempt, or the call already ended
        error = outcome.error
        if error is None:
            self._finish(outcome.payload, None, outcome.metadata)
        elif error.code == StatusCode.UNAVAILABLE:
            # Deciding may need GetServerInfo (a blocking call): never on the reader thread.
            threading.Thread(target=self._retry, args=(outcome,), name="findreviewer-retry", daemon=True).start()
        else:
            self._finish(None, error, outcome.metadata)

    def on_deadline(self) -> None:
        self._end(_options.deadline_error(self.method, self.request_id, self._timeout))

    # -- internals

    def _attempt(self) -> None:
        while not self._done.is_set():
            remaining = None if self._deadline is None else self._deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                self.on_deadline()
                return
            limit = self._channel.settings.max_payload_bytes
            try:
                if len(self._payload) > limit:
                    raise _options.too_large_error(self.method, len(self._payload), limit)
                header = request_header(self.method, _options.timeout_ms(remaining), self._metadata)
            except RpcError as error:
                self._finish(None, error.with_call(self.method, self.request_id), ())
                return
            record = CallRecord(self.method, self.request_id, self)
            try:
                connection = self._channel._connection()
            except (OSError, RpcError) as error:
                # Nothing was sent: any method may be tried again (if the code allows).
                failure = error if isinstance(error, RpcError) else _options.connect_error(self._channel.settings, error)
                self._record = record
                self.on_outcome(Outcome(record, None, failure.with_call(self.method, self.request_id), unprocessed=True))
                return
            with self._lock:
                if self._done.is_set():
                    return
                self._record = record
                self._connection = connection
            self._sent.append((connection, record))  # before its answer (or a retry) can come
            try:
                connection.start(record, header, self._payload, self._fresh_header, self._deadline, self._watch)
            except NotAccepting:
                self._sent.pop()
                continue  # a GOAWAY came meanwhile: the next connection takes it
            return

    def _fresh_header(self) -> bytes:
        # For a call that waited for a free slot: the deadline left now.
        remaining = None if self._deadline is None else self._deadline - time.monotonic()
        return request_header(self.method, _options.timeout_ms(remaining), self._metadata)

    def _retry(self, outcome: Outcome) -> None:
        assert outcome.error is not None
        idempotent = self._channel._idempotent_methods() if self._retries.needs_idempotency(outcome.unprocessed) else None
        time_left = None if self._deadline is None else self._deadline - time.monotonic()
        delay = self._retries.next_delay(outcome.error, outcome.unprocessed, idempotent, time_left)
        if delay is None:
            self._finish(None, outcome.error, outcome.metadata)
            return
        if delay and self._done.wait(delay):
            return  # cancelled meanwhile
        self._attempt()

    def _wait(self, timeout: float | None) -> None:
        if self._done.is_set():
            return
        until = None if timeout is None else time.monotonic() + timeout
        while not self._done.is_set():
            now = time.monotonic()
            ends = [t for t in (until, self._deadline) if t is not None]
            if self._done.wait(None if not ends else max(0.0, min(ends) - now)):
                return
            now = time.monotonic()
            if self._deadline is not None and now >= self._deadline:
                self.on_deadline()
            elif until is not None and now >= until:
                raise TimeoutError(f"{self.method} still running after {timeout:g} s (the call goes on)")

    def _end(self, error: RpcError) -> bool:
        with self._lock:
            if self._done.is_set():
                return False
            record, connection = self._record, self._connection
        if not self._finish(None, error, ()):
            return False
        if record is not None and connection is not None:
            connection.cancel(record)
        return True

    def _finish(self, answer: bytes | None, error: RpcError | None, metadata: tuple[tuple[str, str], ...]) -> bool:
        with self._lock:
            if self._done.is_set():
                return False
            self._answer, self._error, self.metadata = answer, error, metadata
            self._done.set()
            callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback(self)
        return True


class UnaryMethod(Generic[RequestT, ResponseT]):
    """One RPC of a stub: ``stub.method(request)`` or ``stub.method.future(request)``."""

    def __init__(self, channel: Channel, full_name: str, request_type: type[RequestT], response_type: type[ResponseT]) -> None:
        self.channel = channel
        #: ``package.Service/Method``.
        self.full_name = full_name
        self.request_type = request_type
        self.response_type = response_type

    def __call__(
        self,
        request: RequestT,
        *,
        timeout: float | None = DEFAULT_TIMEOUT,
        metadata: Metadata | None = None,
        idempotency_key: str | None = None,
    ) -> ResponseT:
        """Calls the method and waits; raises :class:`RpcError` for any status but OK."""
        _options.check_request(self.full_name, self.request_type, request)
        return self.channel.call(self.full_name, request, self.response_type, timeout=timeout,
                                 metadata=metadata, idempotency_key=idempotency_key)

    def future(
        self,
        request: RequestT,
        *,
        timeout: float | None = DEFAULT_TIMEOUT,
        metadata: Metadata | None = None,
        idempotency_key: str | None = None,
    ) -> CallFuture[ResponseT]:
        """Starts the call and returns at once."""
        _options.check_request(self.full_name, self.request_type, request)
        return self.channel.future(self.full_name, request, self.response_type, timeout=timeout,
                                   metadata=metadata, idempotency_key=idempotency_key)

    def __repr__(self) -> str:
        return f"<UnaryMethod {self.full_name}>"
