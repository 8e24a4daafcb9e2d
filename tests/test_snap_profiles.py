"""Snapshots of profiles (issue 17), at 80×24 and 120×40, in English and French: the Profiles
page of Preferences (the profiles with ★ the active one, the rules of the active profile as a
table in order — the summary column from 120 columns —, the highlighted rule's sentence and
why under it, which rule wins for a caller typed) and the profile
picker (Alt+U) over the home screen, with the active profile in the status bar.

Same determinism as the shell snapshots (seeded simulator without traffic, frozen clock at
09:00, no cursor blink). Away is active, its current extension 2004; its rules, numbered in the
order they are tried: Lunch (12:00–14:00, waits), Morning (08:00–12:00, wins), VIP (when busy,
callers 06* except 0611*: waits for their call), Old (to the current extension on weekdays,
switched off); all four advanced rules, so listed in that order.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import time
from typing import Any

import pytest
from helpers import build_console
from textual.widgets import Button, Input

from tws_tui.core.model import ForwardKind, PresenceState
from tws_tui.domain.profiles import CURRENT_EXTENSION, Rule
from tws_tui.platform.i18n import set_language
from tws_tui.settings.profiles_file import ProfileBook, profiles_file, save_profiles

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGUAGES = [pytest.param("en", id="en"), pytest.param("fr", id="fr")]
AWAY = PresenceState.AWAY


async def settle(pilot: Any, rounds: int = 6) -> None:
    for _ in range(rounds):
        await pilot.pause()


async def away(console: Any, pilot: Any) -> None:
    """Shown Away with the profile's note, as activating Away leaves it."""
    await settle(pilot)
    console.app.run_command(lambda backend: backend.set_presence(AWAY, "14:00"))
    await settle(pilot)


def away_with_rules() -> None:
    office, meeting, away, night = ProfileBook().profiles
    rules = (
        Rule("Lunch", "5020", presence=AWAY, hours=(time(12), time(14))),
        Rule("Morning", "3990", presence=AWAY, hours=(time(8), time(12))),
        Rule("VIP", "104", kind=ForwardKind.BUSY, numbers=("06*",), exclude_numbers=("0611*",)),
        Rule(
            "Old",
            CURRENT_EXTENSION,
            kind=ForwardKind.NO_ANSWER,
            ring_time_s=20,
            enabled=False,
            days=frozenset(range(5)),  # on weekdays: advanced, so after the others still
        ),
    )
    away = replace(away, note="14:00", rules=rules, extension="2004")
    save_profiles(profiles_file(), ProfileBook((office, meeting, away, night), "away"))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_profiles_page(snap_compare, size, language: str) -> None:
    set_language(language)
    away_with_rules()
    console = build_console()

    async def page(pilot: Any) -> None:
        await away(console, pilot)
        await pilot.press("alt+6")
        await settle(pilot)
        console.app.screen.query_one("#pref-profiles", Button).press()
        await settle(pilot)
        console.app.screen.query_one("#caller-test", Input).value = "0612345678"
        console.app.screen.query_one("#rule-list").focus()
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=page)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_profile_picker(snap_compare, size, language: str) -> None:
    set_language(language)
    away_with_rules()
    console = build_console()

    async def picker(pilot: Any) -> None:
        await away(console, pilot)
        await pilot.press("alt+u")
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=picker)
