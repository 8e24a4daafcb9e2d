"""TWS-1.6.1.2-1: in the presence picker (Alt+P), Del on a highlighted state of my own removes
it at once (no confirmation) and the picker comes back without it; on a built-in state a notice
says those stay and nothing changes."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from helpers import build_console, settle
from textual.widgets import OptionList

from tws_tui.console.screens.modals.presence import PresencePicker
from tws_tui.core.model import PresenceState
from tws_tui.domain.custom_presence import CustomPresence
from tws_tui.platform.i18n import set_language
from tws_tui.settings.profiles_file import load_profiles, profiles_file

LUNCH = CustomPresence("Lunch", PresenceState.AWAY, "")
DESK = CustomPresence("At reception desk", PresenceState.BUSY, "")


def option_ids(pilot: Any) -> list[str | None]:
    options = pilot.app.screen.query_one(OptionList)
    return [options.get_option_at_index(i).id for i in range(options.option_count)]


async def test_del_removes_a_state_of_my_own_and_keeps_the_built_in_ones() -> None:
    set_language("en")
    console = build_console()
    async with console.app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        profiles = console.app.profiles
        assert profiles.save(replace(profiles.book, presence_states=(LUNCH, DESK)))
        await pilot.press("alt+p")
        await settle(pilot)
        assert isinstance(console.app.screen, PresencePicker)
        options = console.app.screen.query_one(OptionList)
        options.highlighted = option_ids(pilot).index("available")
        await pilot.press("delete")  # a built-in state: refused in words
        await settle(pilot)
        messages = [notice.message for notice in console.app._notifications]
        assert "Only a state of my own can be removed; the built-in states stay." in messages
        assert isinstance(console.app.screen, PresencePicker)
        options.highlighted = option_ids(pilot).index("custom:0")  # Lunch
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(console.app.screen, PresencePicker)  # the list again, without it
        labels = [
            str(console.app.screen.query_one(OptionList).get_option_at_index(i).prompt)
            for i in range(len(option_ids(pilot)))
        ]
        assert not any("Lunch" in label for label in labels)
        assert any("At reception desk" in label for label in labels)
        assert load_profiles(profiles_file())[0].presence_states == (DESK,)
