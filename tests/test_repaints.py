"""Issue 14, "bandwidth over SSH": a change repaints what it changed and nothing else.

Over SSH every cell repainted is bytes on the link (``bench/terminal_bytes.py`` measures them);
these tests pin down, without timing anything, what one second of a quiet call and one
colleague's change repaint: the ``ManualClock`` is moved one second and the console's
once-a-second timers fired once, and the compositor's updates say which cells were painted.
"""

from __future__ import annotations

from typing import Any

import pytest
from helpers import (
    ACME,
    Refreshes,
    SecondTimers,
    build_console,
    painted_widgets,
    record_paints,
    states,
)

from tws_tui.console.widgets.call_card import CallCard
from tws_tui.console.widgets.dial_bar import DialBar
from tws_tui.console.widgets.footer import KeyBar
from tws_tui.console.widgets.ringing_banner import RingingBanner
from tws_tui.console.widgets.status_bar import StatusBar
from tws_tui.core.model import ConnectionState
from tws_tui.core.topics import Topic

SIZE = (120, 40)


async def settle(pilot: Any, rounds: int = 6) -> None:
    for _ in range(rounds):
        await pilot.pause()


async def talking_on_the_calls_screen(console: Any, pilot: Any) -> CallCard:
    """ACME rings, I answer and look at the Calls screen: its card."""
    await settle(pilot)
    console.ring(ACME)
    await settle(pilot)
    await pilot.press("enter", "alt+2")
    await settle(pilot)
    assert states(console) == {ACME.name: ConnectionState.CONNECTED}
    return console.app.screen.query_one(CallCard)


def on_screen(console: Any, widget: Any) -> bool:
    """Whether ``widget`` is shown: on the screen on top, displayed (a widget of a screen not
    shown, or hidden, may ask for a repaint: nothing is painted)."""
    return widget.screen is console.app.screen and widget.display


async def one_second(console: Any, pilot: Any, timers: SecondTimers) -> None:
    console.clock.advance(1)
    assert await timers.fire()
    await settle(pilot)


async def test_a_second_of_a_quiet_call_repaints_the_timer_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    timers, refreshes = SecondTimers(monkeypatch), Refreshes(monkeypatch)
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        card = await talking_on_the_calls_screen(console, pilot)
        refreshes.clear()
        frames = record_paints(console.app)
        await one_second(console, pilot, timers)

        shown = [call for call in refreshes.calls if on_screen(console, call[0])]
        asked = {type(widget).__name__ for widget, _regions, _layout in shown}
        assert asked == {"CallCard"}, "only the card's timer asks for a repaint"
        assert all(regions and not layout for _w, regions, layout in shown)
        assert frames and None not in frames, "never the whole screen"
        assert painted_widgets(console.app, frames) == {f"CallCard#{card.id}"}
        line_one = card.content_region.y
        timer_from = card.content_region.x + len("● Talking       ACME Industries")
        assert all(y == line_one and x1 >= timer_from for frame in frames for y, x1, _x2 in frame)
        assert "0:01" in card.render().plain


async def test_the_status_bar_clock_is_repainted_when_its_minute_changes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    timers, refreshes = SecondTimers(monkeypatch), Refreshes(monkeypatch)
    console = build_console()  # its clock starts at 09:00:00 (UTC here)
    async with console.app.run_test(size=SIZE) as pilot:
        await talking_on_the_calls_screen(console, pilot)
        bar = console.app.screen.query_one(StatusBar)
        refreshes.clear()
        for _ in range(58):  # 09:00:01 … 09:00:58: the bar shows 09:00 all along
            await one_second(console, pilot, timers)
        assert not refreshes.widgets(StatusBar)
        console.clock.advance(60)  # 09:01:58
        await timers.fire()
        await settle(pilot)
        assert [widget for widget, _r, _l in refreshes.widgets(StatusBar)] == [bar]
        assert bar.render().plain.rstrip().endswith("09:01")


async def test_the_blinking_dial_field_repaints_its_cursor_not_the_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await talking_on_the_calls_screen(console, pilot)
        await pilot.press("f2", "2", "0")
        await settle(pilot)
        field = console.app.screen.query_one(DialBar).input
        assert field.has_focus
        frames = record_paints(console.app)
        # What its blink timer does twice a second (the suite stops that timer: conftest).
        field._cursor_visible = not field._cursor_visible
        await settle(pilot)
        cursor_x = field.cursor_screen_offset.x
        assert frames and None not in frames
        spans = [span for frame in frames if frame for span in frame]
        assert spans and all(y == field.region.y for y, _x1, _x2 in spans)
        assert all(cursor_x - 1 <= x1 and x2 <= cursor_x + 2 for _y, x1, x2 in spans)


async def test_a_bindings_update_that_changes_no_key_leaves_the_footer_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Textual reports a bindings update on every focus move and pop-up; the footer is
    repainted when its keys change (a call ringing makes Enter answer), not otherwise."""
    refreshes = Refreshes(monkeypatch)
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        refreshes.clear()
        console.app.screen.refresh_bindings()
        await settle(pilot)
        assert not refreshes.widgets(KeyBar)
        console.ring(ACME)
        await settle(pilot)
        assert refreshes.widgets(KeyBar), "Enter answers now: the footer says so"


async def test_a_calls_update_that_changes_nothing_rung_leaves_the_banner_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    refreshes = Refreshes(monkeypatch)
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        console.ring(ACME)
        await settle(pilot)
        banner = console.app.screen.query_one(RingingBanner)
        assert banner.display and ACME.name in banner.render().plain
        refreshes.clear()
        frames = record_paints(console.app)
        console.app.topics_changed({Topic.CALLS})
        await settle(pilot)
        assert not refreshes.widgets(RingingBanner)
        assert not frames
