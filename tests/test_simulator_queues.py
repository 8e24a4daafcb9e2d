"""Simulated switch: queues, ACD distribution, overflow, abandon, agent state, parking."""

from __future__ import annotations

import pytest

from tws_tui.core.errors import AlreadyTaken, InvalidState, NotFound
from tws_tui.core.model import (
    AgentState,
    Cause,
    ConnectionState,
    LineState,
    QueueId,
    RingStrategy,
)
from tws_tui.simulator.base import Behaviour
from tws_tui.simulator.testing import CALLER, Harness

A = ConnectionState
ACCUEIL, COMMERCIAL, SUPPORT, DEBORDEMENT = (
    QueueId("accueil"),
    QueueId("commercial"),
    QueueId("support"),
    QueueId("debordement"),
)


@pytest.fixture
def h() -> Harness:
    return Harness()


def waiting(h: Harness, queue: QueueId) -> list[str]:
    return [q.caller.number or "masqué" for q in h.state.queues[queue].waiting]


def test_company_queues_as_the_console_sees_them(h: Harness) -> None:
    queues = h.state.queues
    assert [(q.name, q.number) for q in queues.values()] == [
        ("Accueil", "3900"),
        ("Commercial", "3901"),
        ("Support technique", "3902"),
        ("Débordement", "3909"),
    ]
    assert queues[ACCUEIL].overflow_to == DEBORDEMENT and queues[ACCUEIL].member
    assert not queues[COMMERCIAL].member
    assert queues[COMMERCIAL].agents_ready >= 1


def test_calls_to_a_queue_wait_in_arrival_order_with_positions(h: Harness) -> None:
    for number in ("+33611111111", "+33622222222", "+33633333333"):
        h.switch.inject_incoming_call("3900", number)
        h.advance(1)
    assert waiting(h, ACCUEIL) == ["+33611111111", "+33622222222", "+33633333333"]
    assert [q.position for q in h.state.queues[ACCUEIL].waiting] == [1, 2, 3]
    assert h.state.waiting_total() == 3


def test_priority_caller_goes_ahead(h: Harness) -> None:
    h.switch.inject_incoming_call("3900", "+33611111111")
    h.switch.inject_incoming_call("3900", "+33622222222", priority=5)
    assert waiting(h, ACCUEIL) == ["+33622222222", "+33611111111"]


def test_operator_answers_a_queued_call(h: Harness) -> None:
    queued = h.switch.inject_incoming_call("3900", CALLER)
    call_id = h.switch.answer_queued("100", ACCUEIL, queued)
    mine = h.call(call_id)
    assert mine.state is A.CONNECTED and mine.remote.name == "Jeanne Moreau"
    assert mine.queue is not None and mine.queue.name == "Accueil"
    assert mine.called is not None and mine.called.number == "3900"
    assert waiting(h, ACCUEIL) == []


def test_answer_queued_on_a_taken_call_is_already_taken(h: Harness) -> None:
    queued = h.switch.inject_incoming_call("3900", CALLER)
    h.switch.answer_queued("100", ACCUEIL, queued)
    with pytest.raises(AlreadyTaken):
        h.switch.answer_queued("100", ACCUEIL, queued)
    with pytest.raises(NotFound):
        h.switch.answer_queued("100", ACCUEIL, "call-nope")
    with pytest.raises(NotFound):
        h.switch.answer_queued("100", QueueId("nope"), queued)


def test_overflow_after_timeout_moves_the_call(h: Harness) -> None:
    h.switch.inject_incoming_call("3900", CALLER)
    h.advance(59)
    assert waiting(h, ACCUEIL) == [CALLER.number]
    h.advance(2)
    assert waiting(h, ACCUEIL) == [] and waiting(h, DEBORDEMENT) == [CALLER.number]
    assert h.state.queues[DEBORDEMENT].waiting[0].queue.name == "Débordement"


def test_caller_abandons_after_patience(h: Harness) -> None:
    h.switch.inject_incoming_call("3900", CALLER, patience_s=30)
    h.advance(29)
    assert waiting(h, ACCUEIL) == [CALLER.number]
    h.advance(2)
    assert waiting(h, ACCUEIL) == []


