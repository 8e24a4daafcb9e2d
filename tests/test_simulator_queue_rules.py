"""Simulated switch: queue forwarding rules (TWS-6.5.3), their routing and the sim backend."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tws_tui.backends.sim import SimBackend, create
from tws_tui.core.clock import ManualClock
from tws_tui.core.errors import InvalidDestination, InvalidState, NotFound, NotSupported
from tws_tui.core.events import Event, QueueEvent
from tws_tui.core.model import (
    Capability,
    Cause,
    ConnectionState,
    FlowId,
    FlowMode,
    Party,
    QueueForwardRule,
    QueueId,
    QueueRuleId,
)
from tws_tui.core.state import ConsoleState
from tws_tui.simulator.testing import CALLER, Harness

A = ConnectionState
COMMERCIAL, ACCUEIL = QueueId("commercial"), QueueId("accueil")
DEST = "+33140000000"  # typed "01 40 00 00 00"
START = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)  # the harness clock's start


@pytest.fixture
def h() -> Harness:
    return Harness()


def rule(
    queue: QueueId = COMMERCIAL, destination: str = "01 40 00 00 00", **kw: Any
) -> QueueForwardRule:
    """A rule not saved yet (id ``""``)."""
    return QueueForwardRule(QueueRuleId(""), queue, destination, **kw)


def ring(h: Harness, number: str = "3901") -> str:
    return h.switch.inject_incoming_call(number, CALLER)


def entered_queue(h: Harness, call_id: str) -> bool:
    return h.switch.calls[call_id].queue is not None


def forwarded_to(h: Harness, call_id: str) -> tuple[str | None, Party | None, Cause] | None:
    """Where the call went instead of its queue: (number, redirected from, cause)."""
    call = h.switch.calls[call_id]
    if call.queue is not None or len(call.conns) < 2:
        return None
    leg = call.conns[1]
    return leg.endpoint.number, leg.redirected_from, leg.cause


FROM_COMMERCIAL = (DEST, Party("3901", "Commercial"), Cause.CALL_FORWARD)


def drain(backend: SimBackend, state: ConsoleState | None = None) -> list[Event]:
    """Every event the backend queued so far (the switch is synchronous: all are there)."""
    seen = []
    while not backend._queue.empty():
        event = backend._queue.get_nowait()
        assert event is not None
        seen.append(event)
        if state is not None:
            state.apply(event)
    return seen


def test_a_new_rule_is_shown_on_its_queue_and_forwards_new_calls(h: Harness) -> None:
    before = ring(h)
    assert entered_queue(h, before)

    saved = h.switch.save_queue_rule(rule(), by="Camille Martin")
    assert saved.id and saved.destination == DEST and saved.created_by == "Camille Martin"
    assert saved.queue_id == COMMERCIAL and saved.enabled and saved.version > 0
    assert h.state.queues[COMMERCIAL].forward_rules == (saved,)
    assert h.state.queues[ACCUEIL].forward_rules == ()
    assert h.switch.snapshot().queues[1].forward_rules == (saved,)

    call_id = ring(h)
    assert forwarded_to(h, call_id) == FROM_COMMERCIAL
    assert h.switch.calls[call_id].conns[1].state is A.ALERTING
    assert h.switch.calls.get(before) is not None  # who was already in the queue stays there
    assert entered_queue(h, before)


def test_a_future_rule_waits_for_its_start_and_stops_at_its_end(h: Harness) -> None:
    starts, ends = START + timedelta(hours=1), START + timedelta(hours=2)
    h.switch.save_queue_rule(rule(starts_at=starts, ends_at=ends))
    assert entered_queue(h, ring(h))

    h.advance(3600 - 1)
    assert entered_queue(h, ring(h))
    h.advance(1)  # starts_at: the rule applies
    assert forwarded_to(h, ring(h)) == FROM_COMMERCIAL
    h.advance(3600 - 1)
    assert forwarded_to(h, ring(h)) == FROM_COMMERCIAL
    h.advance(1)  # ends_at: over
    assert entered_queue(h, ring(h))
    (kept,) = h.state.queues[COMMERCIAL].forward_rules  # an expired rule stays listed
    assert not kept.active_at(h.clock.now()) and kept.active_at(starts)


def test_deactivate_lets_calls_in_and_activate_forwards_again(h: Harness) -> None:
    saved = h.switch.save_queue_rule(rule())
    off = h.switch.save_queue_rule(replace(saved, enabled=False))
    assert off.id == saved.id and not off.enabled and off.version > saved.version
    assert h.state.queues[COMMERCIAL].forward_rules == (off,)
    assert entered_queue(h, ring(h))

    on = h.switch.save_queue_rule(replace(off, enabled=True))
    assert on.id == saved.id
    assert forwarded_to(h, ring(h)) == FROM_COMMERCIAL


def test_modify_keeps_the_id_the_place_and_the_creator(h: Harness) -> None:
    first = h.switch.save_queue_rule(rule(), by="Camille Martin")
    second = h.switch.save_queue_rule(rule(destination="3990"), by="Camille Martin")
    changed = h.switch.save_queue_rule(
        replace(first, destination="06 11 22 33 44", created_by="Quelqu'un"), by="Autre"
    )
    assert changed.id == first.id and changed.destination == "+33611223344"
    assert changed.created_by == "Camille Martin"
    assert h.state.queues[COMMERCIAL].forward_rules == (changed, second)
    call_id = ring(h)  # the first rule that is active wins
    assert forwarded_to(h, call_id) == (
        "+33611223344",
        Party("3901", "Commercial"),
        Cause.CALL_FORWARD,
    )


def test_a_rule_to_the_voicemail_or_another_queue(h: Harness) -> None:
    h.switch.save_queue_rule(rule(destination="3990"))
    call_id = ring(h)
    assert h.switch.calls[call_id].conns[1].endpoint.name == "Messagerie vocale"
    h.switch.save_queue_rule(rule(queue=ACCUEIL, destination="3909"))
    moved = ring(h, "3900")
    assert h.switch.calls[moved].queue is not None
    assert h.switch.calls[moved].queue.id == QueueId("debordement")  # type: ignore[union-attr]


def test_delete(h: Harness) -> None:
    saved = h.switch.save_queue_rule(rule())
    h.switch.delete_queue_rule(COMMERCIAL, saved.id)
    assert h.state.queues[COMMERCIAL].forward_rules == ()
    assert entered_queue(h, ring(h))
    with pytest.raises(NotFound):
        h.switch.delete_queue_rule(COMMERCIAL, saved.id)


def test_a_closed_flow_wins_over_a_rule(h: Harness) -> None:
    h.switch.save_queue_rule(rule())
    h.switch.set_call_flow(FlowId("mode-nuit"), FlowMode.NIGHT)
    call_id = ring(h)
    assert h.switch.calls[call_id].conns[1].endpoint.name == "Annonce de fermeture"
    h.switch.set_call_flow(FlowId("mode-nuit"), FlowMode.AUTO)
    assert forwarded_to(h, ring(h)) == FROM_COMMERCIAL


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        (rule(queue=QueueId("nulle-part")), NotFound),
        (replace(rule(), id=QueueRuleId("regle-404")), NotFound),
        (rule(destination=""), InvalidDestination),
        (rule(destination="   "), InvalidDestination),
        (rule(destination="abc"), InvalidDestination),
        (rule(destination="99"), InvalidDestination),  # well formed, but nobody has it
        (rule(destination="39 01"), InvalidDestination),  # the queue's own number
        (
            rule(starts_at=START + timedelta(hours=2), ends_at=START + timedelta(hours=1)),
            InvalidState,
        ),
        (rule(starts_at=START, ends_at=START), InvalidState),
        (rule(ends_at=START - timedelta(minutes=1)), InvalidState),
        (rule(ends_at=START), InvalidState),
        (rule(starts_at=datetime(2026, 11, 22, 10, 0)), InvalidState),  # no time zone
    ],
)
def test_invalid_rules_change_nothing(h: Harness, bad: QueueForwardRule, error: type) -> None:
    count = len(h.events)
    with pytest.raises(error) as raised:
        h.switch.save_queue_rule(bad)
    assert str(raised.value)  # a French sentence for the operator
    assert len(h.events) == count
    assert all(q.forward_rules == () for q in h.state.queues.values())


def test_an_expired_rule_may_still_be_deactivated(h: Harness) -> None:
    saved = h.switch.save_queue_rule(rule(ends_at=START + timedelta(hours=1)))
    h.advance(7200)
    with pytest.raises(InvalidState):
        h.switch.save_queue_rule(replace(saved, destination="3990"))
    off = h.switch.save_queue_rule(replace(saved, enabled=False))
    assert not off.enabled


def test_delete_in_an_unknown_queue(h: Harness) -> None:
    with pytest.raises(NotFound):
        h.switch.delete_queue_rule("nulle-part", "regle-1")


async def test_through_the_sim_backend() -> None:
    backend = create({"clock": ManualClock(), "traffic": False})
    state = ConsoleState()
    await backend.connect()
    drain(backend, state)

    saved = await backend.save_queue_rule(rule())
    assert saved.created_by == "Camille Martin" and saved.id
    (event,) = [e for e in drain(backend, state) if isinstance(e, QueueEvent)]
    assert event.queue.id == COMMERCIAL and event.queue.forward_rules == (saved,)
    assert state.queues[COMMERCIAL].forward_rules == (saved,)
    assert (await backend.snapshot()).queues[1].forward_rules == (saved,)

    await backend.delete_queue_rule(COMMERCIAL, saved.id)
    drain(backend, state)
    assert state.queues[COMMERCIAL].forward_rules == ()
    assert (await backend.snapshot()).queues[1].forward_rules == ()
    await backend.close()


async def test_backend_without_queue_rules() -> None:
    caps = [c for c in Capability if c is not Capability.QUEUE_RULES]
    backend = create({"clock": ManualClock(), "traffic": False, "capabilities": caps})
    await backend.connect()
    with pytest.raises(NotSupported):
        await backend.save_queue_rule(rule())
    with pytest.raises(NotSupported):
        await backend.delete_queue_rule(COMMERCIAL, QueueRuleId("regle-1"))
    backend.switch.save_queue_rule(rule())  # e.g. from the PBX admin
    events = drain(backend)
    assert any(isinstance(e, QueueEvent) for e in events)
    assert all(e.queue.forward_rules == () for e in events if isinstance(e, QueueEvent))
    assert all(q.forward_rules == () for q in (await backend.snapshot()).queues)
    await backend.close()
