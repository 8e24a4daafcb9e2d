"""Issue 18 against the real server (uvicorn on loopback): what an attacker or a careless client
found, kept fixed.

Account commands run from another connection take effect on a running server at once (old
password refused, removed user's tokens, refresh and streams cut); no input — lone surrogates
in JSON, odd datetimes, Unicode or huge digits in query strings and headers, a bad
Last-Event-ID — gives a 500, a logged traceback or a server broken for the others; a 405 lists
every method of the path.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cti_fixtures import PASSWORD, ServerThread, cti_server, http_client, log_trap, login

from tws_tui.server import run
from tws_tui.server.accounts import cost_of, hash_password, verify_password
from tws_tui.server.throttle import SignInThrottle
from tws_tui.wire.problems import PROBLEM_CONTENT_TYPE, TooManyRequests

__all__ = ["cti_server", "log_trap"]

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def http(cti_server: ServerThread) -> Iterator[httpx.Client]:
    with http_client(cti_server.url) as client:
        yield client


@pytest.fixture
def no_tracebacks(cti_server: ServerThread, log_trap: list[str]) -> Iterator[None]:
    """Fail when the server logged an error (a traceback) during the test."""
    yield
    assert log_trap == []


def assert_4xx_problem(response: httpx.Response, status: int = 400) -> dict[str, object]:
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["content-type"].startswith(PROBLEM_CONTENT_TYPE)
    body: dict[str, object] = response.json()
    assert body["status"] == status
    return body


def sign_in(http: httpx.Client, username: str, password: str = PASSWORD) -> httpx.Response:
    return http.post(
        "/v1/auth/token",
        json={"grant_type": "password", "username": username, "password": password},
    )


class StreamWatch:
    """An SSE stream read in a thread: when it ended, and what it had received."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        self.lines: list[str] = []
        self.ended = threading.Event()
        self.opened = threading.Event()
        self._thread = threading.Thread(target=self._read, args=(url, headers), daemon=True)
        self._thread.start()
        assert self.opened.wait(5), "the stream did not start"

    def _read(self, url: str, headers: dict[str, str]) -> None:
        with (
            http_client(url) as client,
            client.stream("GET", "/v1/events", headers=headers) as response,
        ):
            assert response.status_code == 200
            try:
                for line in response.iter_lines():
                    self.lines.append(line)
                    if line.startswith("event: snapshot"):
                        self.opened.set()
            except httpx.HTTPError:
                pass
        self.ended.set()


# ---- 1 and 4: account changes and sign-out reach a running server --------------------------------


def test_a_changed_password_takes_effect_on_the_running_server(
    cti_server: ServerThread, http: httpx.Client
) -> None:
    old_token = login(http, "bob")
    stream = StreamWatch(cti_server.url, old_token)
    run.set_password(cti_server.data_dir, "bob", NEW_PASSWORD)  # another connection
    assert stream.ended.wait(5), "the stream of the closed session goes on"
    assert_4xx_problem(sign_in(http, "bob"), 401)
    assert sign_in(http, "bob", NEW_PASSWORD).status_code == 200
    assert_4xx_problem(http.get("/v1/me", headers=old_token), 401)


def test_a_removed_account_is_cut_off_at_once(cti_server: ServerThread, http: httpx.Client) -> None:
    response = sign_in(http, "bob")
    refresh = response.json()["refresh_token"]
    token = {"Authorization": f"Bearer {response.json()['access_token']}"}
    stream = StreamWatch(cti_server.url, token)
    run.remove_user(cti_server.data_dir, "bob")
    assert stream.ended.wait(5), "the removed user's stream goes on"
    assert_4xx_problem(http.get("/v1/me", headers=token), 401)
    assert_4xx_problem(http.post("/v1/calls", json={"destination": "101"}, headers=token), 401)
    assert_4xx_problem(sign_in(http, "bob"), 401)
    again = http.post(
        "/v1/auth/token", json={"grant_type": "refresh_token", "refresh_token": refresh}
    )
    assert_4xx_problem(again, 401)
    assert http.get("/v1/me", headers=login(http, "alice")).status_code == 200


