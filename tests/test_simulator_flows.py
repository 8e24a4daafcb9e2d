"""Simulated switch: call flows (day/night routing by schedule or forced) and pause reasons."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tws_tui.core.errors import InvalidState, NotFound
from tws_tui.core.events import CallFlowEvent
from tws_tui.core.model import (
    AgentState,
    Cause,
    ConnectionState,
    FlowId,
    FlowMode,
    Party,
    QueueId,
)
from tws_tui.simulator.schedule import Schedule, zone
from tws_tui.simulator.testing import CALLER, Harness
from tws_tui.simulator.traffic import Traffic

A = ConnectionState
ACCUEIL, DEBORDEMENT = QueueId("accueil"), QueueId("debordement")
ACCUEIL_HOURS, SUPPORT_HOURS, NIGHT = (
    FlowId("accueil-horaires"),
    FlowId("support-horaires"),
    FlowId("mode-nuit"),
)
# The harness clock starts on Sunday 22 November 2026 at 09:00 UTC, 10:00 in Paris: the
# reception's weekend desk is open until 12:00 (11:00 UTC), the support until 13:00.
ACCUEIL_CLOSES = datetime(2026, 11, 22, 11, 0, tzinfo=UTC)
MONDAY_0830_PARIS = datetime(2026, 11, 23, 7, 30, tzinfo=UTC)


@pytest.fixture
def h() -> Harness:
    return Harness()


def advance_to(h: Harness, at: datetime) -> None:
    h.advance((at - h.clock.now()).total_seconds())


def flow_events(h: Harness, flow_id: FlowId) -> list[CallFlowEvent]:
    return [e for e in h.events if isinstance(e, CallFlowEvent) and e.flow.id == flow_id]


def waiting(h: Harness, queue: QueueId) -> list[str | None]:
    return [q.caller.number for q in h.state.queues[queue].waiting]


def legs(h: Harness, call_id: str) -> list[tuple[str | None, ConnectionState]]:
    """Who is on the switch's call ``call_id`` now (name, or number), caller first."""
    call = h.switch.calls.get(call_id)
    if call is None:
        return []
    return [(c.endpoint.name or c.endpoint.number, c.state) for c in call.conns]


def test_company_flows_and_pause_reasons_as_the_console_sees_them(h: Harness) -> None:
    flows = h.state.call_flows
    assert list(flows) == [ACCUEIL_HOURS, SUPPORT_HOURS, NIGHT]
    accueil = flows[ACCUEIL_HOURS]
    assert accueil.name == "Accueil – horaires" and accueil.queue_id == ACCUEIL
    assert accueil.schedule == "Lun–Ven 08:30–12:30, 13:30–18:00 ; Sam–Dim 09:00–12:00"
    assert accueil.closed_destination == "3990" and accueil.mode is FlowMode.AUTO
    assert all(f.open_now for f in flows.values())
    assert flows[NIGHT].queue_id is None and flows[NIGHT].schedule is None
    assert h.state.pause_reasons == ("Pause", "Déjeuner", "Réunion", "Back-office", "Formation")


def test_schedule_closes_and_reopens_with_the_clock(h: Harness) -> None:
    advance_to(h, ACCUEIL_CLOSES)
    (closed,) = flow_events(h, ACCUEIL_HOURS)
    assert not closed.flow.open_now and closed.at == ACCUEIL_CLOSES
    assert not h.state.call_flows[ACCUEIL_HOURS].open_now
    assert h.state.call_flows[SUPPORT_HOURS].open_now  # support keeps going until 13:00

    call_id = h.switch.inject_incoming_call("3900", CALLER)
    assert waiting(h, ACCUEIL) == []
    assert legs(h, call_id) == [("Jeanne Moreau", A.CONNECTED), ("Messagerie vocale", A.ALERTING)]

    advance_to(h, MONDAY_0830_PARIS)
    assert [e.flow.open_now for e in flow_events(h, ACCUEIL_HOURS)] == [False, True]
    assert flow_events(h, ACCUEIL_HOURS)[-1].at == MONDAY_0830_PARIS
    h.switch.inject_incoming_call("3900", "+33611111111")
    assert waiting(h, ACCUEIL) == ["+33611111111"]


def test_forced_night_sends_new_calls_to_the_closed_destination(h: Harness) -> None:
    queued = h.switch.inject_incoming_call("3900", "+33611111111")
    h.switch.set_call_flow(ACCUEIL_HOURS, FlowMode.NIGHT)
    (event,) = flow_events(h, ACCUEIL_HOURS)
    assert event.flow.mode is FlowMode.NIGHT and not event.flow.open_now

    call_id = h.switch.inject_incoming_call("3900", CALLER)
    assert waiting(h, ACCUEIL) == ["+33611111111"]  # who waited before still waits
    assert queued != call_id
    machine = h.switch.calls[call_id].conns[1]
    assert machine.cause is Cause.CALL_FORWARD
    assert machine.redirected_from == Party("3900", "Accueil")
    h.advance(1)  # the voicemail picks up after one ring, whoever is at their desk
    assert legs(h, call_id) == [("Jeanne Moreau", A.CONNECTED), ("Messagerie vocale", A.CONNECTED)]
    h.advance(90)  # ... and hangs up after the longest message
    assert legs(h, call_id) == []


def test_closed_announcement_plays_then_hangs_up_and_the_operator_hears_it(h: Harness) -> None:
    h.switch.set_call_flow(NIGHT, FlowMode.NIGHT)
    conn_id = h.switch.make_call("100", "3909")  # every queue is closed, Débordement too
    assert h.call(conn_id).remote.name == "Annonce de fermeture"
    h.advance(1)
    assert h.call(conn_id).remote_state is A.CONNECTED
    h.advance(20)
    assert h.gone(conn_id)
    assert waiting(h, DEBORDEMENT) == []


