from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class AdvanceClockRequest(_message.Message):
    __slots__ = ["seconds"]
    SECONDS_FIELD_NUMBER: _ClassVar[int]
    seconds: int
    def __init__(self, seconds: _Optional[int] = ...) -> None: ...

class ClockResponse(_message.Message):
    __slots__ = ["now", "test_clock", "transitions_applied"]
    NOW_FIELD_NUMBER: _ClassVar[int]
    TEST_CLOCK_FIELD_NUMBER: _ClassVar[int]
    TRANSITIONS_APPLIED_FIELD_NUMBER: _ClassVar[int]
    now: int
    test_clock: bool
    transitions_applied: int
    def __init__(self, now: _Optional[int] = ..., test_clock: bool = ..., transitions_applied: _Optional[int] = ...) -> None: ...

class GetClockRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class SetClockRequest(_message.Message):
    __slots__ = ["now"]
    NOW_FIELD_NUMBER: _ClassVar[int]
    now: int
    def __init__(self, now: _Optional[int] = ...) -> None: ...

class TriggerSnapshotRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class TriggerSnapshotResponse(_message.Message):
    __slots__ = ["path", "sequence", "size_bytes"]
    PATH_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    path: str
    sequence: int
    size_bytes: int
    def __init__(self, sequence: _Optional[int] = ..., path: _Optional[str] = ..., size_bytes: _Optional[int] = ...) -> None: ...
