"""Snapshots of the Audio page (issue 17, TWS-6.7) at 80x24 and 120x40, in English and in
French, opened from Preferences on ``sim``: the desk phone rings, no sound device listed (the
``sounddevice`` import made to fail, so the picture does not depend on the machine), a headset
set before and not found now, the three volumes."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from helpers import build_console, settle

from tws_tui.console.screens.audio.page import AudioScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGUAGES = [pytest.param("en", id="en"), pytest.param("fr", id="fr")]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_audio_page(snap_compare, size, language, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sounddevice", None)
    console = build_console()
    console.app.prefs.change("audio", output_device="Jabra Evolve 40", ring_volume=60)

    async def run(pilot: Any) -> None:
        if language == "fr":
            await pilot.press("alt+l")
        await pilot.press("alt+6")
        await settle(pilot)
        pilot.app.screen.query_one("#pref-audio").press()
        await settle(pilot)
        assert isinstance(pilot.app.screen, AudioScreen)

    assert snap_compare(console.app, terminal_size=size, run_before=run)
