"""The Chat screen's selected message (issue 15, TWS-4.3.6 and 4.3.7): the operator moves a
selection through the open conversation's messages and acts on the one selected, not only on
the last. A mixin of :class:`~tws_tui.console.screens.chat.ChatScreen`, and the thread widget
whose keys act on the selection (:class:`MessageThread`).

Alt+↑ (``chat.select_message``) or Shift+Tab puts the focus in the thread, the newest message
it shows selected (through the conversation's filter, ``chat_filters.py``: a hidden message is
never selected; in a thread of calls and voice messages the mark is drawn by
``contact_log_rows.timeline_text``); there ↑/↓ move the selection (↓ past the newest goes back
to the input), R replies quoting it, E edits it, Del deletes it, C copies its text, O opens its
first link (TWS-4.3.3-5) and Esc goes back to the input. Edit and delete take my own messages
only, and only where the backend's chat offers them; anything else is refused in words. The
selected message is marked by ``»`` before it and drawn in reverse, so it reads without colour.
Alt+↓ (``chat.next_unread``) opens the next conversation with unread messages, after the open
one and wrapping round.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual import events
from textual.widgets import Input

from tws_tui.console.bindings import bindings_for
from tws_tui.console.links import open_link
from tws_tui.console.screens.chat_rows import SELECTED_MARK
from tws_tui.console.widgets.thread_view import ThreadView
from tws_tui.core.model import ChatFeature, ChatMessage, UserId
from tws_tui.domain.chat_filters import ThreadFilter, filtered, logged_kinds
from tws_tui.domain.text import url_spans
from tws_tui.platform.i18n import _

if TYPE_CHECKING:
    from tws_tui.console.screens.base import ModeScreen

    class _ChatScreen(ModeScreen):
        """What the mixin uses of ChatScreen (and of its ChatEdits mixin)."""

        peer: UserId | None
        _editing: ChatMessage | None
        _replying: ChatMessage | None

        def _messages(self) -> list[ChatMessage]: ...
        def thread_filter(self) -> frozenset[ThreadFilter]: ...
        def _conversations(self) -> list[UserId]: ...
        def _lines(self, messages: list[ChatMessage]) -> Text | RenderableType: ...
        def _show_thread(self) -> None: ...
        def _show_compose_note(self) -> None: ...
        def _offers(self, feature: ChatFeature) -> bool: ...
        def open_conversation(self, peer: UserId) -> None: ...
        def take_back(self, peer: UserId, message: ChatMessage) -> None: ...
else:
    _ChatScreen = object


def selectable(message: ChatMessage) -> bool:
    """A message the keys can act on: someone's words, not a group's notice."""
    return message.notice is None


class MessageThread(ThreadView):
    """The thread, focusable: its keys (scope ``chat_thread``) act on the selected message
    through the screen (:class:`ChatSelect`)."""

    BINDINGS: ClassVar = bindings_for("chat_thread")

    def _chat(self) -> ChatSelect | None:
        screen = self.screen
        return screen if isinstance(screen, ChatSelect) else None

    def on_focus(self, event: events.Focus) -> None:
        chat = self._chat()
        if chat is not None:
            chat.thread_focused()

    def on_blur(self, event: events.Blur) -> None:
        """The focus gone elsewhere on the screen (not to a dialog above it): no selection."""
        chat = self._chat()
        if chat is not None and self.app.screen is chat and chat.focused is not self:
            chat.clear_selection()

    def action_move(self, step: int) -> None:
        """↑/↓ (``chat_thread.previous``/``next``): the selection one message up or down."""
        chat = self._chat()
        if chat is not None:
            chat.move_selection(step)

    def action_reply(self) -> None:
        """R (``chat_thread.reply``): answer the selected message, quoting it."""
        chat = self._chat()
        if chat is not None:
            chat.reply_selected()

    def action_edit(self) -> None:
        """E (``chat_thread.edit``): my selected message back in the input, to change."""
        chat = self._chat()
        if chat is not None:
            chat.edit_selected()

    def action_delete(self) -> None:
        """Del (``chat_thread.delete``): take my selected message back."""
        chat = self._chat()
        if chat is not None:
            chat.delete_selected()

    def action_copy(self) -> None:
        """C (``chat_thread.copy``): the selected message's text on the clipboard."""
        chat = self._chat()
        if chat is not None:
            chat.copy_selected()

    def action_open_link(self) -> None:
        """O (``chat_thread.open_link``): the selected message's first link, opened."""
        chat = self._chat()
        if chat is not None:
            chat.open_selected_link()

    def action_back(self) -> None:
        """Esc (``chat_thread.back``): no selection, the focus back in the input."""
        chat = self._chat()
        if chat is not None:
            chat.end_selection()


