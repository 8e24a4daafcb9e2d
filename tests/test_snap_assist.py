"""Snapshots of the assistance-request banner (issue 15, TWS-4.4) on the home screen: a
colleague's request asked of me, still open (the warning colour, the key that takes it), and
my own request a colleague took — at 80×24 in English and French, and at 120×40."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import build_console, settle

from tws_tui.domain.assist import EVERYONE
from tws_tui.platform.i18n import set_language
from tws_tui.simulator.assist import TAKE_AFTER_S

CASES = [
    pytest.param((80, 24), "en", id="80x24-en"),
    pytest.param((80, 24), "fr", id="80x24-fr"),
    pytest.param((120, 40), "en", id="120x40-en"),
]


@pytest.mark.parametrize(("size", "language"), CASES)
def test_assist_banner(snap_compare, size: tuple[int, int], language: str) -> None:
    console = build_console()
    switch = console.backend.switch_assist

    async def asked(pilot: Any) -> None:
        set_language(language)
        await settle(pilot)
        me = console.app.state.me
        assert me is not None
        colleagues = [
            d.user_id
            for d in console.app.state.devices.values()
            if d.user_id and d.user_id != me.user_id
        ]
        switch.ask(me.user_id, EVERYONE, "Appel en anglais sur la 3, qui parle anglais ?")
        console.clock.advance(TAKE_AFTER_S + 1)
        switch.ask(colleagues[2], EVERYONE, "Client mécontent, besoin d'un renfort")
        await settle(pilot)
        console.app.clear_notifications()  # toasts expire on the real clock: the banner stays
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=asked)
