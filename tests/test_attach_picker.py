"""The attach dialog's file tree (issue 15, TWS Caller §4.3.5.2-2, §4.3.5.3-1): at 80×24 in
French, Space marks two files of a temporary folder (hidden files not shown), Enter confirms
them: the one over the size limit is refused in words, the other is staged above the compose
field; the next Alt+H starts in that folder, and typed names still work as before."""

from __future__ import annotations

from pathlib import Path

from helpers import build_console, screen_text, settle
from test_chat import open_chat_with
from textual.widgets import Input, Static

from tws_tui.console.commands import TwsCommands
from tws_tui.console.screens.attach_picker import AttachPicker
from tws_tui.core.model import UserId
from tws_tui.domain.attachments import MAX_ATTACHMENT_BYTES
from tws_tui.platform.i18n import set_language

SIZE = (80, 24)


def a_colleague(console: object) -> UserId:
    switch = console.backend.switch  # type: ignore[attr-defined]
    return next(
        UserId(e.user_id)
        for e in switch.endpoints.values()
        if e.internal and e.user_id is not None and e is not switch.operator and e.name
    )


async def test_space_marks_files_enter_stages_them_in_french(tmp_path: Path) -> None:
    folder = tmp_path / "dossier"
    folder.mkdir()
    with (folder / "gros.bin").open("wb") as big:  # sparse: over the limit, nothing written
        big.truncate(MAX_ATTACHMENT_BYTES + 1)
    (folder / "devis.txt").write_text("Bonjour")
    (folder / ".secret").write_text("caché")
    console = build_console()
    peer = a_colleague(console)
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        set_language("fr")
        chat = await open_chat_with(console, pilot, peer)
        chat._attach_folder = folder  # the folder last used
        await settle(pilot)
        await pilot.press("alt+h")
        await settle(pilot)
        picker = console.app.screen
        assert isinstance(picker, AttachPicker)
        shown = screen_text(console.app)
        assert "devis.txt" in shown and "gros.bin" in shown
        assert ".secret" not in shown
        assert "Aucun fichier marqué : Espace marque le fichier sous le curseur." in shown
        # its keys are in the command palette, in French
        titles = [hit.display async for hit in TwsCommands(picker, None).discover()]
        assert "Marquer le fichier" in titles and "Joindre les fichiers" in titles
        await pilot.press("down", "space", "down", "space")
        await settle(pilot)
        assert picker.marked == [folder / "devis.txt", folder / "gros.bin"]
        count = picker.query_one("#attach-count", Static)
        assert str(count.render()) == "2 fichiers marqués"
        shown = screen_text(console.app)
        assert "✓ 📄 devis.txt" in shown and "✓ 📄 gros.bin" in shown
        await pilot.press("space")  # unmarked, marked again
        await settle(pilot)
        assert str(count.render()) == "1 fichier marqué"
        await pilot.press("space", "enter")
        await settle(pilot)
        assert console.app.screen is chat
        notes = [n.message for n in console.app._notifications]
        assert "gros.bin est trop gros pour être envoyé : 5 Mo au plus." in notes
        assert [file.name for file in chat.staged_here()] == ["devis.txt"]
        # the next Alt+H starts in that folder; a typed name still goes as before
        console.app.clear_notifications()
        other = tmp_path / "note.txt"
        other.write_text("x")
        await pilot.press("alt+h")
        await settle(pilot)
        picker = console.app.screen
        assert isinstance(picker, AttachPicker)
        assert Path(picker.query_one("#attach-tree").path) == folder  # type: ignore[attr-defined]
        await pilot.press("backspace")  # the parent folder
        await settle(pilot)
        assert Path(picker.query_one("#attach-tree").path) == tmp_path  # type: ignore[attr-defined]
        assert "note.txt" in screen_text(console.app)
        field = picker.query_one("#file-name", Input)
        field.value = str(other)
        field.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert [file.name for file in chat.staged_here()] == ["devis.txt", "note.txt"]
        # Esc cancels
        await pilot.press("alt+h")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert console.app.screen is chat
        assert [file.name for file in chat.staged_here()] == ["devis.txt", "note.txt"]
