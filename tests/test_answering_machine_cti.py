"""The simple answering machine on the REAL reference server (uvicorn on loopback; issue 17,
TWS-6.10.6.1-4): Alice's forward to the answering machine is kept by the server, and a call to
her is played the default announcement by the server's switch, then the switch hangs up; the
server keeps the steps with her history."""

from __future__ import annotations

import asyncio

from cti_fixtures import ServerThread, cti_server, http_client, login
from test_forward_announcement_cti import set_forward
from test_forwarding_cti import server_forwards

from tws_tui.core.model import ANSWERING_MACHINE, Forward, ForwardKind
from tws_tui.simulator.announcements import ANNOUNCEMENT_S

__all__ = ["cti_server"]
MACHINE = Forward(True, ANSWERING_MACHINE)


async def test_the_servers_switch_plays_the_announcement_then_hangs_up(
    cti_server: ServerThread,
) -> None:
    server = cti_server
    await set_forward(server, MACHINE)
    kept = await asyncio.to_thread(server_forwards, server)
    assert kept[ForwardKind.UNCONDITIONAL] == MACHINE
    switch = server.pbx.switch

    def steps(call_id: str) -> list[tuple[str, str]]:
        return server.call(lambda: [(s.what, s.detail) for s in switch.timeline(call_id)])

    call_id = await asyncio.to_thread(server.ring, "100")
    assert await asyncio.to_thread(steps, call_id) == [("announcement", "default announcement")]
    assert await asyncio.to_thread(server.call, lambda: call_id in switch.calls)
    await asyncio.to_thread(server.call, lambda: server.clock.advance(ANNOUNCEMENT_S))
    assert (await asyncio.to_thread(steps, call_id))[-1] == ("hung up", ANSWERING_MACHINE)
    assert not await asyncio.to_thread(server.call, lambda: call_id in switch.calls)


async def test_my_history_on_the_server_keeps_the_hang_up(cti_server: ServerThread) -> None:
    """A call my forward sent to the answering machine: the server keeps its steps with my
    history, "hung up" last (what History's detail shows on cti)."""
    server = cti_server
    await set_forward(server, Forward(True, ANSWERING_MACHINE, 10, "ring"))
    kept = await asyncio.to_thread(server_forwards, server)
    assert kept[ForwardKind.UNCONDITIONAL] == Forward(True, ANSWERING_MACHINE, 10, "ring")

    def forwarded_then_hung_up() -> list[tuple[str, str]]:
        call_id = server.ring("100", "+33611111111")
        server.call(lambda: server.clock.advance(10))
        server.call(lambda: server.clock.advance(2.5))  # "ring" lasts 2.4 s
        with http_client(server.url) as http:
            alice = login(http, "alice")
            items = http.get(f"/v1/history/{call_id}/steps", headers=alice).json()["items"]
        return [(s["what"], s["detail"]) for s in items]

    steps = await asyncio.to_thread(forwarded_then_hung_up)
    assert steps == [("announcement", "ring"), ("hung up", ANSWERING_MACHINE)]
