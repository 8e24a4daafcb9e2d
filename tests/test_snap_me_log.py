"""Snapshot of my ME log (issue 15, TWS-4.1.1) at 80×24 in French: a missed call, a voice
message and a message (unread, ●), a broadcast (read, ○), the unread count in the title, the
highlighted entry's details below the list."""

from __future__ import annotations

from typing import Any

from helpers import ACME, DUPONT, build_console, settle, until

from tws_tui.console.screens.modals.me_log import MeLogScreen
from tws_tui.domain.assist import EVERYONE
from tws_tui.platform.i18n import set_language


def test_me_log_80x24_fr(snap_compare) -> None:
    console = build_console()

    async def opened(pilot: Any) -> None:
        set_language("fr")
        await settle(pilot)
        me = console.app.state.me
        assert me is not None
        ann, bea = [
            d.user_id
            for d in sorted(console.app.state.devices.values(), key=lambda d: d.extension or "")
            if d.user_id is not None and d.user_id != me.user_id
        ][:2]
        missed = console.ring(DUPONT)
        await settle(pilot)
        console.clock.advance(15)
        console.backend.switch.caller_hangs_up(missed)
        console.clock.advance(60)
        console.backend.switch_voicemail.leave(console.backend.device, ACME, duration_s=12)
        console.clock.advance(60)
        console.backend.switch_chat.send(ann, me.user_id, "[b]Rappelle[/b] \x1b[31m pour le devis")
        console.clock.advance(60)
        console.backend.switch_assist.broadcast(bea, (EVERYONE,), "Pause café")
        await settle(pilot)
        await pilot.press("alt+shift+l")
        await until(pilot, lambda: isinstance(console.app.screen, MeLogScreen), "the log")
        await settle(pilot)
        console.app.clear_notifications()  # toasts expire on the real clock
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=(80, 24), run_before=opened)
