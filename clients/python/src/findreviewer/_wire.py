"""Frames of PROTOCOL.md §1-2: bytes in, frames out. No sockets, no clocks, no threads.

Every size is checked from the 12-byte fixed part before the rest of a frame is buffered, so
a peer announcing a 4 GiB frame costs nothing but the error.
"""

from __future__ import annotations

import enum
import struct
from typing import NamedTuple

from findreviewer.errors import StatusCode

#: Connection preface, each way (§1.1): magic ``FRVW``, version u16 = 1, reserved u16 = 0.
MAGIC = b"FRVW"
PROTOCOL_VERSION = 1
PREFACE = MAGIC + struct.pack(">HH", PROTOCOL_VERSION, 0)
#: length u32 | type u8 | flags u8 | header length u16 | call id u32, big-endian (§2).
FIXED = struct.Struct(">IBBHI")
FIXED_SIZE = FIXED.size
#: Largest header either side accepts (§6, fixed).
MAX_HEADER_BYTES = 8 * 1024
#: Default largest payload this client accepts, the server's default too (§6).
DEFAULT_MAX_PAYLOAD_BYTES = 4 * 1024 * 1024
#: Largest PING/PONG payload (§3.4).
MAX_PING_PAYLOAD_BYTES = 64
#: Largest call id; the client never wraps (a connection that used them all is replaced).
MAX_CALL_ID = 0xFFFF_FFFF


class FrameType(enum.IntEnum):
    """Frame types of §2.1."""

    REQUEST = 1
    RESPONSE = 2
    CANCEL = 3
    PING = 4
    PONG = 5
    GOAWAY = 6
    CONNECTION_ERROR = 7


#: What a server may send to a client; REQUEST and CANCEL from a server are violations.
FROM_SERVER = frozenset({FrameType.RESPONSE, FrameType.PING, FrameType.PONG, FrameType.GOAWAY, FrameType.CONNECTION_ERROR})


class Frame(NamedTuple):
    """One decoded frame: the header and payload are the raw protobuf bytes."""

    type: FrameType
    flags: int
    call_id: int
    header: bytes
    payload: bytes


