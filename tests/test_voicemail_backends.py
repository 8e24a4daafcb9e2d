"""Voicemail below the console: the simulator's boxes (a call forwarded to the voicemail leaves
a message with a WAV), the ``sim`` backend (list, mark, delete, audio, events, gating) and the
``cti`` backend against the real reference server (list, mark heard, delete, audio/wav, a
message deleted by another session, ids that never repeat across restarts)."""

from __future__ import annotations

import asyncio
import io
import wave
from pathlib import Path

import pytest
from cti_fixtures import ServerThread, cti_server, http_client, login, make_backend

from tws_tui.backends.sim import SimBackend
from tws_tui.core.clock import ManualClock
from tws_tui.core.errors import NotFound, NotSupported
from tws_tui.core.events import VoicemailEvent
from tws_tui.core.model import Capability, Forward, ForwardKind, Party
from tws_tui.simulator.voicemail import length_of, recording

__all__ = ["cti_server"]

CALLER = Party("+33612345678", "Jeanne Dupont")


def test_a_recording_is_a_short_wav_the_same_for_the_same_message() -> None:
    data = recording("vm-1", 6)
    with wave.open(io.BytesIO(data)) as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (8000, 1, 2)
        assert wav.getnframes() == 6 * 8000
        frames = wav.readframes(8000)
    assert frames[: 4000 * 2] != bytes(8000)  # a tone, then silence
    assert frames[4000 * 2 :] == bytes(8000)
    assert recording("vm-1", 6) == data
    assert 4 <= length_of("vm-1") <= 45 and length_of("vm-1") == length_of("vm-1")


async def drain(backend: SimBackend) -> list[VoicemailEvent]:
    events = []
    while not backend._queue.empty():
        event = backend._queue.get_nowait()
        if isinstance(event, VoicemailEvent):
            events.append(event)
    return events


async def test_sim_a_call_forwarded_to_voicemail_leaves_a_message() -> None:
    clock = ManualClock()
    backend = SimBackend({"clock": clock, "traffic": False})
    snapshot = await backend.connect()
    assert snapshot.voicemail_new == 0
    assert backend.voicemail is not None
    await backend.set_forward(ForwardKind.NO_ANSWER, Forward(True, "3990", ring_time_s=5))
    backend.switch.inject_incoming_call("100", CALLER)
    clock.advance(10)
    messages = await backend.voicemail.messages()
    assert [(m.caller.number, m.new) for m in messages] == [("+33612345678", True)]
    events = await drain(backend)
    assert [(e.new, e.total) for e in events] == [(1, 1)]
    assert events[0].message == messages[0]
    audio = await backend.voicemail.audio(messages[0].id)
    with wave.open(io.BytesIO(audio)) as wav:
        assert wav.getnframes() == messages[0].duration_s * 8000
    await backend.voicemail.mark(messages[0].id, heard=True)
    assert not (await backend.voicemail.messages())[0].new
    assert [(e.new, e.total) for e in await drain(backend)] == [(0, 1)]
    assert (await backend.snapshot()).voicemail_new == 0
    await backend.voicemail.delete(messages[0].id)
    assert await backend.voicemail.messages() == []
    with pytest.raises(NotFound, match="gone"):
        await backend.voicemail.delete(messages[0].id)
    with pytest.raises(NotFound):
        await backend.voicemail.audio(messages[0].id)
    await backend.close()


async def test_sim_the_demo_has_messages_and_capabilities_gate() -> None:
    demo = SimBackend({"clock": ManualClock(), "traffic": True})
    assert demo.voicemail is not None
    assert [m.new for m in await demo.voicemail.messages()] == [True, True, False]
    assert (await demo.snapshot()).voicemail_new == 2
    demo.traffic.stop()
    demo.switch.shutdown()
    without = SimBackend({"clock": ManualClock(), "traffic": False, "capabilities": ["chat"]})
    assert without.voicemail is None
    read_only = SimBackend(
        {"clock": ManualClock(), "traffic": False, "capabilities": [Capability.VOICEMAIL]}
    )
    assert read_only.voicemail is not None
    with pytest.raises(NotSupported):
        await read_only.voicemail.delete("x")
    with pytest.raises(NotSupported):
        await read_only.voicemail.audio("x")


def leave_message(server: ServerThread, caller: str = "+33687654321") -> None:
    """Alice (100) forwards everything to the voicemail; a caller rings her and is answered
    by it (after 1 s)."""
    with http_client(server.url) as http:
        forward = {"enabled": True, "destination": "3990"}
        put = http.put("/v1/users/me/forwards/unconditional", json=forward, headers=login(http))
        assert put.status_code == 204, put.text
    server.ring("100", caller)
    server.call(lambda: server.clock.advance(2.0))


