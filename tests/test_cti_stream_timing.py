"""The SSE stream's timing on the real server: a ``: ping`` after each ``heartbeat_s`` of
silence and none while events flow, and the ``session.expired`` event at the access token's
expiry — kept by the stream's one timer a heartbeat (``server/events.py``), which replaced a
timeout re-armed for every frame."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cti_fixtures import ServerThread, http_client, login

from tws_tui.core.model import PresenceState

HEARTBEAT_S = 0.3


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerThread]:
    server = ServerThread(tmp_path / "server", heartbeat_s=HEARTBEAT_S, access_ttl_s=2.5)
    server.start()
    server.add_users()
    try:
        yield server
    finally:
        server.close()


def test_pings_only_in_silence_then_the_session_expires(server: ServerThread) -> None:
    colleague = server.call(
        lambda: next(
            ep.device_id
            for ep in server.state.pbx.switch.endpoints.values()
            if ep.internal and not ep.operator
        )
    )

    def flow() -> None:  # a change every 0.1 s from 1.0 s to 1.9 s after the stream opened
        time.sleep(1.0)
        for n in range(10):
            state = PresenceState.AWAY if n % 2 else PresenceState.AVAILABLE
            server.call(lambda s=state: server.state.pbx.switch.set_presence(colleague, s, None))
            time.sleep(0.1)

    with http_client(server.url) as http:
        headers = login(http)
        pings: list[float] = []  # seconds since the stream opened
        events: list[float] = []
        with http.stream("GET", "/v1/events", headers=headers, timeout=10) as stream:
            started = time.monotonic()
            changes = threading.Thread(target=flow)
            changes.start()
            for line in stream.iter_lines():
                now = time.monotonic() - started
                if line == ": ping":
                    pings.append(now)
                elif line.startswith("event: device.updated"):
                    events.append(now)
                elif line == "event: session.expired":
                    break
            changes.join()
        ended = time.monotonic() - started
    assert 2.3 <= ended <= 3.2, ended  # at the token's expiry (2.5 s), not a heartbeat later
    assert len(events) >= 5
    silent_before = [p for p in pings if p < 1.0]
    assert 2 <= len(silent_before) <= 4, pings  # every 0.3 s of silence
    assert all(b - a >= HEARTBEAT_S * 0.9 for a, b in itertools.pairwise(pings))
    flowing = [p for p in pings if events[0] + HEARTBEAT_S < p < events[-1]]
    assert flowing == [], (pings, events)  # no ping while events flow
