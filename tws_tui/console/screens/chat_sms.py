"""The Chat screen's SMS (issue 15, TWS §3.14, TWP §2.7): a new SMS conversation to a mobile
number (Alt+Y, ``chat.new_sms``), the segment counter above the input while typing in one
(GSM-7 160 / 153 a part, UCS-2 70 / 67: ``domain.sms.segments``), Enter sending through the
backend's ``SmsSender``, and the delivery state after each SMS of mine (sent → delivered or
failed). A mixin of :class:`~tws_tui.console.screens.chat.ChatScreen`.

An SMS conversation's peer is ``sms:`` and the number (``domain.sms``), listed beside the
chats with "SMS" before the number. Where the backend's chat has no ``ChatFeature.SMS`` (sip)
the key says so instead of opening anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Input, Static

from tws_tui.core.model import ChatFeature, ChatMessage, SmsDelivery, UserId
from tws_tui.core.protocols import CallControl, SmsSender
from tws_tui.domain.sms import is_sms_peer, segments, shown_sms_number, sms_number, sms_peer
from tws_tui.platform.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from tws_tui.console.screens.base import ModeScreen

    class _ChatScreen(ModeScreen):
        """What the mixin uses of ChatScreen."""

        peer: UserId | None

        def open_conversation(self, peer: UserId) -> None: ...
else:
    _ChatScreen = object

#: What the thread says after an SMS of mine, by its delivery state.
DELIVERY_WORDS = {
    SmsDelivery.SENT: N_("sent"),
    SmsDelivery.DELIVERED: N_("delivered"),
    SmsDelivery.FAILED: N_("not delivered"),
}


def sms_label(peer: str) -> str:
    """An SMS conversation's name in the list: "SMS" and the number as the country writes it."""
    return f"SMS {shown_sms_number(sms_number(peer))}"


def delivery_mark(message: ChatMessage) -> Text:
    """`` ✓ delivered`` after an SMS of mine (nothing for anything else)."""
    if message.delivery is None:
        return Text()
    words = _(DELIVERY_WORDS[message.delivery])
    if message.delivery is SmsDelivery.FAILED:
        return Text(f" ✗ {words}", style="bold red")
    mark = "✓✓" if message.delivery is SmsDelivery.DELIVERED else "✓"
    return Text(f" {mark} {words}", style="dim")


class ChatSms(_ChatScreen):
    """New SMS conversation, the counter, sending an SMS."""

    def _sms_sender(self) -> SmsSender | None:
        backend = self.tws.backend
        chat = backend.chat if backend is not None else None
        if chat is None or ChatFeature.SMS not in chat.features:
            return None
        return chat if isinstance(chat, SmsSender) else None

    def action_new_sms(self) -> None:
        """Alt+Y (``chat.new_sms``): ask the mobile number, open its SMS conversation."""
        from tws_tui.console.screens.modals.sms_number import SmsNumberScreen

        if self._sms_sender() is None:
            self.tws.notify(_("SMS is not available with this connection."), severity="warning")
            return

        def opened(number: str | None) -> None:
            if number:
                self.open_sms(number)

        self.app.push_screen(SmsNumberScreen(), opened)

    def open_sms(self, e164: str) -> None:
        """Open the SMS conversation with the mobile number ``e164``."""
        self.open_conversation(UserId(sms_peer(e164)))
        self.show_sms_counter(self.query_one("#chat-input", Input).value)

    def show_sms_counter(self, text: str) -> None:
        """The counter above the input in an SMS conversation (hidden elsewhere)."""
        counter = self.query_one("#chat-sms-counter", Static)
        counter.display = self.peer is not None and is_sms_peer(self.peer)
        if not counter.display:
            return
        cost = segments(text)
        parts = ngettext("{parts} SMS", "{parts} SMS", cost.parts).format(parts=cost.parts)
        counter.update(
            _("SMS {encoding}: {left} characters left in this part, {parts}").format(
                encoding=cost.encoding, left=cost.left, parts=parts
            )
        )

    def submit_sms(self, field: Input, text: str) -> bool:
        """Enter in an SMS conversation: send ``text`` as an SMS (True), else False."""
        peer = self.peer
        if peer is None or not is_sms_peer(peer):
            return False
        number = sms_number(peer)

        async def send(backend: CallControl) -> None:
            sender = self._sms_sender()
            if sender is None:
                self.tws.notify(_("SMS is not available with this connection."))
                return
            await sender.send_sms(number, text)
            if field.value == text:  # kept if it failed (the error is shown)
                field.value = ""

        self.tws.run_command(send)
        return True
