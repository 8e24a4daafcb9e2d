"""Issue 14, "80×24 and small terminals": the Queues waiting list keeps its rows, columns fit
the width (none falls off the right edge), the incoming pop-up stays compact under the top
rows, and call cards line up in French too."""

from __future__ import annotations

import re

import pytest
from helpers import ACME, DUPONT, answer_a_call, build_console, settle

from tws_tui.console.widgets.row_list import COLUMN_GAP, MIN_COLUMN, RowList, fit_widths
from tws_tui.core.model import AgentState
from tws_tui.platform.i18n import set_language
from tws_tui.settings.schema import AlertSettings

SIZE = (80, 24)


def test_columns_that_fit_are_left_alone() -> None:
    assert fit_widths((10, 5, 20), (10, 5, 20), 80) == (10, 5, 20)


def test_a_header_wider_than_its_cells_gives_up_its_spare_cells_first() -> None:
    """ "Ext./number" (12) over three-digit extensions: the names keep their width."""
    fitted = fit_widths((18, 12, 20, 8, 14), (18, 3, 20, 8, 14), 78)
    assert fitted[0] == 18 and fitted[1] < 12
    assert sum(fitted) + COLUMN_GAP * 4 <= 78


def test_then_the_widest_column_shrinks_never_below_the_floor() -> None:
    fitted = fit_widths((40, 10, 10), (40, 10, 10), 50)
    assert sum(fitted) + COLUMN_GAP * 2 == 50 and fitted[1:] == (10, 10)
    squeezed = fit_widths((40, 10, 10), (40, 10, 10), 5)
    assert min(squeezed) == MIN_COLUMN


async def test_the_waiting_list_shows_three_calls_at_80x24_with_a_call_up() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        console.ring(ACME)
        await settle(pilot)
        await pilot.press("enter")
        for caller in (ACME, DUPONT, ACME):
            console.backend.switch.inject_incoming_call("3900", caller)
        await pilot.press("alt+3")
        await settle(pilot, 6)
        waiting = console.app.screen.query_one("#waiting", RowList)
        assert waiting.row_count >= 3
        assert waiting.region.height >= 4  # a header and three rows
        assert waiting.region.bottom <= SIZE[1] - 1  # above the footer


async def test_every_queue_column_starts_on_screen_at_80_columns() -> None:
    console = build_console()
    set_language("fr")
    async with console.app.run_test(size=SIZE) as pilot:
        await pilot.press("alt+3")
        await settle(pilot, 6)
        queues = console.app.screen.query_one("#queues", RowList)
        header = queues.render_line(0).text
        for column in queues.columns():
            assert column[: MIN_COLUMN - 1] in header, (column, header)


async def test_the_pop_up_leaves_the_top_rows_and_most_of_the_screen() -> None:
    console = build_console(alerts=AlertSettings(popup=True))
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        console.ring(ACME)
        await settle(pilot, 8)
        box = console.app.screen.query_one("#alerter-box")
        assert box.region.y >= 3
        assert box.region.height <= 8


async def test_french_call_cards_keep_the_state_and_the_caller_apart() -> None:
    console = build_console()
    set_language("fr")
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        console.ring(ACME)
        await settle(pilot)
        await pilot.press("enter", "alt+2")
        await settle(pilot)
        card = console.app.screen.query_one("CallCard")
        first_line = str(card.render()).splitlines()[0]
        assert "En conversation " in first_line, first_line  # was "En conversationACME"


async def test_every_mode_knows_it_is_short_at_80x24_and_not_at_120x40() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        for key in ("alt+1", "alt+2", "alt+3", "alt+5"):
            await pilot.press(key)
            await settle(pilot)
            assert console.app.screen.has_class("-short"), key
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert not console.app.screen.has_class("-short")


async def test_the_status_bar_keeps_its_clock_and_counts_at_80_columns() -> None:
    """Paused, with calls waiting and a missed call: "● En" and a lost clock before."""
    console = build_console()
    set_language("fr")
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        console.backend.switch.set_agent_state("100", AgentState.NOT_READY, "Déjeuner")
        for caller in (ACME, DUPONT, ACME):
            console.ring(caller, to="3900", patience_s=600)
        missed = console.ring(DUPONT)
        console.clock.advance(20)
        console.backend.switch.caller_hangs_up(missed)  # a missed call
        await settle(pilot, 6)
        line = console.app.screen.query_one("StatusBar").render().plain
        assert re.search(r"\b09:0\d $", line), line
        assert "3 en file" in line and "appel manqué" in line, line
        assert "Déjeuner" in line, line


@pytest.mark.parametrize(
    "language, words", [("fr", ("Raccrocher", "Parquer")), ("en", ("Hang up", "Park"))]
)
async def test_the_footer_keeps_every_label_at_80_columns(
    language: str, words: tuple[str, ...]
) -> None:
    console = build_console()
    set_language(language)
    async with console.app.run_test(size=SIZE) as pilot:
        await answer_a_call(console, pilot)
        bar = console.app.screen.query_one("KeyBar")
        shown = bar.render().plain
        for word in words:
            assert word in shown, shown
        assert bar.region.height <= 2


async def test_the_french_mode_title_keeps_every_mode_with_unread_chat_at_80_columns() -> None:
    """ "4 Chat (12)" pushed "6 Préférences" past the edge: the other names are cut instead."""
    console = build_console()
    set_language("fr")
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        me = console.app.state.me
        assert me is not None
        peer = next(
            e.user_id
            for e in console.backend.switch.endpoints.values()
            if e.internal and e.user_id is not None and e is not console.backend.switch.operator
        )
        for n in range(12):
            console.backend.switch_chat.send(peer, me.user_id, f"message {n}")
        await pilot.press("alt+3")
        await settle(pilot)
        title = console.app.screen.query_one("#mode-title").render().plain
        assert len(title) <= SIZE[0], title
        assert "(12)" in title and "6 Préf" in title and "3 Files d'attente" in title, title
