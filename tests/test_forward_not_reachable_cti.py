"""Forward when my phone is not reachable on the REAL reference server (uvicorn on loopback):
Alice sets it to Bob (180) with Alt+F on one console; her other console gets the badge through
the event stream; the server keeps it across a restart (same data directory, a new switch), and
a call to her extension while her phone is not registered rings at Bob; her own number is
refused by the server too."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from cti_fixtures import cti_console, make_backend, serving, signed_in
from helpers import until
from textual.widgets import Input

from tws_tui.console.app import TwsApp
from tws_tui.console.screens.modals.forwarding import ForwardingScreen
from tws_tui.console.widgets.status_bar import StatusBar
from tws_tui.core.errors import CallControlError
from tws_tui.core.model import Forward, ForwardKind

SIZE = (120, 36)


def bar(app: TwsApp) -> str:
    return app.screen.query_one(StatusBar).render().plain


async def test_set_on_one_console_seen_on_the_other_and_kept_after_a_restart(
    tmp_path: Path,
) -> None:
    data = tmp_path / "server"
    with serving(data) as first:
        one, two = cti_console(first), cti_console(first)
        async with signed_in(one, two, size=SIZE) as (pilot, pilot_two):
            await pilot.press("alt+f")
            await until(pilot, lambda: isinstance(one.screen, ForwardingScreen), "dialog")
            field = one.screen.query_one("#to-not_reachable", Input)
            field.focus()
            field.value = "180"
            await pilot.pause()
            await pilot.press("enter")
            await until(
                pilot_two, lambda: "unreachable → 180" in bar(two), "badge on the other console"
            )
    with serving(data, users=()) as second:  # a new process and switch: same data directory
        backend = make_backend(second.url)
        snapshot = await backend.connect()
        try:
            assert snapshot.me.forwards[ForwardKind.NOT_REACHABLE] == Forward(True, "180", None)
            with pytest.raises(CallControlError, match="own phone"):
                await backend.set_forward(ForwardKind.NOT_REACHABLE, Forward(True, "100"))
        finally:
            await backend.close()
        device = snapshot.me.devices[0]
        second.call(lambda: second.pbx.switch.set_registered(device, False))
        await asyncio.to_thread(second.ring, "100")
        assert second.connections_at("180"), "the call did not reach Bob"
        assert not second.connections_at("100")
