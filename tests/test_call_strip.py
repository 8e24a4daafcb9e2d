"""Issue 14, "Calls in view on every screen": the one-line call strip under the banner shows
the call on the line (who, state, timer), the consultation pairing, how many calls are held and
parked — on every screen but the Calls screen, whose cards are the detail."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from helpers import ACME, DUPONT, answer_a_call, build_console, idle_colleagues, settle, states

from tws_tui.console.widgets.call_strip import CallStrip
from tws_tui.core.model import ConnectionState

SIZE = (80, 24)


def strip(app: Any) -> CallStrip:
    return app.screen.query_one(CallStrip)


async def test_the_strip_shows_the_call_on_the_line_and_its_timer_on_contacts() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert strip(console.app).display is False  # nothing to say: no row taken
        await answer_a_call(console, pilot)
        console.clock.advance(65)
        strip(console.app).sync()
        await settle(pilot)
        shown = strip(console.app)
        assert shown.display is True
        assert "Talking" in shown.plain and ACME.name in shown.plain and "1:05" in shown.plain


async def test_the_strip_counts_held_calls_and_names_the_caller_of_a_second_answer() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await answer_a_call(console, pilot)
        console.ring(DUPONT)
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        assert states(console)[ACME.name] is ConnectionState.HOLD
        line = strip(console.app).plain
        assert line.startswith("● Talking  " + DUPONT.name), line
        assert "1 on hold" in line


async def test_the_strip_shows_the_consultation_pairing_on_the_queues_screen() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        colleague = idle_colleagues(console)[0]
        await answer_a_call(console, pilot)
        await pilot.press("f2", *colleague.extension, "f5", "alt+3")
        await settle(pilot)
        line = strip(console.app).plain
        assert "consulting for " + ACME.name in line, line
        assert "1 on hold" in line


async def test_the_strip_counts_parked_calls_and_hides_when_all_are_gone() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await answer_a_call(console, pilot)
        await pilot.press("f9")
        await settle(pilot)
        if console.app.screen.query("ChoiceScreen, OptionList"):  # a lot to choose
            await pilot.press("enter")
            await settle(pilot)
        line = strip(console.app).plain
        assert line == "P 1 parked", line
        parked = next(c for lot in console.app.state.parking.values() for c in lot.calls)
        console.backend.switch.caller_hangs_up(parked.call_id)
        await settle(pilot)
        assert strip(console.app).display is False


async def test_the_calls_screen_has_the_cards_not_the_strip() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await pilot.press("alt+2")
        await settle(pilot)
        assert not console.app.screen.query(CallStrip)


async def test_a_timer_tick_that_changes_nothing_does_not_repaint_the_strip() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await answer_a_call(console, pilot)
        shown = strip(console.app)
        repaints = []
        original = shown.refresh
        shown.refresh = lambda *a, **k: repaints.append(1) or original(*a, **k)  # type: ignore[method-assign]
        shown.sync()
        assert repaints == []
        console.clock.advance(timedelta(seconds=1).total_seconds())
        shown.sync()
        assert repaints == [1]
