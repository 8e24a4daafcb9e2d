"""Monitors share one flush's views: every monitor gets the events of a full per-monitor diff.

The switch builds the queue, call flow, parking lot and device views once per flush for all
monitors and recognises unchanged ones by identity (``tws_tui.simulator.monitors``). These
tests hold that optimisation to the plain algorithm it replaced — rebuild every view for every
monitor, compare it with what that monitor was last sent, versions blanked — over a busy seeded
run with several operators and colleagues monitored, one of them starting late: each monitor
receives exactly the same events (versions included) and ends on the same snapshot.
"""

from __future__ import annotations

import contextlib
import random
from dataclasses import replace
from typing import Any

from tws_tui.core.clock import ManualClock
from tws_tui.core.errors import CallControlError
from tws_tui.core.events import (
    CallEventKind,
    CallFlowEvent,
    DeviceEvent,
    Event,
    OperatorEvent,
    ParkingEvent,
    QueueEvent,
)
from tws_tui.core.model import (
    Action,
    AgentState,
    DeviceId,
    FlowMode,
    Forward,
    ForwardKind,
    PresenceState,
    Snapshot,
)
from tws_tui.server.pbx import ServerSwitch
from tws_tui.simulator import views
from tws_tui.simulator.base import Behaviour
from tws_tui.simulator.monitors import SharedViews, View
from tws_tui.simulator.traffic import Rates, Traffic


def _same(a: Any, b: Any) -> bool:
    return b is not None and replace(a, version=0) == replace(b, version=0)


class FullDiffSwitch(ServerSwitch):
    """The reference: every view rebuilt and compared for every monitor on every flush."""

    def _refresh(self, device_id: DeviceId, view: View, shared: SharedViews | None = None) -> None:
        me = self.endpoints[device_id]
        at = self.now()
        for conn in list(me.conns):
            if not _same(self._call_view(conn), view.calls.get(conn.id)):
                self._emit_call(conn, CallEventKind.INFORMATION, conn.cause)
        state = views.operator_view(me, self.company_numbers)
        if not _same(state, view.me):
            view.me = replace(state, version=next(self._versions))
            self._send(view, OperatorEvent(at=at, me=view.me))
        agents = [e for e in self.endpoints.values() if e.internal]
        for q in self.queues.values():
            queue = views.queue_view(q, agents, me)
            if not _same(queue, view.queues.get(q.id)):
                view.queues[q.id] = replace(queue, version=next(self._versions))
                self._send(view, QueueEvent(at=at, queue=view.queues[q.id]))
        for flow in self.flows.values():
            call_flow = views.flow_view(flow, at)
            if not _same(call_flow, view.flows.get(flow.id)):
                view.flows[flow.id] = replace(call_flow, version=next(self._versions))
                self._send(view, CallFlowEvent(at=at, flow=view.flows[flow.id]))
        for lot in self.lots.values():
            parking = views.lot_view(lot)
            if not _same(parking, view.lots.get(lot.id)):
                view.lots[lot.id] = replace(parking, version=next(self._versions))
                self._send(view, ParkingEvent(at=at, lot=view.lots[lot.id]))
        for ep in agents:
            if ep is me:
                continue
            device = views.device_view(ep)
            if not _same(device, view.devices.get(ep.device_id)):
                view.devices[ep.device_id] = replace(device, version=next(self._versions))
                self._send(view, DeviceEvent(at=at, device=view.devices[ep.device_id]))


RATES = Rates(queue_call_s=4.0, operator_call_s=8.0, internal_call_s=6.0, presence_s=6.0)
DESTINATIONS = ("201", "3900", "+33612345678", "205", "+33198765432")


