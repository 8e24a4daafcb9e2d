"""Snapshots of the chat search (issue 15, TWS-4.3.9) at 80×24 and 120×40, in French and
English: two messages found as "colis" is typed, newest first, the typed part in green."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import build_console, settle, until

from tws_tui.console.screens.modals.chat_search import ChatSearchScreen
from tws_tui.core.model import UserId
from tws_tui.platform.i18n import set_language

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGUAGES = [pytest.param("en", id="en"), pytest.param("fr", id="fr")]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_chat_search(snap_compare, size, language: str) -> None:
    console = build_console()
    chat = console.backend.switch_chat

    async def searching(pilot: Any) -> None:
        set_language(language)
        await settle(pilot)
        me = console.app.state.me
        assert me is not None and me.user_id is not None
        colleagues = sorted(
            (d for d in console.app.state.devices.values() if d.user_id != me.user_id),
            key=lambda d: d.extension or "",
        )
        first, second = (UserId(d.user_id or "") for d in colleagues[:2])
        chat.send(first, me.user_id, "Le colis de Mme Lefèvre est à l'accueil")
        console.clock.advance(600)
        chat.send(second, me.user_id, "Le coursier est arrivé ?")
        console.clock.advance(60)
        chat.send(second, me.user_id, "Pas de COLIS aujourd'hui, il repasse demain matin")
        await settle(pilot)
        await pilot.press("alt+4")
        await settle(pilot)
        console.app.clear_notifications()  # the messages' notices: a clock's toasts
        await pilot.press("ctrl+f")
        await settle(pilot)
        dialog = console.app.screen
        assert isinstance(dialog, ChatSearchScreen)
        await pilot.press(*"colis")
        await until(pilot, lambda: dialog.shown_for == "colis", "results")
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=searching)