def test_an_account_added_while_running_signs_in_and_the_stream_ends_at_sign_out(
    cti_server: ServerThread, http: httpx.Client
) -> None:
    run.add_user(cti_server.data_dir, "zoe", PASSWORD, "182", "operator")
    token = login(http, "zoe")
    stream = StreamWatch(cti_server.url, token)
    assert http.delete("/v1/auth/token", headers=token).status_code == 204
    assert stream.ended.wait(5), "a signed-out session keeps its event stream"
    assert_4xx_problem(http.get("/v1/me", headers=token), 401)


def test_the_background_check_cuts_a_stream_without_any_other_request(
    cti_server: ServerThread, http: httpx.Client
) -> None:
    token = login(http, "bob")
    stream = StreamWatch(cti_server.url, token)
    started = time.monotonic()
    run.remove_user(cti_server.data_dir, "bob")
    assert stream.ended.wait(5)
    assert time.monotonic() - started < 3  # the poll runs every second


# ---- 2 and 3: lone surrogates and odd datetimes -------------------------------------------------

SURROGATE = b'"\\ud800"'
POISON: list[tuple[str, str, bytes]] = [
    ("PUT", "/v1/me/presence", b'{"state":"busy","note":' + SURROGATE + b"}"),
    ("PUT", "/v1/me/agent", b'{"state":"ready","reason":' + SURROGATE + b"}"),
    ("POST", "/v1/calls", b'{"destination":' + SURROGATE + b"}"),
    ("POST", "/v1/chat/messages", b'{"to":"u180","text":' + SURROGATE + b"}"),
    ("POST", "/v1/directory/contacts", b'{"name":' + SURROGATE + b',"numbers":[]}'),
    ("PUT", "/v1/history/h1/comment", b'{"text":"a' + SURROGATE[1:-1] + b'b"}'),
    ("POST", "/v1/calls", b"{" + SURROGATE + b":1}"),
    (
        "POST",
        "/v1/queues/accueil/rules",
        b'{"destination":"0600000000","starts_at":"0001-01-01T00:00:00+14:00"}',
    ),
    (
        "POST",
        "/v1/queues/accueil/rules",
        b'{"destination":"0600000000","ends_at":"9999-12-31T23:59:59-14:00"}',
    ),
]


@pytest.mark.usefixtures("no_tracebacks")
def test_lone_surrogates_and_odd_datetimes_are_400s_and_break_nothing(
    cti_server: ServerThread, http: httpx.Client
) -> None:
    headers = {**login(http, "sam"), "Content-Type": "application/json"}  # rules: supervisor
    for method, path, body in POISON:
        response = http.request(method, path, content=body, headers=headers)
        problem = assert_4xx_problem(response)
        assert problem["code"] == "invalid_request", (path, problem)
    anonymous = http.post(
        "/v1/auth/token",
        content=b'{"grant_type":"password","username":"alice","password":' + SURROGATE + b"}",
        headers={"Content-Type": "application/json"},
    )
    assert assert_4xx_problem(anonymous)["errors"] == [
        {"pointer": "/password", "detail": "not valid Unicode text (a lone surrogate)"}
    ]
    bob = login(http, "bob")
    for path in ("/v1/me", "/v1/snapshot", "/v1/queues", "/v1/devices"):
        assert http.get(path, headers=bob).status_code == 200, path
        assert http.get(path, headers=headers).status_code == 200, path
    made = http.post("/v1/calls", json={"destination": "+33140000000"}, headers=headers)
    assert made.status_code == 201, made.text


