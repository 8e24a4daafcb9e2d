"""Snapshots of the Voicemail view (Alt+B, a sub-view of History) at 80x24 and 120x40, in
English and in French: three messages (two new, one heard; one caller named by the directory,
one withheld), the new count in the status bar; and the same view once Space found no audio
device. The clock is frozen at Sunday 22 Nov 2026 09:00 UTC."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from helpers import Console, build_console, screen_text, until

from tws_tui.console.screens.history.voicemail import VoicemailScreen
from tws_tui.core.model import Party
from tws_tui.platform.voice_player import AudioUnavailable

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGUAGES = [pytest.param("en", id="en"), pytest.param("fr", id="fr")]


def named_caller(backend: Any) -> Any:
    """The outside contact whose message the directory names (found by its number)."""
    return next(c for c in backend.switch.company.externals if c.number and c.name)


def with_messages() -> Console:
    console = build_console()
    backend = console.backend
    now = console.clock.now()
    box, device = backend.switch_voicemail, backend.device
    person = named_caller(backend)
    old = box.leave(device, Party("+33612345678", "Jeanne Dupont"), now - timedelta(hours=20))
    box.mark(device, old.id, heard=True)
    box.leave(device, Party(None, None), now - timedelta(minutes=95), duration_s=8)
    box.leave(device, Party(person.number, None), now - timedelta(minutes=4), duration_s=37)

    def no_device() -> Any:
        raise AudioUnavailable("no audio device on this machine")

    console.app.audio_output = no_device
    return console


async def voicemail(pilot: Any, language: str) -> VoicemailScreen:
    app = pilot.app
    if language == "fr":
        await pilot.press("alt+l")
    await pilot.press("alt+b")
    await until(
        pilot,
        lambda: isinstance(app.screen, VoicemailScreen) and len(app.screen._messages) == 3,
        "the messages listed",
    )
    name = named_caller(app.backend).name
    # The directory names the caller once its lookup has answered (a thread): wait for it, or
    # a loaded machine takes the picture with "Unknown".
    await until(pilot, lambda: name in screen_text(app), "the caller named by the directory")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, VoicemailScreen)
    return screen


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_voicemail_lists_the_messages(snap_compare, size, language) -> None:
    console = with_messages()

    async def run(pilot: Any) -> None:
        await voicemail(pilot, language)

    assert snap_compare(console.app, terminal_size=size, run_before=run)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_voicemail_without_an_audio_device(snap_compare, size, language) -> None:
    console = with_messages()

    async def run(pilot: Any) -> None:
        screen = await voicemail(pilot, language)
        await pilot.press("space")
        await until(pilot, lambda: screen._no_device, "no device found")
        await pilot.pause()

    assert snap_compare(console.app, terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_voicemail_without_colour(snap_compare, size, monkeypatch: pytest.MonkeyPatch) -> None:
    """NO_COLOR: new messages still read "● New" (a word, not only the warning colour)."""
    monkeypatch.setenv("NO_COLOR", "1")
    console = with_messages()

    async def run(pilot: Any) -> None:
        await voicemail(pilot, "en")

    assert snap_compare(console.app, terminal_size=size, run_before=run)
