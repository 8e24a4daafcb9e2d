"""Snapshots of my presence states of my own (issue 17, TWS §1.6), at 80×24 and 120×40, in
English and French: the presence picker (Alt+P) with two states of my own, one of them my
presence (its label in the status bar), and the form that adds one with a refused label.

Same determinism as the shell snapshots (seeded simulator without traffic, frozen clock, no
cursor blink).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from helpers import build_console
from test_custom_presence import pick
from textual.widgets import Input

from tws_tui.core.model import PresenceState
from tws_tui.domain.custom_presence import CustomPresence
from tws_tui.platform.i18n import set_language

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGUAGES = [pytest.param("en", id="en"), pytest.param("fr", id="fr")]
#: The states a user types, in her language (user data: no English on a French console).
STATES = {
    "en": (
        CustomPresence("At reception desk", PresenceState.BUSY),
        CustomPresence("Lunch", PresenceState.AWAY, "back at 14:00"),
    ),
    "fr": (
        CustomPresence("À l'accueil", PresenceState.BUSY),
        CustomPresence("Déjeuner", PresenceState.AWAY, "retour à 14:00"),
    ),
}


async def settle(pilot: Any, rounds: int = 6) -> None:
    for _ in range(rounds):
        await pilot.pause()


async def with_states(console: Any, pilot: Any, language: str) -> None:
    await settle(pilot)
    profiles = console.app.profiles
    assert profiles.save(replace(profiles.book, presence_states=STATES[language]))
    await pilot.press("alt+p")
    await settle(pilot)
    await pick(pilot, "custom:0")
    await pilot.press("alt+p")
    await settle(pilot)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_presence_picker_with_states_of_my_own(snap_compare, size, language: str) -> None:
    set_language(language)
    console = build_console()

    async def picker(pilot: Any) -> None:
        await with_states(console, pilot, language)

    assert snap_compare(console.app, terminal_size=size, run_before=picker)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_new_state_form_refusing_markup(snap_compare, size, language: str) -> None:
    set_language(language)
    console = build_console()

    async def form(pilot: Any) -> None:
        await with_states(console, pilot, language)
        await pick(pilot, "custom-new")
        field = console.app.screen.query_one("#cp-label", Input)
        field.value = "[b]Boss[/b]"
        field.focus()
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=form)