@pytest.mark.usefixtures("no_tracebacks")
def test_a_nul_character_is_refused_as_text_on_both_engines(
    cti_server: ServerThread, http: httpx.Client
) -> None:
    """JSON allows "\\u0000", PostgreSQL's text does not: a 400 naming the member, before any
    store sees it (on SQLite too, so both engines answer alike)."""
    headers = login(http, "alice")
    sent = http.post("/v1/chat/messages", json={"to": "u180", "text": "a\x00b"}, headers=headers)
    assert assert_4xx_problem(sent)["errors"] == [
        {"pointer": "/text", "detail": "a NUL character is not text"}
    ]
    card = {"name": "Nul\x00", "numbers": [["Fixe", "+33478000000"]]}
    assert_4xx_problem(http.post("/v1/directory/contacts", json=card, headers=headers))
    anonymous = http.post(
        "/v1/auth/token", json={"grant_type": "password", "username": "a\x00", "password": "x"}
    )
    assert assert_4xx_problem(anonymous)["errors"][0]["pointer"] == "/username"
    fine = http.post("/v1/chat/messages", json={"to": "u180", "text": "ab"}, headers=headers)
    assert fine.status_code == 201, fine.text


# ---- 5: numbers in query strings and headers ------------------------------------------------


@pytest.mark.usefixtures("no_tracebacks")
def test_unicode_and_huge_digits_are_400s(cti_server: ServerThread, http: httpx.Client) -> None:
    headers = login(http)
    for path in ("/v1/history", "/v1/directory/search", "/v1/chat/conversations/u180"):
        for limit in ("²", "٣", "1" * 5000, "-1", "1e3", " "):
            response = http.get(path, params={"limit": limit}, headers=headers)
            assert_4xx_problem(response)
        assert http.get(path, params={"limit": "3"}, headers=headers).status_code == 200
    with socket.create_connection(("127.0.0.1", cti_server.port), timeout=5) as raw:
        raw.sendall(
            b"POST /v1/calls HTTP/1.1\r\nHost: x\r\nAuthorization: "
            + headers["Authorization"].encode()
            + b"\r\nContent-Type: application/json\r\nContent-Length: \xb2\r\n\r\n"
        )
        answer = raw.recv(4096)
    assert answer.split(b" ")[1].startswith(b"4"), answer[:200]


@pytest.mark.usefixtures("no_tracebacks")
def test_a_bad_last_event_id_starts_with_a_snapshot(
    cti_server: ServerThread, http: httpx.Client
) -> None:
    headers = login(http)
    epoch = cti_server.state.hub.epoch
    for bad in (f"{epoch}-²", f"{epoch}-{'9' * 5000}", f"{epoch}--1", "-", "\u00e9-1"):
        extra = {**headers, "Last-Event-ID": bad.encode("latin-1")}
        with http.stream("GET", "/v1/events", headers=extra) as response:
            assert response.status_code == 200
            first = next(line for line in response.iter_lines() if line.startswith("event:"))
        assert first == "event: snapshot", bad
    assert http.get("/v1/me", headers=headers).status_code == 200


# ---- 6: Allow lists every method of the path ----------------------------------------------------


def test_a_405_lists_every_method_of_the_path(http: httpx.Client) -> None:
    headers = login(http)
    for method, path, expected in (
        ("OPTIONS", "/v1/calls", {"GET", "HEAD", "POST"}),
        ("PATCH", "/v1/calls", {"GET", "HEAD", "POST"}),
        ("PATCH", "/v1/calls/c1", {"GET", "HEAD", "DELETE"}),
        ("POST", "/v1/calls/c1/hold", {"PUT", "DELETE"}),
        ("GET", "/v1/auth/token", {"POST", "DELETE"}),
    ):
        response = http.request(method, path, headers=headers)
        assert_4xx_problem(response, 405)
        allowed = {m.strip() for m in response.headers["allow"].split(",")}
        assert allowed == expected, (method, path, allowed)


# ---- 7: the OpenAPI document states what the server enforces ------------------------------------

DOCUMENT = Path(__file__).resolve().parent.parent / "docs" / "cti-openapi.json"


