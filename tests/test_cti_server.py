"""The reference CTI server over raw HTTP (real uvicorn on loopback): what any client meets.

Bad input of every kind on every endpoint is a problem+json 4xx, never a 500; one idempotency
key gives one effect; operators are fenced off each other's calls; the event stream replays
after ``Last-Event-ID`` and starts with a snapshot otherwise; accounts, sessions, history with
comments, DND, chat and contacts survive a restart; the admin command creates accounts.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cti_fixtures import PASSWORD, ServerThread, cti_server, http_client, login, read_events

from tws_tui import cli
from tws_tui.server.app import OPERATIONS
from tws_tui.wire.problems import PROBLEM_CONTENT_TYPE

__all__ = ["cti_server"]


@pytest.fixture
def http(cti_server: ServerThread) -> Iterator[httpx.Client]:
    with http_client(cti_server.url) as client:
        yield client


def assert_problem(response: httpx.Response, status: int | None = None) -> dict[str, object]:
    assert response.headers["content-type"].startswith(PROBLEM_CONTENT_TYPE), response.text
    body = response.json()
    assert 400 <= response.status_code < 500, (response.status_code, body)
    assert body["status"] == response.status_code and isinstance(body["code"], str)
    assert str(body["type"]).endswith(str(body["code"]))
    if status is not None:
        assert response.status_code == status, body
    return body


def test_sign_in_errors_are_problems(http: httpx.Client) -> None:
    wrong = http.post(
        "/v1/auth/token", json={"grant_type": "password", "username": "alice", "password": "x"}
    )
    assert assert_problem(wrong, 401)["code"] == "unauthenticated"
    unknown = http.post(
        "/v1/auth/token", json={"grant_type": "password", "username": "nobody", "password": "x"}
    )
    assert unknown.json()["detail"] == wrong.json()["detail"]  # does not tell who exists
    for headers in ({}, {"Authorization": "Bearer twsat.forged.sig"}, {"Authorization": "Basic x"}):
        response = http.get("/v1/snapshot", headers=headers)
        assert_problem(response, 401)
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert_problem(http.get("/v1/events"), 401)


BAD_BODIES: list[tuple[bytes, dict[str, str]]] = [
    (b"{not json", {"Content-Type": "application/json"}),
    (b"[1, 2]", {"Content-Type": "application/json"}),
    (b'{"destination": 12, "unknown_member": true, "state": "flying"}', {}),
    (b'"just a string"', {}),
    (b"x" * (70 * 1024), {"Content-Type": "application/json"}),
    (b"<xml/>", {"Content-Type": "application/xml"}),
    (b"[" * 5000 + b"]" * 5000, {"Content-Type": "application/json"}),
]
BAD_IDS = ["no-such-id", "..", "a" * 300, "%00", "caf%C3%A9%20x", "-x"]


def _path(path: str, value: str) -> str:
    out = path
    while "{" in out:
        start = out.index("{")
        out = out[:start] + value + out[out.index("}") + 1 :]
    return out


def test_bad_input_on_every_endpoint_is_a_4xx_problem_never_a_500(
    http: httpx.Client,
) -> None:
    headers = login(http)
    checked = 0
    for op in OPERATIONS:
        if op.stream:
            continue
        ids = BAD_IDS if "{" in op.path else ["-"]
        for bad_id in ids:
            path = _path(op.path, bad_id)
            if op.method in ("POST", "PUT"):
                for body, extra in BAD_BODIES:
                    response = http.request(
                        op.method, path, content=body, headers={**headers, **extra}
                    )
                    assert_problem(response)
                    checked += 1
            if op.body is None and "{" not in op.path:
                continue  # without a body this is a valid request (and may sign us out)
            assert_problem(http.request(op.method, path, headers=headers))
            checked += 1
    assert checked > 300
    assert_problem(http.get("/v1/nowhere", headers=headers), 404)
    assert_problem(http.patch("/v1/calls", headers=headers), 405)
    bad_query = http.get("/v1/history", params={"limit": "-3"}, headers=headers)
    assert assert_problem(bad_query, 400)["code"] == "invalid_request"
    unknown = http.post("/v1/calls", json={"destination": "101", "colour": "red"}, headers=headers)
    body = assert_problem(unknown, 400)
    assert body["errors"] == [{"pointer": "/colour", "detail": "unknown member"}]
    large = http.post("/v1/calls", content=b" " * (65 * 1024), headers=headers)
    assert assert_problem(large, 413)["code"] == "payload_too_large"


def test_one_idempotency_key_gives_one_effect_and_the_same_answer(
    cti_server: ServerThread, http: httpx.Client
) -> None:
    headers = {**login(http), "Idempotency-Key": "7d5a3c9e-0001"}
    before = len(cti_server.connections_at("100"))
    first = http.post("/v1/calls", json={"destination": "+33140000000"}, headers=headers)
    again = http.post("/v1/calls", json={"destination": "+33140000000"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"
    assert len(cti_server.connections_at("100")) == before + 1  # one call, not two
    other = http.post("/v1/calls", json={"destination": "+33150000000"}, headers=headers)
    assert assert_problem(other, 422)["code"] == "idempotency_mismatch"
    call_id = first.json()["call_id"]
    refused = {**headers, "Idempotency-Key": "7d5a3c9e-0002"}
    bad = http.post(f"/v1/calls/{call_id}/dtmf", json={"digits": "12x"}, headers=refused)
    replay = http.post(f"/v1/calls/{call_id}/dtmf", json={"digits": "12x"}, headers=refused)
    assert bad.status_code == replay.status_code == 400 and bad.content == replay.content


def test_an_operator_cannot_touch_another_operators_call_or_features(
    cti_server: ServerThread, http: httpx.Client
) -> None:
    alice, bob, sam = login(http, "alice"), login(http, "bob"), login(http, "sam")
    queued = cti_server.queue_call()
    taken = http.post(f"/v1/queues/accueil/calls/{queued}/answer", headers=alice)
    assert taken.status_code == 201
    call_id = taken.json()["call_id"]
    again = http.post(f"/v1/queues/accueil/calls/{queued}/answer", headers=bob)
    assert assert_problem(again, 409)["code"] == "already_taken"
    for method, suffix in (("DELETE", ""), ("PUT", "/hold"), ("GET", ""), ("PUT", "/mute")):
        response = http.request(method, f"/v1/calls/{call_id}{suffix}", headers=bob)
        assert assert_problem(response, 403)["code"] == "forbidden"
    assert assert_problem(http.delete("/v1/calls/c999999", headers=bob), 404)["code"] == "not_found"
    dnd = http.put("/v1/users/u100/dnd", json={"enabled": True}, headers=bob)
    assert assert_problem(dnd, 403)["code"] == "forbidden"
    assert http.put("/v1/users/u100/dnd", json={"enabled": True}, headers=sam).status_code == 204
    bob_calls = http.get("/v1/calls", headers=bob).json()["items"]
    assert bob_calls == []  # bob's console never shows alice's call


def test_stream_replays_after_last_event_id_else_starts_with_a_snapshot(
    cti_server: ServerThread, http: httpx.Client
) -> None:
    headers = login(http)
    [snapshot] = read_events(http, headers, 1)
    assert snapshot["event"] == "snapshot"
    cursor = snapshot["id"]
    assert json.loads(snapshot["data"])["data"]["snapshot"]["cursor"] == cursor
    cti_server.ring("100")  # events published while nobody listens
    replayed = read_events(http, {**headers, "Last-Event-ID": cursor}, 1)
    assert replayed[0]["event"] == "call.delivered"
    epoch, seq = cursor.rsplit("-", 1)
    assert replayed[0]["id"] == f"{epoch}-{int(seq) + 1}"
    foreign = read_events(http, {**headers, "Last-Event-ID": "0badcafe-12"}, 1)
    assert foreign[0]["event"] == "snapshot"
    calls = json.loads(foreign[0]["data"])["data"]["snapshot"]["calls"]
    assert [c["state"] for c in calls] == ["alerting"]


def _subscribers_after(server: ServerThread, seconds: float = 5.0) -> int:
    """The hub's live streams once they settle (a closed connection is seen asynchronously);
    in the scaled mode, those of every API instance."""
    states = getattr(server, "api_states", None) or [server.state]

    def subscribers() -> int:
        return sum(state.hub.subscriber_count() for state in states)

    deadline = time.monotonic() + seconds
    while (count := server.call(subscribers)) and time.monotonic() < deadline:
        time.sleep(0.02)
    return count


def test_a_stream_is_released_when_its_client_leaves_and_head_opens_none(
    cti_server: ServerThread, http: httpx.Client
) -> None:
    headers = login(http)
    head = http.head("/v1/events", headers=headers)
    assert head.status_code == 200, head.text
    assert head.headers["content-type"].startswith("text/event-stream")
    assert head.headers["cache-control"] == "no-cache"
    assert head.headers["x-request-id"].startswith("r-")
    assert _subscribers_after(cti_server) == 0  # the connection stays open: no stream kept
    with http_client(cti_server.url) as other:
        [snapshot] = read_events(other, headers, 1)  # then closes the stream mid-way
        assert snapshot["event"] == "snapshot"
        assert _subscribers_after(cti_server) == 0
        cti_server.ring("100")  # publishing to nobody is no error
        replayed = read_events(other, {**headers, "Last-Event-ID": snapshot["id"]}, 1)
        assert replayed[0]["event"] == "call.delivered"
    assert _subscribers_after(cti_server) == 0


def test_what_must_survive_a_restart_does(tmp_path: Path, server_database: str) -> None:
    data = tmp_path / "server"
    first = ServerThread(data, database=server_database)
    first.start()
    first.add_users()
    with http_client(first.url) as http:
        token = http.post(
            "/v1/auth/token",
            json={"grant_type": "password", "username": "alice", "password": PASSWORD},
        ).json()
        alice = {"Authorization": f"Bearer {token['access_token']}"}
        bob = login(http, "bob")
        rung = first.ring("100")
        first.call(lambda: first.pbx.switch.caller_hangs_up(rung))
        [missed] = http.get("/v1/history", headers=alice).json()["items"]
        assert missed["outcome"] == "missed"
        put = http.put(
            f"/v1/history/{missed['id']}/comment", json={"text": "rappeler"}, headers=alice
        )
        assert put.status_code == 204
        assert (
            http.put("/v1/users/me/dnd", json={"enabled": True}, headers=alice).status_code == 204
        )
        sent = http.post("/v1/chat/messages", json={"to": "u100", "text": "salut"}, headers=bob)
        assert sent.status_code == 201
        contact = http.post(
            "/v1/directory/contacts",
            json={"name": "Plombier Durand", "numbers": [["Fixe", "+33478000000"]]},
            headers=alice,
        )
        assert contact.status_code == 201
    first.close()

    second = ServerThread(data, database=server_database)  # a new process, the same data
    second.start()
    try:
        with http_client(second.url) as http:
            refreshed = http.post(
                "/v1/auth/token",
                json={"grant_type": "refresh_token", "refresh_token": token["refresh_token"]},
            )
            assert refreshed.status_code == 200  # the session survived
            alice = {"Authorization": f"Bearer {refreshed.json()['access_token']}"}
            [entry] = http.get("/v1/history", headers=alice).json()["items"]
            assert entry["id"] == missed["id"] and entry["comment"] == "rappeler"
            assert http.get("/v1/snapshot", headers=alice).json()["missed_calls"] == 1
            assert http.get("/v1/me", headers=alice).json()["dnd"] is True
            chat = http.get("/v1/chat/conversations/u180", headers=alice).json()["items"]
            assert [m["text"] for m in chat] == ["salut"]
            found = http.get(
                "/v1/directory/reverse", params={"number": "04 78 00 00 00"}, headers=alice
            )
            assert found.json()["name"] == "Plombier Durand"
    finally:
        second.close()


def test_calls_after_a_restart_get_new_ids_and_are_all_kept(
    tmp_path: Path, server_database: str
) -> None:
    """Three calls, a restart (a new process: a new switch counting from the start again),
    three more calls: six history rows, six call ids (issue 16: the second three were dropped
    by INSERT OR IGNORE under the first three's ids)."""
    data = tmp_path / "server"
    setup = ServerThread(data, database=server_database)
    setup.start()
    setup.add_users()
    setup.close()
    call_ids: list[str] = []
    history_ids: list[str] = []
    for _run in range(2):  # two starts doing the same: the same ids, but for the fix
        server = ServerThread(data, database=server_database)
        server.start()
        try:
            with http_client(server.url) as http:
                alice = login(http, "alice")
                for _ in range(3):
                    rung = server.ring("100")
                    call_ids.append(rung)
                    hang_up = server.pbx.switch.caller_hangs_up
                    server.call(lambda r=rung, h=hang_up: h(r))
                items = http.get("/v1/history", headers=alice).json()["items"]
                history_ids = [item["id"] for item in items]
        finally:
            server.close()
    assert len(set(call_ids)) == 6
    assert len(history_ids) == 6 and len(set(history_ids)) == 6


def test_admin_command_creates_accounts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "srv")
    monkeypatch.setenv("LANGUAGE", "en")  # the sentences below; French is checked after
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    add = ["serve", "add-user", "zoe", "--extension", "150", "--role", "supervisor"]
    assert cli.main([*add, "--password-stdin", "--data-dir", data]) == 0
    assert "supervisor zoe on extension 150" in capsys.readouterr().out
    assert cli.main(["serve", "list-users", "--data-dir", data]) == 0
    assert capsys.readouterr().out.split("\t")[:3] == ["zoe", "150", "supervisor"]
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert cli.main([*add, "--password-stdin", "--data-dir", data]) == 1
    assert "already exists" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    other = ["serve", "add-user", "yann", "--extension", "151", "--password-stdin"]
    assert cli.main([*other, "--data-dir", data]) == 1
    assert "at least 8 characters" in capsys.readouterr().err
    exposed = ["serve", "--host", "0.0.0.0", "--data-dir", data]
    assert cli.main(exposed) == 1
    assert "refusing plain HTTP" in capsys.readouterr().err
    empty = ["serve", "--data-dir", str(tmp_path / "empty")]
    assert cli.main(empty) == 1
    assert "add-user" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert cli.main(["--lang", "fr", *add, "--password-stdin", "--data-dir", data]) == 1
    assert "l'utilisateur 'zoe' existe déjà" in capsys.readouterr().err


def test_a_call_forwarded_to_voicemail_leaves_a_message(
    cti_server: ServerThread, http: httpx.Client
) -> None:
    alice = login(http)
    assert http.get("/v1/snapshot", headers=alice).json()["voicemail_number"] == "3990"
    forward = {"enabled": True, "destination": "3990"}
    put = http.put("/v1/users/me/forwards/unconditional", json=forward, headers=alice)
    assert put.status_code == 204
    assert http.get("/v1/me/voicemail", headers=alice).json()["new"] == 0
    cti_server.ring("100", "+33687654321")
    cti_server.call(lambda: cti_server.clock.advance(2.0))  # the voicemail answers after 1 s
    box = http.get("/v1/me/voicemail", headers=alice).json()
    assert box["new"] == 1 and box["items"][0]["caller"]["number"] == "+33687654321"
