"""Chat mode: 1:1 conversations with colleagues, when the backend offers chat.

Owns the conversation list (colleagues, unread counts, newest first), the selected
conversation's messages (sender, time, text; the day where it changes) and the input line:
Enter sends; a message that fails stays in the input with the reason shown; text over
``MAX_CHARS`` (a paste) stays whole and is refused when sent, in words (``chat_compose``).
Opening a conversation loads what the backend keeps of it (``Chat.conversation``: on ``cti``
the server's store, so earlier sessions too). Received text is shown literally
(``domain.text.shown_literally``; no Rich markup, no terminal control).
"""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tws_tui.console.api import DialTarget
from tws_tui.console.bindings import bindings_for
from tws_tui.console.screens.base import ModeScreen
from tws_tui.console.screens.chat_compose import ChatCompose
from tws_tui.console.screens.chat_edits import EDIT_ACTIONS, ChatEdits
from tws_tui.console.screens.chat_files import FILE_ACTIONS, ChatFiles, attachment_mark
from tws_tui.console.screens.chat_filters import FILTER_ACTIONS, ChatThreadFilter
from tws_tui.console.screens.chat_group_keys import GROUP_ACTIONS, ChatGroupKeys, notice_line
from tws_tui.console.screens.chat_names import ChatNames, NamesField
from tws_tui.console.screens.chat_open import ChatOpenFile
from tws_tui.console.screens.chat_pending import ChatPending
from tws_tui.console.screens.chat_reads import ChatReadState
from tws_tui.console.screens.chat_rows import (
    day_separator,
    last_message_text,
    message_text,
    peer_presence,
    peer_row,
)
from tws_tui.console.screens.chat_search_keys import ChatFind
from tws_tui.console.screens.chat_select import ChatSelect, MessageThread
from tws_tui.console.screens.chat_sms import ChatSms, delivery_mark, sms_label
from tws_tui.console.screens.chat_staging import ChatStaging
from tws_tui.console.screens.chat_wide import ChatWide
from tws_tui.console.widgets.compose_field import ComposeField
from tws_tui.console.widgets.thread_view import ThreadView
from tws_tui.core.errors import CallControlError
from tws_tui.core.events import LinkStatus
from tws_tui.core.model import ChatFeature, ChatGroup, ChatMessage, UserId
from tws_tui.core.protocols import CallControl, Chat
from tws_tui.core.topics import ALL_TOPICS, Topic, Topics
from tws_tui.domain.chat_compose import MESSAGE_MAX_CHARS
from tws_tui.domain.chat_days import local_day
from tws_tui.domain.format import clock_time
from tws_tui.domain.numbers import numbers_in
from tws_tui.domain.slips import call_back_number, slip_lines
from tws_tui.domain.sms import is_sms_peer
from tws_tui.domain.text import shown_literally
from tws_tui.platform.i18n import N_, _, labelled, language

#: Longest message sent (the CTI server's limit is 4000); a longer text stays in the field.
MAX_CHARS = MESSAGE_MAX_CHARS
#: Messages of a conversation kept at hand (the thread can scroll back through them)…
SHOWN = 200
#: … of which the thread draws the newest first (a screenful or two: a 10 000-message
#: conversation opens in one frame), then WINDOW_STEP more each time it is scrolled to the top.
FIRST_SHOWN = 40
WINDOW_STEP = 80
#: How far a slip's lines are indented under its heading, and the bar before each.
SLIP_INDENT = 4
SLIP_BAR = "  │"


class PeerList(OptionList):
    """The conversations. Moving the highlight shows the conversation in the same refresh:
    OptionList tells it by a message, handled after a frame with the list alone was drawn
    (``bench/chat.py``: two frames per open)."""

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        screen = self.screen
        if highlighted is not None and isinstance(screen, ChatScreen):
            screen.peer_highlighted(self.options[highlighted].id)


