"""The switch of the scaled mode fails over: two ``--role switch`` processes, one active.

A real Redis, an API instance, two switch processes started as ``tws-tui serve --role switch``:
the first holds the switch lock, the second stands by. ``kill -9`` of the leader mid-call: the
standby takes over within 5 s, every user's stream gets a ``snapshot`` of the new switch's
state (the calls are resynchronised), commands work again, and ids go on increasing with no
duplicate.
"""

from __future__ import annotations

import json
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cti_fixtures import ServerThread, http_client, login
from redis_server import api_instance, leader_of, redis_url, switch_subprocess

from tws_tui.server.stream_redis import position

__all__ = ["redis_url"]


class StreamRecorder:
    """Every SSE message of one stream, read on a thread until :meth:`stop`."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        self.messages: list[dict[str, str]] = []
        self.times: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, args=(url, headers), daemon=True)
        self._thread.start()

    def _read(self, url: str, headers: dict[str, str]) -> None:
        with (
            http_client(url) as client,
            client.stream("GET", "/v1/events", headers=headers, timeout=30) as response,
        ):
            current: dict[str, str] = {}
            for line in response.iter_lines():
                if self._stop.is_set():
                    return
                if not line:
                    if "data" in current:
                        self.messages.append(current)
                        self.times.append(time.monotonic())
                    current = {}
                elif not line.startswith(":"):
                    name, _, value = line.partition(": ")
                    current[name] = value

    def wait_for(self, test: object, timeout: float = 10) -> dict[str, str]:
        deadline = time.monotonic() + timeout
        seen = 0
        while time.monotonic() < deadline:
            for message in self.messages[seen:]:
                if test(message):  # type: ignore[operator]
                    return message
            seen = len(self.messages)
            time.sleep(0.02)
        raise AssertionError(f"not seen within {timeout} s: {[m['event'] for m in self.messages]}")

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


@pytest.fixture
def scaled(
    tmp_path: Path, redis_url: str
) -> Iterator[tuple[ServerThread, list[subprocess.Popen[bytes]]]]:
    data = tmp_path / "server"
    api = api_instance(data, redis_url)
    api.add_users()
    switches: list[subprocess.Popen[bytes]] = []
    try:
        yield api, switches
    finally:
        for process in switches:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        api.close()


def _wait_leader(url: str, process: subprocess.Popen[bytes], timeout: float = 20) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        leader = leader_of(url)
        if leader is not None and leader.startswith(f"switch-{process.pid}-"):
            return time.monotonic()
        assert process.poll() is None, "the switch process ended"
        time.sleep(0.05)
    raise AssertionError(f"switch {process.pid} did not lead within {timeout} s")


def test_the_standby_takes_over_within_5_s_of_a_kill_9_and_resynchronises_the_calls(
    scaled: tuple[ServerThread, list[subprocess.Popen[bytes]]], redis_url: str, tmp_path: Path
) -> None:
    api, switches = scaled
    data = tmp_path / "server"
    first = switch_subprocess(data, redis_url, tmp_path / "switch-1.log")
    switches.append(first)
    _wait_leader(redis_url, first)
    second = switch_subprocess(data, redis_url, tmp_path / "switch-2.log")
    switches.append(second)
    time.sleep(1.5)  # the second has started and stands by
    assert second.poll() is None
    assert leader_of(redis_url) is not None and leader_of(redis_url).startswith(  # type: ignore[union-attr]
        f"switch-{first.pid}-"
    )

    with http_client(api.url) as http:
        alice = login(http)
        stream = StreamRecorder(api.url, alice)
        try:
            first_snapshot = stream.wait_for(lambda m: m["event"] == "snapshot")
            made = http.post("/v1/calls", json={"destination": "180"}, headers=alice)
            assert made.status_code == 201, made.text
            call_id = made.json()["call_id"]
            stream.wait_for(lambda m: m["event"].startswith("call.") and call_id in m["data"])
            old_term = position(first_snapshot["id"])[0]  # type: ignore[index]

            first.send_signal(signal.SIGKILL)  # mid-call
            killed = time.monotonic()
            first.wait(5)
            resync = stream.wait_for(
                lambda m: m["event"] == "snapshot" and position(m["id"])[0] > old_term,  # type: ignore[index]
                timeout=10,
            )
            took = stream.times[stream.messages.index(resync)] - killed
            assert took < 5, f"the standby took {took:.1f} s"
            assert leader_of(redis_url).startswith(f"switch-{second.pid}-")  # type: ignore[union-attr]
            # The calls shown are the new switch's (the killed simulator's call is gone) and
            # agree with what the new switch answers.
            snapshot = json.loads(resync["data"])["data"]["snapshot"]
            assert snapshot["cursor"] == resync["id"]
            listed = http.get("/v1/calls", headers=alice)
            assert listed.status_code == 200, listed.text
            assert [c["call_id"] for c in snapshot["calls"]] == [
                c["call_id"] for c in listed.json()["items"]
            ]
            assert call_id not in {c["call_id"] for c in snapshot["calls"]}
            # Commands work again, their events follow the snapshot.
            again = http.post("/v1/calls", json={"destination": "180"}, headers=alice)
            assert again.status_code == 201, again.text
            new_call = again.json()["call_id"]
            stream.wait_for(lambda m: m["event"].startswith("call.") and new_call in m["data"])
        finally:
            stream.stop()
    ids = [position(m["id"]) for m in stream.messages if "id" in m]
    assert all(i is not None for i in ids)
    assert ids == sorted(ids) and len(set(ids)) == len(ids)  # type: ignore[type-var]


def test_a_leader_that_loses_its_lock_steps_down_and_says_so(
    scaled: tuple[ServerThread, list[subprocess.Popen[bytes]]], redis_url: str, tmp_path: Path
) -> None:
    import redis

    _api, switches = scaled
    log = tmp_path / "switch.log"
    leader = switch_subprocess(tmp_path / "server", redis_url, log)
    switches.append(leader)
    _wait_leader(redis_url, leader)
    client = redis.Redis.from_url(redis_url)
    try:
        client.set("tws:leader", "switch-someone-else", px=60_000)  # as if it had expired
    finally:
        client.close()
    assert leader.wait(10) == 1  # a renewal (1 s), then its stop (its reader: 1 s at most)
    assert "this switch stopped: it lost the switch lock" in log.read_text()


def test_sigterm_ends_a_leader_and_a_standby_cleanly(
    scaled: tuple[ServerThread, list[subprocess.Popen[bytes]]], redis_url: str, tmp_path: Path
) -> None:
    _api, switches = scaled
    leader = switch_subprocess(tmp_path / "server", redis_url, tmp_path / "leader.log")
    switches.append(leader)
    _wait_leader(redis_url, leader)
    standby = switch_subprocess(tmp_path / "server", redis_url, tmp_path / "standby.log")
    switches.append(standby)
    log = tmp_path / "state" / "log" / "tws-tui.log"  # isolated_dirs' TWS_TUI_STATE_DIR
    deadline = time.monotonic() + 20
    while f"switch-{standby.pid}-" not in (log.read_text() if log.exists() else ""):
        assert time.monotonic() < deadline, "the standby did not say it stands by"
        time.sleep(0.05)
    standby.terminate()
    assert standby.wait(5) == 0
    leader.terminate()
    assert leader.wait(5) == 0  # its next turn (1 s), then its stop
    assert leader_of(redis_url) is None  # it gave the lock back
