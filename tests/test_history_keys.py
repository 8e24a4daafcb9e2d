"""What a search letter typed in History costs the screen (issue 16: a key ≤ 16 ms at 100 000
calls, bench/history.py): no layout, only the list, the field and the count repainted, and
each line of the list drawn once — so that a change making a letter lay the screen out again,
or draw the list twice, fails here rather than only in the benchmark."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from helpers import build_console, count_layouts, painted_widgets, record_paints, settle, until

from tws_tui.console.screens.history import HistoryScreen
from tws_tui.console.widgets.row_list import RowList
from tws_tui.core.model import Direction, HistoryEntry, Outcome, Party
from tws_tui.journal import CallJournal

SIZE = (120, 40)
NOW = datetime(2026, 11, 22, 9, 0, 0, tzinfo=UTC)  # ManualClock's start
NAMES = ("Jeanne Dupont", "Jean Dupuis", "Paul Martin", "Marie Durand")


def seed_calls(count: int) -> None:
    """``count`` calls journaled by an earlier session, a name in turn, every outcome."""
    outcomes = list(Outcome)
    journal = CallJournal()
    journal.record_many(
        [
            HistoryEntry(
                id=f"k{n}",
                start=NOW - timedelta(minutes=7 * n),
                direction=Direction.INBOUND,
                outcome=outcomes[n % len(outcomes)],
                remote=Party(f"+3361234{n:04d}", NAMES[n % len(NAMES)]),
            )
            for n in range(count)
        ]
    )
    journal.close()


def names_listed(rows: RowList) -> set[str]:
    return {rows.row(key)[2].split(" (")[0] for key in rows.row_keys()}


async def test_a_search_letter_repaints_the_list_without_a_layout() -> None:
    seed_calls(400)
    console = build_console()
    app = console.app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("alt+5")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen), "History open")
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        await until(pilot, lambda: screen._searchable, "the search texts made")
        rows = screen.query_one("#history-list", RowList)
        await pilot.press("d")  # the field is made (its one layout), the first answer
        await until(pilot, lambda: rows.row_count == 300, "Dupont, Dupuis, Durand")
        await settle(pilot)
        drawn = [0]
        draw_line = rows.draw_line

        def counted(y: int) -> Any:
            drawn[0] += 1
            return draw_line(y)

        rows.draw_line = counted  # type: ignore[method-assign]
        layouts = count_layouts(app)
        frames = record_paints(app)
        for typed, count in (("u", 3), ("p", 2), ("o", 1)):
            await pilot.press(typed)
            await until(pilot, lambda n=count: len(names_listed(rows)) == n, f"{count} names")
            await settle(pilot)
        assert names_listed(rows) == {"Jeanne Dupont"}
        assert layouts[0] == 0
        assert painted_widgets(app, frames) <= {
            "BarRowList#history-list",  # its scrollbar's thumb too (fewer rows): in its lines
            "TypingField#history-search",
            "Static#history-filters",
        }
        assert 0 < drawn[0] <= 3 * rows.size.height  # each line on screen drawn once a letter
