"""``AlerterScreen``: the incoming-call pop-up (TWS Alerter, TWS-3.1.1-1…5, TWS-6.4-8…13).

Shows who calls (name, number — "Unknown" / "Withheld number" when so), what they called (my
line, a queue or a number) and where the call comes from (forwarded, or back from a failed
transfer). Enter or F12 answers (the app's bindings), Alt+R refuses, Alt+D deflects to the
default target (the app's bindings too, which act on the pop-up's call), Esc ignores: the
pop-up closes and the call keeps ringing in the banner. It closes by itself when the call stops
ringing (answered elsewhere, caller gone). Its header is drawn in the ringing colour chosen in
Preferences (TWS-6.3-2, ``[contacts] ringing_colour``; the theme's, the default: bold only).

It never eats typing: a character typed while it is up closes it (the call keeps ringing) and
goes where it would have gone without it — the search field, the dial bar. No action is on a
key that can be typed.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tws_tui.console.api import console_api
from tws_tui.console.screens.base import show_text
from tws_tui.console.widgets.supervision_colours import line_tone, tone_style
from tws_tui.core.model import CallId, ConnectionState, LineState
from tws_tui.core.topics import Topic, Topics
from tws_tui.domain.format import origin_note, party_name, party_number
from tws_tui.platform.i18n import _


class AlerterScreen(ModalScreen[None]):
    """A compact box (about seven rows) under the top rows: it never hides the status bar,
    the banner or the call strip, and leaves most of the screen in view at 80×24 (its
    place and size: ``#alerter-box`` in app.tcss)."""

    BINDINGS: ClassVar = [Binding("escape", "ignore", show=False)]

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
        ringing = console_api(self).prefs.contacts.ringing_colour
        body = Text()
        header = tone_style(line_tone(LineState.RINGING, ringing=ringing)) or "bold"
        body.append("☎ " + _("Incoming call") + "\n", header)
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
        api = console_api(self)
        answer = dict.fromkeys(api.app_key_display(i) for i in ("call.answer", "call.answer_any"))
        keys = [("/".join(answer), _("Answer")), (api.app_key_display("call.refuse"), _("Refuse"))]
        if target:
            keys.append(
                (
                    api.app_key_display("call.deflect"),
                    _("Deflect to {target}").format(target=target),
                )
            )
        keys.append(("Esc", _("Ignore")))
        for key, label in keys:
            body.append(f" {key} ", "bold reverse")
            body.append(f" {label}   ")
        show_text(self.query_one("#alerter-body", Static), body)

    def action_ignore(self) -> None:
        self.dismiss()

    def on_key(self, event: events.Key) -> None:
        """A character typed closes the pop-up (the call keeps ringing in the banner) and goes
        on to the screen below, as if the pop-up had not been there."""
        if not event.is_printable or event.character is None:
            return
        event.stop()
        event.prevent_default()
        self.dismiss()
        self.app.post_message(events.Key(event.key, event.character))
