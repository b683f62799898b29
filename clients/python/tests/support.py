"""Test helpers: the real server binary on an ephemeral port, a scriptable fake server, the
reply token from an outbox email."""

from __future__ import annotations

import email
import email.policy
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from findreviewer import RpcError, StatusCode
from findreviewer._wire import FIXED, PREFACE, FrameType, encode_frame
from findreviewer.v1 import rpc_pb2

REPO = Path(__file__).resolve().parents[3]
#: The server the tests run: `swift build` puts it here (FINDREVIEWER_SERVER_BINARY overrides).
SERVER_BINARY = Path(os.environ.get("FINDREVIEWER_SERVER_BINARY", REPO / ".build/debug/findreviewer-server"))
#: Bound on anything a test waits for (a readiness line, an email file, an exit).
WAIT = 30.0


class ServerProcess:
    """``findreviewer-server --listen 127.0.0.1:0 --data-dir DIR ARGS``, ready when it says where it listens.

    Readiness is the server's ``listening on HOST:PORT`` line on standard output, not a sleep.
    """

    def __init__(self, *args: str, data_dir: Path | None = None, binary: Path = SERVER_BINARY) -> None:
        if not binary.exists():
            raise FileNotFoundError(f"{binary} is missing: run `swift build` (or `make build`) first")
        self.owns_data = data_dir is None
        self.data_dir = data_dir or Path(tempfile.mkdtemp(prefix="findreviewer-py-"))
        self.args = args
        self.log = open(self.data_dir / "server.log", "ab")
        self.process = subprocess.Popen(
            [str(binary), "--listen", "127.0.0.1:0", "--data-dir", str(self.data_dir), *args],
            stdout=subprocess.PIPE, stderr=self.log, text=True)
        self.lines: list[str] = []
        ready = threading.Event()

        def read() -> None:
            assert self.process.stdout is not None
            for line in self.process.stdout:
                self.lines.append(line.rstrip("\n"))
                if self._find("listening on ") and self._find("keys file: "):
                    ready.set()
            ready.set()

        threading.Thread(target=read, daemon=True).start()
        if not ready.wait(WAIT) or self.process.poll() is not None or not self._find("listening on "):
            self.kill()
            raise RuntimeError(f"server did not start: {self.lines} {self.logs()}")
        self.address = self._find("listening on ")
        self.port = int(self.address.rsplit(":", 1)[1])
        self.keys_file = Path(self._find("keys file: ") or self.data_dir / "keys.json")

    def _find(self, prefix: str) -> str:
        for line in self.lines:
            if prefix in line:
                return line.split(prefix, 1)[1].strip()
        return ""

    def key(self, role: str) -> str:
        """The key of ``role`` from the keys file the server wrote."""
        document = json.loads(self.keys_file.read_text())
        return next(entry["key"] for entry in document["keys"] if entry["role"] == role)

    def logs(self) -> str:
        """What the server logged on standard error."""
        self.log.flush()
        return (self.data_dir / "server.log").read_text(errors="replace")

    def terminate(self) -> None:
        """SIGTERM: the server sends GOAWAY, drains and exits."""
        self.process.send_signal(signal.SIGTERM)

    def wait(self, timeout: float = WAIT) -> int:
        """The exit status; SIGKILL (and a non-zero status) if it outlives ``timeout``."""
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()

    def stop(self) -> int:
        """SIGTERM and wait."""
        if self.process.poll() is None:
            self.terminate()
        return self.wait()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def cleanup(self) -> None:
        self.stop()
        self.log.close()
        if self.owns_data:
            shutil.rmtree(self.data_dir, ignore_errors=True)


