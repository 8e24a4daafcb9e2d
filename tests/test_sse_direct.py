"""Live SSE frames written straight from the publish loop (``server/sse_direct.py``) on the real
server under uvicorn (httptools): the seam to uvicorn's connection is still there (this file
fails if uvicorn stops handing it over), a reader that stops reading falls back to the stream's
queue without holding up the others and then gets every event in order, and a client that goes
away in the middle of a burst frees its stream."""

from __future__ import annotations

import asyncio
import re
import socket
import struct
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cti_fixtures import ServerThread, http_client, login

from tws_tui.core.model import PresenceState
from tws_tui.server.hub import EventHub, Subscriber
from tws_tui.server.sse_direct import DirectWriter, Outbox

FRAME = re.compile(rb"id: ([^\n]+)\nevent: ([^\n]+)\n")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerThread]:
    server = ServerThread(tmp_path / "server", heartbeat_s=30)
    server.start()
    server.add_users()
    try:
        yield server
    finally:
        server.close()


def _colleague(server: ServerThread) -> str:
    return server.call(
        lambda: next(
            ep.device_id
            for ep in server.state.pbx.switch.endpoints.values()
            if ep.internal and not ep.operator
        )
    )


def _changes(server: ServerThread, colleague: str, count: int) -> None:
    """``count`` presence changes of a colleague alice monitors, in one go on the loop."""

    def run() -> None:
        switch = server.state.pbx.switch
        for n in range(count):
            state = PresenceState.AWAY if n % 2 == 0 else PresenceState.AVAILABLE
            switch.set_presence(colleague, state, None)

    server.call(run)


class RawStream:
    """``GET /v1/events`` on a bare socket: reads only when told to (a stuck client)."""

    def __init__(self, port: int, token: str, rcvbuf: int | None = None) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf is not None:  # before connect: the window the server sees stays small
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.connect(("127.0.0.1", port))
        self.sock.sendall(
            f"GET /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {token}\r\n\r\n".encode()
        )
        self.data = b""
        self._ids: list[tuple[str, str]] = []
        self._scanned = 0  # self.data is parsed up to there (a frame's end)

    def ids(self) -> list[tuple[str, str]]:
        end = self.data.rfind(b"\n\n") + 2
        if end > self._scanned:
            found = FRAME.findall(self.data, self._scanned, end)
            self._ids += [(i.decode(), e.decode()) for i, e in found]
            self._scanned = end
        return self._ids

    def read_until(self, count: int, within: float = 10.0) -> list[tuple[str, str]]:
        """Read until ``count`` frames with an id have come (snapshot included)."""
        deadline = time.monotonic() + within
        self.sock.settimeout(0.5)
        while len(self.ids()) < count:
            assert time.monotonic() < deadline, f"{len(self.ids())} of {count} frames"
            try:
                chunk = self.sock.recv(1 << 16)
            except TimeoutError:
                continue
            assert chunk, "the server closed the stream"
            self.data += chunk
        return self.ids()

    def close(self) -> None:
        self.sock.close()


def _subscribers(server: ServerThread, user: str = "alice") -> list[Subscriber]:
    hub = server.state.hub
    assert isinstance(hub, EventHub)
    return server.call(lambda: list(hub._channel(user).subscribers))


def _in_order(ids: list[tuple[str, str]]) -> list[int]:
    seqs = [int(i.rsplit("-", 1)[1]) for i, _ in ids]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs))), seqs
    return seqs


def test_frames_are_written_directly_under_uvicorn_httptools(server: ServerThread) -> None:
    colleague = _colleague(server)
    with http_client(server.url) as http:
        token = login(http)["Authorization"]
    stream = RawStream(server.port, token)
    try:
        stream.read_until(1)  # the snapshot
        (subscriber,) = _subscribers(server)
        # The seam: uvicorn's httptools connection handed over, else frames go the slow way.
        writer = subscriber.direct
        assert isinstance(writer, DirectWriter), "uvicorn no longer exposes its connection"
        _changes(server, colleague, 20)  # in one turn of the loop: one write
        ids = stream.read_until(21)
        assert [e for _, e in ids[1:]] == ["device.updated"] * 20
        assert server.call(lambda: writer.writes) == 1
        for n in range(3):  # a turn each: a write each, none through the task
            _changes(server, colleague, 2)
            stream.read_until(23 + 2 * n)
        _in_order(stream.ids())
        assert server.call(lambda: writer.writes) == 4
        assert not stream.data.endswith(b"0\r\n\r\n")  # the stream is still open
    finally:
        stream.close()


