"""Consultation (attended) transfer, alternate and 3-way conference.

Owns the ``Xfer`` life cycle: ``start_transfer`` holds the primary and dials the target
(status dialing → ringback → answered), ``complete_transfer`` joins the held party and the
target (allowed while the target still rings), ``cancel_transfer`` drops the consultation and
retrieves the primary, ``alternate`` swaps which one is held, ``conference`` joins all three.
When a party of either call leaves, the transfer ends cancelled or failed and the calls that
remain stay coherent (``_conn_gone``).
"""

from __future__ import annotations

from tws_tui.core.errors import N_, InvalidState, NotFound
from tws_tui.core.events import CallEventKind
from tws_tui.core.model import (
    Action,
    Cause,
    ConnectionState,
    Transfer,
    TransferId,
    TransferStatus,
)
from tws_tui.simulator import views
from tws_tui.simulator.base import operation
from tws_tui.simulator.calls import CallServices
from tws_tui.simulator.entities import Conn, Xfer


class TransferServices(CallServices):
    """ConsultationCall, TransferCall, AlternateCall, ConferenceCall."""

    def _xfer(self, transfer_id: str) -> Xfer:
        x = self.transfers.get(TransferId(transfer_id))
        if x is None:
            raise NotFound(N_("Unknown or ended transfer: {transfer_id}"), transfer_id=transfer_id)
        return x

    def _set_status(self, x: Xfer, status: TransferStatus) -> None:
        if x.status is status:
            return
        x.status = status
        if status in (TransferStatus.COMPLETED, TransferStatus.CANCELLED, TransferStatus.FAILED):
            self.transfers.pop(x.id, None)
        self._emit_transfer(x)

    @operation
    def start_transfer(self, call_id: str, destination: str) -> Transfer:
        """Hold ``call_id`` and call ``destination`` to consult (CSTA ConsultationCall)."""
        primary = self.conn(call_id)
        self._require(primary, Action.ATTENDED_TRANSFER)
        ep = primary.endpoint
        number = self._check_destination(destination, ep)
        x = Xfer(TransferId(self._id("t")), ep, primary, number)
        self.transfers[x.id] = x
        if primary.state is ConnectionState.CONNECTED:
            self._hold(primary, Cause.CONSULTATION)
            self._emit_all(primary.call, CallEventKind.HELD, Cause.CONSULTATION)
        call = self._new_call(self._party_for(number))
        consult = self._new_conn(call, ep, ConnectionState.INITIATED, Cause.CONSULTATION)
        consult.originator = True
        consult.consult_of = primary
        x.consult = consult
        plan = self._plan(number, Cause.NEW_CALL, None)
        target = plan.endpoint if not isinstance(plan, Cause) else None
        consult.last_remote = target.party if target is not None else self._party_for(number)
        self._emit_call(consult, CallEventKind.SERVICE_INITIATED, Cause.CONSULTATION)
        self._emit_transfer(x)
        consult.state = ConnectionState.CONNECTED
        if isinstance(plan, Cause):
            self._set_status(x, TransferStatus.FAILED)
            self._fail(consult, plan)
        else:
            self._execute(call, plan)
            answered = any(c.state is ConnectionState.CONNECTED for c in views.others(consult))
            if x.status is TransferStatus.DIALING:
                self._set_status(
                    x, TransferStatus.ANSWERED if answered else TransferStatus.RINGBACK
                )
        return views.transfer_view(x)

    def _parties(self, x: Xfer) -> tuple[Conn, Conn, Conn, Conn]:
        """(primary, held party, consultation, consulted party) or InvalidState."""
        consult = x.consult
        if consult is None or not consult.alive or not x.primary.alive:
            raise InvalidState(N_("The transfer no longer has its two calls"))
        held, target = views.others(x.primary), views.others(consult)
        if len(held) != 1 or len(target) != 1:
            raise InvalidState(N_("Transfer impossible: one of the parties has left"))
        return x.primary, held[0], consult, target[0]

    @operation
    def complete_transfer(self, transfer_id: str) -> None:
        """Join the held party and the consulted one; we leave both calls (TransferCall)."""
        x = self._xfer(transfer_id)
        if x.status not in (TransferStatus.RINGBACK, TransferStatus.ANSWERED):
            raise InvalidState(
                N_("The transfer cannot be completed yet ({status})"), status=x.status
            )
        primary, held, consult, target = self._parties(x)
        x.cancelling = True  # our connections leave on purpose
        primary.transferred_to = x.destination
        self._set_status(x, TransferStatus.COMPLETED)
        self._remove_conn(
            primary,
            CallEventKind.TRANSFERRED,
            Cause.TRANSFER,
            other_call_id=consult.id,
            new_destination=target.endpoint.party,
        )
        self._remove_conn(
            consult,
            CallEventKind.TRANSFERRED,
            Cause.TRANSFER,
            other_call_id=primary.id,
            history=False,
        )
        self._move(target, held.call)
        self._emit_all(held.call, CallEventKind.TRANSFERRED, Cause.TRANSFER)
        if target.state is ConnectionState.CONNECTED:
            for conn in (held, target):
                self._arm_talk(conn)
        else:
            self._arm_recall(target, x.owner)

    def _move(self, conn: Conn, call: object) -> None:
        old = conn.call
        old.conns.remove(conn)
        if not old.conns:
            self._end_call(old)
        conn.call = call  # type: ignore[assignment]
        conn.call.conns.append(conn)

    @operation
    def cancel_transfer(self, transfer_id: str) -> None:
        """Drop the consultation and take the held party back."""
        x = self._xfer(transfer_id)
        x.cancelling = True
        if x.consult is not None and x.consult.alive:
            self._clear(x.consult)
        self._set_status(x, TransferStatus.CANCELLED)
        if x.primary.alive and x.primary.state is ConnectionState.HOLD:
            self._retrieve(x.primary, Cause.UNKNOWN)

    @operation
    def alternate(self, transfer_id: str) -> None:
        """Swap which of the two calls is held (AlternateCall)."""
        x = self._xfer(transfer_id)
        if x.status is not TransferStatus.ANSWERED:
            raise InvalidState(N_("You can only alternate with a party who answered"))
        primary, _, consult, _ = self._parties(x)
        states = (primary.state, consult.state)
        if states == (ConnectionState.HOLD, ConnectionState.CONNECTED):
            active, held = consult, primary
        elif states == (ConnectionState.CONNECTED, ConnectionState.HOLD):
            active, held = primary, consult
        else:
            raise InvalidState(N_("Alternating needs one active call and one held call"))
        self._hold(active, Cause.ALTERNATE)
        self._emit_all(active.call, CallEventKind.HELD, Cause.ALTERNATE)
        self._retrieve(held, Cause.ALTERNATE)

    @operation
    def conference(self, transfer_id: str) -> None:
        """Join the held party, the consulted party and us in one call (ConferenceCall)."""
        x = self._xfer(transfer_id)
        if x.status is not TransferStatus.ANSWERED:
            raise InvalidState(N_("A conference needs the consulted party to have answered"))
        primary, held, consult, target = self._parties(x)
        if target.state is not ConnectionState.CONNECTED:
            raise InvalidState(N_("The consulted party is not on the line"))
        x.cancelling = True
        self._set_status(x, TransferStatus.COMPLETED)
        self._remove_conn(
            consult,
            CallEventKind.CONFERENCED,
            Cause.CONFERENCE,
            other_call_id=primary.id,
            history=False,
        )
        self._move(target, held.call)
        primary.state = ConnectionState.CONNECTED
        primary.cause = Cause.CONFERENCE
        for conn in primary.call.conns:
            conn.recording = False  # a conference cannot be recorded (TWS-3.6-1, TWS-3.7-1)
        self._hold_active(primary.endpoint, keep=primary)
        self._emit_all(primary.call, CallEventKind.CONFERENCED, Cause.CONFERENCE)

    # ---- hooks ----------------------------------------------------------------------------

    def _answered(self, conn: Conn) -> None:
        for x in list(self.transfers.values()):
            if x.consult is not None and x.consult.call is conn.call:
                self._set_status(x, TransferStatus.ANSWERED)

    def _conn_gone(self, conn: Conn) -> None:
        for x in list(self.transfers.values()):
            if conn is x.consult:
                by_us = x.cancelling or conn.cleared_by_owner
                if by_us or x.status is TransferStatus.ANSWERED:
                    self._set_status(x, TransferStatus.CANCELLED)
                else:
                    self._set_status(x, TransferStatus.FAILED)
            elif conn is x.primary:
                if x.consult is not None:
                    x.consult.consult_of = None
                self._set_status(x, TransferStatus.FAILED)
