"""Logical-device features: presence, do-not-disturb, forwarding, registration.

Owns the setters that change how a device can be reached. They work for any internal device
(the operator through the backend, colleagues through the traffic generator or a test).
"""

from __future__ import annotations

from dataclasses import replace

from tws_tui.core.errors import N_, InvalidDestination
from tws_tui.core.model import (
    ANSWERING_MACHINE,
    WITHHELD_NUMBER,
    FindMe,
    Forward,
    ForwardKind,
    PresenceState,
)
from tws_tui.domain.custom_presence import check_label, check_note
from tws_tui.domain.find_me import check_find_me
from tws_tui.simulator.announcements import check_announcement
from tws_tui.simulator.base import SwitchBase, operation


class FeatureServices(SwitchBase):
    """SetDoNotDisturb, SetForwarding, presence and registration."""

    @operation
    def set_presence(
        self,
        device: str,
        state: PresenceState,
        note: str | None = None,
        label: str | None = None,
    ) -> None:
        """Set a presence; ``label`` names a custom state on ``state`` (None: the base state).
        The label and note are checked as the console checks them (refused, nothing set)."""
        ep = self.endpoint(device)
        if label is not None:
            label = check_label(label)
        if note is not None:
            note = check_note(note) or None
        ep.presence = PresenceState(state)
        ep.presence_note = note
        ep.presence_label = label

    @operation
    def set_presented_number(self, device: str, number: str | None) -> None:
        """The company number ``device``'s calls show by default (None: its own;
        ``WITHHELD_NUMBER``: none, the callee sees a withheld number)."""
        shown = self.company_number(number)
        kept = shown.number if shown is not None else None
        self.endpoint(device).presented_number = (
            WITHHELD_NUMBER if number == WITHHELD_NUMBER else kept
        )

    @operation
    def set_hands_free(self, device: str, on: bool) -> None:
        self.endpoint(device).hands_free = bool(on)

    @operation
    def set_dnd(self, device: str, enabled: bool) -> None:
        self.endpoint(device).dnd = bool(enabled)

    @operation
    def set_forward(self, device: str, kind: ForwardKind, forward: Forward) -> None:
        """Set one forward; an enabled forward needs a valid destination other than itself,
        and its announcement (if any) a sound's name (announcements.py)."""
        ep = self.endpoint(device)
        kind = ForwardKind(kind)
        if forward.enabled:
            if not forward.destination:
                raise InvalidDestination(N_("A forward that is on needs a destination"))
            number = (
                ANSWERING_MACHINE
                if forward.destination == ANSWERING_MACHINE
                else self._check_destination(forward.destination, ep)
            )
            if forward.ring_time_s is not None and not 1 <= forward.ring_time_s <= 300:
                raise InvalidDestination(N_("No-answer delay out of range (1 to 300 s)"))
            announcement = check_announcement(forward.announcement)
            forward = Forward(True, number, forward.ring_time_s, announcement)
        ep.forwards[kind] = forward

    @operation
    def set_find_me(self, device: str, find_me: FindMe) -> None:
        """Set simultaneous ring / find-me: the numbers checked as the console checks them
        (empty, letters, too long, twice, too many: ``InvalidValue``) and each one a number
        the switch dials, not my own (``InvalidDestination``); refused, nothing set."""
        ep = self.endpoint(device)

        def not_me(number: str) -> None:
            self._check_destination(number, ep)

        checked = check_find_me(find_me, not_me)
        numbers = tuple(
            replace(n, number=self._check_destination(n.number, ep)) for n in checked.numbers
        )
        ep.find_me = replace(checked, numbers=numbers)

    @operation
    def set_registered(self, device: str, registered: bool) -> None:
        """Plug or unplug a phone (an unregistered line shows *unavailable*)."""
        self.endpoint(device).registered = bool(registered)
