"""An announcement before a forward on the REAL reference server (uvicorn on loopback, SQLite
and PostgreSQL: ``BOTH_ENGINES``; issue 17, TWS-6.10.6.1-7): Alice's forward with an
announcement is kept by the server (another connection reads it, and after a restart on the
same store it is still there); a call to her is played the announcement by the server's switch
(a step of the call's timeline), then forwarded to Bob; a bad announcement name is refused
in words and nothing kept; her console sends the announcement of her profile's winning rule."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest
from cti_fixtures import ServerThread, cti_console, cti_server, make_backend
from helpers import until
from test_forwarding_cti import server_forwards
from test_profiles_cti import SIZE

from tws_tui.core.errors import CallControlError
from tws_tui.core.model import DEFAULT_ANNOUNCEMENT, Capability, Forward, ForwardKind
from tws_tui.domain.profiles import Rule
from tws_tui.settings.profiles_file import ProfileBook, profiles_file, save_profiles
from tws_tui.simulator.announcements import ANNOUNCEMENT_S

__all__ = ["cti_server"]
BOB = "180"
WELCOME = Forward(True, BOB, None, "welcome")


async def set_forward(server: ServerThread, forward: Forward) -> None:
    backend = make_backend(server.url)
    await backend.connect()
    try:
        assert Capability.FORWARD_ANNOUNCEMENT in backend.capabilities
        await backend.set_forward(ForwardKind.UNCONDITIONAL, forward)
    finally:
        await backend.close()


def test_the_server_keeps_the_announcement_and_plays_it_before_forwarding(
    tmp_path: Path, server_database: str
) -> None:
    server = ServerThread(tmp_path / "server", heartbeat_s=1.0, database=server_database)
    server.start()
    server.add_users()
    try:
        asyncio.run(set_forward(server, WELCOME))
        assert server_forwards(server)[ForwardKind.UNCONDITIONAL] == WELCOME
        call_id = server.ring("100")
        switch = server.pbx.switch
        steps = server.call(lambda: [(s.what, s.detail) for s in switch.timeline(call_id)])
        assert steps == [("announcement", "welcome")]
        assert not server.call(lambda: switch.calls_at(BOB))  # the caller is listening
        server.call(lambda: server.clock.advance(ANNOUNCEMENT_S))
        steps = server.call(lambda: [(s.what, s.detail) for s in switch.timeline(call_id)])
        assert steps == [("announcement", "welcome"), ("forwarded", BOB)]
        assert server.call(lambda: switch.calls_at(BOB))
    finally:
        server.close()
    # A restart on the same store: the forward and its announcement are still there
    again = ServerThread(tmp_path / "server", heartbeat_s=1.0, database=server_database)
    again.start()
    try:
        assert server_forwards(again)[ForwardKind.UNCONDITIONAL] == WELCOME
    finally:
        again.close()


async def test_a_bad_announcement_is_refused_and_nothing_kept(cti_server: ServerThread) -> None:
    await set_forward(cti_server, Forward(True, BOB, None, DEFAULT_ANNOUNCEMENT))
    with pytest.raises(CallControlError, match="sound's name"):
        await set_forward(cti_server, Forward(True, BOB, None, "x" * 41))
    kept = await asyncio.to_thread(server_forwards, cti_server)
    assert kept[ForwardKind.UNCONDITIONAL] == Forward(True, BOB, None, DEFAULT_ANNOUNCEMENT)


async def test_the_console_sends_its_rules_announcement(cti_server: ServerThread) -> None:
    office, *others = ProfileBook().profiles
    rules = (Rule("Desk", BOB, announcement="welcome"),)
    save_profiles(profiles_file(), ProfileBook((replace(office, rules=rules), *others)))
    app = cti_console(cti_server)
    async with app.run_test(size=SIZE) as pilot:

        def sent() -> Forward | None:
            me = app.state.me
            return me.forwards.get(ForwardKind.UNCONDITIONAL) if me is not None else None

        await until(pilot, lambda: sent() == WELCOME, "the rule's forward with its announcement")
    kept = await asyncio.to_thread(server_forwards, cti_server)
    assert kept[ForwardKind.UNCONDITIONAL] == WELCOME
