"""Voicemail settings (TWS-6.9, Selfcare §6.2) and comments shared on a call (TWS-3.13) below
the console: the checks (a WAV refused when it is not one, cut short, too short or too long;
a PIN of 4 to 8 digits; an e-mail address), the ``sim`` backend (greetings, PIN, e-mail,
events; a colleague's comment on a call we both saw), and the ``cti`` backend against the real
reference server with two consoles (settings kept per user across a restart, the greeting's
audio served, an event to the other console; comments seen by whoever saw the call, edited by
their author only)."""

from __future__ import annotations

import asyncio
import io
import wave
from pathlib import Path

import pytest
from cti_fixtures import ServerThread, cti_server, http_client, login, make_backend

from tws_tui.backends.sim import SimBackend
from tws_tui.core.clock import ManualClock
from tws_tui.core.errors import InvalidValue, NotFound, NotSupported, PermissionDenied
from tws_tui.core.events import CommentEvent, Event, VoicemailSettingsEvent
from tws_tui.core.model import Capability, Party
from tws_tui.simulator.voicemail_settings import check_greeting

__all__ = ["cti_server"]


def wav(seconds: float, rate: int = 8000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"\x01\x00" * int(seconds * rate))
    return out.getvalue()


def test_a_greeting_must_be_a_whole_wav_of_2_s_to_2_min() -> None:
    assert check_greeting(wav(3)) == 3.0
    for bad, words in (
        (b"RIFF\x00\x00\x00\x00WAVEjunk", "not a WAV"),
        (b"%PDF-1.7 not a sound", "not a WAV"),
        (wav(3)[:-4000], "cut short"),
        (wav(1), "too short"),
        (wav(130), "too long"),
    ):
        with pytest.raises(InvalidValue, match=words):
            check_greeting(bad)


async def drain(backend: SimBackend) -> list[Event]:
    out = []
    while not backend._queue.empty():
        out.append(backend._queue.get_nowait())
    return out


async def test_sim_greetings_pin_and_email_copy() -> None:
    backend = SimBackend({"clock": ManualClock(), "traffic": False})
    await backend.connect()
    prefs = backend.voicemail_prefs
    assert prefs is not None
    settings = await prefs.settings()
    assert settings.greetings == () and settings.pin_is_default and not settings.email_copy
    first = await prefs.add_greeting("Standard", wav(3))
    second = await prefs.add_greeting("  Holiday  ", wav(5))
    assert first.active and not second.active and second.name == "Holiday"
    await prefs.activate_greeting(second.id)
    assert [g.active for g in (await prefs.settings()).greetings] == [False, True]
    assert await prefs.greeting_audio(second.id) == wav(5)
    for n in range(3):
        await prefs.add_greeting(f"G{n}", wav(2))
    with pytest.raises(InvalidValue, match="at most 5 greetings"):
        await prefs.add_greeting("Sixth", wav(2))
    await prefs.delete_greeting(second.id)  # the active one: the first left is active
    assert [g.active for g in (await prefs.settings()).greetings] == [True, False, False, False]
    with pytest.raises(NotFound, match="greeting is gone"):
        await prefs.activate_greeting(second.id)
    with pytest.raises(PermissionDenied, match="current PIN is not right"):
        await prefs.change_pin("1111", "2468")
    for bad in ("12", "123456789", "12a4", "１２３４"):
        with pytest.raises(InvalidValue, match="4 to 8 digits"):
            await prefs.change_pin("0000", bad)
    await prefs.change_pin("0000", "2468")
    assert not (await prefs.settings()).pin_is_default
    with pytest.raises(InvalidValue, match="not an e-mail address"):
        await prefs.set_email_copy(True, "alice.example.com")
    await prefs.set_email_copy(True, " alice@example.com ")
    settings = await prefs.settings()
    assert (settings.email_copy, settings.email) == (True, "alice@example.com")
    events = [e for e in await drain(backend) if isinstance(e, VoicemailSettingsEvent)]
    assert events[-1].settings == settings
    await backend.close()


async def test_sim_without_the_capability_there_is_nothing_to_set() -> None:
    caps = [c for c in Capability if c not in (Capability.VOICEMAIL_SETTINGS,)]
    backend = SimBackend({"clock": ManualClock(), "traffic": False, "capabilities": caps})
    assert backend.voicemail_prefs is None
    assert backend.call_comments is not None