def expect(code: StatusCode, call: Callable[..., object], *args: object, **kwargs: object) -> RpcError:
    """Calls ``call`` and returns the RpcError it must raise with ``code``."""
    with pytest.raises(RpcError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value
    return caught.value


def outbox_messages(outbox: Path) -> list[bytes]:
    """Every email in the server's outbox directory, in the order written, each entry once:
    the batch files ``<first>-<last>.<stamp>.mbox`` (mboxrd: a ``From `` line before each
    email, an empty line after it, ``>``-escaped ``From `` lines) and older ``<entry>.eml``
    files, as README.md's data-directory section describes them."""
    seen: set[str] = set()
    out: list[bytes] = []
    for path in sorted(p for p in outbox.glob("*") if p.suffix in (".mbox", ".eml")):
        data = path.read_bytes()
        if path.suffix == ".eml":
            messages = [data]
        else:
            messages, current = [], None
            for line in data.splitlines(keepends=True):
                if line.startswith(b"From "):
                    if current is not None:
                        messages.append(current)
                    current = b""
                elif current is not None:
                    current += line[1:] if re.match(rb">+From ", line) else line
            if current is not None:
                messages.append(current)
            messages = [m[:-2] if m.endswith(b"\r\n") else m for m in messages]
        for message in messages:
            found = re.search(rb"\nMessage-ID: <([^@>\r]+)", message)
            entry = found.group(1).decode() if found else path.name
            if entry not in seen:
                seen.add(entry)
                out.append(message)
    return out


def reply_token(data_dir: Path, to: str, *, after: int = 0, timeout: float = WAIT) -> str:
    """The reply token in the newest email to ``to`` beyond the first ``after`` of them, read
    from the outbox like ``findreviewer outbox --token`` does (the delivery worker writes it
    shortly after the call; this polls for the file, it does not wait for time)."""
    give_up = time.monotonic() + timeout
    while True:
        tokens = []
        for raw in outbox_messages(data_dir / "outbox"):
            message = email.message_from_bytes(raw, policy=email.policy.default)
            if to not in str(message["To"]):
                continue
            body = message.get_body(("plain",))
            found = re.search(r"[?&]token=([A-Za-z0-9_-]+)", body.get_content() if body else "")
            if found:
                tokens.append(found.group(1))
        if len(tokens) > after:
            return tokens[-1]
        if time.monotonic() > give_up:
            raise TimeoutError(f"no email with a reply token to {to} in {data_dir / 'outbox'}")
        time.sleep(0.01)  # polling for a file the server writes, not waiting for time to pass


class FakePeer:
    """The server end of one connection of a :class:`FakeServer`."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.sock.settimeout(WAIT)
        self._buffer = b""

    def read_exactly(self, count: int) -> bytes:
        while len(self._buffer) < count:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError(f"client closed after {len(self._buffer)} of {count} bytes")
            self._buffer += chunk
        data, self._buffer = self._buffer[:count], self._buffer[count:]
        return data

    def read_preface(self) -> bytes:
        return self.read_exactly(len(PREFACE))

    def read_frame(self) -> tuple[FrameType, int, bytes, bytes]:
        """(type, call id, header, payload)."""
        length, frame_type, _flags, header_length, call_id = FIXED.unpack(self.read_exactly(FIXED.size))
        body = self.read_exactly(length)
        return FrameType(frame_type), call_id, body[:header_length], body[header_length:]

    def read_request(self) -> tuple[int, rpc_pb2.RequestHeader, bytes]:
        frame_type, call_id, header, payload = self.read_frame()
        assert frame_type == FrameType.REQUEST, frame_type
        return call_id, rpc_pb2.RequestHeader.FromString(header), payload

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def respond(self, call_id: int, message: object = None, *, code: int = 0, text: str = "",
                details: tuple[rpc_pb2.ErrorDetail, ...] = ()) -> None:
        if code == 0:
            payload = message.SerializeToString() if message is not None else b""  # type: ignore[attr-defined]
            self.send(encode_frame(FrameType.RESPONSE, call_id, b"", payload))
        else:
            header = rpc_pb2.ResponseHeader(status_code=code, status_message=text, details=details)
            self.send(encode_frame(FrameType.RESPONSE, call_id, header.SerializeToString()))

    def goaway(self, last_call_id: int, message: str = "shutting down") -> None:
        header = rpc_pb2.GoAway(last_call_id=last_call_id, status_code=14, message=message)
        self.send(encode_frame(FrameType.GOAWAY, 0, header.SerializeToString()))

    def hang_up(self) -> None:
        """Ends the connection from the server's side without a reset: stop sending, read
        what the client still sends until it closes, then close (a lingering close; a plain
        close with unread input makes the kernel send RST, which can drop our last bytes)."""
        try:
            self.sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        self.closed_by_client()
        self.close()

    def closed_by_client(self) -> bool:
        """True once the client has closed its end (reads what is left until EOF)."""
        try:
            while self.sock.recv(65536):
                pass
        except OSError:
            pass
        return True

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


class FakeServer:
    """A loopback TCP server running ``script(peer, index)`` for each connection it accepts
    (index 0, 1, ...). Whatever a script raises is kept in ``errors`` for the test to show."""

    def __init__(self, script: Callable[[FakePeer, int], None]) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.address = f"127.0.0.1:{self.listener.getsockname()[1]}"
        self.script = script
        self.errors: list[BaseException] = []
        self.connections = 0
        self.peers: list[FakePeer] = []
        self.finished = threading.Semaphore(0)
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                sock, _ = self.listener.accept()
            except OSError:
                return
            index = self.connections
            self.connections += 1
            peer = FakePeer(sock)
            self.peers.append(peer)
            threading.Thread(target=self._run, args=(peer, index), daemon=True).start()

    def _run(self, peer: FakePeer, index: int) -> None:
        try:
            self.script(peer, index)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            self.errors.append(error)
        finally:
            self.finished.release()

    def wait_scripts(self, count: int = 1) -> None:
        """Waits until ``count`` connection scripts have returned; re-raises their errors."""
        for _ in range(count):
            assert self.finished.acquire(timeout=WAIT), "fake server script did not finish"
        if self.errors:
            raise self.errors[0]

    def close(self) -> None:
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread
        except OSError:
            pass
        self.listener.close()
        for peer in self.peers:
            peer.close()


def connection_error_frame(code: int, message: str) -> bytes:
    return encode_frame(FrameType.CONNECTION_ERROR, 0, rpc_pb2.ConnectionError(status_code=code, message=message).SerializeToString())


def fixed(length: int, frame_type: int, header_length: int, call_id: int) -> bytes:
    """A frame's 12-byte fixed part, for frames the encoder would never make."""
    return struct.pack(">IBBHI", length, frame_type, 0, header_length, call_id)
