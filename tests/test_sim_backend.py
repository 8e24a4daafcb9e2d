"""The sim backend through the CallControl interface, fed into ConsoleState."""

from __future__ import annotations

import asyncio

import pytest

from tws_tui.backends.sim import SimBackend, create
from tws_tui.core.clock import ManualClock
from tws_tui.core.errors import AlreadyTaken, InvalidState, NotSupported
from tws_tui.core.events import CallFlowEvent, Event, LinkEvent, LinkStatus, SnapshotEvent
from tws_tui.core.model import (
    Action,
    AgentState,
    Capability,
    ConnectionState,
    FlowId,
    FlowMode,
    Forward,
    ForwardKind,
    Outcome,
    PresenceState,
    QueueId,
    TransferStatus,
)
from tws_tui.core.protocols import CallControl
from tws_tui.core.state import ConsoleState

CALLER = "+33612345678"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def backend(clock: ManualClock):  # type: ignore[no-untyped-def]
    b = create({"clock": clock, "traffic": False, "seed": 0})
    yield b
    await b.close()


async def drain(b: SimBackend, state: ConsoleState) -> list[Event]:
    """Apply every event queued so far (the switch is synchronous: all are there)."""
    seen = []
    while not b._queue.empty():
        event = b._queue.get_nowait()
        assert event is not None
        seen.append(event)
        state.apply(event)
    return seen


async def test_connect_gives_snapshot_then_online(backend: SimBackend) -> None:
    assert isinstance(backend, CallControl)
    snapshot = await backend.connect()
    assert snapshot.me.extension == "100" and snapshot.me.name == "Camille Martin"
    assert len(snapshot.devices) >= 30 and len(snapshot.queues) == 4
    stream = backend.events()
    first, second = await anext(stream), await anext(stream)
    assert isinstance(first, SnapshotEvent) and first.snapshot == snapshot
    assert isinstance(second, LinkEvent) and second.status is LinkStatus.ONLINE


async def test_incoming_call_answer_transfer_in_console_state(backend: SimBackend) -> None:
    state = ConsoleState()
    await backend.connect()
    await drain(backend, state)
    assert state.link is LinkStatus.ONLINE

    backend.switch.inject_incoming_call("100", CALLER)
    await drain(backend, state)
    (ringing,) = state.ringing_calls()
    assert ringing.remote.number == CALLER and Action.ANSWER in ringing.allowed

    await backend.answer(ringing.call_id)
    await drain(backend, state)
    assert state.active_call() is not None
    assert state.active_call().call_id == ringing.call_id  # type: ignore[union-attr]

    bob = next(d for d in state.devices.values() if d.department == "Direction" and not d.dnd)
    transfer = await backend.start_transfer(ringing.call_id, bob.extension or "")
    await drain(backend, state)
    assert state.transfer_for(ringing.call_id) is not None
    assert state.calls[ringing.call_id].state is ConnectionState.HOLD
    assert transfer.status is TransferStatus.RINGBACK

    await backend.complete_transfer(transfer.transfer_id)
    await drain(backend, state)
    assert state.calls == {} and state.transfers == {}
    assert state.history[0].outcome is Outcome.TRANSFERRED
    recent = await backend.history.recent()
    assert recent[0].transferred_to == bob.extension


async def test_queued_call_answered_and_already_taken(backend: SimBackend) -> None:
    state = ConsoleState()
    await backend.connect()
    queued = backend.switch.inject_incoming_call("3900", CALLER)
    await drain(backend, state)
    assert [q.call_id for q in state.queues[QueueId("accueil")].waiting] == [queued]
    call = await backend.answer_queued(QueueId("accueil"), queued)
    await drain(backend, state)
    assert state.calls[call.call_id].state is ConnectionState.CONNECTED
    assert state.queues[QueueId("accueil")].waiting == ()
    with pytest.raises(AlreadyTaken):
        await backend.answer_queued(QueueId("accueil"), queued)


async def test_park_timeout_uses_the_injected_clock(
    backend: SimBackend, clock: ManualClock
) -> None:
    state = ConsoleState()
    await backend.connect()
    backend.switch.inject_incoming_call("100", CALLER)
    await drain(backend, state)
    (ringing,) = state.ringing_calls()
    await backend.answer(ringing.call_id)
    parked = await backend.park(ringing.call_id)
    await drain(backend, state)
    assert state.parking[parked.lot_id].calls[0].slot == "701"
    clock.advance(121)
    await drain(backend, state)
    (recall,) = state.ringing_calls()
    assert recall.remote.number == CALLER


