"""Snapshots of the contact preferences (TWS §6.6) and of the virtual phone's keys (Webpilot
§13): the Preferences' contact and presence sections, the key configuration screen, the
supervision grid with queue and shortcut tiles, and the home-screen lists drawn classic and
reduced with a card opened under its row.

Same determinism as the shell snapshots (seeded simulator without traffic, frozen clock,
English, no cursor blink).
"""

from __future__ import annotations

from typing import Any

import pytest
from helpers import ACME, add_colleague_to_list, answer_at, build_console

from tws_tui.console.widgets.row_list import RowList
from tws_tui.core.model import Contact
from tws_tui.domain.phone_keys import PhoneKey
from tws_tui.settings.schema import ContactSettings

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
KEYS = (
    PhoneKey("queue", "accueil"),
    PhoneKey("supervision", "203", "a label not shown"),
    PhoneKey("shortcut", "0478000001", "Taxi G7"),
    PhoneKey("queue", "support"),
    PhoneKey("supervision", "dev-104"),
    PhoneKey("shortcut", "112"),
    PhoneKey("supervision", "999"),
)


async def settle(pilot: Any, rounds: int = 6) -> None:
    for _ in range(rounds):
        await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_contact_preferences(snap_compare, size) -> None:
    """Preferences scrolled to Contacts, Presence and Collaboration (TWS §6.6): the card, the
    Enter gesture, the lists, the key configuration, the notices by presence (Busy off)."""
    console = build_console(contacts=ContactSettings(show_notices_when=("available", "away")))

    async def prefs(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("alt+6")
        await settle(pilot)
        console.app.screen.query_one("#contacts-title").scroll_visible(top=True, animate=False)
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=prefs)


def test_key_configuration_screen(snap_compare) -> None:
    """Alt+K: every key with its kind, the system's name, its number, its state and its tile;
    a key the phone system does not know says so."""
    console = build_console(contacts=ContactSettings(keys=KEYS))

    async def keys(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("alt+k")
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=(120, 40), run_before=keys)


@pytest.mark.parametrize("size", SIZES)
def test_tiles_with_queues_colleagues_and_shortcuts(snap_compare, size) -> None:
    """The grid: queues first (a caller waiting in Accueil), colleagues by name (one on a
    call, in red and in words), shortcuts last; the grid focused on the Taxi shortcut."""
    console = build_console(contacts=ContactSettings(keys=KEYS))

    async def tiles(pilot: Any) -> None:
        await settle(pilot)
        console.ring(ACME, to="3900")
        console.backend.switch.make_call("203", "104")
        answer_at(console, "104")
        await settle(pilot)
        console.app.screen.query_one("#blf").focus()
        await pilot.press("5")
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=tiles)


def test_home_lists_classic_and_reduced_with_a_card_opened_under_its_row(snap_compare) -> None:
    """TWS-6.6-6: a classic list (initials, name, then company) and a reduced one (presence
    and name); TWS-6.6-2 "internal": no side card, the selected contact's card under it."""
    console = build_console(contacts=ContactSettings(infocard="internal"))

    async def home(pilot: Any) -> None:
        await settle(pilot)
        store = console.app.directories().store
        bernard = store.add(
            Contact(
                "",
                "public",
                "Bernard Martineau",
                (("Mobile", "+33 6 12 34 56 78"), ("Office", "0145454545")),
                "Martineau SA",
                email="b.martineau@example.fr",
            )
        )
        colleague = min(console.app.state.devices.values(), key=lambda d: d.name)
        vip = store.create_list("VIP", visible=True)
        store.add_to_list(vip.id, bernard.source, bernard.id)
        add_colleague_to_list(store, vip.id, colleague)
        team = store.create_list("Équipe", visible=True, display="reduced")
        add_colleague_to_list(store, team.id, colleague)
        console.app.lists.refresh()
        for _ in range(100):
            await pilot.pause(0.02)
            if len(console.app.lists.home_lists) == 2:
                break
        await settle(pilot)
        listed = console.app.screen.query_one("#contact-list", RowList)
        listed.focus()
        listed.select_key(f"home:{vip.id}:public:{bernard.id}")
        await pilot.press("space")
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=(120, 40), run_before=home)
