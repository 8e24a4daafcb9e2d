"""``Interceptions``: the call-interception notices of supervised contact lists (TWS-2.4.2-5).

Owns when a colleague of a supervised list starts ringing: a notice "Incoming call for
<name> — Alt+I intercepts it" shown for ``[alerts] interception_notice_s`` seconds (the
preference "Délai d'affichage de la notification d'interception d'appels"), and which
colleague Alt+I then picks up when nothing ringing is selected (:meth:`pending`).

A colleague is announced once per ringing spell: again only after their line stopped
ringing. Colleagues supervised one by one (``[contacts] supervised``) get no notice: their
tile already turns orange; a list is supervised to be told.
"""

from __future__ import annotations

from tws_tui.console.api import ConsoleApi
from tws_tui.core.model import DeviceId, LineState
from tws_tui.platform.i18n import _


class Interceptions:
    def __init__(self, api: ConsoleApi) -> None:
        self.api = api
        self._ringing: set[DeviceId] = set()
        self._last: DeviceId | None = None

    def _ringing_now(self) -> set[DeviceId]:
        devices = self.api.state.devices
        return {
            DeviceId(device_id)
            for device_id in self.api.lists.supervised
            if (device := devices.get(DeviceId(device_id))) is not None
            and device.line_state is LineState.RINGING
        }

    def devices_changed(self) -> None:
        """After each change of the colleagues' lines: announce who started ringing."""
        ringing = self._ringing_now()
        devices = self.api.state.devices
        for device_id in sorted(ringing - self._ringing):
            self._last = device_id
            self.api.notice(  # as my presence allows (TWS-6.6-8)
                _("Incoming call for {name} — Alt+I intercepts it.").format(
                    name=devices[device_id].name
                ),
                title=_("Supervised list"),
                timeout=self.api.prefs.alerts.interception_notice_s,
                markup=False,
            )
        self._ringing = ringing

    def pending(self) -> DeviceId | None:
        """The colleague last announced, while their phone still rings."""
        if self._last is not None and self._last in self._ringing_now():
            return self._last
        return None
