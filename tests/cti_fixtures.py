"""Test helpers for the CTI protocol: the REAL reference server under uvicorn on loopback.

* :class:`ServerThread` runs uvicorn on ``127.0.0.1:<ephemeral port>`` in a background thread
  with its own event loop, over a :class:`~tws_tui.server.pbx.Pbx` on a ``ManualClock`` with
  nobody answering by themselves and no traffic, so tests are deterministic. The Pbx is the
  "PBX": it survives :meth:`ServerThread.kill` + :meth:`ServerThread.start` (a CTI server
  restart on the same port, with a new stream epoch, over the same data directory and
  database). ``database=`` a PostgreSQL URL puts its store there (and in ``server.toml``).
  Drive the switch with :meth:`ServerThread.call` (it runs on the server's loop thread).
* :class:`CuttingProxy` forwards TCP to the server and can cut a connection in the middle of
  an SSE frame, to test resumption by replay on real bytes.
* :func:`make_backend` builds a ``CtiBackend`` against a running server.
* :func:`serving` runs a server with the USERS accounts for the length of a ``with``;
  :func:`cti_console` builds a console signed in to it as one of them, and
  :func:`signed_in` runs two such consoles (two users, or one user on two consoles) until
  both know who they are; :func:`snapshot_of` is what one user's own connection is told
  (asked from a test's thread, beside the consoles); :func:`user_id` is a user's id there, and
  :func:`chat_screens` puts consoles on their Chat screen.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import gc
import logging
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pytest

from tws_tui.core.clock import ManualClock
from tws_tui.core.model import UserId
from tws_tui.server.app import create_app, state_of
from tws_tui.server.pbx import Pbx
from tws_tui.server.state import ServerConfig, ServerState
from tws_tui.simulator.testing import quiet

if TYPE_CHECKING:
    from tws_tui.console.app import TwsApp
    from tws_tui.console.screens.chat import ChatScreen
    from tws_tui.core.model import Snapshot

T = TypeVar("T")
PASSWORD = "correct horse battery"
#: Two operators and a supervisor; 100 is the simulated company's operator, 180/181 are new.
USERS = (("alice", "100", "operator"), ("bob", "180", "operator"), ("sam", "181", "supervisor"))


class SwitchDriving:
    """Driving the switch of a test server: the simulated world's outside callers. Needs the
    server's ``pbx`` and ``call`` (run on the server's loop thread)."""

    pbx: Pbx

    def call(self, fn: Callable[[], T], timeout: float = 10.0) -> T:
        raise NotImplementedError

    def queue_call(self, caller: str = "+33612345678", queue_number: str = "3900") -> str:
        """An outside caller dials a queue; returns the queued call id."""
        return self.call(lambda: self.pbx.switch.inject_incoming_call(queue_number, caller))

    def ring(self, extension: str, caller: str = "+33612345678") -> str:
        """An outside caller dials an extension; returns the call id (not the connection)."""
        return self.call(lambda: self.pbx.switch.inject_incoming_call(extension, caller))

    def connections_at(self, extension: str) -> list[str]:
        return self.call(lambda: list(self.pbx.switch.calls_at(extension)))


class ServerThread(SwitchDriving):
    def __init__(self, data_dir: Path, **config: Any) -> None:
        self.data_dir = data_dir
        config.setdefault("scrypt_n", 2**12)  # cheap hashes: the tests sign in often
        if config.get("database"):  # the admin commands find it as an operator's would
            data_dir.mkdir(parents=True, exist_ok=True)
            (data_dir / "server.toml").write_text(f'[database]\nurl = "{config["database"]}"\n')
        self.config = ServerConfig(data_dir=data_dir, **config)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.clock = ManualClock()
        self.pbx = self.call(lambda: Pbx(seed=0, clock=self.clock, behaviour=quiet()))
        self.port = 0
        self.app: Any = None
        self.server: Any = None
        self._serving: concurrent.futures.Future[None] | None = None

    # ---- running things on the server's loop ------------------------------------------------

    def call(self, fn: Callable[[], T], timeout: float = 10.0) -> T:
        """Run ``fn()`` on the server's loop thread and return its result."""

        async def run() -> T:
            return fn()

        return asyncio.run_coroutine_threadsafe(run(), self.loop).result(timeout)

    @property
    def state(self) -> ServerState:
        return state_of(self.app)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # ---- life cycle -------------------------------------------------------------------------

    def add_users(self, users: tuple[tuple[str, str, str], ...] = USERS) -> None:
        for username, extension, role in users:
            self.call(
                lambda u=username, e=extension, r=role: self.state.accounts.add(u, PASSWORD, e, r)
            )

    def start(self) -> None:
        import uvicorn

        # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets that say so.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        self.port = sock.getsockname()[1]
        self.app = create_app(self.config, self.pbx)
        config = uvicorn.Config(
            self.app, log_level="warning", lifespan="on", timeout_graceful_shutdown=1
        )
        self.server = uvicorn.Server(config)
        self._serving = asyncio.run_coroutine_threadsafe(
            self.server.serve(sockets=[sock]), self.loop
        )
        deadline = time.monotonic() + 10
        while not self.server.started:
            if self._serving.done():
                self._serving.result()
            if time.monotonic() > deadline:
                raise TimeoutError("uvicorn did not start")
            time.sleep(0.01)

    def kill(self) -> None:
        """Stop abruptly: every connection is aborted mid-stream, nothing says goodbye."""
        server = self.server

        def abort() -> None:
            server.should_exit = True
            server.force_exit = True
            for connection in list(server.server_state.connections):
                transport = getattr(connection, "transport", None)
                if transport is not None:
                    transport.abort()
            for task in list(server.server_state.tasks):
                task.cancel()

        self.call(abort)
        lifespan = server.lifespan
        self._wait_stopped()
        # uvicorn skips the lifespan's shutdown on a forced exit: its coroutine would stay
        # suspended until the garbage collector closes it, whenever that is, and its error log
        # (a traceback formatted with ast.parse) would then run inside whatever the collector
        # interrupted — in CPython 3.11, an ast.parse of pytest's, which then fails with
        # "AST constructor recursion depth mismatch". End it here (it stops the server state).
        asyncio.run_coroutine_threadsafe(lifespan.shutdown(), self.loop).result(10)

    def stop(self) -> None:
        """Stop gracefully (streams are ended first)."""
        if self.server is None:
            return
        self.server.should_exit = True
        self._wait_stopped()

    def _wait_stopped(self) -> None:
        assert self._serving is not None
        with contextlib.suppress(Exception):
            self._serving.result(timeout=10)
        self.server = None

    def close(self) -> None:
        self.stop()
        self.call(self.pbx.stop)
        asyncio.run_coroutine_threadsafe(_cancel_the_rest(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)
        if not self.thread.is_alive():
            self.loop.close()


async def _cancel_the_rest() -> None:
    """Cancel and await the loop's other tasks: nothing is left for the garbage collector to
    close at a random moment later (see :meth:`ServerThread.kill`)."""
    tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


class CuttingProxy:
    """A TCP relay to the server that can cut one connection in the middle of an SSE frame."""

    def __init__(self, loop: asyncio.AbstractEventLoop, target_port: int) -> None:
        self.loop = loop
        self.target_port = target_port
        self._cut_marker: bytes | None = None
        self.cuts = 0
        self._server: asyncio.base_events.Server | None = None
        self.port = asyncio.run_coroutine_threadsafe(self._start(), loop).result(5)

    async def _start(self) -> int:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return int(self._server.sockets[0].getsockname()[1])

    def cut_in(self, marker: bytes) -> None:
        """Cut the next server→client chunk containing ``marker``, halfway through it."""
        self._cut_marker = marker

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)

        async def pump(src: asyncio.StreamReader, dst: asyncio.StreamWriter, down: bool) -> None:
            try:
                while data := await src.read(65536):
                    marker = self._cut_marker
                    at = data.find(marker) if down and marker else -1
                    if at >= 0:
                        self._cut_marker = None
                        self.cuts += 1
                        dst.write(data[: at + len(marker) // 2])
                        await dst.drain()
                        dst.transport.abort()
                        up_writer.transport.abort()
                        writer.transport.abort()
                        return
                    dst.write(data)
                    await dst.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                with contextlib.suppress(Exception):
                    dst.close()

        await asyncio.gather(pump(reader, up_writer, False), pump(up_reader, writer, True))

    def close(self) -> None:
        async def stop() -> None:
            assert self._server is not None
            self._server.close()

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(5)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def http_client(url: str) -> Any:
    """A plain ``httpx.Client`` for raw protocol tests (TCP_NODELAY: no 40 ms Nagle stalls
    between a request's headers and its body on loopback)."""
    import httpx

    nodelay = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]
    return httpx.Client(
        base_url=url, timeout=5, transport=httpx.HTTPTransport(socket_options=nodelay)
    )


def login(client: Any, username: str = "alice") -> dict[str, str]:
    """Sign ``username`` in on a raw client; the headers that carry the token."""
    response = client.post(
        "/v1/auth/token",
        json={"grant_type": "password", "username": username, "password": PASSWORD},
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def first_events(
    client: Any, headers: dict[str, str], count: int, within: float = 10.0
) -> tuple[int, list[dict[str, str]]]:
    """The status of a fresh ``GET /v1/events`` and its first ``count`` SSE messages (id,
    event, data), read within ``within`` seconds (none unless the status is 200)."""
    messages: list[dict[str, str]] = []
    current: dict[str, str] = {}
    deadline = time.monotonic() + within
    with client.stream("GET", "/v1/events", headers=headers) as response:
        if response.status_code != 200:
            return response.status_code, []
        for line in response.iter_lines():
            assert time.monotonic() < deadline, f"only {messages} within {within} s"
            if not line:
                if "data" in current:
                    messages.append(current)
                    if len(messages) == count:
                        break
                current = {}
            elif not line.startswith(":"):
                name, _, value = line.partition(": ")
                current[name] = value
    return 200, messages


def read_events(client: Any, headers: dict[str, str], count: int) -> list[dict[str, str]]:
    """The first ``count`` SSE messages of a fresh stream, which must open (200)."""
    status, messages = first_events(client, headers, count)
    assert status == 200
    return messages


def make_backend(
    url: str, username: str = "alice", password: str = PASSWORD, **options: Any
) -> Any:
    """A ``CtiBackend`` for a test server, with quick reconnect timers."""
    from tws_tui.backends.cti import CtiBackend

    base = {
        "url": url,
        "username": username,
        "password": password,
        "reconnect_min_s": 0.05,
        "reconnect_max_s": 0.5,
        "request_timeout_s": 5,
    }
    base.update(options)
    return CtiBackend(base)


def snapshot_of(server: ServerThread, username: str = "alice") -> Snapshot:
    """The snapshot ``username``'s own new connection gets from ``server`` (connected, read,
    closed on an event loop of its own: call it through ``asyncio.to_thread`` from a test)."""

    async def ask() -> Snapshot:
        backend = make_backend(server.url, username=username)
        snapshot = await backend.connect()
        try:
            return snapshot
        finally:
            await backend.close()

    return asyncio.run(ask())


@contextlib.contextmanager
def serving(
    data_dir: Path, users: tuple[tuple[str, str, str], ...] = USERS, **config: Any
) -> Iterator[ServerThread]:
    """A reference server over ``data_dir`` with the ``users`` accounts (password
    ``PASSWORD``; ``()`` for none: a restart over a data directory that has them), running for
    the length of the ``with``, closed after."""
    server = ServerThread(data_dir, **config)
    server.start()
    server.add_users(users)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def cti_server(
    request: pytest.FixtureRequest, tmp_path: Path, server_database: str
) -> Iterator[ServerThread]:
    """A running reference server with the USERS accounts (password ``PASSWORD``), on the
    store of ``server_database`` (SQLite, or PostgreSQL in the modules that run both); in the
    scaled mode (``conftest.SCALED``) a :class:`scaled_fixtures.ScaledServer` instead: one
    switch, three API instances on that PostgreSQL database and the session's Redis."""
    if server_mode(request) != "scaled":
        with serving(tmp_path / "server", heartbeat_s=1.0, database=server_database) as server:
            yield server
        return
    from scaled_fixtures import ScaledServer

    redis_url = request.getfixturevalue("session_redis")
    scaled: Any = ScaledServer(tmp_path / "server", server_database, redis_url, heartbeat_s=1.0)
    scaled.start()
    scaled.add_users()
    try:
        yield scaled
    finally:
        scaled.close()


def server_mode(request: pytest.FixtureRequest) -> str:
    """ "sqlite", "postgres" or "scaled": the value this test runs ``server_database`` with."""
    callspec = getattr(request.node, "callspec", None)
    mode: str = callspec.params.get("server_database", "sqlite") if callspec else "sqlite"
    return mode


def cti_console(server: ServerThread, username: str = "alice", **prefs: Any) -> TwsApp:
    """A console (``TwsApp``) on ``server`` as ``username``: no pop-up on a call, a frozen
    clock, and the other preference sections given (as :func:`helpers.prefs_of` takes them)."""
    from helpers import prefs_of

    from tws_tui.console.app import TwsApp
    from tws_tui.settings.schema import AlertSettings

    return TwsApp(
        prefs=prefs_of(alerts=AlertSettings(popup=False), **prefs),
        clock=ManualClock(),
        backend=make_backend(server.url, username=username),
    )


@contextlib.asynccontextmanager
async def signed_in(
    first: TwsApp, second: TwsApp, *, size: tuple[int, int], notifications: bool = False
) -> AsyncIterator[tuple[Any, Any]]:
    """Two consoles running (``run_test``) side by side, each signed in (its ``state.me``
    known) before the ``with`` body starts; their two pilots."""
    from helpers import until

    async with (
        first.run_test(size=size, notifications=notifications) as one,
        second.run_test(size=size, notifications=notifications) as two,
    ):
        await until(one, lambda: first.state.me is not None, "the first console signed in")
        await until(two, lambda: second.state.me is not None, "the second console signed in")
        yield one, two


def user_id(server: ServerThread, username: str) -> UserId:
    """The user id of ``username``'s account on ``server`` (which must have it)."""
    account = server.state.accounts.get(username)
    assert account is not None, f"no account {username!r}"
    return UserId(account.user_id)


async def chat_screens(*consoles: tuple[TwsApp, Any]) -> tuple[ChatScreen, ...]:
    """Each console, by its pilot (``(app, pilot)`` pairs), on its Chat screen (Alt+4): the
    screens, in the same order."""
    from helpers import settle

    from tws_tui.console.screens.chat import ChatScreen

    screens = []
    for app, pilot in consoles:
        await pilot.press("alt+4")
        await settle(pilot)
        assert isinstance(app.screen, ChatScreen)
        screens.append(app.screen)
    return tuple(screens)


class _Trap(logging.Handler):
    def __init__(self, found: list[str]) -> None:
        super().__init__(logging.DEBUG)
        self.found = found

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR or record.exc_info:
            self.found.append(f"{record.name}: {record.getMessage()}")


@pytest.fixture
def log_trap() -> Iterator[list[str]]:
    """What the server logged at ERROR or with a traceback (ours, or uvicorn's "Exception in
    ASGI application"). Request it after the server fixture: uvicorn's logging setup, done when
    a server starts, replaces the handlers of its own loggers.

    The garbage of earlier tests is collected first, outside the trap: a server stopped
    abruptly (:meth:`ServerThread.kill`) leaves its lifespan task pending, and asyncio logs
    "Task was destroyed but it is pending!" whenever the collector gets to it."""
    gc.collect()
    found: list[str] = []
    trap = _Trap(found)
    loggers = [logging.getLogger(name) for name in ("", "uvicorn", "uvicorn.error")]
    for logger in loggers:
        logger.addHandler(trap)
    try:
        yield found
    finally:
        for logger in loggers:
            logger.removeHandler(trap)