class ProtocolViolation(Exception):
    """The peer broke PROTOCOL.md; ``code`` is what goes into our CONNECTION_ERROR frame."""

    def __init__(self, code: StatusCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def encode_frame(frame_type: FrameType, call_id: int = 0, header: bytes = b"", payload: bytes = b"") -> bytes:
    """One frame's bytes. The caller has checked the limits (see :func:`check_outgoing`)."""
    return FIXED.pack(len(header) + len(payload), frame_type, 0, len(header), call_id) + header + payload


class FrameDecoder:
    """Incremental decoder of what a server sends: the preface, then frames.

    ``feed`` returns the frames completed by the new bytes and raises
    :class:`ProtocolViolation` on the first violation (after which the connection is dead).
    Feeding one byte at a time or everything at once gives the same frames.
    """

    def __init__(self, max_payload_bytes: int = DEFAULT_MAX_PAYLOAD_BYTES, *, expect_preface: bool = True) -> None:
        self.max_payload_bytes = max_payload_bytes
        self._preface_pending = expect_preface
        self._buffer = bytearray()
        # The fixed part of the frame being received, once it has been checked.
        self._current: tuple[FrameType, int, int, int, int] | None = None

    @property
    def mid_frame(self) -> bool:
        """True while part of a preface or frame has arrived but not all of it."""
        return bool(self._buffer) or self._current is not None

    @property
    def preface_received(self) -> bool:
        """True once the peer's whole preface has arrived and was right."""
        return not self._preface_pending

    @property
    def buffered(self) -> int:
        """Bytes received of the incomplete preface or frame."""
        return len(self._buffer)

    def feed(self, data: bytes) -> list[Frame]:
        """The frames completed by ``data``; raises :class:`ProtocolViolation`."""
        self._buffer += data
        frames: list[Frame] = []
        buffer = self._buffer
        offset = 0
        if self._preface_pending:
            offset = self._check_preface()
            if self._preface_pending:
                return frames
        end = len(buffer)
        while True:
            if self._current is None:
                if end - offset < FIXED_SIZE:
                    break
                self._current = self._check_fixed(*FIXED.unpack_from(buffer, offset))
                offset += FIXED_SIZE
            frame_type, flags, header_length, call_id, length = self._current
            if end - offset < length:
                break
            header = bytes(buffer[offset : offset + header_length])
            payload = bytes(buffer[offset + header_length : offset + length])
            offset += length
            self._current = None
            frames.append(Frame(frame_type, flags, call_id, header, payload))
        if offset:
            del buffer[:offset]
        return frames

    def check_end(self) -> None:
        """Called when the peer closed: raises if it stopped in the middle of something."""
        if self._preface_pending:
            if self._buffer:
                raise ProtocolViolation(
                    StatusCode.UNAVAILABLE,
                    f"the server closed the connection after {len(self._buffer)} of the preface's 8 bytes")
            return
        if self._current is not None:
            length = self._current[4]
            raise ProtocolViolation(
                StatusCode.UNAVAILABLE,
                f"the server closed the connection in the middle of a frame "
                f"({len(self._buffer)} of its {length} bytes after the fixed part)")
        if self._buffer:
            raise ProtocolViolation(
                StatusCode.UNAVAILABLE,
                f"the server closed the connection in the middle of a frame's fixed part "
                f"({len(self._buffer)} of {FIXED_SIZE} bytes)")

    def _check_preface(self) -> int:
        got = bytes(self._buffer[: len(PREFACE)])
        # A wrong magic is refused at its first differing byte (as the server does, §1.1).
        for index, byte in enumerate(got[: len(MAGIC)]):
            if byte != MAGIC[index]:
                raise ProtocolViolation(
                    StatusCode.INVALID_ARGUMENT,
                    f"not a FindReviewer server: its first bytes are {got.hex(' ')}, expected the preface "
                    f"{PREFACE.hex(' ')} (magic 'FRVW', version 1)")
        if len(got) < len(PREFACE):
            return 0
        version = struct.unpack_from(">H", got, 4)[0]
        if version != PROTOCOL_VERSION:
            raise ProtocolViolation(
                StatusCode.UNIMPLEMENTED,
                f"the server speaks protocol version {version}; this client speaks version {PROTOCOL_VERSION}")
        self._preface_pending = False
        return len(PREFACE)

    def _check_fixed(
        self, length: int, type_number: int, flags: int, header_length: int, call_id: int
    ) -> tuple[FrameType, int, int, int, int]:
        try:
            frame_type = FrameType(type_number)
        except ValueError:
            raise ProtocolViolation(StatusCode.INVALID_ARGUMENT, f"unknown frame type {type_number} (0x{type_number:02x})") from None
        if frame_type not in FROM_SERVER:
            raise ProtocolViolation(StatusCode.INVALID_ARGUMENT, f"a server may not send {frame_type.name} frames")
        if header_length > length:
            raise ProtocolViolation(
                StatusCode.INVALID_ARGUMENT,
                f"{frame_type.name} frame's header length {header_length} is larger than its length {length}")
        if header_length > MAX_HEADER_BYTES:
            raise ProtocolViolation(
                StatusCode.RESOURCE_EXHAUSTED,
                f"{frame_type.name} frame header of {header_length} bytes is over the limit of {MAX_HEADER_BYTES}")
        payload_length = length - header_length
        if payload_length > self.max_payload_bytes:
            raise ProtocolViolation(
                StatusCode.RESOURCE_EXHAUSTED,
                f"{frame_type.name} frame payload of {payload_length} bytes is over this client's limit of "
                f"{self.max_payload_bytes} (max_payload_bytes)")
        if frame_type in (FrameType.PING, FrameType.PONG) and payload_length > MAX_PING_PAYLOAD_BYTES:
            raise ProtocolViolation(
                StatusCode.INVALID_ARGUMENT,
                f"{frame_type.name} payload of {payload_length} bytes is over the limit of {MAX_PING_PAYLOAD_BYTES}")
        return frame_type, flags, header_length, call_id, length
