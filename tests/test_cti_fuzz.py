"""A bounded fuzz run of every endpoint of the committed OpenAPI document against the real server.

Hypothesis builds requests from ``docs/cti-openapi.json``: bodies that follow each operation's
schema most of the time, with hostile leaves — lone surrogates, Unicode and huge digits, odd
date-times (``0001-01-01T00:00:00+14:00``, naive, impossible), wrong types, unknown members —
hostile path ids, query numbers and headers (Idempotency-Key, Last-Event-ID, Content-Length
games are in test_cti_hardening). The run is derandomised (the same requests every time) and
bounded (``EXAMPLES`` per operation, a few seconds in all). It holds that no answer is a 5xx,
nothing is logged at ERROR (no traceback), every 4xx is a problem document, and that
afterwards ``/v1/me`` answers and a call can be made, with the fuzzing session's own token and a
fresh one.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cti_fixtures import ServerThread, http_client, log_trap, login
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tws_tui.wire.problems import PROBLEM_CONTENT_TYPE

__all__ = ["log_trap"]

DOCUMENT = json.loads(
    (Path(__file__).resolve().parent.parent / "docs" / "cti-openapi.json").read_text("utf-8")
)
EXAMPLES = 50

SURROGATES = st.sampled_from(["\ud800", "a\udfffb", "\udc00" * 3, "x\ud83d"])
ODD_DIGITS = st.sampled_from(["²", "٣", "１２", "9" * 5000, "-1", "1e3", "0x10", " 7", "", "⁹"])
ODD_TIMES = st.sampled_from(
    [
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59-14:00",
        "0001-01-01T00:00:00Z",
        "2026-11-22T09:00:00",
        "2026-02-30T09:00:00Z",
        "2026-11-22T25:00:00Z",
        "２０２６-11-22T09:00:00Z",
        "2026-11-22T09:00:00.123456789Z",
        "2026-11-22T09:00:00+24:00",
        "2026-11-22T09:00:00\ud800Z",
        "2026-11-22",
    ]
)
TEXT = st.one_of(
    st.text(max_size=20),
    SURROGATES,
    ODD_DIGITS,
    st.sampled_from(["101", "0600000000", "+33699999999", "accueil", "u180", "c-1", "ready"]),
)
HOSTILE = st.one_of(
    SURROGATES,
    ODD_DIGITS,
    ODD_TIMES,
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(TEXT, st.integers(), max_size=2),
)
#: What a client can put in a header (no control characters: httpx refuses them itself).
HEADER_TEXT = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=12
)
PATH_IDS = st.one_of(
    st.sampled_from(["c-1", "accueil", "u100", "u180", "unconditional", "busy", "x", "h1"]),
    ODD_DIGITS.filter(bool),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=30),
    st.just("a" * 300),
)


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref is None:
        return schema
    resolved: dict[str, Any] = DOCUMENT["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return resolved


def value_of(schema: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """Values mostly of ``schema``'s type, with hostile ones mixed in at every level."""
    schema = _resolve(schema)
    if depth > 3:
        return HOSTILE
    if "anyOf" in schema:
        return st.one_of([value_of(s, depth + 1) for s in schema["anyOf"]])
    if "enum" in schema:
        typed: st.SearchStrategy[Any] = st.sampled_from(schema["enum"])
    elif "const" in schema:
        typed = st.just(schema["const"])
    else:
        kind = schema.get("type")
        if kind == "string":
            typed = ODD_TIMES if schema.get("format") == "date-time" else TEXT
        elif kind == "integer":
            typed = st.integers(min_value=-(10**20), max_value=10**20)
        elif kind == "number":
            typed = st.floats(allow_nan=False)
        elif kind == "boolean":
            typed = st.booleans()
        elif kind == "null":
            typed = st.none()
        elif kind == "array":
            if "prefixItems" in schema:
                typed = st.tuples(*(value_of(s, depth + 1) for s in schema["prefixItems"])).map(
                    list
                )
            else:
                typed = st.lists(value_of(schema.get("items", {}), depth + 1), max_size=3)
        elif kind == "object":
            typed = object_of(schema, depth)
        else:
            typed = HOSTILE
    return st.one_of(typed, typed, typed, HOSTILE)


