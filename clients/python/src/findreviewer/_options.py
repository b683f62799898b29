"""What the blocking and the asyncio channels share: settings, metadata, retry decisions."""

from __future__ import annotations

import json
import math
import os
import random
import re
import threading
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from findreviewer._wire import DEFAULT_MAX_PAYLOAD_BYTES
from findreviewer.errors import RpcError, StatusCode

#: Where the server listens unless told otherwise (the server's own default).
DEFAULT_ADDRESS = "127.0.0.1:7450"
ADDRESS_VARIABLE = "FINDREVIEWER_SERVER"
KEY_VARIABLE = "FINDREVIEWER_KEY"
#: The one method that needs no key (PROTOCOL.md §3.1).
HEALTH_CHECK = "findreviewer.v1.Health/Check"
SERVER_INFO = "findreviewer.v1.ServerInfoService/GetServerInfo"
#: Reads taken as idempotent without asking: they are how the client asks.
ALWAYS_IDEMPOTENT = frozenset({HEALTH_CHECK, SERVER_INFO})

# rpc.proto: keys are lowercase ASCII (a-z, 0-9, '-', '_', '.'), max 64 bytes; values max
# 4096 bytes; at most 64 entries.
_METADATA_KEY = re.compile(r"[a-z0-9._-]{1,64}")
MAX_METADATA_VALUE_BYTES = 4096
MAX_METADATA_ENTRIES = 64

Metadata = Mapping[str, str] | Iterable[tuple[str, str]]


@dataclass(frozen=True)
class RetryPolicy:
    """When a call ending in ``UNAVAILABLE`` is tried again (within its deadline).

    A call the server provably never ran (refused after GOAWAY, or the connection could not
    be opened) is retried whatever the method. One the server may have run is retried only
    when it cannot apply twice: its method is idempotent (``MethodInfo.idempotent`` from
    ``GetServerInfo``) or it carries an ``idempotency-key``. ``max_attempts`` counts the
    first try; the pause before attempt n is ``initial_backoff * multiplier**(n-2)``, at most
    ``max_backoff``, with jitter (half to all of it).
    """

    max_attempts: int = 3
    initial_backoff: float = 0.05
    max_backoff: float = 1.0
    multiplier: float = 2.0

    def backoff(self, attempt: int) -> float:
        """Seconds to wait before attempt number ``attempt`` (2 for the first retry)."""
        base = min(self.max_backoff, self.initial_backoff * self.multiplier ** max(0, attempt - 2))
        return base * random.uniform(0.5, 1.0)


NO_RETRIES = RetryPolicy(max_attempts=1)


@dataclass(frozen=True)
class Settings:
    """A channel's configuration, resolved once (see :class:`findreviewer.Channel`)."""

    host: str
    port: int
    key: str | None
    default_timeout: float | None
    metadata: tuple[tuple[str, str], ...]
    max_payload_bytes: int
    max_calls_per_connection: int
    connect_timeout: float
    frame_timeout: float
    retry: RetryPolicy
    idempotent_methods: frozenset[str] | None = field(default=None)

    @property
    def address(self) -> str:
        """``HOST:PORT`` (IPv6 in brackets)."""
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


def make_settings(
    address: str | None,
    key: str | None,
    *,
    default_timeout: float | None,
    metadata: Metadata | None,
    max_payload_bytes: int,
    max_calls_per_connection: int,
    connect_timeout: float,
    frame_timeout: float,
    retry: RetryPolicy | None,
    idempotent_methods: Iterable[str] | None,
) -> Settings:
    """Settings from the arguments, then the environment, then the defaults."""
    text = address or os.environ.get(ADDRESS_VARIABLE) or DEFAULT_ADDRESS
    host, port = parse_address(text)
    if key is None:
        key = os.environ.get(KEY_VARIABLE) or None
    if max_payload_bytes <= 0:
        raise ValueError(f"max_payload_bytes must be positive, got {max_payload_bytes}")
    if max_calls_per_connection <= 0:
        raise ValueError(f"max_calls_per_connection must be positive, got {max_calls_per_connection}")
    return Settings(
        host=host, port=port, key=key, default_timeout=default_timeout,
        metadata=tuple(check_metadata(metadata or ())), max_payload_bytes=max_payload_bytes,
        max_calls_per_connection=max_calls_per_connection,
        connect_timeout=connect_timeout, frame_timeout=frame_timeout, retry=retry or RetryPolicy(),
        idempotent_methods=frozenset(idempotent_methods) if idempotent_methods is not None else None)


ConnectionT = TypeVar("ConnectionT")


