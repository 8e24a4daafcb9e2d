"""``IncomingCalls``: how the console reacts to calls ringing at my desk and to failed calls.

Owned by the app and told after every change of ``state.calls``. For each ringing call it asks
:func:`tws_tui.domain.alerting.plan_alert` (the ``[alerts]`` preferences, TWS §6.4) and then: opens
the
alerter pop-up, rings the terminal bell once or repeatedly (``AlertRinger``), raises a desktop
notification, and answers automatically when the plan says so (``AutoAnswerScheduler``). It also
keeps the callback offer of TWS-6.4-21: after a failed outgoing call, once I have no call left,
it asks whether to call back (one attempt).
"""

from __future__ import annotations

import os

from tws_tui.console.api import ConsoleApi
from tws_tui.console.controllers.ringtone import ring
from tws_tui.core.events import CallEvent, Event
from tws_tui.core.model import CallId, ConnectionState
from tws_tui.domain.alerting import (
    AlertPlan,
    AlertRinger,
    AutoAnswerScheduler,
    CallbackOffer,
    plan_alert,
)
from tws_tui.domain.format import party_label
from tws_tui.domain.notifications import desktop_notification
from tws_tui.platform.i18n import _
from tws_tui.settings.prefs import PrefsChange


class IncomingCalls:
    def __init__(self, api: ConsoleApi) -> None:
        self.api = api
        self._announced: set[CallId] = set()
        self._ringer = AlertRinger(api.clock, self._bell)
        self._auto_answer = AutoAnswerScheduler(api.clock, self._answer)
        self.callback = CallbackOffer(api.prefs.alerts.callback_offer)
        self._unsubscribe = api.prefs.subscribe(self._prefs_changed)

    def close(self) -> None:
        self._unsubscribe()
        self._ringer.close()
        self._auto_answer.close()

    def _prefs_changed(self, change: PrefsChange) -> None:
        if "alerts" in change.sections:
            self.callback.enabled = self.api.prefs.alerts.callback_offer

    # ---- after each change of my calls -------------------------------------------------

    def calls_changed(self) -> None:
        state = self.api.state
        ringing = state.ringing_calls()
        prefs = self.api.prefs
        plans = {
            call.call_id: plan_alert(
                call,
                prefs.alerts,
                app_focused=self.api.is_focused(),
                voicemail=self.api.calls.voicemail_number,
                current=self.api.profiles.deflect_extension(),
            )
            for call in ringing
        }
        for call in ringing:
            if call.call_id not in self._announced:
                self._announced.add(call.call_id)
                self._announce(call.call_id, plans[call.call_id])
        self._announced &= set(state.calls)
        self._ringer.update(ringing, plans)
        self._auto_answer.update(ringing, plans)
        if not state.calls:
            self._offer_callback()

    def observe(self, event: Event) -> None:
        """Every call of mine that ends or fails goes to the callback offer (TWS-6.4-21), which
        keeps the failed outgoing ones and forgets a number once a call to it succeeded."""
        if isinstance(event, CallEvent) and event.call.state in (
            ConnectionState.FAIL,
            ConnectionState.NULL,
        ):
            self.callback.on_failed(event.call)

    def _announce(self, call_id: CallId, plan: AlertPlan) -> None:
        from tws_tui.console.screens.modals.alerter import AlerterScreen

        api = self.api
        call = api.state.calls[call_id]
        if plan.show_popup and not isinstance(api.screen, AlerterScreen):
            api.push_screen(AlerterScreen(call_id))
        if (plan.desktop_notification or api.prefs.ui.desktop_notifications) and not (
            api.is_headless
        ):
            sequence = desktop_notification(
                _("Incoming call"), party_label(call.remote), os.environ
            )
            if sequence:
                api.write_to_terminal(sequence)

    def _bell(self) -> None:
        if self.api.prefs.ui.bell:  # the Preferences switch silences every bell
            calls = self.api.state.ringing_calls()
            ring(self.api, queue_call=bool(calls) and all(c.queue is not None for c in calls))

    def _answer(self, call_id: CallId) -> None:
        self.api.run_command(lambda backend: backend.answer(call_id))

    # ---- TWS-6.4-21: call back after a failed outgoing call ----------------------------

    def presence_became_available(self) -> None:
        self._offer_callback(presence_changed_to_available=True)

    def _offer_callback(self, *, presence_changed_to_available: bool = False) -> None:
        offer = self.callback.trigger(
            presence_changed_to_available=presence_changed_to_available, idle=True
        )
        if offer is None:
            return
        from tws_tui.console.screens.modals.confirm import ConfirmScreen

        question = _("Call back {party}? The last attempt failed ({cause}).").format(
            party=party_label(offer.party), cause=offer.cause
        )

        def answer(yes: bool | None) -> None:
            if yes:
                callback = self.callback.accepted()
                if callback is not None:
                    number = callback.number
                    self.api.run_command(lambda backend: backend.make_call(number))
            else:
                self.callback.dismissed()

        self.api.push_screen(ConfirmScreen(question), answer)