class ChatScreen(
    ChatThreadFilter,
    ChatNames,
    ChatSelect,
    ChatOpenFile,
    ChatCompose,
    ChatFiles,
    ChatStaging,
    ChatSms,
    ChatEdits,
    ChatGroupKeys,
    ChatFind,
    ChatReadState,
    ChatPending,
    ChatWide,
    ModeScreen,
):
    MODE = "chat"
    TITLE_MSGID = N_("Chat")
    TOPICS = frozenset({Topic.CHAT, Topic.DEVICES, Topic.ME, Topic.LINK})
    BINDINGS: ClassVar = bindings_for("chat")

    peer: UserId | None = None

    def __init__(self) -> None:
        super().__init__()
        #: What the backend keeps of each conversation opened (earlier sessions: the CTI
        #: server's store), shown with the messages received since.
        self._earlier: dict[UserId, list[ChatMessage]] = {}
        #: Whether the backend was asked for my groups (``ChatFeature.GROUPS``) yet.
        self._groups_asked = False
        #: Every group listed this session: one of them gone closes its conversation.
        self._groups_seen: set[UserId] = set()
        self.init_read_state()
        #: Whether the link was up at the last refresh (back up: conversations asked again).
        self._was_online = True
        #: How many of its newest messages each conversation's thread draws.
        self._window: dict[UserId, int] = {}
        #: The conversation list as last drawn (id, label), and the thread's signature.
        self._peers_drawn: list[tuple[str | None, str]] = []
        self._thread_drawn: object = None
        #: The open conversation's messages as last worked out (``_messages``).
        self._memo: tuple[UserId, list[ChatMessage]] | None = None

    @property
    def _groups(self) -> dict[UserId, ChatGroup]:
        """The discussion groups I am in, by id (the state keeps them up to date)."""
        return self.tws.state.chat_groups

    def compose_body(self) -> ComposeResult:
        yield Static(id="chat-body", classes="empty-note", markup=False)
        with Horizontal(id="chat-panes"):
            with Vertical(id="chat-side"):
                yield NamesField()
                yield PeerList(id="chat-peers")
                yield Static(id="chat-groups-note", markup=False)
            with Vertical(id="chat-conversation"):
                yield Static(id="chat-wide-title", markup=False)  # the list hidden (chat_wide)
                yield Static(id="chat-members", markup=False)
                yield Static(id="chat-filter-bar", markup=False)
                yield MessageThread(id="chat-scroll")
                yield Static(id="chat-compose-note", markup=False)
                yield Static(id="chat-sms-counter", markup=False)
                yield Static(id="chat-staged", markup=False)  # files to send (chat_staging)
                # A letter repaints the field alone (an Input lays out the screen at each).
                yield ComposeField(id="chat-input", select_on_focus=False)

    # ---- who is who -----------------------------------------------------------------------

    def _who(self, user: UserId) -> str:
        if is_sms_peer(user):
            return sms_label(user)
        group = self._groups.get(user)
        if group is not None:
            return group.name
        me = self.tws.state.me
        if me is not None and user == me.user_id:
            return _("Me")
        for device in self.tws.state.devices.values():
            if user in (device.user_id, device.extension):
                return device.name
        return str(user)

    def _conversations(self) -> list[UserId]:
        """Peers, the latest message first; the selected peer even before its first message."""
        latest: dict[UserId, int] = {}
        for index, message in enumerate(self.tws.state.chat):
            latest[message.peer] = index
        peers = sorted(latest, key=lambda p: latest[p], reverse=True)
        if self.peer is not None and self.peer not in latest and self.peer not in self._groups:
            peers.insert(0, self.peer)  # a quiet group stays where it is listed
        return peers + [g for g in self._groups if g not in peers]  # quiet groups last

    def _load_groups(self, chat: Chat) -> None:
        """Once: the groups I am in, when the backend's chat has groups (in a worker)."""
        if self._groups_asked or ChatFeature.GROUPS not in chat.features:
            return
        self._groups_asked = True

        async def load() -> None:
            try:
                groups = await chat.groups()
            except CallControlError:
                self._groups_asked = False  # asked again at the next refresh
                return
            self.tws.topics_changed(self.tws.state.remember_groups(groups))

        self.tws.run_background(load, group="chat-groups")

    # ---- opening a conversation -------------------------------------------------------------

    def open_conversation(self, peer: UserId) -> None:
        """Select the conversation with ``peer`` and put the focus in the input."""
        self._leave_conversation(peer)
        self.peer = peer
        self.refresh_from_state(ALL_TOPICS)
        self.query_one("#chat-input", Input).focus()

    def _load_earlier(self, peer: UserId) -> None:
        """Once per conversation: what the backend keeps of it, in a worker."""
        backend = self.tws.backend
        chat = backend.chat if backend is not None else None
        if chat is None or peer in self._earlier:
            return
        self._earlier[peer] = []

        async def load() -> None:
            try:
                self._earlier[peer] = await chat.conversation(peer, limit=SHOWN)
                self._memo = None
            except CallControlError:
                del self._earlier[peer]  # tried again when the conversation is next shown
                return
            if peer == self.peer:
                self._show_thread()

        self.tws.run_background(load, group=f"chat-{peer}")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.peer_highlighted(event.option.id)

    def peer_highlighted(self, option_id: str | None) -> None:
        """The conversation under the list's highlight is shown (once: :class:`PeerList` calls
        this as the highlight moves, its OptionHighlighted message comes a refresh later)."""
        if option_id is not None and option_id != self.peer:
            self.found_id = None
            self._leave_conversation(UserId(option_id))
            self.peer = UserId(option_id)
            self._memo = None
            # The thread only: the list is as it was (its unread count follows the read).
            self._load_earlier(self.peer)
            self._show_thread()
            if self.is_current:
                self.read_conversation(self.peer)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.open_conversation(UserId(event.option.id))

    # ---- the input ------------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """In a conversation, text typed outside a field goes to the message, not the dial
        bar (F2 still dials); the other screens' type-to-dial runs otherwise."""
        if (
            self.peer is None
            or not event.is_printable
            or event.character is None
            or isinstance(self.focused, Input)
            or self.key_is_bound(event.key)
        ):
            return
        field = self.query_one("#chat-input", Input)
        field.focus()
        field.insert_text_at_cursor(event.character)
        event.stop()
        event.prevent_default()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "chat-input":
            self.show_sms_counter(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "chat-input":
            return
        event.stop()
        text = event.value
        peer = self.peer
        if self.submit_staged(event.input, text):  # the text and the files staged, as one
            return
        if not text.strip():
            return
        if peer is None:
            self.tws.notify(_("Choose a colleague to write to first."), severity="warning")
            return
        if self.refuse_too_long(text):
            return
        field = event.input
        self.found_id = None  # the thread follows the conversation again
        if self.submit_sms(field, text) or self.submit_change(field, text):
            return

        async def send(backend: CallControl) -> None:
            chat = backend.chat
            if chat is None:
                self.tws.notify(_("Chat is not available with this connection."))
                return
            await self.tws.chat_outbox.send(backend, peer, text)  # or kept to go later
            if field.value == text:  # kept if it failed (the error is shown) or was changed
                field.value = ""

        self.tws.run_command(send)

    # ---- calling back a message taken for me -------------------------------------------------

    def _messages(self) -> list[ChatMessage]:
        """The open conversation's messages shown, oldest first (worked out once per
        refresh: the keys' checks ask for them many times a frame)."""
        if self.peer is None:
            return []
        if self._memo is not None and self._memo[0] == self.peer:
            return self._memo[1]
        by_id = {m.id: m for m in self._earlier.get(self.peer, ())}
        by_id.update((m.id, m) for m in self.tws.state.chat if m.peer == self.peer)
        messages = sorted(by_id.values(), key=lambda m: m.at)[-SHOWN:]
        self._memo = (self.peer, messages)
        return messages

    def selected_target(self) -> DialTarget | None:
        """``TargetContext``: the first phone number in the message selected (TWS-4.3.3-4),
        else the caller of the newest slip taken for me in the conversation open (F3 and
        Ctrl+R call them back), else nothing."""
        selected = self.selected_message()
        found = numbers_in(selected.text) if selected and not selected.deleted else []
        if found:
            return DialTarget(found[0], found[0])
        me = self.tws.state.me
        for message in reversed(self._messages()):
            slip = message.slip
            if slip is None or (me is not None and message.sender == me.user_id):
                continue
            number = call_back_number(slip)
            if number:
                return DialTarget(number, slip.caller_name or number)
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Ctrl+R is live (and in the key bar) only where there is a slip to call back."""
        if action == "call_back":
            return self.selected_target() is not None
        if action in EDIT_ACTIONS:
            return self.edits_allowed(action)
        if action in GROUP_ACTIONS:
            return self.groups_allowed(action)
        if action == "retry":
            return self.retry_allowed()
        if action == "search":  # over what this console kept of the backend's chat
            backend = self.tws.backend
            return backend is not None and backend.chat is not None
        if action in FILE_ACTIONS:
            return self.files_allowed(action)
        if action in FILTER_ACTIONS:
            return self.filters_allowed(action)
        if action == "open_file":  # where Alt+Z could save one
            return self.files_allowed("save_file")
        return True

    async def action_call_back(self) -> None:
        """Ctrl+R (``chat.call_back``, live only with a slip, see ``check_action``): call back
        the caller of the newest slip for me, as F3 does."""
        await self.app.run_action("call_target")

    # ---- rendering --------------------------------------------------------------------------

    def refresh_from_state(self, topics: Topics) -> None:
        self._memo = None  # the state changed
        online = self.tws.state.link is LinkStatus.ONLINE
        if Topic.LINK in topics and online and not self._was_online:
            self._earlier.clear()  # back online: what was said meanwhile is asked again
        self._was_online = online
        body = self.query_one("#chat-body", Static)
        panes = self.query_one("#chat-panes")
        backend = self.tws.backend
        if backend is None or backend.chat is None:
            body.update(_("Chat is not available with this connection."))
            body.display, panes.display = True, False
            return
        body.display, panes.display = False, True
        self._load_groups(backend.chat)
        note = self.query_one("#chat-groups-note", Static)
        note.display = ChatFeature.GROUPS not in backend.chat.features
        note.update(_("No chat groups with this connection."))
        self.query_one("#chat-input", Input).placeholder = _(
            "Message (Enter sends, {key}: new line)"
        ).format(key=self.tws.app_key_display("chat.new_line"))
        if (
            self.peer is not None
            and self.peer in self._groups_seen
            and self.peer not in self._groups
        ):
            self.peer = None  # I left the group open (or was removed)
        self._groups_seen.update(self._groups)
        peers = self.named_peers(self._conversations())
        if self.peer is None and peers and any(m.peer == peers[0] for m in self.tws.state.chat):
            self.peer = peers[0]  # the latest conversation (not a quiet group)
        self.show_named(peers)
        if self.peer is not None:
            self._load_earlier(self.peer)
            if self.is_current:
                self.read_conversation(self.peer)
        self._show_thread()
        self.show_sms_counter(self.query_one("#chat-input", Input).value)

    def _show_peers(self, peers: list[UserId]) -> None:
        listed = self.query_one("#chat-peers", OptionList)
        state = self.tws.state
        unread = state.chat_unread
        me = state.me.user_id if state.me is not None else None
        last: dict[UserId, ChatMessage] = {m.peer: m for m in state.chat}
        now, clock_24h = self.tws.clock.now(), self.tws.prefs.ui.clock_24h
        options: list[Option] = []
        drawn: list[tuple[str | None, str]] = []
        for peer in peers:
            name = self._who(peer)
            presence = ""
            if peer in self._groups:
                name = f"# {name}"  # a group, not a person
            elif not is_sms_peer(peer):
                presence = peer_presence(peer, state.devices.values())
            message = last.get(peer) or next(reversed(self._earlier.get(peer, [])), None)
            shown = None
            if message is not None:
                shown = (message.at, last_message_text(message, self._who, me))
            count = unread.get(peer, 0)
            label, plain = peer_row(name, count, presence, shown, now, clock_24h=clock_24h)
            options.append(Option(label, id=peer))
            drawn.append((peer, plain))
        if drawn != self._peers_drawn:  # the same list is not built (and laid out) again
            self._peers_drawn = drawn
            listed.clear_options()
            listed.add_options(options)
        if self.peer in peers and listed.highlighted != peers.index(self.peer):
            with listed.prevent(OptionList.OptionHighlighted):
                listed.highlighted = peers.index(self.peer)

    def _show_thread(self) -> None:
        self.show_staged()
        self.show_wide_title()
        thread = self.query_one("#chat-scroll", ThreadView)
        self.refresh_bindings()  # Ctrl+R follows the slips shown
        group = self._groups.get(self.peer) if self.peer is not None else None
        members = self.query_one("#chat-members", Static)
        members.display = group is not None
        if group is not None:
            names = ", ".join(self._who(UserId(member)) for member in group.members)
            members.update(labelled(_("Members"), names))
        if self.peer is None:
            key = self.tws.app_key_display("contacts.message")
            self._thread_drawn = None
            thread.update(
                _("No conversation yet: choose a colleague on Contacts ({key}).").format(key=key)
            )
            return
        if self.typed_thread(thread):  # calls or voice messages among the messages
            return
        messages = self.filtered_messages(self._messages())
        pending = self.pending_lines()
        if not messages and pending is None:
            self._thread_drawn = None
            thread.update(self.empty_thread_note())
            return
        window = self._window.get(self.peer, FIRST_SHOWN)
        found = next((i for i, m in enumerate(messages) if m.id == self.found_id), None)
        if found is not None:
            window = self._window[self.peer] = max(window, len(messages) - found)
        selected = next((i for i, m in enumerate(messages) if m.id == self.selected_id), None)
        if selected is not None:  # the selected message drawn, however far up
            window = self._window[self.peer] = max(window, len(messages) - selected)
        earlier, messages = len(messages[:-window]), messages[-window:]
        signature = (
            self.peer,
            tuple(messages),
            pending,
            self.found_id,
            self.selected_id,
            self.seen_mark(messages),
            language(),
            self.tws.prefs.ui.clock_24h,
            local_day(self.tws.clock.now()),  # "Today" becomes "Yesterday" at midnight
        )
        if signature == self._thread_drawn:
            return  # drawn as it is: no new layout for the same thread
        self._thread_drawn = signature
        shown = self._lines(messages) if messages else Text()
        if earlier:  # more above: scrolling to the top draws them
            more = Text(_("↑ earlier messages: scroll up"), style="dim italic")
            shown = Group(more, shown)
        thread.update(shown if pending is None else Group(shown, pending))
        if self.selected_message() is not None:  # the selected message kept in view
            self.scroll_to_selected(messages)
            return
        if not self.scroll_to_found(messages):
            thread.scroll_end(animate=False, immediate=thread.size.height > 0)

    def on_mount(self) -> None:
        super().on_mount()
        self.watch(self.query_one("#chat-scroll"), "scroll_y", self._scrolled, init=False)

    def _scrolled(self, y: float) -> None:
        """The thread scrolled to its top: WINDOW_STEP more of the messages kept drawn."""
        peer = self.peer
        if y > 0 or peer is None:
            return
        window = self._window.get(peer, FIRST_SHOWN)
        if window >= len(self._messages()):
            return
        self._window[peer] = window + WINDOW_STEP
        self.found_id = None
        thread = self.query_one("#chat-scroll", ThreadView)
        before = thread.line_count
        self._show_thread()
        # The view stays on what was on top: the first message shown before (under the
        # "earlier messages" line it had) is as many lines lower as the thread grew.
        thread.scroll_to(y=thread.line_count - before + 1, animate=False, immediate=True)

    def _lines(self, messages: list[ChatMessage]) -> Text | Group:
        """The thread: a line per message; a slip's lines indented under its heading (a
        wrapped line keeps the indent)."""
        clock_24h = self.tws.prefs.ui.clock_24h
        me = self.tws.state.me
        parts: list[Text | Table] = []
        out = Text()
        senders = {m.id: m.sender for m in messages}
        seen_id, seen = self.seen_mark(messages)
        today = local_day(self.tws.clock.now())
        day = today  # no separator above today's first message when it is the first shown
        for message in messages:
            self.end_selected(out)
            if out:
                out.append("\n")
            if local_day(message.at) != day:  # the day it changes, said on a line of its own
                day = local_day(message.at)
                out.append_text(day_separator(day, today))
                out.append("\n")
            if message.reply_to is not None:  # the message answered, quoted above
                quoted = shown_literally(message.quote)
                answered = senders.get(message.reply_to)
                if answered is not None:
                    quoted = labelled(self._who(answered), quoted)
                out.append(f"      ↪ {quoted}\n", style="dim italic")
            if message.id == self.found_id:  # the message a search opened the thread at
                out.append("▶ ", style="bold green")
            self.mark_selected(out, message)
            out.append(f"{clock_time(message.at, clock_24h=clock_24h)} ", style="dim")
            if message.notice is not None:  # what happened to the group, no one's message
                me_id = me.user_id if me is not None else None
                out.append(notice_line(message.notice, self._who, me_id), style="dim italic")
                continue
            out.append(labelled(self._who(message.sender), ""), style="bold")
            if message.deleted:
                out.append(_("(message deleted)"), style="dim italic")
                continue
            if message.slip is None:
                out.append_text(message_text(message.text))
                out.append(delivery_mark(message))
                out.append(attachment_mark(message))
                if message.edited:
                    out.append(" " + _("(edited)"), style="dim")
                if message.id == seen_id:
                    out.append(f"  {seen}", style="dim green")
                continue
            mine = me is not None and message.sender == me.user_id
            for_name = self._who(message.peer) if mine else None
            lines = slip_lines(message.slip, message.text, for_name=for_name, clock_24h=clock_24h)
            heading, *rest = (shown_literally(line) for line in lines)
            out.append(heading, style="bold reverse" if message.slip.urgent else "bold")
            body = [Text(line) for line in rest]
            if for_name is None and call_back_number(message.slip):
                key = self.tws.app_key_display("chat.call_back")
                body.append(Text(_("{key}: call back").format(key=key), style="italic"))
            indented = Table.grid()  # a wrapped line keeps the indent, behind the bar
            indented.add_column(width=SLIP_INDENT, style="dim")
            indented.add_column()
            for line in body:
                indented.add_row(SLIP_BAR, line)
            parts += [out, indented]
            out = Text()
        self.end_selected(out)
        if not parts:
            return out  # no slip: one text, as drawn before slips
        if out:
            parts.append(out)
        return Group(*parts)
