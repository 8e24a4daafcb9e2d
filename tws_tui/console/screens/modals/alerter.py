"""``AlerterScreen``: the incoming-call pop-up (TWS Alerter, TWS-3.1.1-1…5, TWS-6.4-8…13).

Shows who calls (name, number — "Unknown" / "Withheld number" when so), what they called (my
line, a queue or a number) and where the call comes from (forwarded, or back from a failed
transfer). Enter answers (the app's binding), R refuses, D deflects to the default target, Esc
ignores: the pop-up closes and the call keeps ringing in the banner. It closes by itself when
the call stops ringing (answered elsewhere, caller gone).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tws_tui.console.api import console_api
from tws_tui.core.model import CallId, ConnectionState
from tws_tui.core.topics import Topic, Topics
from tws_tui.domain.format import origin_note, party_name, party_number
from tws_tui.platform.i18n import _


class AlerterScreen(ModalScreen[None]):
    BINDINGS: ClassVar = [
        Binding("escape", "ignore", show=False),
        Binding("r", "refuse", show=False),
        Binding("d", "deflect", show=False),
    ]

    def __init__(self, call_id: CallId) -> None:
        super().__init__()
        self.call_id = call_id

    def compose(self) -> ComposeResult:
        with Vertical(id="alerter-box", classes="modal-box"):
            yield Static(id="alerter-body")

    def on_mount(self) -> None:
        console_api(self).state_signal.subscribe(self, self._on_state)
        self._show_call()

    def _on_state(self, topics: Topics) -> None:
        if Topic.CALLS in topics:
            call = console_api(self).state.calls.get(self.call_id)
            if call is None or call.state is not ConnectionState.ALERTING:
                self.dismiss()
            else:
                self._show_call()

    def _show_call(self) -> None:
        call = console_api(self).state.calls.get(self.call_id)
        if call is None:
            return
        body = Text()
        body.append("☎ " + _("Incoming call") + "\n\n", "bold")
        body.append(party_name(call.remote) + "\n", "bold reverse")
        body.append(party_number(call.remote) + "\n")
        if call.queue is not None:
            body.append(_("via queue {name}").format(name=call.queue.name) + "\n")
        elif call.called is not None and call.called.device_id != call.device_id:
            body.append(_("called {number}").format(number=call.called.name or call.called.number))
            body.append("\n")
        note = origin_note(call)
        if note is not None:
            body.append(note + "\n", "italic")
        target = console_api(self).calls.deflect_target
        body.append("\n")
        keys = [("Enter", _("Answer")), ("R", _("Refuse"))]
        if target:
            keys.append(("D", _("Deflect to {target}").format(target=target)))
        keys.append(("Esc", _("Ignore")))
        for key, label in keys:
            body.append(f" {key} ", "bold reverse")
            body.append(f" {label}   ")
        self.query_one("#alerter-body", Static).update(body)

    def action_ignore(self) -> None:
        self.dismiss()

    def action_refuse(self) -> None:
        call_id = self.call_id
        console_api(self).run_command(lambda backend: backend.hangup(call_id))
        self.dismiss()

    def action_deflect(self) -> None:
        target = console_api(self).calls.deflect_target
        if not target:
            self.app.notify(_("No deflection target: set alerts.deflect_to."), severity="warning")
            return
        call_id = self.call_id
        console_api(self).run_command(lambda backend: backend.deflect(call_id, target))
        self.dismiss()
