"""Simulated switch: basic call control as the operator's console sees it."""

from __future__ import annotations

import pytest

from tws_tui.core.errors import InvalidDestination, InvalidState, NotFound
from tws_tui.core.events import CallEventKind
from tws_tui.core.model import (
    Action,
    Cause,
    ConnectionState,
    Direction,
    Forward,
    ForwardKind,
    LineState,
    Outcome,
)
from tws_tui.simulator.testing import CALLER, Harness

A = ConnectionState


@pytest.fixture
def h() -> Harness:
    return Harness()


def test_make_call_to_colleague_rings_then_answer_connects_both(h: Harness) -> None:
    bob = h.colleague()
    call_id = h.switch.make_call("100", bob.extension)
    mine = h.call(call_id)
    assert (mine.state, mine.remote_state) == (A.CONNECTED, A.ALERTING)  # ringback
    assert mine.remote.name == bob.name and mine.direction is Direction.OUTBOUND  # I placed it
    assert h.line(bob) == LineState.RINGING
    assert mine.allowed == {Action.HANGUP, Action.MUTE}

    h.advance(4)
    h.answer_at(bob)
    mine = h.call(call_id)
    assert (mine.state, mine.remote_state) == (A.CONNECTED, A.CONNECTED)
    assert mine.answered_at == h.clock.now()
    assert h.line(bob) == LineState.TALKING
    assert {Action.HOLD, Action.BLIND_TRANSFER, Action.PARK} <= mine.allowed


def test_clear_by_operator_clears_the_other_side(h: Harness) -> None:
    bob = h.colleague()
    call_id = h.switch.make_call("100", bob.extension)
    h.answer_at(bob)
    h.switch.clear_connection(call_id)
    assert h.gone(call_id)
    assert not bob.conns and h.line(bob) == LineState.IDLE
    assert h.call_events(call_id)[-1].kind is CallEventKind.CONNECTION_CLEARED


def test_clear_by_far_end_clears_operator_and_journals_answered(h: Harness) -> None:
    call_id = h.talking_with_caller()
    h.advance(42)
    h.switch.party_hangs_up(CALLER.number or "")
    assert h.gone(call_id)
    entry = h.state.history[0]
    assert entry.outcome is Outcome.ANSWERED and entry.duration_s == 42
    assert entry.remote.name == "Jeanne Moreau" and entry.direction is Direction.INBOUND


def test_caller_hangs_up_while_ringing_is_a_missed_call(h: Harness) -> None:
    h.ring_me()
    h.switch.party_hangs_up(CALLER.number or "")
    assert h.ringing() == []
    assert h.state.history[0].outcome is Outcome.MISSED
    assert h.state.missed_calls == 1
    assert h.switch.snapshot().missed_calls == 1


def test_call_to_busy_colleague_fails_busy(h: Harness) -> None:
    bob, alice = h.colleague(0), h.colleague(1)
    h.switch.make_call(alice.device_id, bob.extension)
    call_id = h.switch.make_call("100", bob.extension)
    mine = h.call(call_id)
    assert (mine.state, mine.cause) == (A.FAIL, Cause.BUSY)
    assert mine.allowed == {Action.HANGUP}
    h.switch.clear_connection(call_id)
    assert h.state.history[0].outcome is Outcome.FAILED


def test_call_to_dnd_colleague_fails_with_dnd_cause(h: Harness) -> None:
    bob = h.colleague()
    h.switch.set_dnd(bob.extension, True)
    assert h.state.devices[bob.device_id].dnd
    call_id = h.switch.make_call("100", bob.extension)
    assert (h.call(call_id).state, h.call(call_id).cause) == (A.FAIL, Cause.DO_NOT_DISTURB)


def test_unknown_extension_is_unobtainable_and_garbage_is_refused(h: Harness) -> None:
    call_id = h.switch.make_call("100", "999")
    assert h.call(call_id).cause is Cause.DEST_NOT_OBTAINABLE
    with pytest.raises(InvalidDestination):
        h.switch.make_call("100", "bonjour")
    with pytest.raises(InvalidDestination):
        h.switch.make_call("100", "100")  # myself


def test_outgoing_external_call_is_outbound_to_a_french_number(h: Harness) -> None:
    call_id = h.switch.make_call("100", "01 23 45 67 89")
    mine = h.call(call_id)
    assert mine.direction is Direction.OUTBOUND
    assert mine.remote.number == "+33123456789" and mine.remote_state is A.ALERTING


