from findreviewer.v1 import options_pb2 as _options_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DescribeTypeRequest(_message.Message):
    __slots__ = ["type_name"]
    TYPE_NAME_FIELD_NUMBER: _ClassVar[int]
    type_name: str
    def __init__(self, type_name: _Optional[str] = ...) -> None: ...

class DescribeTypeResponse(_message.Message):
    __slots__ = ["fields", "kind", "type_name", "values"]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TYPE_NAME_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    fields: _containers.RepeatedCompositeFieldContainer[FieldInfo]
    kind: str
    type_name: str
    values: _containers.RepeatedCompositeFieldContainer[EnumValueInfo]
    def __init__(self, type_name: _Optional[str] = ..., kind: _Optional[str] = ..., fields: _Optional[_Iterable[_Union[FieldInfo, _Mapping]]] = ..., values: _Optional[_Iterable[_Union[EnumValueInfo, _Mapping]]] = ...) -> None: ...

class EnumValueInfo(_message.Message):
    __slots__ = ["name", "number"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    name: str
    number: int
    def __init__(self, name: _Optional[str] = ..., number: _Optional[int] = ...) -> None: ...

class FieldInfo(_message.Message):
    __slots__ = ["json_name", "name", "number", "repeated", "type", "type_name"]
    JSON_NAME_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    REPEATED_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    TYPE_NAME_FIELD_NUMBER: _ClassVar[int]
    json_name: str
    name: str
    number: int
    repeated: bool
    type: str
    type_name: str
    def __init__(self, name: _Optional[str] = ..., json_name: _Optional[str] = ..., number: _Optional[int] = ..., type: _Optional[str] = ..., type_name: _Optional[str] = ..., repeated: bool = ...) -> None: ...

class GetServerInfoRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class MethodInfo(_message.Message):
    __slots__ = ["full_name", "idempotent", "input_type", "name", "output_type", "roles"]
    FULL_NAME_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENT_FIELD_NUMBER: _ClassVar[int]
    INPUT_TYPE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_TYPE_FIELD_NUMBER: _ClassVar[int]
    ROLES_FIELD_NUMBER: _ClassVar[int]
    full_name: str
    idempotent: bool
    input_type: str
    name: str
    output_type: str
    roles: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., full_name: _Optional[str] = ..., input_type: _Optional[str] = ..., output_type: _Optional[str] = ..., idempotent: bool = ..., roles: _Optional[_Iterable[str]] = ...) -> None: ...

class ServerInfo(_message.Message):
    __slots__ = ["max_header_bytes", "max_payload_bytes", "name", "protocol_version", "services", "started_at", "test_clock", "version"]
    MAX_HEADER_BYTES_FIELD_NUMBER: _ClassVar[int]
    MAX_PAYLOAD_BYTES_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PROTOCOL_VERSION_FIELD_NUMBER: _ClassVar[int]
    SERVICES_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    TEST_CLOCK_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    max_header_bytes: int
    max_payload_bytes: int
    name: str
    protocol_version: int
    services: _containers.RepeatedCompositeFieldContainer[ServiceInfo]
    started_at: int
    test_clock: bool
    version: str
    def __init__(self, name: _Optional[str] = ..., version: _Optional[str] = ..., protocol_version: _Optional[int] = ..., started_at: _Optional[int] = ..., services: _Optional[_Iterable[_Union[ServiceInfo, _Mapping]]] = ..., max_payload_bytes: _Optional[int] = ..., max_header_bytes: _Optional[int] = ..., test_clock: bool = ...) -> None: ...

class ServiceInfo(_message.Message):
    __slots__ = ["methods", "name"]
    METHODS_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    methods: _containers.RepeatedCompositeFieldContainer[MethodInfo]
    name: str
    def __init__(self, name: _Optional[str] = ..., methods: _Optional[_Iterable[_Union[MethodInfo, _Mapping]]] = ...) -> None: ...