def test_the_documented_limits_are_the_enforced_ones(http: httpx.Client) -> None:
    document = json.loads(DOCUMENT.read_text(encoding="utf-8"))
    headers = login(http, "sam")  # a supervisor: every endpoint is his to call
    checked = 0
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for param in operation.get("parameters", []):
                schema = param["schema"]
                if param["in"] == "path":
                    assert re.fullmatch(schema["pattern"], "c-1.a:b@c+d")
                    assert not re.fullmatch(schema["pattern"], "-x")
                    bad = path.replace("{" + param["name"] + "}", "-x")
                    response = http.request(
                        method.upper(), re.sub(r"{\w+}", "x1", bad), headers=headers
                    )
                    assert_4xx_problem(response)
                    checked += 1
                if param["in"] != "query" or method != "get":
                    continue
                if schema["type"] == "integer":
                    for value, ok in (
                        (schema["minimum"], True),
                        (schema["maximum"], True),
                        (schema["minimum"] - 1, False),
                        (schema["maximum"] + 1, False),
                    ):
                        url = re.sub(r"{\w+}", "u180", path)
                        response = http.get(url, params={param["name"]: value}, headers=headers)
                        assert (response.status_code == 200) is ok, (path, value, response.text)
                        checked += 1
                if param["required"]:
                    missing = http.get(path, headers=headers)
                    assert "is required" in str(assert_4xx_problem(missing)["detail"])
                    too_long = {param["name"]: "1" * (schema["maxLength"] + 1)}
                    assert_4xx_problem(http.get(path, params=too_long, headers=headers))
                    checked += 1
    assert checked > 40
    events = document["x-events"]
    assert events["call.delivered"]["required"] == ["type", "time", "id", "data"]
    assert "call" in events["call.delivered"]["properties"]["data"]["properties"]
    assert "id" not in events["session.expired"]["properties"]


def test_a_stream_message_matches_its_documented_envelope(http: httpx.Client) -> None:
    document = json.loads(DOCUMENT.read_text(encoding="utf-8"))
    with http.stream("GET", "/v1/events", headers=login(http)) as response:
        lines = []
        for line in response.iter_lines():
            lines.append(line)
            if line.startswith("data:"):
                break
    event = lines[-2].removeprefix("event: ")
    envelope = json.loads(lines[-1].removeprefix("data: "))
    documented = document["x-events"][event]
    assert set(documented["required"]) <= set(envelope) <= set(documented["properties"])
    assert envelope["type"] == documented["properties"]["type"]["const"] == event
    assert lines[-3] == f"id: {envelope['id']}"


# ---- roles: each privileged endpoint x operator / other operator / supervisor -------------------


