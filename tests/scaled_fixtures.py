"""The CTI suite's server in the scaled mode: one switch, three API instances, one address.

:class:`ScaledServer` is what ``cti_server`` gives in the modules run in scaled mode
(``conftest.SCALED``): the switch (a :class:`~tws_tui.server.switch_process.SwitchProcess` over
the same deterministic :class:`~tws_tui.server.pbx.Pbx` as ``ServerThread``'s: ``ManualClock``,
nobody answering by themselves, no traffic) publishing to a real Redis, THREE API instances
(``role="api"``, uvicorn on loopback) sharing one fresh PostgreSQL database with the switch,
and a :class:`RoundRobin` TCP balancer in front: each new connection goes to the next
instance, so one client's requests and its event stream land on different instances.

It answers like ``ServerThread`` (``url``, ``port``, ``call``, ``clock``, ``pbx``,
``queue_call``, ``ring``, ``connections_at``, ``add_users``, ``data_dir``, ``loop``), everything
on one event loop thread (the switch, the three instances, the balancer): ``call`` runs on it
and returns once the events it caused are in Redis. :attr:`ScaledServer.state` is the
**switch's** server state (accounts, store, switchboard, its event publisher): what a test
changes there, every instance sees through the database and Redis. :meth:`ScaledServer.kill`
and :meth:`ScaledServer.start` restart the **API instances and the balancer** (every client
connection aborted mid-stream, the address refusing connections meanwhile); the switch, its
calls and the Redis streams stay, as they would when a site's API tier restarts.

The session has one Redis (:func:`session_redis`); each server takes its own key prefix in it.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import itertools
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from cti_fixtures import PASSWORD, USERS, SwitchDriving

from tws_tui.core.clock import ManualClock
from tws_tui.server.app import create_app, state_of
from tws_tui.server.pbx import Pbx
from tws_tui.server.state import ServerConfig, ServerState
from tws_tui.simulator.testing import quiet

T = TypeVar("T")
INSTANCES = 3
_prefixes = itertools.count(1)


class RoundRobin:
    """A TCP balancer on loopback: each new connection is relayed to the next target port."""

    def __init__(self, targets: list[int]) -> None:
        self.targets = targets
        self.port = 0
        self.connections = 0  # accepted so far (the instance of the n-th is n % len)
        self._turn = itertools.count()
        self._server: asyncio.Server | None = None
        self._transports: set[asyncio.BaseTransport] = set()

    async def open(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        self.port = sock.getsockname()[1]
        self._server = await asyncio.start_server(self._relay, sock=sock)

    async def close(self) -> None:
        """Stop listening and abort every relayed connection."""
        if self._server is not None:
            self._server.close()
            self._server = None
        for transport in list(self._transports):
            transport.abort()
        self._transports.clear()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        target = self.targets[next(self._turn) % len(self.targets)]
        self._transports.add(writer.transport)
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", target)
        except OSError:
            writer.transport.abort()
            self._transports.discard(writer.transport)
            return
        self._transports.add(up_writer.transport)
        for end in (writer, up_writer):
            end.transport.get_extra_info("socket").setsockopt(
                socket.IPPROTO_TCP, socket.TCP_NODELAY, 1
            )

        async def pump(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            try:
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                with contextlib.suppress(Exception):
                    dst.write_eof() if dst.can_write_eof() else dst.close()

        try:
            await asyncio.gather(pump(reader, up_writer), pump(up_reader, writer))
        finally:
            for end in (writer, up_writer):
                self._transports.discard(end.transport)
                end.transport.abort()


class ScaledServer(SwitchDriving):
    #: A restart (:meth:`kill` + :meth:`start`) keeps the event streams: clients resume by
    #: replay, with no snapshot (the embedded server's new epoch sends one).
    keeps_streams = True

    def __init__(self, data_dir: Path, database: str, redis_url: str, **config: Any) -> None:
        self.data_dir = data_dir
        config.setdefault("scrypt_n", 2**12)  # cheap hashes: the tests sign in often
        data_dir.mkdir(parents=True, exist_ok=True)  # the admin commands find the database
        (data_dir / "server.toml").write_text(f'[database]\nurl = "{database}"\n')
        common = dict(
            data_dir=data_dir,
            database=database,
            redis_url=redis_url,
            redis_prefix=f"t{next(_prefixes)}",
            pool_size=2,
            **config,
        )
        self.config = ServerConfig(role="api", **common)
        self.switch_config = ServerConfig(role="switch", **common)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.clock = ManualClock()
        self.pbx = self.call(lambda: Pbx(seed=0, clock=self.clock, behaviour=quiet()))
        from tws_tui.server.switch_process import SwitchProcess

        self.process = SwitchProcess(self.switch_config, self.pbx)
        self._run(self.process.start(), timeout=30)
        self.apps: list[Any] = []
        self.servers: list[Any] = []
        self._serving: list[asyncio.Task[None]] = []
        self.balancer = RoundRobin([])

    # ---- running things on the loop -----------------------------------------------------------

    def _run(self, coro: Any, timeout: float = 10.0) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def call(self, fn: Callable[[], T], timeout: float = 10.0) -> T:
        """Run ``fn()`` on the loop thread; return its result once its events (and the
        snapshots they change) are in Redis."""

        async def run() -> T:
            result = fn()
            process = getattr(self, "process", None)
            publisher = process.publisher if process is not None else None
            if publisher is not None:
                await publisher.flushed(snapshots=True)
            return result

        return self._run(run(), timeout)

    @property
    def state(self) -> ServerState:
        """The switch's server state (see the module's docstring)."""
        assert self.process.state is not None
        return self.process.state

    @property
    def api_states(self) -> list[ServerState]:
        return [state_of(app) for app in self.apps]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def port(self) -> int:
        return self.balancer.port

    # ---- life cycle ---------------------------------------------------------------------------

    def add_users(self, users: tuple[tuple[str, str, str], ...] = USERS) -> None:
        for username, extension, role in users:
            self.call(
                lambda u=username, e=extension, r=role: self.state.accounts.add(u, PASSWORD, e, r)
            )

    def start(self) -> None:
        """Start the three API instances (at once) and the balancer in front of them."""
        self._run(self._start(), timeout=30)

    async def _start(self) -> None:
        import uvicorn

        sockets = []
        self.apps, self.servers, self._serving = [], [], []
        for _ in range(INSTANCES):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
            app = create_app(self.config)
            config = uvicorn.Config(
                app, log_level="warning", lifespan="on", timeout_graceful_shutdown=1
            )
            server = uvicorn.Server(config)
            self.apps.append(app)
            self.servers.append(server)
            self._serving.append(asyncio.create_task(server.serve(sockets=[sock])))
        deadline = time.monotonic() + 20
        while not all(server.started for server in self.servers):
            for task in self._serving:
                if task.done():
                    task.result()
            if time.monotonic() > deadline:
                raise TimeoutError("the API instances did not start")
            await asyncio.sleep(0.01)
        self.balancer.targets = [sock.getsockname()[1] for sock in sockets]
        await self.balancer.open()

    def kill(self) -> None:
        """Stop the API instances and the balancer abruptly: every connection aborted
        mid-stream, nothing says goodbye (the switch and Redis carry on)."""
        self._run(self._kill(), timeout=30)

    async def _kill(self) -> None:
        await self.balancer.close()
        for server in self.servers:
            server.should_exit = True
            server.force_exit = True
            for connection in list(server.server_state.connections):
                transport = getattr(connection, "transport", None)
                if transport is not None:
                    transport.abort()
            for task in list(server.server_state.tasks):
                task.cancel()
        if self._serving:
            _, pending = await asyncio.wait(self._serving, timeout=10)
            for task in pending:
                task.cancel()
        self._serving = []
        # A forced exit skips the lifespan's end: run it (the instances' states and Redis
        # readers stopped), or its task stays pending until the garbage collector of another
        # thread finalises it (CPython 3.11 can crash on that, see close()).
        for server in self.servers:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(server.lifespan.shutdown(), 5)
        self.servers = []

    def close(self) -> None:
        """Kill the API instances, stop the switch, end what is left on the loop."""
        self._run(self._kill(), timeout=30)
        self._run(self.process.stop(), timeout=15)
        self._run(self._finish(), timeout=15)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)
        self.loop.close()
        # What the servers left is collected now, while no loop thread runs: CPython 3.11 can
        # crash when an asynchronous generator is finalised in one thread (its finaliser
        # releases the GIL) while another thread collects garbage.
        gc.collect()

    async def _finish(self) -> None:
        """Cancel what is left on the loop (a stream a client left open) and close the
        asynchronous generators while the loop still runs."""
        tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=5)
        await asyncio.wait_for(asyncio.get_running_loop().shutdown_asyncgens(), 5)
