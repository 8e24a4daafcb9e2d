"""TWS-1.7-2: a click on the active profile in the status bar opens the profile picker (as
Alt+U does); a click anywhere else on the bar still opens the presence picker (TWS-1.6.1-2)."""

from __future__ import annotations

from typing import Any

from helpers import build_console

from tws_tui.console.screens.modals.presence import PresencePicker
from tws_tui.console.screens.modals.profile_picker import ProfilePicker
from tws_tui.console.widgets.status_bar import StatusBar
from tws_tui.platform.i18n import set_language


async def settle(pilot: Any, rounds: int = 6) -> None:
    for _ in range(rounds):
        await pilot.pause()


async def test_a_click_on_the_profile_opens_the_profile_picker_elsewhere_presence() -> None:
    set_language("en")
    console = build_console()
    async with console.app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bar = console.app.screen.query_one(StatusBar)
        cells = bar.profile_cells()
        line = bar.render().plain
        assert line[cells.start : cells.stop] == "◆ Office"  # all ASCII before it here
        await pilot.click(StatusBar, offset=(cells.start + 3, 0))
        await settle(pilot)
        assert isinstance(console.app.screen, ProfilePicker)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.click(StatusBar, offset=(2, 0))  # my name: the presence picker
        await settle(pilot)
        assert isinstance(console.app.screen, PresencePicker)