class ChannelBase(Generic[ConnectionT]):
    """Arguments and bookkeeping :class:`findreviewer.Channel` and
    :class:`findreviewer.AsyncChannel` share.

    ``address`` is ``HOST:PORT`` (default: ``$FINDREVIEWER_SERVER``, else ``127.0.0.1:7450``);
    ``key`` is the API key sent as ``authorization: Bearer <key>`` (default:
    ``$FINDREVIEWER_KEY``; ``Health/Check`` needs none). ``timeout`` is the deadline of each
    call in seconds unless the call gives its own (``None``: no deadline). ``metadata`` goes
    with every call. ``max_payload_bytes`` bounds what is sent and what is accepted (the
    server's default is 4 MiB). At most ``max_calls_per_connection`` calls are in flight on a
    connection (the server's default limit); more wait in the client for a free slot. A
    started frame from the server must complete within ``frame_timeout`` seconds, and a
    connection (TCP and the server's preface) within ``connect_timeout``. ``retry`` says when
    ``UNAVAILABLE`` is retried; idempotent methods are learned from ``GetServerInfo`` the
    first time it matters, unless ``idempotent_methods`` (full names) are given.
    """

    def __init__(
        self,
        address: str | None = None,
        *,
        key: str | None = None,
        timeout: float | None = 30.0,
        metadata: Metadata | None = None,
        max_payload_bytes: int = DEFAULT_MAX_PAYLOAD_BYTES,
        max_calls_per_connection: int = 256,
        connect_timeout: float = 5.0,
        frame_timeout: float = 10.0,
        retry: RetryPolicy | None = None,
        idempotent_methods: Iterable[str] | None = None,
    ) -> None:
        self.settings: Settings = make_settings(
            address, key, default_timeout=timeout, metadata=metadata, max_payload_bytes=max_payload_bytes,
            max_calls_per_connection=max_calls_per_connection, connect_timeout=connect_timeout,
            frame_timeout=frame_timeout, retry=retry, idempotent_methods=idempotent_methods)
        # Re-entrant: a connection that fails while it is being opened reports its end from
        # inside the blocking channel's _connection(). (The asyncio channel needs no lock.)
        self._lock = threading.RLock()
        self._current: ConnectionT | None = None
        self._live: set[ConnectionT] = set()
        self._closed = False
        self._idempotent = self.settings.idempotent_methods
        #: Connections this channel opened so far.
        self.connections_opened = 0

    @property
    def connection(self) -> ConnectionT | None:
        """The connection new calls go to, if one is open."""
        return self._current

    def _went_away(self, connection: ConnectionT) -> None:
        with self._lock:
            if self._current is connection:
                self._current = None

    def _ended(self, connection: ConnectionT) -> None:
        with self._lock:
            self._live.discard(connection)
            if self._current is connection:
                self._current = None

    def _learn(self, info: Any) -> None:
        if self.settings.idempotent_methods is None:
            self._idempotent = idempotent_methods(info)


def parse_address(text: str) -> tuple[str, int]:
    """``HOST:PORT`` or ``[IPV6]:PORT`` into host and port; ValueError says what is wrong."""
    host, colon, port_text = text.strip().rpartition(":")
    if not colon or not host or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ValueError(f"server address {text!r} is not HOST:PORT (e.g. {DEFAULT_ADDRESS} or [::1]:7450)")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return host, int(port_text)


def check_metadata(metadata: Metadata) -> list[tuple[str, str]]:
    """Metadata as pairs, each key checked against rpc.proto's rules (ValueError)."""
    pairs = list(metadata.items()) if isinstance(metadata, Mapping) else list(metadata)
    for key, value in pairs:
        if not isinstance(key, str) or not _METADATA_KEY.fullmatch(key):
            raise ValueError(f"metadata key {key!r} is not 1..64 of lowercase a-z, 0-9, '-', '_', '.'")
        if not isinstance(value, str) or len(value.encode()) > MAX_METADATA_VALUE_BYTES:
            raise ValueError(f"metadata value of {key!r} is not a text of at most {MAX_METADATA_VALUE_BYTES} bytes")
    return pairs


def call_metadata(
    settings: Settings, method: str, metadata: Metadata | None, idempotency_key: str | None
) -> tuple[list[tuple[str, str]], str]:
    """The metadata to send with one call, and its request id.

    The channel's metadata first, then the call's (a call's key replaces the channel's);
    ``authorization`` from the key unless given; a random ``request-id`` unless given.
    """
    merged: dict[str, str] = dict(settings.metadata)
    merged.update(check_metadata(metadata or ()))
    if idempotency_key is not None:
        merged["idempotency-key"] = check_metadata([("idempotency-key", idempotency_key)])[0][1]
    if "authorization" not in merged and settings.key and method != HEALTH_CHECK:
        merged["authorization"] = f"Bearer {settings.key}"
    request_id = merged.get("request-id") or uuid.uuid4().hex
    merged["request-id"] = request_id
    if len(merged) > MAX_METADATA_ENTRIES:
        raise ValueError(f"{len(merged)} metadata entries; at most {MAX_METADATA_ENTRIES}")
    return list(merged.items()), request_id


