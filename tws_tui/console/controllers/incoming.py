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
from typing import TYPE_CHECKING

from tws_tui.console.textual_private import write_to_terminal
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

if TYPE_CHECKING:
    from tws_tui.console.app import TwsApp
    from tws_tui.settings.config import AlertSettings


class IncomingCalls:
    def __init__(self, app: TwsApp, alerts: AlertSettings) -> None:
        self.app = app
        self.alerts = alerts
        self._announced: set[CallId] = set()
        self._ringer = AlertRinger(app.clock, self._bell)
        self._auto_answer = AutoAnswerScheduler(app.clock, self._answer)
        self.callback = CallbackOffer(alerts.callback_offer)

    def close(self) -> None:
        self._ringer.close()
        self._auto_answer.close()

    # ---- after each change of my calls -------------------------------------------------

    def calls_changed(self) -> None:
        state = self.app.state
        ringing = state.ringing_calls()
        plans = {
            call.call_id: plan_alert(
                call,
                self.alerts,
                app_focused=self.app.app_focus,
                voicemail=self.app.voicemail_number,
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

        app = self.app
        call = app.state.calls[call_id]
        if plan.show_popup and not isinstance(app.screen, AlerterScreen):
            app.push_screen(AlerterScreen(call_id))
        if (plan.desktop_notification or app.ui.desktop_notifications) and not app.is_headless:
            sequence = desktop_notification(
                _("Incoming call"), party_label(call.remote), os.environ
            )
            if sequence:
                write_to_terminal(app, sequence)

    def _bell(self) -> None:
        if self.app.ui.bell:  # the Preferences switch silences every bell
            self.app.bell()

    def _answer(self, call_id: CallId) -> None:
        self.app.run_command(lambda backend: backend.answer(call_id))

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
                    self.app.run_command(lambda backend: backend.make_call(number))
            else:
                self.callback.dismissed()

        self.app.push_screen(ConfirmScreen(question), answer)
