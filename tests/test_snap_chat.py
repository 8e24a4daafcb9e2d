"""Snapshots of the Chat screen at 80×24 and 120×40, in French and English: two conversations
(one unread, counted on the Chat mode of the title line), each with the colleague's presence,
its last message and when; the selected one's messages across midnight (the day separators
"Yesterday" and "Today") with a colleague's Rich markup and escape sequence shown as text,
and a message of two lines being typed."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import build_console, settle

from tws_tui.console.screens.chat import ChatScreen
from tws_tui.platform.i18n import set_language

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGUAGES = [pytest.param("en", id="en"), pytest.param("fr", id="fr")]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_chat_conversation(snap_compare, size, language: str) -> None:
    console = build_console()
    switch = console.backend.switch
    chat = console.backend.switch_chat
    colleagues = [
        e.user_id
        for e in switch.endpoints.values()
        if e.internal and e.user_id is not None and e is not switch.operator and e.name
    ]
    console.clock.advance(15 * 3600 - 60)  # 23:59: the conversation goes on past midnight

    async def conversation(pilot: Any) -> None:
        set_language(language)
        await settle(pilot)
        me = console.app.state.me
        assert me is not None
        first, second = colleagues[0], colleagues[1]
        chat.send(first, me.user_id, "Tu peux prendre mes appels jusqu'à 14 h ?")
        console.clock.advance(60)
        await pilot.press("alt+4")
        await settle(pilot)
        screen = console.app.screen
        assert isinstance(screen, ChatScreen)
        screen.open_conversation(first)
        await pilot.press(*"Oui")
        await pilot.press("enter")
        await settle(pilot)
        console.clock.advance(5)
        await settle(pilot)
        chat.send(first, me.user_id, "[b]Merci[/b] \x1b[31m!")
        console.clock.advance(30)
        chat.send(second, me.user_id, "Le coursier est arrivé ?")
        await settle(pilot)
        await pilot.press(*"Pas encore", "ctrl+j", *"Je te dis")
        await settle(pilot)
        console.app.clear_notifications()  # the messages' notices: a clock's toasts
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=conversation)
