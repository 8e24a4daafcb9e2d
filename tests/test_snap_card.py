"""Snapshots of the business card in tabs (TWS-2.5.2-2): a colleague's Availability tab after a
presence change seen by the console, and a private contact's Numbers tab in French.

Same determinism as the shell snapshots (seeded simulator without traffic, frozen clock, no
cursor blink, no animations).
"""

from __future__ import annotations

from typing import Any

from helpers import build_console, idle_colleagues, open_business_card

from tws_tui.core.model import Contact, PresenceState
from tws_tui.platform.i18n import set_language


async def settle(pilot: Any, rounds: int = 6) -> None:
    for _ in range(rounds):
        await pilot.pause()


def test_colleague_availability_tab(snap_compare) -> None:
    """Busy in a meeting for 4 minutes, the line free, do not disturb on."""
    console = build_console()

    async def availability(pilot: Any) -> None:
        await settle(pilot)
        colleague = idle_colleagues(console)[0]
        console.clock.advance(20 * 60)
        switch = console.backend.switch
        switch.set_presence(colleague.device_id, PresenceState.BUSY, "Meeting until 11:00")
        switch.set_dnd(colleague.device_id, True)
        await settle(pilot)
        console.clock.advance(4 * 60)
        await open_business_card(console, pilot, f"dev:{colleague.device_id}")
        await pilot.press("right", "right", "right")
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=(100, 30), run_before=availability)


def test_contact_numbers_tab_in_french(snap_compare) -> None:
    console = build_console()

    async def numbers(pilot: Any) -> None:
        set_language("fr")
        await settle(pilot)
        store = console.app.directories().store
        contact = store.add(
            Contact(
                "",
                "private",
                "Sophie Marchand",
                (("Bureau", "01 45 45 45 45"), ("Mobile", "06 12 34 56 78")),
                company="Marchand SA",
            )
        )
        console.app.screen.contacts_changed(contact)
        await settle(pilot)
        await pilot.press(*"marchand")
        await settle(pilot, 20)
        searching = [w for w in console.app.workers if w.group == "contact-search"]
        if searching:  # an empty list would wait for every worker (the event pump)
            await console.app.workers.wait_for_complete(searching)
        await settle(pilot)
        await open_business_card(console, pilot, f"private:{contact.id}")

    assert snap_compare(console.app, terminal_size=(100, 30), run_before=numbers)
