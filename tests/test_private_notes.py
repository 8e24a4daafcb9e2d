"""The "only me" notes (TWP-4.1.4-1): written on a colleague from Contacts (Alt+Shift+N) and on a
contact's business card, kept in the journal per signed-in user (another user of the machine
does not see them, a restart keeps them), listed on the card's Identity tab exactly as typed —
Rich markup and escape sequences shown literally — and never put in the shared contact."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from helpers import Console, build_console, open_business_card, settle, until
from textual.widgets import Input

from tws_tui.console.screens.contacts.business_card import BusinessCardScreen
from tws_tui.console.screens.modals.private_note import PrivateNoteScreen
from tws_tui.core.model import Contact, DeviceId
from tws_tui.journal import CallJournal
from tws_tui.journal.private_notes import about_contact, add_note, notes_on

SIZE = (110, 36)
TYPED = "[bold]Rappeler[/bold] avant 10 h \x1b]0;pwned\x07 \x1b[31m"


def test_notes_are_their_authors_and_outlive_the_journal_file(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    at = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    colleague = Contact("201", "company", "Ana", (), device_id=DeviceId("d201"))
    same_elsewhere = Contact("7", "private", "Ana (home)", (), device_id=DeviceId("d201"))
    outsider = Contact("7", "private", "Bob", ())
    assert about_contact(colleague) == about_contact(same_elsewhere) == "device:d201"
    assert about_contact(outsider) == "private:7"
    journal = CallJournal(path)
    add_note(journal, "u1", "device:d201", "first", at)
    add_note(journal, "u1", "device:d201", "second", at + timedelta(minutes=1))
    add_note(journal, "u2", "device:d201", "someone else's", at)
    with pytest.raises(ValueError):
        add_note(journal, "u1", "device:d201", "   ", at)
    with pytest.raises(ValueError):
        add_note(journal, "u1", "device:d201", "x" * 2001, at)
    reopened = CallJournal(path)
    assert [n.text for n in notes_on(reopened, "u1", "device:d201")] == ["second", "first"]
    assert [n.text for n in notes_on(reopened, "u2", "device:d201")] == ["someone else's"]
    assert notes_on(reopened, "u1", "private:7") == []


def notes(console: Console) -> list[str]:
    return [n.message for n in console.app._notifications]


async def card_of_colleague(console: Console, pilot: Any) -> tuple[BusinessCardScreen, str]:
    """The first colleague's card, its Identity tab shown."""
    await settle(pilot)
    device = sorted(console.app.state.devices.values(), key=lambda d: d.extension or "")[0]
    card = await open_business_card(console, pilot, f"dev:{device.device_id}")
    assert isinstance(card, BusinessCardScreen)
    await pilot.press("right", "right")  # Identity
    await settle(pilot)
    return card, device.name


async def type_note(console: Console, pilot: Any, text: str) -> None:
    await until(pilot, lambda: isinstance(console.app.screen, PrivateNoteScreen), "the dialog")
    console.app.screen.query_one(Input).value = text
    await pilot.press("enter")


async def test_a_note_on_a_colleague_is_listed_on_the_card_literally_and_kept() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        card, name = await card_of_colleague(console, pilot)
        assert "My notes" not in str(card.query_one("#card-identity").content)
        await pilot.press("escape")  # back to Contacts: the key there, on the selection
        await settle(pilot)
        await pilot.press("alt+shift+n")
        await pilot.press("enter")  # empty: refused in words, the dialog stays
        await settle(pilot)
        assert "A note cannot be empty." in notes(console)
        assert isinstance(console.app.screen, PrivateNoteScreen)
        await type_note(console, pilot, TYPED)
        said = f"Note on {name} kept: only you see it."
        await until(pilot, lambda: said in notes(console), "the note kept")
        await pilot.press("ctrl+k")
        await settle(pilot)
        card = console.app.screen
        assert isinstance(card, BusinessCardScreen)
        await pilot.press("right", "right")
        await until(pilot, lambda: bool(card._notes), "the notes read")
        shown = str(card.query_one("#card-identity").content)
        assert "My notes (only me):" in shown
        assert "[bold]Rappeler[/bold] avant 10 h \\x1b]0;pwned\\x07 \\x1b[31m" in shown
        assert "\x1b" not in shown and "\x07" not in shown
        await pilot.press("alt+shift+n")  # from the card too: listed there at once, newest first
        await type_note(console, pilot, "A second note")
        await until(pilot, lambda: len(card._notes) == 2, "the card redrawn")
        shown = str(card.query_one("#card-identity").content)
        assert shown.index("A second note") < shown.index("Rappeler")
    again = build_console()  # a restart: the journal keeps them
    async with again.app.run_test(size=SIZE, notifications=True) as pilot:
        card, _name = await card_of_colleague(again, pilot)
        await until(pilot, lambda: len(card._notes) == 2, "the notes read after a restart")
        shown = str(card.query_one("#card-identity").content)
        assert "A second note" in shown and "Rappeler" in shown
