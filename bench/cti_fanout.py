"""CTI server fan-out: many SSE clients, a steady event rate, lost events, latency, CPU.

    .venv/bin/python bench/cti_fanout.py                 # 100 clients, 200 events/s, 60 s
    .venv/bin/python bench/cti_fanout.py --seconds 10    # a short run
    .venv/bin/python bench/cti_fanout.py --sweep --seconds 10   # where it degrades
    .venv/bin/python bench/cti_fanout.py --instances 3   # scaled mode: Redis, 1 switch, 3 APIs

Needs the ``server`` extra (starlette, uvicorn). What it does:

1. starts the reference server in a child process (``--serve`` mode of this script) on
   loopback, over the simulator with a real clock, with ``--users`` operator accounts;
2. opens ``--clients`` SSE streams (spread over the users) from this process, each read
   straight off its socket by a lean :class:`SseClient` (see there why not httpx);
3. tells the child to make the simulator emit ``--rate`` changes per second for ``--seconds``
   (a colleague's presence toggles: each change is one ``device.updated`` event on every
   user's stream, so each client receives ``--rate`` events/s);
4. measures, per received event, the latency from its ``time`` (stamped by the switch when it
   happened) to its arrival; counts events lost (gaps in each stream's ids, and events the
   server published that a stream never received); reads the child's CPU time from /proc,
   and its own (a measuring process near a full core would count its backlog as latency);
5. then measures the commands per second one server process sustains (``PUT /v1/me/presence``
   from ``--command-clients`` concurrent clients for ``--command-seconds``, streams closed).

With ``--instances N`` (the scaled mode, docs/scaled-mode.md; needs the ``scale`` extra and
Debian's ``redis-server``): a ``redis-server`` in a temporary directory, the child runs the
switch process (``--role switch``: it publishes to Redis Streams) and N
``tws-tui serve --role api`` processes serve the streams, the clients spread over them; the
CPU printed is the switch's, then each API instance's and Redis's.

Targets from the issue: 0 events lost, p99 latency ≤ 50 ms. Prints the figures; never fails
on a slow machine (this is a benchmark, not a test).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

PASSWORD = "bench-password-1"


# ---- the server child -----------------------------------------------------------------------


async def _serve(args: argparse.Namespace) -> None:
    import uvicorn

    from tws_tui.core.model import PresenceState
    from tws_tui.server.app import create_app, state_of
    from tws_tui.server.state import ServerConfig

    config = ServerConfig(  # cheap password hashes: the bench measures streams, not sign-in
        data_dir=Path(args.data_dir),
        stream_queue_max=100_000,
        scrypt_n=2**12,
        redis_url=args.redis or "",
        role="switch" if args.redis else "all",
    )
    if args.redis:  # the scaled mode: this child is the switch process, no HTTP
        from tws_tui.server.switch_process import SwitchProcess

        process = SwitchProcess(config)
        await process.start()
        assert process.state is not None
        state = process.state
    else:
        app = create_app(config)
        state = state_of(app)
    for index in range(args.users):
        if state.accounts.get(f"op{index}") is None:
            state.accounts.add(f"op{index}", PASSWORD, str(500 + index), "operator")
    if args.redis:
        server = None
    else:
        server = uvicorn.Server(
            uvicorn.Config(
                app, host="127.0.0.1", port=args.port, log_level="warning", http=args.http
            )
        )
        serving = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.01)
    print("ready", flush=True)
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    await reader.readline()  # "go"
    switch = state.pbx.switch
    colleague = next(
        ep.device_id for ep in switch.endpoints.values() if ep.internal and not ep.operator
    )
    interval = 1.0 / args.rate
    start = time.perf_counter()
    changes = int(args.rate * args.seconds)
    for n in range(changes):
        delay = start + n * interval - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        state_ = PresenceState.AWAY if n % 2 == 0 else PresenceState.AVAILABLE
        switch.set_presence(colleague, state_, None)
    print(f"done {changes}", flush=True)
    await reader.readline()  # "stop"
    if server is None:
        await process.stop()
        return
    server.should_exit = True
    await serving


def _run_server(args: argparse.Namespace) -> None:
    """The child's event loop, chosen as ``tws-tui serve`` (uvicorn) chooses it."""
    from uvicorn.config import LOOP_FACTORIES
    from uvicorn.importer import import_from_string

    factory = import_from_string(LOOP_FACTORIES[args.loop])(use_subprocess=False)
    loop = factory()
    print(f"loop {type(loop).__module__}", file=sys.stderr, flush=True)
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(_serve(args))
    finally:
        loop.close()


# ---- the clients ----------------------------------------------------------------------------


