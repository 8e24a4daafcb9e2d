"""Pure pieces of the CTI protocol: wire codec, problems, SSE reading, hub replay, idempotency,
tokens and password hashing (no network)."""

from __future__ import annotations

import base64
import json
import os
import stat
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import httpx
import jwt
import pytest

from tws_tui.backends.cti.stream import messages
from tws_tui.core.errors import AlreadyTaken, CallControlError, InvalidState, NotFound
from tws_tui.core.model import Action, Call, Cause, Snapshot
from tws_tui.server.accounts import hash_password, verify_password
from tws_tui.server.hub import EventHub, sse_frame
from tws_tui.server.idempotency import IdempotencyStore, StoredResponse
from tws_tui.server.store import ServerStore
from tws_tui.server.tokens import TokenService
from tws_tui.simulator.testing import Harness
from tws_tui.wire import bodies
from tws_tui.wire.codec import WireError, decode, decode_event, encode, encode_event
from tws_tui.wire.problems import IdempotencyMismatch, Unauthenticated, error_from_problem, problem


def busy_harness() -> Harness:
    h = Harness()
    call = h.talking_with_caller()
    h.switch.hold(call)
    h.ring_me("+33698765432")
    h.switch.inject_incoming_call("3900", "+33611111111")
    return h


def test_snapshot_and_every_event_survive_the_wire() -> None:
    h = busy_harness()
    snapshot = h.switch.snapshot()
    text = json.dumps(encode(snapshot))
    assert decode(Snapshot, json.loads(text)) == snapshot
    assert h.events
    for index, event in enumerate(h.events):
        envelope = json.loads(json.dumps(encode_event(event, f"e-{index}")))
        assert decode_event(envelope) == replace(event, seq=f"e-{index}")


def test_clients_ignore_what_a_newer_server_adds() -> None:
    call = busy_harness().switch.snapshot().calls[0]
    data = encode(call)
    data["new_member"] = {"x": 1}
    data["cause"] = "someFutureCause"
    data["allowed"] = [*data["allowed"], "teleport"]
    decoded = decode(Call, data)
    assert decoded.cause is Cause.UNKNOWN and Action.HANGUP in decoded.allowed
    assert decode_event({"id": "x-1", "type": "call.teleported", "data": {}}) is None
    assert decode_event({"id": "x-1", "type": "robot.dance", "data": {}}) is None


@pytest.mark.parametrize(
    ("data", "pointer"),
    [
        ({"destination": 12}, "/destination"),
        ({"destination": "1", "extra": True}, "/extra"),
        ({}, "/destination"),
        ({"destination": "1", "device_id": ["x"]}, "/device_id"),
        ([], "/"),
    ],
)
def test_strict_decoding_names_the_bad_member(data: object, pointer: str) -> None:
    with pytest.raises(WireError) as caught:
        decode(bodies.MakeCallBody, data, strict=True)
    assert caught.value.pointer == pointer


def test_problem_codes_map_to_typed_errors_both_ways() -> None:
    for error in (AlreadyTaken("x"), NotFound("y"), Unauthenticated("z"), IdempotencyMismatch("w")):
        body = problem(error, instance="/v1/x")
        back = error_from_problem(body["status"], json.loads(json.dumps(body)))
        assert type(back) is type(error) and str(back) == str(error)
    assert isinstance(error_from_problem(409, {"code": "brand_new"}), InvalidState)
    assert type(error_from_problem(500, "not json")) is CallControlError


async def _messages(stream: bytes, size: int) -> list[tuple[str, str, str]]:
    """What the cti client reads from ``stream`` arriving in chunks of ``size`` bytes."""

    async def body() -> AsyncIterator[bytes]:
        for start in range(0, len(stream), size):
            yield stream[start : start + size]

    response = httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body())
    return [(m.event, m.data, m.id) async for m in messages(response)]


async def test_the_client_reads_complete_messages_only() -> None:
    stream = (
        b'retry: 2000\r\n\r\nid: e-1\r\nevent: a\r\ndata: {"n": 1}\r\n\r\n'
        b": ping\n\nid: e-2\nevent: b\ndata: {"
    )
    # one byte at a time; the retry frame and the heartbeat carry no message; e-2 was cut
    assert await _messages(stream, 1) == [("a", '{"n": 1}', "e-1")]


async def test_the_client_reads_the_same_messages_however_the_stream_is_cut() -> None:
    """Bare CR, CRLF split across two chunks, LF, UTF-8 split in a character: any cutting
    gives what the whole stream gives at once."""
    stream = "id: 1\rdata: é\r\rid: 2\r\ndata: x\r\ndata: y\r\n\r\nid: 3\ndata: z\n\n".encode()
    whole = await _messages(stream, len(stream))
    assert whole == [("message", "é", "1"), ("message", "x\ny", "2"), ("message", "z", "3")]
    for size in (1, 2, 3, 7):
        assert await _messages(stream, size) == whole, size


