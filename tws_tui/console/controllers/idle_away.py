"""``IdleAway``: "show me as Away after N idle minutes" (TWS-6.6-7, Part 1 §1.6.2).

Owns the idle timer: no key and no mouse click in the console for
``[contacts] away_after_min`` minutes (0: never) while the operator is Available sets the
presence to Away, with a notice; the next key or click sets it back to what it was — only if
it is still the Away this set (a presence chosen meanwhile is left alone). Over SSH this sees
only the console's own keys, which is what "inactive" means for a terminal.
"""

from __future__ import annotations

from tws_tui.console.api import ConsoleApi
from tws_tui.core.clock import TimerHandle
from tws_tui.core.model import PresenceState
from tws_tui.platform.i18n import _


class IdleAway:
    def __init__(self, api: ConsoleApi) -> None:
        self.api = api
        self._timer: TimerHandle | None = None
        self._restore: PresenceState | None = None  # what to set back at the next key

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def activity(self) -> None:
        """A key or a click: back from the automatic Away, and the idle time starts again."""
        if self._restore is not None:
            previous, self._restore = self._restore, None
            me = self.api.state.me
            if me is not None and me.presence is PresenceState.AWAY:
                self.api.run_command(lambda backend: backend.set_presence(previous))
        self.arm()

    def arm(self) -> None:
        """(Re)start the idle time with the current setting."""
        self.close()
        minutes = self.api.prefs.contacts.away_after_min
        if minutes > 0:
            self._timer = self.api.clock.call_later(minutes * 60.0, self._went_idle)

    def _went_idle(self) -> None:
        self._timer = None
        me = self.api.state.me
        if me is None or me.presence is not PresenceState.AVAILABLE:
            return
        self._restore = me.presence
        self.api.run_command(lambda backend: backend.set_presence(PresenceState.AWAY))
        self.api.notify(
            _("Shown as Away after {minutes} idle minutes: any key brings you back.").format(
                minutes=self.api.prefs.contacts.away_after_min
            )
        )
