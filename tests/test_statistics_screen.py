"""The Statistics view (Ctrl+G from History): opened on today, period keys, a chosen period
checked, filters, the chart drawn by plotext with a marker per series, CSV export and an
unwritable path — on the simulator, the journal seeded with tests/test_statistics's calls."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path
from typing import Any

from helpers import DUPONT, build_console, screen_text, until
from test_history import SIZE, open_history
from test_statistics import BEFORE, WEEK
from textual_plotext import PlotextPlot

from tws_tui.console.screens.history import HistoryScreen
from tws_tui.console.screens.history.period_dialog import PeriodDialog
from tws_tui.console.screens.history.statistics import StatisticsScreen
from tws_tui.console.screens.modals.choice import ChoiceScreen
from tws_tui.journal import CallJournal
from tws_tui.journal.statistics import CallType, Correspondents, Span
from tws_tui.platform.i18n import set_language


def seed() -> None:
    journal = CallJournal()
    journal.record_many([*WEEK, *BEFORE])
    journal.close()


async def open_statistics(pilot: Any, app: Any) -> StatisticsScreen:
    await open_history(pilot, app, 7)
    await pilot.press("ctrl+g")
    await until(pilot, lambda: isinstance(app.screen, StatisticsScreen), "Statistics open")
    screen: StatisticsScreen = app.screen
    await until(pilot, lambda: screen._figures is not None, "figures computed")
    return screen


async def press_and_count(pilot: Any, screen: StatisticsScreen, key: str) -> int:
    """Press ``key``; the calls counted for the query it leads to."""
    before = screen.stats_query
    await pilot.press(key)
    await until(
        pilot,
        lambda: screen._figures is not None and screen._figures.query == screen.stats_query,
        f"figures after {key}",
    )
    assert screen.stats_query != before or key in ("escape",)
    assert screen._figures is not None
    return screen._figures.total.calls


async def test_opened_from_history_on_today_and_esc_goes_back() -> None:
    seed()
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        app = console.app
        screen = await open_statistics(pilot, app)
        period = screen.stats_query.period
        assert (period.span, period.first) == (Span.DAY, date(2026, 11, 22))
        await pilot.pause()
        text = screen_text(app)
        assert "Day Sun 22 Nov 2026 · all calls · all correspondents" in text
        assert re.search(r"Calls +3  \(received 2, placed 1\)", text)
        assert "33 %" in text and "0:40" in text  # lost share, talk time
        assert "Accueil  2 · 1 missed" in text
        assert "Jeanne Dupont" in text and "Bob Martin" in text
        assert "5 History" in text and "› Statistics" in text
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen), "back to History")


async def test_period_keys_follow_the_calendar_of_the_language() -> None:
    seed()
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        app = console.app
        screen = await open_statistics(pilot, app)
        assert await press_and_count(pilot, screen, "w") == 3  # Sun 22 - Sat 28 Nov (English)
        assert await press_and_count(pilot, screen, "left") == 3  # Sun 15 - Sat 21 Nov
        assert screen.stats_query.period.first == date(2026, 11, 15)
        assert await press_and_count(pilot, screen, "m") == 6  # November
        assert await press_and_count(pilot, screen, "left_square_bracket") == 1  # October
        assert await press_and_count(pilot, screen, "right") == 6
        assert await press_and_count(pilot, screen, "y") == 7
        await pilot.press("right")  # 2027 has not come
        await until(
            pilot,
            lambda: any("period to come" in str(n.message) for n in app._notifications),
            "the future refused",
        )
        assert screen.stats_query.period.first == date(2026, 1, 1)
        await pilot.press("alt+l")  # French: weeks start on Monday
        await until(pilot, lambda: "Année 2026" in screen_text(app), "French words")
        assert await press_and_count(pilot, screen, "w") == 5  # lun. 16 - dim. 22 nov.
        assert screen.stats_query.period.first == date(2026, 11, 16)
    set_language("en")


async def test_a_chosen_period_is_checked_and_kept() -> None:
    seed()
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        app = console.app
        screen = await open_statistics(pilot, app)
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, PeriodDialog), "period dialog")
        dialog = app.screen
        problem = dialog.query_one("#period-problem")
        dialog.query_one("#period-from").value = "15/11/2026"
        dialog.query_one("#period-to").focus()
        await pilot.press("enter")
        await until(pilot, lambda: "is not a date" in str(problem.content), "bad date said")
        dialog.query_one("#period-from").value = "2026-11-15"
        dialog.query_one("#period-to").value = "2026-11-30"
        await pilot.press("enter")
        await until(pilot, lambda: "after today" in str(problem.content), "future end said")
        dialog.query_one("#period-to").value = "2026-11-21"
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is screen, "dialog closed")
        await until(pilot, lambda: screen._figures.query == screen.stats_query, "computed")
        period = screen.stats_query.period
        assert (period.span, period.first, period.last) == (
            Span.CUSTOM,
            date(2026, 11, 15),
            date(2026, 11, 21),
        )
        assert screen._figures.total.calls == 3
        assert len(screen._figures.series) == 7


async def test_filters_combine_and_one_correspondent_is_chosen() -> None:
    seed()
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        app = console.app
        screen = await open_statistics(pilot, app)
        assert await press_and_count(pilot, screen, "m") == 6
        assert await press_and_count(pilot, screen, "ctrl+t") == 4  # incoming
        assert screen.stats_query.call_type is CallType.INCOMING
        assert await press_and_count(pilot, screen, "ctrl+t") == 2  # outgoing
        assert await press_and_count(pilot, screen, "i") == 1  # internal: Bob
        assert screen.stats_query.correspondents is Correspondents.INTERNAL
        await press_and_count(pilot, screen, "ctrl+t")  # all calls again
        await press_and_count(pilot, screen, "i")  # external
        assert await press_and_count(pilot, screen, "i") == 6  # all correspondents
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, ChoiceScreen), "whose calls")
        app.screen.dismiss(DUPONT.number)
        await until(pilot, lambda: screen._figures.query.number == DUPONT.number, "Dupont's")
        assert screen._figures.total.calls == 2
        assert "with Jeanne Dupont" in screen_text(app)


async def test_the_chart_is_plotext_with_a_marker_per_series() -> None:
    seed()
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        app = console.app
        screen = await open_statistics(pilot, app)
        await press_and_count(pilot, screen, "m")
        await pilot.pause()
        chart = screen.query_one("#stats-chart", PlotextPlot)
        drawn = str(chart.render())
        assert "Calls" in drawn  # its title
        for marker, word in (("█", "received"), ("▒", "placed"), ("░", "missed")):
            assert f"{marker * 2} {word}" in drawn  # the legend: marker and word
        axis = [line for line in drawn.splitlines() if line.strip()][-1].split()
        assert axis[0] == "1" and "29" in axis  # the days of November, every other one here
        await pilot.press("g")
        await pilot.pause()
        assert "Answered calls" in str(chart.render())
        await pilot.press("t")  # the same series as a table
        await pilot.pause()
        assert not chart.display or not chart.visible or chart.styles.display == "none"
        text = screen_text(app)
        assert "answered" in text and "1:40" in text  # the 15th: ACME, 100 s


async def test_export_writes_the_figures_and_an_unwritable_path_is_said(tmp_path: Path) -> None:
    seed()
    console = build_console()
    target = tmp_path / "stats.csv"
    async with console.app.run_test(size=SIZE) as pilot:
        app = console.app
        screen = await open_statistics(pilot, app)
        await press_and_count(pilot, screen, "m")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen.query("#file-name"), "file dialog")
        app.screen.query_one("#file-name").value = str(target)
        await pilot.press("enter")
        await until(pilot, target.exists, "file written")
        rows = list(csv.DictReader(target.open(encoding="utf-8")))
        assert rows[0]["section"] == "period" and rows[0]["key"] == "2026-11-01/2026-11-30"
        total = next(r for r in rows if r["section"] == "total")
        assert (total["calls"], total["received"], total["missed"], total["talk_s"]) == (
            "6",
            "4",
            "1",
            "330",
        )
        assert len([r for r in rows if r["section"] == "series"]) == 30

        before = target.read_bytes()
        await pilot.press("ctrl+s")  # a path through a file: no folder can be made there
        await until(pilot, lambda: app.screen.query("#file-name"), "file dialog")
        app.screen.query_one("#file-name").value = str(target / "stats.csv")
        await pilot.press("enter")
        await until(
            pilot,
            lambda: any("Cannot write" in str(n.message) for n in app._notifications),
            "the failure said",
        )
        assert target.read_bytes() == before
        assert app.screen is screen and screen._figures is not None  # nothing lost
