"""``CalendarPresence``: my presence from my calendar (issue 17; TWP §3.3, TWS §1.6.3) —
``[contacts] calendar``, an .ics file or an http(s) URL, read every :data:`READ_EVERY_MIN`
minutes in a thread, judged every minute on the console clock
(:mod:`tws_tui.domain.calendar_presence`).

While an event is on, my presence follows its free/busy status (set through the backend like any
presence, so colleagues see it as they see the presence note): Busy "in a meeting until 14:00";
out of office, Away "out of office until 17:00"; tentative, the presence I had with the note
"maybe in a meeting until 14:00" (TWP-3.3-2: a tentative event does not change my state); free
events are ignored. When it ends, the presence and note I had come back — unless I changed them
meanwhile. A calendar that
cannot be read or does not parse is said once (until it reads again) and the last good one is
kept. Driven by the profiles controller's minute tick (a rule on Busy then applies too).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from tws_tui.console.api import ConsoleApi
from tws_tui.core.model import Capability, PresenceState
from tws_tui.domain.calendar_presence import Busy, Showing, busy_at, parse
from tws_tui.domain.format import error_text
from tws_tui.platform.i18n import _

READ_EVERY_MIN = 5
FETCH_TIMEOUT_S = 10.0


def read_source(source: str) -> bytes:
    """The bytes of a file or an http(s) URL; ``ValueError`` with the reason."""
    try:
        if source.startswith(("http://", "https://")):
            response = httpx.get(source, timeout=FETCH_TIMEOUT_S, follow_redirects=True)
            response.raise_for_status()
            return response.content
        return Path(source).expanduser().read_bytes()
    except httpx.HTTPStatusError as e:
        raise ValueError(
            _("the server answered {status}").format(status=e.response.status_code)
        ) from e
    except (OSError, httpx.HTTPError) as e:
        raise ValueError(error_text(e)) from e


def load(source: str) -> Any:
    """Read and parse (in a thread): the calendar, or ``ValueError``."""
    return parse(read_source(source))


class CalendarPresence:
    def __init__(self, api: ConsoleApi, meeting_changed: Callable[[], None] = lambda: None) -> None:
        """``meeting_changed``: called when an event starts or ends (the rules re-judged)."""
        self.api = api
        self.meeting_changed = meeting_changed
        self.calendar: Any = None  # the last good calendar
        self.problem: str | None = None  # the last failure, said once
        self._source = ""
        self._minutes = 0
        #: What I had before the meeting: presence, note, a custom state's label.
        self._restore: tuple[PresenceState, str | None, str | None] | None = None
        self._set_note: str | None = None  # the note this set
        self._set_state: PresenceState | None = None  # the state this set
        #: The end and showing of the event applied.
        self._applied_until: tuple[datetime, Showing] | None = None
        #: Whether my calendar has a busy or out-of-office event on now (a profile rule's
        #: presence condition); a tentative one does not count.
        self.in_meeting = False

    def tick(self) -> None:
        """A minute went by: read again when it is time, else judge the calendar kept."""
        source = self.api.prefs.contacts.calendar.strip()
        if source != self._source:
            self._source, self._minutes, self.calendar = source, 0, None
        if not source:
            self.apply()
            return
        if self._minutes % READ_EVERY_MIN == 0:
            self._minutes += 1
            self.reload()
            return
        self._minutes += 1
        self.apply()

    def reload(self) -> None:
        """Read the calendar now (in a thread), then judge it."""
        source = self._source

        async def read() -> None:
            try:
                calendar = await asyncio.to_thread(load, source)
            except ValueError as e:
                self.failed(source, str(e))
            else:
                self.calendar, self.problem = calendar, None
            self.apply()

        self.api.run_background(read, group="calendar-presence")

    def failed(self, source: str, reason: str) -> None:
        said = self.problem is not None
        self.problem = _("Calendar {source}: {reason}. The last good calendar is kept.").format(
            source=source, reason=reason
        )
        if not said:
            self.api.notify(self.problem, severity="warning", markup=False)

    def apply(self) -> None:
        """The presence an event gives while it is on; back to what I had when it ends."""
        me = self.api.state.me
        if me is None or not self.api.can(Capability.PRESENCE_SET):
            return
        busy = None
        if self.calendar is not None and self._source:
            now = self.api.clock.now().astimezone()
            try:
                busy = busy_at(self.calendar, now)
            except ValueError as e:
                self.failed(self._source, str(e))
                return
        meeting = busy is not None and busy.showing is not Showing.TENTATIVE
        if self.in_meeting != meeting:
            self.in_meeting = meeting
            self.meeting_changed()
        if busy is not None:
            if (busy.until, busy.showing) == self._applied_until:
                return  # set once per event: a presence chosen since then stays
            self._applied_until = (busy.until, busy.showing)
            self._show(busy)
            return
        self._applied_until = None
        if self._restore is None:
            return
        (state, before, label), self._restore = self._restore, None
        if me.presence is self._set_state and me.presence_note == self._set_note:
            self.api.run_command(lambda backend: backend.set_presence(state, before, label=label))

    def _show(self, busy: Busy) -> None:
        """Set the presence ``busy`` gives, keeping what I had to restore it after."""
        me = self.api.state.me
        assert me is not None
        note = busy.note(self.api.clock.now().astimezone().date())
        if self._restore is None:
            self._restore = (me.presence, me.presence_note, me.presence_label)
        had, _note, label = self._restore
        state = {Showing.BUSY: PresenceState.BUSY, Showing.OUT_OF_OFFICE: PresenceState.AWAY}.get(
            busy.showing, had
        )
        kept = label if state is had else None  # a tentative event keeps my own state's label
        self._set_note, self._set_state = note, state
        if me.presence is state and me.presence_note == note:
            return
        self.api.run_command(lambda backend: backend.set_presence(state, note, label=kept))