async def test_features_reach_operator_state(backend: SimBackend) -> None:
    state = ConsoleState()
    await backend.connect()
    await backend.set_dnd(True)
    await backend.set_presence(PresenceState.AWAY, "Pause")
    await backend.set_forward(ForwardKind.NO_ANSWER, Forward(True, "3909", 15))
    await backend.set_agent_state(AgentState.NOT_READY, "Pause")
    await drain(backend, state)
    me = state.me
    assert me is not None and me.dnd and me.presence is PresenceState.AWAY
    assert me.forwards[ForwardKind.NO_ANSWER].destination == "3909"
    assert me.agent is AgentState.NOT_READY


async def test_invalid_request_raises_typed_error(backend: SimBackend) -> None:
    await backend.connect()
    backend.switch.inject_incoming_call("100", CALLER)
    call_id = backend.switch.calls_at("100")[0]
    with pytest.raises(InvalidState):
        await backend.hold(call_id)


async def test_removed_capability_raises_not_supported_and_is_not_allowed(
    clock: ManualClock,
) -> None:
    caps = [c.value for c in Capability if c not in (Capability.HOLD, Capability.PARK)]
    backend = create({"clock": clock, "traffic": False, "capabilities": caps})
    state = ConsoleState()
    await backend.connect()
    backend.switch.inject_incoming_call("100", CALLER)
    await drain(backend, state)
    (ringing,) = state.ringing_calls()
    await backend.answer(ringing.call_id)
    await drain(backend, state)
    allowed = state.calls[ringing.call_id].allowed
    assert Action.HOLD not in allowed and Action.PARK not in allowed
    assert Action.BLIND_TRANSFER in allowed
    with pytest.raises(NotSupported):
        await backend.hold(ringing.call_id)
    with pytest.raises(NotSupported):
        await backend.park(ringing.call_id)
    assert state.calls[ringing.call_id].state is ConnectionState.CONNECTED
    await backend.close()


async def test_call_flows_and_pause_reasons_through_the_backend(backend: SimBackend) -> None:
    state = ConsoleState()
    snapshot = await backend.connect()
    assert [f.name for f in snapshot.call_flows] == [
        "Accueil – horaires",
        "Support – horaires",
        "Mode nuit",
    ]
    assert "Déjeuner" in snapshot.pause_reasons
    assert snapshot.voicemail_number == "3990"  # Alt+V's number when the settings give none
    await drain(backend, state)

    await backend.set_call_flow(FlowId("accueil-horaires"), FlowMode.NIGHT)
    (event,) = [e for e in await drain(backend, state) if isinstance(e, CallFlowEvent)]
    assert event.flow.mode is FlowMode.NIGHT and not event.flow.open_now
    assert not state.call_flows[FlowId("accueil-horaires")].open_now
    backend.switch.inject_incoming_call("3900", CALLER)
    await drain(backend, state)
    assert state.queues[QueueId("accueil")].waiting == ()  # gone to the voicemail

    with pytest.raises(InvalidState):
        await backend.set_agent_state(AgentState.NOT_READY, "Sieste")


async def test_backend_without_call_flows(clock: ManualClock) -> None:
    caps = [c for c in Capability if c is not Capability.CALL_FLOWS]
    backend = create({"clock": clock, "traffic": False, "capabilities": caps})
    snapshot = await backend.connect()
    assert snapshot.call_flows == () and snapshot.pause_reasons
    with pytest.raises(NotSupported):
        await backend.set_call_flow(FlowId("mode-nuit"), FlowMode.NIGHT)
    backend.switch.set_call_flow("mode-nuit", FlowMode.NIGHT)  # e.g. from the PBX admin
    state = ConsoleState()
    assert not any(isinstance(e, CallFlowEvent) for e in await drain(backend, state))
    await backend.close()


async def test_directory_search_and_reverse(backend: SimBackend) -> None:
    found = await backend.directory.search("comptab")
    assert found and all(c.department == "Comptabilité" for c in found)
    operator = await backend.directory.search("camille mar")
    assert operator[0].name == "Camille Martin"
    by_ext = await backend.directory.search("3900")
    assert by_ext[0].name == "Accueil"
    someone = next(c for c in backend.switch.company.externals if c.name and c.number)
    local = "0" + (someone.number or "")[3:]
    contact = await backend.directory.reverse(local)
    assert contact is not None and contact.name == someone.name
    assert await backend.directory.reverse("+33100000000") is None


async def test_close_ends_events_and_stops_traffic() -> None:
    backend = create({"traffic": True, "seed": 3})  # real clock, traffic running
    await backend.connect()
    assert backend.traffic.running

    async def consume() -> int:
        return sum([1 async for _ in backend.events()])

    task = asyncio.create_task(consume())
    await asyncio.sleep(0.05)
    await backend.close()
    count = await asyncio.wait_for(task, timeout=2)
    assert count >= 2  # snapshot and online at least
    assert not backend.traffic.running and backend.traffic._handles == {}
