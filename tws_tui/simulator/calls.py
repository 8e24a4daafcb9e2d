"""Basic call-control services of the switch (CSTA MakeCall … SingleStepTransfer).

Owns the requests a device makes on its own connections: make, answer, clear, hold, retrieve,
deflect, directed pickup, DTMF, mute, recording and blind (single-step) transfer with its
recall when the target cannot be reached, plus ``inject_incoming_call`` for outside callers.
Each method validates everything first and raises a typed error before changing anything.
"""

from __future__ import annotations

import re

from tws_tui.core.errors import N_, InvalidDestination, InvalidState, NotFound
from tws_tui.core.events import CallEventKind
from tws_tui.core.model import (
    WITHHELD_NUMBER,
    Action,
    CallId,
    Cause,
    ConnectionState,
    DeviceId,
    Direction,
    Party,
)
from tws_tui.simulator import views
from tws_tui.simulator.base import SwitchBase, normalize_number, operation
from tws_tui.simulator.entities import Conn, Endpoint, SimCall

_DIGITS = re.compile(r"[0-9*#A-D]+")


class CallServices(SwitchBase):
    """MakeCall, AnswerCall, ClearConnection, Hold/Retrieve, Deflect, Pickup, digits, flags."""

    @operation
    def make_call(
        self,
        device: str,
        destination: str,
        *,
        talk_s: float | None = None,
        presented: str | None = None,
    ) -> CallId:
        """``device`` calls ``destination``; returns the caller's connection id.

        ``presented``: the company number the callee sees (else the device's default one,
        else the device itself), or ``WITHHELD_NUMBER`` for none; a number that is not the
        company's is refused.

        The caller's connection is connected with ringback (remote alerting), or in ``fail``
        with the cause (busy, doNotDisturb, destNotObtainable) when the call cannot get there.
        ``talk_s``: the caller hangs up this long after being answered (scripted colleagues).
        """
        ep = self.endpoint(device)
        number = self._check_destination(destination, ep)
        if not ep.registered:
            raise InvalidState(
                N_("Extension {extension} is not registered"), extension=ep.extension
            )
        chosen = presented or ep.presented_number
        shown = self.company_number(chosen)
        call = self._new_call(Party(number))
        self._hold_active(ep)
        conn = self._new_conn(call, ep, ConnectionState.INITIATED, Cause.MAKE_CALL)
        conn.originator = True
        conn.presented = Party(shown.number, shown.name) if shown is not None else None
        if chosen == WITHHELD_NUMBER:  # anonymous presentation: the callee sees no number
            conn.presented = Party(None, None)
        conn.talk_s = talk_s
        plan = self._plan(number, Cause.NEW_CALL, None)
        target = plan.endpoint if not isinstance(plan, Cause) else None
        conn.direction = Direction.OUTBOUND  # placed by this device, to a colleague or outside
        conn.last_remote = target.party if target is not None else self._party_for(number)
        self._emit_call(conn, CallEventKind.SERVICE_INITIATED, Cause.MAKE_CALL)
        conn.state = ConnectionState.CONNECTED
        if isinstance(plan, Cause):
            self._fail(conn, plan)
        else:
            self._execute(call, plan)
        return conn.id

    def _party_for(self, number: str) -> Party:
        queue = next((q for q in self.queues.values() if q.number == number), None)
        if queue is not None:
            return Party(number, queue.name)
        ep = self.by_extension.get(number)
        return ep.party if ep is not None else Party(number)

    def _fail(self, conn: Conn, cause: Cause) -> None:
        conn.state = ConnectionState.FAIL
        conn.failed = True
        conn.cause = cause
        self._emit_call(conn, CallEventKind.FAILED, cause)
        if not conn.endpoint.operator:
            self._later(2.0, lambda: self._hang_up_by_itself(conn), conn.timers, "talk")

    @operation
    def inject_incoming_call(
        self,
        to: str,
        caller: Party | str | None = None,
        *,
        talk_s: float | None = None,
        patience_s: float | None = None,
        priority: int = 0,
    ) -> str:
        """An outside caller dials ``to`` (an extension, a queue number or a DID).

        ``caller``: a Party, a number, or None for a random caller of the company's pool.
        ``talk_s``: the caller hangs up this long after being answered; ``patience_s``: a
        caller waiting in a queue abandons after this long. Returns the call id (the id of
        a queued call). Raises ``InvalidDestination`` for a malformed number; an unreachable
        destination is not an error: the caller simply gets busy / unobtainable.
        """
        number = self._check_destination(to)
        party = self._caller_party(caller)
        ext = self._external(party.number or "")
        ext.number, ext.name = party.number, party.name
        call = self._new_call(self._party_for(number))
        call.priority = priority
        conn = self._new_conn(call, ext, ConnectionState.CONNECTED, Cause.NEW_CALL)
        conn.originator = True
        conn.talk_s = talk_s
        call.patience_s = patience_s
        if self._route(call, number, Cause.NEW_CALL) is not None:
            self._remove_conn(conn, CallEventKind.CONNECTION_CLEARED, Cause.BUSY)
        return call.id

    def _caller_party(self, caller: Party | str | None) -> Party:
        if isinstance(caller, Party):
            return caller
        if isinstance(caller, str):
            number = normalize_number(caller)
            name, _company = self.directory_names.get(number, (None, None))
            return Party(number, name)
        pick = self.rng.choice(self.company.externals)  # type: ignore[attr-defined]
        return Party(pick.number, pick.name)

    @operation
    def answer(self, call_id: str) -> None:
        conn = self.conn(call_id)
        self._require(conn, Action.ANSWER)
        self._answer(conn, conn.cause)

    @operation
    def clear_connection(self, call_id: str) -> None:
        conn = self.conn(call_id)
        self._require(conn, Action.HANGUP)
        conn.cleared_by_owner = True
        self._clear(conn)

    @operation
    def clear_call(self, call_id: str) -> None:
        """ClearCall: every connection of the call ``call_id`` belongs to is cleared."""
        conn = self.conn(call_id)
        self._require(conn, Action.HANGUP)
        conn.cleared_by_owner = True
        for other in [c for c in conn.call.conns if c is not conn]:
            self._clear(other)
        if conn.id in self.conns:
            self._clear(conn)

    @operation
    def drop_participant(self, call_id: str, party: Party) -> None:
        """ClearConnection on another party's leg of the 3-way ``call_id`` is part of."""
        conn = self.conn(call_id)
        self._require(conn, Action.HANGUP)
        others = [c for c in conn.call.conns if c is not conn]
        if len(others) < 2:
            raise InvalidState(N_("This call is not a 3-way conference"))
        leg = next((c for c in others if c.endpoint.party == party), None)
        if leg is None:
            who = party.name or party.number or "?"
            raise NotFound(N_("This participant is not in the conference: {who}"), who=who)
        self._clear(leg)

    @operation
    def hold(self, call_id: str) -> None:
        conn = self.conn(call_id)
        self._require(conn, Action.HOLD)
        self._hold(conn, Cause.UNKNOWN)
        self._emit_all(conn.call, CallEventKind.HELD, Cause.UNKNOWN)

    @operation
    def retrieve(self, call_id: str) -> None:
        conn = self.conn(call_id)
        self._require(conn, Action.RETRIEVE)
        self._retrieve(conn, Cause.UNKNOWN)

    def _retrieve(self, conn: Conn, cause: Cause) -> None:
        self._hold_active(conn.endpoint, keep=conn)
        conn.state = ConnectionState.CONNECTED
        conn.cause = cause
        self._emit_all(conn.call, CallEventKind.RETRIEVED, cause)

    @operation
    def deflect(self, call_id: str, destination: str) -> None:
        """Send a ringing call elsewhere; refused (nothing changes) if it cannot get there."""
        conn = self.conn(call_id)
        self._require(conn, Action.DEFLECT)
        number = self._check_destination(destination, conn.endpoint)
        plan = self._plan(number, Cause.REDIRECTED, conn.endpoint.party)
        if isinstance(plan, Cause):
            raise InvalidDestination(
                N_("{destination} cannot take the call ({cause})"),
                destination=destination,
                cause=plan,
            )
        call = conn.call
        conn.transferred_to = number
        target = plan.endpoint.party if plan.endpoint else self._party_for(number)
        self._remove_conn(conn, CallEventKind.DIVERTED, Cause.REDIRECTED, new_destination=target)
        self._execute(call, plan)

    @operation
    def pickup(self, device: str, target: str) -> CallId:
        """``device`` takes the call ringing at ``target`` (directed pickup)."""
        ep = self.endpoint(device)
        victim = self.endpoint(target)
        if victim is ep:
            raise InvalidDestination(N_("You cannot pick up a call from your own phone"))
        ringing = [c for c in victim.conns if c.state is ConnectionState.ALERTING]
        if not ringing:
            raise InvalidState(
                N_("No call is ringing on extension {extension}"), extension=victim.extension
            )
        picked = ringing[0]
        call = picked.call
        self._remove_conn(
            picked, CallEventKind.DIVERTED, Cause.CALL_PICKUP, new_destination=ep.party
        )
        conn = self._new_conn(call, ep, ConnectionState.ALERTING, Cause.CALL_PICKUP)
        conn.redirected_from = victim.party
        self._answer(conn, Cause.CALL_PICKUP)
        return conn.id

    @operation
    def send_dtmf(self, call_id: str, digits: str) -> None:
        conn = self.conn(call_id)
        if not _DIGITS.fullmatch(digits):
            raise InvalidDestination(
                N_("Invalid DTMF digits: {digits!r} (0-9, *, #, A-D)"), digits=digits
            )
        self._require(conn, Action.DTMF)
        conn.call.digits += digits

    @operation
    def set_mute(self, call_id: str, muted: bool) -> None:
        conn = self.conn(call_id)
        self._require(conn, Action.MUTE)
        conn.muted = muted

    @operation
    def set_recording(self, call_id: str, on: bool) -> None:
        conn = self.conn(call_id)
        self._require(conn, Action.RECORD)
        conn.recording = on

    @operation
    def blind_transfer(self, call_id: str, destination: str) -> None:
        """Single-step transfer: we leave at once; the other party now rings ``destination``.

        When the destination cannot take the call (busy, DND, unobtainable) or does not answer
        within ``behaviour.transfer_recall_s``, the call comes back ringing at us (a recall).
        """
        conn = self.conn(call_id)
        self._require(conn, Action.BLIND_TRANSFER)
        number = self._check_destination(destination, conn.endpoint)
        call, ep = conn.call, conn.endpoint
        conn.transferred_to = number
        self._remove_conn(
            conn,
            CallEventKind.TRANSFERRED,
            Cause.SINGLE_STEP_TRANSFER,
            new_destination=self._party_for(number),
        )
        plan = self._plan(number, Cause.SINGLE_STEP_TRANSFER, ep.party)
        if isinstance(plan, Cause):
            self._recall(call, ep, plan, Party(number))
            return
        target = self._execute(call, plan)
        if target is not None:
            self._arm_recall(target, ep)

    def _arm_recall(self, target: Conn, back_to: Endpoint) -> None:
        def fire() -> None:
            if target.alive and target.state is ConnectionState.ALERTING:
                call = target.call
                party = target.endpoint.party
                self._remove_conn(target, CallEventKind.CONNECTION_CLEARED, Cause.CALL_NOT_ANSWERED)
                self._recall(call, back_to, Cause.CALL_NOT_ANSWERED, party)

        self._later(self.behaviour.transfer_recall_s, fire, target.timers, "recall")

    def _recall(self, call: SimCall, ep: Endpoint, cause: Cause, from_: Party) -> None:
        """The call comes back ringing at ``ep`` (failed transfer, park timeout)."""
        if not call.conns:
            return
        self._alert(call, ep, cause, from_)

    @operation
    def caller_hangs_up(self, call_id: str) -> None:
        """The party who placed call ``call_id`` hangs up (queued, ringing, held, anything)."""
        call = self.calls.get(call_id)
        if call is None or not call.conns:
            raise NotFound(N_("Unknown or ended call: {call_id}"), call_id=call_id)
        origin = next((c for c in call.conns if c.originator), call.conns[0])
        self._clear(origin)

    @operation
    def party_hangs_up(self, device_or_number: str, call_id: str | None = None) -> None:
        """Whoever is ``device_or_number`` (extension, device id or outside number) hangs up.

        With ``call_id`` (a call id) only that call; otherwise their oldest connection.
        """
        number = normalize_number(device_or_number)
        for conn in list(self.conns.values()):
            ep = conn.endpoint
            mine = device_or_number in (ep.device_id, ep.extension) or number == ep.number
            if mine and (call_id is None or conn.call.id == call_id):
                self._clear(conn)
                return
        raise NotFound(N_("{who} is on no call"), who=device_or_number)

    def answered(self, call_id: str) -> bool:
        """Has anybody but the caller answered call ``call_id`` (or is it over)?"""
        call = self.calls.get(call_id)
        if call is None:
            return True
        return any(c.answered_at is not None and not c.originator for c in call.conns)

    def calls_at(self, device: str) -> list[CallId]:
        """The connection ids of a device, oldest first."""
        return [c.id for c in self.endpoint(device).conns]

    def state_of(self, call_id: str) -> ConnectionState:
        conn = self.conns.get(CallId(call_id))
        return conn.state if conn is not None else ConnectionState.NULL

    def remote_of(self, call_id: str) -> Party | None:
        conn = self.conns.get(CallId(call_id))
        if conn is None:
            return None
        rest = views.others(conn)
        return rest[0].endpoint.party if rest else None

    def device_of(self, extension: str) -> DeviceId:
        return self.endpoint(extension).device_id