class ChatSelect(_ChatScreen):
    """The selected message (``selected_id``), its keys, and the next unread conversation."""

    selected_id: str | None = None
    #: The text and offset where the selected message's line starts (``mark_selected``).
    _selected_span: tuple[Text, int] | None = None

    # ---- the selection ----------------------------------------------------------------------

    def selectable_shown(self) -> list[ChatMessage]:
        """The messages the thread shows (through the conversation's filter, TWS-4.3.8) that
        the keys can act on, oldest first: a message hidden by the filter is never selected."""
        messages = [m for m in self._messages() if selectable(m)]
        chosen = self.thread_filter()
        if not chosen:
            return messages
        me = self.tws.state.me
        shown = filtered(messages, me.user_id if me is not None else None, chosen)
        if logged_kinds(chosen):  # the timeline of calls and voice messages leaves them out
            shown = [m for m in shown if not m.deleted]
        return shown

    def selected_message(self) -> ChatMessage | None:
        """The selected message, if the open conversation still shows it."""
        if self.selected_id is None:
            return None
        return next((m for m in self.selectable_shown() if m.id == self.selected_id), None)

    def action_select_messages(self) -> None:
        """Alt+↑ (``chat.select_message``): the focus in the thread, a message selected."""
        if self.peer is None:
            return
        if not self.selectable_shown():
            self.tws.notify(
                _("No message shown to select: the filter hides them ({key}: all).").format(
                    key=self.tws.app_key_display("chat.filter_clear")
                )
                if self.thread_filter()
                else _("No message to select in this conversation."),
                severity="warning",
            )
            return
        self.query_one("#chat-scroll", MessageThread).focus()
        self.thread_focused()

    def thread_focused(self) -> None:
        """The thread took the focus: the newest message selected, unless one is already."""
        if self.selected_message() is not None:
            return
        shown = self.selectable_shown()
        self.selected_id = shown[-1].id if shown else None
        self._show_selection()

    def move_selection(self, step: int) -> None:
        shown = self.selectable_shown()
        if not shown:
            self.end_selection()
            return
        ids = [m.id for m in shown]
        index = ids.index(self.selected_id) if self.selected_id in ids else len(ids) - 1
        index += step
        if index >= len(ids):  # past the newest: back to writing
            self.end_selection()
            return
        self.selected_id = ids[max(0, index)]
        self._show_selection()

    def end_selection(self) -> None:
        """No message selected; the focus in the input."""
        self.clear_selection()
        self.query_one("#chat-input", Input).focus()

    def clear_selection(self) -> None:
        if self.selected_id is not None:
            self.selected_id = None
            self._show_thread()

    def _show_selection(self) -> None:
        """The thread drawn with the selection (``ChatScreen._show_thread`` draws as many
        messages as it takes and scrolls it into view: ``scroll_to_selected``)."""
        self._show_thread()

    def scroll_to_selected(self, messages: list[ChatMessage]) -> None:
        """Scroll the thread just enough for the selected message to be in view."""
        ids = [m.id for m in messages]
        if self.selected_id not in ids:
            return
        index = ids.index(self.selected_id)
        thread = self.query_one("#chat-scroll", ThreadView)
        console = self.app.console
        options = console.options.update_width(thread.wrap_width())

        def height(part: list[ChatMessage]) -> int:
            return len(console.render_lines(self._lines(part), options, pad=False)) if part else 0

        earlier = 1 if len(ids) < len(self._messages()) else 0  # the "earlier messages" line
        top = earlier + height(messages[:index])
        bottom = earlier + height(messages[: index + 1])
        view = thread.size.height or 1
        y = thread.scroll_offset.y
        if top < y:
            thread.scroll_to(y=top, animate=False, immediate=True)
        elif bottom > y + view:
            thread.scroll_to(y=max(0, bottom - view), animate=False, immediate=True)

    # ---- its mark in the thread (``ChatScreen._lines``) ---------------------------------------

    def mark_selected(self, out: Text, message: ChatMessage) -> None:
        """Before a message's line: the mark when it is the selected one."""
        if message.id != self.selected_id:
            return
        self._selected_span = (out, len(out))
        out.append(SELECTED_MARK, style="bold")

    def end_selected(self, out: Text) -> None:
        """After a message's line: the selected one's line drawn in reverse."""
        span, self._selected_span = self._selected_span, None
        if span is not None and span[0] is out:
            out.stylize("reverse", span[1], len(out))

    # ---- what the keys do to it ---------------------------------------------------------------

    def _is_mine(self, message: ChatMessage) -> bool:
        me = self.tws.state.me
        return me is not None and message.sender == me.user_id

    def _mine_or_refuse(self, message: ChatMessage, feature: ChatFeature) -> bool:
        """Whether ``message`` can be edited or deleted (``feature``); else why not, said."""
        if not self._offers(feature):
            words = (
                _("Messages cannot be changed with this connection.")
                if feature is ChatFeature.EDIT
                else _("Messages cannot be deleted with this connection.")
            )
        elif not self._is_mine(message):
            words = (
                _("Only your own messages can be changed.")
                if feature is ChatFeature.EDIT
                else _("Only your own messages can be deleted.")
            )
        elif message.deleted:
            words = _("This message was deleted.")
        elif message.slip is not None:
            words = _("A message taken for a colleague cannot be changed.")
        else:
            return True
        self.tws.notify(words, severity="warning")
        return False

    def reply_selected(self) -> None:
        message = self.selected_message()
        if message is None:
            return
        if not self._offers(ChatFeature.REPLY):
            self.tws.notify(_("Replies cannot be quoted with this connection."))
            return
        if message.deleted:
            self.tws.notify(_("This message was deleted."), severity="warning")
            return
        self._replying, self._editing = message, None
        self.end_selection()
        self._show_compose_note()

    def edit_selected(self) -> None:
        message = self.selected_message()
        if message is None or not self._mine_or_refuse(message, ChatFeature.EDIT):
            return
        self._editing, self._replying = message, None
        field = self.query_one("#chat-input", Input)
        field.value = message.text
        field.cursor_position = len(message.text)
        self.end_selection()
        self._show_compose_note()

    def delete_selected(self) -> None:
        message = self.selected_message()
        peer = self.peer
        if message is None or peer is None:
            return
        if not self._mine_or_refuse(message, ChatFeature.DELETE):
            return
        self.take_back(peer, message)

    def copy_selected(self) -> None:
        message = self.selected_message()
        if message is None:
            return
        if message.deleted:
            self.tws.notify(_("This message was deleted."), severity="warning")
            return
        self.app.copy_to_clipboard(message.text)
        self.tws.notify(_("Message copied to the clipboard."))

    def open_selected_link(self) -> None:
        """The first link of the selected message copied and, on the desktop, opened in the
        browser (``console.links``); none in it: said."""
        message = self.selected_message()
        if message is None:
            return
        found = url_spans(message.text) if not message.deleted else []
        if not found:
            self.tws.notify(_("No link in this message."), severity="warning")
            return
        url = found[0][2]
        if open_link(self.app, url):
            self.tws.notify(_("Opening {url} (also copied).").format(url=url), markup=False)
        else:
            self.tws.notify(_("Link copied: {url}").format(url=url), markup=False)

    # ---- the next unread conversation ---------------------------------------------------------

    def action_next_unread(self) -> None:
        """Alt+↓ (``chat.next_unread``): the next conversation with unread messages."""
        unread = self.tws.state.chat_unread
        peers = self._conversations()
        start = peers.index(self.peer) + 1 if self.peer in peers else 0
        for peer in peers[start:] + peers[:start]:
            if unread.get(peer, 0) and peer != self.peer:
                self.open_conversation(peer)
                return
        self.tws.notify(_("No unread message."))
