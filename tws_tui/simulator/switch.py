"""``Switch``: the simulated CSTA switch, assembled from its service mixins, plus monitoring.

Owns construction from a :class:`~tws_tui.simulator.company.Company` (devices, queues, call
flows, answering machines, pause reasons, parking, the outside callers' directory), monitors
(``monitor``/``subscribe``), ``snapshot`` and the call journal queries. The switch is
synchronous: requests run to completion and emit their events before returning; time moves
only through the injected clock's timers.

Determinism: everything random comes from the one ``random.Random`` given (or seeded) here,
ids and versions from counters, and nothing iterates an unordered set; so the same seed and
the same clock steps give the same events.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from tws_tui.core.clock import Clock
from tws_tui.core.errors import N_, NotFound
from tws_tui.core.model import (
    AgentState,
    Call,
    CallId,
    DeviceId,
    Forward,
    ForwardKind,
    HistoryEntry,
    Outcome,
    Party,
    QueueId,
    Snapshot,
    UserId,
)
from tws_tui.simulator.announcements import AnnouncementServices
from tws_tui.simulator.base import Behaviour, operation
from tws_tui.simulator.company import VOICEMAIL, Company, Person, generate_company
from tws_tui.simulator.entities import Conn, Endpoint, FlowState, LotState, QueueState
from tws_tui.simulator.features import FeatureServices
from tws_tui.simulator.flows import FlowServices
from tws_tui.simulator.monitors import Callback, View
from tws_tui.simulator.parking import ParkingServices
from tws_tui.simulator.queue_rules import QueueRuleServices
from tws_tui.simulator.queues import QueueServices
from tws_tui.simulator.schedule import Schedule, zone
from tws_tui.simulator.transfers import TransferServices

#: Told of each message left in a phone's voicemail box: the box's device, the caller, when.
VoicemailHook = Callable[[DeviceId, Party, datetime], None]

#: Queues the operator is logged in to when the switch starts.
OPERATOR_QUEUES = (QueueId("accueil"), QueueId("debordement"))


class Switch(
    AnnouncementServices,
    TransferServices,
    QueueServices,
    ParkingServices,
    FeatureServices,
    FlowServices,
    QueueRuleServices,
):
    """A whole company's switch. Device arguments accept a device id or an extension."""

    def __init__(
        self,
        clock: Clock,
        seed: int | random.Random = 0,
        *,
        company: Company | None = None,
        behaviour: Behaviour | None = None,
        operator_extension: str = "100",
    ) -> None:
        rng = seed if isinstance(seed, random.Random) else random.Random(seed)
        super().__init__(clock, rng, behaviour or Behaviour())
        self.company = company or generate_company(random.Random(rng.random()), operator_extension)
        self.voicemail_hooks: list[VoicemailHook] = []
        for person in self.company.people():
            self._add_person(person, operator=person is self.company.operator)
        for spec in self.company.queues:
            self.queues[spec.id] = QueueState(
                spec.id,
                spec.name,
                spec.number,
                spec.overflow_to,
                spec.overflow_after_s,
                strategy=spec.strategy,
                max_waiting=spec.max_waiting,
                announce_position=spec.announce_position,
            )
            for ext in spec.agents:
                agent = self.by_extension[ext]
                agent.home_queues.append(spec.id)
                agent.queues.append(spec.id)
                if ext in spec.ready:
                    agent.agent = AgentState.READY
                elif agent.agent is AgentState.LOGGED_OFF:
                    agent.agent = AgentState.NOT_READY
        me = self.operator
        me.home_queues = list(self.queues)
        me.queues = [q for q in OPERATOR_QUEUES if q in self.queues]
        me.agent = AgentState.READY if me.queues else AgentState.LOGGED_OFF
        tz = zone(self.company.timezone)
        for flow in self.company.flows:
            if flow.queue_id is not None and flow.queue_id not in self.queues:
                raise ValueError(f"Renvoi horaire {flow.id} : file inconnue {flow.queue_id}")
            schedule = Schedule.parse(flow.schedule, tz) if flow.schedule else None
            self.flows[flow.id] = FlowState(
                flow.id, flow.name, schedule, flow.closed_destination, flow.queue_id
            )
        self.machines = {m.number: m for m in self.company.machines}
        self.pause_reasons = self.company.pause_reasons
        self.company_numbers = self.company.numbers
        for lot in self.company.lots:
            self.lots[lot.id] = LotState(lot.id, lot.name, lot.slots)
        for caller in self.company.externals:
            if caller.number is not None:
                self.directory_names[caller.number] = (caller.name, caller.company)

    def _add_person(self, person: Person, *, operator: bool) -> None:
        ep = Endpoint(
            device_id=DeviceId(person.device_id),
            number=person.extension,
            name=person.name,
            internal=True,
            extension=person.extension,
            department=person.department,
            user_id=UserId(person.user_id),
            operator=operator,
            presence=person.presence,
            presence_note=person.presence_note,
            dnd=person.dnd,
            registered=person.registered,
            idle_since=self.clock.now(),
        )
        if person.forward_unconditional:
            ep.forwards[ForwardKind.UNCONDITIONAL] = Forward(True, person.forward_unconditional)
        self.endpoints[ep.device_id] = ep
        self.by_extension[person.extension] = ep

    @property
    def operator(self) -> Endpoint:
        return self.by_extension[self.company.operator.extension]

    # ---- monitoring ---------------------------------------------------------------------

    def monitor(self, device: str, callback: Callback) -> Callable[[], None]:
        """Deliver the console events of ``device`` to ``callback`` (CSTA MonitorStart).

        The events: its own connections (``CallEvent``), transfers, history and operator
        state, and every queue, call flow, parking lot and other internal device. Returns a
        function that stops the monitor. Monitoring also starts the schedule-boundary timer
        of the call flows (a real clock needs the running event loop for it).
        """
        view = self._view(self.endpoint(device).device_id)
        view.callbacks.append(callback)
        self.watch_flows()

        def stop() -> None:
            if callback in view.callbacks:
                view.callbacks.remove(callback)

        return stop

    def subscribe(self, callback: Callback) -> Callable[[], None]:
        """``monitor`` the operator's device."""
        return self.monitor(self.operator.device_id, callback)

    def _view(self, device_id: DeviceId) -> View:
        view = self._views.get(device_id)
        if view is None:
            view = self._views[device_id] = View()
            with self._op():
                pass  # the flush fills the new view (no callbacks yet: nothing is sent)
        return view

    @operation
    def snapshot(self, device: str | None = None) -> Snapshot:
        """Everything ``device``'s console shows (default: the operator), with versions."""
        ep = self.endpoint(device) if device is not None else self.operator
        view = self._view(ep.device_id)
        self._refresh(ep.device_id, view)
        assert view.me is not None
        return Snapshot(
            me=view.me,
            calls=tuple(view.calls[c.id] for c in ep.conns if c.id in view.calls),
            transfers=tuple(view.transfers.values()),
            queues=tuple(view.queues.values()),
            call_flows=tuple(view.flows.values()),
            pause_reasons=self.pause_reasons,
            voicemail_number=self.company.voicemail,
            parking=tuple(view.lots.values()),
            devices=tuple(view.devices.values()),
            missed_calls=sum(
                1
                for e in self.history.get(ep.device_id, ())
                if e.outcome is Outcome.MISSED and not e.seen
            ),
        )

    def call(self, call_id: str, device: str | None = None) -> Call | None:
        """The latest view of connection ``call_id`` as its device's console saw it."""
        ep = self.endpoint(device) if device is not None else self.operator
        return self._view(ep.device_id).calls.get(CallId(call_id))

    def endpoint_of_user(self, user_id: str) -> Endpoint:
        for ep in self.endpoints.values():
            if ep.user_id == user_id:
                return ep
        raise NotFound(N_("Unknown user: {user_id}"), user_id=user_id)

    def _answered(self, conn: Conn) -> None:
        """The voicemail machine answering a call forwarded or deflected from a phone: a
        message is left in that phone's box (``voicemail_hooks``)."""
        super()._answered(conn)
        ep = conn.endpoint
        box = conn.redirected_from
        if ep.machine_s is None or ep.number != VOICEMAIL or box is None or box.device_id is None:
            return
        caller = next((c.endpoint.party for c in conn.call.conns if c.originator), Party())
        for hook in list(self.voicemail_hooks):
            hook(box.device_id, caller, self.now())

    # ---- journal ------------------------------------------------------------------------

    def history_of(self, device: str | None = None) -> list[HistoryEntry]:
        """The device's call journal, newest first."""
        ep = self.endpoint(device) if device is not None else self.operator
        return list(self.history.get(ep.device_id, ()))

    def mark_history_seen(self, device: str | None = None) -> None:
        ep = self.endpoint(device) if device is not None else self.operator
        journal = self.history.get(ep.device_id)
        if journal is not None:
            for i, entry in enumerate(journal):
                journal[i] = replace(entry, seen=True)
