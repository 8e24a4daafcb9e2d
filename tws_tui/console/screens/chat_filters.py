"""The open conversation's filters on the Chat screen (issue 15, TWS-4.3.8): Ctrl+L
(``chat.filter``) ticks what to show — my messages, theirs, those with a file, the messages
taken (``domain.chat_filters``: they combine) —, Alt+Shift+A (``chat.filter_clear``, in the
key bar while a filter is on) shows every message again. The filter is kept per conversation
and said on a line above the thread, with how many messages it shows. A mixin of
:class:`~tws_tui.console.screens.chat.ChatScreen`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Static

from tws_tui.console.screens.modals.choice import TickScreen
from tws_tui.core.model import ChatMessage, UserId
from tws_tui.domain.chat_filters import FILTER_WORDS, ThreadFilter, filtered
from tws_tui.platform.i18n import _, labelled

if TYPE_CHECKING:
    from tws_tui.console.screens.base import ModeScreen

    class _ChatScreen(ModeScreen):
        """What the mixin uses of ChatScreen."""

        peer: UserId | None
        _thread_drawn: object

        def _show_thread(self) -> None: ...
else:
    _ChatScreen = object

#: The actions of this mixin, by the name ``check_action`` gets.
FILTER_ACTIONS = frozenset({"filter_thread", "clear_filter"})


class ChatThreadFilter(_ChatScreen):
    """Each conversation's filter (none: the whole conversation)."""

    _thread_filters: dict[UserId, frozenset[ThreadFilter]] | None = None

    def thread_filter(self) -> frozenset[ThreadFilter]:
        """The open conversation's filter (empty: none)."""
        if self._thread_filters is None or self.peer is None:
            return frozenset()
        return self._thread_filters.get(self.peer, frozenset())

    def filters_allowed(self, action: str) -> bool:
        """Whether an action of this mixin is live now (``ChatScreen.check_action``)."""
        if action == "clear_filter":
            return bool(self.thread_filter())
        return self.peer is not None

    def action_filter_thread(self) -> None:
        """Ctrl+L: what the open conversation shows, ticked in a small dialog."""
        peer = self.peer
        if peer is None:
            return
        options = [(f.value, _(words)) for f, words in FILTER_WORDS.items()]
        ticked = {f.value for f in self.thread_filter()}

        def chosen(picked: set[str] | None) -> None:
            if picked is not None:
                self.set_thread_filter(peer, frozenset(ThreadFilter(p) for p in picked))

        self.app.push_screen(TickScreen(_("Show only"), options, ticked), chosen)

    def action_clear_filter(self) -> None:
        """Alt+Shift+A: every message of the open conversation again."""
        if self.peer is not None:
            self.set_thread_filter(self.peer, frozenset())

    def set_thread_filter(self, peer: UserId, chosen: frozenset[ThreadFilter]) -> None:
        """Show the conversation with ``peer`` through ``chosen`` (empty: every message)."""
        if self._thread_filters is None:
            self._thread_filters = {}
        self._thread_filters[peer] = chosen
        self._thread_drawn = None
        self._show_thread()
        self.refresh_bindings()  # Alt+Shift+A in the key bar while a filter is on

    def filtered_messages(self, messages: list[ChatMessage]) -> list[ChatMessage]:
        """``messages`` as the open conversation's filter shows them; the line above the
        thread says the filter (hidden when there is none)."""
        chosen = self.thread_filter()
        bar = self.query_one("#chat-filter-bar", Static)
        bar.display = bool(chosen)
        if not chosen:
            return messages
        me = self.tws.state.me
        shown = filtered(messages, me.user_id if me is not None else None, chosen)
        words = ", ".join(_(FILTER_WORDS[f]) for f in ThreadFilter if f in chosen)
        key = self.tws.app_key_display("chat.filter_clear")
        bar.update(
            labelled(_("Showing only"), words)
            + "  "
            + _("({shown} of {total} messages; {key}: all)").format(
                shown=len(shown), total=len(messages), key=key
            )
        )
        return shown

    def empty_thread_note(self) -> str:
        """What the thread says when it shows no message."""
        if self.thread_filter():
            return _("No message matches the filter.")
        return _("No message yet.")
