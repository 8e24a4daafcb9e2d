"""The support address set from the console (issue 17, TWS-6.11-6): Tools' field under *E-mail
support* keeps ``[general] support_email`` in prefs.toml when it is an e-mail address (or
empty), refuses anything else in words with the address kept unchanged, and the mail link then
writes to the address typed."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from helpers import build_console, settle, until
from test_tools_page import open_tools
from test_voicemail import notes
from textual.widgets import Input

from tws_tui.console.screens.tools.support_address import FIELD_ID, email_problem


def test_an_address_is_checked_by_the_rule_config_toml_is_read_with() -> None:
    assert email_problem(" help@acme.example ") == ("help@acme.example", "")
    assert email_problem("") == ("", "")  # none: typed in the mail client
    for bad in ("support", "help@acme", "a b@acme.example", "help@@acme.example"):
        address, problem = email_problem(bad)
        assert address is None
        assert problem.startswith(f"{bad!r} is not an e-mail address")


async def test_the_address_typed_on_tools_is_kept_and_used_by_the_mail_link(
    monkeypatch: Any,
) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    monkeypatch.delenv("SSH_TTY", raising=False)
    saved: list[dict[str, Any]] = []
    console = build_console(save_prefs=saved.append)
    async with console.app.run_test(size=(80, 24)) as pilot:
        screen = await open_tools(pilot)
        field = screen.query_one(f"#{FIELD_ID}", Input)
        field.focus()
        field.value = "support"
        await pilot.press("enter")
        await settle(pilot)
        assert any("'support' is not an e-mail address" in n for n in notes(console))
        assert console.app.prefs.general.support_email == "" and saved == []
        field.value = " help@acme.example"
        await pilot.press("enter")
        await settle(pilot)
        assert {"general": {"support_email": "help@acme.example"}} in saved
        assert console.app.prefs.general.support_email == "help@acme.example"
        screen.query_one("#tools-mail").press()
        await until(pilot, lambda: len(opened) == 1, "the mail client opened")
        assert urlsplit(opened[0]).path == "help@acme.example"
        assert not any("No support address is set" in n for n in notes(console))
