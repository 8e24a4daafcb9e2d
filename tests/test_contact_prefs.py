"""TWS §6.6 contact preferences: Away after idle minutes (and back at the next key), names
sorted by last name, the corner of the notices — each chosen in Preferences and applied."""

from __future__ import annotations

from typing import Any

from helpers import build_console
from textual.widgets import Select

from tws_tui.app import UiOptions
from tws_tui.config import ContactSettings
from tws_tui.contacts.text import name_key
from tws_tui.core.model import PresenceState
from tws_tui.widgets.row_list import RowList

SIZE = (110, 30)


async def settle(pilot: Any, rounds: int = 5) -> None:
    for _ in range(rounds):
        await pilot.pause()


def presence(console: Any) -> PresenceState:
    return console.app.state.me.presence


async def test_away_after_idle_minutes_and_back_at_the_next_key() -> None:
    """TWS-6.6-7: no key for the delay → Away (with a notice); a key → Available again; a
    presence chosen meanwhile is left alone; never when the setting is 0."""
    console = build_console(contacts=ContactSettings(away_after_min=5))
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        console.clock.advance(4 * 60)
        await settle(pilot)
        assert presence(console) is PresenceState.AVAILABLE
        await pilot.press("down")  # activity: the 5 minutes start again
        console.clock.advance(4 * 60)
        await settle(pilot)
        assert presence(console) is PresenceState.AVAILABLE
        console.clock.advance(61)
        await settle(pilot)
        assert presence(console) is PresenceState.AWAY
        assert any("idle minutes" in str(n.message) for n in console.app._notifications)
        await pilot.press("down")
        await settle(pilot)
        assert presence(console) is PresenceState.AVAILABLE
        console.app.change_contacts(away_after_min=0)
        console.clock.advance(3600)
        await settle(pilot)
        assert presence(console) is PresenceState.AVAILABLE


async def test_busy_is_not_turned_into_away() -> None:
    console = build_console(contacts=ContactSettings(away_after_min=5))
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        console.app.run_command(lambda backend: backend.set_presence(PresenceState.BUSY))
        await settle(pilot)
        console.clock.advance(600)
        await settle(pilot)
        assert presence(console) is PresenceState.BUSY


def test_name_key_sorts_by_first_or_last_name_accents_ignored() -> None:
    names = ["Élodie Garcia", "Anne Martin", "Céline Blanc", "Jean-Pierre Dupont"]
    assert sorted(names, key=name_key) == [
        "Anne Martin",
        "Céline Blanc",
        "Élodie Garcia",
        "Jean-Pierre Dupont",
    ]
    assert sorted(names, key=lambda n: name_key(n, "last")) == [
        "Céline Blanc",
        "Jean-Pierre Dupont",
        "Élodie Garcia",
        "Anne Martin",
    ]


async def test_preferences_choose_last_name_sort_and_the_notice_corner() -> None:
    """TWS-6.6-3 and -5, chosen in Preferences: the colleagues are listed by last name, the
    notices move to the top left; both kept in prefs."""
    console = build_console(ui=UiOptions(animations=False, desktop_notifications=False))
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+6")
        await settle(pilot)
        prefs = console.app.screen
        prefs.query_one("#pref-name_sort", Select).value = "last"
        prefs.query_one("#pref-toast_position", Select).value = "top-left"
        await settle(pilot)
        assert console.app.contact_settings.name_sort == "last"
        assert console.app.ui.toast_position == "top-left"
        assert console.app.has_class("-toasts-top-left")
        await pilot.press("alt+1")
        await settle(pilot)
        listed = console.app.screen.query_one("#contact-list", RowList)
        names = [listed.row(key)[0] for key in listed.row_keys()]
        assert names == sorted(names, key=lambda n: name_key(n, "last"))
        assert names != sorted(names, key=name_key)
