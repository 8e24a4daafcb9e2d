"""Issue 14, "F8 hangs up a held caller": the call keys act on the call on the line. The Calls
screen's selection follows it whenever it changes (a second call answered, Alt+O, a failed
consultation); acting on another call needs the cursor moved."""

from __future__ import annotations

from typing import Any

from helpers import (
    ACME,
    DUPONT,
    answer_at,
    build_console,
    idle_colleagues,
    settle,
    states,
    talking_on_the_calls_screen,
)

from tws_tui.core.model import ConnectionState

SIZE = (110, 32)


async def answer_a_second_call(console: Any, pilot: Any) -> None:
    """DUPONT rings while ACME is on the line; F12 answers DUPONT (ACME goes on hold)."""
    console.ring(DUPONT)
    await settle(pilot)
    await pilot.press("f12")
    await settle(pilot)


async def test_f8_after_answering_a_second_call_hangs_up_the_second() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await talking_on_the_calls_screen(console, pilot)
        await answer_a_second_call(console, pilot)
        assert states(console)[DUPONT.name] is ConnectionState.CONNECTED
        await pilot.press("f8")
        await settle(pilot)
        assert set(states(console)) == {ACME.name}  # the held caller is still there


async def test_f8_after_taking_the_oldest_waiting_call_hangs_up_that_one() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await talking_on_the_calls_screen(console, pilot)
        console.backend.switch.inject_incoming_call("3900", DUPONT)
        await settle(pilot)
        await pilot.press("alt+o")
        await settle(pilot)
        assert states(console)[DUPONT.name] is ConnectionState.CONNECTED
        await pilot.press("f8")
        await settle(pilot)
        assert set(states(console)) == {ACME.name}


async def test_f8_after_a_failed_consultation_drops_the_attempt_not_the_caller() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        busy, other = idle_colleagues(console)[:2]
        console.backend.switch.make_call(busy.extension, other.extension)
        answer_at(console, other.extension)
        await talking_on_the_calls_screen(console, pilot)
        await pilot.press("f2", *busy.extension, "f5")
        await settle(pilot)
        assert ConnectionState.FAIL in states(console).values()
        await pilot.press("f8")
        await settle(pilot)
        assert set(states(console)) == {ACME.name}


async def test_the_cursor_moved_by_the_user_is_what_f8_acts_on() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await talking_on_the_calls_screen(console, pilot)
        await answer_a_second_call(console, pilot)
        await pilot.press("up")  # to ACME, on hold
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        assert states(console) == {DUPONT.name: ConnectionState.CONNECTED}
