"""Snapshots of the Chat screen's filters (issue 15) at 80×24 and 120×40, in French and
English: the conversation list narrowed to part of a name (Ctrl+S, TWS-4.3.11) and the open
conversation showing only the colleague's messages with a file, said on the line above the
thread (Ctrl+L, TWS-4.3.8)."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import build_console, idle_colleagues, settle
from textual.widgets import Input

from tws_tui.console.screens.chat import ChatScreen
from tws_tui.core.model import UserId
from tws_tui.domain.chat_filters import ThreadFilter
from tws_tui.platform.i18n import set_language

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGUAGES = [pytest.param("en", id="en"), pytest.param("fr", id="fr")]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_chat_filters(snap_compare, size, language: str) -> None:
    console = build_console()
    chat = console.backend.switch_chat
    files = console.backend.switch_files
    first, second, third = idle_colleagues(console)[:3]

    async def filtering(pilot: Any) -> None:
        set_language(language)
        await settle(pilot)
        me = console.app.state.me
        assert me is not None
        peer = UserId(first.user_id or "")
        chat.send(second.user_id, me.user_id, "Le coursier est arrivé ?")
        chat.send(third.user_id, me.user_id, "Réunion à 14 h")
        console.clock.advance(60)
        chat.send(peer, me.user_id, "Voici le devis de Mme Lefèvre")
        files.send(peer, me.user_id, "devis-lefevre.pdf", b"%PDF-1.4 devis")
        console.clock.advance(60)
        chat.send(me.user_id, peer, "Merci, je le transmets")
        console.clock.advance(60)
        files.send(peer, me.user_id, "plan-acces.png", b"\x89PNG")
        await settle(pilot)
        await pilot.press("alt+4")
        await settle(pilot)
        screen = console.app.screen
        assert isinstance(screen, ChatScreen)
        screen.open_conversation(peer)
        await settle(pilot)
        # As Ctrl+L and Ctrl+S leave it (the keys are tests/test_chat_reach.py's subject).
        screen.set_thread_filter(peer, frozenset({ThreadFilter.THEIRS, ThreadFilter.FILES}))
        screen.action_find_conversation()
        screen.query_one("#chat-names", Input).value = (first.name or "").split()[-1][:3].lower()
        console.app.clear_notifications()  # the messages' notices, not the subject here
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=filtering)