def check_request(method: str, request_type: type, request: object) -> None:
    """TypeError unless ``request`` is the method's request message."""
    if not isinstance(request, request_type):
        raise TypeError(f"{method} takes a {request_type.DESCRIPTOR.full_name}, got {type(request).__name__}")  # type: ignore[attr-defined]


def timeout_ms(remaining: float | None) -> int:
    """``RequestHeader.timeout_ms`` for the time left: whole milliseconds, rounded up, ≥ 1."""
    if remaining is None:
        return 0
    return max(1, math.ceil(remaining * 1000))


def deadline_error(method: str, request_id: str, timeout: float | None) -> RpcError:
    """The client-side DEADLINE_EXCEEDED."""
    return RpcError(
        StatusCode.DEADLINE_EXCEEDED,
        f"no answer within the deadline of {timeout:g} s (client side; the call was cancelled)",
        method=method, request_id=request_id)


def cancelled_error(method: str, request_id: str) -> RpcError:
    """What a call cancelled by its caller ends with."""
    return RpcError(StatusCode.CANCELLED, "cancelled by the caller", method=method, request_id=request_id)


def connect_error(settings: Settings, error: OSError) -> RpcError:
    """UNAVAILABLE for a connection that could not be opened."""
    reason = error.strerror or str(error) or type(error).__name__
    return RpcError(
        StatusCode.UNAVAILABLE,
        f"cannot connect to {settings.address}: {reason} (is the server running there? "
        f"set the address with address= or {ADDRESS_VARIABLE})")


def too_large_error(method: str, size: int, limit: int) -> RpcError:
    """The request is over the payload limit: refused before it is sent, the connection kept."""
    return RpcError(
        StatusCode.RESOURCE_EXHAUSTED,
        f"request payload of {size} bytes is over the limit of {limit} bytes (max_payload_bytes); not sent",
        method=method)


class RetryBudget:
    """The retry decisions of one call (see :class:`RetryPolicy`), for both clients.

    ``needs_idempotency(unprocessed)`` says whether the decision needs the server's idempotent
    methods (the caller fetches them, blocking or awaited); ``next_delay`` says how long to
    wait before the next attempt, or None to give up and raise the outcome's error.
    """

    def __init__(self, policy: RetryPolicy, method: str, has_idempotency_key: bool) -> None:
        self.policy = policy
        self.method = method
        self.has_idempotency_key = has_idempotency_key
        self.attempts = 1  # the first attempt
        self._free_retry = True

    def needs_idempotency(self, unprocessed: bool) -> bool:
        return not (unprocessed or self.has_idempotency_key or self.method in ALWAYS_IDEMPOTENT)

    def next_delay(self, error: RpcError, unprocessed: bool, idempotent: frozenset[str] | None,
                   time_left: float | None) -> float | None:
        if error.code != StatusCode.UNAVAILABLE:
            return None
        allowed = (unprocessed or self.has_idempotency_key or self.method in ALWAYS_IDEMPOTENT
                   or (idempotent is not None and self.method in idempotent))
        # Refused after GOAWAY or never connected: tried again at once, once, uncounted.
        free = unprocessed and self._free_retry
        if not allowed or (not free and self.attempts >= self.policy.max_attempts):
            return None
        delay = 0.0 if free else self.policy.backoff(self.attempts + 1)
        if time_left is not None and delay >= time_left:
            return None
        if free:
            self._free_retry = False
        else:
            self.attempts += 1
        return delay


def idempotent_methods(info: object) -> frozenset[str]:
    """Full names of the methods ``GetServerInfo`` marks idempotent."""
    return frozenset(
        method.full_name for service in info.services for method in service.methods  # type: ignore[attr-defined]
        if method.idempotent)


def read_key(keys_file: str | os.PathLike[str], role: str) -> str:
    """The first key of ``role`` in a server's keys file (``DATA-DIR/keys.json``).

    The file is the server's ``{"keys": [{"key": ..., "name": ..., "role": ...}, ...]}``;
    roles are ``admin``, ``business-portal``, ``consumer-site`` and ``reviews-ingest``.
    """
    with open(keys_file, encoding="utf-8") as handle:
        document = json.load(handle)
    for entry in document.get("keys", []):
        if entry.get("role") == role and entry.get("key"):
            return str(entry["key"])
    roles = sorted({str(entry.get("role")) for entry in document.get("keys", [])})
    raise LookupError(f"no key with role {role!r} in {os.fspath(keys_file)} (it has: {', '.join(roles) or 'none'})")
