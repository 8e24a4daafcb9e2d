"""Snapshots of the number callers see (issue 17, Selfcare §2.3), at 80×24 and 120×40, in
English and French: the picker of the key on the dial field (Alt+J, for the next call), and
Preferences' line with its button after a default was chosen.

Same determinism as the shell snapshots (seeded simulator without traffic, frozen clock, no
cursor blink).
"""

from __future__ import annotations

from typing import Any

import pytest
from helpers import build_console

from tws_tui.platform.i18n import set_language

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGUAGES = [pytest.param("en", id="en"), pytest.param("fr", id="fr")]


async def settle(pilot: Any, rounds: int = 6) -> None:
    for _ in range(rounds):
        await pilot.pause()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_presented_number_picker(snap_compare, size, language: str) -> None:
    set_language(language)
    console = build_console()

    async def picker(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("f2", "alt+j")
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=picker)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_presented_number_in_preferences(snap_compare, size, language: str) -> None:
    set_language(language)
    console = build_console()

    async def prefs(pilot: Any) -> None:
        await settle(pilot)
        console.app.run_command(lambda backend: backend.set_presented_number("+33142000100"))
        await settle(pilot)
        await pilot.press("alt+6")
        await settle(pilot)
        console.app.screen.query_one("#forwarding-title").scroll_visible(top=True, animate=False)
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=prefs)
