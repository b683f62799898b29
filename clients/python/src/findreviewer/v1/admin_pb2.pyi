from findreviewer.v1 import options_pb2 as _options_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AdvanceClockRequest(_message.Message):
    __slots__ = ["seconds"]
    SECONDS_FIELD_NUMBER: _ClassVar[int]
    seconds: int
    def __init__(self, seconds: _Optional[int] = ...) -> None: ...

class BusinessCounts(_message.Message):
    __slots__ = ["blocks", "outbox_entries", "pending_emails", "reports", "requests", "reviewers", "reviews"]
    BLOCKS_FIELD_NUMBER: _ClassVar[int]
    OUTBOX_ENTRIES_FIELD_NUMBER: _ClassVar[int]
    PENDING_EMAILS_FIELD_NUMBER: _ClassVar[int]
    REPORTS_FIELD_NUMBER: _ClassVar[int]
    REQUESTS_FIELD_NUMBER: _ClassVar[int]
    REVIEWERS_FIELD_NUMBER: _ClassVar[int]
    REVIEWS_FIELD_NUMBER: _ClassVar[int]
    blocks: int
    outbox_entries: int
    pending_emails: int
    reports: int
    requests: int
    reviewers: int
    reviews: int
    def __init__(self, reviewers: _Optional[int] = ..., reviews: _Optional[int] = ..., requests: _Optional[int] = ..., reports: _Optional[int] = ..., outbox_entries: _Optional[int] = ..., pending_emails: _Optional[int] = ..., blocks: _Optional[int] = ...) -> None: ...

class ClockResponse(_message.Message):
    __slots__ = ["now", "test_clock", "transitions_applied"]
    NOW_FIELD_NUMBER: _ClassVar[int]
    TEST_CLOCK_FIELD_NUMBER: _ClassVar[int]
    TRANSITIONS_APPLIED_FIELD_NUMBER: _ClassVar[int]
    now: int
    test_clock: bool
    transitions_applied: int
    def __init__(self, now: _Optional[int] = ..., test_clock: bool = ..., transitions_applied: _Optional[int] = ...) -> None: ...

class ExportBusinessRequest(_message.Message):
    __slots__ = ["business_id"]
    BUSINESS_ID_FIELD_NUMBER: _ClassVar[int]
    business_id: str
    def __init__(self, business_id: _Optional[str] = ...) -> None: ...

class ExportBusinessResponse(_message.Message):
    __slots__ = ["counts", "data"]
    COUNTS_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    counts: BusinessCounts
    data: bytes
    def __init__(self, data: _Optional[bytes] = ..., counts: _Optional[_Union[BusinessCounts, _Mapping]] = ...) -> None: ...

class ForgetBusinessRequest(_message.Message):
    __slots__ = ["business_id"]
    BUSINESS_ID_FIELD_NUMBER: _ClassVar[int]
    business_id: str
    def __init__(self, business_id: _Optional[str] = ...) -> None: ...

class ForgetBusinessResponse(_message.Message):
    __slots__ = ["counts"]
    COUNTS_FIELD_NUMBER: _ClassVar[int]
    counts: BusinessCounts
    def __init__(self, counts: _Optional[_Union[BusinessCounts, _Mapping]] = ...) -> None: ...

class GetClockRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GetStatsRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GetStatsResponse(_message.Message):
    __slots__ = ["families", "readiness"]
    FAMILIES_FIELD_NUMBER: _ClassVar[int]
    READINESS_FIELD_NUMBER: _ClassVar[int]
    families: _containers.RepeatedCompositeFieldContainer[StatsFamily]
    readiness: str
    def __init__(self, families: _Optional[_Iterable[_Union[StatsFamily, _Mapping]]] = ..., readiness: _Optional[str] = ...) -> None: ...

class ImportBusinessRequest(_message.Message):
    __slots__ = ["data"]
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: bytes
    def __init__(self, data: _Optional[bytes] = ...) -> None: ...

class ImportBusinessResponse(_message.Message):
    __slots__ = ["business_id", "counts", "reports", "requests"]
    BUSINESS_ID_FIELD_NUMBER: _ClassVar[int]
    COUNTS_FIELD_NUMBER: _ClassVar[int]
    REPORTS_FIELD_NUMBER: _ClassVar[int]
    REQUESTS_FIELD_NUMBER: _ClassVar[int]
    business_id: str
    counts: BusinessCounts
    reports: _containers.RepeatedCompositeFieldContainer[RenamedId]
    requests: _containers.RepeatedCompositeFieldContainer[RenamedId]
    def __init__(self, business_id: _Optional[str] = ..., counts: _Optional[_Union[BusinessCounts, _Mapping]] = ..., requests: _Optional[_Iterable[_Union[RenamedId, _Mapping]]] = ..., reports: _Optional[_Iterable[_Union[RenamedId, _Mapping]]] = ...) -> None: ...

class RenamedId(_message.Message):
    __slots__ = ["after", "before"]
    AFTER_FIELD_NUMBER: _ClassVar[int]
    BEFORE_FIELD_NUMBER: _ClassVar[int]
    after: str
    before: str
    def __init__(self, before: _Optional[str] = ..., after: _Optional[str] = ...) -> None: ...

class SetClockRequest(_message.Message):
    __slots__ = ["now"]
    NOW_FIELD_NUMBER: _ClassVar[int]
    now: int
    def __init__(self, now: _Optional[int] = ...) -> None: ...

class StatsBucket(_message.Message):
    __slots__ = ["cumulative_count", "upper_bound"]
    CUMULATIVE_COUNT_FIELD_NUMBER: _ClassVar[int]
    UPPER_BOUND_FIELD_NUMBER: _ClassVar[int]
    cumulative_count: int
    upper_bound: float
    def __init__(self, upper_bound: _Optional[float] = ..., cumulative_count: _Optional[int] = ...) -> None: ...

class StatsFamily(_message.Message):
    __slots__ = ["help", "name", "series", "type"]
    HELP_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SERIES_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    help: str
    name: str
    series: _containers.RepeatedCompositeFieldContainer[StatsSeries]
    type: str
    def __init__(self, name: _Optional[str] = ..., help: _Optional[str] = ..., type: _Optional[str] = ..., series: _Optional[_Iterable[_Union[StatsSeries, _Mapping]]] = ...) -> None: ...

class StatsLabel(_message.Message):
    __slots__ = ["name", "value"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    name: str
    value: str
    def __init__(self, name: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...

class StatsSeries(_message.Message):
    __slots__ = ["buckets", "count", "labels", "p50", "p99", "value"]
    BUCKETS_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    P50_FIELD_NUMBER: _ClassVar[int]
    P99_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    buckets: _containers.RepeatedCompositeFieldContainer[StatsBucket]
    count: int
    labels: _containers.RepeatedCompositeFieldContainer[StatsLabel]
    p50: float
    p99: float
    value: float
    def __init__(self, labels: _Optional[_Iterable[_Union[StatsLabel, _Mapping]]] = ..., value: _Optional[float] = ..., count: _Optional[int] = ..., p50: _Optional[float] = ..., p99: _Optional[float] = ..., buckets: _Optional[_Iterable[_Union[StatsBucket, _Mapping]]] = ...) -> None: ...

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
