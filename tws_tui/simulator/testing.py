"""A scripting harness around the switch: manual clock, quiet people, recorded events.

Owns ``Harness``, used by the tests and handy for scripted demos: it builds a ``Switch`` on a
``ManualClock`` with nobody answering by themselves (unless asked), records every event the
operator's console receives and feeds them into a ``ConsoleState``, and offers one-line helpers
to ring the operator, answer at a colleague's phone or find an idle colleague.
"""

from __future__ import annotations

from tws_tui.core.clock import ManualClock
from tws_tui.core.events import CallEvent, Event, SnapshotEvent
from tws_tui.core.model import Call, CallId, ConnectionState, Party
from tws_tui.core.state import ConsoleState
from tws_tui.simulator.base import Behaviour
from tws_tui.simulator.entities import Endpoint
from tws_tui.simulator.switch import Switch

CALLER = Party("+33612345678", "Jeanne Moreau")


def quiet() -> Behaviour:
    """Nobody answers or hangs up on their own: the script does everything."""
    return Behaviour(colleague_answer_s=None, external_answer_s=None, callee_talk_s=None)


class Harness:
    def __init__(self, seed: int = 0, behaviour: Behaviour | None = None) -> None:
        self.clock = ManualClock()
        self.switch = Switch(self.clock, seed, behaviour=behaviour or quiet())
        self.me = self.switch.operator
        self.events: list[Event] = []
        self.state = ConsoleState()
        self.state.apply(SnapshotEvent(at=self.clock.now(), snapshot=self.switch.snapshot()))
        self.switch.subscribe(self._record)

    def _record(self, event: Event) -> None:
        self.events.append(event)
        self.state.apply(event)

    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)

    # ---- the operator's side ----------------------------------------------------------------

    def call(self, call_id: str) -> Call:
        """The operator's connection as the console state holds it now."""
        return self.state.calls[CallId(call_id)]

    def gone(self, call_id: str) -> bool:
        return CallId(call_id) not in self.state.calls

    def ringing(self) -> list[Call]:
        return self.state.ringing_calls()

    def ring_me(self, caller: Party | str = CALLER, **kwargs: object) -> CallId:
        """An outside caller dials the operator; returns the operator's alerting connection."""
        before = set(self.state.calls)
        self.switch.inject_incoming_call(self.me.extension or "100", caller, **kwargs)  # type: ignore[arg-type]
        new = [c for c in self.state.calls if c not in before]
        assert len(new) == 1, new
        return new[0]

    def talking_with_caller(self, caller: Party | str = CALLER) -> CallId:
        call_id = self.ring_me(caller)
        self.switch.answer(call_id)
        return call_id

    def call_events(self, call_id: str) -> list[CallEvent]:
        return [e for e in self.events if isinstance(e, CallEvent) and e.call.call_id == call_id]

    # ---- other devices ---------------------------------------------------------------------

    def idle_colleagues(self) -> list[Endpoint]:
        """Colleagues reachable and not queue agents, in extension order."""
        return [
            ep
            for ep in self.switch.endpoints.values()
            if ep.internal
            and not ep.operator
            and ep.registered
            and not ep.dnd
            and not ep.forwards
            and not ep.home_queues
            and not ep.conns
            and ep.presence.value == "available"
        ]

    def colleague(self, index: int = 0) -> Endpoint:
        return self.idle_colleagues()[index]

    def conn_at(self, device: Endpoint | str, state: ConnectionState | None = None) -> str:
        """The (first) connection id at a device, optionally in a given state."""
        ep = device if isinstance(device, Endpoint) else self.switch.endpoint(device)
        for conn in ep.conns:
            if state is None or conn.state is state:
                return conn.id
        raise AssertionError(f"no {state or ''} connection at {ep.extension}")

    def answer_at(self, device: Endpoint | str) -> str:
        call_id = self.conn_at(device, ConnectionState.ALERTING)
        self.switch.answer(call_id)
        return call_id

    def line(self, device: Endpoint) -> str:
        """The BLF line state the console shows for a colleague."""
        return self.state.devices[device.device_id].line_state.value