def test_caller_patience_keeps_running_after_overflow(h: Harness) -> None:
    h.switch.inject_incoming_call("3900", CALLER, patience_s=80)
    h.advance(61)
    assert waiting(h, DEBORDEMENT) == [CALLER.number]
    h.advance(20)
    assert waiting(h, DEBORDEMENT) == []


def test_caller_hangs_up_while_queued(h: Harness) -> None:
    queued = h.switch.inject_incoming_call("3900", CALLER)
    h.switch.caller_hangs_up(queued)
    assert waiting(h, ACCUEIL) == []
    with pytest.raises(AlreadyTaken):
        h.switch.answer_queued("100", ACCUEIL, queued)


def test_acd_distributes_to_a_ready_agent_who_answers_after_a_delay() -> None:
    h = Harness(behaviour=Behaviour(colleague_answer_s=(2.0, 4.0), external_answer_s=None))
    before = h.state.queues[COMMERCIAL]
    h.switch.inject_incoming_call("3901", CALLER)
    agents = [
        ep for ep in h.switch.endpoints.values() if ep.conns and ep.internal and not ep.operator
    ]
    (agent,) = agents
    assert COMMERCIAL in agent.queues and agent.agent is AgentState.READY
    assert h.line(agent) == LineState.RINGING and agent.conns[0].cause is Cause.DISTRIBUTED
    assert waiting(h, COMMERCIAL) == []
    after = h.state.queues[COMMERCIAL]
    assert after.agents_busy == before.agents_busy + 1
    assert after.agents_ready == before.agents_ready - 1
    h.advance(1.9)
    assert h.line(agent) == LineState.RINGING
    h.advance(2.2)
    assert h.line(agent) == LineState.TALKING


def test_agent_who_does_not_answer_is_paused_and_call_requeued(h: Harness) -> None:
    h.switch.inject_incoming_call("3902", CALLER)
    (agent,) = [ep for ep in h.switch.endpoints.values() if ep.conns and ep.internal]
    h.advance(15.5)
    assert agent.agent is AgentState.NOT_READY and h.line(agent) == LineState.IDLE
    assert waiting(h, SUPPORT) == [CALLER.number]
    [member] = [a for a in h.state.queues[SUPPORT].agents if a.device_id == agent.device_id]
    assert member.auto_paused and member.reason == "Pas de réponse"  # WPL-14.2-8
    h.switch.set_agent_state(agent.device_id, AgentState.READY)
    [member] = [a for a in h.state.queues[SUPPORT].agents if a.device_id == agent.device_id]
    assert not member.auto_paused and member.reason is None


def test_operator_agent_login_logout_pause_per_queue_and_all(h: Harness) -> None:
    assert h.state.me is not None and h.state.me.agent is AgentState.READY
    h.switch.set_agent_state("100", AgentState.READY, queue_id=COMMERCIAL)
    assert h.state.queues[COMMERCIAL].member
    logged = h.state.queues[COMMERCIAL].agents_logged_in
    h.switch.set_agent_state("100", AgentState.NOT_READY, "Déjeuner")
    assert h.state.me.agent is AgentState.NOT_READY and h.state.me.agent_reason == "Déjeuner"
    assert h.state.queues[COMMERCIAL].agents_logged_in == logged
    h.switch.set_agent_state("100", AgentState.LOGGED_OFF, queue_id=ACCUEIL)
    assert not h.state.queues[ACCUEIL].member and h.state.queues[COMMERCIAL].member
    assert h.state.me.agent is AgentState.NOT_READY
    h.switch.set_agent_state("100", AgentState.LOGGED_OFF)
    assert not any(q.member for q in h.state.queues.values())
    assert h.state.me.agent is AgentState.LOGGED_OFF
    assert h.state.queues[COMMERCIAL].agents_logged_in == logged - 1
    h.switch.set_agent_state("100", AgentState.READY)  # None: all queues
    assert all(q.member for q in h.state.queues.values())
    with pytest.raises(InvalidState):
        h.switch.set_agent_state("100", AgentState.BUSY)


def test_colleague_agent_ready_takes_waiting_call(h: Harness) -> None:
    h.switch.inject_incoming_call("3900", CALLER)
    agents = [ep for ep in h.switch.endpoints.values() if ACCUEIL in ep.home_queues]
    agent = next(ep for ep in agents if not ep.operator)
    assert h.state.queues[ACCUEIL].agents_ready == 1  # only the operator, never pushed calls
    h.switch.set_agent_state(agent.device_id, AgentState.READY)
    assert waiting(h, ACCUEIL) == [] and h.line(agent) == LineState.RINGING


