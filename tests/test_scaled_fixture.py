"""The scaled ``cti_server`` (:class:`scaled_fixtures.ScaledServer`) really spreads a client.

One client's requests and its event stream are two connections through the round-robin
balancer: they land on two different API instances, and what a request changes on the switch
reaches the stream opened on the other instance.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cti_fixtures import http_client, login
from scaled_fixtures import ScaledServer


@pytest.fixture
def scaled(tmp_path: Path, pg_cluster: Any, session_redis: str) -> Iterator[ScaledServer]:
    server = ScaledServer(
        tmp_path / "server", pg_cluster.new_database(), session_redis, heartbeat_s=1.0
    )
    server.start()
    server.add_users()
    try:
        yield server
    finally:
        server.close()


def test_a_clients_requests_and_its_stream_land_on_different_instances(
    scaled: ScaledServer,
) -> None:
    with http_client(scaled.url) as requests, http_client(scaled.url) as streams:
        headers = login(requests)  # one connection, kept alive: one instance
        with streams.stream("GET", "/v1/events", headers=headers) as response:
            lines = response.iter_lines()
            assert next(line for line in lines if line.startswith("event:")) == "event: snapshot"

            def spread() -> tuple[list[int], list[int]]:
                return (
                    [len(server.server_state.connections) for server in scaled.servers],
                    [state.hub.subscriber_count() for state in scaled.api_states],
                )

            connections, subscribers = scaled.call(spread)
            assert sorted(connections) == [0, 1, 1]  # two instances, one connection each
            assert sorted(subscribers) == [0, 0, 1]
            stream_at = subscribers.index(1)
            assert connections[stream_at] == 1  # the other connection, the requests', elsewhere
            # A command sent through the requests' instance, its event on the stream's.
            scaled.call(lambda: scaled.pbx.switch.inject_incoming_call("100", "+33612345678"))
            [connection] = requests.get("/v1/calls", headers=headers).json()["items"]
            answered = requests.post(f"/v1/calls/{connection['call_id']}/answer", headers=headers)
            assert answered.status_code < 300, answered.text
            deadline = time.monotonic() + 10
            for line in lines:
                assert time.monotonic() < deadline
                if line == "event: call.established":
                    break
