"""Transfers and conference against two real baresip user agents: blind transfer (REFER and
NOTIFY progress), attended transfer (REFER with Replaces), and a 3-way conference mixed
locally (each peer hears the other's tone)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
from sip_peers import Baresip, Kamailio, Sipp, analyse, goertzel, loud_part, read_wav

from tws_tui.core.events import CallEvent, CallEventKind, TransferEvent
from tws_tui.core.model import Cause, ConnectionState, TransferStatus

pytestmark = pytest.mark.sip


def kind(k: CallEventKind, call_id: str | None = None) -> Any:
    return lambda e: (
        isinstance(e, CallEvent) and e.kind is k and (call_id is None or e.call.call_id == call_id)
    )


def transfer(status: TransferStatus) -> Any:
    return lambda e: isinstance(e, TransferEvent) and e.transfer.status is status


async def wait_bare(ua: Baresip, event: str, timeout: float = 10.0) -> dict[str, Any]:
    return await asyncio.to_thread(ua.ctl.wait_event, event, timeout)


async def call_up(backend: Any, events: Any, ua: Baresip) -> Any:
    call = await backend.make_call(ua.user)
    await wait_bare(ua, "CALL_INCOMING")
    ua.ctl.cmd("accept")
    await wait_bare(ua, "CALL_ESTABLISHED", 5)
    return (await events.wait(kind(CallEventKind.ESTABLISHED, call.call_id), 5)).call


async def test_blind_transfer(phone: Any, bare_a: Baresip, bare_b: Baresip) -> None:
    backend, events = phone
    call = await call_up(backend, events, bare_a)
    await backend.blind_transfer(call.call_id, "1003")
    incoming = await wait_bare(bare_b, "CALL_INCOMING", 5)
    assert "1002" in str(incoming.get("peeruri"))
    bare_b.ctl.cmd("accept")
    await wait_bare(bare_b, "CALL_ESTABLISHED", 5)
    done = await events.wait(kind(CallEventKind.TRANSFERRED, call.call_id), 10)
    assert done.call.state is ConnectionState.NULL
    assert done.call.cause is Cause.SINGLE_STEP_TRANSFER
    await asyncio.sleep(0.5)
    assert "1003" in bare_a.calls() and "1002" in bare_b.calls()  # A and B talk
    assert not backend.ua.calls


async def test_attended_transfer_with_replaces(
    kamailio: Kamailio, phone: Any, bare_b: Baresip, sipp: Sipp
) -> None:
    """SIPp is the transferee (baresip 1.0 neither sends nor honours Replaces), baresip the
    target. Checked: hold, consultation, REFER with Replaces naming the consultation dialog,
    NOTIFY 200 → BYE of the primary, the consultation cleared, the transfer COMPLETED."""
    backend, events = phone
    uas = sipp.start("uas_refer_replaces.xml", "", kamailio.sipp_port)
    try:
        await asyncio.sleep(0.3)
        call = await backend.make_call("9100")
        primary = (await events.wait(kind(CallEventKind.ESTABLISHED, call.call_id), 5)).call
        xfer = await backend.start_transfer(primary.call_id, "1003")
        held = await events.wait(kind(CallEventKind.HELD, primary.call_id), 5)
        assert held.call.state is ConnectionState.HOLD
        await wait_bare(bare_b, "CALL_INCOMING", 5)
        await events.wait(transfer(TransferStatus.RINGBACK), 5)
        bare_b.ctl.cmd("accept")
        await events.wait(transfer(TransferStatus.ANSWERED), 5)
        consult = await events.wait(kind(CallEventKind.ESTABLISHED, xfer.consult_call_id), 5)
        assert consult.call.consult_of == primary.call_id
        await backend.complete_transfer(xfer.transfer_id)
        await events.wait(transfer(TransferStatus.COMPLETED), 10)
        done = await events.wait(kind(CallEventKind.TRANSFERRED, primary.call_id), 5)
        assert done.call.cause is Cause.TRANSFER
        assert await asyncio.to_thread(uas.wait, 10) == 0, sipp.errors()
        refer = next(line for line in sipp.messages().splitlines() if line.startswith("Refer-To:"))
        assert f"Replaces={consult.call.conversation_id}%3Bto-tag%3D" in refer
        await events.wait(kind(CallEventKind.CONNECTION_CLEARED, xfer.consult_call_id), 8)
        await wait_bare(bare_b, "CALL_CLOSED", 5)
        assert not backend.ua.calls
    finally:
        uas.kill()


async def test_three_way_conference_mixed_locally(
    phone: Any, bare_a: Baresip, bare_b: Baresip
) -> None:
    backend, events = phone
    started = time.monotonic()
    primary = await call_up(backend, events, bare_a)
    xfer = await backend.start_transfer(primary.call_id, "1003")
    await wait_bare(bare_b, "CALL_INCOMING", 5)
    bare_b.ctl.cmd("accept")
    await events.wait(transfer(TransferStatus.ANSWERED), 5)
    await backend.conference(xfer.transfer_id)
    for call_id, other in ((primary.call_id, "1003"), (xfer.consult_call_id, "1002")):
        joined = await events.wait(kind(CallEventKind.CONFERENCED, call_id), 5)
        assert [p.number for p in joined.call.conference] == [other]
        assert joined.call.state is ConnectionState.CONNECTED
    await backend.set_recording(primary.call_id, True)  # what A's leg sends and receives
    rec = await events.wait(
        lambda e: kind(CallEventKind.INFORMATION, primary.call_id)(e) and e.call.recording, 2
    )
    await asyncio.sleep(3.0)
    await backend.clear_call(primary.call_id)
    await wait_bare(bare_a, "CALL_CLOSED", 5)
    await wait_bare(bare_b, "CALL_CLOSED", 5)
    await asyncio.sleep(0.5)
    heard_by_b = analyse(bare_b.dumps_after(started)[-1], skip_s=1.0)
    assert abs(heard_by_b[0] - 440) < 15, heard_by_b  # B hears A's tone through us
    # baresip 1.0 plays nothing after it was held and resumed (its aubridge player), so for A
    # the check is our own recording of A's leg: what we send A (B's 1000 Hz) + what A sends
    samples = loud_part(read_wav(Path(rec.call.extra["recording_file"])), 0.5)[:1600]
    power = {hz: goertzel(samples, hz) for hz in (440, 1000, 700)}
    assert power[1000] > 50 * power[700] and power[440] > 50 * power[700], power
