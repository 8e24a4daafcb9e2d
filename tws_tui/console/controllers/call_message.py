"""``CallMessage``: "Message" from a call (issue 15, TWP-2.2.9.1-1) — one key anywhere
(Alt+Shift+W, keymap id ``call.message``) that writes to the person on the call.

Which call: the call the keys act on (``CallController.selected_call``: the one selected on the
Calls screen, else the one I am talking on, else a held one), never a call that only rings while
I talk, nor what a pop-up has selected. A colleague (the line matches one of the company's,
``SlipController.colleague_of``) gets a chat: the Chat screen opens in our conversation, the
focus in the input. An outside caller cannot be written to in chat (TWP-2.6-1: internal
contacts only), so a small chooser offers what can reach them or the colleague they wanted: an
SMS to their number when it is a mobile one and the backend's chat offers SMS (the SMS
conversation, as Alt+Y opens it), and the slip (take a message, as Alt+T does, prefilled from
that call).
"""

from __future__ import annotations

from tws_tui.console.api import ConsoleApi
from tws_tui.console.controllers.call_actions import CallController
from tws_tui.console.controllers.slips import SlipController
from tws_tui.console.controllers.sms import SmsController
from tws_tui.console.screens.chat import ChatScreen
from tws_tui.console.screens.chat_sms import sms_sender
from tws_tui.console.screens.modals.choice import ChoiceScreen
from tws_tui.core.errors import InvalidDestination
from tws_tui.core.model import Call, Capability
from tws_tui.domain.slips import slip_peer
from tws_tui.domain.sms import mobile_number, shown_sms_number
from tws_tui.platform.i18n import _

SMS, SLIP = "sms", "slip"


class CallMessage:
    """The "Message" key of a call: chat with a colleague, else SMS or a slip."""

    def __init__(
        self, api: ConsoleApi, calls: CallController, slips: SlipController, sms: SmsController
    ) -> None:
        self.api = api
        self.calls = calls
        self.slips = slips
        self.sms = sms

    async def start(self) -> None:
        call = self.calls.selected_call()
        if call is None:
            self.api.notify(_("No call: nobody to write to."), severity="warning")
            return
        colleague = self.slips.colleague_of(call.remote)
        peer = slip_peer(colleague) if colleague is not None else None
        if peer is not None:
            if not self.api.can(Capability.CHAT):
                self.api.notify(
                    _("Chat is not available with this connection."), severity="warning"
                )
                return
            await self.api.switch_mode("chat")
            screen = self.api.screen
            if isinstance(screen, ChatScreen):
                screen.open_conversation(peer)
            return
        self._offer(call)

    def _mobile(self, call: Call) -> str | None:
        """The caller's number in E.164 when it is a mobile one and SMS can be sent."""
        backend = self.api.backend
        number = call.remote.number
        if not number or sms_sender(backend.chat if backend is not None else None) is None:
            return None
        try:
            return mobile_number(number)
        except InvalidDestination:
            return None

    def _offer(self, call: Call) -> None:
        """An outside caller: the chooser of an SMS to them and a slip for a colleague."""
        mobile = self._mobile(call)
        options: list[tuple[str, str]] = []
        if mobile is not None:
            number = shown_sms_number(mobile)
            options.append((SMS, _("SMS to the caller ({number})").format(number=number)))
        if self.api.can(Capability.CHAT):
            options.append((SLIP, _("Take a message for a colleague")))
        if not options:
            self.api.notify(
                _("An outside caller cannot be written to here: no chat nor SMS."),
                severity="warning",
            )
            return

        async def chosen(picked: str | None) -> None:
            if picked == SMS and mobile is not None:
                await self.sms.open(mobile)
            elif picked == SLIP:
                self.slips.take_message(call)

        self.api.push_screen(ChoiceScreen(_("Write about this call"), options), chosen)
