"""Call flows (day/night routing): which queues take calls right now, and forcing them.

Owns the routing rule behind Webpilot WPL-5-7 and Sophia SOP-A9.2/A9.3: a call flow follows
its weekly schedule (``FlowMode.AUTO``) or is forced open (``DAY``) or closed (``NIGHT``) by
the operator with ``set_call_flow``. While a flow is closed, a call dialled to the queue it
governs (an outside caller, the traffic generator, a colleague, a transfer) does not enter the
queue: ``_plan`` sends it to the flow's ``closed_destination`` (an answering machine, another
number), or hangs it up when there is none. The flow on the queue itself is asked first, then
the flows that govern every queue (the night mode). Calls already waiting stay: the rule
applies at entry, as on a real PBX.

The state of a flow is computed from the clock whenever a view is refreshed; one timer armed
at the next schedule boundary (``watch_flows``, called when a console starts monitoring) makes
the switch refresh then, so a flow that opens or closes by itself emits its ``CallFlowEvent``.
"""

from __future__ import annotations

import random

from tws_tui.core.clock import Clock, TimerHandle
from tws_tui.core.errors import N_, InvalidState, NotFound
from tws_tui.core.model import FlowId, FlowMode
from tws_tui.simulator.base import Behaviour, SwitchBase, operation
from tws_tui.simulator.entities import FlowState, QueueState


class FlowServices(SwitchBase):
    """Closed-flow routing, the schedule-boundary timer and ``set_call_flow``."""

    def __init__(self, clock: Clock, rng: random.Random, behaviour: Behaviour) -> None:
        super().__init__(clock, rng, behaviour)
        self._flow_timers: dict[str, TimerHandle] = {}

    def _flow(self, flow_id: str) -> FlowState:
        flow = self.flows.get(FlowId(flow_id))
        if flow is None:
            raise NotFound(N_("Unknown call flow: {flow_id}"), flow_id=flow_id)
        return flow

    def _closed_flow(self, queue: QueueState) -> FlowState | None:
        now = self.now()
        own = [f for f in self.flows.values() if f.queue_id == queue.id]
        every = [f for f in self.flows.values() if f.queue_id is None]
        return next((f for f in (*own, *every) if not f.open_at(now)), None)

    def watch_flows(self) -> None:
        """Arm the timer at the next schedule boundary of any flow (re-armed when it fires).

        Called when a console starts monitoring, not at construction: a real clock's timers
        need the running event loop.
        """
        now = self.now()
        changes = [
            change
            for flow in self.flows.values()
            if flow.schedule is not None and (change := flow.schedule.next_change(now)) is not None
        ]
        if not changes:
            return
        delay = (min(changes) - now).total_seconds()
        self._later(delay, self.watch_flows, self._flow_timers, "boundary")

    @operation
    def set_call_flow(self, flow_id: str, mode: FlowMode) -> None:
        """Force a flow open (DAY) or closed (NIGHT), or give it back to its schedule (AUTO)."""
        flow = self._flow(flow_id)
        try:
            flow.mode = FlowMode(mode)
        except ValueError:
            modes = ", ".join(m.value for m in FlowMode)
            raise InvalidState(
                N_("Unknown call flow mode: {mode!r} ({modes})"), mode=str(mode), modes=modes
            ) from None
