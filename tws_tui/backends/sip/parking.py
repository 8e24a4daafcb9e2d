"""Parking on a SIP phone system: its parking spaces (``park_slots``), used as the PBX expects.

Owns the one parking lot the console shows for the ``sip`` backend, which slot each call
parked from this console went to, and the choice of the next slot. No SIP here: the backend
parks a call by a blind transfer (REFER) to the slot's extension and takes it back by dialling
``park_retrieve_code`` + the slot. That is how the usual PBXs park:

* Asterisk (``res_parking``): a blind transfer to a parking space extension (``701``…) parks
  the call there, dialling the space takes it back (``park_retrieve_code = ""``);
* FreeSWITCH (``valet_park``) and PBXs with a retrieve prefix: the slot extension parks, the
  prefix + slot retrieves (``park_retrieve_code``, e.g. ``"*85"``).

What the lot lists is what this console parked: a call taken back from another phone, or
returned by the PBX's park timeout, is not seen (plain SIP does not say), so a slot is chosen
among those this console has not used; the PBX refusing the transfer (a space taken by a
colleague) takes the call off the lot again and leaves it with us.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from tws_tui.core.model import CallId, LotId, ParkedCall, ParkingLot, Party

LOT = LotId("sip-park")


class Parking:
    """The lot of calls parked from this console in the PBX's spaces ``slots``."""

    def __init__(self, slots: tuple[str, ...], retrieve_code: str) -> None:
        self.slots = slots
        self.retrieve_code = retrieve_code
        # named by its spaces (no words: the same in every language)
        name = f"{slots[0]}–{slots[-1]}" if len(slots) > 1 else "".join(slots)
        self.lot = ParkingLot(lot_id=LOT, name=name)

    def free_slot(self) -> str | None:
        used = {parked.slot for parked in self.lot.calls}
        return next((slot for slot in self.slots if slot not in used), None)

    def park(self, call_id: CallId, slot: str, caller: Party, by: Party) -> ParkedCall:
        parked = ParkedCall(
            call_id=call_id,
            lot_id=LOT,
            caller=caller,
            parked_at=datetime.now(UTC),
            slot=slot,
            parked_by=by,
        )
        self._set((*self.lot.calls, parked))
        return parked

    def find(self, call_id: str) -> ParkedCall | None:
        return next((p for p in self.lot.calls if p.call_id == call_id), None)

    def remove(self, call_id: str) -> ParkedCall | None:
        parked = self.find(call_id)
        if parked is not None:
            self._set(tuple(p for p in self.lot.calls if p.call_id != call_id))
        return parked

    def retrieve_number(self, parked: ParkedCall) -> str:
        return self.retrieve_code + (parked.slot or "")

    def _set(self, calls: tuple[ParkedCall, ...]) -> None:
        self.lot = replace(self.lot, calls=calls, version=self.lot.version + 1)