def _act(switch: ServerSwitch, rng: random.Random, ops: list[Any], colleague: DeviceId) -> None:
    """One random thing an operator does."""
    op = rng.choice(ops)
    r = rng.random()
    if op.conns and r < 0.45:
        conn = rng.choice(op.conns)
        action = rng.choice(sorted(switch.allowed(conn)) or [Action.HANGUP])
        destination = rng.choice(DESTINATIONS)
        {
            Action.ANSWER: lambda: switch.answer(conn.id),
            Action.HOLD: lambda: switch.hold(conn.id),
            Action.RETRIEVE: lambda: switch.retrieve(conn.id),
            Action.PARK: lambda: switch.park(conn.id),
            Action.BLIND_TRANSFER: lambda: switch.blind_transfer(conn.id, destination),
            Action.ATTENDED_TRANSFER: lambda: switch.start_transfer(conn.id, destination),
            Action.MUTE: lambda: switch.set_mute(conn.id, not conn.muted),
            Action.RECORD: lambda: switch.set_recording(conn.id, not conn.recording),
            Action.DTMF: lambda: switch.send_dtmf(conn.id, "12#"),
            Action.DEFLECT: lambda: switch.deflect(conn.id, destination),
        }.get(action, lambda: switch.clear_connection(conn.id))()
    elif r < 0.55:
        for x in [x for x in switch.transfers.values() if x.owner is op][:1]:
            services = (switch.complete_transfer, switch.cancel_transfer, switch.conference)
            rng.choice(services)(x.id)
    elif r < 0.65:
        waiting = [(q.id, c.id) for q in switch.queues.values() for c in q.waiting]
        if waiting:
            switch.answer_queued(op.device_id, *rng.choice(waiting))
    elif r < 0.72:
        parked = [(lot.id, c.id) for lot in switch.lots.values() for c in lot.calls]
        if parked:
            switch.retrieve_parked(op.device_id, *rng.choice(parked))
    elif r < 0.78:
        switch.set_call_flow(rng.choice(list(switch.flows)), rng.choice(list(FlowMode)))
    elif r < 0.86:
        states = (AgentState.READY, AgentState.NOT_READY, AgentState.LOGGED_OFF)
        switch.set_agent_state(op.device_id, rng.choice(states))
    elif r < 0.92:
        switch.set_presence(op.device_id, rng.choice(list(PresenceState)), rng.choice([None, "x"]))
    elif r < 0.96:
        switch.set_dnd(rng.choice([op.device_id, colleague]), rng.random() < 0.5)
    else:
        forward = Forward(rng.random() < 0.5, "206")
        switch.set_forward(colleague, ForwardKind.UNCONDITIONAL, forward)


def busy_run(cls: type[ServerSwitch], seed: int) -> tuple[dict[str, list[Event]], list[Snapshot]]:
    """Every event each monitor got in a quarter of an hour, and snapshots taken on the way."""
    clock = ManualClock()
    switch = cls(clock, seed, Behaviour())
    received: dict[str, list[Event]] = {}

    def monitor(device: str) -> None:
        switch.monitor(device, received.setdefault(device, []).append)

    ops = [switch.add_operator(str(500 + i), f"Opératrice {i}") for i in range(2)]
    colleagues = [ep for ep in switch.endpoints.values() if ep.internal and not ep.operator]
    for device in (ops[0].device_id, colleagues[0].device_id, colleagues[1].device_id):
        monitor(device)
    Traffic(switch, seed, RATES).start()
    rng = random.Random(seed)
    snapshots = []
    for step in range(300):
        clock.advance(rng.uniform(0.2, 5.8))
        if step == 60:  # a monitor that starts late, on a position added late
            ops.append(switch.add_operator("599", "Remplaçante"))
            monitor(ops[-1].device_id)
            monitor(ops[1].device_id)
        with contextlib.suppress(CallControlError):  # refused requests are part of the script
            _act(switch, rng, ops, colleagues[2].device_id)
        if step % 50 == 0:
            snapshots.append(switch.snapshot(ops[0].device_id))
    snapshots += [switch.snapshot(device) for device in received]
    return received, snapshots


def test_every_monitor_gets_the_events_of_a_full_diff() -> None:
    expected, expected_snapshots = busy_run(FullDiffSwitch, seed=0)
    got, got_snapshots = busy_run(ServerSwitch, seed=0)
    assert list(got) == list(expected)
    for device, events in expected.items():
        assert len(events) > 300, device  # a busy run: calls, queues, devices
        assert got[device] == events, device
    assert got_snapshots == expected_snapshots