# ---- parking ------------------------------------------------------------------------------


def test_park_then_retrieve(h: Harness) -> None:
    call_id = h.talking_with_caller()
    parked = h.switch.park(call_id)
    assert parked.slot == "701" and h.gone(call_id)
    lot = h.state.parking[parked.lot_id]
    assert [(p.slot, p.caller.name) for p in lot.calls] == [("701", "Jeanne Moreau")]
    assert h.call_events(call_id)[-1].cause is Cause.PARK
    back = h.switch.retrieve_parked("100", parked.lot_id, parked.call_id)
    assert h.call(back).state is A.CONNECTED and h.call(back).remote.name == "Jeanne Moreau"
    assert h.state.parking[parked.lot_id].calls == ()
    with pytest.raises(AlreadyTaken):
        h.switch.retrieve_parked("100", parked.lot_id, parked.call_id)


def test_park_uses_the_next_free_slot(h: Harness) -> None:
    first = h.switch.park(h.talking_with_caller())
    second = h.switch.park(h.talking_with_caller("+33498765432"))
    assert (first.slot, second.slot) == ("701", "702")


def test_park_timeout_rings_back_at_the_parker(h: Harness) -> None:
    parked = h.switch.park(h.talking_with_caller())
    assert parked.timeout_at is not None
    h.advance(119)
    assert h.ringing() == []
    h.advance(2)
    (recall,) = h.ringing()
    assert recall.cause is Cause.TIMEOUT and recall.remote.name == "Jeanne Moreau"
    assert h.state.parking[parked.lot_id].calls == ()


def test_parked_caller_hangs_up(h: Harness) -> None:
    parked = h.switch.park(h.talking_with_caller())
    h.switch.caller_hangs_up(parked.call_id)
    assert h.state.parking[parked.lot_id].calls == ()
    h.advance(200)
    assert h.ringing() == []


def test_caller_hangs_up_while_held(h: Harness) -> None:
    call_id = h.talking_with_caller()
    h.switch.hold(call_id)
    h.switch.party_hangs_up(CALLER.number or "")
    assert h.gone(call_id)


def test_pausing_and_resuming_keeps_the_agent_in_the_same_queues(h: Harness) -> None:
    h.switch.set_agent_state("100", AgentState.LOGGED_OFF)
    h.switch.set_agent_state("100", AgentState.READY, queue_id=SUPPORT)
    h.switch.set_agent_state("100", AgentState.NOT_READY, "Déjeuner")
    h.switch.set_agent_state("100", AgentState.READY)
    assert [q.id for q in h.state.queues.values() if q.member] == [SUPPORT]
    assert h.state.me is not None and h.state.me.agent is AgentState.READY
    h.switch.set_agent_state("100", AgentState.LOGGED_OFF)
    h.switch.set_agent_state("100", AgentState.READY)  # logged out: None means all of mine
    assert len([q for q in h.state.queues.values() if q.member]) > 1


def test_queue_members_and_call_group_settings_are_shown(h: Harness) -> None:
    support = h.state.queues[SUPPORT]
    assert support.strategy is RingStrategy.LONGEST_IDLE and support.announce_position
    states = {a.state for a in support.agents}
    assert AgentState.READY in states and AgentState.NOT_READY in states
    assert len(support.agents) == support.agents_logged_in
    h.switch.inject_incoming_call("3902", CALLER)  # rings a ready agent: on a call
    assert [a.on_call for a in h.state.queues[SUPPORT].agents].count(True) == 1
    assert h.state.queues[ACCUEIL].strategy is RingStrategy.MANUAL


def test_a_full_queue_sends_new_callers_to_its_overflow_at_once(h: Harness) -> None:
    assert h.state.queues[ACCUEIL].max_waiting == 10
    for n in range(11):
        h.switch.inject_incoming_call("3900", f"+336110000{n:02d}")
    assert len(waiting(h, ACCUEIL)) == 10
    assert waiting(h, DEBORDEMENT) == ["+33611000010"]