def object_of(schema: dict[str, Any], depth: int) -> st.SearchStrategy[dict[str, Any]]:
    properties: dict[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", []))
    members = {
        name: (value_of(sub, depth + 1), name in required) for name, sub in properties.items()
    }

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, (strategy, needed) in members.items():
            if needed or draw(st.booleans()):
                out[name] = draw(strategy)
        if draw(st.integers(0, 9)) == 0:
            out[draw(st.one_of(SURROGATES, st.text(max_size=5)))] = draw(HOSTILE)
        return out

    return build()


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    found = []
    for path, item in DOCUMENT["paths"].items():
        for method, operation in item.items():
            if path == "/v1/events" or (path, method) == ("/v1/auth/token", "delete"):
                continue  # the stream never ends; signing out would end the fuzzing session
            found.append((method.upper(), path, operation))
    return found


def request_of(
    method: str, path: str, operation: dict[str, Any]
) -> st.SearchStrategy[dict[str, Any]]:
    parameters = operation.get("parameters", [])

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        url = path
        query: dict[str, str] = {}
        headers: dict[str, str] = {}
        for param in parameters:
            where, name = param["in"], param["name"]
            if where == "path":
                url = url.replace("{" + name + "}", _segment(draw(PATH_IDS)))
            elif where == "query" and draw(st.booleans()):
                if param["schema"]["type"] == "integer":
                    limit = st.integers(param["schema"]["minimum"], param["schema"]["maximum"])
                    query[name] = draw(st.one_of(ODD_DIGITS, limit.map(str)))
                else:
                    query[name] = draw(TEXT).encode("utf-8", "replace").decode("utf-8")
            elif where == "header" and draw(st.booleans()):
                value = draw(st.one_of(HEADER_TEXT, ODD_DIGITS)).strip()  # h11: no edge spaces
                headers[name] = value.encode("latin-1", "replace")
        content: bytes | None = None
        body = operation.get("requestBody")
        if body is not None:
            schema = body["content"]["application/json"]["schema"]
            value = draw(st.one_of(value_of(schema), HOSTILE))
            content = json.dumps(value, ensure_ascii=True).encode()  # surrogates as \\ud800
            headers["Content-Type"] = "application/json"
        return {
            "url": url,
            "params": query,
            "headers": headers,
            "content": content,
        }

    return build()


def _segment(text: str) -> str:
    from urllib.parse import quote

    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def _sender(
    http: httpx.Client, method: str, auth: dict[str, str], counts: Counter[str]
) -> Callable[[dict[str, Any]], None]:
    """Send one generated request and check its answer."""

    def send(request: dict[str, Any]) -> None:  # hypothesis draws ``request``
        response = http.request(
            method,
            request["url"],
            params=request["params"],
            headers={**auth, **request["headers"]},
            content=request["content"],
        )
        counts["requests"] += 1
        counts[f"{response.status_code // 100}xx"] += 1
        assert response.status_code < 500, (method, request, response.text)
        if response.status_code >= 400:
            assert response.headers["content-type"] == PROBLEM_CONTENT_TYPE, request

    return send


@pytest.fixture
def fuzz_server(tmp_path: Path, server_database: str) -> Iterator[ServerThread]:
    """The real server with the accounts of the suite; sign-in limits out of the fuzzer's way."""
    server = ServerThread(
        tmp_path / "fuzz",
        database=server_database,
        heartbeat_s=1.0,
        signin_account_limit=10**6,
        signin_address_limit=10**6,
    )
    server.start()
    server.add_users()
    try:
        yield server
    finally:
        server.close()


def test_fuzzing_every_endpoint_gives_no_5xx_and_no_traceback(
    fuzz_server: ServerThread, log_trap: list[str]
) -> None:
    counts: Counter[str] = Counter()
    with http_client(fuzz_server.url) as http:
        token = login(http, "sam")  # a supervisor: no endpoint is closed to him
        for method, path, operation in operations():
            auth = {} if operation.get("security") == [] else token
            send = _sender(http, method, auth, counts)

            fuzz = given(request=request_of(method, path, operation))(send)
            settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )(fuzz)()
        print(f"\nfuzz: {dict(counts)}; tracebacks logged: {len(log_trap)}")
        assert counts["requests"] >= EXAMPLES * len(operations()) // 2
        assert counts["5xx"] == 0
        assert log_trap == []
        for headers in (token, login(http, "alice")):
            assert http.get("/v1/me", headers=headers).status_code == 200
        call = http.post("/v1/calls", json={"destination": "+33140000000"}, headers=token)
        assert call.status_code == 201, call.text
        assert re.fullmatch(r"[A-Za-z0-9._:@+-]+", call.json()["call_id"])


def test_fuzzing_last_event_id_always_opens_a_stream(
    fuzz_server: ServerThread, log_trap: list[str]
) -> None:
    epoch = fuzz_server.state.hub.epoch
    seen: Counter[str] = Counter()
    with http_client(fuzz_server.url) as http:
        token = login(http, "alice")

        def first_event(last_event_id: str) -> None:  # hypothesis draws ``last_event_id``
            headers = {**token, "Last-Event-ID": last_event_id.strip().encode("latin-1", "replace")}
            with http.stream("GET", "/v1/events", headers=headers) as response:
                assert response.status_code == 200
                lines = response.iter_lines()  # a replay of nothing: a ping first
                kind = next(line for line in lines if line.startswith(("event:", ": ping")))
            seen[kind] += 1

        ids = st.one_of(
            st.builds(lambda seq: f"{epoch}-{seq}", st.one_of(ODD_DIGITS, HEADER_TEXT)),
            HEADER_TEXT,
        )
        settings(max_examples=40, deadline=None, database=None, derandomize=True)(
            given(last_event_id=ids)(first_event)
        )()
    assert seen["event: snapshot"] >= 20 and log_trap == []
