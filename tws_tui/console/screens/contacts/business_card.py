"""``BusinessCardScreen``: a contact's business card in tabs (TWS-2.5.2-1/-2).

Opened from Contacts (Ctrl+K) or the contact manager (``c``) on the selected contact. Tabs,
in the spec's order (←/→ or ``[``/``]`` switch them):

1. **Numbers** — each with its label; Enter (or F3) calls the one selected, F4 transfers the
   active call to it, F5 consults it.
2. **E-mails** — Enter writes to the one selected: ``mailto:`` handed to the desktop's mail
   client and copied (over SSH only copied, :mod:`tws_tui.console.links`).
3. **Identity** — who it is (job, company, department, the phone-system user and extension of
   a colleague) and every directory holding them: its own, and the local contacts that share
   one of its numbers (TWS-2.5.3-1: a colleague's private copy with added details); then the
   last comments on calls with its numbers (TWS-3.13: this console's and those shared by the
   phone system, from the journal), when there are some; and my "only me" notes on them
   (TWP-4.1.4-1: Alt+Shift+N writes one, :mod:`.private_notes`).
4. **Availability** — colleagues only (hidden otherwise): presence and its note, do not
   disturb or forward, the line (telephony presence: ringing, on a call) and how long the
   presence has lasted (:mod:`tws_tui.domain.presence_since`, "at least" when it began before the
   console watched). Kept up to date while open.
5. **Lists** — the contact lists, those holding the contact ticked; Space or Enter ticks or
   unticks (kept at once, TWS-2.4.3.3/2.4.4.3).

The TWS Alerter tab needs that product's licence and content from the phone system: not here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TabbedContent, TabPane

from tws_tui.console.api import ConsoleApi, console_api
from tws_tui.console.bindings import bindings_for
from tws_tui.console.links import open_link
from tws_tui.console.screens.contacts.private_notes import (
    note_lines,
    notes_on,
    write_private_note,
)
from tws_tui.console.screens.contacts.store_work import STORE_ERRORS, store_work
from tws_tui.console.widgets.dial_bar import DialTarget
from tws_tui.console.widgets.row_list import RowList
from tws_tui.contacts.rules import DETAIL_KINDS, all_emails, directory_name
from tws_tui.core.topics import Topic, Topics
from tws_tui.domain.custom_presence import presence_text
from tws_tui.domain.format import (
    DND_SYMBOL,
    LINE_SYMBOL,
    LINE_WORD,
    clock_time,
    day_and_time,
    elapsed,
)
from tws_tui.platform.i18n import _, labelled

if TYPE_CHECKING:
    from tws_tui.contacts.store import ContactStore
    from tws_tui.core.model import Contact, MonitoredDevice
    from tws_tui.journal.comments import CommentedCall
    from tws_tui.journal.private_notes import PrivateNote

TABS = ("numbers", "emails", "identity", "availability", "lists")
#: The details shown on the Identity tab, in order (the others are on the e-mail tab or
#: in the contact form).
IDENTITY_DETAILS = ("job_title", "assistant", "customer_number", "birthday", "url", "address")


class BusinessCardScreen(ModalScreen[None]):
    MODE = "card"  # its keys' scope in the keymap (help, palette)
    BINDINGS: ClassVar = bindings_for("card")

    def __init__(
        self,
        contact: Contact,
        store: ContactStore | None,
        on_lists_changed: Callable[[], None],
    ) -> None:
        super().__init__()
        self.contact = contact
        self.store = store
        self.on_lists_changed = on_lists_changed
        self._shown_tabs: tuple[str, ...] | None = None
        self._elsewhere: list[Contact] = []  # local contacts sharing a number, once looked up
        self._comments: list[CommentedCall] = []  # the last comments on its calls, once read
        self._notes: list[PrivateNote] = []  # my "only me" notes on it, once read

    @property
    def tws(self) -> ConsoleApi:
        return console_api(self)

    @property
    def device(self) -> MonitoredDevice | None:
        """The colleague behind the contact, as the phone system shows them now."""
        device_id = self.contact.device_id
        return self.tws.state.devices.get(device_id) if device_id else None

    def _tabs(self) -> tuple[str, ...]:
        """The tabs, fixed when the card opens (Availability for a colleague only)."""
        if self._shown_tabs is None:
            colleague = self.device is not None
            self._shown_tabs = tuple(tab for tab in TABS if tab != "availability" or colleague)
        return self._shown_tabs

    # ---- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        titles = {
            "numbers": _("Numbers"),
            "emails": _("E-mails"),
            "identity": _("Identity"),
            "availability": _("Availability"),
            "lists": _("Lists"),
        }
        with Vertical(classes="modal-box card-box"):
            yield Static(self.contact.name, classes="modal-title", markup=False)
            with TabbedContent(id="card-tabs"):
                for tab in self._tabs():
                    with TabPane(titles[tab], id=f"tab-{tab}"):
                        if tab in ("identity", "availability"):
                            yield Static(id=f"card-{tab}", markup=False)
                        else:
                            yield RowList(id=f"card-{tab}")
            yield Static(id="card-note", classes="modal-note", markup=False)

    def on_mount(self) -> None:
        self.tws.state_signal.subscribe(self, self._on_state)
        self._show_numbers()
        self._show_emails()
        self._show_identity()
        self._look_up_elsewhere()
        self._read_comments()
        self._read_notes()
        self._show_availability()
        self._show_lists()
        self.set_interval(30, self._show_availability)  # the minutes of "since"
        self._focus_tab()

    def _on_state(self, topics: Topics) -> None:
        if Topic.DEVICES in topics:
            self._show_availability()

    def _tab(self) -> str:
        return (self.query_one("#card-tabs", TabbedContent).active or "tab-numbers")[4:]

    def on_tabbed_content_tab_activated(self, _event: TabbedContent.TabActivated) -> None:
        self._focus_tab()

    def _focus_tab(self) -> None:
        """The list of the tab shown takes the keys; the note says what they do there."""
        tab = self._tab()
        lists = self.query(f"#card-{tab}").results(RowList)
        for listed in lists:
            listed.focus()
        notes = {
            "numbers": _("Enter or F3 calls · F4 transfers the call to it · F5 consults it"),
            "emails": _("Enter writes to the address (copied too)"),
            "lists": _("Space or Enter puts the contact in the list or takes it out"),
        }
        keys = _("←/→ other tabs · Esc closes")
        note = notes.get(tab)
        self.query_one("#card-note", Static).update(f"{note} · {keys}" if note else keys)

    # ---- tabs ------------------------------------------------------------------------------

    def _show_numbers(self) -> None:
        rows = {
            str(index): (_(label) if label else _("Phone"), number)
            for index, (label, number) in enumerate(self.contact.numbers)
        }
        listed = self.query_one("#card-numbers", RowList)
        listed.set_rows((_("Label"), _("Number")), rows)
        if not rows:
            listed.set_rows((_("No number"),), {})

    def _show_emails(self) -> None:
        rows = {address: (address,) for address in all_emails(self.contact)}
        self.query_one("#card-emails", RowList).set_rows(
            (_("E-mail") if rows else _("No e-mail address"),), rows
        )

    def _show_identity(self) -> None:
        contact, device = self.contact, self.device
        lines = [contact.name]
        details = dict(contact.details)
        lines += [
            labelled(_(DETAIL_KINDS[kind]), details[kind].replace(chr(10), ", "))
            for kind in IDENTITY_DETAILS
            if kind in details
        ]
        company = contact.company if contact.company != contact.name else None  # a company's card
        lines += [text for text in (company, contact.department) if text]
        if device is not None:
            lines.append(
                _("Phone system user: {name}, extension {extension}").format(
                    name=device.name, extension=device.extension or "—"
                )
            )
        lines += ["", _("Directories:"), "  " + directory_name(contact.source)]
        lines += [f"  {line}" for line in self._other_entries()]
        note = details.get("note")
        if note:
            lines += ["", _("Note: {text}").format(text=note)]
        if self._comments:
            now, clock_24h = self.tws.clock.now(), self.tws.prefs.ui.clock_24h
            lines += ["", _("Last comments on calls:")]
            for comment in self._comments:
                when = day_and_time(comment.at, now, clock_24h=clock_24h)
                text = " ".join(comment.text.split())
                said = labelled(comment.author, text) if comment.author else text
                lines.append(f"  {when}  {said}")
        clock_24h = self.tws.prefs.ui.clock_24h
        lines += note_lines(self._notes, self.tws.clock.now(), clock_24h=clock_24h)
        self.query_one("#card-identity", Static).update("\n".join(lines))

    @work(group="card-notes", exclusive=True)
    async def _read_notes(self) -> None:
        """My "only me" notes on the contact (the journal): shown on the Identity tab."""
        found = await notes_on(self.tws, self.contact)
        if self.is_attached:
            self._notes = found
            self._show_identity()

    def selected_contact(self) -> Contact | None:
        """``ContactContext``: the card's contact (Alt+Shift+E opens its event log)."""
        return self.contact

    def action_private_note(self) -> None:
        """Alt+Shift+N: an "only me" note on the contact, listed here once kept."""
        write_private_note(self.tws, self.contact, self._note_kept)

    def _note_kept(self) -> None:
        if self.is_attached:
            self._read_notes()

    @work(group="card-comments", exclusive=True)
    async def _read_comments(self) -> None:
        """The last comments on calls with the contact (the journal's thread): shown on the
        Identity tab when there are some."""
        from tws_tui.console.screens.history.of_contact import comments_with

        found = await comments_with(self.tws, self.contact)
        if found and self.is_attached:
            self._comments = found
            self._show_identity()

    def _look_up_elsewhere(self) -> None:
        """The local contacts sharing one of its numbers (the same person elsewhere), looked
        up in the store's thread; the Identity tab shows them when found (a store that cannot
        be read shows none, as before)."""
        store, contact = self.store, self.contact
        if store is None:
            return

        def look_up() -> list[Contact]:
            found: dict[tuple[str, str], Contact] = {}
            for _label, number in contact.numbers:
                for other in store.find_by_number(number):
                    found[(other.source, other.id)] = other
            found.pop((contact.source, contact.id), None)
            return list(found.values())

        def found(others: list[Contact]) -> None:
            self._elsewhere = others
            if others:
                self._show_identity()

        store_work(self, look_up, found, failed=lambda _refusal: None)

    def _other_entries(self) -> list[str]:
        """The directories of the local contacts found sharing one of its numbers."""
        return [
            _("{directory} (as “{name}”)").format(
                directory=directory_name(other.source), name=other.name
            )
            for other in self._elsewhere
        ]

    def _show_availability(self) -> None:
        device = self.device
        shown = self.query(Static).filter("#card-availability")
        if device is None or not shown:
            return
        lines = []
        if device.presence is not None:
            state = presence_text(device.presence, device.presence_label)
            lines.append(_("Presence: {state}").format(state=state))
        else:
            lines.append(_("Presence: not shared"))
        if device.presence_note:
            lines.append("  " + device.presence_note)
        if device.dnd:
            lines.append(f"{DND_SYMBOL} " + _("Do not disturb"))
        if device.forward_unconditional:
            forward = device.forward_unconditional
            lines.append(_("Calls forwarded to {number}").format(number=forward))
        line = f"{LINE_SYMBOL[device.line_state]} {_(LINE_WORD[device.line_state])}"
        lines.append(_("Phone: {state}").format(state=line))
        since = self.tws.presence_since.since(device.device_id)
        if since is not None:
            now = self.tws.clock.now()
            values = {
                "time": clock_time(since.at, clock_24h=self.tws.prefs.ui.clock_24h),
                "duration": elapsed(since.at, now),
            }
            if since.exact:
                lines.append(_("In this state since {time} ({duration})").format(**values))
            else:
                lines.append(
                    _(
                        "In this state since at least {time} ({duration}), when this console began"
                        " to watch"
                    ).format(**values)
                )
        shown.first().update("\n".join(lines))

    def _show_lists(self, select: str | None = None) -> None:
        listed = self.query_one("#card-lists", RowList)
        if self.store is None:
            listed.set_rows((_("Local contacts are not available yet."),), {})
            return
        try:
            lists = self.store.lists()
        except STORE_ERRORS as error:
            listed.set_rows((str(error),), {})
            return
        entry = (self.contact.source, self.contact.id)
        rows = {lst.id: (("[x] " if entry in lst.entries else "[ ] ") + lst.name,) for lst in lists}
        heading = (
            _("Contact lists")
            if rows
            else _("No contact list yet: create one in the contact manager.")
        )
        listed.set_rows((heading,), rows)
        if select is not None:
            listed.select_key(select)

    # ---- keys ------------------------------------------------------------------------------

    def selected_target(self) -> DialTarget | None:
        """What F3/F4/F5 act on: the number selected on the Numbers tab."""
        if self._tab() != "numbers":
            return None
        key = self.query_one("#card-numbers", RowList).selected_key
        if key is None:
            return None
        number = self.contact.numbers[int(key)][1]
        device = self.device
        device_id = device.device_id if device is not None and number == device.extension else None
        return DialTarget(number, f"{self.contact.name} ({number})", device_id)

    def action_act(self) -> None:
        """Enter: call the number, write to the address, or tick the list selected."""
        tab = self._tab()
        if tab == "numbers":
            target = self.selected_target()
            if target is not None:
                destination = target.destination
                self.tws.run_command(lambda backend: backend.make_call(destination))
                self.dismiss(None)
        elif tab == "emails":
            address = self.query_one("#card-emails", RowList).selected_key
            if address is not None:
                opened = open_link(self.app, f"mailto:{address}")
                message = (
                    _("Writing to {address} (copied).")
                    if opened
                    else _("{address} copied: paste it in your mail client.")
                )
                self.tws.notify(message.format(address=address), markup=False)
        elif tab == "lists":
            self.action_toggle_list()

    def action_toggle_list(self) -> None:
        """Space on the Lists tab: the contact in or out of the list selected."""
        list_id = self.query_one("#card-lists", RowList).selected_key
        store, contact = self.store, self.contact
        if self._tab() != "lists" or store is None or list_id is None:
            return

        def toggle() -> None:
            if (contact.source, contact.id) in store.get_list(list_id).entries:
                store.remove_from_list(list_id, contact.source, contact.id)
            else:
                store.add_to_list(list_id, contact.source, contact.id, card=contact)

        def toggled(_none: None) -> None:
            if self.is_attached:
                self._show_lists(select=list_id)
            self.on_lists_changed()  # the screen below shows it, even if the card is closed

        store_work(self.app, toggle, toggled)  # the app's worker: done after a quick Esc too

    def action_tab(self, step: int) -> None:
        tabs = self._tabs()
        index = (tabs.index(self._tab()) + step) % len(tabs)
        self.query_one("#card-tabs", TabbedContent).active = f"tab-{tabs[index]}"

    def action_close(self) -> None:
        self.dismiss(None)

    async def action_contact_history(self) -> None:
        """Ctrl+Y: the card closes and History lists the calls with the contact's numbers."""
        from tws_tui.console.screens.history.of_contact import show_calls_with

        self.dismiss(None)
        await show_calls_with(self.tws, self.contact)
