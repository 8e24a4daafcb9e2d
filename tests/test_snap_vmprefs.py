"""Snapshots of the voicemail settings page (TWS-6.9, Selfcare §6.2) at 80x24 and 120x40, in
English and in French: two greetings (the second one active), the PIN still 0000 (warned), the
copy by e-mail on; opened from Preferences. The clock is frozen at Sunday 22 Nov 2026 09:00
UTC."""

from __future__ import annotations

import io
import wave
from typing import Any

import pytest
from helpers import Console, build_console, until

from tws_tui.console.screens.history.voicemail_settings import VoicemailSettingsScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGUAGES = [pytest.param("en", id="en"), pytest.param("fr", id="fr")]


def wav(seconds: float) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x00" * int(seconds * 8000))
    return out.getvalue()


def with_greetings() -> Console:
    console = build_console()
    prefs, device = console.backend.switch_voicemail_settings, console.backend.device
    prefs.add_greeting(device, "Office hours", wav(7))
    holiday = prefs.add_greeting(device, "Christmas closure", wav(23))
    prefs.activate_greeting(device, holiday.id)
    prefs.set_email_copy(device, True, "accueil@example.com")
    return console


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_voicemail_settings_page(snap_compare, size, language) -> None:
    console = with_greetings()

    async def run(pilot: Any) -> None:
        app = pilot.app
        if language == "fr":
            await pilot.press("alt+l")
        await pilot.press("alt+b")
        await pilot.pause()
        await pilot.press("g")
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, VoicemailSettingsScreen) and app.screen._settings is not None
            ),
            "the settings read",
        )
        await pilot.pause()

    assert snap_compare(console.app, terminal_size=size, run_before=run)
