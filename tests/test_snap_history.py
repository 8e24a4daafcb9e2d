"""Snapshots of History (the call journal with dates, filters line, search) and of an entry's
detail (timeline and comments), at 80x24 and 120x40, in English and in French.

The journal is seeded as an earlier session left it (tests/test_history.THREE: a missed call
this morning through a queue, an answered call yesterday, an outgoing call last Monday); the
clock is frozen at Sunday 22 Nov 2026 09:00 UTC.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from helpers import build_console, until
from test_history import NOW, THREE, seed

from tws_tui.console.screens.history import HistoryScreen
from tws_tui.console.screens.history.detail import HistoryDetail
from tws_tui.console.widgets.row_list import RowList
from tws_tui.journal import CallJournal

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGUAGES = [pytest.param("en", id="en"), pytest.param("fr", id="fr")]


def seeded() -> None:
    seed(*THREE)
    journal = CallJournal()
    journal.add_comment("c2", "#4512 — 40 × BK-200", NOW - timedelta(hours=18))
    journal.close()


async def history(pilot: Any, language: str) -> None:
    app = pilot.app
    if language == "fr":
        await pilot.press("alt+l")
    await pilot.press("alt+5")

    def listed() -> bool:
        screen = app.screen
        return (
            isinstance(screen, HistoryScreen)
            and screen._searchable
            and (screen.query_one("#history-list", RowList).row_count == 3)
        )

    await until(pilot, listed, "History listed")
    await pilot.pause()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_history_lists_the_journal_with_dates(snap_compare, size, language) -> None:
    seeded()
    console = build_console()

    async def run(pilot: Any) -> None:
        await history(pilot, language)

    assert snap_compare(console.app, terminal_size=size, run_before=run)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_history_detail_shows_the_timeline_and_comments(snap_compare, size, language) -> None:
    seeded()
    console = build_console()

    async def run(pilot: Any) -> None:
        await history(pilot, language)
        rows = pilot.app.screen.query_one("#history-list", RowList)
        rows.select_key("c2")
        await pilot.press("ctrl+k")
        await until(
            pilot,
            lambda: isinstance(pilot.app.screen, HistoryDetail) and pilot.app.screen.comments,
            "detail read",
        )
        await pilot.pause()

    assert snap_compare(console.app, terminal_size=size, run_before=run)
