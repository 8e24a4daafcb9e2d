"""The traffic generator: makes the simulated company live (demo mode only).

Owns the scripted *opening* — the switchboard opened for the day, then within the first 10
seconds calls wait in queues, two colleagues call each other and an outside call rings the
operator, so a first-time user sees the console work — and the steady random activity
afterwards: outside calls into the queues and to the operator, colleagues calling each other and
outside numbers, presence and DND changes, agents pausing and resuming. Every draw comes from its
own seeded ``random.Random``; every timer is kept so that ``stop()`` cancels them all. It is
never started implicitly: tests that do not call ``start()`` see a quiet switch, and each
activity method can be scripted directly.

A working day whatever the hour: the demo is often tried in the evening or at the weekend,
when the company's opening hours would send every queue call to voicemail. ``start()`` forces
the call flows that follow a schedule into day mode (the Queues screen shows "forced day"); the
operator can still give them back to their schedule or force night with ``n``.

A receptionist's calls: most come through the queues; direct calls to the operator's
extension are a minority (one every 2½ minutes on average, about one in eight of the calls to
the reception), a caller lets it ring 20 to 40 seconds, and no caller is generated while
``DIRECT_RINGING_MAX`` calls already ring at the operator's desk (a desk phone's two line keys:
a third caller would hear busy), so direct calls never pile up on screen.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Callable

from tws_tui.core.clock import TimerHandle
from tws_tui.core.errors import CallControlError
from tws_tui.core.model import AgentState, ConnectionState, FlowMode, Party, PresenceState
from tws_tui.core.values import value_class
from tws_tui.simulator.chat import SwitchChat
from tws_tui.simulator.entities import Endpoint
from tws_tui.simulator.switch import Switch


@value_class
class Rates:
    """Mean seconds between two occurrences of each kind of activity."""

    queue_call_s: float = 9.0
    operator_call_s: float = 150.0
    internal_call_s: float = 14.0
    outgoing_call_s: float = 25.0
    presence_s: float = 30.0
    agent_s: float = 20.0
    talk_s: tuple[float, float] = (25.0, 150.0)
    patience_s: tuple[float, float] = (70.0, 240.0)  # a caller waiting in a queue
    ring_patience_s: tuple[float, float] = (20.0, 40.0)  # a caller letting the operator ring
    chat_s: float = 120.0  # a colleague writing to the operator


#: How likely an outside call is to land in each queue.
QUEUE_WEIGHTS = {"3900": 5, "3901": 3, "3902": 3}
#: No direct caller is generated while this many calls ring at the operator's desk.
DIRECT_RINGING_MAX = 2


class Traffic:
    """Random but reproducible activity on a ``Switch``."""

    def __init__(
        self,
        switch: Switch,
        seed: int = 0,
        rates: Rates | None = None,
        *,
        chat: SwitchChat | None = None,
    ) -> None:
        self.switch = switch
        self.chat = chat
        self.rng = random.Random(seed)
        self.rates = rates or Rates()
        self.running = False
        self._handles: dict[int, TimerHandle] = {}
        self._serial = 0

    # ---- life cycle -------------------------------------------------------------------

    def start(self) -> None:
        """Play the opening, then keep every activity going until ``stop()``."""
        if self.running:
            return
        self.running = True
        behaviour = self.switch.behaviour
        if behaviour.callee_talk_s is None:
            behaviour.callee_talk_s = self.rates.talk_s
        self.open_for_the_day()
        self._at(1.0, lambda: self.queue_call("3900"))
        self._at(2.0, self.internal_call)
        self._at(3.0, lambda: self.queue_call("3902"))
        self._at(4.0, lambda: self.queue_call("3900"))
        self._at(6.0, self.operator_call)
        self._at(7.5, lambda: self.queue_call("3901"))
        for step, mean in (
            (self.queue_call, self.rates.queue_call_s),
            (self.operator_call, self.rates.operator_call_s),
            (self.internal_call, self.rates.internal_call_s),
            (self.outgoing_call, self.rates.outgoing_call_s),
            (self.presence_change, self.rates.presence_s),
            (self.agent_change, self.rates.agent_s),
        ):
            self._every(10.0, mean, step)
        if self.chat is not None:
            self._chat_later(self.chat)

    def _chat_later(self, chat: SwitchChat) -> None:
        """A colleague writes now and then; the delays come from the chat's own seeded draws,
        so the calls' sequence is the same with or without chat."""

        def write() -> None:
            self._chat_later(chat)
            chat.colleague_writes()

        self._at(chat.rng.expovariate(1.0 / self.rates.chat_s), write)

    def open_for_the_day(self) -> None:
        """Force every call flow that follows a schedule into day mode (see the module
        docstring: the demo is a working day whatever the hour)."""
        for flow in self.switch.flows.values():
            if flow.schedule is not None:
                self.switch.set_call_flow(flow.id, FlowMode.DAY)

    def stop(self) -> None:
        """Cancel every pending timer of the generator (the switch keeps running)."""
        self.running = False
        for handle in self._handles.values():
            handle.cancel()
        self._handles.clear()

    def _at(self, delay_s: float, step: Callable[[], object]) -> None:
        self._serial += 1
        serial = self._serial

        def fire() -> None:
            self._handles.pop(serial, None)
            if self.running:
                with contextlib.suppress(CallControlError):  # e.g. somebody got busy: skip
                    step()

        self._handles[serial] = self.switch.clock.call_later(delay_s, fire)

    def _every(self, first_s: float, mean_s: float, step: Callable[[], object]) -> None:
        def again() -> None:
            self._at(self.rng.expovariate(1.0 / mean_s), again)
            step()

        self._at(first_s + self.rng.expovariate(1.0 / mean_s), again)

    # ---- activities (each can be called directly by a script) ------------------------------

    def _caller(self) -> Party:
        pick = self.rng.choice(self.switch.company.externals)
        return Party(pick.number, pick.name)

    def _idle(self) -> list[Endpoint]:
        return [
            ep
            for ep in self.switch.endpoints.values()
            if ep.internal
            and not ep.operator
            and ep.registered
            and not ep.dnd
            and not ep.conns
            and not ep.queues  # agents are kept free for the queues
        ]

    def queue_call(self, number: str | None = None) -> str:
        """An outside caller dials a queue."""
        if number is None:
            numbers = list(QUEUE_WEIGHTS)
            number = self.rng.choices(numbers, weights=[QUEUE_WEIGHTS[n] for n in numbers])[0]
        return self.switch.inject_incoming_call(
            number,
            self._caller(),
            talk_s=self.rng.uniform(*self.rates.talk_s),
            patience_s=self.rng.uniform(*self.rates.patience_s),
        )

    def operator_call(self) -> str | None:
        """An outside caller dials the operator's extension and gives up if not answered;
        none while ``DIRECT_RINGING_MAX`` calls already ring there."""
        me = self.switch.operator
        ringing = sum(1 for conn in me.conns if conn.state is ConnectionState.ALERTING)
        if ringing >= DIRECT_RINGING_MAX:
            return None
        call_id = self.switch.inject_incoming_call(
            me.extension or "100",
            self._caller(),
            talk_s=self.rng.uniform(*self.rates.talk_s),
        )
        self._at(self.rng.uniform(*self.rates.ring_patience_s), lambda: self._give_up(call_id))
        return call_id

    def _give_up(self, call_id: str) -> None:
        if not self.switch.answered(call_id):
            self.switch.caller_hangs_up(call_id)

    def internal_call(self) -> str | None:
        """A colleague calls another colleague."""
        idle = self._idle()
        if len(idle) < 2:
            return None
        caller, callee = self.rng.sample(idle, 2)
        conn_id = self.switch.make_call(
            caller.device_id, callee.extension or "", talk_s=self.rng.uniform(*self.rates.talk_s)
        )
        self._at(30.0, lambda: self._stop_ringing(conn_id))
        return conn_id

    def _stop_ringing(self, conn_id: str) -> None:
        conn = self.switch.conns.get(conn_id)  # type: ignore[call-overload]
        if conn is not None and not self.switch.answered(conn.call.id):
            self.switch.clear_connection(conn_id)

    def outgoing_call(self) -> str | None:
        """A colleague calls an outside number."""
        idle = self._idle()
        if not idle:
            return None
        caller = self.rng.choice(idle)
        target = self.rng.choice([e for e in self.switch.company.externals if e.number])
        assert target.number is not None
        conn_id = self.switch.make_call(
            caller.device_id, target.number, talk_s=self.rng.uniform(*self.rates.talk_s)
        )
        self._at(30.0, lambda: self._stop_ringing(conn_id))
        return conn_id

    def presence_change(self) -> None:
        """A colleague changes presence, DND or comes back from a break."""
        people = [ep for ep in self.switch.endpoints.values() if ep.internal and not ep.operator]
        ep = self.rng.choice(people)
        roll = self.rng.random()
        if roll < 0.15 and not ep.conns:
            self.switch.set_dnd(ep.device_id, not ep.dnd)
            return
        states = [PresenceState.AVAILABLE] * 4 + [PresenceState.AWAY, PresenceState.BUSY]
        notes = {PresenceState.AWAY: "Pause", PresenceState.BUSY: "En réunion"}
        state = self.rng.choice(states)
        self.switch.set_presence(ep.device_id, state, notes.get(state))

    def agent_change(self) -> None:
        """A queue agent pauses or gets ready again."""
        agents = [
            ep
            for ep in self.switch.endpoints.values()
            if ep.home_queues and not ep.operator and ep.registered
        ]
        if not agents:
            return
        ep = self.rng.choice(agents)
        if ep.agent is AgentState.READY:
            self.switch.set_agent_state(ep.device_id, AgentState.NOT_READY, "Pause")
        else:
            self.switch.set_agent_state(ep.device_id, AgentState.READY)
