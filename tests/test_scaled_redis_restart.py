"""Redis restarted without persistence under a running scaled server: the clients recover.

The scaled mode's Redis may run with no RDB and no AOF (``tools/serve_scaled.sh`` does): a
restart empties it — every user's stream and snapshot, the switch's term, the command stream
and its consumer group. A switch and three API instances (:class:`scaled_fixtures.ScaledServer`)
run on, and a client coming back with a ``Last-Event-ID`` the new Redis never held gets a
``snapshot`` (showing the call that rang before), never a 500; commands work again; new events
follow the snapshot; a console (``CtiBackend``) connected through the restart resynchronises.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cti_fixtures import first_events, http_client, log_trap, login, make_backend
from redis_server import start_redis
from scaled_fixtures import ScaledServer

from tws_tui.core.events import CallEvent, CallEventKind, SnapshotEvent

__all__ = ["log_trap"]


@pytest.fixture
def redis_process(tmp_path: Path) -> Iterator[list[Any]]:
    """This test's own Redis (the session's is shared): [process, url], restartable."""
    process, url = start_redis(tmp_path / "redis")
    running = [process, url]
    try:
        yield running
    finally:
        running[0].terminate()
        running[0].wait(5)


@pytest.fixture
def scaled(tmp_path: Path, pg_cluster: Any, redis_process: list[Any]) -> Iterator[ScaledServer]:
    server = ScaledServer(
        tmp_path / "server", pg_cluster.new_database(), redis_process[1], heartbeat_s=1.0
    )
    server.start()
    server.add_users()
    try:
        yield server
    finally:
        server.close()


def _restart(redis_process: list[Any], tmp_path: Path) -> None:
    """Stop redis-server and start an empty one on the same port."""
    port = int(redis_process[1].rsplit(":", 1)[1].split("/")[0])
    redis_process[0].terminate()
    redis_process[0].wait(5)
    redis_process[0], _ = start_redis(tmp_path / "redis", port)


def _until_ok(what: str, attempt: Any, timeout: float = 15.0) -> Any:
    """Retry ``attempt()`` (None = not yet) as a client would; never a 5xx other than 503/504."""
    deadline = time.monotonic() + timeout
    statuses: list[int] = []
    while time.monotonic() < deadline:
        status, result = attempt()
        statuses.append(status)
        assert status not in (500, 502), f"{what}: {status}"
        if result is not None:
            return result
        time.sleep(0.1)
    raise AssertionError(f"{what}: not within {timeout} s, statuses {sorted(set(statuses))}")


async def test_a_redis_restart_without_persistence_is_recovered_by_every_client(
    tmp_path: Path, scaled: ScaledServer, redis_process: list[Any], log_trap: list[str]
) -> None:
    console = make_backend(scaled.url, "bob")
    await asyncio.wait_for(console.connect(), 10)
    seen: list[Any] = []

    async def pump() -> None:
        async for event in console.events():
            seen.append(event)

    reading = asyncio.create_task(pump())
    with http_client(scaled.url) as http:
        headers = login(http)
        _, [snapshot] = first_events(http, headers, 1)
        scaled.ring("100")
        _, [delivered] = first_events(http, {**headers, "Last-Event-ID": snapshot["id"]}, 1)
        assert delivered["event"] == "call.delivered"
        mark = len(seen)

        await asyncio.to_thread(_restart, redis_process, tmp_path)

        # The id the client holds is unknown to the empty Redis: a snapshot, the call in it.
        def resumed() -> tuple[int, Any]:
            status, got = first_events(http, {**headers, "Last-Event-ID": delivered["id"]}, 1)
            if status != 200 or not got or got[0]["event"] != "snapshot":
                return status, None
            calls = json.loads(got[0]["data"])["data"]["snapshot"]["calls"]
            return status, (got[0], calls) if calls else None

        again, calls = await asyncio.to_thread(_until_ok, "the stream after the restart", resumed)
        assert [c["state"] for c in calls] == ["alerting"]
        connection = calls[0]["call_id"]

        # Commands reach the switch again (through a new command stream).
        def answered() -> tuple[int, Any]:
            response = http.post(f"/v1/calls/{connection}/answer", headers=headers)
            return response.status_code, response if response.status_code < 300 else None

        await asyncio.to_thread(_until_ok, "answering after the restart", answered)
        # New events follow the snapshot's id.
        _, [established] = first_events(http, {**headers, "Last-Event-ID": again["id"]}, 1)
        assert established["event"] == "call.established", established
        assert json.loads(established["data"])["data"]["call"]["call_id"] == connection

    # The console that stayed connected got its state again (the new term's first entry) and
    # the events of a new call after it.
    scaled.ring("180", "+33655555555")

    async def bob_sees_it() -> None:
        while True:
            after = seen[mark:]
            snapshots = [i for i, e in enumerate(after) if isinstance(e, SnapshotEvent)]
            if snapshots and any(
                isinstance(e, CallEvent)
                and e.kind is CallEventKind.DELIVERED
                and e.call.remote.number == "+33655555555"
                for e in after[snapshots[0] :]
            ):
                return
            await asyncio.sleep(0.05)

    await asyncio.wait_for(bob_sees_it(), 15)
    await console.close()
    await asyncio.wait_for(reading, 5)
    assert log_trap == []
