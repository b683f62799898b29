"""The asyncio client: :class:`AsyncChannel` and the async stubs' :class:`AsyncUnaryMethod`.

Same protocol state machine as the blocking client (``findreviewer._core``), driven by an
``asyncio.Protocol`` on the running loop: no threads. Calls started in one turn of the
loop leave in one ``send``. Cancelling the awaiting task sends CANCEL to the server and
raises ``asyncio.CancelledError`` as asyncio expects.
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Callable
from typing import Generic, TypeVar

from google.protobuf.message import DecodeError, Message

from findreviewer import _options
from findreviewer._core import (
    Action,
    CallRecord,
    Closed,
    ConnectionCore,
    ConnectionView,
    GoAwayReceived,
    NotAccepting,
    Outcome,
    PongReceived,
    SendBytes,
    request_header,
)
from findreviewer._options import Metadata, Settings
from findreviewer._wire import MAX_PING_PAYLOAD_BYTES, PREFACE, FrameType, encode_frame
from findreviewer.channel import DEFAULT_TIMEOUT
from findreviewer.errors import RpcError, StatusCode
from findreviewer.v1 import info_pb2

__all__ = ["AsyncChannel", "AsyncUnaryMethod", "AsyncConnection"]

RequestT = TypeVar("RequestT", bound=Message)
ResponseT = TypeVar("ResponseT", bound=Message)


class AsyncConnection(ConnectionView, asyncio.Protocol):
    """One connection on the running loop."""

    def __init__(self, settings: Settings, on_goaway: Callable[[AsyncConnection], None],
                 on_closed: Callable[[AsyncConnection], None]) -> None:
        self.settings = settings
        self._on_goaway = on_goaway
        self._on_closed = on_closed
        self._core = ConnectionCore(settings.max_payload_bytes, settings.max_calls_per_connection)
        self._loop = asyncio.get_running_loop()
        self._transport: asyncio.Transport | None = None
        self._out: list[bytes] = []
        self._flush_scheduled = False
        self._writable = asyncio.Event()
        self._writable.set()
        self._frame_timer: asyncio.TimerHandle | None = None
        self._pings: dict[bytes, asyncio.Future[float]] = {}
        self._ended = False
        self._ready: asyncio.Future[None] = self._loop.create_future()  # preface received, or ended

    @classmethod
    async def open(cls, settings: Settings, on_goaway: Callable[[AsyncConnection], None],
                   on_closed: Callable[[AsyncConnection], None]) -> AsyncConnection:
        """Connects and waits for the server's preface (raises OSError, TimeoutError after
        ``connect_timeout``, or RpcError when the server refuses the connection)."""
        loop = asyncio.get_running_loop()
        give_up = loop.time() + settings.connect_timeout
        _, protocol = await asyncio.wait_for(
            loop.create_connection(lambda: cls(settings, on_goaway, on_closed), settings.host, settings.port),
            settings.connect_timeout)
        # Calls go out only after the server's preface (see the blocking Connection).
        try:
            await asyncio.wait_for(asyncio.shield(protocol._ready), max(0.0, give_up - loop.time()))
        except TimeoutError:
            protocol.close(RpcError(StatusCode.UNAVAILABLE, "no preface from the server"))
            raise TimeoutError(f"no preface from the server within {settings.connect_timeout:g} s (connect_timeout)") from None
        error = protocol._core.closed
        if error is not None:
            raise RpcError(error.code, error.message, error.details, wire_code=error.wire_code)
        return protocol

    # -- what callers do


    async def writable(self) -> None:
        """Waits while the transport's buffer is over its high-water mark."""
        if not self._writable.is_set():
            await self._writable.wait()

    def start(self, record: CallRecord, header: bytes, payload: bytes, fresh_header: Callable[[], bytes]) -> None:
        """Sends one call (or queues it while ``max_calls_per_connection`` are in flight); its
        outcome is set on ``record.sink`` (a future). Raises NotAccepting."""
        frame = self._core.submit(record, header, payload, fresh_header)
        if frame:
            self._queue(frame)

    def cancel(self, record: CallRecord) -> None:
        """Abandons a call: CANCEL goes out (if it was sent), no outcome follows."""
        frames = self._core.cancel_frame(record)
        if frames:
            self._queue(frames)

    async def ping(self, payload: bytes, timeout: float) -> float:
        """Round-trip seconds of one PING."""
        if len(payload) > MAX_PING_PAYLOAD_BYTES:
            raise ValueError(f"a PING carries at most {MAX_PING_PAYLOAD_BYTES} bytes")
        if self._core.closed is not None:
            raise self._core.closed
        if payload in self._pings:
            raise ValueError("a PING with this payload is already waiting")
        waiter: asyncio.Future[float] = self._loop.create_future()
        self._pings[payload] = waiter
        started = self._loop.time()
        self._queue(encode_frame(FrameType.PING, 0, b"", payload))
        try:
            arrived = await asyncio.wait_for(waiter, timeout)
        except TimeoutError:
            raise RpcError(StatusCode.DEADLINE_EXCEEDED, f"no PONG within {timeout:g} s") from None
        finally:
            self._pings.pop(payload, None)
        return arrived - started

    def close(self, error: RpcError) -> None:
        """Ends the connection; calls in flight end with ``error``."""
        self._perform(self._core.fail(error))

    # -- asyncio.Protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        transport.write(PREFACE)

    def data_received(self, data: bytes) -> None:
        actions = self._core.receive(data)
        if not self._ready.done() and (self._core.decoder.preface_received or self._core.closed is not None):
            self._ready.set_result(None)
        self._track_frame()
        if self._core.goaway is not None and not self._core.pending and self._core.closed is None:
            # Everything the server still owed us has arrived: close our side.
            actions += self._core.fail(RpcError(StatusCode.UNAVAILABLE, "connection drained after GOAWAY"))
        self._perform(actions)

    def eof_received(self) -> bool:
        self._perform(self._core.end_of_stream())
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        detail = f": {exc}" if exc else ""
        self._perform(self._core.fail(RpcError(StatusCode.UNAVAILABLE, f"connection lost{detail}")))
        self._writable.set()
        self._end()

    def pause_writing(self) -> None:
        self._writable.clear()

    def resume_writing(self) -> None:
        self._writable.set()

    # -- internals

    def _queue(self, data: bytes) -> None:
        self._out.append(data)
        if not self._flush_scheduled:
            self._flush_scheduled = True
            self._loop.call_soon(self._flush)

    def _flush(self) -> None:
        self._flush_scheduled = False
        if not self._out or self._transport is None or self._transport.is_closing():
            self._out.clear()
            return
        data = self._out[0] if len(self._out) == 1 else b"".join(self._out)
        self._out.clear()
        self._transport.write(data)

    def _track_frame(self) -> None:
        if self._core.decoder.mid_frame and self._core.closed is None:
            if self._frame_timer is None:
                self._frame_timer = self._loop.call_later(self.settings.frame_timeout, self._frame_timed_out)
        elif self._frame_timer is not None:
            self._frame_timer.cancel()
            self._frame_timer = None

    def _frame_timed_out(self) -> None:
        self._frame_timer = None
        if self._core.decoder.mid_frame:
            self._perform(self._core.frame_timed_out(self.settings.frame_timeout))

    def _perform(self, actions: list[Action]) -> None:
        for action in actions:
            if isinstance(action, Outcome):
                sink = action.record.sink
                if not sink.done():
                    sink.set_result(action)
            elif isinstance(action, SendBytes):
                self._queue(action.data)
            elif isinstance(action, PongReceived):
                waiter = self._pings.get(action.payload)
                if waiter is not None and not waiter.done():
                    waiter.set_result(self._loop.time())
            elif isinstance(action, GoAwayReceived):
                self._on_goaway(self)
            elif isinstance(action, Closed):
                self._closed(action)

    def _closed(self, closed: Closed) -> None:
        if self._frame_timer is not None:
            self._frame_timer.cancel()
            self._frame_timer = None
        for waiter in self._pings.values():
            if not waiter.done():
                waiter.set_exception(closed.error)
        if self._transport is not None and not self._transport.is_closing():
            self._flush()
            if closed.farewell:
                self._transport.write(closed.farewell)
            self._transport.close()
        self._end()

    def _end(self) -> None:
        if not self._ready.done():
            self._ready.set_result(None)
        if not self._ended:
            self._ended = True
            self._on_closed(self)


