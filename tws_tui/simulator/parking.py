"""Call parking: park a call in a lot slot, retrieve it, ring back the parker on timeout.

Owns the parked-call life cycle. Parking clears our connection (cause ``park``); the caller
stays on the call, listening to music, in the first free slot of the lot. After
``behaviour.park_timeout_s`` the call rings back at whoever parked it (cause ``timeout``).
"""

from __future__ import annotations

from datetime import timedelta

from tws_tui.core.errors import N_, AlreadyTaken, InvalidState, NotFound
from tws_tui.core.events import CallEventKind
from tws_tui.core.model import Action, CallId, Cause, ConnectionState, LotId, ParkedCall
from tws_tui.simulator import views
from tws_tui.simulator.base import operation
from tws_tui.simulator.calls import CallServices
from tws_tui.simulator.entities import LotState, ParkInfo, SimCall


class ParkingServices(CallServices):
    """ParkCall, retrieve a parked call, park timeout."""

    def _lot(self, lot_id: str | None) -> LotState:
        if lot_id is None:
            return next(iter(self.lots.values()))
        lot = self.lots.get(LotId(lot_id))
        if lot is None:
            raise NotFound(N_("Unknown parking lot: {lot_id}"), lot_id=lot_id)
        return lot

    @operation
    def park(self, call_id: str, lot_id: str | None = None) -> ParkedCall:
        conn = self.conn(call_id)
        self._require(conn, Action.PARK)
        lot = self._lot(lot_id)
        slot = lot.free_slot()
        if slot is None:
            raise InvalidState(N_("The parking lot '{lot}' is full"), lot=lot.name)
        call, ep = conn.call, conn.endpoint
        timeout = self.behaviour.park_timeout_s
        call.parked = ParkInfo(
            lot.id, slot, ep, self.now(), self.now() + timedelta(seconds=timeout)
        )
        lot.calls.append(call)
        lot.ever.add(call.id)
        self._remove_conn(conn, CallEventKind.CONNECTION_CLEARED, Cause.PARK)
        self._later(timeout, lambda: self._park_timeout(call), call.timers, "park")
        parked = next(p for p in views.lot_view(lot).calls if p.call_id == call.id)
        return parked

    def _unpark(self, call: SimCall) -> None:
        info = call.parked
        if info is None:
            return
        lot = self.lots[info.lot_id]
        if call in lot.calls:
            lot.calls.remove(call)
        call.parked = None
        self._cancel(call.timers, "park")

    def _park_timeout(self, call: SimCall) -> None:
        info = call.parked
        if info is None or not call.conns:
            return
        self._unpark(call)
        self._alert(call, info.parked_by, Cause.TIMEOUT, None)

    @operation
    def retrieve_parked(self, device: str, lot_id: str, call_id: str) -> CallId:
        ep = self.endpoint(device)
        lot = self._lot(lot_id)
        call = next((c for c in lot.calls if c.id == call_id), None)
        if call is None:
            if call_id in lot.ever:
                raise AlreadyTaken(N_("Call {call_id} is no longer parked"), call_id=call_id)
            raise NotFound(
                N_("No call {call_id} in the parking lot '{lot}'"), call_id=call_id, lot=lot.name
            )
        self._unpark(call)
        conn = self._new_conn(call, ep, ConnectionState.ALERTING, Cause.PARK)
        self._answer(conn, Cause.PARK)
        return conn.id
