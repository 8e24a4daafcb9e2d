"""The desk socket of a console on the REAL reference server (uvicorn on loopback): Alice's
console dials Bob's extension for ``tws-tui dial``, the server places the call (Bob's phone
rings there), the console's event stream carries the call's events with the same ``type``
names as the server's own stream, and ``status`` lists the call."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from cti_fixtures import ServerThread, cti_console, cti_server
from helpers import settle, until

from tws_tui.desk import client

__all__ = ["cti_server"]


async def test_dial_events_and_status_through_the_server(cti_server: ServerThread) -> None:
    app = cti_console(cti_server)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.state.me is not None, "alice connected")
        await until(pilot, lambda: app.desk.listening, "the desk socket listening")
        streamed: list[dict[str, Any]] = []

        def listen() -> None:
            for line in client.stream({"verb": "events"}):
                streamed.append(line)

        threading.Thread(target=listen, daemon=True).start()
        await until(pilot, lambda: len(streamed) == 1, "the stream opened")
        assert streamed[0] == {"ok": True, "verb": "events", "version": 1}

        reply = await asyncio.to_thread(client.ask, {"verb": "dial", "number": "tel:180"})
        assert reply["ok"] is True and reply["result"] == "dialling", reply
        assert reply["number"] == "180"
        call_id = reply["call_id"]
        await until(pilot, lambda: call_id in app.state.calls, "the call in the console")
        assert cti_server.connections_at("180"), "nothing rings at Bob's phone on the server"

        def call_events() -> list[str]:
            return [
                e["type"]
                for e in streamed[1:]
                if e.get("type", "").startswith("call.") and e["data"]["call"]["call_id"] == call_id
            ]

        await until(pilot, lambda: "call.delivered" in call_events(), "call.delivered streamed")
        assert call_events()[0] in ("call.service_initiated", "call.originated", "call.delivered")
        event = next(e for e in streamed[1:] if e.get("type") == "call.delivered")
        assert event["data"]["call"]["remote"]["number"] == "180"
        assert event["id"] is not None  # the server's stream cursor, as CTI clients see it

        status = await asyncio.to_thread(client.ask, {"verb": "status"})
        assert status["link"] == "online" and status["me"]["extension"] == "100"
        assert [call["call_id"] for call in status["calls"]] == [call_id]
        await settle(pilot)
