"""Status codes and the one exception every failed call raises (PROTOCOL.md §4)."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence

from findreviewer.v1 import rpc_pb2

__all__ = ["StatusCode", "RpcError"]


class StatusCode(enum.IntEnum):
    """gRPC's canonical status codes, the numbers of ``ResponseHeader.status_code``."""

    OK = 0
    CANCELLED = 1
    UNKNOWN = 2
    INVALID_ARGUMENT = 3
    DEADLINE_EXCEEDED = 4
    NOT_FOUND = 5
    ALREADY_EXISTS = 6
    PERMISSION_DENIED = 7
    RESOURCE_EXHAUSTED = 8
    FAILED_PRECONDITION = 9
    ABORTED = 10
    OUT_OF_RANGE = 11
    UNIMPLEMENTED = 12
    INTERNAL = 13
    UNAVAILABLE = 14
    DATA_LOSS = 15
    UNAUTHENTICATED = 16

    @classmethod
    def of(cls, number: int) -> StatusCode:
        """The code for a wire number; a number gRPC does not define is ``UNKNOWN``."""
        try:
            return cls(number)
        except ValueError:
            return cls.UNKNOWN


class RpcError(Exception):
    """A call that did not end with OK: from the server, or decided by this client.

    ``code`` is a :class:`StatusCode`; ``message`` is for a person; ``details`` are the
    server's ``ErrorDetail`` messages (``reason``, ``field``, ``description``), empty when the
    client decided (a deadline it enforced, a lost connection, a malformed frame).
    ``method`` and ``request_id`` say which call it was (quote the request id when reporting
    an ``INTERNAL``); ``metadata`` is the response header's metadata.
    """

    def __init__(
        self,
        code: StatusCode | int,
        message: str,
        details: Iterable[rpc_pb2.ErrorDetail] = (),
        *,
        method: str = "",
        request_id: str = "",
        metadata: Sequence[tuple[str, str]] = (),
        wire_code: int | None = None,
    ) -> None:
        self.code: StatusCode = StatusCode.of(int(code))
        #: The number on the wire (differs from ``code`` only for numbers gRPC does not define).
        self.wire_code: int = int(code) if wire_code is None else wire_code
        self.message: str = message
        self.details: tuple[rpc_pb2.ErrorDetail, ...] = tuple(details)
        self.method: str = method
        self.request_id: str = request_id
        self.metadata: tuple[tuple[str, str], ...] = tuple(metadata)
        super().__init__(str(self))

    @property
    def reason(self) -> str:
        """``details[0].reason`` (e.g. ``INTRODUCTION_NOT_ACKNOWLEDGED``), or ``""``."""
        return self.details[0].reason if self.details else ""

    @property
    def field(self) -> str:
        """``details[0].field``: the request field at fault (lowerCamelCase), or ``""``."""
        return self.details[0].field if self.details else ""

    @property
    def description(self) -> str:
        """``details[0].description`` (e.g. the introduction text), or ``""``."""
        return self.details[0].description if self.details else ""

    def __str__(self) -> str:
        text = f"{self.code.name} ({self.wire_code})"
        if self.method:
            text += f" from {self.method}"
        text += f": {self.message}" if self.message else ""
        extra = [f"{name}={value}" for name, value in (("reason", self.reason), ("field", self.field)) if value]
        if self.request_id:
            extra.append(f"request-id={self.request_id}")
        return text + (f" [{', '.join(extra)}]" if extra else "")

    def __repr__(self) -> str:
        return f"RpcError({self.code.name}, {self.message!r}, reason={self.reason!r}, field={self.field!r})"

    def with_call(self, method: str, request_id: str) -> RpcError:
        """This error, naming the call it ended (kept when already set)."""
        self.method = self.method or method
        self.request_id = self.request_id or request_id
        self.args = (str(self),)
        return self
