"""Snapshots with ``NO_COLOR=1`` (issue 14): the sign-in screen and Preferences, where states
were told by colour alone — the chosen backend, the ticked boxes, the switches — and faint
notes were grey on grey. Each state must read from the picture's glyphs and greys."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import build_console, prefs_of

from tws_tui.console.app import TwsApp
from tws_tui.core.clock import ManualClock

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def settle(pilot: Any) -> None:
    for _ in range(3):
        await pilot.pause()


@pytest.fixture(autouse=True)
def no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.mark.parametrize("size", SIZES)
def test_sign_in_without_colour(snap_compare, size) -> None:
    """Demo chosen (the only dot), "Remember me" ticked, "Automatic connection" blank."""
    app = TwsApp(prefs=prefs_of(), clock=ManualClock(), setup=True)
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_preferences_without_colour(snap_compare, size) -> None:
    """Switches as [x] / [ ]; section titles and notes readable."""
    console = build_console()

    async def prefs(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("alt+6")
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=prefs)
