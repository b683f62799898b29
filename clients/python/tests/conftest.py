"""Fixtures: the real server on an ephemeral loopback port, fake servers, both client kinds."""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# The tests run the package from its source tree (no install needed).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import findreviewer  # noqa: E402
from support import FakePeer, FakeServer, ServerProcess  # noqa: E402


@pytest.fixture(scope="module")
def server() -> Iterator[ServerProcess]:
    """One server per test module; tests use ids of their own."""
    process = ServerProcess("--test-clock")
    yield process
    process.cleanup()


@pytest.fixture
def start_server() -> Iterator[Callable[..., ServerProcess]]:
    """Starts servers with the given flags for one test; stops them after it."""
    started: list[ServerProcess] = []

    def start(*args: str, **kwargs: Any) -> ServerProcess:
        process = ServerProcess(*args, **kwargs)
        started.append(process)
        return process

    yield start
    for process in reversed(started):
        process.cleanup()


@pytest.fixture
def fake_server() -> Iterator[Callable[[Callable[[FakePeer, int], None]], FakeServer]]:
    """Starts fake servers running a script per connection; closes them after the test."""
    servers: list[FakeServer] = []

    def start(script: Callable[[FakePeer, int], None]) -> FakeServer:
        fake = FakeServer(script)
        servers.append(fake)
        return fake

    yield start
    for fake in servers:
        fake.close()


@pytest.fixture(params=["sync", "async"])
def client_kind(request: pytest.FixtureRequest) -> str:
    """Runs the test with the blocking Channel and with the AsyncChannel."""
    return str(request.param)


class SyncClient:
    """The blocking Channel behind the interface both client kinds share in tests."""

    kind = "sync"

    def __init__(self, address: str, **channel_kwargs: Any) -> None:
        self.channel = findreviewer.Channel(address, **channel_kwargs)

    def future(self, method: str, request: Any, response_type: Any, **call_kwargs: Any) -> Any:
        """A handle with ``result(timeout)`` and ``cancel()``."""
        return self.channel.future(method, request, response_type, **call_kwargs)

    def call(self, method: str, request: Any, response_type: Any, **call_kwargs: Any) -> Any:
        return self.channel.call(method, request, response_type, **call_kwargs)

    @property
    def connections_opened(self) -> int:
        return self.channel.connections_opened

    def close(self) -> None:
        self.channel.close()


class AsyncClient:
    """An AsyncChannel on a loop of its own thread, driven through concurrent futures:
    ``cancel()`` on a handle cancels the task awaiting the call, as an asyncio caller would."""

    kind = "async"

    def __init__(self, address: str, **channel_kwargs: Any) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.channel = findreviewer.AsyncChannel(address, **channel_kwargs)

    def future(self, method: str, request: Any, response_type: Any, **call_kwargs: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(self.channel.call(method, request, response_type, **call_kwargs), self.loop)

    def call(self, method: str, request: Any, response_type: Any, **call_kwargs: Any) -> Any:
        return self.future(method, request, response_type, **call_kwargs).result()

    @property
    def connections_opened(self) -> int:
        return self.channel.connections_opened

    def close(self) -> None:
        if self.loop.is_closed():
            return
        asyncio.run_coroutine_threadsafe(self.channel.close(), self.loop).result()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()
        self.loop.close()


Client = SyncClient | AsyncClient


@pytest.fixture
def make_client(client_kind: str) -> Iterator[Callable[..., Client]]:
    """Makes clients of the test's kind (sync, async); closes them after the test."""
    clients: list[Client] = []

    def make(address: str, **channel_kwargs: Any) -> Client:
        client: Client = SyncClient(address, **channel_kwargs) if client_kind == "sync" else AsyncClient(address, **channel_kwargs)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
