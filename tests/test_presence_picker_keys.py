"""The presence picker's keys on my states of my own: Del removes the highlighted one at once
(TWS-1.6.1.2-1, no confirmation) and the picker comes back without it; E edits it in the form
it was made with (TWP-3.2.1-1), kept in its place, my presence following when it was that
state. On a built-in state each says in a notice that those stay, and nothing changes."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from helpers import build_console, settle
from textual.widgets import Input, OptionList

from tws_tui.console.screens.modals.presence import PresencePicker
from tws_tui.console.screens.profiles.forms import CustomPresenceForm
from tws_tui.core.model import PresenceState
from tws_tui.domain.custom_presence import CustomPresence
from tws_tui.platform.i18n import set_language
from tws_tui.settings.profiles_file import load_profiles, profiles_file

LUNCH = CustomPresence("Lunch", PresenceState.AWAY, "")
DESK = CustomPresence("At reception desk", PresenceState.BUSY, "")
FRONT = CustomPresence("Front desk", PresenceState.BUSY, "back at 14:00")


def option_ids(pilot: Any) -> list[str | None]:
    options = pilot.app.screen.query_one(OptionList)
    return [options.get_option_at_index(i).id for i in range(options.option_count)]


async def highlight(pilot: Any, option_id: str) -> None:
    pilot.app.screen.query_one(OptionList).highlighted = option_ids(pilot).index(option_id)
    await settle(pilot)


async def test_del_removes_and_e_edits_a_state_of_my_own_never_a_built_in_one() -> None:
    set_language("en")
    console = build_console()
    app = console.app
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        profiles = app.profiles
        assert profiles.save(replace(profiles.book, presence_states=(LUNCH, DESK)))
        await pilot.press("alt+p")
        await settle(pilot)
        await highlight(pilot, "custom:1")
        await pilot.press("enter")  # At reception desk is my presence
        await settle(pilot)
        assert app.state.me.presence_label == "At reception desk"

        await pilot.press("alt+p")
        await settle(pilot)
        assert isinstance(app.screen, PresencePicker)
        await highlight(pilot, "available")
        await pilot.press("delete", "e")  # built-in: refused in words, twice
        await settle(pilot)
        messages = [notice.message for notice in app._notifications]
        assert "Only a state of my own can be removed; the built-in states stay." in messages
        assert "Only a state of my own can be edited; the built-in states stay." in messages
        assert isinstance(app.screen, PresencePicker)

        await highlight(pilot, "custom:1")
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CustomPresenceForm)
        label = form.query_one("#cp-label", Input)
        assert label.value == "At reception desk"  # the form opens on the state
        label.value = "Front desk"
        form.query_one("#cp-note", Input).value = "back at 14:00"
        label.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert load_profiles(profiles_file())[0].presence_states == (LUNCH, FRONT)  # in place
        me = app.state.me
        assert (me.presence_label, me.presence_note) == ("Front desk", "back at 14:00")

        await pilot.press("alt+p")
        await settle(pilot)
        await highlight(pilot, "custom:0")  # Lunch
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, PresencePicker)  # the list again, without it
        options = app.screen.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert not any("Lunch" in label for label in labels)
        assert any("Front desk" in label for label in labels)
        assert load_profiles(profiles_file())[0].presence_states == (FRONT,)
