"""Simulated switch: blind and attended transfer, alternate, conference."""

from __future__ import annotations

import pytest

from tws_tui.core.errors import InvalidState, NotFound
from tws_tui.core.events import CallEventKind, TransferEvent
from tws_tui.core.model import (
    Action,
    Cause,
    ConnectionState,
    Direction,
    LineState,
    Outcome,
    Party,
    TransferStatus,
)
from tws_tui.simulator.testing import CALLER, Harness

A = ConnectionState
S = TransferStatus


@pytest.fixture
def h() -> Harness:
    return Harness()


def statuses(h: Harness, transfer_id: str) -> list[TransferStatus]:
    return [
        e.transfer.status
        for e in h.events
        if isinstance(e, TransferEvent) and e.transfer.transfer_id == transfer_id
    ]


def caller_conn(h: Harness):  # type: ignore[no-untyped-def]
    return next(c for c in h.switch.conns.values() if c.endpoint.number == CALLER.number)


# ---- blind ------------------------------------------------------------------------------


def test_blind_transfer_leaves_at_once_and_target_rings(h: Harness) -> None:
    bob = h.colleague()
    call_id = h.talking_with_caller()
    h.switch.blind_transfer(call_id, bob.extension)
    assert h.gone(call_id)
    assert h.call_events(call_id)[-1].kind is CallEventKind.TRANSFERRED
    assert h.line(bob) == LineState.RINGING
    assert bob.conns[0].direction is Direction.INBOUND
    entry = h.state.history[0]
    assert entry.outcome is Outcome.TRANSFERRED and entry.transferred_to == bob.extension
    h.answer_at(bob)
    assert caller_conn(h).call is bob.conns[0].call and h.line(bob) == LineState.TALKING


def test_blind_transfer_to_busy_target_comes_back_with_cause_busy(h: Harness) -> None:
    bob, alice = h.colleague(0), h.colleague(1)
    h.switch.make_call(alice.device_id, bob.extension)
    call_id = h.talking_with_caller()
    h.switch.blind_transfer(call_id, bob.extension)
    assert h.gone(call_id)
    (recall,) = h.ringing()
    assert recall.call_id != call_id
    assert recall.cause is Cause.BUSY and recall.remote.name == "Jeanne Moreau"
    assert recall.redirected_from is not None and recall.redirected_from.number == bob.extension


def test_blind_transfer_not_answered_recalls_after_timeout(h: Harness) -> None:
    bob = h.colleague()
    call_id = h.talking_with_caller()
    h.switch.blind_transfer(call_id, bob.extension)
    h.advance(29)
    assert h.ringing() == []
    h.advance(2)
    (recall,) = h.ringing()
    assert recall.cause is Cause.CALL_NOT_ANSWERED and h.line(bob) == LineState.IDLE


# ---- attended ---------------------------------------------------------------------------


def test_consult_then_complete(h: Harness) -> None:
    bob = h.colleague()
    primary = h.talking_with_caller()
    transfer = h.switch.start_transfer(primary, bob.extension)
    assert transfer.status is S.RINGBACK
    consult = h.call(transfer.consult_call_id or "")
    assert consult.consult_of == primary and consult.remote_state is A.ALERTING
    assert h.call(primary).state is A.HOLD
    assert Action.ATTENDED_TRANSFER not in h.call(primary).allowed
    assert h.state.transfers[transfer.transfer_id].status is S.RINGBACK

    h.answer_at(bob)
    assert h.state.transfers[transfer.transfer_id].status is S.ANSWERED
    h.switch.complete_transfer(transfer.transfer_id)
    assert h.gone(primary) and h.gone(consult.call_id)
    assert transfer.transfer_id not in h.state.transfers
    assert statuses(h, transfer.transfer_id) == [S.DIALING, S.RINGBACK, S.ANSWERED, S.COMPLETED]
    caller = caller_conn(h)
    assert [c.endpoint for c in caller.call.conns if c is not caller] == [bob]
    assert bob.conns[0].state is A.CONNECTED
    assert h.state.history[0].transferred_to == bob.extension