class AsyncChannel(_options.ChannelBase[AsyncConnection]):
    """The asyncio twin of :class:`findreviewer.Channel`: same arguments, same behaviour.

    Create and use it inside a running loop; ``async with AsyncChannel(...) as channel``
    or ``await channel.close()``.
    """

    _connecting: asyncio.Lock | None = None

    async def call(
        self,
        method: str,
        request: Message,
        response_type: type[ResponseT],
        *,
        timeout: float | None = DEFAULT_TIMEOUT,
        metadata: Metadata | None = None,
        idempotency_key: str | None = None,
    ) -> ResponseT:
        """Calls ``method`` (``package.Service/Method``); raises :class:`RpcError`."""
        payload = await self._call(method, request.SerializeToString(), timeout, metadata, idempotency_key)
        try:
            return response_type.FromString(payload)
        except DecodeError as error:
            raise RpcError(StatusCode.INTERNAL, f"the server's answer ({len(payload)} bytes) does not decode: {error}",
                           method=method) from None

    async def call_bytes(
        self,
        method: str,
        payload: bytes,
        *,
        timeout: float | None = DEFAULT_TIMEOUT,
        metadata: Metadata | None = None,
        idempotency_key: str | None = None,
    ) -> bytes:
        """Like :meth:`call` with the request and response as wire bytes."""
        return await self._call(method, bytes(payload), timeout, metadata, idempotency_key)

    async def ping(self, payload: bytes = b"", timeout: float = 5.0) -> float:
        """Sends PING on the current connection; returns the round trip in seconds."""
        return await (await self._connection()).ping(payload or os.urandom(8), timeout)

    async def server_info(self) -> info_pb2.ServerInfo:
        """``ServerInfoService/GetServerInfo``; also learns the idempotent methods."""
        info = await self.call(_options.SERVER_INFO, info_pb2.GetServerInfoRequest(), info_pb2.ServerInfo)
        self._learn(info)
        return info

    async def close(self) -> None:
        """Closes every connection; calls still in flight end with CANCELLED."""
        self._closed = True
        self._current = None
        for connection in list(self._live):
            connection.close(RpcError(StatusCode.CANCELLED, "the channel was closed"))
        await asyncio.sleep(0)  # let the transports run their close callbacks

    async def __aenter__(self) -> AsyncChannel:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    # -- internals

    async def _call(
        self, method: str, payload: bytes, timeout: float | None, metadata: Metadata | None, idempotency_key: str | None
    ) -> bytes:
        if timeout is DEFAULT_TIMEOUT:
            timeout = self.settings.default_timeout
        loop = asyncio.get_running_loop()
        pairs, request_id = _options.call_metadata(self.settings, method, metadata, idempotency_key)
        deadline = None if timeout is None else loop.time() + timeout
        retries = _options.RetryBudget(self.settings.retry, method, idempotency_key is not None)
        while True:
            outcome = await self._attempt(method, request_id, pairs, payload, deadline, timeout)
            error = outcome.error
            if error is None:
                return outcome.payload or b""
            idempotent = None
            if error.code == StatusCode.UNAVAILABLE and retries.needs_idempotency(outcome.unprocessed):
                idempotent = await self._idempotent_methods()
            time_left = None if deadline is None else deadline - loop.time()
            delay = retries.next_delay(error, outcome.unprocessed, idempotent, time_left)
            if delay is None:
                raise error
            if delay:
                await asyncio.sleep(delay)

    async def _attempt(
        self, method: str, request_id: str, pairs: list[tuple[str, str]], payload: bytes,
        deadline: float | None, timeout: float | None,
    ) -> Outcome:
        loop = asyncio.get_running_loop()
        record = CallRecord(method, request_id, None)
        while True:
            remaining = None if deadline is None else deadline - loop.time()
            if remaining is not None and remaining <= 0:
                return Outcome(record, None, _options.deadline_error(method, request_id, timeout))
            if len(payload) > self.settings.max_payload_bytes:
                raise _options.too_large_error(method, len(payload), self.settings.max_payload_bytes).with_call(method, request_id)
            header = request_header(method, _options.timeout_ms(remaining), pairs)
            try:
                connection = await self._connection()
            except (OSError, RpcError) as error:  # TimeoutError too
                # Nothing was sent: any method may be tried again (if the code allows).
                failure = error if isinstance(error, RpcError) else _options.connect_error(self.settings, error)
                return Outcome(record, None, failure.with_call(method, request_id), unprocessed=True)
            await connection.writable()
            sink: asyncio.Future[Outcome] = loop.create_future()
            record = CallRecord(method, request_id, sink)
            def fresh_header() -> bytes:
                left = None if deadline is None else deadline - loop.time()
                return request_header(method, _options.timeout_ms(left), pairs)

            try:
                connection.start(record, header, payload, fresh_header)
            except NotAccepting:
                continue  # a GOAWAY came meanwhile: the next connection takes it
            timer = None
            if deadline is not None:
                timer = loop.call_at(deadline, self._expire, connection, record, timeout)
            try:
                return await sink
            except asyncio.CancelledError:
                connection.cancel(record)
                raise
            finally:
                if timer is not None:
                    timer.cancel()

    @staticmethod
    def _expire(connection: AsyncConnection, record: CallRecord, timeout: float | None) -> None:
        if not record.sink.done():
            connection.cancel(record)
            record.sink.set_result(Outcome(record, None, _options.deadline_error(record.method, record.request_id, timeout)))

    async def _connection(self) -> AsyncConnection:
        if self._closed:
            raise RpcError(StatusCode.CANCELLED, "the channel was closed")
        connection = self._current
        if connection is not None and connection.accepting:
            return connection
        if self._connecting is None:
            self._connecting = asyncio.Lock()
        async with self._connecting:
            connection = self._current
            if connection is None or not connection.accepting:
                connection = await AsyncConnection.open(self.settings, self._went_away, self._ended)
                self._current = connection
                self._live.add(connection)
                self.connections_opened += 1
            return connection

    async def _idempotent_methods(self) -> frozenset[str] | None:
        if self._idempotent is None:
            try:
                await self.server_info()
            except RpcError:
                return None
        return self._idempotent


class AsyncUnaryMethod(Generic[RequestT, ResponseT]):
    """One RPC of an async stub: ``await stub.method(request)``."""

    def __init__(self, channel: AsyncChannel, full_name: str, request_type: type[RequestT],
                 response_type: type[ResponseT]) -> None:
        self.channel = channel
        #: ``package.Service/Method``.
        self.full_name = full_name
        self.request_type = request_type
        self.response_type = response_type

    async def __call__(
        self,
        request: RequestT,
        *,
        timeout: float | None = DEFAULT_TIMEOUT,
        metadata: Metadata | None = None,
        idempotency_key: str | None = None,
    ) -> ResponseT:
        """Calls the method; raises :class:`RpcError` for any status but OK."""
        _options.check_request(self.full_name, self.request_type, request)
        return await self.channel.call(self.full_name, request, self.response_type, timeout=timeout,
                                       metadata=metadata, idempotency_key=idempotency_key)

    def __repr__(self) -> str:
        return f"<AsyncUnaryMethod {self.full_name}>"