def _cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _token(client: object, username: str) -> str:
    response = await client.post(  # type: ignore[attr-defined]
        "/v1/auth/token",
        json={"grant_type": "password", "username": username, "password": PASSWORD},
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


class StreamStats:
    def __init__(self) -> None:
        self.received = 0
        self.gaps = 0
        self.last_seq: int | None = None
        self.latencies: list[float] = []


@functools.lru_cache(maxsize=4096)
def _epoch_s(stamp: str) -> float:
    """The POSIX time of an event's ``time`` (parsed once, not once per stream)."""
    return datetime.fromisoformat(stamp).timestamp()


class SseClient(asyncio.Protocol):
    """One ``GET /v1/events`` stream, read straight off the socket.

    Lean on purpose, so that the measuring process is not what it measures: it undoes the
    chunked transfer coding and splits this server's frames (``\\n`` line ends, one ``data``
    line) itself. httpx (anyio, h11) and the console's ``SseParser`` (a byte-by-byte scan in
    Python) cost about a core for the 20 000 messages/s of this bench: the measuring process
    saturated and its own backlog counted as latency.
    """

    def __init__(self, request: bytes, stats: StreamStats, ready: asyncio.Event) -> None:
        self.request = request
        self.stats = stats
        self.ready = ready
        self.transport: asyncio.Transport | None = None
        self._raw = b""  # chunked body not decoded yet
        self._body = b""  # decoded body, up to an incomplete frame
        self._headers_done = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        now = time.time()
        raw = self._raw + data
        if not self._headers_done:
            head, found, raw = raw.partition(b"\r\n\r\n")
            if not found:
                self._raw = head
                return
            if not head.startswith(b"HTTP/1.1 200"):
                raise RuntimeError(f"the stream was refused: {head[:60]!r}")
            self._headers_done = True
        body = [self._body]
        while (eol := raw.find(b"\r\n")) >= 0:
            size = int(raw[:eol].split(b";")[0], 16)
            if len(raw) < eol + size + 4:
                break
            body.append(raw[eol + 2 : eol + 2 + size])
            raw = raw[eol + size + 4 :]
        self._raw = raw
        *frames, self._body = b"".join(body).split(b"\n\n")
        for frame in frames:
            self._frame(frame.decode(), now)

    def _frame(self, frame: str, now: float) -> None:
        fields = dict(line.partition(": ")[::2] for line in frame.split("\n"))
        if "data" not in fields:
            return  # retry, ping
        stats = self.stats
        seq = int(fields["id"].rsplit("-", 1)[1])
        if fields.get("event") == "snapshot":
            stats.last_seq = seq
            self.ready.set()
            return
        if stats.last_seq is not None and seq != stats.last_seq + 1:
            stats.gaps += seq - stats.last_seq - 1
        stats.last_seq = seq
        stats.received += 1
        data = fields["data"]
        at = data.find('"time":"')
        stats.latencies.append(now - _epoch_s(data[at + 8 : data.index('"', at + 8)]))


async def _stream(port: int, token: str, stats: StreamStats, ready: asyncio.Event) -> SseClient:
    request = (
        f"GET /v1/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Authorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n"
    ).encode()
    loop = asyncio.get_running_loop()
    _, protocol = await loop.create_connection(
        lambda: SseClient(request, stats, ready), "127.0.0.1", port
    )
    return protocol


async def _fanout(
    args: argparse.Namespace,
    url: str,
    child: subprocess.Popen[str],
    others: tuple[tuple[str, int], ...] = (),
    ports: tuple[int, ...] = (),
) -> tuple[int, float, float]:
    """Run the fan-out, print its figures; ``(events lost, p50 ms, p99 ms)``. ``ports``: the
    API instances the streams are spread over (default: ``url``'s); ``others``: processes
    whose CPU is printed too (name, pid)."""
    import httpx

    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        tokens = [await _token(client, f"op{i}") for i in range(args.users)]
        stats = [StreamStats() for _ in range(args.clients)]
        readies = [asyncio.Event() for _ in range(args.clients)]
        ports = ports or (int(url.rsplit(":", 1)[1]),)
        streams = [
            await _stream(ports[i % len(ports)], tokens[i % args.users], stats[i], readies[i])
            for i in range(args.clients)
        ]
        await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), 60)
        assert child.stdin is not None and child.stdout is not None
        cpu_before = _cpu_seconds(child.pid)
        others_before = [_cpu_seconds(pid) for _name, pid in others]
        own_before = time.process_time()
        wall_before = time.perf_counter()
        child.stdin.write("go\n")
        child.stdin.flush()
        line = await asyncio.to_thread(child.stdout.readline)
        wall = time.perf_counter() - wall_before
        cpu_after = _cpu_seconds(child.pid)
        others_after = [_cpu_seconds(pid) for _name, pid in others]
        own = time.process_time() - own_before
        changes = int(line.split()[1])
        await asyncio.sleep(1.0)  # let the last events arrive
        for stream in streams:
            assert stream.transport is not None
            stream.transport.close()
    received = sum(s.received for s in stats)
    expected = changes * args.clients
    latencies = sorted(x for s in stats for x in s.latencies)
    lost = max(expected - received, 0) + sum(s.gaps for s in stats)  # either is a loss
    p50 = statistics.median(latencies) * 1000 if latencies else float("inf")
    p99 = (
        latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000 if latencies else p50
    )
    print(f"clients                 {args.clients} SSE streams over {args.users} users")
    print(f"events/s per client     {args.rate} for {args.seconds} s ({changes} changes)")
    print(f"events delivered        {received} of {expected}")
    gaps = sum(s.gaps for s in stats)
    print(f"events lost             {max(expected - received, 0)} (gaps in ids: {gaps})")
    if latencies:
        print(f"latency p50 / p99       {p50:.1f} ms / {p99:.1f} ms (target p99 <= 50 ms)")
        print(f"latency max             {latencies[-1] * 1000:.1f} ms")
    if cpu_before is not None and cpu_after is not None:
        name = "switch CPU" if others else "server CPU"
        print(f"{name:<24}{100 * (cpu_after - cpu_before) / wall:.0f} % of one core")
    for (name, _pid), before, after in zip(others, others_before, others_after, strict=True):
        if before is not None and after is not None:
            print(f"{name + ' CPU':<24}{100 * (after - before) / wall:.0f} % of one core")
    print(
        f"client CPU              {100 * own / wall:.0f} % of one core (the {args.clients} streams)"
    )
    return lost, p50, p99


