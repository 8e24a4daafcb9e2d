"""The switch's foundation: its tables, ids, timers, routing and connection primitives, events.

Owns:

* the tables (endpoints, connections, calls, queues, call flows, answering machines, lots,
  transfers, history) and id counters;
* ``_op()``: every public request and every timer runs inside it; when the outermost one ends,
  queues distribute and every *view* (one per monitored device) is diffed against what it last
  emitted, so each changed object is emitted once with a fresh version (the views all monitors
  share are built once per flush: :mod:`tws_tui.simulator.monitors`);
* routing (``_plan`` is pure: closed call flows, queue forwarding rules, answering machines,
  forwards, DND, busy, unobtainable; ``_execute`` applies it);
* connection primitives (``_new_conn``, ``_answer``, ``_remove_conn``, ``_clear``) and history.

Versions come from one global counter, so they strictly increase per object id. The services
(calls, transfers, queues, parking, features) are mixins in sibling modules; the hooks they
override are declared here.
"""

from __future__ import annotations

import functools
import itertools
import random
import re
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from typing import Any, TypeVar, cast

from tws_tui.core.clock import Clock, TimerHandle
from tws_tui.core.errors import N_, InvalidDestination, InvalidState, NotFound
from tws_tui.core.events import (
    CallEvent,
    CallEventKind,
    CallFlowEvent,
    DeviceEvent,
    Event,
    HistoryEvent,
    OperatorEvent,
    ParkingEvent,
    QueueEvent,
    TransferEvent,
)
from tws_tui.core.model import (
    ANSWERING_MACHINE,
    DEFAULT_ANNOUNCEMENT,
    WITHHELD_NUMBER,
    Action,
    Call,
    CallId,
    Cause,
    CompanyNumber,
    ConnectionState,
    DeviceId,
    Direction,
    FindMeMode,
    FlowId,
    Forward,
    ForwardKind,
    HistoryEntry,
    LotId,
    Outcome,
    Party,
    QueueForwardRule,
    QueueId,
    TransferId,
)
from tws_tui.core.values import record_class
from tws_tui.simulator import views
from tws_tui.simulator.company import MachineSpec
from tws_tui.simulator.entities import (
    CallStep,
    Conn,
    Endpoint,
    FlowState,
    LotState,
    QueueState,
    SimCall,
    Xfer,
)
from tws_tui.simulator.monitors import Key, Latest, SharedViews, View

F = TypeVar("F", bound=Callable[..., Any])

_DESTINATION = re.compile(r"\+?[0-9*#]{2,20}")
_HISTORY_MAX = 200
MACHINE_ANSWER_S = 1.0  # an answering machine picks up after one ring


@record_class
class Behaviour:
    """How the simulated people behave. ``None`` disables a behaviour."""

    colleague_answer_s: tuple[float, float] | None = (2.0, 6.0)  # colleagues answer after
    external_answer_s: tuple[float, float] | None = (3.0, 8.0)  # outside numbers answer after
    callee_talk_s: tuple[float, float] | None = None  # a called party hangs up after talking
    ring_time_s: float = 20.0  # default no-answer forwarding delay
    transfer_recall_s: float = 30.0  # an unanswered transferred call comes back after
    agent_ring_s: float = 15.0  # an ACD agent who does not answer is skipped after
    park_timeout_s: float = 120.0  # a parked call rings back at the parker after


@record_class
class Plan:
    """Where a call will go (computed without changing anything)."""

    cause: Cause
    redirected_from: Party | None
    endpoint: Endpoint | None = None
    queue: QueueState | None = None
    #: Played to the caller before the call goes on (a forward's announcement), and whose
    #: forward it is.
    announcement: str | None = None
    announced_by: Endpoint | None = None
    #: The answering machine's: once the announcement is played the call ends.
    hang_up: bool = False


def operation(fn: F) -> F:
    """Run a public switch method inside ``_op()`` (events are flushed when it returns)."""

    @functools.wraps(fn)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        with self._op():
            return fn(self, *args, **kwargs)

    return cast(F, wrapper)


