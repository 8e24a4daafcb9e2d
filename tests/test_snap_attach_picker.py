"""Snapshot of the attach dialog's file tree (issue 15, TWS Caller §4.3.5.3-1): at 80×24 in
French, a folder with a subfolder and four files (its hidden file not listed), two of them
marked with Space (``✓``, "2 fichiers marqués")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers import build_console, settle

from tws_tui.console.screens.attach_picker import AttachPicker
from tws_tui.console.screens.chat import ChatScreen
from tws_tui.platform.i18n import set_language


def test_attach_picker_two_marked(snap_compare, tmp_path: Path) -> None:
    folder = tmp_path / "dossier"
    (folder / "Archives").mkdir(parents=True)
    for name in ("contrat signé.pdf", "devis.pdf", "notes.txt", "plan.png", ".cache"):
        (folder / name).write_text("x")
    console = build_console()
    switch = console.backend.switch
    peer = next(
        e.user_id
        for e in switch.endpoints.values()
        if e.internal and e.user_id is not None and e is not switch.operator and e.name
    )

    async def marked(pilot: Any) -> None:
        set_language("fr")
        await settle(pilot)
        await pilot.press("alt+4")
        await settle(pilot)
        screen = console.app.screen
        assert isinstance(screen, ChatScreen)
        screen.open_conversation(peer)
        screen._attach_folder = folder
        await settle(pilot)
        await pilot.press("alt+h")
        await settle(pilot, 8)
        assert isinstance(console.app.screen, AttachPicker)
        await pilot.press("down", "down", "space", "down", "down", "space")
        await settle(pilot)
        console.app.clear_notifications()
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=(80, 24), run_before=marked)
