"""Chat mode: 1:1 conversations with colleagues, when the backend offers chat.

Owns the conversation list (colleagues, unread counts, newest first), the selected
conversation's messages (sender, time, text) and the input line: Enter sends; a message that
fails stays in the input with the reason shown; text over ``MAX_CHARS`` (a paste) is cut with a
notice. Opening a conversation loads what the backend keeps of it (``Chat.conversation``: on
``cti`` the server's store, so earlier sessions too). Received text is shown literally
(``domain.text.shown_literally``; no Rich markup, no terminal control).
"""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tws_tui.console.api import DialTarget
from tws_tui.console.bindings import bindings_for
from tws_tui.console.screens.base import ModeScreen
from tws_tui.console.screens.chat_edits import EDIT_ACTIONS, ChatEdits
from tws_tui.console.screens.chat_files import FILE_ACTIONS, ChatFiles, attachment_mark
from tws_tui.console.screens.chat_sms import ChatSms, delivery_mark, sms_label
from tws_tui.core.errors import CallControlError
from tws_tui.core.model import ChatFeature, ChatGroup, ChatMessage, UserId
from tws_tui.core.protocols import CallControl, Chat
from tws_tui.core.topics import ALL_TOPICS, Topic, Topics
from tws_tui.domain.format import clock_time
from tws_tui.domain.slips import call_back_number, slip_lines
from tws_tui.domain.sms import is_sms_peer
from tws_tui.domain.text import shown_literally
from tws_tui.platform.i18n import N_, _, labelled

#: Longest message the input takes (the CTI server's limit is 4000).
MAX_CHARS = 2000
#: Messages of a conversation shown.
SHOWN = 200
#: How far a slip's lines are indented under its heading, and the bar before each.
SLIP_INDENT = 4
SLIP_BAR = "  │"


