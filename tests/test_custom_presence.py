"""Presence states of my own (issue 17, TWS §1.6) on the simulator: added from the presence
picker (Alt+P) with a label, the base state it means and a note; a bad label (empty, a 5 KB
paste, markup) refused in words with nothing kept; the state chosen is my presence with its
label, in my status bar and in the view colleagues get of my line (their tile still reads the
base state); the automatic states stay in the picker and one of them takes the label away; a
state removed from the picker; the checks every layer shares."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import build_console, settle
from textual.widgets import Input, OptionList, Static

from tws_tui.console.screens.modals.choice import ChoiceScreen
from tws_tui.console.screens.modals.presence import PresencePicker
from tws_tui.console.screens.profiles.forms import CustomPresenceForm
from tws_tui.console.widgets.status_bar import StatusBar
from tws_tui.core.errors import InvalidValue, NotSupported
from tws_tui.core.model import Capability, LineState, PresenceState
from tws_tui.domain.custom_presence import CustomPresence, check_label, check_note, check_state
from tws_tui.settings.profiles_file import load_profiles, profiles_file
from tws_tui.simulator.views import device_view

SIZE = (140, 30)


async def pick(pilot: Any, option_id: str) -> None:
    """Highlight the picker's option ``option_id`` and press Enter, as the receptionist does."""
    options = pilot.app.screen.query_one(OptionList)
    ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
    options.highlighted = ids.index(option_id)
    await pilot.press("enter")
    await settle(pilot)


async def test_a_state_of_my_own_is_added_chosen_seen_by_colleagues_and_removed() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("alt+p")
        await settle(pilot)
        assert isinstance(console.app.screen, PresencePicker)
        await pick(pilot, "custom-new")
        form = console.app.screen
        assert isinstance(form, CustomPresenceForm)

        async def typed(label: str) -> str:
            form.query_one("#cp-label", Input).value = label
            form.query_one("#cp-label", Input).focus()
            await pilot.press("enter")
            await settle(pilot)
            if console.app.screen is not form:
                return ""
            return str(form.query_one("#form-error", Static).render())

        assert "needs a label" in await typed("   ")
        assert "at most 40 characters (5000 typed)" in await typed("x" * 5000)
        assert "[ ] < >" in await typed("[b]Boss[/b]")
        assert console.app.screen is form  # each refused, the form stays
        assert load_profiles(profiles_file())[0].presence_states == ()  # nothing kept
        form.query_one("#cp-note", Input).value = "back at 14:00"
        assert await typed("  At   reception desk ") == ""  # kept: the form is gone
        me = console.app.state.me
        assert me.presence is PresenceState.BUSY  # the form's base state, Busy by default
        assert me.presence_label == "At reception desk"
        assert me.presence_note == "back at 14:00"
        bar = console.app.screen.query_one(StatusBar).render().plain
        assert "At reception desk" in bar
        mine = device_view(console.backend.switch.endpoint(me.devices[0]))
        assert (mine.presence, mine.presence_label) == (PresenceState.BUSY, "At reception desk")
        assert mine.line_state is LineState.IDLE
        kept = load_profiles(profiles_file())[0].presence_states
        assert kept == (CustomPresence("At reception desk", PresenceState.BUSY, "back at 14:00"),)

        await pilot.press("alt+p")
        await settle(pilot)
        options = console.app.screen.query_one(OptionList)
        current = options.get_option_at_index(options.highlighted or 0)
        assert current.id == "custom:0"  # my state of my own is the current one
        await pick(pilot, "available")  # an automatic state: the label goes
        me = console.app.state.me
        assert (me.presence, me.presence_label) == (PresenceState.AVAILABLE, None)

        await pilot.press("alt+p")
        await settle(pilot)
        await pick(pilot, "custom-remove")
        assert isinstance(console.app.screen, ChoiceScreen)
        await pick(pilot, "0")
        assert console.app.presence.custom_states() == ()
        assert load_profiles(profiles_file())[0].presence_states == ()


async def test_without_custom_states_the_picker_offers_only_the_base_ones() -> None:
    console = build_console(capabilities=set(Capability) - {Capability.PRESENCE_CUSTOM})
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+p")
        await settle(pilot)
        options = console.app.screen.query_one(OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids == ["available", "away", "busy", "dnd", "offline"]
        with pytest.raises(NotSupported):
            await console.backend.set_presence(PresenceState.BUSY, label="At the desk")


def test_the_checks_every_layer_shares() -> None:
    assert check_label(" Lunch \t until  14:00 ") == "Lunch until 14:00"
    for bad in ("", "   ", "x" * 41, "<b>", "a\x1b[31mb"):
        with pytest.raises(InvalidValue):
            check_label(bad)
    assert check_note("back\nat 14:00") == "back at 14:00"
    with pytest.raises(InvalidValue, match="at most 80"):
        check_note("n" * 81)
    one = CustomPresence("Lunch", PresenceState.AWAY)
    with pytest.raises(InvalidValue, match="already exists"):
        check_state(CustomPresence("LUNCH", PresenceState.BUSY), (one,))


def test_the_switch_refuses_a_bad_label_and_keeps_the_presence() -> None:
    console = build_console()
    switch = console.backend.switch
    device = console.backend.device
    switch.set_presence(device, PresenceState.AWAY, None, "Lunch")
    with pytest.raises(InvalidValue):
        switch.set_presence(device, PresenceState.BUSY, None, "y" * 5000)
    ep = switch.endpoint(device)
    assert (ep.presence, ep.presence_label) == (PresenceState.AWAY, "Lunch")
