"""CTI server fan-out: many SSE clients, a steady event rate, lost events, latency, CPU.

    .venv/bin/python bench/cti_fanout.py                 # 100 clients, 200 events/s, 60 s
    .venv/bin/python bench/cti_fanout.py --clients 1000 --rate 20 --seconds 10   # issue 18
    .venv/bin/python bench/cti_fanout.py --sweep --seconds 10   # where it degrades
    .venv/bin/python bench/cti_fanout.py --instances 3   # scaled mode: Redis, 1 switch, 3 APIs

Needs the ``server`` extra (starlette, uvicorn, and uvloop and httptools, which uvicorn uses
when installed: ``--loop`` and ``--http`` choose otherwise). What it does:

1. starts the reference server in a child process (``--serve`` mode of this script) on
   loopback, over the simulator with a real clock, with ``--users`` operator accounts;
2. opens ``--clients`` SSE streams (spread over the users) from ``--client-procs`` other
   processes (2 by default), each stream read straight off its socket by a lean
   :class:`SseClient` (see there why not httpx). Not from this process: one Python process
   reading 1 000 streams at 20 events/s is itself near a core on a loaded machine, and its
   backlog counted as the server's latency; the figure is meant to measure the server. The
   client processes run uvloop when installed (``--client-loop``): with the asyncio loop
   their own backlog was still most of the p50 at 1 000 streams (bench/README.md, fourth
   pass);
3. tells the child to make the simulator emit ``--rate`` changes per second for ``--seconds``
   (a colleague's presence toggles: each change is one ``device.updated`` event on every
   user's stream, so each client receives ``--rate`` events/s);
4. measures, per received event, the latency from its ``time`` (stamped by the switch when it
   happened) to its arrival; counts events lost (gaps in each stream's ids, and events the
   server published that a stream never received); reads the child's CPU time from /proc
   (the share spent in the kernel too: the sockets' system calls; also per event delivered:
   on a machine shared with other work, compare that, at a low ``--rate`` where each event
   is written on its own, rather than latencies), the client processes' CPU, the child's
   garbage collections during the run, and the load average;
5. then measures the commands per second one server process sustains (``PUT /v1/me/presence``
   from ``--command-clients`` concurrent clients for ``--command-seconds``, streams closed).

``--sweep`` runs the fan-out at each of :data:`SWEEP` (clients x events/s) and ends with the
configurations where it degrades. Targets from issue 18: 0 events lost, p99 latency <= 50 ms
at 1 000 clients x 20 events/s, 100 x 200 kept. Prints the figures; never fails on a slow
machine (this is a benchmark, not a test). Figures seen: ``bench/README.md``.

With ``--instances N`` (the scaled mode, docs/scaled-mode.md; needs the ``scale`` extra and
Debian's ``redis-server``): a ``redis-server`` in a temporary directory, the child runs the
switch process (``--role switch``: it publishes to Redis Streams) and N
``tws-tui serve --role api`` processes serve the streams, the clients spread over them; the
CPU printed is the switch's, then each API instance's and Redis's.

"""

from __future__ import annotations

import argparse
import asyncio
import functools
import gc
import importlib.util
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from array import array
from datetime import datetime
from pathlib import Path
from typing import cast

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
        **({} if args.heap_sweep_s is None else {"heap_sweep_s": args.heap_sweep_s}),
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
    pauses = _gc_pauses()
    calls = _count_calls() if args.count_calls else None
    start = time.perf_counter()
    changes = int(args.rate * args.seconds)
    for n in range(changes):
        delay = start + n * interval - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        state_ = PresenceState.AWAY if n % 2 == 0 else PresenceState.AVAILABLE
        switch.set_presence(colleague, state_, None)
    if calls is not None:
        await asyncio.sleep(1.0)  # the last events' writes
        sys.setprofile(None)
    counted = calls[0] if calls is not None else -1
    print(f"done {changes} {len(pauses)} {max(pauses, default=0.0):.1f} {counted}", flush=True)
    await reader.readline()  # "stop"
    if server is None:
        await process.stop()
        return
    server.should_exit = True
    await serving


def _gc_pauses() -> list[float]:
    """The durations (ms) of the garbage collections from now on (a pause every stream feels)."""
    pauses: list[float] = []
    started = 0.0

    def track(phase: str, info: dict[str, int]) -> None:
        nonlocal started
        if phase == "start":
            started = time.perf_counter()
        else:
            pauses.append((time.perf_counter() - started) * 1000)

    gc.callbacks.append(track)
    return pauses


def _count_calls() -> list[int]:
    """Count the Python function calls (coroutine steps included) from now on, until
    ``sys.setprofile(None)``: per frame delivered, a figure the machine's load hardly moves."""
    calls = [0]

    def count(frame: object, event: str, arg: object) -> None:
        if event == "call":
            calls[0] += 1

    sys.setprofile(count)
    return calls


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


