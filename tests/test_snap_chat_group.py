"""Snapshots of the chat group dialog (issue 15, TWS-4.2) at 80×24 and 120×40, in French and
English: a new group being made, its name typed, two colleagues picked (me the administrator)
and the colleagues matching what is typed in the search field."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import build_console, settle

from tws_tui.console.screens.modals.chat_group import ChatGroupScreen
from tws_tui.platform.i18n import set_language

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGUAGES = [pytest.param("en", id="en"), pytest.param("fr", id="fr")]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_new_chat_group(snap_compare, size, language: str) -> None:
    console = build_console()

    async def making(pilot: Any) -> None:
        set_language(language)
        await settle(pilot)
        await pilot.press("alt+4")
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        dialog = console.app.screen
        assert isinstance(dialog, ChatGroupScreen)
        colleagues = sorted(dialog.form.colleagues, key=lambda d: d.extension or "")
        await pilot.press(*"Standard", "enter")
        for colleague in colleagues[:2]:
            dialog.members.append(colleague.user_id)
        dialog._show_members()
        await pilot.press(*colleagues[3].name[:2].lower())
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=making)
