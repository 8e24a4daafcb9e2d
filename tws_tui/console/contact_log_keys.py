"""The key of a contact's event log (issue 15, TWP-4.1.2-1): Alt+Shift+E (``contact.log``)
anywhere opens ``screens/contact_log.py`` on whom the screen shows — the directory match chosen
in the dial field (a search during a call, TWP-2.2.9.2-2), the open conversation (an SMS one:
that number's, with its SMS, TWS-3.14.1-2) on the Chat screen, the selected contact (Contacts,
anywhere a contact is selected), else the call the keys act on (the one I talk on), else the
colleague of the last message noticed (the notice's conversation, as Alt+Shift+M opens it) —
and says so when there is no one.

A mixin of ``TwsApp`` (through :class:`~tws_tui.console.shell_keys.ShellKeyActions`), like the
other console-wide keys, so the app module does not grow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from tws_tui.console.api import ContactContext
from tws_tui.console.screens.contact_log_sources import (
    ContactLog,
    LogSubject,
    subject_of_contact,
    subject_of_device,
    subject_of_party,
)
from tws_tui.core.model import Party, UserId
from tws_tui.domain.sms import is_sms_peer, shown_sms_number, sms_number
from tws_tui.platform.i18n import _

if TYPE_CHECKING:
    from tws_tui.console.api import ConsoleApi
    from tws_tui.console.controllers.call_actions import CallController
    from tws_tui.console.controllers.event_pump import EventPump
    from tws_tui.console.controllers.slips import SlipController


class ContactLogKeyActions:
    """Alt+Shift+E: the event log of whom the screen shows (or the dial field found)."""

    calls: CallController
    slips: SlipController
    pump: EventPump

    def _log_subject(self, api: ConsoleApi) -> LogSubject | None:
        from tws_tui.console.screens.chat import ChatScreen

        bar = self.calls.dial_bar()
        found = bar.chosen_contact() if bar is not None else None
        if found is not None:  # a name searched in the dial field: that search result's log
            return subject_of_contact(api, found)
        screen = api.screen
        if isinstance(screen, ChatScreen) and screen.peer is not None:
            if is_sms_peer(screen.peer):  # an SMS conversation: the log of that number
                number = sms_number(screen.peer)
                return subject_of_party(Party(number, shown_sms_number(number)), None)
            return self._colleague(api, screen.peer)
        if isinstance(screen, ContactContext):
            contact = screen.selected_contact()
            if contact is not None:
                return subject_of_contact(api, contact)
        call = self.calls.selected_call()
        if call is not None:
            return subject_of_party(call.remote, self.slips.colleague_of(call.remote))
        noticed = self.pump.chat_notices.last_peer
        return self._colleague(api, noticed) if noticed is not None else None

    @staticmethod
    def _colleague(api: ConsoleApi, peer: UserId) -> LogSubject | None:
        """The log of the colleague of a 1:1 conversation (None: a group, an SMS)."""
        for device in api.state.devices.values():
            if peer in (device.user_id, device.extension):
                return subject_of_device(device)
        return None

    def action_open_contact_log(self) -> None:
        from tws_tui.console.screens.contact_log import ContactLogScreen

        api = cast("ConsoleApi", self)
        subject = self._log_subject(api)
        if subject is None:
            api.notify(
                _("Select a contact, a conversation or a call to see its event log."),
                severity="warning",
            )
            return
        api.push_screen(ContactLogScreen(ContactLog(api, subject)))