def test_complete_while_target_still_rings_caller_hears_ringing(h: Harness) -> None:
    bob = h.colleague()
    primary = h.talking_with_caller()
    transfer = h.switch.start_transfer(primary, bob.extension)
    h.switch.complete_transfer(transfer.transfer_id)
    assert h.state.calls == {}
    caller = caller_conn(h)
    (target,) = [c for c in caller.call.conns if c is not caller]
    assert target.endpoint is bob and target.state is A.ALERTING
    h.answer_at(bob)
    assert h.line(bob) == LineState.TALKING and caller.answered_at is not None


def test_consult_then_cancel_takes_the_caller_back(h: Harness) -> None:
    bob = h.colleague()
    primary = h.talking_with_caller()
    transfer = h.switch.start_transfer(primary, bob.extension)
    h.answer_at(bob)
    h.switch.cancel_transfer(transfer.transfer_id)
    assert h.call(primary).state is A.CONNECTED
    assert h.gone(transfer.consult_call_id or "") and h.line(bob) == LineState.IDLE
    assert statuses(h, transfer.transfer_id)[-1] is S.CANCELLED
    assert transfer.transfer_id not in h.state.transfers
    with pytest.raises(NotFound):
        h.switch.cancel_transfer(transfer.transfer_id)


def test_alternate_swaps_held_and_active(h: Harness) -> None:
    bob = h.colleague()
    primary = h.talking_with_caller()
    transfer = h.switch.start_transfer(primary, bob.extension)
    consult = transfer.consult_call_id or ""
    with pytest.raises(InvalidState):
        h.switch.alternate(transfer.transfer_id)  # bob has not answered yet
    h.answer_at(bob)
    h.switch.alternate(transfer.transfer_id)
    assert (h.call(primary).state, h.call(consult).state) == (A.CONNECTED, A.HOLD)
    h.switch.alternate(transfer.transfer_id)
    assert (h.call(primary).state, h.call(consult).state) == (A.HOLD, A.CONNECTED)
    h.switch.complete_transfer(transfer.transfer_id)  # works from either side
    assert h.state.calls == {}


def test_consult_busy_target_fails_and_primary_stays_held(h: Harness) -> None:
    bob = h.colleague()
    h.switch.set_dnd(bob.extension, True)
    primary = h.talking_with_caller()
    transfer = h.switch.start_transfer(primary, bob.extension)
    assert transfer.status is S.FAILED and transfer.transfer_id not in h.state.transfers
    consult = h.call(transfer.consult_call_id or "")
    assert (consult.state, consult.cause) == (A.FAIL, Cause.DO_NOT_DISTURB)
    assert h.call(primary).state is A.HOLD
    h.switch.clear_connection(consult.call_id)
    h.switch.retrieve(primary)
    assert h.call(primary).state is A.CONNECTED


def test_conference_then_operator_leaves_the_two_others_stay(h: Harness) -> None:
    bob = h.colleague()
    primary = h.talking_with_caller()
    transfer = h.switch.start_transfer(primary, bob.extension)
    with pytest.raises(InvalidState):
        h.switch.conference(transfer.transfer_id)  # bob still ringing
    h.answer_at(bob)
    h.switch.conference(transfer.transfer_id)
    conf = h.call(primary)
    assert conf.state is A.CONNECTED
    assert {p.name for p in conf.conference} == {"Jeanne Moreau", bob.name}
    assert h.gone(transfer.consult_call_id or "")
    assert Action.BLIND_TRANSFER not in conf.allowed and Action.PARK not in conf.allowed
    assert h.call_events(primary)[-1].kind is CallEventKind.CONFERENCED

    h.switch.clear_connection(primary)
    assert h.state.calls == {}
    caller = caller_conn(h)
    assert caller.state is A.CONNECTED and bob.conns[0].call is caller.call
    assert h.line(bob) == LineState.TALKING
    h.switch.party_hangs_up(bob.extension)
    assert not bob.conns and caller_conn_gone(h)


