"""The scaled mode over a real Redis: one switch process, API instances with no switch state.

Events go through Redis Streams with the stream ids as SSE ids, a stream opened on any
instance replays after ``Last-Event-ID`` (or starts with the switch's published snapshot when
the id is too old or unknown), commands run on the switch and come back with their result or
their problem, and two operators on two instances answering the same queued call get exactly
one winner, 200 times out of 200.
"""

from __future__ import annotations

import base64
import concurrent.futures
import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cti_fixtures import ServerThread, http_client, login, read_events
from redis_server import SwitchThread, api_instance, redis_url

from tws_tui.server.stream_redis import position

__all__ = ["redis_url"]


@pytest.fixture
def switch(tmp_path: Path, redis_url: str) -> Iterator[SwitchThread]:
    thread = SwitchThread(tmp_path / "server", redis_url)
    try:
        yield thread
    finally:
        thread.close()


@pytest.fixture
def apis(tmp_path: Path, redis_url: str, switch: SwitchThread) -> Iterator[list[ServerThread]]:
    servers = [api_instance(tmp_path / "server", redis_url) for _ in range(2)]
    servers[0].add_users()
    try:
        yield servers
    finally:
        for server in servers:
            server.close()


def test_events_are_redis_stream_entries_replayed_from_any_instance(
    apis: list[ServerThread], switch: SwitchThread
) -> None:
    one, two = apis
    with http_client(one.url) as http_one, http_client(two.url) as http_two:
        headers = login(http_one)  # attaches alice's position on the switch
        [snapshot] = read_events(http_one, headers, 1)
        assert snapshot["event"] == "snapshot"
        cursor = snapshot["id"]
        assert position(cursor) is not None  # a Redis stream id: <term>-<n>
        assert json.loads(snapshot["data"])["data"]["snapshot"]["cursor"] == cursor
        switch.ring("100")  # published while nobody listens
        switch.ring("100", "+33698765432")
        replayed = read_events(http_two, {**headers, "Last-Event-ID": cursor}, 2)
        assert replayed[0]["event"] == "call.delivered"
        ids = [position(m["id"]) for m in replayed]
        assert all(i is not None and i > position(cursor) for i in ids)  # type: ignore[operator]
        assert ids == sorted(ids)  # type: ignore[type-var]
        # The same replay from the other instance: the same ids, the same frames.
        again = read_events(http_one, {**headers, "Last-Event-ID": cursor}, 2)
        assert again == replayed
        # Resuming after the first replayed event gives the second, not the first again.
        after = read_events(http_one, {**headers, "Last-Event-ID": replayed[0]["id"]}, 1)
        assert after == replayed[1:]
        # An unknown id (the embedded hub's, another Redis's, beyond the cursor): a snapshot.
        for foreign in ("0badcafe-12", "99999999999999-1"):
            [first] = read_events(http_two, {**headers, "Last-Event-ID": foreign}, 1)
            assert first["event"] == "snapshot"
            calls = json.loads(first["data"])["data"]["snapshot"]["calls"]
            assert [c["state"] for c in calls] == ["alerting", "alerting"]


def test_an_id_trimmed_out_of_the_stream_gets_a_snapshot(tmp_path: Path, redis_url: str) -> None:
    switch = SwitchThread(tmp_path / "server", redis_url, ring_size=10)
    api = api_instance(tmp_path / "server", redis_url)
    try:
        api.add_users()
        with http_client(api.url) as http:
            headers = login(http)
            [snapshot] = read_events(http, headers, 1)
            first_call = switch.ring("100")
            [delivered] = read_events(http, {**headers, "Last-Event-ID": snapshot["id"]}, 1)
            for _ in range(60):  # far more than MAXLEN ~ 10 entries: the oldest trimmed
                switch.call(lambda: switch.pbx.switch.inject_incoming_call("100", "+33600000000"))
            switch.flushed()
            [after] = read_events(http, {**headers, "Last-Event-ID": delivered["id"]}, 1)
            assert after["event"] == "snapshot"
            calls = json.loads(after["data"])["data"]["snapshot"]["calls"]
            assert first_call in {c["call_id"] for c in calls} or len(calls) > 1
    finally:
        api.close()
        switch.close()


def test_live_events_reach_streams_on_two_instances_without_duplicates(
    apis: list[ServerThread], switch: SwitchThread
) -> None:
    one, two = apis
    with http_client(one.url) as http_one, http_client(two.url) as http_two:
        headers = login(http_one)
        pool = concurrent.futures.ThreadPoolExecutor(2)
        try:
            streams = [
                pool.submit(read_events, client, headers, 1 + 4) for client in (http_one, http_two)
            ]
            time.sleep(0.5)  # both streams open and waiting
            rung = switch.ring("100")
            answered = http_two.post(
                f"/v1/calls/{_conn(switch, '100', rung)}/answer", headers=headers
            )
            assert answered.status_code in (200, 204), answered.text
            switch.flushed()
            got = [s.result(10) for s in streams]
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
        assert got[0][0]["event"] == got[1][0]["event"] == "snapshot"
        assert got[0][1:] == got[1][1:]
        ids = [m["id"] for m in got[0][1:]]
        assert len(set(ids)) == len(ids)


