"""Frames without sockets: PROTOCOL.md's own bytes, the decoder's limits and its
byte-at-a-time equivalence."""

from __future__ import annotations

import re

import pytest
from support import REPO, fixed

from findreviewer._core import request_header
from findreviewer._wire import PREFACE, Frame, FrameDecoder, FrameType, ProtocolViolation, encode_frame
from findreviewer.errors import StatusCode
from findreviewer.v1 import HealthCheckResponse, SERVING_STATUS_SERVING


def protocol_hex(name: str) -> bytes:
    """The bytes of the ```hex NAME block of Protos/PROTOCOL.md."""
    text = (REPO / "Protos/PROTOCOL.md").read_text()
    block = re.search(rf"```hex {name}\n(.*?)```", text, re.S)
    assert block, f"no ```hex {name} block in PROTOCOL.md"
    return bytes.fromhex(block.group(1))


def test_worked_example_request_is_what_the_client_sends() -> None:
    # PROTOCOL.md §7: preface, then REQUEST call id 1 for Health/Check, no deadline, no metadata.
    header = request_header("findreviewer.v1.Health/Check", 0, [])
    assert PREFACE + encode_frame(FrameType.REQUEST, 1, header, b"") == protocol_hex("request")


def test_worked_example_response_decodes() -> None:
    frames = FrameDecoder().feed(protocol_hex("response"))
    assert frames == [Frame(FrameType.RESPONSE, 0, 1, b"", b"\x08\x01")]
    assert HealthCheckResponse.FromString(frames[0].payload).status == SERVING_STATUS_SERVING


def stream() -> bytes:
    # preface | RESPONSE id 7 with a header | PING 3 bytes | GOAWAY | RESPONSE id 8 empty
    return (PREFACE
            + encode_frame(FrameType.RESPONSE, 7, b"\x08\x05", b"")
            + encode_frame(FrameType.PING, 0, b"", b"abc")
            + encode_frame(FrameType.GOAWAY, 0, b"\x08\x07", b"")
            + encode_frame(FrameType.RESPONSE, 8, b"", b"\x08\x01"))


def test_one_byte_at_a_time_gives_the_same_frames_as_all_at_once() -> None:
    whole = FrameDecoder().feed(stream())
    decoder = FrameDecoder()
    piecewise = [frame for byte in stream() for frame in decoder.feed(bytes([byte]))]
    assert piecewise == whole
    assert [frame.type for frame in whole] == [FrameType.RESPONSE, FrameType.PING, FrameType.GOAWAY, FrameType.RESPONSE]
    assert not decoder.mid_frame


def test_a_split_frame_waits_for_the_rest() -> None:
    decoder = FrameDecoder()
    data = stream()
    assert decoder.feed(data[:15]) == []
    assert decoder.mid_frame
    assert len(decoder.feed(data[15:])) == 4


@pytest.mark.parametrize(
    ("data", "code", "text"),
    [
        # An HTTP server: refused at the first byte that is not the magic.
        (b"H", StatusCode.INVALID_ARGUMENT, "not a FindReviewer server"),
        (b"FRVX", StatusCode.INVALID_ARGUMENT, "not a FindReviewer server"),
        # Version 2.
        (b"FRVW\x00\x02\x00\x00", StatusCode.UNIMPLEMENTED, "version 2"),
        # Type 0xEE after a good preface.
        (PREFACE + fixed(0, 0xEE, 0, 1), StatusCode.INVALID_ARGUMENT, "unknown frame type 238"),
        # REQUEST and CANCEL only go client -> server.
        (PREFACE + fixed(0, 1, 0, 1), StatusCode.INVALID_ARGUMENT, "may not send REQUEST"),
        (PREFACE + fixed(0, 3, 0, 1), StatusCode.INVALID_ARGUMENT, "may not send CANCEL"),
        # Header length 5 in a frame of length 4.
        (PREFACE + fixed(4, 2, 5, 1), StatusCode.INVALID_ARGUMENT, "larger than its length"),
        # A 8193-byte header: only the fixed part has arrived.
        (PREFACE + fixed(8193, 2, 8193, 1), StatusCode.RESOURCE_EXHAUSTED, "over the limit of 8192"),
        # A 4 GiB payload announced: refused without waiting for (or allocating) it.
        (PREFACE + fixed(0xFFFFFFFF, 2, 0, 1), StatusCode.RESOURCE_EXHAUSTED, "over this client's limit"),
        # PING with 65 bytes.
        (PREFACE + fixed(65, 4, 0, 0), StatusCode.INVALID_ARGUMENT, "over the limit of 64"),
    ],
)
def test_violations_are_refused_from_the_fixed_part(data: bytes, code: StatusCode, text: str) -> None:
    with pytest.raises(ProtocolViolation) as caught:
        FrameDecoder().feed(data)
    assert caught.value.code == code
    assert text in caught.value.message


def test_payload_limit_is_configurable() -> None:
    frame = encode_frame(FrameType.RESPONSE, 1, b"", b"x" * 101)
    assert FrameDecoder(max_payload_bytes=101).feed(PREFACE + frame)[0].payload == b"x" * 101
    with pytest.raises(ProtocolViolation, match="101 bytes is over this client's limit of 100"):
        FrameDecoder(max_payload_bytes=100).feed(PREFACE + frame)


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (PREFACE[:3], "after 3 of the preface's 8 bytes"),
        (PREFACE + fixed(10, 2, 0, 1)[:5], "fixed part (5 of 12 bytes)"),
        (PREFACE + fixed(10, 2, 0, 1) + b"abc", "3 of its 10 bytes"),
    ],
)
def test_a_truncated_stream_is_an_error_at_its_end(data: bytes, text: str) -> None:
    decoder = FrameDecoder()
    assert decoder.feed(data) == []
    with pytest.raises(ProtocolViolation, match=re.escape(text)) as caught:
        decoder.check_end()
    assert caught.value.code == StatusCode.UNAVAILABLE


def test_clean_end_between_frames_is_no_error() -> None:
    decoder = FrameDecoder()
    decoder.feed(stream())
    decoder.check_end()
    FrameDecoder().check_end()  # closed before its preface: nothing half-received


def test_flags_are_ignored() -> None:
    frame = bytearray(encode_frame(FrameType.RESPONSE, 3, b"", b"\x08\x01"))
    frame[5] = 0xFF
    assert FrameDecoder().feed(PREFACE + bytes(frame))[0].call_id == 3
