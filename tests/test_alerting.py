"""The incoming-call alert policy (TWS §6.4): plans, the bell, auto-answer, the callback offer."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import UTC, datetime
from typing import Any

import pytest

from tws_tui.core.clock import ManualClock
from tws_tui.core.model import (
    Call,
    CallId,
    Cause,
    ConnectionState,
    DeviceId,
    Direction,
    Party,
    PresenceState,
    QueueId,
    QueueRef,
)
from tws_tui.domain.alerting import (
    QUIET,
    AlertPlan,
    AlertRinger,
    AutoAnswerScheduler,
    Callback,
    CallbackOffer,
    became_available,
    failed_outgoing,
    number_matches,
    plan_alert,
)
from tws_tui.domain.numbers import is_dialable, national_number, normalise_number
from tws_tui.settings.schema import AlertSettings

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
SALES = QueueRef(QueueId("q-sales"), "Sales")


def ringing(
    call_id: str = "c1",
    number: str | None = "+33612345678",
    *,
    queue: QueueRef | None = None,
    **changes: Any,
) -> Call:
    call = Call(
        call_id=CallId(call_id),
        device_id=DeviceId("dev-100"),
        state=ConnectionState.ALERTING,
        direction=Direction.INBOUND,
        remote=Party(number, "Caller"),
        created_at=T0,
        queue=queue,
    )
    return dataclasses.replace(call, **changes)


def prefs(**changes: Any) -> AlertSettings:
    return dataclasses.replace(AlertSettings(), **changes)


# --- numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "e164"),
    [
        ("0123456789", "+33123456789"),
        ("01 23 45 67 89", "+33123456789"),
        ("01.23.45.67.89", "+33123456789"),
        ("+33 1 23 45 67 89", "+33123456789"),
        ("0033 1 23 45 67 89", "+33123456789"),
        ("+33 (0)1 23 45 67 89", "+33123456789"),
        ("201", "201"),  # an extension
        ("+44 20 7946 0958", "+442079460958"),  # foreign: cleaned only
        ("*31#", "*31#"),
    ],
)
def test_normalise_number_gives_e164_for_french_numbers(number: str, e164: str) -> None:
    assert normalise_number(number) == e164


def test_national_form_and_unknown_country() -> None:
    assert national_number("+33 6 12 34 56 78") == "0612345678"
    assert national_number("201") == "201"
    with pytest.raises(ValueError, match="unknown country"):
        normalise_number("0123456789", default_country="DE")


def test_dialable_destinations() -> None:
    assert is_dialable("+33 1.23-45 67 89") and is_dialable("201") and is_dialable("*86#")
    assert not is_dialable("voicemail") and not is_dialable("01 23 + 45") and not is_dialable("")


@pytest.mark.parametrize(
    ("number", "patterns", "expected"),
    [
        ("+33612345678", ["*"], True),
        (None, ["*"], True),  # withheld: only "*"
        ("", ["*"], True),
        (None, ["06*", "0123456789"], False),
        ("+33612345678", ["06*"], True),  # E.164 number, national pattern
        ("0612345678", ["+336*"], True),  # national number, E.164 pattern
        ("+33123456789", ["06*"], False),
        ("+33123456789", ["01 23 45 67 89"], True),  # exact, separators and forms ignored
        ("01 23 45 67 89", ["+33123456789"], True),
        ("+33123456789", ["0123456788"], False),
        ("201", ["2*"], True),
        ("201", ["20"], False),  # exact means exact, not a prefix
        ("+33612345678", ["*78"], True),  # * anywhere
        ("+33612345678", [], False),
    ],
)
def test_number_matches(number: str | None, patterns: list[str], expected: bool) -> None:
    assert number_matches(number, patterns) is expected


# --- plan_alert ----------------------------------------------------------------------------


@pytest.mark.parametrize("focused", [True, False])
def test_direct_call_follows_popup_whatever_the_focus(focused: bool) -> None:
    plan = plan_alert(ringing(), prefs(), app_focused=focused)
    assert plan.show_popup is True  # TWS-6.4-8
    assert plan.bell == "repeat" and plan.bell_interval_s == 4.0
    assert plan.auto_answer_after_s is None and plan.deflect_target is None
    assert plan_alert(ringing(), prefs(popup=False), app_focused=focused).show_popup is False


@pytest.mark.parametrize(
    ("popup_queue_calls", "only_when_unfocused", "focused", "shown"),
    [
        (False, True, False, False),
        (False, False, False, False),
        (True, True, True, False),  # TWS-6.4-12: the queue panel is visible
        (True, True, False, True),
        (True, False, True, True),
        (True, False, False, True),
    ],
)
def test_queue_call_popup(
    popup_queue_calls: bool, only_when_unfocused: bool, focused: bool, shown: bool
) -> None:
    settings = prefs(popup_queue_calls=popup_queue_calls, only_when_unfocused=only_when_unfocused)
    plan = plan_alert(ringing(queue=SALES), settings, app_focused=focused)
    assert plan.show_popup is shown
    assert plan.bell == "repeat"  # queue calls ring too (TWS-6.4-4)


def test_queue_calls_are_never_auto_answered_nor_deflected() -> None:
    settings = prefs(auto_answer=True, auto_answer_numbers=("*",), deflect_to="0123456789")
    plan = plan_alert(ringing(queue=SALES), settings, app_focused=False)
    assert plan.auto_answer_after_s is None  # TWS-6.4-14
    assert plan.deflect_target is None  # TWS-6.4-13
    direct = plan_alert(ringing(), settings, app_focused=False)
    assert direct.auto_answer_after_s == 0.0 and direct.deflect_target == "0123456789"


def test_desktop_notification_only_when_unfocused_and_enabled() -> None:
    on = prefs(desktop_notification=True)
    assert plan_alert(ringing(), on, app_focused=False).desktop_notification is True
    assert plan_alert(ringing(), on, app_focused=True).desktop_notification is False
    assert plan_alert(ringing(), prefs(), app_focused=False).desktop_notification is False
    queue_plan = plan_alert(ringing(queue=SALES), on, app_focused=False)
    assert queue_plan.desktop_notification is True


@pytest.mark.parametrize(
    ("number", "patterns", "answered"),
    [
        ("+33612345678", ("*",), True),
        ("+33612345678", ("06*",), True),
        ("0612345678", ("+33 6 12 34 56 78",), True),
        ("+33123456789", ("06*",), False),
        (None, ("06*",), False),
        (None, ("*",), True),
        ("+33123456789", (), False),  # empty list = none (TWS-6.4-17)
    ],
)
def test_auto_answer_patterns(
    number: str | None, patterns: tuple[str, ...], answered: bool
) -> None:
    settings = prefs(auto_answer=True, auto_answer_numbers=patterns, auto_answer_delay_s=3)
    plan = plan_alert(ringing(number=number), settings, app_focused=True)
    assert (plan.auto_answer_after_s == 3.0) is answered
    assert (plan.auto_answer_after_s is None) is not answered


def test_auto_answer_off_ignores_the_patterns() -> None:
    settings = prefs(auto_answer=False, auto_answer_numbers=("*",))
    assert plan_alert(ringing(), settings, app_focused=True).auto_answer_after_s is None


@pytest.mark.parametrize(
    ("delay", "ring", "bell", "ring_before"),
    [
        (5.0, True, "repeat", True),
        (5.0, False, "none", False),  # TWS-6.4-16 unchecked: no sound
        (0.0, True, "none", False),  # "unless the delay is 0"
    ],
)
def test_ring_before_auto_answer(delay: float, ring: bool, bell: str, ring_before: bool) -> None:
    settings = prefs(
        auto_answer=True,
        auto_answer_numbers=("*",),
        auto_answer_delay_s=delay,
        auto_answer_ring=ring,
    )
    plan = plan_alert(ringing(), settings, app_focused=True)
    assert plan.auto_answer_after_s == delay
    assert (plan.bell, plan.ring_before_auto_answer) == (bell, ring_before)
    assert plan.show_popup is True  # the operator still sees who calls (TWS-6.4-15)


def test_keep_open_during_call_needs_the_popup() -> None:
    assert plan_alert(ringing(), prefs(keep_open_during_call=True), app_focused=True) == (
        AlertPlan(show_popup=True, bell="repeat", keep_open_during_call=True)
    )
    closed = plan_alert(ringing(), prefs(popup=False, keep_open_during_call=True), app_focused=True)
    assert closed.keep_open_during_call is False


def test_calls_that_do_not_ring_get_the_quiet_plan() -> None:
    everything = prefs(auto_answer=True, auto_answer_numbers=("*",), desktop_notification=True)
    connected = ringing(state=ConnectionState.CONNECTED)
    assert plan_alert(connected, everything, app_focused=False) == QUIET
    outbound = ringing(direction=Direction.OUTBOUND)
    assert plan_alert(outbound, everything, app_focused=False) == QUIET
    assert QUIET.bell == "none" and not QUIET.show_popup


def test_bell_setting_reaches_the_plan() -> None:
    plan = plan_alert(ringing(), prefs(bell="once", bell_interval_s=2.0), app_focused=True)
    assert (plan.bell, plan.bell_interval_s) == ("once", 2.0)


# --- AlertRinger ---------------------------------------------------------------------------


class Rings:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> None:
        self.count += 1


def ringer() -> tuple[ManualClock, AlertRinger, Rings]:
    clock = ManualClock()
    rings = Rings()
    return clock, AlertRinger(clock, rings), rings


def test_repeat_bell_rings_at_once_then_every_interval_until_answered() -> None:
    clock, bell, rings = ringer()
    call = ringing()
    plans = {call.call_id: AlertPlan(bell="repeat", bell_interval_s=4.0)}
    bell.update([call], plans)
    assert rings.count == 1
    clock.advance(3.9)
    assert rings.count == 1
    clock.advance(0.1)
    assert rings.count == 2
    clock.advance(8.0)  # 12 s after it started: bells at 0, 4, 8, 12
    assert rings.count == 4
    bell.update([call], plans)  # the same call again: no extra bell, cadence kept
    assert rings.count == 4
    bell.update([], plans)  # answered
    clock.advance(60)
    assert rings.count == 4 and clock.pending() == 0 and not bell.repeating


def test_once_bell_rings_once() -> None:
    clock, bell, rings = ringer()
    call = ringing()
    bell.update([call], {call.call_id: AlertPlan(bell="once")})
    clock.advance(60)
    assert rings.count == 1 and clock.pending() == 0


def test_no_bell_and_no_plan_stay_silent() -> None:
    clock, bell, rings = ringer()
    first, second = ringing("c1"), ringing("c2")
    bell.update([first, second], {first.call_id: AlertPlan(bell="none")})
    clock.advance(60)
    assert rings.count == 0 and clock.pending() == 0


def test_each_new_call_rings_and_restarts_the_cadence() -> None:
    clock, bell, rings = ringer()
    first, second = ringing("c1"), ringing("c2")
    plans = {
        first.call_id: AlertPlan(bell="repeat", bell_interval_s=4.0),
        second.call_id: AlertPlan(bell="once"),
    }
    bell.update([first], plans)
    clock.advance(3)
    bell.update([first, second], plans)  # a second call at 3 s
    assert rings.count == 2
    clock.advance(3.5)  # 6.5 s: the repeat was moved to 7 s
    assert rings.count == 2
    clock.advance(0.5)
    assert rings.count == 3
    bell.update([second], plans)  # the repeating call is answered; the "once" call rings on
    clock.advance(30)
    assert rings.count == 3


def test_the_shortest_interval_of_the_repeating_calls_wins() -> None:
    clock, bell, rings = ringer()
    slow, fast = ringing("c1"), ringing("c2")
    plans = {
        slow.call_id: AlertPlan(bell="repeat", bell_interval_s=10.0),
        fast.call_id: AlertPlan(bell="repeat", bell_interval_s=2.0),
    }
    bell.update([slow, fast], plans)
    assert rings.count == 2
    clock.advance(10)
    assert rings.count == 2 + 5


def test_interval_has_a_floor() -> None:
    clock, bell, rings = ringer()
    call = ringing()
    bell.update([call], {call.call_id: AlertPlan(bell="repeat", bell_interval_s=0.0)})
    clock.advance(3)
    assert rings.count == 1 + 3


def test_a_call_ringing_again_rings_again() -> None:
    _clock, bell, rings = ringer()
    call = ringing()
    plans = {call.call_id: AlertPlan(bell="once")}
    bell.update([call], plans)
    bell.update([], plans)
    bell.update([call], plans)  # e.g. recalled after an unanswered transfer
    assert rings.count == 2


def test_ringer_close_cancels_and_ignores_later_updates() -> None:
    clock, bell, rings = ringer()
    call = ringing()
    plans = {call.call_id: AlertPlan(bell="repeat")}
    bell.update([call], plans)
    bell.close()
    assert clock.pending() == 0
    bell.update([ringing("c2")], {CallId("c2"): AlertPlan(bell="repeat")})
    clock.advance(60)
    assert rings.count == 1


# --- AutoAnswerScheduler -------------------------------------------------------------------


def scheduler() -> tuple[ManualClock, AutoAnswerScheduler, list[CallId]]:
    clock = ManualClock()
    answered: list[CallId] = []
    return clock, AutoAnswerScheduler(clock, answered.append), answered


def test_auto_answer_after_the_delay_and_only_once() -> None:
    clock, auto, answered = scheduler()
    call = ringing()
    plans = {call.call_id: AlertPlan(auto_answer_after_s=5.0)}
    auto.update([call], plans)
    assert auto.pending() == {call.call_id}
    clock.advance(4.9)
    assert answered == []
    auto.update([call], plans)  # still ringing: not rescheduled
    clock.advance(0.1)
    assert answered == [call.call_id]
    auto.update([call], plans)  # the answer has not reached us yet: no second answer
    clock.advance(60)
    assert answered == [call.call_id] and auto.pending() == frozenset()


def test_zero_delay_answers_on_the_next_turn_not_inside_update() -> None:
    clock, auto, answered = scheduler()
    call = ringing()
    auto.update([call], {call.call_id: AlertPlan(auto_answer_after_s=0.0)})
    assert answered == []
    clock.advance(0)
    assert answered == [call.call_id]


def test_hang_up_before_the_delay_cancels() -> None:
    clock, auto, answered = scheduler()
    call = ringing()
    plans = {call.call_id: AlertPlan(auto_answer_after_s=5.0)}
    auto.update([call], plans)
    clock.advance(2)
    auto.update([], plans)  # the caller hung up (or a colleague took it)
    clock.advance(60)
    assert answered == [] and clock.pending() == 0


def test_answered_by_hand_cancels_and_is_not_rescheduled() -> None:
    clock, auto, answered = scheduler()
    call = ringing()
    plans = {call.call_id: AlertPlan(auto_answer_after_s=5.0)}
    auto.update([call], plans)
    auto.cancel(call.call_id)  # the operator pressed Enter
    auto.update([call], plans)  # the call still shows as ringing for a moment
    clock.advance(60)
    assert answered == []


def test_plan_without_auto_answer_cancels() -> None:
    clock, auto, answered = scheduler()
    call = ringing()
    auto.update([call], {call.call_id: AlertPlan(auto_answer_after_s=5.0)})
    auto.update([call], {call.call_id: AlertPlan()})  # the setting was turned off
    clock.advance(60)
    assert answered == []


def test_several_calls_each_on_their_own_delay() -> None:
    clock, auto, answered = scheduler()
    first, second, third = ringing("c1"), ringing("c2"), ringing("c3")
    plans = {
        first.call_id: AlertPlan(auto_answer_after_s=3.0),
        second.call_id: AlertPlan(auto_answer_after_s=1.0),
        third.call_id: AlertPlan(),
    }
    auto.update([first, second, third], plans)
    clock.advance(5)
    assert answered == [second.call_id, first.call_id]


def test_scheduler_close_cancels_everything() -> None:
    clock, auto, answered = scheduler()
    call = ringing()
    plans = {call.call_id: AlertPlan(auto_answer_after_s=1.0)}
    auto.update([call], plans)
    auto.close()
    auto.update([call], plans)
    clock.advance(5)
    assert answered == [] and clock.pending() == 0


# --- CallbackOffer -------------------------------------------------------------------------

BUSY_PARTY = Party("+33123456789", "ACME")
_OUTGOING_IDS = itertools.count(1)


def outgoing(
    state: ConnectionState = ConnectionState.FAIL,
    cause: Cause = Cause.BUSY,
    number: str | None = "+33123456789",
    **changes: Any,
) -> Call:
    call = Call(
        call_id=CallId(f"o{next(_OUTGOING_IDS)}"),  # each call its own id
        device_id=DeviceId("dev-100"),
        state=state,
        direction=Direction.OUTBOUND,
        remote=Party(number, "ACME"),
        created_at=T0,
        cause=cause,
    )
    return dataclasses.replace(call, **changes)


@pytest.mark.parametrize(
    ("call", "failed"),
    [
        (outgoing(), True),
        (outgoing(ConnectionState.NULL, Cause.CALL_NOT_ANSWERED), True),
        (outgoing(ConnectionState.NULL, Cause.DEST_NOT_OBTAINABLE), True),
        (outgoing(ConnectionState.NULL, Cause.NORMAL_CLEARING), False),  # I hung up
        (outgoing(ConnectionState.NULL, Cause.CALL_CANCELLED), False),
        (outgoing(ConnectionState.NULL, Cause.NORMAL_CLEARING, answered_at=T0), False),
        (outgoing(consult_of=CallId("c9")), False),  # a transfer attempt
        (outgoing(direction=Direction.INBOUND), False),
        (outgoing(ConnectionState.CONNECTED), False),
    ],
)
def test_failed_outgoing(call: Call, failed: bool) -> None:
    assert failed_outgoing(call) is failed


def test_callback_offered_once_when_idle_then_accepted() -> None:
    offer = CallbackOffer()
    assert offer.on_failed(outgoing()) is True
    assert offer.pending() == Callback("+33123456789", BUSY_PARTY, Cause.BUSY)
    assert offer.trigger() is None  # still busy: no trigger yet
    shown = offer.trigger(idle=True)
    assert shown == ("+33123456789", BUSY_PARTY, Cause.BUSY)
    assert offer.trigger(idle=True) is None  # not shown twice
    assert offer.accepted() == shown
    assert offer.pending() is None and offer.trigger(idle=True) is None


def test_callback_offered_on_busy_to_available() -> None:
    offer = CallbackOffer()
    offer.on_failed(outgoing(ConnectionState.NULL, Cause.CALL_NOT_ANSWERED))
    assert became_available(PresenceState.BUSY, PresenceState.AVAILABLE)
    assert not became_available(PresenceState.AWAY, PresenceState.AVAILABLE)
    assert not became_available(None, PresenceState.AVAILABLE)
    callback = offer.trigger(presence_changed_to_available=True)
    assert callback is not None and callback.cause is Cause.CALL_NOT_ANSWERED


def test_only_the_last_failed_call_is_kept() -> None:
    offer = CallbackOffer()
    offer.on_failed(outgoing(number="0123456789"))
    offer.trigger(idle=True)
    offer.on_failed(outgoing(number="0699999999", cause=Cause.DEST_NOT_OBTAINABLE))
    callback = offer.trigger(idle=True)  # a newer failure is offered again
    assert callback is not None and callback.number == "0699999999"


def test_dismissed_clears_the_offer() -> None:
    offer = CallbackOffer()
    offer.on_failed(outgoing())
    offer.trigger(idle=True)
    offer.dismissed()
    assert offer.pending() is None and offer.trigger(idle=True) is None


def test_only_one_attempt_the_failed_callback_is_not_offered_again() -> None:
    offer = CallbackOffer()
    offer.on_failed(outgoing(number="+33123456789"))
    offer.trigger(idle=True)
    offer.accepted()
    assert offer.on_failed(outgoing(number="01 23 45 67 89")) is False  # the callback failed
    assert offer.pending() is None
    assert offer.on_failed(outgoing(number="0123456789")) is True  # a later, new failure


def test_a_successful_callback_ends_the_attempt() -> None:
    offer = CallbackOffer()
    offer.on_failed(outgoing())
    offer.trigger(idle=True)
    offer.accepted()
    ended = outgoing(ConnectionState.NULL, Cause.NORMAL_CLEARING, answered_at=T0)
    assert offer.on_failed(ended) is False
    assert offer.on_failed(outgoing()) is True


def test_not_a_failure_or_no_number_is_not_kept() -> None:
    offer = CallbackOffer()
    assert offer.on_failed(outgoing(ConnectionState.NULL, Cause.NORMAL_CLEARING)) is False
    assert offer.on_failed(outgoing(number=None)) is False
    assert offer.on_failed(ringing()) is False
    assert offer.pending() is None


def test_called_number_is_used_when_the_remote_has_none() -> None:
    offer = CallbackOffer()
    call = outgoing(number=None, called=Party("201", "Reception"))
    assert offer.on_failed(call) is True
    pending = offer.pending()
    assert pending is not None and pending.number == "201"


def test_callback_offer_disabled() -> None:
    offer = CallbackOffer(enabled=False)
    assert offer.on_failed(outgoing()) is False
    offer.enabled = True
    offer.on_failed(outgoing())
    offer.enabled = False  # turned off in the preferences: forgotten
    assert offer.pending() is None and offer.trigger(idle=True) is None


def test_the_same_failed_call_fed_again_does_not_bring_the_offer_back() -> None:
    offer = CallbackOffer()
    failed = outgoing()
    assert offer.on_failed(failed) is True
    assert offer.trigger(idle=True) is not None
    assert offer.on_failed(failed) is False  # the app passes the lingering FAIL call again
    assert offer.trigger(idle=True) is None
    offer.dismissed()
    assert offer.on_failed(dataclasses.replace(failed, version=2)) is False
    assert offer.pending() is None