def test_conference_party_leaving_leaves_a_two_party_call(h: Harness) -> None:
    bob = h.colleague()
    primary = h.talking_with_caller()
    transfer = h.switch.start_transfer(primary, bob.extension)
    h.answer_at(bob)
    h.switch.conference(transfer.transfer_id)
    h.switch.party_hangs_up(bob.extension)
    call = h.call(primary)
    assert call.conference == () and call.remote.name == "Jeanne Moreau"
    assert call.state is A.CONNECTED and Action.BLIND_TRANSFER in call.allowed


def test_held_caller_hangs_up_during_consultation(h: Harness) -> None:
    bob = h.colleague()
    primary = h.talking_with_caller()
    transfer = h.switch.start_transfer(primary, bob.extension)
    h.answer_at(bob)
    h.switch.party_hangs_up(CALLER.number or "")
    assert h.gone(primary)
    assert statuses(h, transfer.transfer_id)[-1] is S.FAILED
    consult = h.call(transfer.consult_call_id or "")
    assert consult.state is A.CONNECTED and consult.consult_of is None
    assert consult.remote.name == bob.name and Action.BLIND_TRANSFER in consult.allowed


def test_consulted_party_hangs_up_transfer_cancelled_caller_still_held(h: Harness) -> None:
    bob = h.colleague()
    primary = h.talking_with_caller()
    transfer = h.switch.start_transfer(primary, bob.extension)
    h.answer_at(bob)
    h.switch.party_hangs_up(bob.extension)
    assert h.gone(transfer.consult_call_id or "")
    assert statuses(h, transfer.transfer_id)[-1] is S.CANCELLED
    assert h.call(primary).state is A.HOLD and Action.RETRIEVE in h.call(primary).allowed


def test_consulted_party_rejects_while_ringing_transfer_failed(h: Harness) -> None:
    bob = h.colleague()
    primary = h.talking_with_caller()
    transfer = h.switch.start_transfer(primary, bob.extension)
    h.switch.clear_connection(h.conn_at(bob))
    assert statuses(h, transfer.transfer_id)[-1] is S.FAILED
    assert h.call(primary).state is A.HOLD


def test_no_second_consultation_from_a_consultation(h: Harness) -> None:
    bob, carol = h.colleague(0), h.colleague(1)
    primary = h.talking_with_caller()
    transfer = h.switch.start_transfer(primary, bob.extension)
    h.answer_at(bob)
    consult = transfer.consult_call_id or ""
    assert Action.ATTENDED_TRANSFER not in h.call(consult).allowed
    with pytest.raises(InvalidState):
        h.switch.start_transfer(consult, carol.extension)


def test_clear_call_ends_a_conference_for_every_party(h: Harness) -> None:
    bob = h.colleague()
    primary = h.talking_with_caller()
    transfer = h.switch.start_transfer(primary, bob.extension)
    h.answer_at(bob)
    h.switch.conference(transfer.transfer_id)
    h.switch.clear_call(primary)
    assert h.state.calls == {}
    assert not bob.conns and h.line(bob) == LineState.IDLE
    assert h.switch.conns == {}  # the caller is gone too
    with pytest.raises(NotFound):
        h.switch.clear_call(primary)  # nothing left to clear


def test_the_organiser_drops_one_participant_and_talks_on_with_the_other(h: Harness) -> None:
    bob = h.colleague()
    primary = h.talking_with_caller()
    with pytest.raises(InvalidState):
        h.switch.drop_participant(primary, CALLER)  # a two-party call: nothing to drop
    transfer = h.switch.start_transfer(primary, bob.extension)
    h.answer_at(bob)
    h.switch.conference(transfer.transfer_id)
    with pytest.raises(NotFound):
        h.switch.drop_participant(primary, Party("0999999999", "Nobody"))
    [caller_party] = [p for p in h.call(primary).conference if p.name == "Jeanne Moreau"]
    h.switch.drop_participant(primary, caller_party)
    call = h.call(primary)
    assert call.conference == () and call.state is A.CONNECTED
    assert call.remote.name == bob.name
    assert caller_conn_gone(h)
    assert h.line(bob) == LineState.TALKING


def caller_conn_gone(h: Harness) -> bool:
    return CALLER.number not in [c.endpoint.number for c in h.switch.conns.values()]
