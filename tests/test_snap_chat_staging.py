"""Snapshots of the files staged for a chat message (issue 15, TWS Caller §4.3.5.3, §4.3.5.4):
at 80×24 in English and 120×40 in French, a conversation whose last message carries a text and
two files with their tags, and two more files staged above the compose field (a line each:
name, size, tags) with a text being typed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import build_console, settle

from tws_tui.console.screens.chat import ChatScreen
from tws_tui.core.model import OutgoingFile
from tws_tui.platform.i18n import set_language

CASES = [
    pytest.param((80, 24), "en", id="80x24-en"),
    pytest.param((120, 40), "fr", id="120x40-fr"),
]


@pytest.mark.parametrize(("size", "language"), CASES)
def test_chat_staged_files(snap_compare, size, language: str, tmp_path: Path) -> None:
    files = {
        "plan.pdf": b"%PDF-1.4" + b"p" * 1200,
        "photo.png": b"\x89PNG" + b"i" * 40_000,
        "notes.txt": b"Rappeler M. Martin\n",
        "tarifs.xlsx": b"PK" + b"x" * 9000,
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    console = build_console()
    switch = console.backend.switch
    peer = next(
        e.user_id
        for e in switch.endpoints.values()
        if e.internal and e.user_id is not None and e is not switch.operator and e.name
    )

    async def staged(pilot: Any) -> None:
        set_language(language)
        await settle(pilot)
        await pilot.press("alt+4")
        await settle(pilot)
        screen = console.app.screen
        assert isinstance(screen, ChatScreen)
        screen.open_conversation(peer)
        me = console.app.state.me
        assert me is not None
        sent = [OutgoingFile(name, files[name], ("document", "PDF")) for name in ("plan.pdf",)]
        sent.append(OutgoingFile("photo.png", files["photo.png"], ("image", "PNG")))
        console.backend.switch_files.send_files(me.user_id, peer, "Plan", sent)
        screen.stage_typed(peer, f"{tmp_path / 'notes.txt'} {tmp_path / 'tarifs.xlsx'}")
        await pilot.press(*"Et les tarifs")
        await settle(pilot)
        console.app.clear_notifications()
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=staged)
