"""Simultaneous ring / find-me and the DND forward on the REAL reference server (uvicorn on
loopback), on SQLite and on PostgreSQL: Alice sets find-me to Bob (180) and the DND forward
to Sam (181) with Alt+F on one console; her other console gets the find-me badge through the
event stream; the server keeps both across a restart (same data directory and database, a
new switch); a call to her extension rings at her and at Bob, Bob answers and has the caller,
her line stops ringing; a number the server does not allow, letters or her own number are
refused in words and nothing is kept."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from cti_fixtures import ServerThread, cti_console, make_backend
from helpers import until
from textual.widgets import Input

from tws_tui.console.app import TwsApp
from tws_tui.console.screens.modals.forwarding import ForwardingScreen
from tws_tui.console.widgets.status_bar import StatusBar
from tws_tui.core.errors import CallControlError
from tws_tui.core.model import (
    ConnectionState,
    FindMe,
    FindMeMode,
    FindMeNumber,
    Forward,
    ForwardKind,
)

SIZE = (120, 40)
BOB_RINGS = FindMe(True, FindMeMode.SIMULTANEOUS, (FindMeNumber("180", 20),))


def bar(app: TwsApp) -> str:
    return app.screen.query_one(StatusBar).render().plain


def states_at(server: ServerThread, extension: str) -> list[ConnectionState]:
    switch = server.pbx.switch
    return server.call(
        lambda: [switch.conns[c].state for c in switch.calls_at(extension) if c in switch.conns]
    )


async def test_find_me_set_on_one_console_seen_on_the_other_kept_and_rung(
    tmp_path: Path, server_database: str
) -> None:
    data = tmp_path / "server"
    first = ServerThread(data, database=server_database)
    first.start()
    first.add_users()
    try:
        one, two = cti_console(first), cti_console(first)
        async with one.run_test(size=SIZE) as pilot, two.run_test(size=SIZE) as pilot_two:
            await until(pilot, lambda: one.state.me is not None, "first console connected")
            await until(pilot_two, lambda: two.state.me is not None, "second console connected")
            await pilot.press("alt+f")
            await until(pilot, lambda: isinstance(one.screen, ForwardingScreen), "dialog")
            for selector, text in (("#to-dnd", "181"), ("#find-me-numbers", "180")):
                field = one.screen.query_one(selector, Input)
                field.focus()
                field.value = text
                await pilot.pause()
            await pilot.click("#forward-save")
            await until(
                pilot_two, lambda: "⇶ Also rings 180" in bar(two), "find-me badge on the other"
            )
            assert two.state.me is not None
            assert two.state.me.find_me == BOB_RINGS
            assert two.state.me.forwards[ForwardKind.DND] == Forward(True, "181", None)
    finally:
        first.close()
    second = ServerThread(data, database=server_database)  # a new switch: same data
    second.start()
    try:
        backend = make_backend(second.url)
        snapshot = await backend.connect()
        try:
            assert snapshot.me.find_me == BOB_RINGS
            assert snapshot.me.forwards[ForwardKind.DND] == Forward(True, "181", None)
            for bad, said in (
                (("100",), "own phone"),
                (("Bob",), "contains letters"),
                (("+15551234567",), "not allowed"),
                (("180", "180"), "twice"),
            ):
                with pytest.raises(CallControlError, match=said):
                    await backend.set_find_me(
                        FindMe(True, numbers=tuple(FindMeNumber(n) for n in bad))
                    )
        finally:
            await backend.close()
        assert second.call(lambda: second.pbx.switch.endpoint("100").find_me) == BOB_RINGS

        await asyncio.to_thread(second.ring, "100")
        assert states_at(second, "100") == [ConnectionState.ALERTING]
        assert states_at(second, "180") == [ConnectionState.ALERTING]
        switch = second.pbx.switch
        second.call(lambda: switch.answer(switch.calls_at("180")[0]))
        assert states_at(second, "180") == [ConnectionState.CONNECTED]
        assert states_at(second, "100") == []  # her line stopped ringing
    finally:
        second.close()
