"""``ChatNotices``: the visual notice of a message received (issue 15, TWS-6.6-8): a toast
naming the sender (and the group, or "SMS" and the number) with the first words of the message,
shown literally (``domain.chat_filters.first_words``: one line, cut, no terminal control).

A notice like the others (``ConsoleApi.notice``): held back while my presence is not one of
``[contacts] show_notices_when``. None for my own message (another console of mine), an edit, a
deletion, a group's notice, a message already told (the same id after a reconnection), nor while
the Chat screen shows that conversation in a focused terminal. The key of
``chat.open_notice`` (Alt+Shift+M, anywhere) opens the conversation of the last notice.
"""

from __future__ import annotations

from tws_tui.console.api import ConsoleApi
from tws_tui.console.screens.chat import ChatScreen
from tws_tui.console.screens.chat_sms import sms_label
from tws_tui.core.events import ChatEvent, Event
from tws_tui.core.model import ChatMessage, UserId
from tws_tui.domain.chat_filters import first_words
from tws_tui.domain.sms import is_sms_peer
from tws_tui.domain.text import shown_literally
from tws_tui.platform.i18n import _


class ChatNotices:
    def __init__(self, api: ConsoleApi) -> None:
        self.api = api
        self._told: set[str] = set()  # the ids of the messages noticed (or seen open)
        #: The conversation of the last notice shown (``chat.open_notice`` opens it).
        self.last_peer: UserId | None = None

    def _name(self, user: UserId) -> str:
        """A colleague's name, a group's, an SMS number; else the id as it came."""
        if is_sms_peer(user):
            return sms_label(user)
        state = self.api.state
        group = state.chat_groups.get(user)
        if group is not None:
            return group.name
        for device in state.devices.values():
            if user in (device.user_id, device.extension):
                return device.name
        return str(user)

    def _open_here(self, peer: UserId) -> bool:
        """Whether the conversation with ``peer`` is on screen in a focused terminal."""
        screen = self.api.screen
        return isinstance(screen, ChatScreen) and screen.peer == peer and self.api.is_focused()

    def observe(self, event: Event) -> None:
        """Told every event the pump applied: a message received may be noticed."""
        if not isinstance(event, ChatEvent):
            return
        message = event.message
        me = self.api.state.me
        if (
            message.edited
            or message.deleted
            or message.notice is not None
            or message.id in self._told
            or (me is not None and message.sender == me.user_id)
        ):
            return
        self._told.add(message.id)
        if self._open_here(message.peer):
            return
        self.last_peer = message.peer
        self.api.notice(self._text(message), title=self._title(message), markup=False)

    def _title(self, message: ChatMessage) -> str:
        sender = shown_literally(self._name(message.sender))
        if message.peer in self.api.state.chat_groups:
            group = shown_literally(self._name(message.peer))
            return _("Message from {name} in {group}").format(name=sender, group=group)
        if is_sms_peer(message.peer):
            return _("SMS from {number}").format(number=self._name(message.peer))
        return _("Message from {name}").format(name=sender)

    def _text(self, message: ChatMessage) -> str:
        words = first_words(message.text)
        if message.slip is not None:
            caller = first_words(message.slip.caller_name or message.slip.number)
            taken = "☎ " + _("A message taken: {caller} called").format(caller=caller)
            words = f"{taken} — {words}" if words else taken
        key = self.api.app_key_display("chat.open_notice")
        return words + "\n" + _("{key}: open the conversation").format(key=key)

    async def open_last(self) -> None:
        """``chat.open_notice``: the Chat screen, in the conversation of the last notice."""
        peer = self.last_peer
        if peer is None:
            self.api.notify(_("No message was noticed yet."))
            return
        await self.api.switch_mode("chat")
        screen = self.api.screen
        if isinstance(screen, ChatScreen):
            screen.open_conversation(peer)
