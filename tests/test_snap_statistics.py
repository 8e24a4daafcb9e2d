"""Snapshots of the Statistics view (Ctrl+G from History) with its chart, at 80x24 and 120x40,
in English and in French, and once with ``NO_COLOR`` (the series told apart by their markers).

The journal is seeded with tests/test_statistics's calls (this week's five, one the Sunday
before, one in October); the clock is frozen at Sunday 22 Nov 2026 09:00 UTC; the view shows
the month of November: calls per day stacked received / placed / missed.
"""

from __future__ import annotations

from typing import Any

import pytest
from helpers import build_console, until
from test_statistics_screen import open_statistics, seed

from tws_tui.console.screens.history.statistics import StatisticsScreen
from tws_tui.journal.statistics import Span

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGUAGES = [pytest.param("en", id="en"), pytest.param("fr", id="fr")]


async def month(pilot: Any, language: str) -> None:
    app = pilot.app
    if language == "fr":
        await pilot.press("alt+l")
    screen = await open_statistics(pilot, app)
    await pilot.press("m")

    def shown() -> bool:
        figures = app.screen._figures if isinstance(app.screen, StatisticsScreen) else None
        return figures is not None and figures.query.period.span is Span.MONTH

    await until(pilot, shown, "the month computed")
    assert screen is app.screen
    for _ in range(3):
        await pilot.pause()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_statistics_of_the_month_with_a_chart(snap_compare, size, language) -> None:
    seed()
    console = build_console()

    async def run(pilot: Any) -> None:
        await month(pilot, language)

    assert snap_compare(console.app, terminal_size=size, run_before=run)


def test_statistics_without_colour(snap_compare, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    seed()
    console = build_console()

    async def run(pilot: Any) -> None:
        await month(pilot, "en")

    assert snap_compare(console.app, terminal_size=(120, 40), run_before=run)