async def test_sim_a_colleague_comments_a_call_transferred_to_them() -> None:
    clock = ManualClock()
    backend = SimBackend({"clock": clock, "traffic": False})
    await backend.connect()
    switch = backend.switch
    switch.inject_incoming_call("100", Party("+33612345678", "Jeanne"))
    clock.advance(1)
    [call] = (await backend.snapshot()).calls
    conversation = call.conversation_id
    assert conversation is not None
    comments = backend.call_comments
    assert comments is not None
    mine = await comments.add(conversation, "Wants a quote")  # during the call
    colleague = next(e for e in switch.endpoints.values() if e.internal and not e.operator)
    with pytest.raises(NotFound, match="that you saw"):  # the colleague has not seen it yet
        backend.switch_comments.add(colleague.device_id, conversation, "me too")
    await backend.answer(call.call_id)
    clock.advance(1)
    assert colleague.extension is not None
    await backend.blind_transfer(call.call_id, colleague.extension)
    clock.advance(30)
    theirs = backend.switch_comments.add(colleague.device_id, conversation, "Called back at 10")
    listed = await comments.comments(conversation)
    assert [(c.author_name, c.text) for c in listed] == [
        (mine.author_name, "Wants a quote"),
        (colleague.name, "Called back at 10"),
    ]
    with pytest.raises(PermissionDenied, match="Only its author"):
        await comments.edit(theirs.id, "changed")
    edited = await comments.edit(mine.id, "Wants a quote by Friday")
    assert edited.edited
    got = [e.comment for e in await drain(backend) if isinstance(e, CommentEvent)]
    assert [c.text for c in got] == ["Wants a quote", "Called back at 10", edited.text]
    await backend.close()


async def next_event(events: object, kind: type[Event]) -> Event:
    async def first() -> Event:
        async for event in events:  # type: ignore[attr-defined]
            if isinstance(event, kind):
                return event
        raise AssertionError("stream ended")

    return await asyncio.wait_for(first(), 10)


async def test_cti_settings_kept_per_user_audio_served_and_told_to_my_other_console(
    cti_server: ServerThread,
) -> None:
    server = cti_server
    backend = make_backend(server.url)
    other = make_backend(server.url)  # Alice's second console
    await backend.connect()
    await other.connect()
    events = other.events()
    try:
        prefs = backend.voicemail_prefs
        assert prefs is not None and other.voicemail_prefs is not None
        greeting = await prefs.add_greeting("Standard", wav(3))
        event = await next_event(events, VoicemailSettingsEvent)
        assert isinstance(event, VoicemailSettingsEvent)
        assert [g.name for g in event.settings.greetings] == ["Standard"]
        assert await other.voicemail_prefs.greeting_audio(greeting.id) == wav(3)
        with pytest.raises(InvalidValue, match="cut short"):
            await prefs.add_greeting("Broken", wav(3)[:-2000])
        with pytest.raises(InvalidValue, match="too long"):
            await prefs.add_greeting("Long", wav(121))
        with pytest.raises(PermissionDenied, match="current PIN"):
            await prefs.change_pin("9999", "1234")
        await prefs.change_pin("0000", "13579")
        await prefs.set_email_copy(True, "alice@example.com")
        with http_client(server.url) as http:
            bob = login(http, "bob")
            assert http.get("/v1/me/voicemail/settings", headers=bob).json()["greetings"] == []
            response = http.get(f"/v1/me/voicemail/greetings/{greeting.id}/audio", headers=bob)
            assert response.status_code == 404  # not Bob's greeting
            alice = login(http)
            response = http.get(f"/v1/me/voicemail/greetings/{greeting.id}/audio", headers=alice)
            assert response.headers["content-type"] == "audio/wav"
            response = http.post(
                "/v1/me/voicemail/greetings",
                headers=alice,
                json={"name": "x", "audio": "not base64!"},
            )
            assert response.status_code == 400
    finally:
        await backend.close()
        await other.close()


def test_cti_settings_and_comments_survive_an_abrupt_stop_and_ids_never_repeat(
    tmp_path: Path, server_database: str
) -> None:
    """Each run adds a greeting (then deletes it: a reused id would show) and a comment on the
    same call; the first run changes the PIN and ends abruptly (every connection aborted); the
    second finds the PIN and the first comment, and gets new ids for both."""
    import base64

    data = tmp_path / "server"
    greeting_ids, comment_ids = [], []
    for run in range(2):
        server = ServerThread(data, database=server_database)
        server.start()
        if run == 0:
            server.add_users()
        try:
            server.call(lambda s=server: s.state.switchboard._saw("call-kept", "alice"))
            with http_client(server.url) as http:
                alice = login(http)
                body = {"name": f"G{run}", "audio": base64.b64encode(wav(3)).decode()}
                made = http.post("/v1/me/voicemail/greetings", headers=alice, json=body)
                assert made.status_code == 201, made.text
                greeting_ids.append(made.json()["id"])
                http.delete(f"/v1/me/voicemail/greetings/{greeting_ids[-1]}", headers=alice)
                said = http.post(
                    "/v1/conversations/call-kept/comments",
                    headers=alice,
                    json={"text": f"run {run}"},
                )
                assert said.status_code == 201, said.text
                comment_ids.append(said.json()["id"])
                if run == 0:
                    pin = {"old": "0000", "new": "2468"}
                    assert http.put("/v1/me/voicemail/pin", headers=alice, json=pin).is_success
                else:
                    settings = http.get("/v1/me/voicemail/settings", headers=alice).json()
                    assert settings["pin_is_default"] is False
                    pin = {"old": "0000", "new": "1111"}
                    wrong = http.put("/v1/me/voicemail/pin", headers=alice, json=pin)
                    assert wrong.status_code == 403
                    kept = http.get("/v1/conversations/call-kept/comments", headers=alice)
                    assert [c["text"] for c in kept.json()["items"]] == ["run 0", "run 1"]
            if run == 0:
                server.kill()
        finally:
            server.close()
    assert len(set(greeting_ids)) == 2 and len(set(comment_ids)) == 2


