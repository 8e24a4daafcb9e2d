"""Snapshots of each distinct state of call handling, at 80×24 and 120×40.

Seeded simulator, no traffic, frozen clock, English. Every state is reached with the keys an
operator would press (see tests/test_call_flows.py for the same flows with assertions).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from helpers import ACME, DUPONT, Console, answer_at, build_console, idle_colleagues

from tws_tui.settings.schema import AlertSettings

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
Script = Callable[[Console, Any], Awaitable[None]]


async def settle(pilot: Any, rounds: int = 4) -> None:
    for _ in range(rounds):
        await pilot.pause()


async def talking(console: Console, pilot: Any) -> None:
    console.ring(ACME, to="3900")
    console.clock.advance(1)
    await settle(pilot)
    await pilot.press("alt+3")
    await settle(pilot)
    queue = next(q for q in console.app.state.queues.values() if q.waiting)
    await console.backend.answer_queued(queue.id, queue.waiting[0].call_id)
    await settle(pilot)
    console.clock.advance(83)
    await pilot.press("alt+2")
    await settle(pilot)


def snapshot(snap_compare: Any, size: tuple[int, int], script: Script, **console_kw: Any) -> bool:
    console = build_console(**console_kw)

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await script(console, pilot)
        await settle(pilot)

    return bool(snap_compare(console.app, terminal_size=size, run_before=run_before))


@pytest.mark.parametrize("size", SIZES)
def test_alerter_pop_up(snap_compare, size) -> None:
    """The incoming-call pop-up: caller, what was called, Enter / R / D / Esc."""

    async def script(console: Console, pilot: Any) -> None:
        console.app.prefs.change("alerts", deflect_to="555")
        console.ring(DUPONT)

    alerts = AlertSettings(popup=True)
    assert snapshot(snap_compare, size, script, alerts=alerts)


@pytest.mark.parametrize("size", SIZES)
def test_talking_with_actions_and_keypad(snap_compare, size) -> None:
    """A queue call answered 1:23 ago: its actions with keys, and the DTMF sent on it."""

    async def script(console: Console, pilot: Any) -> None:
        await talking(console, pilot)
        await pilot.press("4", "2", "number_sign")

    assert snapshot(snap_compare, size, script)


@pytest.mark.parametrize("size", SIZES)
def test_muted_and_recording(snap_compare, size) -> None:
    """Badges for a muted call being recorded."""

    async def script(console: Console, pilot: Any) -> None:
        await talking(console, pilot)
        await pilot.press("alt+m", "alt+e")

    assert snapshot(snap_compare, size, script)


@pytest.mark.parametrize("size", SIZES)
def test_call_waiting_held_call_and_new_ringing_one(snap_compare, size) -> None:
    """The caller on hold (F7) while a second call rings."""

    async def script(console: Console, pilot: Any) -> None:
        await talking(console, pilot)
        await pilot.press("f7")
        console.clock.advance(5)
        console.ring(DUPONT)

    assert snapshot(snap_compare, size, script)


@pytest.mark.parametrize("size", SIZES)
def test_consultation_ringing_colleague(snap_compare, size) -> None:
    """F5 consults a colleague found by name: the caller held, the consultation paired to it."""

    async def script(console: Console, pilot: Any) -> None:
        await talking(console, pilot)
        colleague = idle_colleagues(console)[0]
        await pilot.press("f2", *colleague.name.split()[-1][:5])
        await settle(pilot)
        await pilot.press("f5")

    assert snapshot(snap_compare, size, script)


async def in_three_way(console: Console, pilot: Any) -> None:
    """Talking with ACME, consult an idle colleague who answers, then F6: a 3-way."""
    await talking(console, pilot)
    colleague = idle_colleagues(console)[0]
    await pilot.press("f2", *colleague.extension, "f5")
    await settle(pilot)
    answer_at(console, colleague.extension)
    await settle(pilot)
    await pilot.press("f6")


@pytest.mark.parametrize("size", SIZES)
def test_three_way_conference(snap_compare, size) -> None:
    """F6 after an answered consultation: one conference card with both parties."""

    assert snapshot(snap_compare, size, in_three_way)


@pytest.mark.parametrize("size", SIZES)
def test_drop_a_three_way_participant(snap_compare, size) -> None:
    """Alt+X on a 3-way: the organiser picks whose leg to hang up."""

    async def script(console: Console, pilot: Any) -> None:
        await in_three_way(console, pilot)
        await settle(pilot)
        await pilot.press("alt+x")

    assert snapshot(snap_compare, size, script)


@pytest.mark.parametrize("size", SIZES)
def test_caller_back_after_a_busy_transfer(snap_compare, size) -> None:
    """F4 to a busy colleague: the caller rings again, 'back from … busy'."""

    async def script(console: Console, pilot: Any) -> None:
        busy, other = idle_colleagues(console)[:2]
        console.backend.switch.make_call(busy.extension, other.extension)
        answer_at(console, other.extension)
        await talking(console, pilot)
        await pilot.press("f2", *busy.extension, "f4", "f4")  # F4 again: busy, but sent

    assert snapshot(snap_compare, size, script)


@pytest.mark.parametrize("size", SIZES)
def test_parked_call(snap_compare, size) -> None:
    """F9 parks the caller: the parked list shows the slot and the time parked."""

    async def script(console: Console, pilot: Any) -> None:
        await talking(console, pilot)
        await pilot.press("f9")
        await settle(pilot)
        console.clock.advance(12)

    assert snapshot(snap_compare, size, script)


@pytest.mark.parametrize("size", SIZES)
def test_failed_outgoing_call(snap_compare, size) -> None:
    """F3 to a colleague on DND: the card says Failed and why."""

    async def script(console: Console, pilot: Any) -> None:
        colleague = idle_colleagues(console)[0]
        console.backend.switch.set_dnd(colleague.extension, True)
        await settle(pilot)
        await pilot.press("alt+2", "f2", *colleague.extension, "f3")

    assert snapshot(snap_compare, size, script)


@pytest.mark.parametrize("size", SIZES)
def test_dial_bar_directory_matches(snap_compare, size) -> None:
    """Letters in the dial bar search the directory; the first match is the default."""

    async def script(console: Console, pilot: Any) -> None:
        await pilot.press("alt+2", "f2", *"dup")

    assert snapshot(snap_compare, size, script)


@pytest.mark.parametrize("size", SIZES)
def test_comment_dialog(snap_compare, size) -> None:
    """Alt+C during a call: the comment dialog."""

    async def script(console: Console, pilot: Any) -> None:
        await talking(console, pilot)
        await pilot.press("alt+c", *"wants a quote")

    assert snapshot(snap_compare, size, script)