def test_hub_replays_from_its_ring_else_asks_for_a_snapshot() -> None:
    hub = EventHub(ring_size=3)
    sample = busy_harness().events[0]
    for _ in range(5):
        hub.publish("alice", sample)
    cursor = hub.cursor("alice")
    assert cursor.endswith("-5")
    replay, _ = hub.open("alice", f"{hub.epoch}-3")
    assert (
        replay is not None
        and len(replay) == 2
        and replay[0].startswith(f"id: {hub.epoch}-4".encode())
    )
    assert hub.open("alice", cursor)[0] == []
    assert hub.open("alice", f"{hub.epoch}-1")[0] is None  # fell out of the ring
    assert hub.open("alice", "other-4")[0] is None  # another server start
    assert hub.open("alice", None)[0] is None


def test_an_event_is_encoded_once_for_every_user_and_framed_with_each_ones_id() -> None:
    hub = EventHub()
    events = busy_harness().events[:3]
    hub.publish("bob", events[0])  # bob's ids run ahead of alice's
    for event in events:
        for user in ("alice", "bob"):
            hub.publish(user, event)
            event_id = hub.cursor(user)
            envelope = encode_event(event, event_id)
            expected = sse_frame(event_id, envelope["type"], envelope)
            _, frame = hub._channel(user).ring[-1]
            assert frame == expected


def test_a_lagging_stream_is_cut_off_not_buffered_forever() -> None:
    hub = EventHub(queue_max=2)
    _, subscriber = hub.open("alice", None)
    sample = busy_harness().events[0]
    for _ in range(4):
        hub.publish("alice", sample)
    assert subscriber.overflowed
    assert len(subscriber.take()) == 2  # the frames before it are written, then the stream
    assert subscriber.ended  # ends; the client resumes with its last id


def test_idempotency_store_replays_refuses_mismatch_and_in_flight() -> None:
    now = [0.0]
    store = IdempotencyStore(ttl_s=10, now=lambda: now[0])
    assert store.begin("alice", "k", "print-1") is None
    with pytest.raises(InvalidState):
        store.begin("alice", "k", "print-1")  # still running
    store.finish("alice", "k", StoredResponse(201, b"{}", "application/json"))
    assert store.begin("alice", "k", "print-1") == StoredResponse(201, b"{}", "application/json")
    with pytest.raises(IdempotencyMismatch):
        store.begin("alice", "k", "print-2")
    assert store.begin("bob", "k", "print-2") is None  # keys are per user
    now[0] = 11.0
    assert store.begin("alice", "k", "print-2") is None  # expired


def test_tokens_expire_are_signed_and_survive_a_restart(tmp_path: Path) -> None:
    now = [1000.0]
    store = ServerStore(tmp_path)
    tokens = TokenService(store, access_ttl_s=60, refresh_ttl_s=600, now=lambda: now[0])
    issued, _ = tokens.login("alice", "test")
    assert tokens.verify(issued.access_token).username == "alice"
    head, body, signature = issued.access_token.split(".")
    with pytest.raises(Unauthenticated):
        tokens.verify(f"{head}.{body}.{signature[::-1]}")
    again = TokenService(store, access_ttl_s=60, refresh_ttl_s=600, now=lambda: now[0])
    assert again.verify(issued.access_token).username == "alice"  # same key after restart
    now[0] += 61
    with pytest.raises(Unauthenticated):
        again.verify(issued.access_token)
    user, fresh = again.refresh(issued.refresh_token)
    assert user == "alice" and again.verify(fresh.access_token)
    again.revoke(again.verify(fresh.access_token).session_id)
    with pytest.raises(Unauthenticated):
        again.refresh(issued.refresh_token)
    store.close()


def test_passwords_are_salted_scrypt_hashes_of_the_owasp_cost() -> None:
    first, second = hash_password("s3cret-pass"), hash_password("s3cret-pass")
    assert first != second and first.startswith("scrypt$") and "s3cret" not in first
    assert first.split("$")[1:4] == [str(2**17), "8", "1"]  # N=2^17, r=8, p=1
    assert verify_password("s3cret-pass", first) and not verify_password("s3cret-Pass", first)
    assert not verify_password("s3cret-pass", "garbage")


def test_the_signing_key_lives_in_a_0600_file_and_an_old_one_moves_there(tmp_path: Path) -> None:
    store = ServerStore(tmp_path)
    store.open()
    old_key = base64.b64encode(b"k" * 32).decode()
    store._run("INSERT INTO meta (key, value) VALUES ('token_key', ?)", (old_key,))  # before
    old = jwt.encode({"sid": "s", "sub": "alice", "exp": 2000.0}, b"k" * 32, algorithm="HS256")
    tokens = TokenService(store, access_ttl_s=60, refresh_ttl_s=600, now=lambda: 1000.0)
    key_file = tmp_path / "token.key"
    assert key_file.read_text() == old_key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert store.meta("token_key") is None  # no longer in the database
    with pytest.raises(Unauthenticated, match="session was closed"):
        tokens.verify(old)  # the signature holds: only the (unknown) session is refused
    os.chmod(key_file, 0o644)
    fresh_dir = tmp_path / "fresh"
    other = ServerStore(fresh_dir)
    TokenService(other, access_ttl_s=60, refresh_ttl_s=600)
    assert len(base64.b64decode((fresh_dir / "token.key").read_text())) == 32
    TokenService(store, access_ttl_s=60, refresh_ttl_s=600)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600  # closed again