def normalize_number(raw: str) -> str:
    """``"01 23 45 67 89"`` → ``"+33123456789"``; spaces, dots and dashes are dropped."""
    number = re.sub(r"[\s.\-()]", "", raw)
    if number.startswith("00"):
        number = "+" + number[2:]
    if re.fullmatch(r"0[1-9][0-9]{8}", number):
        number = "+33" + number[1:]
    return number


class SwitchBase:
    """Tables, timers, routing, connection primitives and event emission."""

    def __init__(self, clock: Clock, rng: random.Random, behaviour: Behaviour) -> None:
        self.clock = clock
        self.rng = rng
        self.behaviour = behaviour
        self.endpoints: dict[DeviceId, Endpoint] = {}
        self.by_extension: dict[str, Endpoint] = {}
        self.queues: dict[QueueId, QueueState] = {}
        self.flows: dict[FlowId, FlowState] = {}
        self.machines: dict[str, MachineSpec] = {}  # answering machines by number
        self.pause_reasons: tuple[str, ...] = ()  # empty: any reason is accepted
        self.company_numbers: tuple[CompanyNumber, ...] = ()  # an operator may present them
        self.lots: dict[LotId, LotState] = {}
        self.conns: dict[CallId, Conn] = {}
        self.calls: dict[str, SimCall] = {}
        self.transfers: dict[TransferId, Xfer] = {}
        self.history: dict[DeviceId, deque[HistoryEntry]] = {}
        #: What happened to a call beyond its connections (an announcement played, then
        #: forwarded), by call id, oldest first (announcements.py).
        self.timelines: dict[str, list[CallStep]] = {}
        #: Told each step as it is taken, with its call's id (the CTI server keeps them).
        self.step_hooks: list[Callable[[str, CallStep], None]] = []
        self.directory_names: dict[str, tuple[str | None, str | None]] = {}
        self._views: dict[DeviceId, View] = {}
        self._latest = Latest()
        self._ids = itertools.count(1)
        #: Put into every id this switch makes (``c`` + run + serial): empty here; a server
        #: whose history outlives the process sets one per start, so that a call or history
        #: id of an earlier run is never given again (a stored row would silently win, and a
        #: retried command could act on another call).
        self.id_run = ""
        self._versions = itertools.count(1)
        # Conversation ids carry the switch's start time, so that they stay unique across runs
        # (the console's call journal keys calls and their comments by them).
        self._run = self.clock.now().strftime("%Y%m%dT%H%M%S")
        self._handles: dict[int, TimerHandle] = {}
        self._depth = 0

    # ---- ids, time, timers ----------------------------------------------------------------

    def _id(self, prefix: str) -> str:
        return f"{prefix}{self.id_run}{next(self._ids)}"

    def now(self) -> datetime:
        return self.clock.now()

    def _later(
        self, delay_s: float, fn: Callable[[], None], timers: dict[str, TimerHandle], key: str
    ) -> None:
        """Arm a timer kept in ``timers[key]`` (replacing one already there)."""
        old = timers.pop(key, None)
        if old is not None:
            old.cancel()
        serial = next(self._ids)

        def fire() -> None:
            self._handles.pop(serial, None)
            if timers.get(key) is handle:
                del timers[key]
            with self._op():
                fn()

        handle = self.clock.call_later(delay_s, fire)
        timers[key] = handle
        self._handles[serial] = handle

    @staticmethod
    def _cancel(timers: dict[str, TimerHandle], *keys: str) -> None:
        for key in keys or tuple(timers):
            handle = timers.pop(key, None)
            if handle is not None:
                handle.cancel()

    def shutdown(self) -> None:
        """Cancel every timer the switch armed (the switch is frozen afterwards)."""
        for handle in self._handles.values():
            handle.cancel()
        self._handles.clear()

    # ---- lookups ----------------------------------------------------------------------------

    def endpoint(self, device: str) -> Endpoint:
        """A device by device id or extension; ``NotFound`` otherwise."""
        ep = self.endpoints.get(DeviceId(device)) or self.by_extension.get(device)
        if ep is None:
            raise NotFound(N_("Unknown phone: {device}"), device=device)
        return ep

    def conn(self, call_id: str) -> Conn:
        conn = self.conns.get(CallId(call_id))
        if conn is None:
            raise NotFound(N_("Unknown or ended call: {call_id}"), call_id=call_id)
        return conn

    def _xfer_of(self, conn: Conn) -> Xfer | None:
        for x in self.transfers.values():
            if conn is x.primary or conn is x.consult:
                return x
        return None

    def _queue_of(self, call: SimCall) -> QueueState | None:
        return self.queues.get(call.waiting_in) if call.waiting_in else None

    def allowed(self, conn: Conn) -> frozenset[Action]:
        return views.allowed_actions(conn, self._xfer_of(conn) is not None)

    def _require(self, conn: Conn, action: Action) -> None:
        if action not in self.allowed(conn):
            raise InvalidState(
                N_("'{action}' is not possible: the call is '{state}'"),
                action=action,
                state=conn.state,
            )

    def _check_destination(self, destination: str, origin: Endpoint | None = None) -> str:
        number = normalize_number(destination)
        if not _DESTINATION.fullmatch(number):
            raise InvalidDestination(N_("Invalid number: {number!r}"), number=destination)
        if origin is not None and number in (origin.extension, origin.number):
            raise InvalidDestination(
                N_("You cannot call your own phone: {number}"), number=destination
            )
        return number

    def company_number(self, number: str | None) -> CompanyNumber | None:
        """The company's number ``number`` (None for None); ``InvalidDestination`` when it is
        not one of the company's."""
        if number is None or number == WITHHELD_NUMBER:
            return None
        wanted = normalize_number(number)
        for known in self.company_numbers:
            if known.number == wanted:
                return known
        raise InvalidDestination(N_("{number} is not one of the company's numbers"), number=number)

    def _busy(self, ep: Endpoint) -> bool:
        return bool(ep.conns) and not ep.operator

    # ---- routing ----------------------------------------------------------------------------

    def _external(self, number: str) -> Endpoint:
        name, company = self.directory_names.get(number, (None, None))
        return Endpoint(DeviceId(self._id("ext-")), number, name, internal=False, company=company)

    def _machine(self, spec: MachineSpec) -> Endpoint:
        """A fresh answering-machine leg: a machine takes any number of calls at once."""
        return Endpoint(
            DeviceId(self._id("svc-")),
            spec.number,
            spec.name,
            internal=False,
            machine_s=spec.hangs_up_after_s,
        )

    def _plan(
        self, number: str, cause: Cause, redirected_from: Party | None, depth: int = 0
    ) -> Plan | Cause:
        """Where a call to ``number`` goes, following forwards; or why it fails. Pure."""
        if depth > 4:
            return Cause.DEST_NOT_OBTAINABLE
        queue = next((q for q in self.queues.values() if q.number == number), None)
        if queue is not None:
            queue_party = Party(queue.number, queue.name)
            closed = self._closed_flow(queue)
            if closed is not None:
                if not closed.closed_destination:
                    return Cause.DEST_NOT_OBTAINABLE  # closed with nowhere to go: hung up
                return self._plan(
                    closed.closed_destination, Cause.CALL_FORWARD, queue_party, depth + 1
                )
            rule = self._forward_rule(queue)
            if rule is not None:
                return self._plan(rule.destination, Cause.CALL_FORWARD, queue_party, depth + 1)
            return Plan(cause, redirected_from, queue=queue)
        machine = self.machines.get(number)
        if machine is not None:
            return Plan(cause, redirected_from, endpoint=self._machine(machine))
        ep = self.by_extension.get(number)
        if ep is None:
            if number.startswith("+") or (number.startswith("0") and len(number) >= 6):
                return Plan(cause, redirected_from, endpoint=self._external(number))
            return Cause.DEST_NOT_OBTAINABLE
        forward = ep.forward(ForwardKind.UNCONDITIONAL)
        if forward is not None and forward.destination:
            return self._follow(ep, forward, depth)
        if not ep.registered:  # the phone is offline: its not-reachable forward, if any
            forward = ep.forward(ForwardKind.NOT_REACHABLE)
            if forward is not None and forward.destination:
                return self._follow(ep, forward, depth)
            return Cause.DEST_NOT_OBTAINABLE
        if ep.dnd and ep.forward(ForwardKind.DND) is not None:  # its own, before the busy one
            forward = ep.forward(ForwardKind.DND)
            assert forward is not None and forward.destination
            return self._plan(forward.destination, Cause.CALL_FORWARD, ep.party, depth + 1)
        if ep.dnd or self._busy(ep):
            forward = ep.forward(ForwardKind.BUSY)
            if forward is not None and forward.destination:
                return self._follow(ep, forward, depth)
            return Cause.DO_NOT_DISTURB if ep.dnd else Cause.BUSY
        return Plan(cause, redirected_from, endpoint=ep)

    def _follow(self, ep: Endpoint, forward: Forward, depth: int) -> Plan | Cause:
        """Where ``ep``'s forward sends a call; its announcement (the first one met, when
        forwards chain) is played to the caller before the call goes on. Pure."""
        assert forward.destination is not None
        if forward.destination == ANSWERING_MACHINE:  # its announcement, then hang up
            spoken = forward.announcement or DEFAULT_ANNOUNCEMENT
            return Plan(
                Cause.CALL_FORWARD, ep.party, announcement=spoken, announced_by=ep, hang_up=True
            )
        plan = self._plan(forward.destination, Cause.CALL_FORWARD, ep.party, depth + 1)
        if isinstance(plan, Plan) and forward.announcement is not None:
            plan = replace(plan, announcement=forward.announcement, announced_by=ep)
        return plan

    def _execute(self, call: SimCall, plan: Plan) -> Conn | None:
        if plan.announcement is not None:
            self._announce(call, plan)  # the call goes on once it is played
            return None
        if plan.queue is not None:
            self._enqueue(call, plan.queue, Cause.ENTERING_DISTRIBUTION)
            return None
        assert plan.endpoint is not None
        return self._alert(call, plan.endpoint, plan.cause, plan.redirected_from)

    def _route(
        self, call: SimCall, number: str, cause: Cause, redirected_from: Party | None = None
    ) -> Cause | None:
        """Send ``call`` to ``number``; return the failure cause, or None when it got there."""
        plan = self._plan(number, cause, redirected_from)
        if isinstance(plan, Cause):
            return plan
        self._execute(call, plan)
        return None

    # ---- connection primitives --------------------------------------------------------------

    def _new_call(self, called: Party | None = None) -> SimCall:
        call = SimCall(self._id(f"call-{self._run}-"), self.now(), called=called)
        self.calls[call.id] = call
        return call

    def _direction(self, ep: Endpoint, call: SimCall) -> Direction:
        """Direction of a call the device did not place: from outside, or from a colleague.

        A call the device places is OUTBOUND whoever it reaches (set by ``make_call``)."""
        outside = any(not c.endpoint.internal for c in call.conns if c.endpoint is not ep)
        return Direction.INBOUND if outside else Direction.INTERNAL

    def _new_conn(
        self,
        call: SimCall,
        ep: Endpoint,
        state: ConnectionState,
        cause: Cause,
        redirected_from: Party | None = None,
    ) -> Conn:
        conn = Conn(
            id=CallId(self._id("c")),
            call=call,
            endpoint=ep,
            state=state,
            direction=self._direction(ep, call),
            created_at=self.now(),
            cause=cause,
            redirected_from=redirected_from,
        )
        call.conns.append(conn)
        ep.conns.append(conn)
        self.conns[conn.id] = conn
        return conn

    def _alert(
        self,
        call: SimCall,
        ep: Endpoint,
        cause: Cause,
        redirected_from: Party | None,
        find_me_of: Conn | None = None,
    ) -> Conn:
        """Ring ``ep`` on ``call`` (no checks: routing decided it may); its find-me numbers
        too, unless this is itself a find-me leg (``find_me_of``)."""
        conn = self._new_conn(call, ep, ConnectionState.ALERTING, cause, redirected_from)
        conn.find_me_of = find_me_of
        if ep.machine_s is not None:
            conn.talk_s = ep.machine_s
        elif not ep.operator and self.behaviour.callee_talk_s is not None:
            conn.talk_s = self.rng.uniform(*self.behaviour.callee_talk_s)
        self._emit_all(call, CallEventKind.DELIVERED, cause)
        forward = ep.forward(ForwardKind.NO_ANSWER)
        if forward is not None:
            delay = forward.ring_time_s or self.behaviour.ring_time_s
            self._later(delay, lambda: self._no_answer(conn), conn.timers, "no_answer")
        self._arm_auto_answer(conn)
        if (
            find_me_of is None
            and cause is not Cause.DISTRIBUTED  # a queue's call is for the agent at the desk
            and ep.find_me.enabled
            and ep.find_me.numbers
        ):
            self._find_me(conn)
        return conn

    def _arm_auto_answer(self, conn: Conn) -> None:
        ep = conn.endpoint
        if ep.operator:
            return
        if ep.machine_s is not None:  # a machine answers whatever the people do
            self._later(MACHINE_ANSWER_S, lambda: self._auto_answer(conn), conn.timers, "answer")
            return
        span = (
            self.behaviour.colleague_answer_s if ep.internal else self.behaviour.external_answer_s
        )
        if span is None or (ep.internal and ep.presence.value not in ("available", "busy")):
            return
        delay = self.rng.uniform(*span)
        self._later(delay, lambda: self._auto_answer(conn), conn.timers, "answer")

    def _auto_answer(self, conn: Conn) -> None:
        if conn.alive and conn.state is ConnectionState.ALERTING:
            self._answer(conn, conn.cause)

    def _no_answer(self, conn: Conn) -> None:
        forward = conn.endpoint.forward(ForwardKind.NO_ANSWER)
        if not conn.alive or conn.state is not ConnectionState.ALERTING or forward is None:
            return
        # Sophia U1.2-3: in a find-me group the shortest no-answer delay runs: the call goes on
        # to that forward and every other phone of the group stops ringing.
        for other in self._find_me_group(conn):
            if other is not conn and other.state is ConnectionState.ALERTING:
                self._remove_conn(
                    other,
                    CallEventKind.CONNECTION_CLEARED,
                    Cause.CALL_CANCELLED,
                    history=other.find_me_of is None,
                )
        assert forward.destination is not None
        plan = self._follow(conn.endpoint, forward, 0)
        if isinstance(plan, Cause):
            return  # nowhere to go: keep ringing
        call = conn.call
        target = plan.endpoint.party if plan.endpoint else Party(forward.destination)
        self._remove_conn(conn, CallEventKind.DIVERTED, Cause.CALL_FORWARD, new_destination=target)
        self._execute(call, plan)

    # ---- simultaneous ring / find-me -------------------------------------------------------

    def _find_me(self, conn: Conn) -> None:
        """Ring ``conn``'s device's find-me numbers with it: all now (simultaneous), or one
        after the other, each for its ring time (sequential); a number the switch cannot
        reach now (busy, unknown, a queue) is passed over."""
        find_me = conn.endpoint.find_me
        if find_me.mode is FindMeMode.SIMULTANEOUS:
            for number in find_me.numbers:
                self._ring_find_me(conn, number.number)
            return
        self._find_me_turn(conn, 0)

    def _find_me_turn(self, conn: Conn, index: int) -> None:
        """Sequential find-me: the previous number stops, number ``index`` rings for its time."""
        if not conn.alive or conn.state is not ConnectionState.ALERTING:
            return
        self._stop_find_me(conn)
        numbers = conn.endpoint.find_me.numbers
        if index >= len(numbers):
            return
        self._ring_find_me(conn, numbers[index].number)
        self._later(
            numbers[index].ring_time_s,
            lambda: self._find_me_turn(conn, index + 1),
            conn.timers,
            "find_me",
        )

    def _ring_find_me(self, conn: Conn, number: str) -> None:
        plan = self._plan(number, Cause.CALL_FORWARD, conn.endpoint.party, 1)
        if isinstance(plan, Cause) or plan.endpoint is None:
            return
        leg = plan.endpoint
        if leg is conn.endpoint or any(c.endpoint is leg for c in conn.call.conns):
            return
        self._alert(conn.call, leg, Cause.CALL_FORWARD, conn.endpoint.party, find_me_of=conn)

    def _find_me_group(self, conn: Conn) -> list[Conn]:
        """The connections ringing for the same call to me: mine and my find-me legs."""
        main = conn.find_me_of or conn
        return [c for c in main.call.conns if c is main or c.find_me_of is main]

    def _stop_find_me(self, main: Conn) -> None:
        """Stop ``main``'s find-me legs that still ring (rung for me: not in their journal)."""
        for leg in [c for c in main.call.conns if c.find_me_of is main]:
            if leg.state is ConnectionState.ALERTING:
                self._remove_conn(
                    leg, CallEventKind.CONNECTION_CLEARED, Cause.CALL_CANCELLED, history=False
                )

    def _others_stop_ringing(self, answered: Conn) -> None:
        """Somebody of a find-me group answered: the others of the group stop ringing. My
        line's journal says where the call went (answered on that number, not missed); the
        other numbers, rung for me, keep no line of it."""
        group = self._find_me_group(answered)
        if len(group) < 2:
            return
        main = answered.find_me_of or answered
        for other in group:
            if other is answered or other.state is not ConnectionState.ALERTING:
                continue
            if other is main:
                other.transferred_to = answered.endpoint.number
                self._remove_conn(other, CallEventKind.CONNECTION_CLEARED, Cause.CALL_PICKUP)
            else:
                self._remove_conn(
                    other, CallEventKind.CONNECTION_CLEARED, Cause.CALL_CANCELLED, history=False
                )
        answered.find_me_of = None
        for other in answered.call.conns:
            if other.find_me_of is not None and other.find_me_of not in answered.call.conns:
                other.find_me_of = None

    def _arm_talk(self, conn: Conn) -> None:
        if conn.talk_s is not None and conn.alive:
            self._later(conn.talk_s, lambda: self._hang_up_by_itself(conn), conn.timers, "talk")

    def _hang_up_by_itself(self, conn: Conn) -> None:
        if conn.alive:
            self._clear(conn)

    def _hold(self, conn: Conn, cause: Cause) -> None:
        """Put ``conn`` on hold; a running recording stops with it (TWS-3.7.4-1)."""
        conn.state = ConnectionState.HOLD
        conn.cause = cause
        conn.recording = False

    def _hold_active(self, ep: Endpoint, keep: Conn | None = None) -> None:
        """Before the operator takes another call, hold (or drop) the one they talk on."""
        for other in list(ep.conns):
            if other is keep or other.state is not ConnectionState.CONNECTED:
                continue
            if Action.HOLD in self.allowed(other):
                self._hold(other, Cause.UNKNOWN)
                self._emit_call(other, CallEventKind.HELD, Cause.UNKNOWN)
            else:
                other.cleared_by_owner = True
                self._clear(other)

    def _answer(self, conn: Conn, cause: Cause | None = None) -> None:
        self._others_stop_ringing(conn)
        self._hold_active(conn.endpoint, keep=conn)
        self._cancel(conn.timers, "answer", "no_answer", "recall", "agent")
        conn.state = ConnectionState.CONNECTED
        conn.answered_at = self.now()
        if cause is not None:
            conn.cause = cause
        rest = views.others(conn)
        for other in rest:
            if other.answered_at is None and other.state is ConnectionState.CONNECTED:
                other.answered_at = self.now()
        self._emit_all(conn.call, CallEventKind.ESTABLISHED, conn.cause)
        for other in (conn, *rest):
            self._arm_talk(other)
        self._answered(conn)

    def _remove_conn(
        self,
        conn: Conn,
        kind: CallEventKind,
        cause: Cause,
        *,
        other_call_id: CallId | None = None,
        new_destination: Party | None = None,
        history: bool = True,
    ) -> None:
        """Take one connection out of its call (no cascade) and tell its device."""
        call, ep = conn.call, conn.endpoint
        self._cancel(conn.timers)
        rest = views.others(conn)
        if rest:
            conn.last_remote = rest[0].shown_party
        conn.state = ConnectionState.NULL
        conn.cause = cause
        self._emit_call(
            conn, kind, cause, other_call_id=other_call_id, new_destination=new_destination
        )
        call.conns.remove(conn)
        ep.conns.remove(conn)
        del self.conns[conn.id]
        if not ep.conns:
            ep.idle_since = self.now()
        if history and ep.internal:
            self._record_history(conn)
        self._conn_gone(conn)
        if not call.conns:
            self._end_call(call)

    def _clear(self, conn: Conn, cause: Cause = Cause.NORMAL_CLEARING) -> None:
        """ClearConnection with CSTA semantics: a lone remaining party is cleared too."""
        call = conn.call
        self._remove_conn(conn, CallEventKind.CONNECTION_CLEARED, cause)
        if call.waiting_in is not None or call.parked is not None:
            if not call.conns:
                self._end_call(call)
            return
        if call.conns and all(c.state is ConnectionState.ALERTING for c in call.conns):
            rung = self._find_me_group(call.conns[0])
            if len(rung) == len(call.conns) > 1:  # the caller left while my numbers rang
                for leg in rung:  # a missed call in my journal only
                    self._remove_conn(
                        leg,
                        CallEventKind.CONNECTION_CLEARED,
                        Cause.CALL_CANCELLED,
                        history=leg.find_me_of is None,
                    )
                return
        if len(call.conns) == 1:
            last = call.conns[0]
            alerting = last.state is ConnectionState.ALERTING
            self._remove_conn(
                last,
                CallEventKind.CONNECTION_CLEARED,
                Cause.CALL_CANCELLED if alerting else Cause.NORMAL_CLEARING,
            )

    def _end_call(self, call: SimCall) -> None:
        self._cancel(call.timers)
        if call.waiting_in is not None:
            self._leave_queue(call)
        if call.parked is not None:
            self._unpark(call)
        self.calls.pop(call.id, None)

    def _record_history(self, conn: Conn) -> None:
        if conn.transferred_to is not None:
            outcome = Outcome.TRANSFERRED
        elif conn.originator:
            outcome = Outcome.FAILED if conn.failed else Outcome.OUTGOING
        else:
            outcome = Outcome.ANSWERED if conn.answered_at else Outcome.MISSED
        end = self.now()
        talk = int((end - conn.answered_at).total_seconds()) if conn.answered_at else None
        entry = HistoryEntry(
            id=self._id("h"),
            start=conn.created_at,
            direction=conn.direction,
            outcome=outcome,
            remote=conn.last_remote or Party(),
            called=conn.call.called,
            queue=conn.call.queue,
            answered_at=conn.answered_at,
            end=end,
            duration_s=talk,
            transferred_to=conn.transferred_to,
            conversation_id=conn.call.id,
        )
        journal = self.history.setdefault(conn.endpoint.device_id, deque(maxlen=_HISTORY_MAX))
        journal.appendleft(entry)
        view = self._views.get(conn.endpoint.device_id)
        if view is not None:
            self._send(view, HistoryEvent(at=end, entry=entry))

    # ---- hooks the service mixins override ----------------------------------------------------

    def _conn_gone(self, conn: Conn) -> None:
        """A connection left its call (transfers react)."""

    def _answered(self, conn: Conn) -> None:
        """A connection was answered (transfers react)."""

    def _enqueue(self, call: SimCall, queue: QueueState, cause: Cause) -> None:
        raise NotImplementedError

    def _announce(self, call: SimCall, plan: Plan) -> None:
        """Play ``plan.announcement`` to the caller, then carry out the plan (announcements)."""
        raise NotImplementedError

    def _leave_queue(self, call: SimCall) -> None:
        raise NotImplementedError

    def _unpark(self, call: SimCall) -> None:
        raise NotImplementedError

    def _distribute_all(self) -> None:
        """Offer waiting calls to ready agents (queues)."""

    def _closed_flow(self, queue: QueueState) -> FlowState | None:
        """The call flow that keeps ``queue`` closed right now, if any (call flows)."""
        return None

    def _forward_rule(self, queue: QueueState) -> QueueForwardRule | None:
        """The forwarding rule that sends ``queue``'s calls elsewhere now, if any (rules)."""
        return None

    # ---- events -------------------------------------------------------------------------------

    @contextmanager
    def _op(self) -> Iterator[None]:
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
            if self._depth == 0:
                self._depth += 1
                try:
                    self._distribute_all()
                    if self._views:
                        shared = self._shared_views()
                        for device_id, view in list(self._views.items()):
                            self._refresh(device_id, view, shared)
                finally:
                    self._depth -= 1

    def _send(self, view: View, event: Event) -> None:
        for callback in list(view.callbacks):
            callback(event)

    def _call_view(self, conn: Conn) -> Call:
        if conn.call.conns and conn.alive:
            rest = views.others(conn)
            if rest:
                conn.last_remote = rest[0].shown_party
        return views.call_view(conn, self._queue_of(conn.call), self._xfer_of(conn) is not None)

    def _emit_call(
        self,
        conn: Conn,
        kind: CallEventKind,
        cause: Cause,
        *,
        other_call_id: CallId | None = None,
        new_destination: Party | None = None,
    ) -> None:
        view = self._views.get(conn.endpoint.device_id)
        if view is None:
            return
        fresh = self._call_view(conn)
        call = replace(fresh, version=next(self._versions))
        if conn.alive:
            view.calls[conn.id] = call
            view.sources[("call", conn.id)] = fresh
        else:
            view.calls.pop(conn.id, None)
            view.sources.pop(("call", conn.id), None)
        event = CallEvent(
            at=self.now(),
            kind=kind,
            call=call,
            cause=cause,
            other_call_id=other_call_id,
            new_destination=new_destination,
        )
        self._send(view, event)

    def _emit_all(self, call: SimCall, kind: CallEventKind, cause: Cause) -> None:
        for conn in list(call.conns):
            self._emit_call(conn, kind, cause)

    def _emit_transfer(self, x: Xfer) -> None:
        x.version = next(self._versions)
        view = self._views.get(x.owner.device_id)
        if view is None:
            return
        transfer = views.transfer_view(x)
        if x.id in self.transfers:
            view.transfers[x.id] = transfer
        else:
            view.transfers.pop(x.id, None)
        self._send(view, TransferEvent(at=self.now(), transfer=transfer))

    def _shared_views(self) -> SharedViews:
        """The views every monitor sees alike, now (built once per flush)."""
        at = self.now()
        agents = [e for e in self.endpoints.values() if e.internal]
        return self._latest.share(
            at,
            queues=[views.queue_view(q, agents, None) for q in self.queues.values()],
            flows=[views.flow_view(f, at) for f in self.flows.values()],
            lots=[views.lot_view(lot) for lot in self.lots.values()],
            devices=[views.device_view(ep) for ep in agents],
        )

    def _show(self, view: View, key: Key, fresh: Any) -> Any | None:
        """``fresh`` with a new version when ``view`` was not shown it yet, else None."""
        if view.shows(key, fresh):
            return None
        view.sources[key] = fresh
        return replace(fresh, version=next(self._versions))

    def _refresh(self, device_id: DeviceId, view: View, shared: SharedViews | None = None) -> None:
        """Emit what changed for one view since it last looked (INFORMATION for calls)."""
        if shared is None:
            shared = self._shared_views()
        me = self.endpoints[device_id]
        at = shared.at
        for conn in list(me.conns):
            if not view.shows(("call", conn.id), self._call_view(conn)):
                self._emit_call(conn, CallEventKind.INFORMATION, conn.cause)
        state = self._show(view, ("me", device_id), views.operator_view(me, self.company_numbers))
        if state is not None:
            view.me = state
            self._send(view, OperatorEvent(at=at, me=state))
        for queue in shared.queues:
            if views.is_member(me, queue.id):
                queue = shared.queue_as_member(queue)
            if (shown := self._show(view, ("queue", queue.id), queue)) is not None:
                view.queues[queue.id] = shown
                self._send(view, QueueEvent(at=at, queue=shown))
        flows, lots, devices = shared.changed_after(view.synced)
        for flow in flows:
            if (shown := self._show(view, ("flow", flow.id), flow)) is not None:
                view.flows[flow.id] = shown
                self._send(view, CallFlowEvent(at=at, flow=shown))
        for lot in lots:
            if (shown := self._show(view, ("lot", lot.lot_id), lot)) is not None:
                view.lots[lot.lot_id] = shown
                self._send(view, ParkingEvent(at=at, lot=shown))
        for device in devices:
            if device.device_id == device_id:
                continue
            if (shown := self._show(view, ("device", device.device_id), device)) is not None:
                view.devices[device.device_id] = shown
                self._send(view, DeviceEvent(at=at, device=shown))
        view.synced = shared.build
