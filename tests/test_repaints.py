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
    VirtualTerminal,
    build_console,
    painted_widgets,
    record_paints,
)
from helpers import (
    talking_on_the_calls_screen as talking_on_the_calls,
)

from tws_tui.console.screens.contacts.home_lists import DEVICE
from tws_tui.console.widgets.blf_grid import TILE_WIDTH, BlfGrid
from tws_tui.console.widgets.call_card import CallCard
from tws_tui.console.widgets.dial_bar import DialBar
from tws_tui.console.widgets.footer import KeyBar
from tws_tui.console.widgets.ringing_banner import RingingBanner
from tws_tui.console.widgets.row_list import RowList
from tws_tui.console.widgets.status_bar import StatusBar
from tws_tui.core.model import ConnectionState, PresenceState
from tws_tui.core.topics import Topic
from tws_tui.domain.phone_keys import SUPERVISION, PhoneKey
from tws_tui.settings.schema import AlertSettings

SIZE = (120, 40)


async def settle(pilot: Any, rounds: int = 6) -> None:
    for _ in range(rounds):
        await pilot.pause()


async def talking_on_the_calls_screen(console: Any, pilot: Any) -> CallCard:
    """ACME rings, I answer and look at the Calls screen: its card."""
    await talking_on_the_calls(console, pilot, rounds=6)
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


def contacts_list(console: Any) -> RowList:
    """The Contacts screen's list, that screen on top or below a pop-up."""
    screen = next(s for s in reversed(console.app.screen_stack) if s.query("#contact-list"))
    return screen.query_one("#contact-list", RowList)


def colleague_row_line(console: Any, device_id: str) -> int:
    """The screen line of a colleague's row in the Contacts list."""
    listed = contacts_list(console)
    index = listed.row_keys().index(DEVICE + device_id)
    return listed.content_region.y + 1 + index - listed.scroll_offset.y


def a_listed_colleague(console: Any) -> Any:
    """An available colleague whose row is on screen, not the one selected (whose business
    card beside the list changes with them)."""
    listed = contacts_list(console)
    shown = listed.row_keys()[: listed.size.height - 1]
    devices = console.app.state.devices
    return next(
        devices[key.removeprefix(DEVICE)]
        for key in shown
        if key.startswith(DEVICE)
        and key != listed.selected_key
        and devices[key.removeprefix(DEVICE)].presence is PresenceState.AVAILABLE
    )


async def test_a_colleague_changing_presence_repaints_their_row_cells_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    refreshes = Refreshes(monkeypatch)
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        colleague = a_listed_colleague(console)
        line = colleague_row_line(console, colleague.device_id)
        refreshes.clear()
        frames = record_paints(console.app)
        console.backend.switch.set_presence(colleague.device_id, PresenceState.BUSY)
        await settle(pilot)
        assert console.app.state.devices[colleague.device_id].presence is PresenceState.BUSY

        assert not refreshes.widgets(KeyBar), "the footer's keys did not change"
        assert not refreshes.widgets(StatusBar)
        assert not [call for call in refreshes.widgets(BlfGrid) if not call[1]]  # no tile
        assert frames and None not in frames
        spans = [span for frame in frames if frame for span in frame]
        assert {y for y, _x1, _x2 in spans} == {line}, "that row, no other line"
        listed = console.app.screen.query_one("#contact-list", RowList)
        presence_column = listed.region.x + listed.render_line(0).text.index("Presence")
        assert all(x1 >= presence_column for _y, x1, _x2 in spans), "its presence, not the row"


async def test_a_change_below_the_incoming_call_pop_up_is_painted_once_and_alone() -> None:
    """Textual 8.2.8 resends what changed below a pop-up at every later change, the whole
    screen once it is among them (``textual_private.RepaintOnceBelow``)."""
    console = build_console(alerts=AlertSettings(popup=True))
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        colleague = a_listed_colleague(console)
        console.ring(ACME)
        await settle(pilot)
        assert type(console.app.screen).__name__ == "AlerterScreen"
        line = colleague_row_line(console, colleague.device_id)  # the banner moved the list
        # The first change below also brings what was pending there when the pop-up came.
        console.backend.switch.set_presence(colleague.device_id, PresenceState.AWAY)
        await settle(pilot)
        frames = record_paints(console.app)
        for presence in (PresenceState.BUSY, PresenceState.AVAILABLE, PresenceState.AWAY):
            console.backend.switch.set_presence(colleague.device_id, presence)
            await settle(pilot)
        assert len(frames) == 3 and None not in frames, "one frame each, never the screen"
        for frame in frames:
            assert frame is not None and {y for y, _x1, _x2 in frame} == {line}
            assert sum(x2 - x1 for _y, x1, x2 in frame) < 20, "the presence cells alone"


async def test_a_supervised_colleague_changing_presence_repaints_their_tile_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    refreshes = Refreshes(monkeypatch)
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first, second = sorted(console.app.state.devices.values(), key=lambda d: d.name)[:2]
        console.app.prefs.set_phone_keys(
            (PhoneKey(SUPERVISION, first.device_id), PhoneKey(SUPERVISION, second.device_id))
        )
        await settle(pilot)
        grid = console.app.screen.query_one(BlfGrid)
        assert len(grid.tiles) == 2
        index = [tile.device for tile in grid.tiles].index(
            console.app.state.devices[second.device_id]
        )
        refreshes.clear()
        frames = record_paints(console.app)
        console.backend.switch.set_presence(second.device_id, PresenceState.AWAY)
        await settle(pilot)
        asked = refreshes.widgets(BlfGrid)
        assert asked and all(regions and not layout for _w, regions, layout in asked)
        row, column = divmod(index, max(1, grid.size.width // TILE_WIDTH))
        tile_top = grid.content_region.y + 1 + 2 * row  # below the grid's title
        tile_left = grid.content_region.x + TILE_WIDTH * column
        grid_spans = [
            (y, x1, x2)
            for frame in frames
            if frame
            for y, x1, x2 in frame
            if grid.region.y <= y < grid.region.bottom
        ]
        assert grid_spans and all(
            tile_top <= y < tile_top + 2 and tile_left <= x1 and x2 <= tile_left + TILE_WIDTH
            for y, x1, x2 in grid_spans
        ), "that tile, not the grid"


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


async def test_a_minute_of_demo_traffic_leaves_the_terminal_showing_the_console(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What is repainted narrowly must still be all that changed: the cells sent to the
    terminal over the demo's traffic (colleagues calling, presence, queue calls, calls ringing
    at me and their pop-up), second by second, on Contacts then on Calls with a call up, add
    up to the screen a full repaint shows. (A safety net: it passes with whole repaints too.)"""
    timers = SecondTimers(monkeypatch)
    console = build_console(traffic=True, alerts=AlertSettings(popup=True))
    terminal = VirtualTerminal(console.app)

    async def seconds(pilot: Any, count: int, where: str) -> None:
        for second in range(count):
            console.clock.advance(1)
            await timers.fire()
            await settle(pilot, 3)
            if second % 20 == 19:
                assert terminal.stale_lines() == [], f"{where}, after {second + 1} s"
                await settle(pilot, 3)

    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await seconds(pilot, 40, "Contacts")
        console.ring(ACME)
        await settle(pilot)
        await pilot.press("f12", "alt+2")
        await settle(pilot)
        assert type(console.app.screen).__name__ == "CallRemoteScreen"
        assert any(c.state is ConnectionState.CONNECTED for c in console.app.state.calls.values())
        await seconds(pilot, 40, "Calls")