def test_unconditional_forward_routes_the_call(h: Harness) -> None:
    bob, carol = h.colleague(0), h.colleague(1)
    h.switch.set_forward(bob.extension, ForwardKind.UNCONDITIONAL, Forward(True, carol.extension))
    assert h.state.devices[bob.device_id].forward_unconditional == carol.extension
    call_id = h.switch.make_call("100", bob.extension)
    assert not bob.conns and h.line(carol) == LineState.RINGING
    mine = h.call(call_id)
    assert mine.remote.name == carol.name
    carol_conn = carol.conns[0]
    assert carol_conn.cause is Cause.CALL_FORWARD
    assert carol_conn.redirected_from is not None
    assert carol_conn.redirected_from.number == bob.extension


def test_busy_forward_routes_only_when_busy(h: Harness) -> None:
    bob, carol, dave = h.colleague(0), h.colleague(1), h.colleague(2)
    h.switch.set_forward(bob.extension, ForwardKind.BUSY, Forward(True, carol.extension))
    first = h.switch.make_call("100", bob.extension)
    assert h.line(bob) == LineState.RINGING  # not busy: rings bob
    h.switch.clear_connection(first)
    h.switch.make_call(dave.device_id, bob.extension)  # now bob is busy
    second = h.switch.make_call("100", bob.extension)
    assert h.call(second).remote.name == carol.name
    assert carol.conns[0].cause is Cause.CALL_FORWARD


def test_dnd_with_busy_forward_goes_to_the_forward(h: Harness) -> None:
    bob, carol = h.colleague(0), h.colleague(1)
    h.switch.set_forward(bob.extension, ForwardKind.BUSY, Forward(True, carol.extension))
    h.switch.set_dnd(bob.extension, True)
    call_id = h.switch.make_call("100", bob.extension)
    assert h.call(call_id).remote.name == carol.name


def test_no_answer_forward_routes_after_ring_time(h: Harness) -> None:
    bob, carol = h.colleague(0), h.colleague(1)
    fwd = Forward(True, carol.extension, ring_time_s=15)
    h.switch.set_forward(bob.extension, ForwardKind.NO_ANSWER, fwd)
    call_id = h.switch.make_call("100", bob.extension)
    h.advance(14.9)
    assert h.line(bob) == LineState.RINGING and not carol.conns
    h.advance(0.2)
    assert h.line(bob) == LineState.IDLE and h.line(carol) == LineState.RINGING
    assert h.call(call_id).remote.name == carol.name


def test_operator_no_answer_forward_default_20s(h: Harness) -> None:
    bob = h.colleague()
    h.switch.set_forward("100", ForwardKind.NO_ANSWER, Forward(True, bob.extension))
    assert h.state.me is not None and h.state.me.forwards[ForwardKind.NO_ANSWER].enabled
    h.ring_me()
    h.advance(19)
    assert len(h.ringing()) == 1
    h.advance(1.5)
    assert h.ringing() == [] and h.line(bob) == LineState.RINGING
    assert h.state.history[0].outcome is Outcome.MISSED


def test_hold_and_retrieve(h: Harness) -> None:
    call_id = h.talking_with_caller()
    h.switch.hold(call_id)
    held = h.call(call_id)
    assert held.state is A.HOLD and Action.RETRIEVE in held.allowed
    assert Action.HOLD not in held.allowed
    h.switch.retrieve(call_id)
    assert h.call(call_id).state is A.CONNECTED
    kinds = [e.kind for e in h.call_events(call_id)]
    assert kinds[-2:] == [CallEventKind.HELD, CallEventKind.RETRIEVED]


def test_colleague_holding_shows_remote_hold(h: Harness) -> None:
    bob = h.colleague()
    call_id = h.switch.make_call("100", bob.extension)
    bob_conn = h.answer_at(bob)
    h.switch.hold(bob_conn)
    assert h.call(call_id).remote_state is A.HOLD
    assert h.line(bob) == LineState.HOLD


def test_deflect_sends_the_ringing_call_elsewhere(h: Harness) -> None:
    bob = h.colleague()
    call_id = h.ring_me()
    h.switch.deflect(call_id, bob.extension)
    assert h.gone(call_id)
    last = h.call_events(call_id)[-1]
    assert last.kind is CallEventKind.DIVERTED and last.new_destination is not None
    assert last.new_destination.name == bob.name
    assert bob.conns[0].state is A.ALERTING and bob.conns[0].redirected_from is not None
    assert h.state.history[0].outcome is Outcome.TRANSFERRED


