"""Several files in one go through the real CTI server (issue 15, TWS Caller §4.3.5.2): Alice
names two files in Alt+H's dialog (one with a space in its name, quoted); the server keeps
both in her conversation with Bob, whose console lists both. The server's store is not
changed by this (the console sends the files in turn), so SQLite only."""

from __future__ import annotations

from pathlib import Path

from cti_fixtures import ServerThread, cti_console, cti_server
from helpers import screen_text, settle, until
from textual.widgets import Input

from tws_tui.console.screens.chat import ChatScreen
from tws_tui.console.screens.contacts.exchange import FileDialog

__all__ = ["cti_server"]

SIZE = (110, 30)


def user_id(server: ServerThread, username: str) -> str:
    account = server.state.accounts.get(username)
    assert account is not None
    return account.user_id


async def test_two_files_named_at_once_reach_bob(cti_server: ServerThread, tmp_path: Path) -> None:
    devis = tmp_path / "devis.pdf"
    devis.write_bytes(b"%PDF-1.4 devis")
    spaced = tmp_path / "my notes.txt"
    spaced.write_text("notes")
    alice, bob = cti_console(cti_server), cti_console(cti_server, "bob")
    alice_id, bob_id = user_id(cti_server, "alice"), user_id(cti_server, "bob")
    async with (
        alice.run_test(size=SIZE, notifications=True) as a,
        bob.run_test(size=SIZE, notifications=True) as b,
    ):
        await until(a, lambda: alice.state.me is not None, "alice signed in")
        await until(b, lambda: bob.state.me is not None, "bob signed in")
        for pilot in (a, b):
            await pilot.press("alt+4")
            await settle(pilot)
        alice_chat, bob_chat = alice.screen, bob.screen
        assert isinstance(alice_chat, ChatScreen) and isinstance(bob_chat, ChatScreen)
        alice_chat.open_conversation(bob_id)  # type: ignore[arg-type]
        bob_chat.open_conversation(alice_id)  # type: ignore[arg-type]
        await settle(a)
        await a.press("alt+h")
        await settle(a)
        assert isinstance(alice.screen, FileDialog)
        alice.screen.query_one("#file-name", Input).value = f'{devis} "{spaced}"'
        await a.press("enter")
        await settle(a)
        await a.press("enter")  # the staged files sent
        shown = ("devis.pdf 📎 14 B", "my notes.txt 📎 5 B")
        await until(b, lambda: all(s in screen_text(bob) for s in shown), "both at bob's", 10)
    kept = [m for m in cti_server.state.switchboard.conversation(
        cti_server.state.accounts.get("alice"), bob_id, 10  # type: ignore[arg-type]
    ) if m.attachment is not None]  # fmt: skip
    assert [m.text for m in kept] == ["devis.pdf", "my notes.txt"]
