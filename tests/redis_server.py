"""A real Redis on loopback for the scaled-mode tests, and the scaled server's test harness.

:func:`redis_url` (fixture) starts Debian's ``redis-server`` (``make test-deps`` installs it
through ``tools/install_redis.sh``) on a free loopback port, its working directory a temporary
folder and persistence off (no RDB, no AOF: nothing written outside it), and stops it when the
test ends. A missing ``redis-server`` or ``redis`` package fails the test under ``CI=true``
and skips it elsewhere, saying why.

:class:`SwitchThread` runs a :class:`~tws_tui.server.switch_process.SwitchProcess` on its own
event loop thread over a deterministic :class:`~tws_tui.server.pbx.Pbx` (``ManualClock``,
nobody answering by themselves), driven like ``cti_fixtures.ServerThread``. API instances are
``ServerThread``\\ s with ``role="api"`` over the same data directory and Redis.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from cti_fixtures import ServerThread
from needs import missing

from tws_tui.core.clock import ManualClock
from tws_tui.server.pbx import Pbx
from tws_tui.server.state import ServerConfig
from tws_tui.simulator.testing import quiet

T = TypeVar("T")


def redis_binary() -> str:
    found = shutil.which("redis-server") or (
        "/usr/bin/redis-server" if os.path.exists("/usr/bin/redis-server") else None
    )
    if found is None:
        missing("redis-server is missing (make test-deps installs Debian's redis-server)")
    if importlib.util.find_spec("redis") is None:
        missing("the redis package is missing (the 'scale' extra)")
    assert found is not None
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_redis(folder: Path, port: int = 0) -> tuple[subprocess.Popen[bytes], str]:
    """A ``redis-server`` without persistence on ``port`` (0: a free one); its URL."""
    binary = redis_binary()
    folder.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    process = subprocess.Popen(
        [
            binary,
            "--port", str(port),
            "--bind", "127.0.0.1",
            "--dir", str(folder),
            "--save", "",
            "--appendonly", "no",
            "--daemonize", "no",
            "--logfile", str(folder / "redis.log"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"redis-server did not start: {(folder / 'redis.log').read_text()}")
        time.sleep(0.02)
    return process, f"redis://127.0.0.1:{port}/0"


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh Redis for this test."""
    process, url = start_redis(tmp_path / "redis")
    try:
        yield url
    finally:
        stop_redis(process)


def stop_redis(process: subprocess.Popen[bytes]) -> None:
    """Terminate a ``redis-server`` of :func:`start_redis`; killed if it lingers past 5 s."""
    process.terminate()
    try:
        process.wait(5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class SwitchThread:
    """The switch process of the scaled mode, on a thread of the test."""

    def __init__(self, data_dir: Path, redis_url: str, **config: Any) -> None:
        from tws_tui.server.switch_process import SwitchProcess

        config.setdefault("scrypt_n", 2**12)
        self.config = ServerConfig(data_dir=data_dir, redis_url=redis_url, role="switch", **config)
        self.loop = asyncio.new_event_loop()
        self.thread = __import__("threading").Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.clock = ManualClock()
        self.pbx = self.call(lambda: Pbx(seed=0, clock=self.clock, behaviour=quiet()))
        self.process = SwitchProcess(self.config, self.pbx)
        self.run(self.process.start())

    def call(self, fn: Callable[[], T], timeout: float = 10.0) -> T:
        async def run() -> T:
            return fn()

        return asyncio.run_coroutine_threadsafe(run(), self.loop).result(timeout)

    def run(self, coro: Any, timeout: float = 10.0) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def flushed(self) -> None:
        """Until every event published so far is in Redis."""
        assert self.process.publisher is not None
        self.run(self.process.publisher.flushed(snapshots=True))

    def queue_call(self, caller: str = "+33612345678", queue_number: str = "3900") -> str:
        call = self.call(lambda: self.pbx.switch.inject_incoming_call(queue_number, caller))
        self.flushed()
        return call

    def ring(self, extension: str, caller: str = "+33612345678") -> str:
        call = self.call(lambda: self.pbx.switch.inject_incoming_call(extension, caller))
        self.flushed()
        return call

    def close(self) -> None:
        self.run(self.process.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)


def api_instance(data_dir: Path, redis_url: str, **config: Any) -> ServerThread:
    """A started API instance (``role="api"``) of the scaled mode."""
    server = ServerThread(data_dir, redis_url=redis_url, role="api", heartbeat_s=1.0, **config)
    server.start()
    return server


def switch_subprocess(data_dir: Path, url: str, log: Path) -> subprocess.Popen[bytes]:
    """``tws-tui serve --role switch`` as its own process (killed with -9 by the failover
    tests): it stands by until it holds the switch lock."""
    import sys

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root), "LANGUAGE": "en"}
    command = [
        sys.executable,
        "-m",
        "tws_tui",
        "--lang",
        "en",
        "serve",
        "--data-dir",
        str(data_dir),
    ]
    command += ["--role", "switch", "--redis", url]
    with log.open("ab") as out:
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)


def leader_of(url: str) -> str | None:
    """The token of the switch holding the lock (``switch-<pid>-<hex>``), or None."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        found = client.get("tws:leader")
    finally:
        client.close()
    return found.decode() if found else None


def api_subprocess(data_dir: Path, url: str, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    """``tws-tui serve --role api`` as its own process on a free port (for kill -9), started."""
    import sys

    import httpx

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root), "LANGUAGE": "en"}
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "tws_tui",
        "--lang",
        "en",
        "serve",
        "--data-dir",
        str(data_dir),
    ]
    command += ["--role", "api", "--redis", url, "--port", str(port)]
    with log.open("ab") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + 20
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1).status_code == 200:
                return process, port
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"the API instance did not start: {log.read_text()}")
        time.sleep(0.1)
