"""Contacts mode: find anyone as you type, see who is free, supervise colleagues (TWS §2, §1.6).

Top: one search field over every directory the console has (the backend's directory, the
colleagues on the switch); letters typed anywhere on this screen go there (digits still go to
the dial bar: the F-keys dial). An empty search lists the colleagues alphabetically, busy ones
in red with the state in words (Webpilot §5). ``field:value`` searches one field (``name:``,
``company:``, ``department:``, ``number:``) when the directory supports it.

Right: the business card of the selected entry (numbers with their labels, company,
department, e-mail, directory, line state and presence); Ctrl+K opens it whole, in tabs
(:mod:`tws_tui.console.screens.contacts.business_card`, TWS-2.5.2-2). Bottom: the keys of the
virtual phone
as tiles (:class:`~tws_tui.console.widgets.blf_grid.BlfGrid`, Webpilot §13: queues, colleagues by
name,
shortcuts), Ctrl+B adding or removing the selected colleague, Alt+K editing every key (kept
in prefs.toml, ``[contacts] keys``).

The contact preferences (TWS §6.6) act here. The card follows the cursor beside the list
("external", -2), or opens under its row at Enter/Space ("internal"; also where the terminal
is too narrow for the side card). Enter on a contact or a tile calls it at once ("single",
-4) or opens it first and calls at the second Enter ("double", the default: an Enter meant for
a call that stopped ringing a moment before must not dial); a double click calls either way,
a click only selects. The lists of the home screen are drawn classic (two lines) or reduced
(one) as each list says ("free", -6; Ctrl+D switches the one under the cursor), or all alike;
those rows, their headers and a card unfolded under a row are made in :mod:`.home_lists`.

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
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.timer import Timer
from textual.widgets import Input, Static

from tws_tui.console.bindings import bindings_for
from tws_tui.console.links import open_link
from tws_tui.console.screens.base import ModeScreen, show_text, type_into
from tws_tui.console.screens.contacts.actions import ContactActions
from tws_tui.console.screens.contacts.home_lists import (
    COLLEAGUES,
    DEVICE,
    header_line,
    header_of,
    home_rows,
    is_header,
    list_id_of,
    with_card,
)
from tws_tui.console.screens.contacts.rows import card_lines, contact_row, device_row, tone
from tws_tui.console.widgets.blf_grid import BlfGrid
from tws_tui.console.widgets.dial_bar import DialTarget
from tws_tui.console.widgets.entry_list import EntryList, owner_key
from tws_tui.console.widgets.lazy_field import LazyField
from tws_tui.console.widgets.row_list import RowList
from tws_tui.contacts.rules import directory_name
from tws_tui.core.model import Capability, Contact, DeviceId, MonitoredDevice, UserId
from tws_tui.core.topics import Topic, Topics
from tws_tui.domain.phone_keys import SUPERVISION, PhoneKey, supervises, tiles, without_device
from tws_tui.domain.text import name_key
from tws_tui.platform.i18n import N_, _

log = logging.getLogger(__name__)

SEARCH_LIMIT = 200
INSTANT_LIMIT = 60  # rows answered in the frame of the letter typed (a tall terminal's worth)
CARD_MIN_WIDTH = 100
FULL_SEARCH_DELAY_S = 0.15  # after an instant answer, the full search waits for a pause
CARD_AFTER_TYPING_S = 0.2  # the card of the first result, once typing pauses
DISPLAY_WORD = {"classic": N_("classic"), "reduced": N_("reduced")}


class ContactsScreen(ContactActions, ModeScreen):
    MODE = "contacts"
    TITLE_MSGID = N_("Contacts")
    AUTO_FOCUS = "#contact-list"
    TOPICS = frozenset({Topic.DEVICES, Topic.QUEUES})  # queues: their tiles
    BINDINGS: ClassVar = bindings_for("contacts")

    def __init__(self) -> None:
        super().__init__()
        self._results: list[Contact] | None = None  # None: no search, list the colleagues
        self._contacts: dict[str, Contact] = {}
        self._card_timer: Timer | None = None
        self._folded: set[str] = set()  # the home-screen lists folded (their header keys)
        self._expanded: str | None = None  # the row whose card is open under it (TWS-6.6-2)
        self._armed: str | None = None  # what the first Enter opened: the second calls it

    def compose_body(self) -> ComposeResult:
        # Docked rather than in a Horizontal: containers cost the first frame (~13 ms).
        yield Static(id="contact-card", markup=False)
        yield LazyField(
            self._search_hint,
            field_id="contact-search",
            id="contact-search-bar",
            on_made=self._watch,
        )
        yield EntryList(id="contact-list")
        yield BlfGrid(id="blf")

    def on_resize(self, event: events.Resize) -> None:
        self._apply_card_pane(event.size.width)

    def _side_card(self, width: int | None = None) -> bool:
        """Whether the card is beside the list: "external" (TWS-6.6-2) and room for it —
        below CARD_MIN_WIDTH columns the list keeps the whole width (line state and presence
        matter more than the card), which opens cards under their row instead."""
        width = self.size.width if width is None else width
        return self.tws.prefs.contacts.infocard == "external" and width >= CARD_MIN_WIDTH

    def _apply_card_pane(self, width: int | None = None) -> None:
        card = self.query_one("#contact-card")
        wanted = self._side_card(width)
        if card.display != wanted:
            card.display = wanted
            if wanted:
                self._refresh_card()

    # ---- what the keys act on ----------------------------------------------------------

    @property
    def selected_device_id(self) -> str | None:
        """The colleague selected (tile or list): Alt+I picks up the call ringing there."""
        device = self._selected_device()
        return device.device_id if device is not None else None

    def selected_target(self) -> DialTarget | None:
        """Where F3/F4/F5 go when the dial bar is empty: the tile or the list's selection."""
        blf = self.query_one("#blf", BlfGrid)
        if blf.has_focus:
            tile = blf.selected
            if tile is None or not tile.dial:
                return None
            device_id = tile.device.device_id if tile.device is not None else None
            return DialTarget(tile.dial, f"{tile.name} ({tile.dial})", device_id)
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
        blf = self.query_one("#blf", BlfGrid)
        if blf.has_focus:
            return blf.selected_device
        return self._device_for(self.query_one("#contact-list", RowList).selected_key or "")

    def _device_for(self, key: str) -> MonitoredDevice | None:
        """The colleague of the row ``key`` (a colleague, or a contact with a phone line)."""
        devices = self.tws.state.devices
        key = owner_key(key)
        if key.startswith(DEVICE):
            return devices.get(DeviceId(key.removeprefix(DEVICE)))
        contact = self._contacts.get(key)
        if contact is not None and contact.device_id is not None:
            return devices.get(contact.device_id)
        return None

    def _selected_contact(self) -> Contact | None:
        key = self.query_one("#contact-list", RowList).selected_key
        return self._contacts.get(owner_key(key)) if key is not None else None

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
        from tws_tui.console.screens.modals.choice import TickScreen
        from tws_tui.contacts.directories import BACKEND, LOCAL_SOURCES

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

        template = self.tws.prefs.contacts.crm_url
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
        open_link(self.app, url)
        self.tws.notify(
            _("CRM record of {name} (copied): {url}").format(name=contact.name, url=url),
            markup=False,
        )

    async def action_message_colleague(self) -> None:
        """Alt+W: the Chat screen, in the conversation with the selected colleague."""
        from tws_tui.console.screens.chat import ChatScreen

        device = self._selected_device()
        peer = None if device is None else device.user_id or device.extension
        if not self.tws.can(Capability.CHAT):
            self.tws.notify(_("Chat is not available with this connection."), severity="warning")
            return
        if peer is None:
            self.tws.notify(_("Select a colleague to write to."), severity="warning")
            return
        await self.app.switch_mode("chat")
        screen = self.app.screen
        if isinstance(screen, ChatScreen):
            screen.open_conversation(UserId(peer))

    def action_open_manager(self) -> None:
        from tws_tui.console.screens.contacts.manager import ContactManagerScreen

        self.tws.push_screen(ContactManagerScreen())

    # ---- typing searches -----------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """Letters typed outside a field search here; digits still go to the dial bar."""
        if self.letter_outside_a_field(event):
            type_into(self.query_one("#contact-search-bar", LazyField).input, event)
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

    def refresh_from_state(self, topics: Topics) -> None:
        self._refresh_blf()
        if topics <= {Topic.QUEUES}:  # only the queues' tiles changed
            return
        self._apply_card_pane()
        self._refresh_search_hint()
        self._refresh_list()

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
            home_lists, settings = self.tws.lists.home_lists, self.tws.prefs.contacts
            home_rows(home_lists, devices, settings, self._folded, rows, tones, self._contacts)
            if home_lists:
                colleagues = header_line(COLLEAGUES, _("Colleagues"), len(devices), self._folded)
                rows[COLLEAGUES] = (colleagues,)
            if COLLEAGUES not in self._folded:
                by = self.tws.prefs.contacts.name_sort
                for device in sorted(devices.values(), key=lambda d: name_key(d.name, by)):
                    key = DEVICE + device.device_id
                    rows[key] = device_row(device)
                    tones.update(tone(key, device, self.tws.prefs.contacts))
        else:
            for contact in self._results:
                key = f"{contact.source}:{contact.id}"
                self._contacts[key] = contact
                line = devices.get(contact.device_id) if contact.device_id else None
                if line is not None:
                    rows[key] = device_row(line)
                    tones.update(tone(key, line, self.tws.prefs.contacts))
                else:
                    rows[key] = contact_row(contact)
        if self._expanded is not None:
            rows = self._with_card(rows, self._expanded)
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

    def _with_card(self, rows: dict[str, tuple[str, ...]], key: str) -> dict[str, tuple[str, ...]]:
        """``rows`` with the card of row ``key`` unfolded under it (TWS-6.6-2 "internal");
        a row no longer listed closes its card."""
        device, contact = self._device_for(key), self._contacts.get(key)
        if key not in rows or (device is None and contact is None):
            self._expanded = None
            return rows
        supervised = device is not None and supervises(self.tws.prefs.phone_keys, device)
        return with_card(rows, key, card_lines(contact, device, supervised)[1:])  # name: row

    def action_fold_list(self) -> None:
        """Space on a home-screen list's header: fold or unfold it. On a row: open or close
        its card under it when cards open there (TWS-6.6-2 "internal"), else fold its list."""
        key = self.query_one("#contact-list", RowList).selected_key or ""
        internal = self.tws.prefs.contacts.infocard == "internal"
        if internal and key and not is_header(key):
            self._open_card(None if self._expanded == key else key)
            return
        header = header_of(key, lists_shown=bool(self.tws.lists.home_lists))
        if not header:
            return
        self._folded ^= {header}
        self._refresh_list()
        self.query_one("#contact-list", RowList).select_key(header)

    def _open_card(self, key: str | None) -> None:
        """Open the card of row ``key`` under it (None: close the one open)."""
        self._expanded = key
        self._refresh_list()

    def on_row_list_highlighted(self, event: RowList.Highlighted) -> None:
        if self._armed is not None and event.key != self._armed:
            self._armed = None  # the second Enter must be on the contact the first opened
        self._refresh_card()

    def _refresh_card(self) -> None:
        """The business card of the selection beside the list (TWS-2.2: the details)."""
        card = self.query_one("#contact-card", Static)
        if not card.display:
            return
        device = self._selected_device()
        supervised = device is not None and supervises(self.tws.prefs.phone_keys, device)
        lines = card_lines(self._selected_contact(), device, supervised)
        show_text(card, "\n".join(lines), layout=False)  # docked, its size fixed by CSS

    def _refresh_blf(self) -> None:
        state = self.tws.state
        shown = tiles(
            self.tws.prefs.phone_keys,
            state.devices,
            state.queues,
            also_supervised=self.tws.lists.supervised,
            name_sort=self.tws.prefs.contacts.name_sort,
        )
        self.query_one("#blf", BlfGrid).show(
            shown,
            _("Supervision (Tab here, then 1…9, 0 and the F-keys; Alt+K: the keys)"),
            _("No key yet: Ctrl+B on a colleague, Alt+K for queues and shortcuts."),
            (self.tws.prefs.contacts.ringing_colour, self.tws.prefs.contacts.talking_colour),
        )

    # ---- keys ----------------------------------------------------------------------------

    def action_supervise_toggle(self) -> None:
        """Ctrl+B: add a supervision key for the selected colleague, or remove it."""
        device = self._selected_device()
        if device is None:
            self.tws.notify(
                _("Only colleagues on the phone system can be supervised."), severity="warning"
            )
            return
        keys = self.tws.prefs.phone_keys
        if supervises(keys, device):
            self.tws.prefs.set_phone_keys(without_device(keys, device))
        else:
            self.tws.prefs.set_phone_keys((*keys, PhoneKey(SUPERVISION, device.device_id)))

    def action_activate(self) -> None:
        """Enter on a contact or a tile (TWS-6.6-4): "single" calls it; "double" opens it
        (its card, with a notice) and the second Enter on the same one calls. Enter on a
        list's header folds it."""
        blf = self.query_one("#blf", BlfGrid)
        if blf.has_focus:
            tile = blf.selected
            key = f"tile:{blf.cursor}:{tile.name}" if tile is not None else ""
        else:
            key = self.query_one("#contact-list", RowList).selected_key or ""
            if is_header(key):
                self.action_fold_list()
                return
        target = self.selected_target()
        if target is None:
            if key:
                self.tws.notify(_("Nothing to call: no number here."), severity="warning")
            return
        if self.tws.prefs.contacts.call_gesture == "single" or self._armed == key:
            self._armed = None
            self._call(target)
            return
        self._armed = key
        if not blf.has_focus and not self._side_card() and self._expanded != key:
            self._open_card(key)
        self.tws.notify(_("Enter again calls {target}.").format(target=target.label), timeout=4)

    def _call(self, target: DialTarget) -> None:
        destination = target.destination
        self.tws.run_command(lambda backend: backend.make_call(destination))

    def on_click(self, event: events.Click) -> None:
        """A double click on a contact calls it, whatever the Enter gesture (a single
        click only selects: pointing at someone must not dial)."""
        if event.chain >= 2 and event.widget is self.query_one("#contact-list"):
            key = self.query_one("#contact-list", RowList).selected_key or ""
            target = None if is_header(key) else self.selected_target()
            if target is not None:
                self._armed = None
                self._call(target)

    def action_toggle_list_display(self) -> None:
        """Ctrl+D: the home-screen list under the cursor drawn classic or reduced, when
        Preferences leave it to each list (TWS-6.6-6 "free"); kept with the list."""
        mode = self.tws.prefs.contacts.list_display
        if mode != "free":
            self.tws.notify(
                _(
                    "Every contact list is drawn {display} (Preferences): choose “each list"
                    " its own” there to switch one list."
                ).format(display=_(DISPLAY_WORD[mode])),
                severity="warning",
            )
            return
        key = self.query_one("#contact-list", RowList).selected_key or ""
        list_id = list_id_of(key)
        found = [lst for lst, _contacts in self.tws.lists.home_lists if lst.id == list_id]
        store = self.contact_store() if found else None
        if not found:
            self.tws.notify(
                _("Put the cursor on a contact list of the home screen first."),
                severity="warning",
            )
            return
        if store is None:
            return
        lst = found[0]
        display = "reduced" if lst.display == "classic" else "classic"
        self._write(
            lambda: store.edit_list(
                lst.id,
                name=lst.name,
                public=lst.public,
                supervised=lst.supervised,
                visible=lst.visible,
                sort=lst.sort,
                display=display,
            ),
            lambda _list: self.tws.lists.refresh(),
        )
