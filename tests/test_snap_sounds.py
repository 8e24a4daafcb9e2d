"""Snapshots of the Sound library page (issue 17, TWS-6.8) at 80x24 and 120x40, in English and
in French, opened from Preferences on ``sim``: the built-in sounds with their lengths and
kinds, the sound chosen for each event (the chat's set to "bell"), the field to add a WAV."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import build_console, settle

from tws_tui.console.screens.audio.sounds import SoundsScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGUAGES = [pytest.param("en", id="en"), pytest.param("fr", id="fr")]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_sound_library_page(snap_compare, size, language) -> None:
    console = build_console()
    console.app.prefs.change("audio", chat_message="bell")

    async def run(pilot: Any) -> None:
        if language == "fr":
            await pilot.press("alt+l")
        await pilot.press("alt+6")
        await settle(pilot)
        pilot.app.screen.query_one("#pref-sounds").press()
        await settle(pilot)
        assert isinstance(pilot.app.screen, SoundsScreen)

    assert snap_compare(console.app, terminal_size=size, run_before=run)
