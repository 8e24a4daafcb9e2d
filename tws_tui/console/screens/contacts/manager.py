"""The contact manager (TWS §2.2, §2.4, §2.5; TWP §5.2): directories and lists, their contacts.

Opened from Contacts (Ctrl+O). Left: the private directory, the public directory, then my
contact lists in my order, each with its number of contacts (a public list says so, a
supervised one too), then the colleagues on the phone system, all of them and by department
(Webpilot §7). Right: the contacts of the selection with, for colleagues, their line and
forwarding (WPL-7-6), filtered by what is typed (letters typed outside a field go to the
filter, TWS-2.3.2: the manager searches only the selection), with the count under them.

Other users' public lists, when the phone system keeps them: those I added under my lists,
the others after them (``+`` adds one, ``d`` takes an added one out; read only,
:mod:`tws_tui.console.screens.contacts.manager_shared`). When the phone system keeps the public
directory, its contacts are listed with the public ones kept here
(:mod:`tws_tui.console.screens.contacts.manager_public`).

Keys: n new contact (in the selected directory; in a list: a private contact added to it),
e/Enter edit, Delete delete (confirmed), p public/private, a the lists of the contact,
x remove it from the list shown (no confirmation, TWS-2.4.4.1), l new list, r list properties,
d delete the list (confirmed), Ctrl+↑/↓ move the list (left) or the contact in its list
(right), i import a CSV or vCard file (a preview first), u undo the last import, o export
what is shown, Esc back to Contacts.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from tws_tui.console.bindings import bindings_for
from tws_tui.console.screens.base import ModeScreen, show_text, type_into
from tws_tui.console.screens.contacts.actions import ContactActions
from tws_tui.console.screens.contacts.manager_carddav import CardDavPane
from tws_tui.console.screens.contacts.manager_public import ServerPublicPane
from tws_tui.console.screens.contacts.manager_shared import SharedListsPane
from tws_tui.console.screens.contacts.store_work import STORE_ERRORS
from tws_tui.console.widgets.row_list import RowList
from tws_tui.contacts.carddav_store import SOURCE as CARDDAV
from tws_tui.contacts.rules import DIRECTORY_NAMES, PRIVATE, PUBLIC, directory_name
from tws_tui.contacts.store import ContactList, ContactStore
from tws_tui.core.model import Contact, DeviceId, MonitoredDevice
from tws_tui.core.topics import ALL_TOPICS, Topic, Topics
from tws_tui.domain.format import LINE_SYMBOL, LINE_WORD
from tws_tui.domain.text import fold, name_key
from tws_tui.platform.i18n import N_, _, ngettext

log = logging.getLogger(__name__)

LIST = "list:"  # source keys: "private", "public", "list:<id>", "dept:<department>"
DEPARTMENT = "dept:"  # "dept:" alone: every colleague
#: A directory with more contacts than this is read and filtered in a thread and its rows are
#: drawn on demand: 100 000 contacts would stall the screen for a second otherwise.
BIG_DIRECTORY = 2000
_WIDTH_SAMPLE = 500  # rows whose texts size the columns of a big directory
_MAX_COLUMN = 40


def contact_key(contact: Contact) -> str:
    return f"{contact.source}:{contact.id}"


def _matches(contact: Contact, wanted: str) -> bool:
    fields = (contact.name, contact.company, contact.department, contact.email)
    numbers = (number for _, number in contact.numbers)
    return wanted in fold(" ".join(filter(None, (*fields, *numbers))))


def _line(contact: Contact, devices: Mapping[DeviceId, MonitoredDevice]) -> str:
    """A colleague's line and forwarding (WPL-7-6: not transferring to someone busy or
    forwarded); empty for a contact not on the phone system."""
    device = devices.get(contact.device_id) if contact.device_id else None
    if device is None:
        return ""
    text = f"{LINE_SYMBOL[device.line_state]} {_(LINE_WORD[device.line_state])}"
    if device.dnd:
        return text + "  ⊘ " + _("Do not disturb")
    if device.forward_unconditional:
        return text + "  → " + device.forward_unconditional
    return text


def _cells(
    contact: Contact, devices: Mapping[DeviceId, MonitoredDevice]
) -> tuple[str, str, str, str, str]:
    return (
        contact.name,
        contact.numbers[0][1] if contact.numbers else (contact.email or ""),
        contact.company or contact.department or "",
        directory_name(contact.source),
        _line(contact, devices),
    )


def department_contacts(
    devices: Iterable[MonitoredDevice], department: str, by: str = "first"
) -> list[Contact]:
    """The colleagues of ``department`` (all of them for ``""``) as the phone system's
    directory has them (WPL-7-2: browsing the directory by department), by name."""
    return sorted(
        (
            Contact(
                id=device.user_id or device.device_id,
                source="company",
                name=device.name,
                numbers=(("", device.extension),) if device.extension else (),
                department=device.department,
                device_id=device.device_id,
            )
            for device in devices
            if not department or device.department == department
        ),
        key=lambda c: name_key(c.name, by),
    )


class _ContactRows:
    """The rows of many contacts for a :class:`RowList`, each made when it is drawn."""

    def __init__(
        self, contacts: Sequence[Contact], devices: Mapping[DeviceId, MonitoredDevice]
    ) -> None:
        self.contacts = contacts
        self.devices = devices
        self._where: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self.contacts)

    def key(self, index: int) -> str:
        return contact_key(self.contacts[index])

    def index_of(self, key: str) -> int | None:
        if self._where is None:
            self._where = {contact_key(c): i for i, c in enumerate(self.contacts)}
        return self._where.get(key)

    def cells(self, index: int) -> Sequence[str]:
        return _cells(self.contacts[index], self.devices)

    def tone(self, index: int) -> str:
        return ""

    def widths(self, columns: Sequence[str]) -> list[int]:
        """Column widths from the first rows (a longer text is cut with an ellipsis)."""
        widths = [len(c) for c in columns]
        for contact in self.contacts[:_WIDTH_SAMPLE]:
            for i, text in enumerate(_cells(contact, self.devices)):
                widths[i] = min(_MAX_COLUMN, max(widths[i], len(text)))
        return widths


class ContactManagerScreen(
    CardDavPane, SharedListsPane, ServerPublicPane, ContactActions, ModeScreen
):
    MODE = "manager"
    PARENT_MODE = "contacts"
    TITLE_MSGID = N_("Contact manager")
    AUTO_FOCUS = "#manager-sources"
    TOPICS = frozenset({Topic.DIRECTORY})  # a CardDAV sync ended
    BINDINGS: ClassVar = bindings_for("manager")

    def __init__(self) -> None:
        super().__init__()
        self._lists: list[ContactList] = []
        self._counts: dict[str, int] = {}
        self._shown: Sequence[Contact] = []  # the contacts of the selection, filter applied
        #: A big directory as last read: (source, name sort, contacts in that order).
        self._big: tuple[str, str, list[Contact]] | None = None

    def compose_body(self) -> ComposeResult:
        yield RowList(id="manager-sources")
        with Vertical(id="manager-selection"):
            yield Input(
                placeholder=_("Filter: type a name, a company, a number…"),
                id="manager-filter",
                compact=True,
            )
            yield RowList(id="manager-contacts")
            yield Static(id="manager-count", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.reload()
        self.fetch_shared_lists()  # other users' public lists, when the system keeps them
        self.fetch_server_public()  # the public directory, when the system keeps it

    def refresh_from_state(self, topics: Topics) -> None:
        if topics != ALL_TOPICS and Topic.DIRECTORY in topics:
            self.contacts_changed(self.selected_contact())

    # ---- what is selected ----------------------------------------------------------------

    def enter_has_meaning(self) -> bool:
        """Enter edits the selected contact here (a ringing call is answered with F12)."""
        return True

    @property
    def selected_source(self) -> str:
        return self.query_one("#manager-sources", RowList).selected_key or PRIVATE

    @property
    def selected_list(self) -> ContactList | None:
        source = self.selected_source
        if not source.startswith(LIST):
            return None
        list_id = source.removeprefix(LIST)
        return next((lst for lst in self._lists if lst.id == list_id), None)

    @property
    def new_contact_source(self) -> str:  # type: ignore[override]
        source = self.selected_source
        return source if source in DIRECTORY_NAMES or source == CARDDAV else PRIVATE

    @property
    def new_contact_list(self) -> str | None:  # type: ignore[override]
        selected = self.selected_list
        return selected.id if selected is not None else None

    def selected_contact(self) -> Contact | None:
        table = self.query_one("#manager-contacts", RowList)
        key, cursor = table.selected_key, table.cursor
        if key is None:
            return None
        if 0 <= cursor < len(self._shown) and contact_key(self._shown[cursor]) == key:
            return self._shown[cursor]  # the rows are the contacts shown, in order
        return next((c for c in self._shown if contact_key(c) == key), None)

    # ---- loading -------------------------------------------------------------------------

    def _store(self) -> ContactStore | None:
        directories = self.tws.directories()
        return directories.store if directories is not None else None

    def reload(self, selected: Contact | None = None) -> None:
        """Read the directories and lists again and redraw both panes."""
        store = self._store()
        if store is None:
            self._lists, self._counts = [], {}
        else:
            try:
                self._lists = store.lists()
                self._counts = {v: store.count(v) for v in DIRECTORY_NAMES}
                self._counts[PUBLIC] += len(self.server_public_contacts(PUBLIC))
            except STORE_ERRORS as error:
                self._report(error)
                self._lists, self._counts = [], {}
        rows: dict[str, tuple[str, ...]] = {
            source: (_(name), str(self._counts.get(source, 0)))
            for source, name in DIRECTORY_NAMES.items()
        }
        rows.update(self.carddav_rows())
        for lst in self._lists:
            tags = [_("public")] if lst.public else []
            if lst.visible:
                tags.append(_("home screen"))
            if lst.supervised:
                tags.append(_("supervised"))
            name = f"≡ {lst.name}" + (f" ({', '.join(tags)})" if tags else "")
            rows[LIST + lst.id] = (name, str(len(lst.entries)))
        rows.update(self.shared_rows())
        devices = self.tws.state.devices.values()
        if devices:  # the phone system's directory, by department (WPL-7-2)
            rows[DEPARTMENT] = (_("Colleagues, by department"), str(len(devices)))
            departments = Counter(d.department for d in devices if d.department)
            for department in sorted(departments, key=fold):
                rows[DEPARTMENT + department] = (f"  {department}", str(departments[department]))
        self.query_one("#manager-sources", RowList).set_rows(
            (_("Directories and my lists"), "#"), rows
        )
        self._show_contacts(selected)

    def contacts_changed(self, selected: Contact | None = None) -> None:
        self._big = None
        self.reload(selected)
        self.fetch_server_public(selected)  # a change may be the phone system's

    def _contacts_of_selection(self) -> list[Contact]:
        store = self._store()
        if store is None:
            return []
        source = self.selected_source
        shared = self.shared_contacts(source)
        if shared is None:
            shared = self.carddav_contacts(source)
        if shared is not None:
            return shared
        if source.startswith(DEPARTMENT):
            department = source.removeprefix(DEPARTMENT)
            by = self.tws.prefs.contacts.name_sort
            return department_contacts(self.tws.state.devices.values(), department, by)
        try:
            if source.startswith(LIST):
                return store.list_contacts(source.removeprefix(LIST))
            by = self.tws.prefs.contacts.name_sort
            mine = store.all(source) + self.server_public_contacts(source)
            return sorted(mine, key=lambda c: name_key(c.name, by))
        except STORE_ERRORS as error:
            self._report(error)
            return []

    def _columns(self) -> tuple[str, str, str, str, str]:
        return (_("Name"), _("Number"), _("Company"), _("Directory"), _("Line"))

    def _show_contacts(self, selected: Contact | None = None) -> None:
        wanted = fold(self.query_one("#manager-filter", Input).value.strip())
        source = self.selected_source
        if self._counts.get(source, 0) > BIG_DIRECTORY:
            self._show_big_directory(source, wanted, selected)
            return
        contacts = self._contacts_of_selection()
        self._shown = [c for c in contacts if not wanted or _matches(c, wanted)]
        devices = self.tws.state.devices
        rows = {contact_key(c): _cells(c, devices) for c in self._shown}
        table = self.query_one("#manager-contacts", RowList)
        table.set_rows(self._columns(), rows)
        self._show_selection(table, selected, len(contacts), wanted)

    def _show_selection(
        self, table: RowList, selected: Contact | None, count: int, wanted: str
    ) -> None:
        if selected is not None:
            table.select_key(contact_key(selected))
        text = (
            ngettext("{shown} of {count} contact", "{shown} of {count} contacts", count)
            if wanted
            else ngettext("{count} contact", "{count} contacts", count)
        ).format(shown=len(self._shown), count=count)
        source = self.selected_source  # someone else's list: read only; CardDAV: last sync
        note = (
            self.shared_note(source) or self.carddav_note(source) or self.server_public_note(source)
        )
        show_text(self.query_one("#manager-count", Static), f"{text} — {note}" if note else text)

    @work(exclusive=True, group="manager-contacts")
    async def _show_big_directory(self, source: str, wanted: str, selected: Contact | None) -> None:
        """A big directory: read (once) and filtered in a thread, its rows drawn on demand."""
        store = self._store()
        if store is None:
            return
        show_text(
            self.query_one("#manager-count", Static),
            _("Reading {count} contacts…").format(count=self._counts.get(source, 0)),
        )
        by = self.tws.prefs.contacts.name_sort
        cached = self._big[2] if self._big is not None and self._big[:2] == (source, by) else None

        def read_and_filter() -> tuple[list[Contact], list[Contact]]:
            contacts = cached
            if contacts is None:
                contacts = sorted(store.all(source), key=lambda c: name_key(c.name, by))
            return contacts, [c for c in contacts if not wanted or _matches(c, wanted)]

        try:
            contacts, shown = await asyncio.to_thread(read_and_filter)
        except STORE_ERRORS as error:
            self._report(error)
            return
        if self.selected_source != source:
            return  # another selection meanwhile: its own reading shows it
        self._big = (source, by, contacts)
        self._shown = shown
        rows = _ContactRows(shown, self.tws.state.devices)
        table = self.query_one("#manager-contacts", RowList)
        table.set_source(self._columns(), rows, rows.widths(self._columns()))
        self._show_selection(table, selected, len(contacts), wanted)

    def on_row_list_highlighted(self, event: RowList.Highlighted) -> None:
        if event.control is not None and event.control.id == "manager-sources":
            self._show_contacts()

    # ---- filter --------------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """Letters typed outside a field filter the selection; digits still dial."""
        if self.letter_outside_a_field(event):
            type_into(self.query_one("#manager-filter", Input), event)
            event.prevent_default()

    @on(Input.Changed, "#manager-filter")
    def _filter_changed(self) -> None:
        self._show_contacts()

    @on(Input.Submitted, "#manager-filter")
    def _filter_done(self) -> None:
        self.query_one("#manager-contacts", RowList).focus()

    def action_focus_filter(self) -> None:
        self.query_one("#manager-filter", Input).focus()

    def action_close(self) -> None:
        field = self.query_one("#manager-filter", Input)
        if field.has_focus and field.value:
            field.value = ""
            return
        self.dismiss()

    # ---- lists ---------------------------------------------------------------------------

    def action_new_list(self) -> None:
        from tws_tui.console.screens.contacts.list_dialogs import ListForm, ListProperties

        store = self.contact_store()
        if store is None:
            return

        def save(properties: ListProperties) -> ContactList:
            return store.create_list(**dataclasses.asdict(properties))

        self.tws.push_screen(ListForm(save), self._after_list_form)

    def action_edit_list(self) -> None:
        from tws_tui.console.screens.contacts.list_dialogs import ListForm, ListProperties

        if self.refuse_on_shared():
            return
        current = self.selected_list
        store = self.contact_store() if current is not None else None
        if current is None or store is None:
            self.tws.notify(_("Select one of your lists first."), severity="warning")
            return
        list_id = current.id

        def save(properties: ListProperties) -> ContactList:
            return store.edit_list(list_id, **dataclasses.asdict(properties))

        self.tws.push_screen(ListForm(save, current), self._after_list_form)

    def _after_list_form(self, saved: ContactList | None) -> None:
        if saved is None:
            return
        self.tws.lists.refresh()
        self.reload()
        self.query_one("#manager-sources", RowList).select_key(LIST + saved.id)

    def action_delete_list(self) -> None:
        from tws_tui.console.screens.modals.confirm import ConfirmScreen

        if self.remove_added_list(self.selected_source):
            return
        current = self.selected_list
        store = self.contact_store() if current is not None else None
        if current is None or store is None:
            self.tws.notify(_("Select one of your lists first."), severity="warning")
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._write(lambda: store.delete_list(current.id), lambda _none: deleted())

        def deleted() -> None:
            self.tws.lists.refresh()
            self.reload()

        question = _("Delete the list {name}? Its contacts stay in their directories.").format(
            name=current.name
        )
        self.tws.push_screen(ConfirmScreen(question), confirmed)

    def action_remove_from_list(self) -> None:
        if self.refuse_on_shared():
            return
        current = self.selected_list
        contact = self.selected_contact()
        store = self._store()
        if current is None or contact is None or store is None:
            self.tws.notify(_("Select a contact of one of your lists."), severity="warning")
            return

        def removed(_list: ContactList) -> None:
            self.tws.lists.refresh()
            self.reload()

        self._write(lambda: store.remove_from_list(current.id, contact.source, contact.id), removed)

    def action_move(self, step: int) -> None:
        """Ctrl+↑/↓: the list (left pane) or the contact within its list (right pane)."""
        store = self._store()
        current = self.selected_list
        if store is None or current is None:
            return
        contacts = self.query_one("#manager-contacts", RowList)
        if not contacts.has_focus:

            def list_moved(_index: int) -> None:
                self.reload()
                self.query_one("#manager-sources", RowList).select_key(LIST + current.id)

            self._write(lambda: store.move_list(current.id, step), list_moved)
            return
        if self.query_one("#manager-filter", Input).value:
            self.tws.notify(_("Clear the filter to reorder."), severity="warning")
            return
        contact = self.selected_contact()
        if contact is None:
            return
        index, entry = contacts.cursor, (contact.source, contact.id)

        def move() -> int:
            """The contact's place read when the write runs: a key repeated before the
            screen redrew moves the same contact again, not the one now at its old place."""
            entries = store.get_list(current.id).entries
            return store.move_entry(
                current.id, entries.index(entry) if entry in entries else index, step
            )

        self._write(move, lambda _index: self.reload(contact))

    # ---- import and export ---------------------------------------------------------------

    def action_import_contacts(self) -> None:
        from tws_tui.console.screens.contacts.exchange import FileDialog

        self.tws.push_screen(
            FileDialog(_("Import contacts (CSV or vCard)"), importing=True), self._import
        )

    @work(group="contact-import")
    async def _import(self, answer: tuple[Path, str] | None) -> None:
        from tws_tui.console.screens.contacts.import_flow import import_file

        store = self.contact_store() if answer is not None else None
        if answer is None or store is None:
            return
        path, visibility = answer
        if await import_file(self, store, path, visibility):
            log.info("imported contacts from %s", path)
            self._after_import()
            self.query_one("#manager-sources", RowList).select_key(visibility)

    def action_undo_import(self) -> None:
        self._undo_import()

    @work(group="contact-import")
    async def _undo_import(self) -> None:
        from tws_tui.console.screens.contacts.import_flow import undo_import

        store = self.contact_store()
        if store is not None and await undo_import(self, store):
            self._after_import()

    def _after_import(self) -> None:
        self.tws.lists.refresh()
        self.reload()

    def action_export_contacts(self) -> None:
        from tws_tui.console.screens.contacts.exchange import FileDialog

        self.tws.push_screen(
            FileDialog(
                _("Export the contacts shown (CSV, or vCard with .vcf)"),
                importing=False,
                suggestion=str(Path("~/contacts.csv")),
            ),
            self._export,
        )

    @work(group="contact-export")
    async def _export(self, answer: tuple[Path, str] | None) -> None:
        from tws_tui.console.screens.contacts.exchange import export_text
        from tws_tui.console.screens.modals.save_text import save_text

        if answer is None:
            return
        path, _visibility = answer
        contacts = list(self._shown)
        written = _("{count} contacts written to {path}.").format(count=len(contacts), path=path)
        await save_text(self.tws, path, export_text(contacts, path), written)
