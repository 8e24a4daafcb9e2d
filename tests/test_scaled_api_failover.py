"""API instances of the scaled mode fail over: clients spread over 3, one killed with -9.

A real Redis, the switch (on a thread, deterministic), three ``tws-tui serve --role api``
processes. Six operators each hold an event stream, two on each instance; calls ring at them
before, during and after ``kill -9`` of one instance (mid-call). The two clients of the killed
instance reconnect to another one with their ``Last-Event-ID`` and are replayed what they
missed: every client received exactly its Redis stream after its first snapshot — no event
missing, none twice, no second snapshot.
"""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cti_fixtures import PASSWORD
from redis_server import SwitchThread, api_subprocess, redis_url

from tws_tui.server.stream_redis import position

__all__ = ["redis_url"]

OPERATORS = (
    ("alice", "100"),
    ("bob", "180"),
    ("carol", "181"),
    ("dave", "182"),
    ("erin", "183"),
    ("fred", "184"),
)


class Client:
    """One operator's event stream, moving to the next instance when its own goes away."""

    def __init__(self, username: str, urls: list[str], first: int) -> None:
        self.username = username
        self.urls = urls
        self.at = first
        self.messages: list[tuple[str, str]] = []  # (id, event)
        self.connections: list[int] = []  # the instance of each connection
        self.stopped = False
        with httpx.Client(base_url=urls[first], timeout=10) as http:
            token = http.post(
                "/v1/auth/token",
                json={"grant_type": "password", "username": username, "password": PASSWORD},
            )
            assert token.status_code == 200, token.text
            self.headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    @property
    def last_id(self) -> str | None:
        return self.messages[-1][0] if self.messages else None

    def _run(self) -> None:
        while not self.stopped:
            headers = dict(self.headers)
            if self.last_id:
                headers["Last-Event-ID"] = self.last_id
            self.connections.append(self.at)
            try:
                with (
                    httpx.Client(base_url=self.urls[self.at], timeout=30) as http,
                    http.stream("GET", "/v1/events", headers=headers) as response,
                ):
                    current: dict[str, str] = {}
                    for line in response.iter_lines():
                        if not line:
                            if "data" in current and "id" in current:
                                self.messages.append((current["id"], current["event"]))
                            current = {}
                        elif not line.startswith(":"):
                            name, _, value = line.partition(": ")
                            current[name] = value
            except httpx.HTTPError:
                pass
            if not self.stopped:  # the instance went away: the next one
                self.at = (self.at + 1) % len(self.urls)
                time.sleep(0.1)


@pytest.fixture
def three_apis(
    tmp_path: Path, redis_url: str
) -> Iterator[tuple[SwitchThread, list[subprocess.Popen[bytes]], list[str]]]:
    data = tmp_path / "server"
    switch = SwitchThread(data, redis_url)
    for username, extension in OPERATORS:
        switch.call(
            lambda u=username, e=extension: switch.process.state.accounts.add(  # type: ignore[union-attr]
                u, PASSWORD, e, "operator"
            )
        )
    processes: list[subprocess.Popen[bytes]] = []
    urls: list[str] = []
    try:
        for n in range(3):
            process, port = api_subprocess(data, redis_url, tmp_path / f"api-{n}.log")
            processes.append(process)
            urls.append(f"http://127.0.0.1:{port}")
        yield switch, processes, urls
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        switch.close()


def _ring_everyone(switch: SwitchThread, caller: str) -> None:
    for _username, extension in OPERATORS:
        switch.call(lambda e=extension: switch.pbx.switch.inject_incoming_call(e, caller))
    switch.flushed()


def _hang_up_everyone(switch: SwitchThread) -> None:
    def clear() -> None:
        for _username, extension in OPERATORS:
            for conn in list(switch.pbx.switch.calls_at(extension)):
                switch.pbx.switch.clear_connection(conn)

    switch.call(clear)
    switch.flushed()


def test_clients_of_a_killed_instance_resume_elsewhere_missing_and_repeating_nothing(
    three_apis: tuple[SwitchThread, list[subprocess.Popen[bytes]], list[str]], redis_url: str
) -> None:
    import redis

    switch, processes, urls = three_apis
    clients = [Client(u, urls, n % 3) for n, (u, _e) in enumerate(OPERATORS)]
    try:
        deadline = time.monotonic() + 10
        while any(not c.messages for c in clients):  # each has its snapshot
            assert time.monotonic() < deadline, "a stream did not start"
            time.sleep(0.05)
        _ring_everyone(switch, "+33611111111")
        _hang_up_everyone(switch)
        _ring_everyone(switch, "+33622222222")  # mid-call: ringing when the instance dies
        time.sleep(0.3)
        processes[0].send_signal(signal.SIGKILL)
        processes[0].wait(5)
        _ring_everyone(switch, "+33633333333")  # while its clients reconnect
        _hang_up_everyone(switch)
        _ring_everyone(switch, "+33644444444")
        _hang_up_everyone(switch)

        store = redis.Redis.from_url(redis_url)
        try:
            expected = {
                c.username: [e[0].decode() for e in store.xrange(f"tws:ev:{c.username}")]
                for c in clients
            }
        finally:
            store.close()
        deadline = time.monotonic() + 15
        while any(c.last_id != expected[c.username][-1] for c in clients):
            assert time.monotonic() < deadline, {
                c.username: (c.last_id, expected[c.username][-1]) for c in clients
            }
            time.sleep(0.05)
    finally:
        for client in clients:
            client.stopped = True

    for client in clients:
        kinds = [kind for _id, kind in client.messages]
        assert kinds[0] == "snapshot" and "snapshot" not in kinds[1:], (client.username, kinds)
        first = position(client.messages[0][0])
        received = [event_id for event_id, _kind in client.messages[1:]]
        in_redis = [i for i in expected[client.username] if position(i) > first]  # type: ignore[operator]
        assert received == in_redis, client.username  # none missing, none twice, in order
        assert len(received) >= 8
    moved = [c for c in clients if len(c.connections) > 1]
    assert {c.username for c in moved} == {"alice", "dave"}  # the killed instance's two
    assert all(c.connections[0] == 0 and c.connections[1] != 0 for c in moved)
