"""Contacts mode: find anyone as you type, see who is free, supervise colleagues (TWS §2, §1.6).

Top: one search field over every directory the console has (the backend's directory, the
colleagues on the switch); letters typed anywhere on this screen go there (digits still go to
the dial bar: the F-keys dial). An empty search lists the colleagues alphabetically, busy ones
in red with the state in words (Webpilot §5). ``field:value`` searches one field (``name:``,
``company:``, ``department:``, ``number:``) when the directory supports it.

Right: the business card of the selected entry (numbers with their labels, company,
department, e-mail, directory, line state and presence). Bottom: the supervised colleagues as
BLF tiles (:class:`~tws_tui.widgets.blf_grid.BlfGrid`), Ctrl+B adding or removing the selected
colleague (kept in prefs.toml, ``[contacts] supervised``).

The F-keys act on the selection when the dial bar is empty: F3 calls it, F4 transfers the
active call to it, F5 consults it, Alt+I picks up the call ringing there — from the list or
from a tile.

The selected contact can be changed from here (:class:`ContactActions`): Ctrl+N new, Ctrl+E
edit, Delete delete, Ctrl+T public/private, Ctrl+L its contact lists; Ctrl+O opens the contact
manager (directories and lists). The tiles also show the colleagues of supervised lists.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Mapping, Sequence
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.timer import Timer
from textual.widgets import Input, Static

from tws_tui.contacts.rules import DETAIL_KINDS
from tws_tui.contacts.text import name_key
from tws_tui.core.model import Contact, DeviceId, LineState, MonitoredDevice, PresenceState
from tws_tui.format import LINE_SYMBOL, LINE_WORD, PRESENCE_SYMBOL, PRESENCE_WORD
from tws_tui.i18n import N_, _
from tws_tui.keymap import bindings_for
from tws_tui.screens.base import ModeScreen, show_text
from tws_tui.screens.contact_actions import ContactActions, directory_name
from tws_tui.widgets.blf_grid import BUSY, BlfGrid
from tws_tui.widgets.dial_bar import DialTarget
from tws_tui.widgets.lazy_field import LazyField
from tws_tui.widgets.row_list import RowList

log = logging.getLogger(__name__)

SEARCH_LIMIT = 200
INSTANT_LIMIT = 60  # rows answered in the frame of the letter typed (a tall terminal's worth)
CARD_MIN_WIDTH = 100
FULL_SEARCH_DELAY_S = 0.15  # after an instant answer, the full search waits for a pause
CARD_AFTER_TYPING_S = 0.2  # the card of the first result, once typing pauses
DEVICE = "dev:"  # row keys: "dev:<device id>" for colleagues, "<source>:<id>" for contacts
HOME = "home:"  # "home:<list id>" a home-screen list's header, "home:<list id>:<…>" its rows
COLLEAGUES = "home-colleagues"  # the header of the colleagues under the home-screen lists


class ContactsScreen(ContactActions, ModeScreen):
    MODE = "contacts"
    TITLE_MSGID = N_("Contacts")
    AUTO_FOCUS = "#contact-list"
    TOPICS = frozenset({"devices"})
    BINDINGS: ClassVar = bindings_for("contacts")

    def __init__(self) -> None:
        super().__init__()
        self._results: list[Contact] | None = None  # None: no search, list the colleagues
        self._contacts: dict[str, Contact] = {}
        self._card_timer: Timer | None = None
        self._folded: set[str] = set()  # the home-screen lists folded (their header keys)

    def compose_body(self) -> ComposeResult:
        # Docked rather than in a Horizontal: containers cost the first frame (~13 ms).
        yield Static(id="contact-card", markup=False)
        yield LazyField(
            self._search_hint,
            field_id="contact-search",
            id="contact-search-bar",
            on_made=self._watch,
        )
        yield RowList(id="contact-list")
        yield BlfGrid(id="blf")

    def on_resize(self, event: events.Resize) -> None:
        """The card needs room: below CARD_MIN_WIDTH columns the list keeps the whole width
        (line state and presence matter more than the card)."""
        self.query_one("#contact-card").display = event.size.width >= CARD_MIN_WIDTH

    # ---- what the keys act on ----------------------------------------------------------

    @property
    def selected_device_id(self) -> str | None:
        """The colleague selected (tile or list): Alt+I picks up the call ringing there."""
        device = self._selected_device()
        return device.device_id if device is not None else None

    def selected_target(self) -> DialTarget | None:
        """Where F3/F4/F5 go when the dial bar is empty: the tile or the list's selection."""
        device = self._selected_device()
        if device is not None and device.extension:
            return DialTarget(
                device.extension, f"{device.name} ({device.extension})", device.device_id
            )
        contact = self._selected_contact()
        if contact is not None and contact.numbers:
            number = contact.numbers[0][1]
            return DialTarget(number, f"{contact.name} ({number})", contact.device_id)
        return None

    def _selected_device(self) -> MonitoredDevice | None:
        devices = self.tws.state.devices
        blf = self.query_one("#blf", BlfGrid)
        if blf.has_focus:
            return blf.selected
        key = self.query_one("#contact-list", RowList).selected_key or ""
        if key.startswith(DEVICE):
            return devices.get(DeviceId(key.removeprefix(DEVICE)))
        contact = self._contacts.get(key)
        if contact is not None and contact.device_id is not None:
            return devices.get(contact.device_id)
        return None

    def _selected_contact(self) -> Contact | None:
        key = self.query_one("#contact-list", RowList).selected_key
        return self._contacts.get(key) if key is not None else None

    def selected_contact(self) -> Contact | None:
        """The contact the editing keys act on: a search result, or a colleague as the
        company directory has them."""
        contact = self._selected_contact()
        if contact is not None:
            return contact
        device = self._selected_device()
        if device is None:
            return None
        numbers = (("", device.extension),) if device.extension else ()
        return Contact(
            id=device.device_id,
            source="company",
            name=device.name,
            numbers=numbers,
            department=device.department,
            device_id=device.device_id,
        )

    def contacts_changed(self, selected: Contact | None = None) -> None:
        """Search again (the local index is rebuilt), the cursor on ``selected``."""
        term = self.query_one("#contact-search-bar", LazyField).value.strip()
        self._search(term, select=f"{selected.source}:{selected.id}" if selected else None)

    def action_pick_directories(self) -> None:
        """Ctrl+F: tick the directories the search looks in (TWS-2.3.1.2-2); for this
        session. The search field's hint says when some are left out."""
        from tws_tui.contacts.directories import BACKEND, LOCAL_SOURCES
        from tws_tui.screens.choice import TickScreen

        directories = self.tws.directories()
        if directories is None:
            return
        options = [(source, directory_name(source)) for source in LOCAL_SOURCES]
        if directories.backend is not None:
            options.append((BACKEND, _("Phone system directory")))
        everything = {key for key, _label in options}

        def chosen(ticked: set[str] | None) -> None:
            if ticked is None:
                return
            directories.excluded = frozenset(everything - ticked)
            self._refresh_search_hint()
            term = self.query_one("#contact-search-bar", LazyField).value.strip()
            self._search(term)

        self.tws.push_screen(
            TickScreen(_("Directories searched"), options, everything - set(directories.excluded)),
            chosen,
        )

    def action_open_crm(self) -> None:
        """Ctrl+G: the selected contact's record in the CRM (WPL-7-5), in the browser when
        this console runs on the desktop; over SSH the link is shown and copied."""
        from tws_tui.contacts.crm import crm_link

        template = self.tws.contact_settings.crm_url
        contact = self.selected_contact()
        if not template:
            self.tws.notify(
                _("No CRM address: set crm_url in the [contacts] part of the configuration."),
                severity="warning",
            )
            return
        if contact is None:
            return
        url = crm_link(template, contact)
        self.tws.copy_to_clipboard(url)
        self.tws.notify(
            _("CRM record of {name} (copied): {url}").format(name=contact.name, url=url),
            markup=False,
        )
        if not (os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY")):
            self._open_in_browser(url)

    @work(thread=True, exit_on_error=False, group="crm")
    def _open_in_browser(self, url: str) -> None:
        import webbrowser

        webbrowser.open(url)

    def action_open_manager(self) -> None:
        from tws_tui.screens.contact_manager import ContactManagerScreen

        self.tws.push_screen(ContactManagerScreen())

    # ---- typing searches -----------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """Letters typed outside a field search here; digits still go to the dial bar."""
        if (
            event.is_printable
            and event.character is not None
            and not event.character.isdigit()
            and event.character not in "+*#"
            and not isinstance(self.focused, Input)
            and not self.key_is_bound(event.key)
        ):
            field = self.query_one("#contact-search-bar", LazyField).input
            field.focus()
            field.insert_text_at_cursor(event.character)
            event.stop()
            event.prevent_default()  # not the dial bar too (ModeScreen.on_key)

    def _watch(self, field: Input) -> None:
        # A watcher, not Input.Changed: the results then land in the frame that shows the
        # letter typed (a message handler would cost one more frame, ~17 ms).
        self.watch(field, "value", self._typed, init=False)

    def _typed(self, value: str) -> None:
        """Each letter typed: what can be answered at once now, the full search after."""
        term = value.strip()
        directories = self.tws.directories() if term else None
        # The first screenfuls at once (200 would cost ~1 ms more per letter at 100 000
        # contacts); the full search after a pause brings the rest.
        instant = directories.search_now(term, limit=INSTANT_LIMIT) if directories else None
        if instant is None:
            self._search(term)
            return
        self._results, complete = instant
        self._refresh_list(card_now=False)  # the card once typing pauses: see _card_soon
        # Complete: the full search only checks, after a pause (the next letter cancels it).
        self._search(term, delay=FULL_SEARCH_DELAY_S if complete else 0.0)

    @on(Input.Submitted, "#contact-search")
    def _search_done(self) -> None:
        self.query_one("#contact-list", RowList).focus()

    @work(exclusive=True, group="contact-search")
    async def _search(self, term: str, select: str | None = None, delay: float = 0.0) -> None:
        """Every directory asked (the backend's too); shown if ``term`` is still the one
        typed. ``select`` puts the cursor on that row."""
        if delay:
            await asyncio.sleep(delay)
        if not term:
            self._results = None
        else:
            try:  # no time limit here: the backend has its own, the local index must load
                found = await self.tws.directory(term, SEARCH_LIMIT)
            except Exception as error:  # a failing directory: say so, keep the list
                log.warning("directory search %r failed: %s", term, error)
                self.tws.notify(
                    _("The directory did not answer: {error}").format(error=error),
                    severity="warning",
                    markup=False,
                )
                return
            typed = self.query_one("#contact-search-bar", LazyField).value.strip()
            if typed != term:
                return  # typed further meanwhile: that search shows its own answer
            if found == self._results and select is None:
                return  # the instant answer was already complete: no frame to spend
            self._results = found
        self._refresh_list()
        if select is not None:
            self.query_one("#contact-list", RowList).select_key(select)

    # ---- rendering -----------------------------------------------------------------------

    def refresh_from_state(self, topics: frozenset[str]) -> None:
        self._refresh_search_hint()
        self._refresh_list()
        self._refresh_blf()

    def _search_hint(self) -> str:
        directories = self.tws.directories_made
        if directories is None or not directories.excluded:
            return _("Search every directory: just type a name, a company, a department…")
        from tws_tui.contacts.directories import BACKEND, LOCAL_SOURCES

        searched = [directory_name(s) for s in LOCAL_SOURCES if s not in directories.excluded]
        if directories.backend is not None and BACKEND not in directories.excluded:
            searched.append(_("Phone system directory"))
        return _("Search in {directories} only (Ctrl+F changes it)…").format(
            directories=", ".join(searched) or _("no directory")
        )

    def _refresh_search_hint(self) -> None:
        self.query_one("#contact-search-bar", LazyField).refresh_hint()

    def _refresh_list(self, *, card_now: bool = True) -> None:
        """The result list (or the colleagues when nothing is searched), then the card;
        ``card_now=False``: the card follows a moment later (see :meth:`_card_soon`)."""
        devices = self.tws.state.devices
        rows: dict[str, tuple[str, ...]] = {}
        tones: dict[str, str] = {}
        self._contacts = {}
        if self._results is None:
            self._home_rows(rows, tones)
            if self.tws.home_lists:
                rows[COLLEAGUES] = (self._header(COLLEAGUES, _("Colleagues"), len(devices)),)
            if COLLEAGUES not in self._folded:
                by = self.tws.contact_settings.name_sort
                for device in sorted(devices.values(), key=lambda d: name_key(d.name, by)):
                    key = DEVICE + device.device_id
                    rows[key] = _device_row(device)
                    tones.update(_tone(key, device))
        else:
            for contact in self._results:
                key = f"{contact.source}:{contact.id}"
                self._contacts[key] = contact
                device = devices.get(contact.device_id) if contact.device_id else None
                if device is not None:
                    rows[key] = _device_row(device)
                    tones.update(_tone(key, device))
                else:
                    rows[key] = _contact_row(contact)
        columns = (_("Name"), _("Ext./number"), _("Department"), _("Line"), _("Presence"))
        listed = self.query_one("#contact-list", RowList)
        listed.set_rows(columns, rows, tones=tones)
        listed.highlight(self._matched_words() if self._results is not None else ())
        if card_now:
            self._refresh_card()
        else:
            self._card_soon()

    def _matched_words(self) -> list[str]:
        """The words of the search typed, as the index matched them (TWS-2.3.1.1-2: shown in
        green in the results); numbers are matched on their digits only, so not marked."""
        from tws_tui.contacts.search import NUMBER, parse_query  # not on the start-up path

        term = self.query_one("#contact-search-bar", LazyField).value
        return [c.prefix for c in parse_query(term) if c.field != NUMBER]

    def _card_soon(self) -> None:
        """Redraw the card once no letter has come for :data:`CARD_AFTER_TYPING_S`: the
        frame of each letter then holds the list alone (a card redrawn too makes every
        widget between them paint again, ~5 ms more per letter at 120x40)."""
        if self._card_timer is not None:
            self._card_timer.stop()
        self._card_timer = self.set_timer(CARD_AFTER_TYPING_S, self._refresh_card)

    def _header(self, key: str, name: str, count: int) -> str:
        return f"{'▸' if key in self._folded else '▾'} {name} ({count})"

    def _home_rows(self, rows: dict[str, tuple[str, ...]], tones: dict[str, str]) -> None:
        """The lists shown on the home screen (TWS-1.5.2-2, TWS-2.4.2-3), each under its
        header, unfolded unless Space folded it; sorted and drawn as the list says."""
        devices = self.tws.state.devices
        for contact_list, contacts in self.tws.home_lists:
            header = HOME + contact_list.id
            rows[header] = (self._header(header, contact_list.name, len(contacts)),)
            if header in self._folded:
                continue
            by = self.tws.contact_settings.name_sort
            for contact in _sorted_for_home(contacts, contact_list.sort, devices, by):
                key = f"{header}:{contact.source}:{contact.id}"
                self._contacts[key] = contact
                device = devices.get(contact.device_id) if contact.device_id else None
                row = _device_row(device) if device is not None else _contact_row(contact)
                if contact_list.display == "reduced":  # name and presence only
                    row = (row[0], "", "", "", row[4])
                rows[key] = row
                if device is not None:
                    tones.update(_tone(key, device))

    def action_fold_list(self) -> None:
        """Space on a home-screen list's header (or one of its rows): fold or unfold it."""
        key = self.query_one("#contact-list", RowList).selected_key or ""
        if key.startswith(DEVICE) or key == COLLEAGUES:
            header = COLLEAGUES if self.tws.home_lists else ""
        elif key.startswith(HOME):
            header = HOME + key.removeprefix(HOME).split(":", 1)[0]
        else:
            header = ""
        if not header:
            return
        self._folded ^= {header}
        self._refresh_list()
        self.query_one("#contact-list", RowList).select_key(header)

    def on_row_list_highlighted(self, _event: RowList.Highlighted) -> None:
        self._refresh_card()

    def _refresh_card(self) -> None:
        """The business card of the selection (TWS-2.2: the contact's details)."""
        card = self.query_one("#contact-card", Static)
        device = self._selected_device()
        contact = self._selected_contact()
        lines: list[str] = []
        if contact is not None:
            lines.append(contact.name)
            lines += [f"{label}: {number}" for label, number in contact.numbers]
            lines += [x for x in (contact.company, contact.department, contact.email) if x]
            lines += [
                f"{_(DETAIL_KINDS.get(kind, kind))}: {value.replace(chr(10), ', ')}"
                for kind, value in contact.details
            ]
            lines.append(_("Directory: {name}").format(name=directory_name(contact.source)))
        elif device is not None:
            lines.append(device.name)
            if device.extension:
                lines.append(_("Extension: {number}").format(number=device.extension))
            if device.department:
                lines.append(device.department)
        if device is not None:
            lines.append(_device_row(device)[3])
            presence = _device_row(device)[4]
            if presence:
                lines.append(presence)
            if device.presence_note:
                lines.append(device.presence_note)
            supervised = device.device_id in self.tws.contact_settings.supervised
            lines.append(
                _("Supervised (Ctrl+B removes)")
                if supervised
                else _("Ctrl+B: supervise this colleague")
            )
        show_text(card, "\n".join(lines), layout=False)  # docked, its size fixed by CSS

    def _refresh_blf(self) -> None:
        devices = self.tws.state.devices
        wanted = (*self.tws.contact_settings.supervised, *self.tws.supervised_from_lists)
        supervised = [devices[DeviceId(d)] for d in dict.fromkeys(wanted) if d in devices]
        self.query_one("#blf", BlfGrid).show(
            supervised, _("Supervised colleagues (Tab here, then 1…9, 0 and the F-keys)")
        )

    # ---- keys ----------------------------------------------------------------------------

    def action_supervise_toggle(self) -> None:
        """Ctrl+B: add the selected colleague to the supervised tiles, or remove them."""
        device = self._selected_device()
        if device is None:
            self.tws.notify(
                _("Only colleagues on the phone system can be supervised."), severity="warning"
            )
            return
        supervised = self.tws.contact_settings.supervised
        if device.device_id in supervised:
            self.tws.change_contacts(
                supervised=tuple(d for d in supervised if d != device.device_id)
            )
        else:
            self.tws.change_contacts(supervised=(*supervised, device.device_id))


def _device_row(device: MonitoredDevice) -> tuple[str, str, str, str, str]:
    presence = (
        f"{PRESENCE_SYMBOL[device.presence]} {_(PRESENCE_WORD[device.presence])}"
        if device.presence
        else ""
    )
    if device.dnd:
        presence = "⊘ " + _("Do not disturb")
    elif device.forward_unconditional:
        presence += "  → " + device.forward_unconditional
    return (
        device.name,
        device.extension or "",
        device.department or "",
        f"{LINE_SYMBOL[device.line_state]} {_(LINE_WORD[device.line_state])}",
        presence,
    )


def _contact_row(contact: Contact) -> tuple[str, str, str, str, str]:
    """A contact without a line to watch: name, first number, department or company."""
    number = contact.numbers[0][1] if contact.numbers else ""
    return (contact.name, number, contact.department or contact.company or "", "", "")


def _sorted_for_home(
    contacts: Sequence[Contact],
    sort: str,
    devices: Mapping[DeviceId, MonitoredDevice],
    by: str = "first",
) -> list[Contact]:
    """A home-screen list's contacts in its order (TWS-2.4.2-6): by name either way, or the
    available colleagues first (or last), then by name."""

    def available(contact: Contact) -> bool:
        device = devices.get(contact.device_id) if contact.device_id else None
        return device is not None and device.presence is PresenceState.AVAILABLE

    by_name = sorted(contacts, key=lambda c: name_key(c.name, by), reverse=sort == "name_desc")
    if sort == "available_first":
        return sorted(by_name, key=lambda c: not available(c))
    if sort == "available_last":
        return sorted(by_name, key=available)
    return by_name


def _tone(key: str, device: MonitoredDevice) -> dict[str, str]:
    """Busy in red, ringing in orange (Webpilot §5: busy shown in red *and* in words)."""
    if device.line_state in BUSY:
        return {key: "error"}
    if device.line_state is LineState.RINGING:
        return {key: "warning"}
    return {}
