"""Forwarding done by the softphone itself (issue 17, SIP), against a real caller (SIPp)
through Kamailio: an unconditional forward answers 302 with the destination's Contact before
it rings, DND answers 486 (302 to the DND forward, else to the busy forward, when one is set),
the busy forward 302s a second call while one is up, and the no-answer forward rings, then
302s after the ring time."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from sip_peers import Baresip, Kamailio, Sipp
from test_sip_features import call_up

from tws_tui.core.events import CallEvent, CallEventKind, OperatorEvent
from tws_tui.core.model import Cause, Forward, ForwardKind

pytestmark = pytest.mark.sip


def contact_of_302(sipp: Sipp) -> str:
    """The Contact of the 302 the caller got (SIPp's message log)."""
    log = sipp.messages()
    found = re.search(r"SIP/2\.0 302 .*?^Contact: *([^\r\n]+)", log, re.S | re.M | re.I)
    assert found, f"no 302 with a Contact in the caller's log:\n{log[-3000:]}"
    return found.group(1).strip()


async def call_in(sipp: Sipp, kam: Kamailio, scenario: str) -> None:
    code = await asyncio.to_thread(
        sipp.run, scenario, f"127.0.0.1:{kam.port}", 0, "-s", "1001", timeout_s=15
    )
    assert code == 0, sipp.errors()


async def test_unconditional_forward_answers_302_with_the_destination(
    kamailio: Kamailio, phone: Any, sipp: Sipp
) -> None:
    backend, events = phone
    await backend.set_forward(ForwardKind.UNCONDITIONAL, Forward(True, "3990"))
    me = await events.wait(lambda e: isinstance(e, OperatorEvent), 2)
    assert me.me.forwards[ForwardKind.UNCONDITIONAL] == Forward(True, "3990")
    before = len(events.seen)
    await call_in(sipp, kamailio, "uac_redirected.xml")  # 302, never a 180
    assert contact_of_302(sipp) == f"<sip:3990@127.0.0.1:{kamailio.port}>"
    assert not [e for e in events.since(before) if isinstance(e, CallEvent)]  # never rang here


async def test_dnd_answers_486_or_302_to_the_busy_forward(
    kamailio: Kamailio, phone: Any, sipp: Sipp
) -> None:
    backend, events = phone
    await backend.set_dnd(True)
    me = await events.wait(lambda e: isinstance(e, OperatorEvent) and e.me.dnd, 2)
    assert me.me.dnd
    await call_in(sipp, kamailio, "uac_busy_here.xml")
    await backend.set_forward(ForwardKind.BUSY, Forward(True, "1003"))
    await call_in(sipp, kamailio, "uac_redirected.xml")
    assert contact_of_302(sipp) == f"<sip:1003@127.0.0.1:{kamailio.port}>"
    await backend.set_dnd(False)
    await backend.set_forward(ForwardKind.BUSY, Forward(False))
    ringing = asyncio.ensure_future(call_in(sipp, kamailio, "uac_deflect.xml"))
    ring = await events.wait(
        lambda e: isinstance(e, CallEvent) and e.kind is CallEventKind.DELIVERED, 10
    )
    await backend.deflect(ring.call.call_id, "1003")  # no DND, no forward: it rang
    await ringing


async def test_dnd_forward_302s_to_its_own_destination_before_the_busy_one(
    kamailio: Kamailio, phone: Any, sipp: Sipp
) -> None:
    """Selfcare §4.5: the forward while DND is its own destination (ForwardKind.DND); the
    busy forward stays for when I am on a call."""
    backend, events = phone
    await backend.set_forward(ForwardKind.BUSY, Forward(True, "1003"))
    await backend.set_forward(ForwardKind.DND, Forward(True, "3990"))
    await backend.set_dnd(True)
    me = await events.wait(lambda e: isinstance(e, OperatorEvent) and e.me.dnd, 2)
    assert me.me.forwards[ForwardKind.DND] == Forward(True, "3990")
    await call_in(sipp, kamailio, "uac_redirected.xml")
    assert contact_of_302(sipp) == f"<sip:3990@127.0.0.1:{kamailio.port}>"


async def test_busy_forward_while_on_a_call(
    kamailio: Kamailio, phone: Any, bare_a: Baresip, sipp: Sipp
) -> None:
    backend, events = phone
    await backend.set_forward(ForwardKind.BUSY, Forward(True, "3991"))
    call = await call_up(backend, events, bare_a)
    await call_in(sipp, kamailio, "uac_redirected.xml")
    assert contact_of_302(sipp) == f"<sip:3991@127.0.0.1:{kamailio.port}>"
    await backend.hangup(call.call_id)


async def test_no_answer_forward_rings_then_302_after_the_ring_time(
    kamailio: Kamailio, phone: Any, sipp: Sipp
) -> None:
    backend, events = phone
    await backend.set_forward(ForwardKind.NO_ANSWER, Forward(True, "1003", ring_time_s=1))
    caller = asyncio.ensure_future(call_in(sipp, kamailio, "uac_deflect.xml"))  # 180, then 302
    ring = await events.wait(
        lambda e: isinstance(e, CallEvent) and e.kind is CallEventKind.DELIVERED, 10
    )
    gone = await events.wait(
        lambda e: (
            isinstance(e, CallEvent)
            and e.kind is CallEventKind.DIVERTED
            and e.call.call_id == ring.call.call_id
        ),
        5,
    )
    assert gone.cause is Cause.CALL_FORWARD and gone.new_destination.number == "1003"
    waited = (gone.at - ring.at).total_seconds()
    assert 0.8 <= waited <= 3.0, waited
    await caller
    assert contact_of_302(sipp) == f"<sip:1003@127.0.0.1:{kamailio.port}>"
