"""Snapshots of a contact's event log (issue 15, TWP-4.1.2) opened from Contacts on a
colleague: a call received, the voice message they left, a message of theirs and mine, a note
only for me, by day, the audience before the field and the keys under it — at 80×24 in French
(the longest words in the smallest terminal; English and 120×40 are checked by eye, and the
pilot tests of tests/test_contact_log.py read its text at 80×24)."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import build_console, settle, until

from tws_tui.console.screens.contact_log import ContactLogScreen
from tws_tui.console.widgets.row_list import RowList
from tws_tui.core.model import Party
from tws_tui.platform.i18n import set_language

CASES = [pytest.param((80, 24), "fr", id="80x24-fr")]


@pytest.mark.parametrize(("size", "language"), CASES)
def test_contact_log(snap_compare, size, language: str) -> None:
    set_language(language)  # before the console starts: its key bar in French from the first frame
    console = build_console()

    async def logged(pilot: Any) -> None:
        await settle(pilot)
        app = console.app
        me = app.state.me
        assert me is not None
        device = next(
            d
            for d in sorted(app.state.devices.values(), key=lambda d: d.extension or "")
            if d.user_id is not None and d.user_id != me.user_id
        )
        assert device.extension is not None and device.user_id is not None
        colleague = Party(device.extension, device.name)
        console.ring(colleague)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        console.clock.advance(95)
        await pilot.press("f8")
        await settle(pilot)
        console.clock.advance(3600)
        console.backend.switch_voicemail.leave(console.backend.device, colleague, duration_s=12)
        console.backend.switch_chat.send(device.user_id, me.user_id, "Peux-tu me rappeler ?")
        await settle(pilot)
        listed = app.screen.query_one("#contact-list", RowList)
        listed.focus()
        assert listed.select_key(f"dev:{device.device_id}")
        app.clear_notifications()  # the message's notice: gone from the screen under the log
        await settle(pilot)
        await pilot.press("alt+shift+e")
        await until(pilot, lambda: isinstance(app.screen, ContactLogScreen), "the log")
        await pilot.press(*"On my way", "enter")
        await until(pilot, lambda: len(app.screen.entries) == 4, "the message listed")
        await pilot.press("ctrl+o", *"Prefers mornings", "enter")
        await until(pilot, lambda: len(app.screen.entries) == 5, "the note listed")
        app.clear_notifications()
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=logged)