def test_role_matrix(http: httpx.Client) -> None:
    alice, bob, sam = (login(http, name) for name in ("alice", "bob", "sam"))
    flow = http.get("/v1/call-flows", headers=alice).json()["items"][0]["id"]
    rule = {"destination": "0600000000"}
    made = http.post(
        "/v1/directory/contacts", json={"name": "A", "numbers": [["w", "1"]]}, headers=alice
    ).json()["id"]
    bobs = http.post(
        "/v1/directory/contacts", json={"name": "B", "numbers": [["w", "2"]]}, headers=bob
    ).json()["id"]
    forward = "/v1/users/u100/forwards/unconditional"
    premium = {"enabled": True, "destination": "+33899123456"}
    matrix: list[tuple[str, str, object, dict[str, str], int]] = [
        ("PUT", f"/v1/call-flows/{flow}", {"mode": "night"}, alice, 403),
        ("PUT", f"/v1/call-flows/{flow}", {"mode": "night"}, bob, 403),
        ("PUT", f"/v1/call-flows/{flow}", {"mode": "day"}, sam, 204),
        ("POST", "/v1/queues/accueil/rules", rule, alice, 403),
        ("POST", "/v1/queues/accueil/rules", {"destination": "+33899123456"}, sam, 403),
        ("POST", "/v1/queues/accueil/rules", {"destination": "+447700900000"}, sam, 403),
        ("PUT", "/v1/users/u100/dnd", {"enabled": True}, alice, 204),
        ("PUT", "/v1/users/u100/dnd", {"enabled": False}, bob, 403),
        ("PUT", "/v1/users/u100/dnd", {"enabled": False}, sam, 204),
        ("PUT", forward, premium, alice, 403),
        ("PUT", forward, {"enabled": True, "destination": "101"}, bob, 403),
        ("PUT", forward, {"enabled": True, "destination": "101"}, alice, 204),
        ("PUT", f"/v1/directory/contacts/{made}", {"name": "X", "numbers": [["w", "1"]]}, bob, 403),
        (
            "PUT",
            f"/v1/directory/contacts/{made}",
            {"name": "A2", "numbers": [["w", "1"]]},
            alice,
            200,
        ),
        (
            "PUT",
            f"/v1/directory/contacts/{bobs}",
            {"name": "B2", "numbers": [["w", "2"]]},
            sam,
            200,
        ),
        ("DELETE", f"/v1/directory/contacts/{made}", None, bob, 403),
        ("DELETE", f"/v1/directory/contacts/{made}", None, alice, 204),
        ("DELETE", f"/v1/directory/contacts/{bobs}", None, sam, 204),
        ("GET", "/v1/audit", None, alice, 403),
        ("GET", "/v1/audit", None, bob, 403),
    ]
    for method, path, body, who, status in matrix:
        response = http.request(method, path, json=body, headers=who)
        assert response.status_code == status, (method, path, body, response.text)
        if status == 403:
            assert assert_4xx_problem(response, 403)["code"] == "forbidden"
    created = http.post("/v1/queues/accueil/rules", json=rule, headers=sam)
    assert created.status_code == 201, created.text
    rule_path = f"/v1/queues/accueil/rules/{created.json()['id']}"
    assert_4xx_problem(http.put(rule_path, json=rule, headers=bob), 403)
    assert_4xx_problem(http.delete(rule_path, headers=alice), 403)
    assert http.put(rule_path, json={**rule, "enabled": False}, headers=sam).status_code == 200
    assert http.delete(rule_path, headers=sam).status_code == 204
    log = http.get("/v1/audit", headers=sam)
    assert log.status_code == 200
    entries = [(e["username"], e["action"], e["target"]) for e in log.json()["items"]]
    assert entries[:4] == [
        ("sam", "delete_queue_rule", rule_path),
        ("sam", "update_queue_rule", rule_path),
        ("sam", "create_queue_rule", "/v1/queues/accueil/rules"),
        ("sam", "delete_contact", f"/v1/directory/contacts/{bobs}"),
    ]
    assert ("sam", "set_call_flow", f"/v1/call-flows/{flow}") in entries
    assert ("alice", "set_forward", forward) in entries
    assert not any(user == "bob" for user, _, _ in entries)  # refused actions are not done


# ---- sign-in throttling and the session cap -----------------------------------------------------


@pytest.fixture
def strict_server(tmp_path: Path, server_database: str) -> Iterator[ServerThread]:
    """A server with small limits: 3 failures per account, 6 per address in 2 s; 2 sessions."""
    server = ServerThread(
        tmp_path / "strict",
        database=server_database,
        heartbeat_s=1.0,
        signin_account_limit=3,
        signin_address_limit=6,
        signin_window_s=2.0,
        max_sessions=2,
    )
    server.start()
    server.add_users()
    try:
        yield server
    finally:
        server.close()


def test_failed_sign_ins_are_throttled_per_account_then_per_address(
    strict_server: ServerThread,
) -> None:
    with http_client(strict_server.url) as http:
        for _ in range(3):
            assert_4xx_problem(sign_in(http, "alice", "wrong"), 401)
        locked = sign_in(http, "alice")  # the right password: locked out all the same
        problem = assert_4xx_problem(locked, 429)
        assert problem["code"] == "too_many_requests"
        assert problem["msgid"] == "Too many failed sign-ins: try again in {seconds} s"
        assert 1 <= int(locked.headers["retry-after"]) <= 2
        assert sign_in(http, "bob").status_code == 200  # another account from the same place
        for name in ("x1", "x2", "x3"):
            assert_4xx_problem(sign_in(http, name, "wrong"), 401)
        assert_4xx_problem(sign_in(http, "sam"), 429)  # the address is locked out now
        time.sleep(2.1)
        assert sign_in(http, "alice").status_code == 200  # the window has passed


