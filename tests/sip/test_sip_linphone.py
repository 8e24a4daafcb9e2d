"""linphone (``linphone-daemon``) as a second, independent user agent, through Kamailio with
GRUU on (RFC 5627, as real PBXs run): linphone's dialogs name its public GRUU as their Contact,
so every in-dialog request to it (our ACK, re-INVITEs, BYE) has to be routed by the proxy
through its location table. Before the shipped configuration did that, the ACK went to the
GRUU's host at port 5060 and linphone dropped the call at 32 s (no ACK).

Both ways: we call linphone and talk for 35 s, hold/retrieve from each side; linphone calls us.
Audio is checked decoded at both ends: linphone plays a 440 Hz tone into the call, which our
WAV loudspeaker records; we send 600 Hz, which linphone decodes and plays into a PulseAudio
null sink whose monitor the test records."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from linphone_peer import Linphone
from pulse_server import PulseServer
from sip_peers import Kamailio, steady_tone, stop_process, write_tone

from tws_tui.core.events import CallEvent, CallEventKind
from tws_tui.core.model import Cause, ConnectionState, Direction

pytestmark = pytest.mark.sip


def kind(k: CallEventKind, call_id: str | None = None) -> Any:
    return lambda e: (
        isinstance(e, CallEvent) and e.kind is k and (call_id is None or e.call.call_id == call_id)
    )


def remote(state: ConnectionState, call_id: str) -> Any:
    return lambda e: kind(CallEventKind.INFORMATION, call_id)(e) and e.call.remote_state is state


@pytest.fixture(scope="module")
def pulse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PulseServer]:
    # linphone's loudspeaker, and a silent sink whose monitor is its microphone (the default
    # source, linphone_out's monitor, would send back what it hears: an echo of our tone)
    sinks = ("linphone_out", "linphone_mic")
    server = PulseServer(tmp_path_factory.mktemp("pulse-lp"), sinks).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def _linphone(
    kamailio: Kamailio, pulse: PulseServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Linphone]:
    workdir = tmp_path_factory.mktemp("linphone1004")
    write_tone(workdir / "tone440.wav", 440, 60, amplitude=0.5)
    ua = Linphone(
        workdir,
        "1004",
        kamailio,
        {**pulse.env, "PULSE_SINK": "linphone_out", "PULSE_SOURCE": "linphone_mic.monitor"},
    )
    yield ua
    ua.stop()


@pytest.fixture
def linphone(_linphone: Linphone) -> Iterator[Linphone]:
    _linphone.hang_up_all()
    yield _linphone
    _linphone.hang_up_all()


async def in_thread(function: Any, *args: Any) -> Any:
    return await asyncio.to_thread(function, *args)


async def test_we_call_linphone_35_s_hold_both_ways_audio_both_ways(
    kamailio: Kamailio, phone_factory: Any, linphone: Linphone, pulse: PulseServer, tmp_path: Path
) -> None:
    mark = len(kamailio.log.read_text(errors="replace"))
    write_tone(tmp_path / "tone600.wav", 600, 60, amplitude=0.5)
    heard = tmp_path / "heard.wav"
    backend, events = await phone_factory(
        kamailio, audio_device=f"wav:{tmp_path / 'tone600.wav'},{heard}", codecs="PCMU"
    )
    call = await backend.make_call("1004")
    await in_thread(linphone.wait_state, "IncomingReceived", 10)
    await events.wait(kind(CallEventKind.DELIVERED, call.call_id), 5)
    started = time.monotonic()
    await in_thread(linphone.cmd, "answer")
    await events.wait(kind(CallEventKind.ESTABLISHED, call.call_id), 5)
    await in_thread(linphone.wait_state, "StreamsRunning", 5)
    await in_thread(linphone.cmd, f"incall-player-start {linphone.dir / 'tone440.wav'}")
    recorder = pulse.record("linphone_out", tmp_path / "linphone-heard.wav")
    try:
        await asyncio.sleep(3)
    finally:
        stop_process(recorder)
    # hold and retrieve by us (re-INVITEs to linphone's GRUU, through the proxy)
    await backend.hold(call.call_id)
    await events.wait(kind(CallEventKind.HELD, call.call_id), 5)
    await in_thread(linphone.wait_state, "PausedByRemote", 5)
    await backend.retrieve(call.call_id)
    await events.wait(kind(CallEventKind.RETRIEVED, call.call_id), 5)
    await in_thread(linphone.wait_state, "StreamsRunning", 5)
    # hold and retrieve by linphone
    their_id = linphone.last_call_id()
    await in_thread(linphone.cmd, f"call-pause {their_id}")
    await events.wait(remote(ConnectionState.HOLD, call.call_id), 5)
    await in_thread(linphone.wait_state, "Paused", 5, their_id)
    await in_thread(linphone.cmd, f"call-resume {their_id}")
    await events.wait(remote(ConnectionState.CONNECTED, call.call_id), 5)
    # past 32 s: linphone got our ACK (Timer H would have ended the call otherwise)
    await asyncio.sleep(max(0.0, 35 - (time.monotonic() - started)))
    assert not any(kind(CallEventKind.CONNECTION_CLEARED)(e) for e in events.seen)
    assert "StreamsRunning" in await in_thread(linphone.state)
    stream = backend.media.streams[0]
    received = stream.packets_received
    await asyncio.sleep(1)
    assert stream.packets_received - received >= 40  # 50 packets/s still flowing in
    await backend.hangup(call.call_id)
    await events.wait(kind(CallEventKind.CONNECTION_CLEARED, call.call_id), 5)
    await in_thread(linphone.wait, lambda: not linphone.state(), 5, "call released")
    await backend.close()
    # GRUU really was on: our in-dialog requests targeted linphone's public GRUU
    routed = kamailio.log.read_text(errors="replace")[mark:]
    for method in ("ACK", "INVITE", "BYE"):
        assert f"REQ {method} sip:1004@127.0.0.1;gr=urn:uuid:" in routed, method
    hz, purity, _ = steady_tone(heard)  # linphone's tone, decoded by us
    assert abs(hz - 440) < 10 and purity > 0.8, (hz, purity)
    hz, purity, level = steady_tone(tmp_path / "linphone-heard.wav")  # ours, decoded by linphone
    assert abs(hz - 600) < 10 and purity > 0.8 and level > -20, (hz, purity, level)


async def test_linphone_calls_us_hold_both_ways_and_hangs_up(
    kamailio: Kamailio, phone_factory: Any, linphone: Linphone, tmp_path: Path
) -> None:
    mark = len(kamailio.log.read_text(errors="replace"))
    write_tone(tmp_path / "tone600.wav", 600, 60, amplitude=0.5)
    heard = tmp_path / "heard.wav"
    backend, events = await phone_factory(
        kamailio, audio_device=f"wav:{tmp_path / 'tone600.wav'},{heard}"
    )
    await in_thread(linphone.call, f"sip:1001@127.0.0.1:{kamailio.port}")
    ring = await events.wait(kind(CallEventKind.DELIVERED), 10)
    call = ring.call
    assert call.direction is Direction.INBOUND and call.remote.number == "1004"
    await backend.answer(call.call_id)
    await events.wait(kind(CallEventKind.ESTABLISHED, call.call_id), 5)
    await in_thread(linphone.wait_state, "StreamsRunning", 5)
    await in_thread(linphone.cmd, f"incall-player-start {linphone.dir / 'tone440.wav'}")
    await asyncio.sleep(2)
    await backend.hold(call.call_id)
    await events.wait(kind(CallEventKind.HELD, call.call_id), 5)
    await in_thread(linphone.wait_state, "PausedByRemote", 5)
    await backend.retrieve(call.call_id)
    await events.wait(kind(CallEventKind.RETRIEVED, call.call_id), 5)
    await in_thread(linphone.wait_state, "StreamsRunning", 5)
    their_id = linphone.last_call_id()
    await in_thread(linphone.cmd, f"call-pause {their_id}")
    await events.wait(remote(ConnectionState.HOLD, call.call_id), 5)
    await in_thread(linphone.wait_state, "Paused", 5, their_id)
    await in_thread(linphone.cmd, f"call-resume {their_id}")
    await events.wait(remote(ConnectionState.CONNECTED, call.call_id), 5)
    await in_thread(linphone.cmd, "terminate")
    cleared = await events.wait(kind(CallEventKind.CONNECTION_CLEARED, call.call_id), 5)
    assert cleared.call.cause is Cause.NORMAL_CLEARING
    await backend.close()
    routed = kamailio.log.read_text(errors="replace")[mark:]  # our re-INVITEs to its GRUU
    assert "REQ INVITE sip:1004@127.0.0.1;gr=urn:uuid:" in routed
    hz, purity, _ = steady_tone(heard)
    assert abs(hz - 440) < 10 and purity > 0.8, (hz, purity)
