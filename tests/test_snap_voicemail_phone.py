"""Snapshots of the voicemail-by-phone view (Alt+B where the phone system gives the counts but
no list of messages, as on ``sip``) at 80x24 and 120x40, in English and in French: the counts
(two new, one heard), the sentence saying the list is not given here, and the call to the
voicemail up after L with the pause digit sent (Space). The simulated switch stands for such a
phone system: its box keeps the counts, the backend lists nothing (``voicemail`` None) and
has Asterisk's menu (``voicemail_menu``); the real thing is tests/sip/test_sip_voicemail.py.
The clock is frozen at Sunday 22 Nov 2026 09:00 UTC."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from helpers import Console, build_console, until

from tws_tui.console.screens.history.voicemail_phone import VoicemailPhoneScreen
from tws_tui.core.model import Action, Party, VoicemailMenu

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGUAGES = [pytest.param("en", id="en"), pytest.param("fr", id="fr")]


def without_a_list() -> Console:
    console = build_console()
    console.backend.voicemail_menu = VoicemailMenu("1", "0", "6", "5", "7")
    return console


def leave_messages(console: Console) -> None:
    """Three messages (one heard) told as counts; then the backend lists none."""
    backend = console.backend
    now = console.clock.now()
    box, device = backend.switch_voicemail, backend.device
    old = box.leave(device, Party("+33612345678", "Jeanne Dupont"), now - timedelta(hours=20))
    box.mark(device, old.id, heard=True)
    box.leave(device, Party(None, None), now - timedelta(minutes=95), duration_s=8)
    box.leave(device, Party("+33698765432", None), now - timedelta(minutes=4), duration_s=37)
    backend.voicemail = None


async def by_phone(pilot: Any, console: Console, language: str) -> VoicemailPhoneScreen:
    app = pilot.app
    if language == "fr":
        await pilot.press("alt+l")
    await until(pilot, lambda: app.state.me is not None, "connected")
    leave_messages(console)
    await until(pilot, lambda: app.state.voicemail_total == 3, "the counts")
    await pilot.press("alt+b")
    await until(pilot, lambda: isinstance(app.screen, VoicemailPhoneScreen), "the view")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, VoicemailPhoneScreen)
    return screen


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_voicemail_by_phone_counts_and_says_the_list_is_not_here(
    snap_compare, size, language
) -> None:
    console = without_a_list()

    async def run(pilot: Any) -> None:
        await by_phone(pilot, console, language)

    assert snap_compare(console.app, terminal_size=size, run_before=run)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_voicemail_by_phone_connected_with_the_pause_digit_sent(
    snap_compare, size, language
) -> None:
    console = without_a_list()

    async def run(pilot: Any) -> None:
        screen = await by_phone(pilot, console, language)
        await pilot.press("l")
        await until(pilot, lambda: screen.voicemail_call() is not None, "calling")
        console.clock.advance(10)  # the simulated voicemail answers
        await until(
            pilot,
            lambda: (call := screen.voicemail_call()) is not None and Action.DTMF in call.allowed,
            "the voicemail answered",
        )
        await pilot.press("space")
        await until(pilot, lambda: bool(screen._sent), "the pause digit sent")
        await pilot.pause()

    assert snap_compare(console.app, terminal_size=size, run_before=run)