async def _commands(args: argparse.Namespace, url: str) -> None:
    import httpx

    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        tokens = [await _token(client, f"op{i % args.users}") for i in range(args.command_clients)]
        done = 0
        errors = 0
        stop_at = time.perf_counter() + args.command_seconds

        async def worker(token: str) -> None:
            nonlocal done, errors
            headers = {"Authorization": f"Bearer {token}"}
            n = 0
            while time.perf_counter() < stop_at:
                state = "away" if n % 2 else "available"
                response = await client.put(
                    "/v1/me/presence", json={"state": state}, headers=headers
                )
                n += 1
                if response.status_code == 204:
                    done += 1
                else:
                    errors += 1

        start = time.perf_counter()
        await asyncio.gather(*(worker(t) for t in tokens))
        elapsed = time.perf_counter() - start
    print(
        f"commands/s              {done / elapsed:.0f} (PUT /v1/me/presence, "
        f"{args.command_clients} clients, {errors} errors)"
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--rate", type=float, default=200.0, help="events/s per stream")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--command-clients", type=int, default=8)
    parser.add_argument("--command-seconds", type=float, default=5.0)
    parser.add_argument(
        "--sweep",
        action="store_true",
        help="run the fan-out at each of SWEEP (clients x events/s) and print where it degrades",
    )
    parser.add_argument(
        "--loop",
        choices=("auto", "asyncio", "uvloop"),
        default="auto",
        help="the server's event loop, as uvicorn's --loop (auto: uvloop when installed)",
    )
    parser.add_argument(
        "--http",
        choices=("auto", "h11", "httptools"),
        default="auto",
        help="the server's HTTP/1.1 implementation, as uvicorn's --http (auto: httptools when"
        " installed)",
    )
    parser.add_argument(
        "--instances",
        type=int,
        default=0,
        help="the scaled mode: a redis-server, one switch process and N API instances"
        " (tws-tui serve --role api), the streams spread over them",
    )
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--redis", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        _run_server(args)
        return 0
    try:
        import httpx  # noqa: F401
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401

        if args.instances:
            import redis  # noqa: F401
    except ImportError as error:
        print(f"skipped: the server (or, with --instances, scale) extra is missing ({error.name})")
        return 0
    if args.instances and _redis_binary() is None:
        print("skipped: --instances needs redis-server (make test-deps installs it)")
        return 0
    if not args.sweep:
        return _run(args, commands=True)
    rows = []
    for clients, rate in SWEEP:
        print(f"\n== {clients} clients x {rate:g} events/s")
        one = argparse.Namespace(**{**vars(args), "clients": clients, "rate": rate})
        figures = _run_figures(one, commands=False)
        rows.append((clients, rate, figures))
    print("\nclients  events/s  lost  p50 ms  p99 ms  (target: 0 lost, p99 <= 50 ms)")
    for clients, rate, figures in rows:
        if figures is None:
            print(f"{clients:7}  {rate:8g}  the server did not start")
            continue
        lost, p50, p99 = figures
        verdict = "ok" if lost == 0 and p99 <= TARGET_P99_MS else "DEGRADED"
        print(f"{clients:7}  {rate:8g}  {lost:4}  {p50:6.1f}  {p99:6.1f}  {verdict}")
    return 0


