"""The incoming-call alert policy (TWS §6.4, §3.1.1, §3.8): what to do when a call rings.

Owns the decisions, not the effects. Given the ``[alerts]`` settings
(:class:`tws_tui.settings.schema.AlertSettings`) this module says, for each ringing call, whether
the
alerter pops up, how the bell rings, whether a desktop notification goes out, whether and when
the call is answered automatically and where *Deflect* sends it (:func:`plan_alert`); it times
the repeated bell (:class:`AlertRinger`) and the automatic answer (:class:`AutoAnswerScheduler`)
on an injected :class:`~tws_tui.core.clock.Clock`; and it keeps the "call back?" slot of the
automatic callback (:class:`CallbackOffer`). The app feeds it calls and performs the effects
(``App.bell()``, the desktop-notification sequence of :mod:`tws_tui.domain.notifications`,
AnswerCall).
No Textual, no I/O, so every rule is tested on a :class:`~tws_tui.core.clock.ManualClock`.

Decisions the spec leaves open, taken here:

- A call arriving through a shared queue (``call.queue is not None``) follows
  ``popup_queue_calls``/``only_when_unfocused`` (TWS-6.4-11/-12) and is never auto-answered
  (TWS-6.4-14) nor given a deflection target (TWS-6.4-13). It rings the bell like any call.
- The desktop notification goes out only while the console is not focused: when it is, the
  alerter and the call panel already show the call (TWS-6.4-12, TUI note).
- A withheld number (``Party.number`` None or empty) matches only the pattern ``*``.
- While an automatic answer is pending, the bell rings only if ``auto_answer_ring`` is on and
  the delay is not 0 (TWS-6.4-16); the alerter is still shown, so the operator sees who calls.
- Automatic callback: the operator hanging up an unanswered outgoing call is not a failure, nor
  is a failed consultation call (a transfer attempt); see :func:`failed_outgoing`.

Numbers: :func:`normalise_number` is a deliberately small French-only normaliser (the same
rules as the simulator's); a later issue brings a full phone-number module to replace both.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Literal, NamedTuple

from tws_tui.core.clock import Clock, TimerHandle
from tws_tui.core.model import (
    Call,
    CallId,
    Cause,
    ConnectionState,
    Direction,
    Party,
    PresenceState,
)
from tws_tui.core.values import value_class
from tws_tui.domain.numbers import clean_number, national_number, normalise_number

if TYPE_CHECKING:
    from tws_tui.settings.schema import AlertSettings

BellMode = Literal["none", "once", "repeat"]
BELL_MODES: tuple[BellMode, ...] = ("none", "once", "repeat")

#: The shortest pause between two bells, whatever a plan says (the setting's own minimum).
MIN_BELL_INTERVAL_S = 1.0

# --- numbers -------------------------------------------------------------------------------


def _number_forms(number: str) -> set[str]:
    """Every spelling a pattern may be written against: as given, E.164, national."""
    return {clean_number(number), normalise_number(number), national_number(number)}


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    parts = (re.escape(part) for part in clean_number(pattern).split("*"))
    return re.compile(".*".join(parts))


def number_matches(number: str | None, patterns: Iterable[str]) -> bool:
    """True if the calling ``number`` is one of ``patterns`` (TWS-6.4-17).

    A pattern is an exact number or has ``*`` for "any digits" (``"06*"``, ``"*"``). Numbers
    and patterns are compared without separators, in the form given, in E.164 and in the
    national form, so ``"+33 1 23 45 67 89"`` matches ``"0123456789"`` and ``"06*"`` matches
    ``"+33612345678"``. A withheld number (None or empty) matches ``"*"`` only.
    """
    withheld = number is None or not clean_number(number)
    forms = set() if withheld else _number_forms(number or "")
    for pattern in patterns:
        cleaned = clean_number(pattern)
        if not cleaned:
            continue
        if cleaned.strip("*") == "":
            return True
        if withheld:
            continue
        if "*" in cleaned:
            regex = _pattern_regex(cleaned)
            if any(regex.fullmatch(form) for form in forms):
                return True
        elif forms & _number_forms(cleaned):
            return True
    return False


# --- the plan for one ringing call ---------------------------------------------------------


@value_class
class AlertPlan:
    """What to do while one call rings (TWS-6.4-3, -8, -9, -11…-16, TWS-3.1.1-5).

    ``show_popup``: show the alerter (the incoming-call modal/toast). ``keep_open_during_call``:
    leave it open once answered (TWS-6.4-9). ``bell``: ``"none"``, ``"once"`` or ``"repeat"``
    every ``bell_interval_s`` while it rings. ``auto_answer_after_s``: answer it this long after
    it started ringing, or None. ``ring_before_auto_answer``: the bell rings during that delay.
    ``deflect_target``: the number *Deflect* sends it to, None when there is none (or a queue
    call, TWS-6.4-13).
    """

    show_popup: bool = False
    bell: BellMode = "none"
    bell_interval_s: float = 4.0
    desktop_notification: bool = False
    auto_answer_after_s: float | None = None
    ring_before_auto_answer: bool = False
    deflect_target: str | None = None
    keep_open_during_call: bool = False


#: The plan for a call that is not ringing: nothing at all.
QUIET = AlertPlan()


def plan_alert(
    call: Call, prefs: AlertSettings, *, app_focused: bool, voicemail: str = "", current: str = ""
) -> AlertPlan:
    """The alert plan for ``call`` under ``prefs`` (TWS §6.4).

    ``call`` should be ringing at the operator (``ConnectionState.ALERTING``); any other call
    gets :data:`QUIET`. ``app_focused`` is the terminal's focus (Textual ``AppFocus``/``AppBlur``;
    True when the terminal does not report focus).

    - Direct call: the alerter if ``popup`` (TWS-6.4-8); Deflect to ``current`` (the active
      profile's current extension, when chosen), else ``deflect_to``, else to the
      ``voicemail`` number (the default choice, TWS-3.8-1; TWS-6.4-13);
      auto-answer if ``auto_answer`` and the caller's number matches ``auto_answer_numbers``
      (TWS-6.4-14…-17) after ``auto_answer_delay_s``; the bell during that delay only with
      ``auto_answer_ring`` and a delay above 0 (TWS-6.4-16).
    - Queue call: the alerter if ``popup_queue_calls`` and, with ``only_when_unfocused``, only
      while the console is not focused (TWS-6.4-11/-12); never auto-answered nor deflected.
    - Both: the bell per ``bell``/``bell_interval_s`` (TWS-6.4-3, -4, -6); a desktop
      notification if ``desktop_notification`` and the console is not focused.
    """
    if call.state is not ConnectionState.ALERTING or call.direction is Direction.OUTBOUND:
        return QUIET
    bell: BellMode = prefs.bell if prefs.bell in BELL_MODES else "repeat"
    interval = max(MIN_BELL_INTERVAL_S, float(prefs.bell_interval_s))
    notify = prefs.desktop_notification and not app_focused
    if call.queue is not None:
        popup = prefs.popup_queue_calls and not (prefs.only_when_unfocused and app_focused)
        return AlertPlan(
            show_popup=popup,
            bell=bell,
            bell_interval_s=interval,
            desktop_notification=notify,
            keep_open_during_call=popup and prefs.keep_open_during_call,
        )
    after: float | None = None
    ring_first = False
    if prefs.auto_answer and number_matches(call.remote.number, prefs.auto_answer_numbers):
        after = max(0.0, float(prefs.auto_answer_delay_s))
        ring_first = prefs.auto_answer_ring and after > 0
        if not ring_first:
            bell = "none"
    return AlertPlan(
        show_popup=prefs.popup,
        bell=bell,
        bell_interval_s=interval,
        desktop_notification=notify,
        auto_answer_after_s=after,
        ring_before_auto_answer=ring_first,
        deflect_target=clean_number(current or prefs.deflect_to or voicemail) or None,
        keep_open_during_call=prefs.popup and prefs.keep_open_during_call,
    )


# --- the bell ------------------------------------------------------------------------------


class AlertRinger:
    """Rings the bell for the calls that ring (TWS-6.4-3, TWS-6.4-6 TUI note: BEL over SSH).

    ``ring()`` is called once when a call starts ringing (unless its plan says ``"none"``),
    then every ``bell_interval_s`` while at least one ``"repeat"`` call still rings (the
    shortest interval of those calls wins); a new call restarts that cadence. Call
    :meth:`update` with the calls ringing now each time they change.
    """

    def __init__(self, clock: Clock, ring: Callable[[], None]) -> None:
        self._clock = clock
        self._ring = ring
        self._known: set[CallId] = set()  # ringing calls already belled once
        self._repeat: dict[CallId, float] = {}  # ringing "repeat" calls -> their interval
        self._timer: TimerHandle | None = None
        self._closed = False

    @property
    def repeating(self) -> bool:
        """True while the repeat bell is armed."""
        return self._timer is not None

    def update(self, ringing_calls: Iterable[Call], plans: Mapping[CallId, AlertPlan]) -> None:
        """Take the calls ringing now; a call without a plan is not belled."""
        if self._closed:
            return
        now: dict[CallId, AlertPlan] = {}
        for call in ringing_calls:
            plan = plans.get(call.call_id)
            if plan is not None and plan.bell != "none":
                now[call.call_id] = plan
        new = [call_id for call_id in now if call_id not in self._known]
        self._known = set(now)
        self._repeat = {
            call_id: max(MIN_BELL_INTERVAL_S, plan.bell_interval_s)
            for call_id, plan in now.items()
            if plan.bell == "repeat"
        }
        for _call_id in new:
            self._ring()
        if new or not self._repeat:
            self._disarm()
        if self._repeat and self._timer is None:
            self._arm()

    def close(self) -> None:
        """Stop for good (the app is closing)."""
        self._closed = True
        self._disarm()
        self._known.clear()
        self._repeat.clear()

    def _arm(self) -> None:
        self._timer = self._clock.call_later(min(self._repeat.values()), self._tick)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _tick(self) -> None:
        self._timer = None
        if self._closed or not self._repeat:
            return
        self._ring()
        self._arm()


# --- automatic answer ----------------------------------------------------------------------


class AutoAnswerScheduler:
    """Answers the calls whose plan says so, after their delay (TWS-6.4-14, -15).

    :meth:`update` with the calls ringing now schedules ``answer(call_id)`` for each call whose
    plan has ``auto_answer_after_s``; a call that stops ringing first (answered by hand, hung
    up, taken by a colleague) or whose plan no longer says so is cancelled. Each call id is
    considered once: it is never answered twice, nor rescheduled after it was cancelled. A
    delay of 0 answers on the clock's next turn, not inside :meth:`update`.
    """

    def __init__(self, clock: Clock, answer: Callable[[CallId], None]) -> None:
        self._clock = clock
        self._answer = answer
        self._timers: dict[CallId, TimerHandle] = {}
        self._settled: set[CallId] = set()  # answered or cancelled: never again
        self._closed = False

    def pending(self) -> frozenset[CallId]:
        """The calls that will be answered when their delay is over."""
        return frozenset(self._timers)

    def update(self, ringing_calls: Iterable[Call], plans: Mapping[CallId, AlertPlan]) -> None:
        """Take the calls ringing now and their plans."""
        if self._closed:
            return
        wanted: dict[CallId, float] = {}
        for call in ringing_calls:
            plan = plans.get(call.call_id)
            if plan is not None and plan.auto_answer_after_s is not None:
                wanted[call.call_id] = plan.auto_answer_after_s
        for call_id in [call_id for call_id in self._timers if call_id not in wanted]:
            self.cancel(call_id)
        for call_id, delay in wanted.items():
            if call_id not in self._timers and call_id not in self._settled:
                self._timers[call_id] = self._clock.call_later(
                    max(0.0, delay), partial(self._fire, call_id)
                )

    def cancel(self, call_id: CallId) -> None:
        """Do not auto-answer ``call_id`` (e.g. the operator answered or deflected it)."""
        timer = self._timers.pop(call_id, None)
        if timer is not None:
            timer.cancel()
            self._settled.add(call_id)

    def close(self) -> None:
        """Cancel everything (the app is closing)."""
        self._closed = True
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()

    def _fire(self, call_id: CallId) -> None:
        if self._timers.pop(call_id, None) is None or call_id in self._settled:
            return
        self._settled.add(call_id)
        self._answer(call_id)


# --- automatic callback --------------------------------------------------------------------

#: Why an outgoing call that ended unanswered counts as failed (the operator hanging up during
#: ringback is ``normalClearing``/``callCancelled``: not a failure).
FAILURE_CAUSES = frozenset(
    {
        Cause.BUSY,
        Cause.CALL_NOT_ANSWERED,
        Cause.DEST_NOT_OBTAINABLE,
        Cause.NETWORK_CONGESTION,
        Cause.DO_NOT_DISTURB,
        Cause.TIMEOUT,
    }
)


def failed_outgoing(call: Call) -> bool:
    """True if ``call`` is an outgoing call that failed (TWS-6.4-21: busy, no answer…).

    Outbound, never answered, not a consultation call, and either in ``FAIL`` or ended
    (``NULL``) for one of :data:`FAILURE_CAUSES`.
    """
    if call.direction is not Direction.OUTBOUND or call.answered_at is not None:
        return False
    if call.consult_of is not None:
        return False
    if call.state is ConnectionState.FAIL:
        return True
    return call.state is ConnectionState.NULL and call.cause in FAILURE_CAUSES


def became_available(before: PresenceState | None, after: PresenceState) -> bool:
    """True for the presence change that triggers the callback offer: Busy → Available."""
    return before is PresenceState.BUSY and after is PresenceState.AVAILABLE


class Callback(NamedTuple):
    """The pending callback: whom to call back, who that is, why the call failed."""

    number: str
    party: Party
    cause: Cause


class CallbackOffer:
    """The "call back?" slot of the automatic callback (TWS-6.4-21).

    Holds the **last** failed outgoing call (:meth:`on_failed`); :meth:`trigger` hands it out
    once when the operator becomes reachable again (``idle``: no call any more; or
    ``presence_changed_to_available``: Busy → Available, see :func:`became_available`).
    The operator confirms (:meth:`accepted`, which returns what to dial) or refuses
    (:meth:`dismissed`); both clear the slot. Only one attempt: if the callback itself fails,
    no new offer is made for it.
    """

    def __init__(self, enabled: bool = True) -> None:
        self._enabled = enabled
        self._pending: Callback | None = None
        self._offered = False
        self._attempt: str | None = None  # the number being called back (E.164)
        self._seen: set[CallId] = set()  # failed calls already taken: fed again, they are ignored

    @property
    def enabled(self) -> bool:
        """``callback_offer`` (TWS-6.4-21); turning it off forgets the pending callback."""
        return self._enabled

    @enabled.setter
    def enabled(self, value: bool) -> None:
        self._enabled = value
        if not value:
            self._pending, self._offered, self._attempt = None, False, None

    def on_failed(self, call: Call) -> bool:
        """Note an outgoing call that ended; True if it is now the pending callback.

        Any call may be passed, as often as it changes: only :func:`failed_outgoing` calls with
        a number count, each call id once (a failed call that lingers in ``FAIL`` does not
        bring back an offer already shown, accepted or dismissed). Pass every outbound call
        that ends, not only the failures: the outcome of the callback attempt itself (failed
        or not) ends that attempt, and a failed attempt is never offered again.
        """
        if call.direction is not Direction.OUTBOUND or call.state not in (
            ConnectionState.FAIL,
            ConnectionState.NULL,
        ):
            return False
        number = call.remote.number or (call.called.number if call.called else None)
        if not number:
            return False
        if self._attempt is not None and normalise_number(number) == self._attempt:
            self._attempt = None  # the one attempt is over, whatever its outcome
            return False
        if not self._enabled or not failed_outgoing(call) or call.call_id in self._seen:
            return False
        self._seen.add(call.call_id)
        self._pending = Callback(number, call.remote, call.cause)
        self._offered = False
        return True

    def pending(self) -> Callback | None:
        """The callback waiting for its moment, if any."""
        return self._pending

    def trigger(
        self, presence_changed_to_available: bool = False, idle: bool = False
    ) -> Callback | None:
        """The callback to offer now, or None; it is offered once until accepted or dismissed."""
        if self._pending is None or self._offered or not self._enabled:
            return None
        if not (presence_changed_to_available or idle):
            return None
        self._offered = True
        return self._pending

    def accepted(self) -> Callback | None:
        """The operator confirmed: clear the slot and return what to dial (the one attempt)."""
        callback, self._pending, self._offered = self._pending, None, False
        if callback is not None:
            self._attempt = normalise_number(callback.number)
        return callback

    def dismissed(self) -> None:
        """The operator refused: forget the callback."""
        self._pending, self._offered = None, False
