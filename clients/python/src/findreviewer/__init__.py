"""Python client of the FindReviewer RPC service (Protos/PROTOCOL.md, version 1).

>>> import findreviewer
>>> from findreviewer.v1 import HealthCheckRequest
>>> with findreviewer.Channel("127.0.0.1:7450") as channel:
...     findreviewer.HealthStub(channel).check(HealthCheckRequest()).status
1

``Channel`` (blocking, thread-safe) and ``AsyncChannel`` (asyncio) carry calls; the stubs
(``FindReviewerStub``, ``HealthStub``, ``ServerInfoServiceStub``, ``AdminStub`` and their
``Async…`` twins) have one method per RPC; the messages are in ``findreviewer.v1``. Every
failed call raises :class:`RpcError`.
"""

from findreviewer._options import DEFAULT_ADDRESS, NO_RETRIES, RetryPolicy, read_key
from findreviewer.aio import AsyncChannel, AsyncUnaryMethod
from findreviewer.channel import DEFAULT_TIMEOUT, CallFuture, Channel, UnaryMethod
from findreviewer.errors import RpcError, StatusCode
from findreviewer.stubs import (
    METHODS,
    AdminStub,
    AsyncAdminStub,
    AsyncFindReviewerStub,
    AsyncHealthStub,
    AsyncServerInfoServiceStub,
    FindReviewerStub,
    HealthStub,
    ServerInfoServiceStub,
)

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_ADDRESS",
    "DEFAULT_TIMEOUT",
    "METHODS",
    "NO_RETRIES",
    "AdminStub",
    "AsyncAdminStub",
    "AsyncChannel",
    "AsyncFindReviewerStub",
    "AsyncHealthStub",
    "AsyncServerInfoServiceStub",
    "AsyncUnaryMethod",
    "CallFuture",
    "Channel",
    "FindReviewerStub",
    "HealthStub",
    "RetryPolicy",
    "RpcError",
    "ServerInfoServiceStub",
    "StatusCode",
    "UnaryMethod",
    "read_key",
]