def _cpu_seconds(pid: int, kernel_only: bool = False) -> float | None:
    """A process's CPU time so far (user + system), or its system time only."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    ticks = int(fields[12]) if kernel_only else int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


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
        self.transport = cast("asyncio.Transport", transport)  # uvloop's: no subclass
        self.transport.write(self.request)

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


async def _client_worker(args: argparse.Namespace) -> None:
    """A client process: its streams (tokens on stdin, one JSON line), "ready" once each has
    its snapshot, and at "stop" the figures (one JSON line; latencies to ``--out``)."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=2**24)  # the tokens' line
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    tokens: list[str] = json.loads(await reader.readline())
    stats = [StreamStats() for _ in tokens]
    readies = [asyncio.Event() for _ in tokens]
    streams = [
        await _stream(args.port, token, stats[i], readies[i]) for i, token in enumerate(tokens)
    ]
    await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), 120)
    print("ready", flush=True)
    await reader.readline()  # "stop"
    for stream in streams:
        assert stream.transport is not None
        stream.transport.close()
    latencies = array("d", (x for s in stats for x in s.latencies))
    with open(args.out, "wb") as out:
        latencies.tofile(out)
    figures = {"received": [s.received for s in stats], "gaps": sum(s.gaps for s in stats)}
    print(json.dumps(figures), flush=True)


