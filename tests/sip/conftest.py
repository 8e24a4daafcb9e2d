"""Fixtures for the ``sip`` backend tests against real peers (see ``sip_peers.py``).

Session-wide: a Kamailio in 401 mode with two baresip user agents (1002 plays 440 Hz,
1003 plays 1000 Hz), and a Kamailio in 407 mode when a test asks for it. Per test: our phone
(``SipBackend`` as 1001) connected and registered, with an :class:`Events` recorder; SIPp
runs in the test's temporary directory. A missing peer binary fails the test under CI=true.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sip_peers import USERS, Baresip, Kamailio, Sipp, free_port_range

pytestmark = pytest.mark.sip


class Events:
    """Records a backend's events; ``wait`` for one matching a predicate (bounded)."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self.seen: list[Any] = []
        self._changed = asyncio.Event()
        self._task = asyncio.ensure_future(self._pump())

    async def _pump(self) -> None:
        async for event in self.backend.events():
            self.seen.append(event)
            self._changed.set()

    async def wait(
        self, predicate: Callable[[Any], bool], timeout: float = 10.0, what: str = ""
    ) -> Any:
        start = 0
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for event in self.seen[start:]:
                if predicate(event):
                    return event
            start = len(self.seen)
            left = deadline - loop.time()
            if left <= 0:
                kinds = [
                    type(e).__name__ + ":" + str(getattr(e, "kind", getattr(e, "status", "")))
                    for e in self.seen[-15:]
                ]
                raise TimeoutError(f"no event {what} within {timeout} s; last: {kinds}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), left)

    def since(self, index: int) -> list[Any]:
        return self.seen[index:]

    async def stop(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self._task


@pytest.fixture(scope="session")
def kamailio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kamailio]:
    kam = Kamailio(tmp_path_factory.mktemp("kamailio401"), mode=401).start()
    yield kam
    kam.stop()


@pytest.fixture(scope="session")
def kamailio407(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kamailio]:
    kam = Kamailio(tmp_path_factory.mktemp("kamailio407"), mode=407).start()
    yield kam
    kam.stop()


@pytest.fixture(scope="session")
def _bare_a(kamailio: Kamailio, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Baresip]:
    ua = Baresip(tmp_path_factory.mktemp("baresip1002"), "1002", kamailio, 440)
    yield ua
    ua.stop()


@pytest.fixture(scope="session")
def _bare_b(kamailio: Kamailio, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Baresip]:
    ua = Baresip(tmp_path_factory.mktemp("baresip1003"), "1003", kamailio, 1000)
    yield ua
    ua.stop()


@pytest.fixture
def bare_a(_bare_a: Baresip) -> Iterator[Baresip]:
    _bare_a.reset()
    yield _bare_a
    _bare_a.reset()


@pytest.fixture
def bare_b(_bare_b: Baresip) -> Iterator[Baresip]:
    _bare_b.reset()
    yield _bare_b
    _bare_b.reset()


@pytest.fixture
def sipp(tmp_path: Path) -> Sipp:
    return Sipp(tmp_path)


def phone_options(kam: Kamailio, tmp_path: Path, **extra: Any) -> dict[str, Any]:
    low, high = free_port_range(20)
    options: dict[str, Any] = {
        "server": "127.0.0.1",
        "port": kam.port,
        "username": "1001",
        "password": USERS["1001"],
        "display_name": "Standard",
        "local_ip": "127.0.0.1",
        "rtp_ports": f"{low}-{high}",
        "recordings_dir": str(tmp_path / "recordings"),
        "sip_t1": 0.1,
    }
    options.update(extra)
    return options


@pytest.fixture
def sip_options(kamailio: Kamailio, tmp_path: Path) -> dict[str, Any]:
    """The options of phone 1001 on ``kamailio``, for a console that connects it itself."""
    return phone_options(kamailio, tmp_path)


@pytest.fixture
async def phone_factory(tmp_path: Path) -> AsyncIterator[Callable[..., Any]]:
    from tws_tui.backends.sip import SipBackend

    made: list[tuple[Any, Events]] = []

    async def make(kam: Kamailio, *, wait_online: bool = True, **extra: Any) -> tuple[Any, Events]:
        backend = SipBackend(phone_options(kam, tmp_path, **extra))
        await backend.connect()
        events = Events(backend)
        made.append((backend, events))
        if wait_online:
            from tws_tui.core.events import LinkEvent, LinkStatus

            await events.wait(
                lambda e: isinstance(e, LinkEvent) and e.status is LinkStatus.ONLINE,
                10,
                "ONLINE",
            )
        return backend, events

    yield make
    for backend, events in made:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(backend.close(), 10)
        await events.stop()


@pytest.fixture
async def phone(kamailio: Kamailio, phone_factory: Callable[..., Any]) -> tuple[Any, Events]:
    return await phone_factory(kamailio)