#: The sweep: today's figure (100 x 200/s), then many consoles with fewer events each.
SWEEP: tuple[tuple[int, float], ...] = (
    (100, 200.0),
    (300, 200.0),
    (100, 20.0),
    (300, 20.0),
    (600, 20.0),
    (1000, 20.0),
)
TARGET_P99_MS = 50.0


def _run(args: argparse.Namespace, *, commands: bool) -> int:
    return 0 if _run_figures(args, commands=commands) is not None else 1


def _redis_binary() -> str | None:
    import shutil

    found = shutil.which("redis-server")
    return found or ("/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None)


def _wait_port(port: int, process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} ended")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not start")


def _run_figures(args: argparse.Namespace, *, commands: bool) -> tuple[int, float, float] | None:
    """One server child, one fan-out run (and the commands run); None if it did not start."""
    if args.instances:
        return _run_scaled(args, commands=commands)
    with tempfile.TemporaryDirectory() as data_dir:
        port = _free_port()
        command = [sys.executable, __file__, "--serve", "--data-dir", data_dir, "--port", str(port)]
        command += ["--users", str(args.users), "--rate", str(args.rate)]
        command += ["--seconds", str(args.seconds), "--loop", args.loop, "--http", args.http]
        child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            assert child.stdout is not None and child.stdin is not None
            if child.stdout.readline().strip() != "ready":
                print("the server did not start")
                return None
            url = f"http://127.0.0.1:{port}"
            figures = asyncio.run(_fanout(args, url, child))
            if commands:
                asyncio.run(_commands(args, url))
            child.stdin.write("stop\n")
            child.stdin.flush()
            child.wait(timeout=15)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
    return figures


def _run_scaled(args: argparse.Namespace, *, commands: bool) -> tuple[int, float, float] | None:
    """The scaled mode's run: redis-server, the switch child, ``--instances`` API processes."""
    quiet = subprocess.DEVNULL
    with tempfile.TemporaryDirectory() as tmp:
        binary = _redis_binary()
        assert binary is not None
        redis_port = _free_port()
        started: list[subprocess.Popen[bytes]] = []
        redis = subprocess.Popen(
            [binary, "--port", str(redis_port), "--bind", "127.0.0.1", "--dir", tmp,
             "--save", "", "--appendonly", "no"],
            stdout=quiet, stderr=quiet,
        )  # fmt: skip
        started.append(redis)
        child: subprocess.Popen[str] | None = None
        try:
            _wait_port(redis_port, redis, "redis-server")
            redis_url = f"redis://127.0.0.1:{redis_port}/0"
            data_dir = str(Path(tmp) / "server")
            command = [sys.executable, __file__, "--serve", "--data-dir", data_dir]
            command += ["--redis", redis_url, "--users", str(args.users)]
            command += ["--rate", str(args.rate), "--seconds", str(args.seconds)]
            command += ["--loop", args.loop, "--http", args.http]
            child = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
            )
            assert child.stdout is not None and child.stdin is not None
            if child.stdout.readline().strip() != "ready":
                print("the switch did not start")
                return None
            ports = tuple(_free_port() for _ in range(args.instances))
            env = {**os.environ, "PYTHONPATH": str(REPO)}
            for port in ports:
                api = [sys.executable, "-m", "tws_tui", "serve", "--role", "api"]
                api += ["--redis", redis_url, "--data-dir", data_dir, "--port", str(port)]
                started.append(subprocess.Popen(api, stdout=quiet, stderr=quiet, env=env))
                _wait_port(port, started[-1], "an API instance")
            others = tuple((f"API {n + 1}", p.pid) for n, p in enumerate(started[1:]))
            others += (("redis-server", redis.pid),)
            url = f"http://127.0.0.1:{ports[0]}"
            print(f"instances               {args.instances} API, 1 switch, 1 redis-server")
            figures = asyncio.run(_fanout(args, url, child, others, ports))
            if commands:
                asyncio.run(_commands(args, url))
            child.stdin.write("stop\n")
            child.stdin.flush()
            child.wait(timeout=15)
        finally:
            for process in [*started[1:], *([child] if child else []), redis]:
                if process.poll() is None:
                    process.terminate()
                    try:
                        process.wait(5)
                    except subprocess.TimeoutExpired:
                        process.kill()
                        process.wait()
    return figures


if __name__ == "__main__":
    sys.exit(main())
