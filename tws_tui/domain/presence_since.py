"""How long each colleague has been in their presence state (TWS-2.5.2-2, the business card's
Availability tab: "time spent in the current presence state").

The call-control contract carries a colleague's presence, not when it began, so the console
notes the moment it *sees* a change: a presence (or do-not-disturb) that changes while the
console watches has an exact start; one already in place when the console first saw the
colleague is "since at least" that moment, and the card says so rather than inventing a
start. No Textual here: the app feeds :meth:`PresenceSince.devices_changed` with the devices
after each change and reads :meth:`PresenceSince.since`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from tws_tui.core.model import DeviceId, MonitoredDevice, PresenceState
from tws_tui.core.values import value_class


@value_class
class Since:
    """When a colleague's presence began: ``at``, exact or "at least since" (``exact``)."""

    at: datetime
    exact: bool


def _presence_of(device: MonitoredDevice) -> tuple[PresenceState | None, bool]:
    return device.presence, device.dnd


class PresenceSince:
    """The start of each watched colleague's current presence, as this console saw it."""

    def __init__(self, now: Callable[[], datetime]) -> None:
        self._now = now
        self._seen: dict[DeviceId, tuple[tuple[PresenceState | None, bool], Since]] = {}

    def devices_changed(self, devices: Mapping[DeviceId, MonitoredDevice]) -> None:
        """Note the presences that changed since the last call (and forget the colleagues
        no longer watched)."""
        now = self._now()
        for device_id, device in devices.items():
            presence = _presence_of(device)
            known = self._seen.get(device_id)
            if known is None:
                self._seen[device_id] = (presence, Since(now, exact=False))
            elif known[0] != presence:
                self._seen[device_id] = (presence, Since(now, exact=True))
        for gone in self._seen.keys() - devices.keys():
            del self._seen[gone]

    def since(self, device_id: DeviceId) -> Since | None:
        known = self._seen.get(device_id)
        return known[1] if known is not None else None
