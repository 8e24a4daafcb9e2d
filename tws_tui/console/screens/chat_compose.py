"""The Chat screen's compose keys (issue 15, TWS §4.1.3, §4.3.3): a new line in the message
(``chat.new_line``: Ctrl+J everywhere, Shift+Enter and Alt+Enter where the terminal reports
them; Enter still sends), a message too long refused in words and kept in the field to
be trimmed (``domain.chat_compose.message_problem``), and Ctrl+N (``chat.new_conversation``):
part of a colleague's or a group's name, Enter opens the first match with the focus in the
compose field (``modals/chat_new.py``). A mixin of
:class:`~tws_tui.console.screens.chat.ChatScreen`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tws_tui.console.screens.modals.chat_new import NewConversationScreen
from tws_tui.console.widgets.compose_field import ComposeField
from tws_tui.core.model import ChatGroup, UserId
from tws_tui.domain.chat_compose import conversations_matching, message_problem

if TYPE_CHECKING:
    from tws_tui.console.screens.base import ModeScreen

    class _ChatScreen(ModeScreen):
        """What the mixin uses of ChatScreen."""

        peer: UserId | None

        @property
        def _groups(self) -> dict[UserId, ChatGroup]: ...

        def open_conversation(self, peer: UserId) -> None: ...
else:
    _ChatScreen = object


class ChatCompose(_ChatScreen):
    """New line, the length refused, a new conversation by name."""

    def action_new_line(self) -> None:
        """Ctrl+J, Alt+Enter, Shift+Enter (``chat.new_line``): a new line in the message."""
        field = self.query_one("#chat-input", ComposeField)
        field.focus()
        field.insert_new_line()

    def refuse_too_long(self, text: str) -> bool:
        """A message over the limit: said in words (True), the text left in the field."""
        problem = message_problem(text)
        if problem is None:
            return False
        self.tws.notify(problem, severity="warning", markup=False)
        return True

    def action_new_conversation(self) -> None:
        """Ctrl+N (``chat.new_conversation``): a conversation opened by part of a name."""
        state = self.tws.state
        me = state.me.user_id if state.me is not None else None
        groups = {group_id: group.name for group_id, group in self._groups.items()}

        def matching(typed: str) -> list[tuple[UserId, str]]:
            return conversations_matching(state.devices.values(), groups, typed, me=me)

        def chosen(peer: UserId | None) -> None:
            if peer is not None:
                self.open_conversation(peer)

        self.app.push_screen(NewConversationScreen(matching), chosen)
