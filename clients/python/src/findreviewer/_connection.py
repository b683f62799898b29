"""One blocking TCP connection: a reader thread around :class:`ConnectionCore`.

Callers write their own REQUEST frames (whoever writes takes everything queued, so calls
started together leave in one ``send``); one reader thread per connection reads, matches
answers to calls and completes them. Deadlines of calls that nobody waits for are kept by
the reader in a heap.
"""

from __future__ import annotations

import heapq
import os
import select
import socket
import threading
import time
from collections.abc import Callable, Sequence
from typing import Protocol

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
)
from findreviewer._options import Settings
from findreviewer._wire import MAX_PING_PAYLOAD_BYTES, PREFACE, FrameType, encode_frame
from findreviewer.errors import RpcError, StatusCode

#: Bytes asked of the kernel per read.
READ_SIZE = 256 * 1024


class CallSink(Protocol):
    """What a call attempt reports to."""

    def on_outcome(self, outcome: Outcome) -> None: ...

    def on_deadline(self) -> None: ...


class Connection(ConnectionView):
    """A connection to one server; thread-safe."""

    def __init__(self, settings: Settings, on_goaway: Callable[[Connection], None], on_closed: Callable[[Connection], None]) -> None:
        self.settings = settings
        self._on_goaway = on_goaway
        self._on_closed = on_closed
        self._sock = socket.create_connection((settings.host, settings.port), timeout=settings.connect_timeout)
        try:
            self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._sock.settimeout(None)
            self._sock.sendall(PREFACE)
        except OSError:
            self._sock.close()
            raise
        self._core = ConnectionCore(settings.max_payload_bytes, settings.max_calls_per_connection)
        self._lock = threading.Lock()  # guards the core, the timers and the ping waiters
        self._out: list[bytes] = []
        self._out_lock = threading.Lock()
        self._writing = False
        # True while the reader completes calls: writes from their callbacks (calls started
        # in done-callbacks) are queued and sent together once the batch is done.
        self._dispatching = False
        self._timers: list[tuple[float, int, CallRecord]] = []  # (deadline, sequence, call)
        self._timer_seq = 0
        self._wake_at: float | None = None
        self._frame_started: float | None = None
        self._pings: dict[bytes, tuple[threading.Event, list[float | RpcError]]] = {}
        # A pipe that wakes the reader when a deadline earlier than its wait is registered.
        self._wake_r, self._wake_w = os.pipe()
        self._wake_lock = threading.Lock()
        self._wake_closed = False
        os.set_blocking(self._wake_r, False)
        os.set_blocking(self._wake_w, False)
        self._send_error: OSError | None = None
        self._ready = threading.Event()  # the server's preface arrived, or the connection ended
        self._reader = threading.Thread(target=self._read_loop, name=f"findreviewer-reader {settings.address}", daemon=True)
        self._reader.start()
        # Calls go out only after the server's preface: a server refusing the connection
        # (CONNECTION_ERROR after its preface, e.g. too many connections) or one that is not
        # a FindReviewer server is then an error of its own, before any call was sent.
        if not self._ready.wait(settings.connect_timeout):
            self.close(RpcError(StatusCode.UNAVAILABLE, "no preface from the server"))
            raise TimeoutError(f"no preface from the server within {settings.connect_timeout:g} s (connect_timeout)")
        if self._core.closed is not None:
            error = self._core.closed
            raise RpcError(error.code, error.message, error.details, wire_code=error.wire_code)

    # -- what callers do


    def start(
        self, record: CallRecord, header: bytes, payload: bytes, fresh_header: Callable[[], bytes],
        deadline: float | None, watch_deadline: bool,
    ) -> None:
        """Sends one call, or queues it while ``max_calls_per_connection`` are in flight; its
        outcome goes to ``record.sink``. Raises :class:`NotAccepting`."""
        with self._lock:
            frame = self._core.submit(record, header, payload, fresh_header)
            if watch_deadline and deadline is not None:
                self._timer_seq += 1
                heapq.heappush(self._timers, (deadline, self._timer_seq, record))
                wake = self._wake_at is None or deadline < self._wake_at
            else:
                wake = False
        if frame:
            self._write(frame)
        if wake:
            self._wake()

    def cancel(self, record: CallRecord) -> None:
        """Abandons a call: CANCEL goes out (if it was sent), and no outcome follows."""
        with self._lock:
            frames = self._core.cancel_frame(record)
        if frames:
            self._write(frames)

    def ping(self, payload: bytes, timeout: float) -> float:
        """Round-trip seconds of one PING (raises RpcError when the connection ends first)."""
        if len(payload) > MAX_PING_PAYLOAD_BYTES:
            raise ValueError(f"a PING carries at most {MAX_PING_PAYLOAD_BYTES} bytes")
        done = threading.Event()
        box: list[float | RpcError] = []
        with self._lock:
            if self._core.closed is not None:
                raise self._core.closed
            if payload in self._pings:
                raise ValueError("a PING with this payload is already waiting")
            self._pings[payload] = (done, box)
        started = time.monotonic()
        self._write(encode_frame(FrameType.PING, 0, b"", payload))
        if not done.wait(timeout):
            with self._lock:
                self._pings.pop(payload, None)
            raise RpcError(StatusCode.DEADLINE_EXCEEDED, f"no PONG within {timeout:g} s")
        if isinstance(box[0], RpcError):
            raise box[0]
        return box[0] - started

    def close(self, error: RpcError) -> None:
        """Ends the connection; calls in flight end with ``error``."""
        with self._lock:
            actions = self._core.fail(error)
        self._perform(actions)

    # -- writing

    def _write(self, data: bytes) -> None:
        with self._out_lock:
            self._out.append(data)
            if self._writing:
                return  # the thread writing now takes ours too
            if self._dispatching and threading.get_ident() == self._reader.ident:
                return  # a callback on the reader started a call: sent with the others after the batch
            self._writing = True
        self._send_queued()

    def _flush_after_dispatch(self) -> None:
        with self._out_lock:
            self._dispatching = False
            if self._writing or not self._out:
                return
            self._writing = True
        self._send_queued()

    def _send_queued(self) -> None:
        while True:
            with self._out_lock:
                if not self._out:
                    self._writing = False
                    return
                chunk = self._out[0] if len(self._out) == 1 else b"".join(self._out)
                self._out.clear()
            try:
                self._sock.sendall(chunk)
            except OSError as error:
                with self._out_lock:
                    self._out.clear()
                    self._writing = False
                # The server may have said why before it closed (a CONNECTION_ERROR in our
                # receive buffer): the reader reads that first, then ends the calls.
                self._send_error = error
                self._wake()
                return

    def _wake(self) -> None:
        with self._wake_lock:
            if self._wake_closed:
                return  # the descriptor number may already belong to someone else
            try:
                os.write(self._wake_w, b"x")
            except BlockingIOError:
                pass  # a wake-up is already pending

    # -- reading

    def _read_loop(self) -> None:
        poller = select.poll()
        sock_fd = self._sock.fileno()
        poller.register(sock_fd, select.POLLIN)
        poller.register(self._wake_r, select.POLLIN)
        try:
            self._serve(poller)
        except BaseException as error:  # a bug here must not leave calls waiting forever
            with self._lock:
                actions = self._core.fail(RpcError(StatusCode.INTERNAL, f"client reader failed: {error!r}"))
            self._perform(actions)
            raise
        finally:
            self._finish()

    def _serve(self, poller: select.poll) -> None:
        while self._core.closed is None:
            timeout = self._poll_timeout()
            for fd, _ in poller.poll(None if timeout is None else max(0, int(timeout * 1000) + 1)):
                if fd == self._wake_r:
                    try:
                        os.read(self._wake_r, 4096)
                    except BlockingIOError:
                        pass
                else:
                    self._read_once()
            if self._send_error is not None and self._core.closed is None:
                self._drain_after_send_error(self._send_error)
            if self._core.closed is None:
                self._fire_timers()

    def _drain_after_send_error(self, error: OSError) -> None:
        while self._core.closed is None:
            try:
                data = self._sock.recv(READ_SIZE, socket.MSG_DONTWAIT)
            except (BlockingIOError, OSError):
                data = b""
            with self._lock:
                if data:
                    actions = self._core.receive(data)
                else:
                    actions = self._core.fail(RpcError(StatusCode.UNAVAILABLE, f"connection lost while sending: {error}"))
            self._perform(actions)

    def _read_once(self) -> None:
        try:
            data = self._sock.recv(READ_SIZE)
        except OSError as error:
            with self._lock:
                actions = self._core.fail(RpcError(StatusCode.UNAVAILABLE, f"connection lost: {error}"))
            self._perform(actions)
            return
        with self._lock:
            actions = self._core.receive(data) if data else self._core.end_of_stream()
            if self._core.decoder.mid_frame:
                if self._frame_started is None:
                    self._frame_started = time.monotonic()
            else:
                self._frame_started = None
            if self._core.decoder.preface_received or self._core.closed is not None:
                self._ready.set()
            drained = self._core.goaway is not None and not self._core.pending and self._core.closed is None
            if drained:
                # Everything the server still owed us has arrived: close our side.
                actions += self._core.fail(RpcError(StatusCode.UNAVAILABLE, "connection drained after GOAWAY"))
        self._dispatching = True
        try:
            self._perform(actions)
        finally:
            self._flush_after_dispatch()

    def _poll_timeout(self) -> float | None:
        with self._lock:
            timers = self._timers
            while timers and not timers[0][2].live:
                heapq.heappop(timers)  # ended before its deadline
            candidates = []
            if self._timers:
                candidates.append(self._timers[0][0])
            if self._frame_started is not None:
                candidates.append(self._frame_started + self.settings.frame_timeout)
            self._wake_at = min(candidates) if candidates else None
        return None if self._wake_at is None else self._wake_at - time.monotonic()

    def _fire_timers(self) -> None:
        now = time.monotonic()
        due: list[CallRecord] = []
        actions: list[Action] = []
        with self._lock:
            while self._timers and self._timers[0][0] <= now:
                _, _, record = heapq.heappop(self._timers)
                if record.live:
                    due.append(record)
            if self._frame_started is not None and now >= self._frame_started + self.settings.frame_timeout:
                actions = self._core.frame_timed_out(self.settings.frame_timeout)
        for record in due:
            record.sink.on_deadline()
        self._perform(actions)

    def _perform(self, actions: Sequence[Action]) -> None:
        for action in actions:
            if isinstance(action, Outcome):
                action.record.sink.on_outcome(action)
            elif isinstance(action, SendBytes):
                self._write(action.data)
            elif isinstance(action, PongReceived):
                self._pong(action.payload, time.monotonic())
            elif isinstance(action, GoAwayReceived):
                self._on_goaway(self)
            elif isinstance(action, Closed):
                self._closed(action)

    def _pong(self, payload: bytes, at: float | RpcError) -> None:
        with self._lock:
            waiter = self._pings.pop(payload, None)
        if waiter is not None:
            waiter[1].append(at)
            waiter[0].set()

    def _closed(self, closed: Closed) -> None:
        if closed.farewell:
            try:
                self._sock.settimeout(1.0)  # best effort: never stall on a peer that stopped reading
                self._sock.sendall(closed.farewell)
            except OSError:
                pass
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        with self._lock:
            pings = list(self._pings)
        for payload in pings:
            self._pong(payload, closed.error)
        self._ready.set()
        self._wake()
        self._on_closed(self)

    def _finish(self) -> None:
        self._sock.close()
        with self._wake_lock:
            self._wake_closed = True
            os.close(self._wake_r)
            os.close(self._wake_w)


__all__ = ["Connection", "NotAccepting"]
