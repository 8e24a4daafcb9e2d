"""Issue 14, "Every screen usable at 80×24 with a call up and calls waiting": each mode at
80×24, in English and in French, while I talk to one caller, hold another, a third rings and
three callers wait in the reception's queue. The status bar keeps its clock, the footer its
labels, the call strip its line; the lists keep their rows."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import DUPONT, answer_a_call, build_console

from tws_tui.core.model import Party
from tws_tui.platform.i18n import set_language

SIZE = (80, 24)
MODES = [
    pytest.param("alt+1", id="contacts"),
    pytest.param("alt+2", id="calls"),
    pytest.param("alt+3", id="queues"),
    pytest.param("alt+4", id="chat"),
    pytest.param("alt+5", id="history"),
    pytest.param("alt+6", id="preferences"),
]
LANGUAGES = [pytest.param("en", id="en"), pytest.param("fr", id="fr")]
MARTIN = Party("+33145678901", "Paul Martin")


async def settle(pilot: Any, rounds: int = 3) -> None:
    for _ in range(rounds):
        await pilot.pause()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("mode", MODES)
def test_busy_console_at_80x24(snap_compare, mode: str, language: str) -> None:
    console = build_console()

    async def busy(pilot: Any) -> None:
        set_language(language)
        await answer_a_call(console, pilot)
        console.ring(DUPONT)
        await settle(pilot)
        await pilot.press("f12")  # ACME on hold, DUPONT on the line
        await settle(pilot)
        console.clock.advance(42)
        for caller in (MARTIN, Party("+33698765432"), Party("+33611223344", "Luc Petit")):
            console.ring(caller, to="3900", patience_s=600)
            console.clock.advance(7)
        console.ring(Party("+33755555555", "Nadia Roux"))
        await pilot.press(mode)
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=SIZE, run_before=busy)