def test_deflect_to_busy_destination_is_refused_and_keeps_ringing(h: Harness) -> None:
    bob = h.colleague()
    h.switch.set_dnd(bob.extension, True)
    call_id = h.ring_me()
    with pytest.raises(InvalidDestination):
        h.switch.deflect(call_id, bob.extension)
    assert h.call(call_id).state is A.ALERTING


def test_directed_pickup_of_a_colleagues_ringing_call(h: Harness) -> None:
    bob = h.colleague()
    h.switch.inject_incoming_call(bob.extension, CALLER)
    assert h.line(bob) == LineState.RINGING
    call_id = h.switch.pickup("100", bob.device_id)
    mine = h.call(call_id)
    assert mine.state is A.CONNECTED and mine.remote.name == "Jeanne Moreau"
    assert mine.cause is Cause.CALL_PICKUP and h.line(bob) == LineState.IDLE


def test_pickup_with_nothing_ringing_is_invalid(h: Harness) -> None:
    with pytest.raises(InvalidState):
        h.switch.pickup("100", h.colleague().device_id)
    with pytest.raises(NotFound):
        h.switch.pickup("100", "dev-999")


def test_dtmf_digits_are_recorded_and_bad_digits_refused(h: Harness) -> None:
    call_id = h.talking_with_caller()
    h.switch.send_dtmf(call_id, "12#")
    h.switch.send_dtmf(call_id, "*A")
    assert h.call(call_id).extra["dtmf"] == "12#*A"
    with pytest.raises(InvalidDestination):
        h.switch.send_dtmf(call_id, "12x")
    assert h.call(call_id).extra["dtmf"] == "12#*A"


def test_dtmf_on_a_ringing_call_is_invalid_state(h: Harness) -> None:
    call_id = h.ring_me()
    with pytest.raises(InvalidState):
        h.switch.send_dtmf(call_id, "1")


def test_mute_and_recording_flags(h: Harness) -> None:
    call_id = h.talking_with_caller()
    h.switch.set_mute(call_id, True)
    h.switch.set_recording(call_id, True)
    call = h.call(call_id)
    assert call.muted and call.recording
    h.switch.set_mute(call_id, False)
    assert not h.call(call_id).muted and h.call(call_id).recording
    assert h.call_events(call_id)[-1].kind is CallEventKind.INFORMATION


def test_two_incoming_calls_at_once_ring_the_operator(h: Harness) -> None:
    first = h.ring_me()
    second = h.ring_me("+33498765432")
    assert [c.call_id for c in h.ringing()] == [first, second]
    h.switch.answer(first)
    h.switch.answer(second)  # answering the second holds the first
    assert h.call(first).state is A.HOLD and h.call(second).state is A.CONNECTED
    assert h.state.active_call() == h.call(second)


def test_answer_while_talking_holds_the_active_call(h: Harness) -> None:
    talking = h.talking_with_caller()
    ringing = h.ring_me("+33498765432")
    assert h.call(talking).state is A.CONNECTED and h.call(ringing).state is A.ALERTING
    h.switch.answer(ringing)
    assert h.call(talking).state is A.HOLD
    h.switch.retrieve(talking)
    assert h.call(ringing).state is A.HOLD and h.call(talking).state is A.CONNECTED


def test_masked_caller_has_no_number(h: Harness) -> None:
    from tws_tui.core.model import Party

    call_id = h.ring_me(Party(None))
    assert h.call(call_id).remote.number is None


def test_any_telephony_action_stops_the_recording(h: Harness) -> None:
    """TWS-3.7.4-1: hold, consultation and conference stop it; resuming does not restart it."""
    primary = h.talking_with_caller()
    h.switch.set_recording(primary, True)
    assert h.call(primary).recording
    h.switch.hold(primary)
    assert not h.call(primary).recording
    h.switch.retrieve(primary)
    assert not h.call(primary).recording  # restarted by hand only
    h.switch.set_recording(primary, True)
    bob = h.colleague()
    transfer = h.switch.start_transfer(primary, bob.extension)
    assert not h.call(primary).recording
    h.answer_at(bob)
    h.switch.conference(transfer.transfer_id)
    conference = h.call(primary)
    assert not conference.recording and Action.RECORD not in conference.allowed