async def test_cti_list_mark_audio_delete_and_a_message_gone_meanwhile(
    cti_server: ServerThread,
) -> None:
    server = cti_server
    leave_message(server)
    backend = make_backend(server.url)
    other = make_backend(server.url)  # another session of Alice's
    snapshot = await backend.connect()
    await other.connect()
    try:
        assert snapshot.voicemail_new == 1
        assert backend.voicemail is not None and other.voicemail is not None
        [message] = await backend.voicemail.messages()
        assert message.caller.number == "+33687654321" and message.new
        assert message.duration_s == length_of(message.id)
        audio = await backend.voicemail.audio(message.id)
        assert audio == recording(message.id, message.duration_s)
        await backend.voicemail.mark(message.id, heard=True)
        assert not (await other.voicemail.messages())[0].new
        await other.voicemail.delete(message.id)
        with pytest.raises(NotFound) as gone:
            await backend.voicemail.audio(message.id)
        assert "voicemail message is gone" in str(gone.value)
        with pytest.raises(NotFound):
            await backend.voicemail.mark(message.id, heard=False)
        assert await backend.voicemail.messages() == []
        with http_client(server.url) as http:
            bob = login(http, "bob")
            response = http.get(f"/v1/me/voicemail/{message.id}/audio", headers=bob)
            assert response.status_code == 404  # not Bob's message
    finally:
        await backend.close()
        await other.close()


async def test_cti_a_new_message_comes_as_an_event(cti_server: ServerThread) -> None:
    server = cti_server
    backend = make_backend(server.url)
    await backend.connect()
    events = backend.events()
    try:
        leave_message(server)

        async def first_voicemail_event() -> VoicemailEvent:
            async for event in events:
                if isinstance(event, VoicemailEvent):
                    return event
            raise AssertionError("stream ended")

        event = await asyncio.wait_for(first_voicemail_event(), 10)
        assert (event.new, event.total) == (1, 1)
    finally:
        await backend.close()


def test_cti_audio_is_served_as_wav_and_ids_never_repeat_across_restarts(
    tmp_path: Path,
) -> None:
    """A message, a restart (a new process: its switch counts from 1 again), a message: two
    messages kept, two ids (``vm-r1-1``, ``vm-r2-1``), the audio served as ``audio/wav``."""
    data = tmp_path / "server"
    for run, caller in enumerate(("+33687654321", "+33611111111")):
        server = ServerThread(data)
        server.start()
        if run == 0:
            server.add_users()
        try:
            leave_message(server, caller)
        finally:
            server.close()
    server = ServerThread(data)
    server.start()
    try:
        with http_client(server.url) as http:
            alice = login(http)
            box = http.get("/v1/me/voicemail", headers=alice).json()
            ids = [m["id"] for m in box["items"]]
            assert box["new"] == 2 and len(set(ids)) == 2, ids
            response = http.get(f"/v1/me/voicemail/{ids[0]}/audio", headers=alice)
            assert response.status_code == 200
            assert response.headers["content-type"] == "audio/wav"
            assert response.content[:4] == b"RIFF"
            mark = http.put(f"/v1/me/voicemail/{ids[0]}/heard", json={"heard": True}, headers=alice)
            assert mark.status_code == 204
            assert http.get("/v1/me/voicemail", headers=alice).json()["new"] == 1
            gone = http.delete("/v1/me/voicemail/vm-nothing", headers=alice)
            assert gone.status_code == 404
            assert gone.headers["content-type"].startswith("application/problem+json")
            assert "gone" in gone.json()["detail"]
    finally:
        server.close()


def test_a_message_summary_is_read_or_refused_in_words() -> None:
    from tws_tui.backends.sip.message_summary import MessageSummary, summary_of

    body = b"Messages-Waiting: yes\r\nMessage-Account: sip:9990@pbx\r\nVoice-Message: 2/8 (0/2)\r\n"
    assert summary_of(body) == MessageSummary(True, 2, 8)
    assert summary_of(b"Messages-Waiting: no\r\n") == MessageSummary(False, 0, 0)
    assert summary_of(b"messages-waiting: YES\r\n") == MessageSummary(True, 1, 0)
    with pytest.raises(ValueError, match="without Messages-Waiting"):
        summary_of(b"Voice-Message: 1/0\r\n")
    with pytest.raises(ValueError, match="yes or no"):
        summary_of(b"Messages-Waiting: maybe\r\n")
    with pytest.raises(ValueError, match="counts"):
        summary_of(b"Messages-Waiting: yes\r\nVoice-Message: many\r\n")
