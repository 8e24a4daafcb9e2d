"""Files in chat on the simulator, beyond one file (TWS Caller §4.3.5.2/.3): several files
named at once in Alt+H's dialog are staged, then sent in one message, none when one is
refused; and in an SMS conversation Alt+H refuses in words — an SMS carries text only — and
opens no dialog."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import Console, build_console, settle
from textual.widgets import Input

from tws_tui.console.screens.attach_picker import AttachPicker
from tws_tui.console.screens.chat import ChatScreen
from tws_tui.core.errors import InvalidValue
from tws_tui.core.model import UserId
from tws_tui.domain.attachments import check_attachments, typed_paths

SIZE = (100, 30)


def test_several_files_typed_at_once(tmp_path: Path) -> None:
    spaced = tmp_path / "my notes.txt"
    spaced.write_text("n")
    devis = tmp_path / "devis.pdf"
    devis.write_bytes(b"%PDF")
    assert typed_paths(str(spaced)) == [str(spaced)]  # one file: no quotes needed
    assert typed_paths(f'"{spaced}" {devis}') == [str(spaced), str(devis)]
    assert check_attachments(f'{devis} "{spaced}"') == [devis, spaced]
    with pytest.raises(InvalidValue, match="quote"):
        typed_paths(f'"{spaced} {devis}')
    with pytest.raises(InvalidValue, match="no file"):
        check_attachments(f"{devis} {tmp_path / 'absent.pdf'}")


def sent_files(console: Console) -> list[str]:
    return [f.name for m in console.app.state.chat for f in m.files]


def notes(console: Console) -> list[str]:
    return [n.message for n in console.app._notifications]


async def open_chat(console: Console, pilot: Any) -> ChatScreen:
    await settle(pilot)
    await pilot.press("alt+4")
    await settle(pilot)
    chat = console.app.screen
    assert isinstance(chat, ChatScreen)
    return chat


async def attach(console: Console, pilot: Any, typed: str) -> None:
    await pilot.press("alt+h")
    await settle(pilot)
    assert isinstance(console.app.screen, AttachPicker)
    field = console.app.screen.query_one("#file-name", Input)
    field.value = typed
    field.focus()  # the tree has the focus first
    await pilot.press("enter")
    await settle(pilot, 8)


async def test_several_files_go_in_one_go_and_none_when_one_is_refused(tmp_path: Path) -> None:
    spaced = tmp_path / "my notes.txt"
    spaced.write_text("notes")
    devis = tmp_path / "devis.pdf"
    devis.write_bytes(b"%PDF-1.4 devis")
    console = build_console()
    switch = console.backend.switch
    peer = next(
        e.user_id
        for e in switch.endpoints.values()
        if e.internal and e.user_id is not None and e is not switch.operator
    )
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        chat = await open_chat(console, pilot)
        chat.open_conversation(UserId(peer))
        await settle(pilot)
        await attach(console, pilot, f"{devis} {tmp_path / 'absent.pdf'}")
        assert f"There is no file {tmp_path / 'absent.pdf'}." in notes(console)
        assert sent_files(console) == []  # the good one waits for a list that is all good
        await attach(console, pilot, f'{devis} "{spaced}"')
        assert sent_files(console) == []  # staged
        await pilot.press("enter")
        await settle(pilot, 8)
        assert sent_files(console) == ["devis.pdf", "my notes.txt"]
        assert len([m for m in console.app.state.chat if m.files]) == 1  # in one message


async def test_a_file_is_refused_in_an_sms_conversation() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        chat = await open_chat(console, pilot)
        chat.open_sms("+33612345678")
        await settle(pilot)
        await pilot.press("alt+h")
        await settle(pilot)
        assert console.app.screen is chat  # no file dialog
        assert "A file cannot be sent by SMS: an SMS carries text only." in notes(console)
        assert sent_files(console) == []
