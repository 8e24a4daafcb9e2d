"""Announcements before a forward (issue 17; TWS-6.10.6.1-7, §6.8): the caller hears a sound,
then the call goes where the forward sends it.

A forward may name an announcement (``Forward.announcement``: a sound's name, or
``DEFAULT_ANNOUNCEMENT`` for the user's default one). When routing follows such a forward
(``SwitchBase._follow``), the plan carries it; carrying the plan out plays it first: the
caller's call is held by an announcement service leg for as long as the sound lasts — its
length in the sound library (:func:`announcement_length`: a built-in sound, or the user's WAV
in this process's data folder), :data:`ANNOUNCEMENT_S` seconds for a sound it does not have
or the default announcement — (the call's events say so: delivered to and established with
"Announcement <name>"), then that leg leaves and the call goes on to the forward's
destination (redirected from the user whose forward it is) — or, for the simple answering
machine (``ANSWERING_MACHINE``: TWS-6.10.6.1-4), ends: its step "hung up". Each call keeps its steps
(``timelines``): "announcement <name>" then "forwarded <number>", the first with the seconds
played, and each step is told to ``step_hooks`` (the CTI server keeps them in its history).
A caller who hangs up during the announcement ends the call there.
"""

from __future__ import annotations

from dataclasses import replace

from tws_tui.core.errors import N_, InvalidValue
from tws_tui.core.events import CallEventKind
from tws_tui.core.model import (
    ANSWERING_MACHINE,
    DEFAULT_ANNOUNCEMENT,
    CallId,
    Cause,
    ConnectionState,
    DeviceId,
    Party,
)
from tws_tui.simulator.base import Plan, SwitchBase
from tws_tui.simulator.entities import CallStep, Endpoint, SimCall

#: How long the caller hears an announcement whose sound is not at hand before the call goes on.
ANNOUNCEMENT_S = 4.0
#: The shortest and longest an announcement holds the caller (a WAV of a few ms, or of hours).
SHORTEST_S, LONGEST_S = 0.5, 120.0
#: The longest announcement name (a sound library's name).
MAX_NAME_CHARS = 40
#: The name played for ``DEFAULT_ANNOUNCEMENT`` (the user's default announcement).
DEFAULT_NAME = "default announcement"


def check_announcement(name: str | None) -> str | None:
    """A forward's announcement as kept: None, or a name without control characters of at
    most :data:`MAX_NAME_CHARS`; else ``InvalidValue`` saying why."""
    if name is None:
        return None
    cleaned = " ".join(name.split())
    if not cleaned or not cleaned.isprintable() or len(cleaned) > MAX_NAME_CHARS:
        raise InvalidValue(
            N_("An announcement is a sound's name of 1 to {max} characters"),
            max=MAX_NAME_CHARS,
        )
    return cleaned


def announcement_length(name: str) -> float:
    """How long the announcement ``name`` (a forward's, already checked) lasts: its sound's
    length in the sound library, bounded; :data:`ANNOUNCEMENT_S` for the default announcement
    or a sound missing or unplayable here."""
    from tws_tui.platform.sound_library import BadSound, load  # lazy: WAV reading

    if name == DEFAULT_ANNOUNCEMENT or any(ch in name for ch in "/\\") or name.startswith("."):
        return ANNOUNCEMENT_S  # a name is a file name of the library, never a path
    try:
        length = load(name).length_s
    except (BadSound, OSError, ValueError):
        return ANNOUNCEMENT_S
    return min(LONGEST_S, max(SHORTEST_S, length))


class AnnouncementServices(SwitchBase):
    """Plays a forward's announcement to the caller before the call goes on."""

    def _announce(self, call: SimCall, plan: Plan) -> None:
        assert plan.announcement is not None
        name = DEFAULT_NAME if plan.announcement == DEFAULT_ANNOUNCEMENT else plan.announcement
        by = plan.announced_by.device_id if plan.announced_by is not None else ""
        service = Endpoint(DeviceId(self._id("svc-")), None, f"Announcement {name}", internal=False)
        leg = self._new_conn(
            call, service, ConnectionState.CONNECTED, Cause.CALL_FORWARD, plan.redirected_from
        )
        self._emit_all(call, CallEventKind.ESTABLISHED, Cause.CALL_FORWARD)
        length = announcement_length(plan.announcement)
        self._step(call, "announcement", name, by, length)
        rest = replace(plan, announcement=None, announced_by=None)
        self._later(length, lambda: self._announced(call, leg.id, rest, by), leg.timers, "played")

    def _announced(self, call: SimCall, leg_id: CallId, plan: Plan, by: str) -> None:
        """Played: the service leg leaves and the call goes on (if the caller is still on)."""
        leg = self.conns.get(leg_id)
        if leg is None or not leg.alive:
            return
        callers = [c for c in call.conns if c is not leg and c.alive]
        self._remove_conn(leg, CallEventKind.CONNECTION_CLEARED, Cause.CALL_FORWARD, history=False)
        if not callers:
            return
        if plan.hang_up:  # the answering machine: its announcement said, the call ends
            self._step(call, "hung up", ANSWERING_MACHINE, by)
            for caller in callers:
                if caller.alive:
                    self._clear(caller)
            return
        target = plan.endpoint.party if plan.endpoint is not None else Party()
        where = target.number or (plan.queue.number if plan.queue is not None else "")
        self._step(call, "forwarded", where, by)
        self._execute(call, plan)

    def _step(self, call: SimCall, what: str, detail: str, by: str, length_s: float = 0) -> None:
        step = CallStep(self.now(), what, detail, by, length_s)
        self.timelines.setdefault(call.id, []).append(step)
        for hook in list(self.step_hooks):
            hook(call.id, step)

    def timeline(self, call_id: str) -> list[CallStep]:
        """What happened to a call beyond its connections, oldest first."""
        return list(self.timelines.get(call_id, ()))