def test_a_user_keeps_at_most_max_sessions_the_oldest_closed(strict_server: ServerThread) -> None:
    with http_client(strict_server.url) as http:
        first, second, third = (login(http, "alice") for _ in range(3))
        assert_4xx_problem(http.get("/v1/me", headers=first), 401)
        for token in (second, third):
            assert http.get("/v1/me", headers=token).status_code == 200
        rows = strict_server.call(lambda: strict_server.state.store.user_sessions("alice"))
        assert len(rows) == 2


def test_an_older_cheaper_password_hash_is_redone_at_sign_in(
    tmp_path: Path, server_database: str
) -> None:
    server = ServerThread(tmp_path / "cost", scrypt_n=2**13, database=server_database)
    server.start()
    try:
        old = hash_password(PASSWORD, n=2**11)  # what an older version wrote
        server.call(lambda: server.state.store.add_account("ann", old, "183", "operator", "Ann", 0))
        server.call(server.state.accounts.reload)
        with http_client(server.url) as http:
            first = login(http, "ann")
            stored = server.call(lambda: server.state.store.accounts())
            [(_, hashed, *_)] = [row for row in stored if row[0] == "ann"]
            assert cost_of(hashed) == 2**13 and verify_password(PASSWORD, hashed)
            assert http.get("/v1/me", headers=first).status_code == 200  # session kept
            assert login(http, "ann")  # the new hash signs in
    finally:
        server.close()


# ---- shared directory: quota, index kept in step ------------------------------------------------


def test_shared_contacts_have_a_quota_and_the_search_index_follows_changes(
    tmp_path: Path, server_database: str
) -> None:
    server = ServerThread(tmp_path / "quota", contacts_quota=2, database=server_database)
    server.start()
    server.add_users()
    try:
        with http_client(server.url) as http:
            alice, bob = login(http, "alice"), login(http, "bob")

            def add(name: str, who: dict[str, str]) -> httpx.Response:
                card = {"name": name, "numbers": [["Fixe", "+33478000000"]]}
                return http.post("/v1/directory/contacts", json=card, headers=who)

            def names(term: str) -> list[str]:
                found = http.get("/v1/directory/search", params={"q": term}, headers=alice)
                return [c["name"] for c in found.json()["items"]]

            first = add("Zinc Alpha", alice).json()["id"]
            assert names("zinc") == ["Zinc Alpha"]  # searched right after adding
            assert add("Zinc Beta", alice).status_code == 201
            refused = add("Zinc Gamma", alice)
            assert assert_4xx_problem(refused, 409)["msgid"] == (
                "You already have {most} shared contacts: delete one first"
            )
            assert add("Zinc Delta", bob).status_code == 201  # per user
            assert http.delete(f"/v1/directory/contacts/{first}", headers=alice).status_code == 204
            assert names("zinc") == ["Zinc Beta", "Zinc Delta"]
            assert add("Zinc Gamma", alice).status_code == 201  # room again
            found = http.get(
                "/v1/directory/reverse", params={"number": "04 78 00 00 00"}, headers=bob
            )
            assert found.json()["name"].startswith("Zinc")
    finally:
        server.close()


def test_the_throttle_bounds_its_memory() -> None:
    now = [0.0]
    throttle = SignInThrottle(
        account_limit=2, address_limit=10**6, window_s=60, now=lambda: now[0], max_keys=50
    )
    huge = "a" * 60000
    throttle.failed(huge + "x", "10.0.0.1")
    throttle.failed(huge + "y", "10.0.0.1")  # the same account as far as memory goes
    with pytest.raises(TooManyRequests):
        throttle.check(huge, "10.0.0.2")
    for n in range(500):
        throttle.failed(f"user{n}", f"10.1.{n // 250}.{n % 250}")
    assert len(throttle._failures) <= 50
    now[0] = 61.0
    throttle.check(huge, "10.0.0.1")  # the window passed
