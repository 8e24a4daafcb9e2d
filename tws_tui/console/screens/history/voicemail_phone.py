"""Voicemail by phone: my voicemail box when the phone system lists no message (``sip``).

Over SIP a phone system says how many messages wait (message-waiting indication, RFC 3842:
the status bar's count) but gives no list of them: they are listened to by calling the
voicemail. Alt+B opens this view instead of the list (``VoicemailScreen``) when the backend
has no ``voicemail`` but a ``voicemail_menu``. It shows the counts (new, heard) as the
phone system last said, says in a sentence that the messages cannot be listed here, and:

* L (``voicemail.listen``) calls the voicemail's number, the one Alt+V dials
  (``general.voicemail_number``, else the phone system's), through the softphone: the
  messages are heard on its audio device;
* while that call is up, P, Space, →, ← and Delete (``voicemail.menu_*``) send the menu's
  digits for play, pause/resume, next message, replay and delete (``[backend.sip]
  voicemail_keys``; Asterisk's and FreePBX's VoiceMailMain by default), and the line under
  the counts says which digits went last. Without the call up, a key says to press L first.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.widgets import Static

from tws_tui.console.bindings import bindings_for
from tws_tui.console.screens.base import ModeScreen, show_text
from tws_tui.core.model import Action, Call, ConnectionState, Direction
from tws_tui.core.topics import Topic, Topics
from tws_tui.domain.numbers import clean_number
from tws_tui.domain.voicemail_menu import MENU_WORDS, menu_digits
from tws_tui.platform.i18n import N_, _


class VoicemailPhoneScreen(ModeScreen):
    MODE = "voicemail"
    PARENT_MODE = "history"
    TITLE_MSGID = N_("Voicemail")
    TOPICS = frozenset({Topic.VOICEMAIL, Topic.CALLS})
    BINDINGS: ClassVar = bindings_for("voicemail_phone")

    def __init__(self) -> None:
        super().__init__()
        self._sent = ""  # what the last menu key sent, in words

    def compose_body(self) -> ComposeResult:
        yield Static(id="voicemail-counts", markup=False)
        yield Static(id="voicemail-by-phone", classes="empty-note", markup=False)
        yield Static(id="voicemail-menu", markup=False)

    def refresh_from_state(self, topics: Topics) -> None:
        if not self.is_mounted:
            return
        state = self.tws.state
        new, total = state.voicemail_new, state.voicemail_total
        counts = _("New: {new} · Heard: {old}").format(new=new, old=max(total - new, 0))
        show_text(self.query_one("#voicemail-counts", Static), counts)
        show_text(self.query_one("#voicemail-by-phone", Static), self._note())
        show_text(self.query_one("#voicemail-menu", Static), self._menu_text())

    def _note(self) -> str:
        number = self.tws.calls.voicemail_number
        if not number:
            return _("No voicemail number: set general.voicemail_number in config.toml.")
        return _(
            "This phone system does not list the voicemail messages one by one: {key} calls"
            " the voicemail ({number}) and the keys below drive its menu."
        ).format(key=self.tws.app_key_display("voicemail.listen"), number=number)

    def _menu_text(self) -> str:
        call = self.voicemail_call()
        if call is None:
            return _("Not connected to the voicemail.")
        ringing = call.remote_state is ConnectionState.ALERTING
        if call.state is not ConnectionState.CONNECTED or ringing:
            return _("Calling the voicemail…")
        text = _("Connected to the voicemail.")
        if self._sent:
            text += " " + self._sent
        return text

    # ---- the call to the voicemail --------------------------------------------------------

    def voicemail_call(self) -> Call | None:
        """My call to the voicemail's number, the latest if there are several."""
        number = clean_number(self.tws.calls.voicemail_number)
        if not number:
            return None
        found = [
            call
            for call in self.tws.state.calls.values()
            if call.direction is Direction.OUTBOUND
            and call.state is not ConnectionState.NULL
            and number in (clean_number(call.remote.number or ""), _called(call))
        ]
        return max(found, key=lambda c: c.created_at, default=None)

    def action_listen(self) -> None:
        """L: call the voicemail (what Alt+V does), unless that call is up already."""
        if self.voicemail_call() is not None:
            self.tws.notify(_("Already connected to the voicemail."), severity="warning")
            return
        self._sent = ""
        self.tws.calls.voicemail()

    def action_menu(self, what: str) -> None:
        """A menu key: its digits on the call to the voicemail."""
        backend = self.tws.backend
        menu = backend.voicemail_menu if backend is not None else None
        if menu is None or what not in MENU_WORDS:
            return
        call = self.voicemail_call()
        if call is None or Action.DTMF not in call.allowed:
            self.tws.notify(
                _("Not connected to the voicemail: {key} calls it.").format(
                    key=self.tws.app_key_display("voicemail.listen")
                ),
                severity="warning",
            )
            return
        digits = menu_digits(menu, what)
        call_id = call.call_id
        self.tws.run_command(lambda backend: backend.send_dtmf(call_id, digits))
        self._sent = _("Sent {digits} ({what}).").format(digits=digits, what=_(MENU_WORDS[what]))
        self.refresh_from_state(frozenset({Topic.CALLS}))

    def action_close(self) -> None:
        self.dismiss()


def _called(call: Call) -> str:
    return clean_number(call.called.number or "") if call.called is not None else ""
