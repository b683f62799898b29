from findreviewer.v1 import options_pb2 as _options_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class GetShardMapRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GetShardMapResponse(_message.Message):
    __slots__ = ["shard", "shard_map_json"]
    SHARD_FIELD_NUMBER: _ClassVar[int]
    SHARD_MAP_JSON_FIELD_NUMBER: _ClassVar[int]
    shard: str
    shard_map_json: str
    def __init__(self, shard_map_json: _Optional[str] = ..., shard: _Optional[str] = ...) -> None: ...
