"""An announcement before a forward lasts as long as its sound (issue 17; TWS-6.10.6.1-7): the
built-in "ring" (2.4 s) holds the caller 2.4 s, not a fixed 4 s; a sound not in the library
(or a name that would be a path) keeps the 4 s; and History's detail of the call that rang at
me tells the announcement, its length, and where the call went on."""

from __future__ import annotations

import pytest
from helpers import ACME, build_console, settle, until
from test_history import open_history

from tws_tui.console.screens.history.detail import HistoryDetail
from tws_tui.core.model import Forward, ForwardKind
from tws_tui.platform.i18n import set_language
from tws_tui.simulator.announcements import ANNOUNCEMENT_S, announcement_length

COLLEAGUE = "104"


def test_the_length_is_the_sounds_and_a_missing_one_keeps_the_default() -> None:
    assert announcement_length("ring") == pytest.approx(2.4)
    assert announcement_length("nowhere") == ANNOUNCEMENT_S
    assert announcement_length("../ring") == ANNOUNCEMENT_S
    assert announcement_length("default") == ANNOUNCEMENT_S


async def test_the_caller_hears_the_whole_sound_then_history_tells_it() -> None:
    console = build_console()
    switch = console.backend.switch
    async with console.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await console.backend.set_forward(
            ForwardKind.NO_ANSWER, Forward(True, COLLEAGUE, 10, "ring")
        )
        call_id = console.ring(ACME)
        await settle(pilot)
        console.clock.advance(10)  # no answer: the caller hears "ring"
        await settle(pilot)
        [step] = switch.timeline(call_id)
        assert (step.what, step.length_s) == ("announcement", pytest.approx(2.4))
        console.clock.advance(2.3)
        await settle(pilot)
        assert not switch.calls_at(COLLEAGUE)  # still listening
        console.clock.advance(0.2)
        await settle(pilot)
        assert switch.calls_at(COLLEAGUE)  # at 2.4 s, not 4 s
        rows = await open_history(pilot, console.app, 1)
        rows.focus()
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(console.app.screen, HistoryDetail), "detail")
        detail = console.app.screen

        def shown() -> str:
            return str(detail.query_one("#detail-timeline").render())

        await until(pilot, lambda: "Forwarded to 104" in shown(), "the steps shown")
        assert "Announcement ring played to the caller at 09:00 (2.4 s)" in shown()
        set_language("fr")
        try:
            detail._show()
            assert "Annonce ring jouée à l’appelant à 09:00 (2,4 s)" in shown()
            assert "Renvoyé au 104" in shown()
        finally:
            set_language("en")
