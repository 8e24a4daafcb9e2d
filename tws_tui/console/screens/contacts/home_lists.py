"""The rows of the Contacts list when nothing is searched: the home screen's lists, then the
colleagues, each under a header that Space folds; and a card unfolded under a row.

Row keys: ``dev:<device id>`` a colleague, ``<source>:<id>`` a contact found by a search,
``home:<list id>`` a home-screen list's header and ``home:<list id>:<source>:<id>`` its rows,
``home-colleagues`` the colleagues' header under the lists. The lists are those the user put on
the home screen (TWS-1.5.2-2, TWS-2.4.2-3), each sorted and drawn as it says — classic (two
lines) or reduced (one) — or as Preferences say for all (TWS-6.6-6). A card unfolded under a
row ("internal" cards, TWS-6.6-2) is that row's further lines (:func:`with_card`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from typing import TYPE_CHECKING

from tws_tui.console.screens.contacts.rows import (
    CARD_INDENT,
    classic_lines,
    reduced_row,
    sorted_for_home,
    tone,
)
from tws_tui.console.widgets.entry_list import more_key, owner_key
from tws_tui.core.model import Contact, DeviceId, MonitoredDevice

if TYPE_CHECKING:  # not imported on the start-up path
    from tws_tui.contacts.store import ContactList
    from tws_tui.settings.schema import ContactSettings

DEVICE = "dev:"  # row keys: "dev:<device id>" for colleagues, "<source>:<id>" for contacts
HOME = "home:"  # "home:<list id>" a home-screen list's header, "home:<list id>:<…>" its rows
COLLEAGUES = "home-colleagues"  # the header of the colleagues under the home-screen lists

Rows = dict[str, tuple[str, ...]]
HomeLists = Sequence[tuple["ContactList", Sequence[Contact]]]


def is_header(key: str) -> bool:
    """A home-screen list's header, or the colleagues' under them."""
    return key == COLLEAGUES or (key.startswith(HOME) and ":" not in key.removeprefix(HOME))


def header_line(key: str, name: str, count: int, folded: Set[str]) -> str:
    """A header's text: folded (▸) or not (▾), the name and how many are under it."""
    return f"{'▸' if key in folded else '▾'} {name} ({count})"


def header_of(key: str, *, lists_shown: bool) -> str:
    """The header a Space on row ``key`` folds ("" when none: a search result, or the
    colleagues while no list is on the home screen)."""
    if key.startswith(DEVICE) or key == COLLEAGUES:
        return COLLEAGUES if lists_shown else ""
    if key.startswith(HOME):
        return HOME + list_id_of(key)
    return ""


def list_id_of(key: str) -> str:
    """The home-screen list of row ``key`` ("" for a row of no list)."""
    return key.removeprefix(HOME).split(":", 1)[0] if key.startswith(HOME) else ""


def home_rows(
    home_lists: HomeLists,
    devices: Mapping[DeviceId, MonitoredDevice],
    settings: ContactSettings,
    folded: Set[str],
    rows: Rows,
    tones: dict[str, str],
    contacts: dict[str, Contact],
) -> None:
    """Add to ``rows`` (and ``tones``, and ``contacts`` by row key) each home-screen list
    under its header, unfolded unless in ``folded``."""
    for contact_list, listed in home_lists:
        header = HOME + contact_list.id
        rows[header] = (header_line(header, contact_list.name, len(listed), folded),)
        if header in folded:
            continue
        display = contact_list.display
        if settings.list_display != "free":
            display = settings.list_display
        by = settings.name_sort
        for contact in sorted_for_home(listed, contact_list.sort, devices, by):
            key = f"{header}:{contact.source}:{contact.id}"
            contacts[key] = contact
            device = devices.get(contact.device_id) if contact.device_id else None
            if display == "reduced":
                rows[key] = reduced_row(contact, device)
            else:
                rows[key], rows[more_key(key, 1)] = classic_lines(contact, device)
            if device is not None:
                tones.update(tone(key, device, settings))


def with_card(rows: Rows, key: str, lines: Sequence[str]) -> Rows:
    """``rows`` with ``lines`` (a card) unfolded under row ``key`` and its own further lines."""
    card = {more_key(key, 10 + i): (CARD_INDENT + text,) for i, text in enumerate(lines)}
    out: Rows = {}
    pending = False
    for row_key, row in rows.items():
        if pending and owner_key(row_key) != key:
            out.update(card)
            pending = False
        out[row_key] = row
        pending = pending or row_key == key
    if pending:
        out.update(card)
    return out