def test_a_file_sent_through_one_instance_is_fetched_from_the_other(
    apis: list[ServerThread], switch: SwitchThread
) -> None:
    one, two = apis
    bob = one.call(lambda: one.state.accounts.get("bob"))
    assert bob is not None
    with http_client(one.url) as http_one, http_client(two.url) as http_two:
        alice = login(http_one)
        body = {"to": bob.user_id, "name": "plan.pdf", "data": base64.b64encode(b"%PDF").decode()}
        sent = http_one.post("/v1/chat/files", json=body, headers=alice)
        assert sent.status_code == 201, sent.text
        file_id = sent.json()["attachment"]["id"]
        got = http_two.get(f"/v1/chat/files/{file_id}", headers=login(http_two, "bob"))
        assert got.status_code == 200 and got.content == b"%PDF"
        assert got.headers["content-type"] == "application/pdf"
        assert got.headers["content-disposition"] == "attachment; filename*=UTF-8''plan.pdf"
        assert got.headers["x-content-type-options"] == "nosniff"
        refused = http_two.get(f"/v1/chat/files/{file_id}", headers=login(http_two, "sam"))
        assert refused.status_code == 403


def _conn(switch: SwitchThread, extension: str, call: str) -> str:
    return switch.call(lambda: list(switch.pbx.switch.calls_at(extension)))[-1]


def test_commands_run_on_the_switch_and_answer_with_their_result_or_problem(
    apis: list[ServerThread], switch: SwitchThread
) -> None:
    one, two = apis
    with http_client(one.url) as http_one, http_client(two.url) as http_two:
        alice = login(http_one)
        bob = login(http_two, "bob")
        me = http_two.get("/v1/me", headers=alice)
        assert me.status_code == 200, me.text
        assert me.json()["extension"] == "100"
        made = http_one.post("/v1/calls", json={"destination": "180"}, headers=alice)
        assert made.status_code == 201, made.text
        call_id = made.json()["call_id"]
        theirs = http_two.put(f"/v1/calls/{call_id}/hold", headers=bob)
        assert theirs.status_code == 403
        assert theirs.headers["content-type"].startswith("application/problem+json")
        assert theirs.json()["code"] == "forbidden"
        gone = http_one.get("/v1/calls/nope-1", headers=alice)
        assert gone.status_code == 404 and gone.json()["code"] == "not_found"
        bad = http_one.post("/v1/calls", json={"destination": 5}, headers=alice)
        assert bad.status_code == 400  # checked on the API instance, never sent


def test_two_operators_on_two_instances_answering_one_queued_call_one_winner(
    apis: list[ServerThread], switch: SwitchThread
) -> None:
    one, two = apis
    with http_client(one.url) as http_one, http_client(two.url) as http_two:
        alice = login(http_one)
        bob = login(http_two, "bob")
        pool = concurrent.futures.ThreadPoolExecutor(2)
        try:
            for _ in range(200):
                call = switch.queue_call()

                def answer(http: httpx.Client, headers: dict[str, str], call: str = call) -> int:
                    response = http.post(f"/v1/queues/accueil/calls/{call}/answer", headers=headers)
                    if response.status_code == 409:
                        assert response.json()["code"] == "already_taken"
                    return response.status_code

                results = sorted(
                    f.result(10)
                    for f in [
                        pool.submit(answer, http_one, alice),
                        pool.submit(answer, http_two, bob),
                    ]
                )
                assert results == [201, 409], results
                switch.call(lambda: _hang_up_all(switch, ("100", "180")))
        finally:
            pool.shutdown()


def _hang_up_all(switch: SwitchThread, extensions: tuple[str, ...]) -> None:
    for extension in extensions:
        for conn in list(switch.pbx.switch.calls_at(extension)):
            switch.pbx.switch.clear_connection(conn)


def test_a_role_without_a_reachable_redis_is_refused_in_a_sentence(tmp_path: Path) -> None:
    from redis_server import free_port

    from tws_tui.server import run

    with pytest.raises(run.ServeError, match="give --redis URL"):
        run.serve(data_dir=tmp_path, role="api")
    with pytest.raises(run.ServeError, match="must be all, api or switch"):
        run.serve(data_dir=tmp_path, role="both", redis_url="redis://127.0.0.1:1/0")
    nobody = f"redis://127.0.0.1:{free_port()}/0"
    with pytest.raises(run.ServeError, match=f"cannot reach Redis at {nobody}"):
        run.serve(data_dir=tmp_path, role="switch", redis_url=nobody)