async def test_cti_a_comment_is_seen_by_the_colleagues_who_saw_the_call(
    cti_server: ServerThread,
) -> None:
    """A call rings at Alice, she answers and transfers it to Bob (the server notes him as a
    party when it rings at his phone); Alice comments it, Bob sees the comment (and its event),
    adds his; each edits only their own; Sam, who never saw the call, cannot read it."""
    server = cti_server
    alice = make_backend(server.url)
    bob = make_backend(server.url, "bob")
    await alice.connect()
    await bob.connect()
    bob_events = bob.events()
    try:
        call_id = server.ring("100")
        await asyncio.sleep(0.3)
        conversation = server.call(lambda: server.pbx.switch.calls[call_id].id)
        [mine_now] = (await alice.snapshot()).calls
        await alice.answer(mine_now.call_id)
        await alice.blind_transfer(mine_now.call_id, "180")  # Bob's phone rings
        await asyncio.sleep(0.3)
        assert "bob" in server.call(lambda: server.state.store.call_parties(conversation))
        assert alice.call_comments is not None and bob.call_comments is not None
        mine = await alice.call_comments.add(conversation, "Wants a quote")
        event = await next_event(bob_events, CommentEvent)
        assert isinstance(event, CommentEvent) and event.comment.text == "Wants a quote"
        theirs = await bob.call_comments.add(conversation, "Sent it")
        listed = await alice.call_comments.comments(conversation)
        assert [(c.author_name, c.text) for c in listed] == [
            (mine.author_name, "Wants a quote"),
            (theirs.author_name, "Sent it"),
        ]
        assert mine.author_name != theirs.author_name
        with pytest.raises(PermissionDenied, match="Only its author"):
            await alice.call_comments.edit(theirs.id, "no")
        edited = await alice.call_comments.edit(mine.id, "Wants a quote by Friday")
        assert edited.edited and edited.id == mine.id
        with http_client(server.url) as http:
            sam = login(http, "sam")
            response = http.get(f"/v1/conversations/{conversation}/comments", headers=sam)
            assert response.status_code == 404
    finally:
        await alice.close()
        await bob.close()


async def test_sip_offers_neither() -> None:
    from tws_tui.backends.sip import SIP_CAPABILITIES

    assert Capability.VOICEMAIL_SETTINGS not in SIP_CAPABILITIES
    assert Capability.SHARED_COMMENTS not in SIP_CAPABILITIES
    with pytest.raises(NotSupported):
        from tws_tui.backends.gating import check

        class Sip:
            capabilities = SIP_CAPABILITIES

        check(Sip(), Capability.VOICEMAIL_SETTINGS)


def test_a_version_six_server_database_is_migrated_nothing_lost(tmp_path: Path) -> None:
    from tws_tui.server.store import ServerStore

    class VersionSix(ServerStore):
        MIGRATIONS = ServerStore.MIGRATIONS[:6]

    old = VersionSix(tmp_path)
    old.save_profiles("alice", '{"profiles": []}')
    old.close()
    store = ServerStore(tmp_path)
    try:
        assert store.profiles("alice") == '{"profiles": []}'  # nothing lost
        assert store.voicemail_settings("alice") is None and store.greetings("alice") == []
        first = store.add_greeting("alice", "Standard", 3.0, wav(3))
        second = store.add_greeting("alice", "Holiday", 5.0, wav(5))
        assert store.greetings("alice") == [
            (first, "Standard", 3.0, True),
            (second, "Holiday", 5.0, False),
        ]
        store.saw_call("call-1", "alice")
        seq = store.add_call_comment("call-1", "alice", "2026-11-22T09:00:00Z", "hello")
        assert store.call_comments("call-1") == [
            (seq, "alice", "2026-11-22T09:00:00Z", "hello", False)
        ]
    finally:
        store.close()
