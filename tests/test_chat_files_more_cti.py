"""A text and two tagged files in one message through the real CTI server (issue 15, TWS Caller
§4.3.5.2, §4.3.5.3-4, §4.3.5.4): Alice names two files in Alt+H's dialog (one with a space in
its name, quoted), adds a tag to one, types a text and presses Enter; the server keeps one
message with both files and their tags in her conversation with Bob, whose console shows that
one message with both files and their tags, and saves both with Alt+Z. The store's side on both
engines is ``test_chat_staging_cti``; here on SQLite and in the scaled mode."""

from __future__ import annotations

from pathlib import Path

import pytest
from cti_fixtures import ServerThread, chat_screens, cti_console, cti_server, signed_in, user_id
from helpers import screen_text, settle, until
from textual.widgets import Input

from tws_tui.console.screens.attach_picker import AttachPicker

__all__ = ["cti_server"]

SIZE = (110, 30)


async def test_a_text_and_two_tagged_files_reach_bob_as_one_message(
    cti_server: ServerThread, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    downloads = tmp_path / "Downloads"
    monkeypatch.setenv("TWS_TUI_DOWNLOADS_DIR", str(downloads))
    devis = tmp_path / "devis.pdf"
    devis.write_bytes(b"%PDF-1.4 devis")
    spaced = tmp_path / "my notes.txt"
    spaced.write_text("notes")
    alice, bob = cti_console(cti_server), cti_console(cti_server, "bob")
    alice_id, bob_id = user_id(cti_server, "alice"), user_id(cti_server, "bob")
    async with signed_in(alice, bob, size=SIZE, notifications=True) as (a, b):
        alice_chat, bob_chat = await chat_screens((alice, a), (bob, b))
        alice_chat.open_conversation(bob_id)
        bob_chat.open_conversation(alice_id)
        await settle(a)
        await a.press("alt+h")
        await settle(a)
        assert isinstance(alice.screen, AttachPicker)
        field = alice.screen.query_one("#file-name", Input)
        field.value = f'{devis} "{spaced}"'
        field.focus()  # the tree has the focus first
        await a.press("enter")
        await until(a, lambda: len(alice_chat.staged_here()) == 2, "both staged", 10)
        await a.press("alt+shift+j")  # devis.pdf highlighted: a tag of Alice's
        await settle(a)
        await a.press("t", "n", *"urgent", "enter", "escape", "escape")
        await settle(a)
        await a.press(*"Le devis et les notes", "enter")
        shown = (
            "Le devis et les notes",
            "📎 devis.pdf 14 B  #document #PDF #urgent",
            "📎 my notes.txt 5 B  #text #TXT",
        )
        await until(b, lambda: all(s in screen_text(bob) for s in shown), "one at bob's", 10)
        await b.press("alt+z")  # every file of the message saved
        await until(b, lambda: len(list(downloads.iterdir())) == 2, "bob saved both", 10)
        assert (downloads / "my notes.txt").read_text() == "notes"
    kept = [m for m in cti_server.state.switchboard.conversation(
        cti_server.state.accounts.get("alice"), bob_id, 10  # type: ignore[arg-type]
    ) if m.files]  # fmt: skip
    assert [(m.text, [(f.name, f.tags) for f in m.files]) for m in kept] == [
        (
            "Le devis et les notes",
            [("devis.pdf", ("document", "PDF", "urgent")), ("my notes.txt", ("text", "TXT"))],
        )
    ]
