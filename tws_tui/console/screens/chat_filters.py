"""The open conversation's filters on the Chat screen (issue 15, TWS-4.3.8): Ctrl+L
(``chat.filter``) ticks what to show — my messages, theirs, those with a file, the messages
taken (``domain.chat_filters``: they combine) —, Alt+Shift+A (``chat.filter_clear``, in the
key bar while a filter is on) shows every message again. The filter is kept per conversation
and said on a line above the thread, with how many messages it shows. In a 1:1 conversation
with a colleague the filters by type come too (TWS-4.3.8: calls, written messages, voice
messages, combined): with calls or voice messages ticked, the thread is the colleague's event
log as far as those go — the calls with them and the voice messages they left
(``contact_log_sources.ContactLog``, read when the filter is set), among the messages the other
filters keep, newest last, by day (``contact_log_rows``); the whole discussion, the default,
stays the messages. A mixin of :class:`~tws_tui.console.screens.chat.ChatScreen`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Static

from tws_tui.console.screens.contact_log_rows import timeline_text
from tws_tui.console.screens.contact_log_sources import ContactLog, LogSubject, subject_of_device
from tws_tui.console.screens.modals.choice import TickScreen
from tws_tui.console.widgets.thread_view import ThreadView
from tws_tui.core.model import ChatGroup, ChatMessage, UserId
from tws_tui.domain.chat_days import local_day
from tws_tui.domain.chat_filters import FILTER_WORDS, TYPES, ThreadFilter, filtered, logged_kinds
from tws_tui.domain.contact_log import EntryKind, LogEntry, timeline
from tws_tui.platform.i18n import _, labelled

if TYPE_CHECKING:
    from tws_tui.console.screens.base import ModeScreen

    class _ChatScreen(ModeScreen):
        """What the mixin uses of ChatScreen."""

        peer: UserId | None
        selected_id: str | None
        _thread_drawn: object

        @property
        def _groups(self) -> dict[UserId, ChatGroup]: ...
        def _show_thread(self) -> None: ...
        def _messages(self) -> list[ChatMessage]: ...
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
        typed = self._log_subject() is not None  # calls and voice messages: 1:1 only
        options = [
            (f.value, _(words)) for f, words in FILTER_WORDS.items() if typed or f not in TYPES
        ]
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
        if logged_kinds(chosen):
            self._load_log(peer)  # read again each time: calls come and go
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

    # ---- the filters by type: calls and voice messages among the messages (TWS-4.3.8) ----

    _log_items: dict[UserId, list[LogEntry]] | None = None

    def _log_subject(self) -> LogSubject | None:
        """The colleague of the open 1:1 conversation (None: a group, an SMS, no one)."""
        peer = self.peer
        if peer is None or peer in self._groups:
            return None
        for device in self.tws.state.devices.values():
            if peer in (device.user_id, device.extension):
                return subject_of_device(device)
        return None

    def _load_log(self, peer: UserId) -> None:
        """The calls with the colleague and their voice messages, read in a worker."""
        subject = self._log_subject()
        if subject is None:
            return
        log = ContactLog(self.tws, subject)

        async def load() -> None:
            entries = await log.calls_and_voice_messages()
            if self._log_items is None:
                self._log_items = {}
            self._log_items[peer] = entries
            if self.peer == peer:
                self._thread_drawn = None
                self._show_thread()

        self.run_worker(load(), group="chat-log-items", exclusive=True)

    def typed_thread(self, thread: ThreadView) -> bool:
        """With calls or voice messages ticked, draw the thread as their timeline among the
        messages kept, and say so above it; False (nothing drawn) otherwise."""
        chosen = self.thread_filter()
        kinds = logged_kinds(chosen)
        peer = self.peer
        if not kinds or peer is None:
            return False
        messages = self.filtered_messages(self._messages())  # the filter line shown
        me = self.tws.state.me
        entries = [
            LogEntry(
                EntryKind.MESSAGE,
                m.id,
                m.at,
                m.text,
                mine=me is not None and m.sender == me.user_id,
            )
            for m in messages
            if not m.deleted
        ]
        entries += [e for e in (self._log_items or {}).get(peer, ()) if e.kind in kinds]
        lines = timeline(entries)
        words = ", ".join(_(FILTER_WORDS[f]) for f in ThreadFilter if f in chosen)
        key = self.tws.app_key_display("chat.filter_clear")
        self.query_one("#chat-filter-bar", Static).update(
            labelled(_("Showing only"), words)
            + "  "
            + _("({count} entries; {key}: all)").format(count=len(entries), key=key)
        )
        self._thread_drawn = None
        if not lines:
            thread.update(_("Nothing matches the filter."))
            return True
        today = local_day(self.tws.clock.now())
        name = self._log_subject()
        text, start = timeline_text(
            lines,
            name.name if name is not None else "",
            today,
            clock_24h=self.tws.prefs.ui.clock_24h,
            selected=self.selected_id,
        )
        thread.update(text)
        if start is None:
            thread.scroll_end(animate=False)
        else:  # the selected message in view: the lines above it, as the thread wraps them
            options = self.app.console.options.update_width(thread.wrap_width())
            above = len(self.app.console.render_lines(text[:start], options, pad=False))
            view = thread.size.height or 1
            thread.scroll_to(y=max(0, above - view // 2), animate=False, immediate=True)
        return True
