from google.protobuf import descriptor_pb2 as _descriptor_pb2
from google.protobuf import descriptor as _descriptor
from typing import ClassVar as _ClassVar

DESCRIPTOR: _descriptor.FileDescriptor
IDEMPOTENT_FIELD_NUMBER: _ClassVar[int]
NO_KEY_FIELD_NUMBER: _ClassVar[int]
ROLES_FIELD_NUMBER: _ClassVar[int]
idempotent: _descriptor.FieldDescriptor
no_key: _descriptor.FieldDescriptor
roles: _descriptor.FieldDescriptor
