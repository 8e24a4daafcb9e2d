"""Snapshots of the Chat screen's thread with a message selected (marked "»" and in reverse,
the thread's keys in the footer) and a message of mine the other side did not get (SIP 480:
"✗ not sent" and the reason), at 80×24 in English and 120×40 in French."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from helpers import build_console, settle

from tws_tui.console.screens.chat import ChatScreen
from tws_tui.core.errors import N_, NotDelivered
from tws_tui.journal.chat_outbox import PendingMessage
from tws_tui.platform.i18n import _, set_language


@pytest.mark.parametrize(
    ("size", "language"),
    [pytest.param((80, 24), "en", id="80x24-en"), pytest.param((120, 40), "fr", id="120x40-fr")],
)
def test_chat_message_selected(snap_compare, size, language: str) -> None:
    console = build_console()
    switch = console.backend.switch
    chat = console.backend.switch_chat
    colleague = next(
        e.user_id
        for e in switch.endpoints.values()
        if e.internal and e.user_id is not None and e is not switch.operator and e.name
    )

    async def selected(pilot: Any) -> None:
        set_language(language)
        await settle(pilot)
        me = console.app.state.me
        assert me is not None
        chat.send(colleague, me.user_id, "Tu peux prendre mes appels jusqu'à 14 h ?")
        console.clock.advance(60)
        chat.send(me.user_id, colleague, "Oui, sans souci")
        console.clock.advance(60)
        chat.send(colleague, me.user_id, "Merci, je te dois un café")
        console.clock.advance(60)
        refused = NotDelivered(
            N_("{peer} did not receive it: {why} (SIP {status})"),
            peer="9101",
            why=N_("not available now"),
            status=480,
        )
        console.app.chat_outbox.pending.append(
            PendingMessage(
                "local-1",
                colleague,
                "Et pour demain ?",
                console.clock.now() + timedelta(seconds=5),
                failure=refused.translated(_),
            )
        )
        await pilot.press("alt+4")
        await settle(pilot)
        screen = console.app.screen
        assert isinstance(screen, ChatScreen)
        screen.open_conversation(colleague)
        await settle(pilot)
        await pilot.press("alt+up", "up")
        await settle(pilot)
        console.app.clear_notifications()  # the messages' notices: a clock's toasts
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=selected)