class ChatScreen(ChatFiles, ChatSms, ChatEdits, ModeScreen):
    MODE = "chat"
    TITLE_MSGID = N_("Chat")
    TOPICS = frozenset({Topic.CHAT, Topic.DEVICES, Topic.ME})
    BINDINGS: ClassVar = bindings_for("chat")

    peer: UserId | None = None

    def __init__(self) -> None:
        super().__init__()
        #: What the backend keeps of each conversation opened (earlier sessions: the CTI
        #: server's store), shown with the messages received since.
        self._earlier: dict[UserId, list[ChatMessage]] = {}
        #: The discussion groups I am in (``ChatFeature.GROUPS``), by id; None until asked.
        self._groups: dict[UserId, ChatGroup] | None = None

    def compose_body(self) -> ComposeResult:
        yield Static(id="chat-body", classes="empty-note", markup=False)
        with Horizontal(id="chat-panes"):
            with Vertical(id="chat-side"):
                yield OptionList(id="chat-peers")
                yield Static(id="chat-groups-note", markup=False)
            with Vertical(id="chat-conversation"):
                yield Static(id="chat-members", markup=False)
                with VerticalScroll(id="chat-scroll"):
                    yield Static(id="chat-thread", markup=False)
                yield Static(id="chat-compose-note", markup=False)
                yield Static(id="chat-sms-counter", markup=False)
                yield Input(id="chat-input", select_on_focus=False)

    # ---- who is who -----------------------------------------------------------------------

    def _who(self, user: UserId) -> str:
        if is_sms_peer(user):
            return sms_label(user)
        group = (self._groups or {}).get(user)
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
        if self.peer is not None and self.peer not in latest:
            peers.insert(0, self.peer)
        return peers + [g for g in self._groups or {} if g not in peers]  # quiet groups last

    def _load_groups(self, chat: Chat) -> None:
        """Once: the groups I am in, when the backend's chat has groups (in a worker)."""
        if self._groups is not None or ChatFeature.GROUPS not in chat.features:
            return
        self._groups = {}

        async def load() -> None:
            try:
                groups = await chat.groups()
            except CallControlError:
                self._groups = None  # asked again at the next refresh
                return
            self._groups = {UserId(group.id): group for group in groups}
            self.refresh_from_state(frozenset({Topic.CHAT}))

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
            except CallControlError:
                del self._earlier[peer]  # tried again when the conversation is next shown
                return
            if peer == self.peer:
                self._show_thread()

        self.tws.run_background(load, group=f"chat-{peer}")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None and event.option.id != self.peer:
            self._leave_conversation(UserId(event.option.id))
            self.peer = UserId(event.option.id)
            self.refresh_from_state(frozenset({Topic.CHAT}))

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
        if event.input.id == "chat-input" and len(event.value) > MAX_CHARS:
            event.input.value = event.value[:MAX_CHARS]
            self.tws.notify(
                _("A message has at most {most} characters: the text was cut.").format(
                    most=MAX_CHARS
                ),
                severity="warning",
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "chat-input":
            return
        event.stop()
        text = event.value
        peer = self.peer
        if not text.strip():
            return
        if peer is None:
            self.tws.notify(_("Choose a colleague to write to first."), severity="warning")
            return
        field = event.input
        if self.submit_sms(field, text) or self.submit_change(field, text):
            return

        async def send(backend: CallControl) -> None:
            chat = backend.chat
            if chat is None:
                self.tws.notify(_("Chat is not available with this connection."))
                return
            await chat.send(peer, text)
            if field.value == text:  # kept if it failed (the error is shown) or was changed
                field.value = ""

        self.tws.run_command(send)

    # ---- calling back a message taken for me -------------------------------------------------

    def _messages(self) -> list[ChatMessage]:
        """The open conversation's messages shown, oldest first."""
        if self.peer is None:
            return []
        by_id = {m.id: m for m in self._earlier.get(self.peer, ())}
        by_id.update((m.id, m) for m in self.tws.state.chat if m.peer == self.peer)
        return sorted(by_id.values(), key=lambda m: m.at)[-SHOWN:]

    def selected_target(self) -> DialTarget | None:
        """``TargetContext``: the caller of the newest slip taken for me in the conversation
        open (F3 and Ctrl+R call them back), else nothing."""
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
        if action in FILE_ACTIONS:
            return self.files_allowed(action)
        return True

    async def action_call_back(self) -> None:
        """Ctrl+R (``chat.call_back``, live only with a slip, see ``check_action``): call back
        the caller of the newest slip for me, as F3 does."""
        await self.app.run_action("call_target")

    # ---- rendering --------------------------------------------------------------------------

    def refresh_from_state(self, topics: Topics) -> None:
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
        self.query_one("#chat-input", Input).placeholder = _("Message (Enter sends)")
        peers = self._conversations()
        if self.peer is None and peers and any(m.peer == peers[0] for m in self.tws.state.chat):
            self.peer = peers[0]  # the latest conversation (not a quiet group)
        if self.peer is not None and self.is_current:
            self.tws.topics_changed(self.tws.state.mark_chat_read(self.peer))
        self._show_peers(peers)
        if self.peer is not None:
            self._load_earlier(self.peer)
        self._show_thread()
        self.show_sms_counter(self.query_one("#chat-input", Input).value)

    def _show_peers(self, peers: list[UserId]) -> None:
        listed = self.query_one("#chat-peers", OptionList)
        unread = self.tws.state.chat_unread
        options = []
        for peer in peers:
            name = self._who(peer)
            if peer in (self._groups or {}):
                name = f"# {name}"  # a group, not a person
            label = Text(name, no_wrap=True, overflow="ellipsis")
            count = unread.get(peer, 0)
            if count:
                label.append(f" ({count})", style="bold")
            options.append(Option(label, id=peer))
        listed.clear_options()
        listed.add_options(options)
        if self.peer in peers:
            with listed.prevent(OptionList.OptionHighlighted):
                listed.highlighted = peers.index(self.peer)

    def _show_thread(self) -> None:
        thread = self.query_one("#chat-thread", Static)
        self.refresh_bindings()  # Ctrl+R follows the slips shown
        group = (self._groups or {}).get(self.peer) if self.peer is not None else None
        members = self.query_one("#chat-members", Static)
        members.display = group is not None
        if group is not None:
            names = ", ".join(self._who(UserId(member)) for member in group.members)
            members.update(labelled(_("Members"), names))
        if self.peer is None:
            key = self.tws.app_key_display("contacts.message")
            thread.update(
                _("No conversation yet: choose a colleague on Contacts ({key}).").format(key=key)
            )
            return
        messages = self._messages()
        if not messages:
            thread.update(_("No message yet."))
            return
        thread.update(self._lines(messages))
        self.query_one("#chat-scroll").scroll_end(animate=False)

    def _lines(self, messages: list[ChatMessage]) -> Text | Group:
        """The thread: a line per message; a slip's lines indented under its heading (a
        wrapped line keeps the indent)."""
        clock_24h = self.tws.prefs.ui.clock_24h
        me = self.tws.state.me
        parts: list[Text | Table] = []
        out = Text()
        senders = {m.id: m.sender for m in messages}
        for message in messages:
            if out:
                out.append("\n")
            if message.reply_to is not None:  # the message answered, quoted above
                quoted = shown_literally(message.quote)
                answered = senders.get(message.reply_to)
                if answered is not None:
                    quoted = labelled(self._who(answered), quoted)
                out.append(f"      ↪ {quoted}\n", style="dim italic")
            out.append(f"{clock_time(message.at, clock_24h=clock_24h)} ", style="dim")
            out.append(labelled(self._who(message.sender), ""), style="bold")
            if message.deleted:
                out.append(_("(message deleted)"), style="dim italic")
                continue
            if message.slip is None:
                out.append(shown_literally(message.text))
                out.append(delivery_mark(message))
                out.append(attachment_mark(message))
                if message.edited:
                    out.append(" " + _("(edited)"), style="dim")
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
        if not parts:
            return out  # no slip: one text, as drawn before slips
        if out:
            parts.append(out)
        return Group(*parts)
