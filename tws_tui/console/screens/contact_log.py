"""``ContactLogScreen``: a contact's event log (issue 15, TWP-4.1.2), opened by Alt+Shift+E
(``contact.log``) on the selected contact, the open conversation or the call I talk on
(``console/contact_log_keys.py``).

One timeline with that person, newest last, a separator between days
(``domain.contact_log``): calls received, placed and missed with their comments, the voice
messages they left, the chat messages exchanged, my "only me" notes; each a line of words (no
colour needed), text shown literally. Ctrl+T (``log.calls``) hides or shows the calls and voice
messages (TWP-4.1.2-3). The field at the bottom writes a new entry: to the colleague (a chat
message) or only for me (a note), Ctrl+O (``log.audience``) switches (TWP-4.1.2-4; only me for
someone who is not a colleague). Del (``log.delete``) on the selected entry deletes my note, a
message I sent (the chat takes it back) or a call from my journal, after asking; a received
message is refused in words (TWP-4.1.2-6). Ctrl+K (``log.call_detail``) or Enter on a call
opens its detail (``history/detail.py``), where C adds a comment to it, E edits one, Del
deletes one (TWP-4.1.2-3); the log shows the comments under the call. The log follows the
chat, the history and the voicemail as they change. Esc closes.
"""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tws_tui.console.api import console_api
from tws_tui.console.bindings import bindings_for
from tws_tui.console.screens.contact_log_rows import entry_text, separator_text
from tws_tui.console.screens.contact_log_sources import ContactLog
from tws_tui.console.screens.modals.confirm import ConfirmScreen
from tws_tui.core.topics import Topic, Topics
from tws_tui.domain.chat_compose import message_problem
from tws_tui.domain.chat_days import local_day
from tws_tui.domain.contact_log import EntryKind, LogEntry, refusal, timeline
from tws_tui.journal.private_notes import NOTE_MAX_CHARS
from tws_tui.platform.i18n import _, labelled

#: The topics the log follows.
FOLLOWED = frozenset({Topic.CHAT, Topic.HISTORY, Topic.VOICEMAIL, Topic.COMMENTS})


