"""Preferences that follow the receptionist (issue 17), on the simulator: automatic connection
turned off from Preferences (kept in prefs.toml, so the sign-in screen shows again)."""

from __future__ import annotations

import tomllib
from typing import Any

from helpers import build_console, settle
from textual.widgets import Switch

from tws_tui.platform import paths
from tws_tui.settings.load import load_settings
from tws_tui.settings.prefs_file import save_prefs

SIZE = (110, 30)


async def test_automatic_connection_is_turned_off_from_preferences() -> None:
    """TWS-1.1-7: once on, only Preferences can turn it off; the switch writes
    ``general.auto_connect = false`` to prefs.toml and the next start shows the sign-in."""
    console = build_console(save_prefs=save_prefs)
    prefs = console.app.prefs
    prefs.change("general", auto_connect=True)  # as the sign-in screen leaves it
    assert load_settings()[0].general.auto_connect is True
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+6")
        await settle(pilot)
        switch = console.app.screen.query_one("#pref-auto_connect", Switch)
        assert switch.value is True
        switch.scroll_visible(animate=False)
        await settle(pilot)
        await pilot.click(switch)
        await settle(pilot)
        assert prefs.general.auto_connect is False
    written: dict[str, Any] = tomllib.loads(paths.prefs_file().read_text("utf-8"))
    assert written["general"]["auto_connect"] is False
    assert load_settings()[0].general.auto_connect is False
