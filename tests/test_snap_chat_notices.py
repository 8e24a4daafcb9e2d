"""Snapshots of a group's thread with its notices (issue 15, TWS-4.2) at 80×24 and 120×40,
in French and English: a group made, a colleague added, another leaving, the group renamed —
each told as what happened, dim and in italics, not as anyone's message — then a message."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import build_console, settle

from tws_tui.console.screens.chat import ChatScreen
from tws_tui.core.model import UserId
from tws_tui.core.protocols import ChatGroupAdmin
from tws_tui.platform.i18n import set_language

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGUAGES = [pytest.param("en", id="en"), pytest.param("fr", id="fr")]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_group_thread_with_notices(snap_compare, size, language: str) -> None:
    console = build_console()

    async def told(pilot: Any) -> None:
        set_language(language)
        await settle(pilot)
        state = console.app.state
        me = state.me
        assert me is not None and me.user_id is not None
        colleagues = sorted(
            (d for d in state.devices.values() if d.user_id and d.user_id != me.user_id),
            key=lambda d: d.extension or "",
        )
        first, second = UserId(colleagues[0].user_id), UserId(colleagues[3].user_id)
        chat = console.backend.chat
        assert isinstance(chat, ChatGroupAdmin)
        group = await chat.create_group("Standard", (first,))
        gid = UserId(group.id)
        await chat.add_members(gid, (second,))
        console.backend.switch_chat.remove_member(first, gid, first)
        await chat.rename_group(gid, "Standard du matin")
        console.backend.switch_chat.send(second, gid, "Je prends le standard à 14 h")
        await pilot.press("alt+4")
        await settle(pilot)
        screen = console.app.screen
        assert isinstance(screen, ChatScreen)
        screen.open_conversation(gid)
        await settle(pilot)
        console.app.clear_notifications()  # the messages' notices: a clock's toasts
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=told)