def test_forced_day_outside_hours_lets_calls_in_and_auto_goes_back(h: Harness) -> None:
    advance_to(h, ACCUEIL_CLOSES)
    h.switch.set_call_flow(ACCUEIL_HOURS, FlowMode.DAY)
    assert h.state.call_flows[ACCUEIL_HOURS].open_now
    assert h.state.call_flows[ACCUEIL_HOURS].mode is FlowMode.DAY
    h.switch.inject_incoming_call("3900", "+33611111111")
    assert waiting(h, ACCUEIL) == ["+33611111111"]

    h.switch.set_call_flow(ACCUEIL_HOURS, FlowMode.AUTO)
    flow = h.state.call_flows[ACCUEIL_HOURS]
    assert flow.mode is FlowMode.AUTO and not flow.open_now
    call_id = h.switch.inject_incoming_call("3900", CALLER)
    assert waiting(h, ACCUEIL) == ["+33611111111"]
    assert legs(h, call_id)[1] == ("Messagerie vocale", A.ALERTING)


def test_a_forced_flow_ignores_its_schedule_boundaries(h: Harness) -> None:
    h.switch.set_call_flow(ACCUEIL_HOURS, FlowMode.DAY)
    advance_to(h, ACCUEIL_CLOSES)
    assert len(flow_events(h, ACCUEIL_HOURS)) == 1  # the mode change only
    assert h.state.call_flows[ACCUEIL_HOURS].open_now


def test_night_mode_closes_every_queue_and_the_queue_own_flow_comes_first(h: Harness) -> None:
    h.switch.set_call_flow(NIGHT, FlowMode.NIGHT)
    to_support = h.switch.inject_incoming_call("3902", CALLER)
    assert legs(h, to_support)[1] == ("Annonce de fermeture", A.ALERTING)
    h.switch.set_call_flow(ACCUEIL_HOURS, FlowMode.NIGHT)
    to_accueil = h.switch.inject_incoming_call("3900", CALLER)
    assert legs(h, to_accueil)[1] == ("Messagerie vocale", A.ALERTING)
    assert h.state.waiting_total() == 0


def test_closed_without_destination_hangs_up(h: Harness) -> None:
    h.switch.flows[NIGHT].closed_destination = None
    h.switch.set_call_flow(NIGHT, FlowMode.NIGHT)
    call_id = h.switch.inject_incoming_call("3901", CALLER)
    assert legs(h, call_id) == [] and h.state.waiting_total() == 0
    conn_id = h.switch.make_call("100", "3901")
    mine = h.call(conn_id)
    assert mine.state is A.FAIL and mine.cause is Cause.DEST_NOT_OBTAINABLE


def test_traffic_into_a_closed_queue_goes_to_the_closed_destination(h: Harness) -> None:
    h.switch.set_call_flow(SUPPORT_HOURS, FlowMode.NIGHT)
    call_id = Traffic(h.switch, 1).queue_call("3902")
    assert legs(h, call_id)[1] == ("Annonce de fermeture", A.ALERTING)
    assert h.state.waiting_total() == 0


def test_set_call_flow_errors_change_nothing(h: Harness) -> None:
    with pytest.raises(NotFound):
        h.switch.set_call_flow("nope", FlowMode.NIGHT)
    with pytest.raises(InvalidState):
        h.switch.set_call_flow(ACCUEIL_HOURS, "closed")  # type: ignore[arg-type]
    assert h.switch.flows[ACCUEIL_HOURS].mode is FlowMode.AUTO
    assert flow_events(h, ACCUEIL_HOURS) == []


def test_setting_the_same_mode_again_emits_nothing(h: Harness) -> None:
    h.switch.set_call_flow(NIGHT, FlowMode.NIGHT)
    h.switch.set_call_flow(NIGHT, FlowMode.NIGHT)
    assert len(flow_events(h, NIGHT)) == 1


def test_pause_reason_must_be_one_of_the_company_reasons(h: Harness) -> None:
    with pytest.raises(InvalidState):
        h.switch.set_agent_state("100", AgentState.NOT_READY, "Sieste")
    assert h.state.me is not None and h.state.me.agent is AgentState.READY
    h.switch.set_agent_state("100", AgentState.NOT_READY, "Réunion")
    assert h.state.me.agent is AgentState.NOT_READY and h.state.me.agent_reason == "Réunion"
    h.switch.set_agent_state("100", AgentState.NOT_READY)  # a pause from a phone key: no reason
    assert h.state.me.agent is AgentState.NOT_READY and h.state.me.agent_reason is None


def test_schedule_text_reading() -> None:
    paris = zone("Europe/Paris")
    weekend = Schedule.parse("Sam–Lun 10:00-11:00", paris)
    assert weekend.openings[0].days == frozenset({5, 6, 0})
    monday_10h30 = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    assert weekend.is_open(monday_10h30)
    assert weekend.next_change(monday_10h30) == datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    summer = Schedule.parse("Lun 09:00–10:00", paris)  # CEST: 07:00 UTC
    assert summer.is_open(datetime(2026, 6, 1, 7, 30, tzinfo=UTC))
    for bad in ("", "Lundi", "Lun 18:00–08:00", "Xyz 09:00–10:00", "Lun 9h–10h"):
        with pytest.raises(ValueError):
            Schedule.parse(bad, paris)