def _line(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    return process.stdout.readline().strip()


def _say(process: subprocess.Popen[str], line: str) -> None:
    assert process.stdin is not None
    process.stdin.write(line + "\n")
    process.stdin.flush()


async def _fanout(
    args: argparse.Namespace,
    url: str,
    child: subprocess.Popen[str],
    work: Path,
    others: tuple[tuple[str, int], ...] = (),
    ports: tuple[int, ...] = (),
) -> tuple[int, float, float]:
    """Run the fan-out, print its figures; ``(events lost, p50 ms, p99 ms)``. ``ports``: the
    API instances the streams are spread over (default: ``url``'s); ``others``: processes
    whose CPU is printed too (name, pid).

    The streams are read by ``--client-procs`` processes (not this one; at least one per API
    instance): a single Python process reading 1 000 streams at 20 events/s each is itself
    near a core on a loaded machine, and its backlog would count as the server's latency.
    """
    import httpx

    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        tokens = [await _token(client, f"op{i}") for i in range(args.users)]
    ports = ports or (int(url.rsplit(":", 1)[1]),)
    procs = max(1, len(ports), min(args.client_procs, args.clients))
    workers = []
    for k in range(procs):
        port = ports[k % len(ports)]  # each client process reads from one instance
        command = [sys.executable, __file__, "--clients-worker", "--port", str(port)]
        command += ["--client-loop", args.client_loop]
        command += ["--out", str(work / f"latencies-{k}")]
        workers.append(
            subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        )
    try:
        for k, worker in enumerate(workers):  # stream i (over all workers) is user i % users
            mine = range(k, args.clients, procs)
            _say(worker, json.dumps([tokens[i % args.users] for i in mine]))
        for worker in workers:
            if await asyncio.to_thread(_line, worker) != "ready":
                raise RuntimeError("a client process could not open its streams")
        cpu_before = _cpu_seconds(child.pid)
        kernel_before = _cpu_seconds(child.pid, kernel_only=True)
        clients_before = [_cpu_seconds(w.pid) or 0.0 for w in workers]
        others_before = [_cpu_seconds(pid) for _name, pid in others]
        wall_before = time.perf_counter()
        _say(child, "go")
        line = await asyncio.to_thread(_line, child)
        _, changes_text, collections, longest_gc, calls = line.split()
        changes = int(changes_text)
        await asyncio.sleep(1.0)  # let the last events arrive
        # CPU up to here, not to "done": a server behind its streams writes after "done"
        wall = time.perf_counter() - wall_before
        cpu_after = _cpu_seconds(child.pid)
        kernel_after = _cpu_seconds(child.pid, kernel_only=True)
        others_after = [_cpu_seconds(pid) for _name, pid in others]
        clients_cpu = [
            (_cpu_seconds(w.pid) or 0.0) - before
            for w, before in zip(workers, clients_before, strict=True)
        ]
        received_per_stream: list[int] = []
        gaps = 0
        latencies_array = array("d")
        for k, worker in enumerate(workers):
            _say(worker, "stop")
            figures = json.loads(await asyncio.to_thread(_line, worker))
            received_per_stream += figures["received"]
            gaps += figures["gaps"]
            with open(work / f"latencies-{k}", "rb") as data:
                size = os.fstat(data.fileno()).st_size
                latencies_array.fromfile(data, size // latencies_array.itemsize)
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
            worker.wait()
    received = sum(received_per_stream)
    expected = changes * args.clients
    latencies = sorted(latencies_array)
    lost = max(expected - received, 0) + gaps  # either is a loss
    p50 = statistics.median(latencies) * 1000 if latencies else float("inf")
    p99 = (
        latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000 if latencies else p50
    )
    print(f"clients                 {args.clients} SSE streams over {args.users} users")
    print(f"events/s per client     {args.rate:g} for {args.seconds:g} s ({changes} changes)")
    print(f"events delivered        {received} of {expected}")
    print(f"events lost             {max(expected - received, 0)} (gaps in ids: {gaps})")
    if latencies:
        print(f"latency p50 / p99       {p50:.1f} ms / {p99:.1f} ms (target p99 <= 50 ms)")
        print(f"latency max             {latencies[-1] * 1000:.1f} ms")
    if cpu_before is not None and cpu_after is not None:
        server_cpu = cpu_after - cpu_before
        per_event = (
            f", {1e6 * server_cpu / received:.1f} µs per event delivered" if received else ""
        )
        name = "switch CPU" if others else "server CPU"
        print(f"{name:<24}{100 * server_cpu / wall:.0f} % of one core{per_event}")
        if kernel_before is not None and kernel_after is not None and server_cpu > 0:
            # The system calls (on loopback a send also does the receiving side's work).
            kernel = 100 * (kernel_after - kernel_before) / server_cpu
            print(f"{'':<24}of which {kernel:.0f} % in the kernel")
    for (name, _pid), before, after in zip(others, others_before, others_after, strict=True):
        if before is not None and after is not None:
            print(f"{name + ' CPU':<24}{100 * (after - before) / wall:.0f} % of one core")
    shares = " + ".join(f"{100 * cpu / wall:.0f} %" for cpu in clients_cpu)
    loop = args.client_loop
    if loop == "auto":
        loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    print(
        f"client CPU              {shares} of one core ({procs} processes reading the streams,"
        f" {loop})"
    )
    if int(calls) >= 0 and received:
        print(f"server Python calls     {int(calls) / received:.1f} per event delivered")
    print(f"server GC               {collections} collections, the longest {longest_gc} ms")
    print(f"load average            {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
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
    parser.add_argument(
        "--client-procs",
        type=int,
        default=2,
        help="processes reading the streams (so that the figure measures the server)",
    )
    parser.add_argument(
        "--client-loop",
        choices=("auto", "asyncio", "uvloop"),
        default="auto",
        help="the client processes' event loop (auto: uvloop when installed; they share the"
        " cores with the server, and the asyncio loop's own backlog counted as latency)",
    )
    parser.add_argument(
        "--count-calls",
        action="store_true",
        help="count the server's Python calls per event delivered (slows the server: use a"
        " low --rate)",
    )
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
        "--heap-sweep-s",
        type=float,
        default=None,
        help="the server's heap_sweep_s (server/heap.py; 0 = Python's default collector;"
        " default: the server's default)",
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
    parser.add_argument("--clients-worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        _run_server(args)
        return 0
    if args.clients_worker:
        try:
            import uvloop
        except ImportError:
            if args.client_loop == "uvloop":
                raise
            uvloop = None
        if uvloop is not None and args.client_loop != "asyncio":
            uvloop.run(_client_worker(args))
        else:
            asyncio.run(_client_worker(args))
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
    degraded: list[str] = []
    for clients, rate, figures in rows:
        if figures is None:
            print(f"{clients:7}  {rate:8g}  the server did not start")
            continue
        lost, p50, p99 = figures
        ok = lost == 0 and p99 <= TARGET_P99_MS
        if not ok:
            degraded.append(f"{clients} x {rate:g}/s")
        verdict = "ok" if ok else "DEGRADED"
        print(f"{clients:7}  {rate:8g}  {lost:4}  {p50:6.1f}  {p99:6.1f}  {verdict}")
    print(f"degrades at: {', '.join(degraded)}" if degraded else "degrades at: none of these")
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
    with tempfile.TemporaryDirectory() as data_dir, tempfile.TemporaryDirectory() as work:
        port = _free_port()
        command = [sys.executable, __file__, "--serve", "--data-dir", data_dir, "--port", str(port)]
        command += ["--users", str(args.users), "--rate", str(args.rate)]
        command += ["--seconds", str(args.seconds), "--loop", args.loop, "--http", args.http]
        command += ["--count-calls"] if args.count_calls else []
        if args.heap_sweep_s is not None:
            command += ["--heap-sweep-s", str(args.heap_sweep_s)]
        child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            assert child.stdout is not None and child.stdin is not None
            if child.stdout.readline().strip() != "ready":
                print("the server did not start")
                return None
            url = f"http://127.0.0.1:{port}"
            figures = asyncio.run(_fanout(args, url, child, Path(work)))
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
            figures = asyncio.run(_fanout(args, url, child, Path(tmp), others, ports))
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
