"""Issue 14, "quitting": the quit dialog lists the calls live, held, ringing and parked and
says what becomes of each; quitting ends mine and leaves the parked one for a colleague."""

from __future__ import annotations

from typing import Any

from helpers import ACME, DUPONT, build_console

from tws_tui.console.screens.modals.confirm import ConfirmScreen
from tws_tui.core.model import Party

SIZE = (110, 32)
MARTIN = Party("+33155550101", "Paul Martin")
PETIT = Party("+33155550102", "Lise Petit")


async def settle(pilot: Any, rounds: int = 4) -> None:
    for _ in range(rounds):
        await pilot.pause()


async def test_quitting_lists_each_call_with_its_fate_and_ends_mine() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for caller in (ACME, DUPONT, MARTIN):
            console.ring(caller)
            await settle(pilot)
            await pilot.press("f12")
            await settle(pilot)
        await pilot.press("f9")  # Paul Martin parked; ACME and Dupont on hold
        await settle(pilot)
        await pilot.press("f7")  # ACME (held longest) back on the line
        await settle(pilot)
        console.ring(PETIT)
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(console.app.screen, ConfirmScreen)
        question = console.app.screen.question
        assert "On the line: ACME Industries (+33123456789) — will be hung up." in question
        assert "On hold: Jeanne Dupont (+33612345678) — will be hung up." in question
        assert "Ringing: Lise Petit (+33155550102) — will be refused." in question
        assert "Paul Martin (+33155550101) — stays parked" in question
        assert "Accueil" in question  # and the queues I am logged in to
        await pilot.press("y")
        await settle(pilot)
    assert console.backend.switch.calls_at("100") == []
    parked = [c.caller.name for lot in console.app.state.parking.values() for c in lot.calls]
    assert parked == [MARTIN.name]
