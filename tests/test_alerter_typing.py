"""Issue 14, "the incoming pop-up takes the keyboard": typing while it is up never refuses nor
deflects; the letters go where they would without it, and Alt+R / Alt+D act on its call."""

from __future__ import annotations

from typing import Any

from helpers import ACME, DUPONT, build_console, idle_colleagues, line_of
from textual.widgets import Input

from tws_tui.console.screens.modals.alerter import AlerterScreen
from tws_tui.core.model import ConnectionState
from tws_tui.settings.schema import AlertSettings

SIZE = (110, 32)


async def settle(pilot: Any, rounds: int = 4) -> None:
    for _ in range(rounds):
        await pilot.pause()


async def test_typing_a_name_while_the_pop_up_is_up_searches_and_the_call_rings_on() -> None:
    console = build_console(alerts=AlertSettings(popup=True))
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        console.ring(ACME)
        await settle(pilot)
        assert isinstance(console.app.screen, AlerterScreen)
        await pilot.press(*"bernard")
        await settle(pilot)
        assert not isinstance(console.app.screen, AlerterScreen)
        [call] = console.app.state.calls.values()
        assert call.state is ConnectionState.ALERTING  # not refused, not deflected
        focused = console.app.focused
        assert isinstance(focused, Input) and focused.value == "bernard"


async def test_alt_r_and_alt_d_act_on_the_pop_ups_call() -> None:
    console = build_console(alerts=AlertSettings(popup=True))
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        colleague = idle_colleagues(console)[0]
        console.app.prefs.change("alerts", deflect_to=colleague.extension)
        console.ring(ACME)
        await settle(pilot)
        text = str(console.app.screen.query_one("#alerter-body").render())
        assert "Alt+R" in text and "Alt+D" in text
        await pilot.press("alt+d")
        await settle(pilot)
        assert console.app.state.calls == {}
        assert line_of(console, colleague.extension) == "ringing"
        console.ring(DUPONT)
        await settle(pilot)
        assert isinstance(console.app.screen, AlerterScreen)
        await pilot.press("alt+r")
        await settle(pilot)
        assert console.app.state.calls == {}
