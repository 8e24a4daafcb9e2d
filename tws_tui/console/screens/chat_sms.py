"""The Chat screen's SMS (issue 15, TWS §3.14, TWP §2.7): an SMS conversation opened
(``open_sms``; Alt+Y anywhere is ``controllers.sms``), the segment counter above the input
while typing in one (GSM-7 160 / 153 a part, UCS-2 70 / 67: ``domain.sms.segments``), Enter
sending through the backend's ``SmsSender``, and the delivery state after each SMS of mine
(sent → delivered or failed). A mixin of :class:`~tws_tui.console.screens.chat.ChatScreen`.

An SMS conversation's peer is ``sms:`` and the number (``domain.sms``), listed beside the
chats with "SMS" before the number.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Input, Static

from tws_tui.core.model import ChatFeature, ChatMessage, SmsDelivery, UserId
from tws_tui.core.protocols import CallControl, Chat, SmsSender
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


def sms_sender(chat: Chat | None) -> SmsSender | None:
    """``chat`` as an SMS sender when it offers SMS (``ChatFeature.SMS``), else None."""
    if chat is None or ChatFeature.SMS not in chat.features:
        return None
    return chat if isinstance(chat, SmsSender) else None


class ChatSms(_ChatScreen):
    """New SMS conversation, the counter, sending an SMS."""

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
            sender = sms_sender(backend.chat)
            if sender is None:
                self.tws.notify(_("SMS is not available with this connection."))
                return
            await sender.send_sms(number, text)
            if field.value == text:  # kept if it failed (the error is shown)
                field.value = ""

        self.tws.run_command(send)
        return True
