"""``SmsController``: a new SMS (issue 15, TWS §3.14.1, TWP §2.7) from one key anywhere
(Alt+Y, keymap id ``sms.new``).

Which number: what is typed in the dial bar, else the selected contact's first mobile number
(Contacts), else the number asked in a small dialog
(:class:`~tws_tui.console.screens.modals.sms_number.SmsNumberScreen`). A number that is not a
mobile one, or a contact without one, is refused in words (``domain.sms.mobile_number``);
a mobile one opens its SMS conversation on the Chat screen with the focus in the input.
Where the backend's chat has no ``ChatFeature.SMS`` (sip) the key says so.
"""

from __future__ import annotations

from tws_tui.console.api import ConsoleApi, ContactContext, DialContext
from tws_tui.console.screens.chat import ChatScreen
from tws_tui.console.screens.chat_sms import sms_sender
from tws_tui.console.screens.modals.sms_number import SmsNumberScreen
from tws_tui.core.errors import InvalidDestination
from tws_tui.domain.sms import mobile_number
from tws_tui.platform.i18n import _


class SmsController:
    """Alt+Y: the SMS conversation with the number typed, the contact's mobile, or asked."""

    def __init__(self, api: ConsoleApi) -> None:
        self.api = api

    async def start(self) -> None:
        backend = self.api.backend
        if sms_sender(backend.chat if backend is not None else None) is None:
            self.api.notify(_("SMS is not available with this connection."), severity="warning")
            return
        screen = self.api.screen
        dial = screen.dial if isinstance(screen, DialContext) else None
        typed = dial.text.strip() if dial is not None else ""
        if dial is not None and typed:
            try:
                e164 = mobile_number(typed)
            except InvalidDestination as error:
                self.api.notify(error.translated(_), severity="warning")
                return
            dial.clear()
            await self.open(e164)
            return
        contact = screen.selected_contact() if isinstance(screen, ContactContext) else None
        if contact is not None:
            mobiles = [m for _label, n in contact.numbers if (m := _mobile_or_none(n))]
            if not mobiles:
                self.api.notify(
                    _("{name} has no mobile number to send an SMS to.").format(name=contact.name),
                    severity="warning",
                )
                return
            await self.open(mobiles[0])
            return

        async def asked(number: str | None) -> None:
            if number:
                await self.open(number)

        self.api.push_screen(SmsNumberScreen(), asked)

    async def open(self, e164: str) -> None:
        """The Chat screen, in the SMS conversation with ``e164``."""
        await self.api.switch_mode("chat")
        chat = self.api.screen
        if isinstance(chat, ChatScreen):
            chat.open_sms(e164)


def _mobile_or_none(number: str) -> str | None:
    try:
        return mobile_number(number)
    except InvalidDestination:
        return None