class ContactLogScreen(ModalScreen[None]):
    MODE = "contact_log"  # its keys' scope in the keymap (help, palette)
    DEFAULT_CSS = """
    ContactLogScreen #contact-log { width: 96%; height: 90%; }
    ContactLogScreen #log-entries { height: 1fr; }
    ContactLogScreen #log-compose { height: auto; }
    ContactLogScreen #log-audience { width: auto; padding: 1 1 0 0; }
    ContactLogScreen #log-input { width: 1fr; }
    """
    BINDINGS: ClassVar = [
        *bindings_for("contact_log"),
        Binding("escape", "dismiss(None)", show=False),
    ]

    def __init__(self, log: ContactLog) -> None:
        super().__init__()
        self.contact_log = log
        self.show_calls = True
        self.to_contact = log.can_write_to
        self.entries: list[LogEntry] = []
        self.shown: dict[str, LogEntry] = {}  # option id → entry

    def compose(self) -> ComposeResult:
        with Vertical(id="contact-log", classes="modal-box"):
            yield Static(
                _("Event log: {name}").format(name=self.contact_log.subject.name),
                classes="modal-title",
                markup=False,
            )
            yield Static(id="log-state", markup=False)
            yield OptionList(id="log-entries")
            with Horizontal(id="log-compose"):
                yield Static(id="log-audience", markup=False)
                yield Input(id="log-input")
            yield Static(id="log-keys", classes="modal-note", markup=False)

    def on_mount(self) -> None:
        console_api(self).state_signal.subscribe(self, self._on_state)
        self._say_state()
        self.query_one("#log-input", Input).focus()
        self.load()

    def _on_state(self, topics: Topics) -> None:
        if FOLLOWED & topics:
            self.load()

    def _key(self, action_id: str) -> str:
        return console_api(self).app_key_display(action_id)

    def _say_state(self) -> None:
        """The line above the entries, the audience before the field and the keys below."""
        calls = _("Calls shown") if self.show_calls else _("Calls hidden")
        self.query_one("#log-state", Static).update(f"{calls} ({self._key('log.calls')})")
        name = self.contact_log.subject.name
        audience = _("To {name}").format(name=name) if self.to_contact else _("Only me")
        self.query_one("#log-audience", Static).update(labelled(audience, "").rstrip())
        field = self.query_one("#log-input", Input)
        field.max_length = 0 if self.to_contact else NOTE_MAX_CHARS
        field.placeholder = (
            _("A chat message (Enter sends)") if self.to_contact else _("A note only for me")
        )
        keys = [
            _("{key}: to {name} or only me").format(key=self._key("log.audience"), name=name)
            if self.contact_log.can_write_to
            else _("Only notes: {name} has no chat").format(name=name),
            _("Tab: the entries, {key} deletes one").format(key=self._key("log.delete")),
            _("{key}: a call's comments").format(key=self._key("log.call_detail")),
            _("Esc closes"),
        ]
        self.query_one("#log-keys", Static).update(" · ".join(keys))

    @work(exclusive=True, group="contact-log")
    async def load(self) -> None:
        self.entries = await self.contact_log.entries()
        self._show()

    def _show(self) -> None:
        listing = self.query_one("#log-entries", OptionList)
        highlighted = listing.highlighted
        chosen = listing.get_option_at_index(highlighted).id if highlighted is not None else None
        api = console_api(self)
        today = local_day(api.clock.now())
        clock_24h = api.prefs.ui.clock_24h
        name = self.contact_log.subject.name
        options: list[Option] = []
        self.shown = {}
        for line in timeline(self.entries, show_calls=self.show_calls):
            if isinstance(line, LogEntry):
                option_id = f"{line.kind.value}:{line.key}"
                self.shown[option_id] = line
                options.append(Option(entry_text(line, name, clock_24h=clock_24h), id=option_id))
            else:
                options.append(Option(separator_text(line, today), disabled=True))
        listing.clear_options()
        if not options:
            listing.add_option(
                Option(
                    _("Nothing with {name} yet.").format(name=self.contact_log.subject.name),
                    disabled=True,
                )
            )
            return
        listing.add_options(options)
        ids = [option.id for option in options]
        if chosen in ids:
            listing.highlighted = ids.index(chosen)
        else:
            listing.highlighted = len(options) - 1  # the newest
        listing.scroll_to_highlight()

    # ---- keys ---------------------------------------------------------------------------

    def action_toggle_calls(self) -> None:
        """Ctrl+T: hide the calls and voice messages, or show them again."""
        self.show_calls = not self.show_calls
        self._say_state()
        self._show()

    def action_switch_audience(self) -> None:
        """Ctrl+O: the next entry to the colleague, or only for me."""
        if not self.contact_log.can_write_to:
            console_api(self).notify(
                _("{name} is not a colleague you can chat with: only notes.").format(
                    name=self.contact_log.subject.name
                ),
                markup=False,
            )
            return
        self.to_contact = not self.to_contact
        self._say_state()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        api = console_api(self)
        if not text:
            api.notify(_("Type something first."), severity="warning")
            return
        problem = message_problem(text) if self.to_contact else None
        if problem is not None:
            api.notify(problem, severity="warning")
            return
        event.input.value = ""
        to_contact = self.to_contact

        async def write() -> None:
            if await self.contact_log.write(text, to_contact=to_contact):
                self.load()

        self.run_worker(write(), group="contact-log-write")

    def selected_entry(self) -> LogEntry | None:
        listing = self.query_one("#log-entries", OptionList)
        if listing.highlighted is None:
            return None
        return self.shown.get(listing.get_option_at_index(listing.highlighted).id or "")

    def action_call_detail(self) -> None:
        """Ctrl+K: the selected call's detail, where comments are added (C), edited, deleted."""
        from tws_tui.console.screens.history.detail import HistoryDetail

        entry = self.selected_entry()
        if entry is None or entry.kind is not EntryKind.CALL:
            console_api(self).notify(
                _("Select a call (Tab, then ↑↓) to see its detail and add a comment."),
                severity="warning",
            )
            return

        def closed(_result: None) -> None:
            self.load()  # its comments as the detail left them

        self.app.push_screen(HistoryDetail(entry.key), closed)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a call: its detail, as Ctrl+K; on another entry, nothing to open."""
        entry = self.shown.get(event.option.id or "")
        if entry is not None and entry.kind is EntryKind.CALL:
            self.action_call_detail()

    def action_delete_entry(self) -> None:
        """Del: the selected entry deleted after asking, or why it cannot be."""
        api = console_api(self)
        entry = self.selected_entry()
        if entry is None:
            api.notify(_("Select an entry to delete."), severity="warning")
            return
        why = refusal(
            entry,
            self.contact_log.subject.name,
            can_delete_messages=self.contact_log.can_delete_messages,
        )
        if why is not None:
            api.notify(why, severity="warning", markup=False)
            return
        question = {
            EntryKind.NOTE: _("Delete this note?"),
            EntryKind.MESSAGE: _("Take this message back? {name} will no longer see it."),
            EntryKind.CALL: _("Delete this call from my journal?"),
        }[entry.kind].format(name=self.contact_log.subject.name)
        if entry.kind is EntryKind.CALL and api.backend_name == "cti":
            question += " " + _(
                "The phone system keeps its own history: removed from my view only."
            )

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_worker(self._delete(entry), group="contact-log-delete")

        api.push_screen(ConfirmScreen(question), answered)

    async def _delete(self, entry: LogEntry) -> None:
        if await self.contact_log.delete(entry):
            self.entries = [e for e in self.entries if e != entry]
            self._show()
        else:
            console_api(self).notify(_("The entry could not be deleted."), severity="error")
