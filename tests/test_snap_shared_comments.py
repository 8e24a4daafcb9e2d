"""Snapshots of History's detail with comments shared with a colleague (TWS-3.13) at 80x24 and
120x40, in English and in French: a call answered, commented during it (Alt+C: shared), then
transferred to a colleague who commented it too and whose comment was edited; each comment
with its author and time. The clock is frozen at Sunday 22 Nov 2026 09:00 UTC."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import build_console, settle, until

from tws_tui.console.screens.history.detail import HistoryDetail
from tws_tui.console.widgets.row_list import RowList
from tws_tui.core.model import Party

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGUAGES = [pytest.param("en", id="en"), pytest.param("fr", id="fr")]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_detail_with_comments_shared_with_a_colleague(snap_compare, size, language) -> None:
    console = build_console()
    backend = console.backend

    async def run(pilot: Any) -> None:
        app = pilot.app
        if language == "fr":
            await pilot.press("alt+l")
        await settle(pilot)
        console.ring(Party("+33612345678", "Jeanne Dupont"))
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        [call] = app.state.calls.values()
        conversation = call.conversation_id
        await pilot.press("alt+c")
        await settle(pilot)
        await pilot.press(*"Devis 40 x BK-200", "enter")
        await until(pilot, lambda: backend.switch_comments._comments, "shared")
        console.clock.advance(90)
        colleague = next(
            e for e in backend.switch.endpoints.values() if e.internal and not e.operator
        )
        await backend.blind_transfer(call.call_id, colleague.extension)
        console.clock.advance(300)
        await settle(pilot)
        theirs = backend.switch_comments.add(colleague.device_id, conversation, "Devis envoyé")
        console.clock.advance(60)
        backend.switch_comments.edit(colleague.device_id, theirs.id, "Devis envoyé par e-mail")
        app.clear_notifications()  # the "shared" notice would cover the detail
        await pilot.press("alt+5")
        await settle(pilot)
        rows = app.screen.query_one("#history-list", RowList)
        await until(pilot, lambda: conversation in rows.row_keys(), "listed")
        rows.focus()
        rows.select_key(conversation)
        await pilot.press("ctrl+k")
        await until(
            pilot,
            lambda: isinstance(app.screen, HistoryDetail) and len(app.screen.comments) == 2,
            "detail read",
        )
        await pilot.pause()

    assert snap_compare(console.app, terminal_size=size, run_before=run)
