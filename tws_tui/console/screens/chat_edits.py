"""The Chat screen's changes to messages (issue 15): edit my last message (↑ in the empty
input), take one back (Alt+Delete), answer one quoting it (Alt+Q), Esc to stop editing or
replying. A mixin of :class:`~tws_tui.console.screens.chat.ChatScreen`.

Each key is live only where the backend's chat offers it (``Chat.features``: ``EDIT``,
``DELETE``, ``REPLY``; none on ``sip``) and there is a message to act on; the line above the
input says what Enter will do. Changes come back as events with the same message id
(``ConsoleState`` replaces the old version), so the thread shows them marked "edited" or
"deleted", never as new messages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Input, Static

from tws_tui.core.model import ChatFeature, ChatMessage, UserId
from tws_tui.core.protocols import CallControl, Chat
from tws_tui.domain.text import quote_of, shown_literally
from tws_tui.platform.i18n import _, labelled

if TYPE_CHECKING:
    from tws_tui.console.screens.base import ModeScreen

    class _ChatScreen(ModeScreen):
        """What the mixin uses of ChatScreen."""

        peer: UserId | None

        def _messages(self) -> list[ChatMessage]: ...
        def _who(self, user: UserId) -> str: ...
else:
    _ChatScreen = object

#: The actions of this mixin, by the name ``check_action`` gets.
EDIT_ACTIONS = frozenset({"edit_last", "cancel_compose", "delete_last", "reply_last"})


class ChatEdits(_ChatScreen):
    """Edit, delete, reply: what Enter does next (``_editing``, ``_replying``)."""

    _editing: ChatMessage | None = None
    _replying: ChatMessage | None = None

    def _chat(self) -> Chat | None:
        backend = self.tws.backend
        return backend.chat if backend is not None else None

    def _offers(self, feature: ChatFeature) -> bool:
        chat = self._chat()
        return chat is not None and feature in chat.features

    def _mine_last(self) -> ChatMessage | None:
        """My newest message of the conversation that can still change (not a slip)."""
        me = self.tws.state.me
        for message in reversed(self._messages()):
            if message.notice is None and me is not None and message.sender == me.user_id:
                return None if message.deleted or message.slip is not None else message
        return None

    def _theirs_last(self) -> ChatMessage | None:
        me = self.tws.state.me
        for message in reversed(self._messages()):
            if message.notice is not None or message.deleted:
                continue
            if me is None or message.sender != me.user_id:
                return message
        return None

    def edits_allowed(self, action: str) -> bool:
        """Whether an action of this mixin is live now (``ChatScreen.check_action``)."""
        field = self.query_one("#chat-input", Input)
        if action == "edit_last":
            empty = field.has_focus and not field.value
            return empty and self._offers(ChatFeature.EDIT) and self._mine_last() is not None
        if action == "delete_last":
            return self._offers(ChatFeature.DELETE) and self._mine_last() is not None
        if action == "reply_last":
            return self._offers(ChatFeature.REPLY) and self._theirs_last() is not None
        return self._editing is not None or self._replying is not None  # cancel_compose

    # ---- the keys ---------------------------------------------------------------------------

    def action_edit_last(self) -> None:
        """↑ in the empty input (``chat.edit_last``): my last message back in it, to change."""
        message = self._mine_last()
        if message is None:
            return
        self._editing, self._replying = message, None
        field = self.query_one("#chat-input", Input)
        field.value = message.text
        field.cursor_position = len(message.text)
        self._show_compose_note()

    def action_reply_last(self) -> None:
        """Alt+Q (``chat.reply``): answer the newest message of the other side, quoting it."""
        message = self._theirs_last()
        if message is None:
            return
        self._replying, self._editing = message, None
        self.query_one("#chat-input", Input).focus()
        self._show_compose_note()

    def action_cancel_compose(self) -> None:
        """Esc (``chat.cancel``): stop editing (the input is emptied) or replying."""
        if self._editing is not None:
            self.query_one("#chat-input", Input).value = ""
        self._editing = self._replying = None
        self._show_compose_note()

    def _leave_conversation(self, peer: UserId) -> None:
        """Another conversation is chosen: an edit or a reply of this one stops."""
        if peer != self.peer and (self._editing is not None or self._replying is not None):
            self.action_cancel_compose()

    def action_delete_last(self) -> None:
        """Alt+Delete (``chat.delete``): take back the message being edited, else my last."""
        message = self._editing or self._mine_last()
        peer = self.peer
        if message is None or peer is None:
            return
        self.take_back(peer, message)

    def take_back(self, peer: UserId, message: ChatMessage) -> None:
        """Delete ``message`` of ``peer``'s conversation (Alt+Delete, or Delete on the selected
        one); an edit of it in the field is dropped."""
        message_id = message.id
        if self._editing is not None:
            if self._editing.id != message_id:  # editing another: that edit goes on
                self._delete_request(peer, message_id)
                return
            self.query_one("#chat-input", Input).value = ""
        self._editing = None
        self._show_compose_note()
        self._delete_request(peer, message_id)

    def _delete_request(self, peer: UserId, message_id: str) -> None:
        async def delete(backend: CallControl) -> None:
            if backend.chat is not None:
                await backend.chat.delete(peer, message_id)
                self.tws.notify(_("Message deleted."))

        self.tws.run_command(delete)

    # ---- Enter ------------------------------------------------------------------------------

    def submit_change(self, field: Input, text: str) -> bool:
        """Enter while editing or replying: send that (True), else leave it to a plain send."""
        editing, replying, peer = self._editing, self._replying, self.peer
        if peer is None or (editing is None and replying is None):
            return False

        async def change(backend: CallControl) -> None:
            chat = backend.chat
            if chat is None:
                return
            if editing is not None:
                await chat.edit(peer, editing.id, text)
            else:
                await self.tws.chat_outbox.send(backend, peer, text, replying)
            if field.value == text:  # kept if it failed (the error is shown)
                field.value = ""
            self._editing = self._replying = None
            self._show_compose_note()

        self.tws.run_command(change)
        return True

    def _show_compose_note(self) -> None:
        note = self.query_one("#chat-compose-note", Static)
        if self._editing is not None:
            note.update(_("Editing your message: Enter saves, Esc cancels."))
        elif self._replying is not None:
            who = self._who(self._replying.sender)
            quoted = shown_literally(quote_of(self._replying.text))
            note.update("↪ " + labelled(who, quoted) + " — " + _("Esc cancels."))
        note.display = self._editing is not None or self._replying is not None
