"""Snapshots of my forwarding (issue 17), at 80×24 and 120×40, in English and French: the
forwarding dialog (Alt+F) over the home screen with the status-bar badge, and the Preferences
section listing each kind with the automatic-connection switch above it.

The dialog is also shown with part of a colleague's name typed (the first match offered), and
with "Always" on: the other rows struck through and the line saying why.

Same determinism as the shell snapshots (seeded simulator without traffic, frozen clock, no
cursor blink). Two forwards are on: when busy to my voicemail, when I do not answer to a
colleague after 15 s; and simultaneous ring to a mobile and a colleague (its badge, its rows).
"""

from __future__ import annotations

from typing import Any

import pytest
from helpers import build_console
from textual.widgets import Input

from tws_tui.core.model import FindMe, FindMeNumber, Forward, ForwardKind
from tws_tui.core.protocols import CallControl
from tws_tui.platform.i18n import set_language

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGUAGES = [pytest.param("en", id="en"), pytest.param("fr", id="fr")]


async def settle(pilot: Any, rounds: int = 6) -> None:
    for _ in range(rounds):
        await pilot.pause()


async def forwarded(console: Any, pilot: Any) -> None:
    await settle(pilot)
    voicemail = console.app.calls.voicemail_number
    assert voicemail

    async def set_two(backend: CallControl) -> None:
        await backend.set_forward(ForwardKind.BUSY, Forward(True, voicemail))
        await backend.set_forward(ForwardKind.NO_ANSWER, Forward(True, "104", 15))
        await backend.set_find_me(
            FindMe(True, numbers=(FindMeNumber("0611223344"), FindMeNumber("191", 25)))
        )

    console.app.run_command(set_two)
    await settle(pilot)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_forwarding_dialog(snap_compare, size, language: str) -> None:
    set_language(language)
    console = build_console()

    async def dialog(pilot: Any) -> None:
        await forwarded(console, pilot)
        await pilot.press("alt+f")
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=dialog)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_forwarding_in_preferences(snap_compare, size, language: str) -> None:
    set_language(language)
    console = build_console()

    async def prefs(pilot: Any) -> None:
        await forwarded(console, pilot)
        await pilot.press("alt+6")
        await settle(pilot)
        console.app.screen.query_one("#pref-auto_connect").scroll_visible(top=True, animate=False)
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=prefs)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_forwarding_dialog_colleague_by_name(snap_compare, size, language: str) -> None:
    set_language(language)
    console = build_console()

    async def typed(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("alt+f")
        await settle(pilot)
        field = console.app.screen.query_one("#to-not_reachable", Input)
        field.focus()
        await pilot.press(*"camille")
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=typed)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_forwarding_dialog_always_wins(snap_compare, size, language: str) -> None:
    set_language(language)
    console = build_console()

    async def always(pilot: Any) -> None:
        await forwarded(console, pilot)
        await pilot.press("alt+f")
        await settle(pilot)
        field = console.app.screen.query_one("#to-unconditional", Input)
        await pilot.press(*"191")
        assert field.value == "191"
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=always)