def test_a_stuck_reader_queues_without_holding_the_others_then_gets_everything(
    server: ServerThread,
) -> None:
    colleague = _colleague(server)
    with http_client(server.url) as http:
        token = login(http)["Authorization"]
    stuck = RawStream(server.port, token, rcvbuf=4096)
    stuck.read_until(1)
    (stuck_sub,) = _subscribers(server)
    reader = RawStream(server.port, token)
    try:
        writer = stuck_sub.direct
        assert isinstance(writer, DirectWriter)
        # The server's kernel buffer kept small too, so that a few bursts fill it.
        sock = writer._transport.get_extra_info("socket")
        server.call(lambda: sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096))
        reader.read_until(1)
        each, bursts, queued = 100, 0, []
        # Until the stuck stream's connection stops taking bytes (the kernel's buffers and
        # then the transport's are full) and its frames wait in its queue; the other reader
        # keeps up, burst after burst.
        while not queued:
            assert bursts < 100, "the stuck stream never stopped taking bytes"
            _changes(server, colleague, each)
            bursts += 1
            reader.read_until(1 + bursts * each, within=5)
            queued = [s for s in _subscribers(server) if server.call(lambda s=s: len(s.frames))]
        assert queued == [stuck_sub]
        _changes(server, colleague, each)  # more while it is stuck: queued behind the others
        bursts += 1
        reader.read_until(1 + bursts * each, within=5)
        assert server.call(lambda: len(stuck_sub.frames)) >= each
        total = 1 + bursts * each
        ids = stuck.read_until(total, within=20)
        assert len(ids) == total
        _in_order(ids)
        assert _in_order(reader.ids()) == _in_order(ids)
        # Once read, the stuck stream is written directly again.
        before = server.call(lambda: writer.writes)
        _changes(server, colleague, 2)
        assert len(stuck.read_until(total + 2)) == total + 2
        assert server.call(lambda: (len(stuck_sub.frames), writer.writes)) == (0, before + 1)
    finally:
        stuck.close()
        reader.close()


def test_a_client_gone_in_the_middle_of_a_burst_frees_its_stream(server: ServerThread) -> None:
    colleague = _colleague(server)
    with http_client(server.url) as http:
        token = login(http)["Authorization"]
    streams = [RawStream(server.port, token) for _ in range(3)]
    try:
        for stream in streams:
            stream.read_until(1)
        assert len(_subscribers(server)) == 3
        _changes(server, colleague, 100)
        streams[0].sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        streams[0].close()  # a reset, unread frames in its buffer
        _changes(server, colleague, 100)
        deadline = time.monotonic() + 5
        while len(_subscribers(server)) != 2:
            assert time.monotonic() < deadline, "the closed stream was not freed"
            time.sleep(0.05)
        for stream in streams[1:]:
            _in_order(stream.read_until(201))
    finally:
        for stream in streams[1:]:
            stream.close()


def test_frames_go_direct_only_while_the_writer_waits_with_nothing_queued() -> None:
    class Writer:  # stands for DirectWriter: takes whole frames unless it would block
        def __init__(self) -> None:
            self.outbox = Outbox(asyncio.get_running_loop())
            self.takes = True
            self.written: list[bytes] = []

        def write(self, body: bytes) -> bool:
            if self.takes:
                self.written.append(body)
            return self.takes

    async def turn() -> None:  # the outbox writes at the end of the loop's turn
        await asyncio.sleep(0)
        await asyncio.sleep(0)

    async def run() -> None:
        writer = Writer()
        subscriber = Subscriber(queue_max=10)
        subscriber.direct = writer  # type: ignore[assignment]
        subscriber.push(b"1")  # the writer is not waiting (writing, or not started): queued
        await turn()
        assert (writer.written, list(subscriber.frames)) == ([], [b"1"])
        await subscriber.wait()  # returns at once: a frame is waiting
        assert subscriber.take() == [b"1"]
        waiting = asyncio.ensure_future(subscriber.wait())
        await asyncio.sleep(0)  # parked with nothing queued
        subscriber.push(b"2")
        subscriber.push(b"3")
        await turn()  # the turn's frames in one write, the writer not woken
        assert (writer.written, list(subscriber.frames), waiting.done()) == ([b"23"], [], False)
        writer.takes = False  # the connection would block: the writer is woken with them
        subscriber.push(b"4")
        await turn()
        assert waiting.done()
        writer.takes = True
        subscriber.push(b"5")  # behind 4, whatever the connection says now
        await turn()
        assert (writer.written, subscriber.take()) == ([b"23"], [b"4", b"5"])

    asyncio.run(run())
