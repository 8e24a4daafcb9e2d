"""The same console flows on the embedded simulator and on the CTI backend.

On ``cti`` the console talks to the REAL reference server (uvicorn on loopback, its switch on a
frozen clock with nobody answering by themselves); on ``sim`` to the in-process switch. Each
flow is driven by keys and checked in the console's state, waiting for events that arrive over
the network on ``cti``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cti_fixtures import ServerThread, cti_console
from helpers import build_console, until

from tws_tui.console.app import TwsApp
from tws_tui.core.model import ConnectionState, LineState, PresenceState

SIZE = (110, 32)
CALLER = "+33612345678"


@dataclass
class Console:
    app: TwsApp
    run_on_switch: Callable[[Callable[[Any], Any]], Any]  # fn(switch) -> result

    def ring(self, extension: str = "100") -> str:
        return self.run_on_switch(lambda sw: sw.inject_incoming_call(extension, CALLER))


@pytest.fixture(params=["sim", "cti"])
async def console(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Console]:
    if request.param == "sim":
        built = build_console()
        switch = built.backend.switch
        yield Console(built.app, lambda fn: fn(switch))
        return
    server = ServerThread(tmp_path / "server", heartbeat_s=1.0)
    server.start()
    server.add_users()
    try:
        app = cti_console(server)
        yield Console(app, lambda fn: server.call(lambda: fn(server.pbx.switch)))
    finally:
        await asyncio.to_thread(server.close)


def my_calls(console: Console) -> list[Any]:
    return sorted(console.app.state.calls.values(), key=lambda c: c.created_at)


async def ready(pilot: Any, console: Console) -> None:
    await until(pilot, lambda: console.app.state.me is not None, "connected")
    await until(pilot, lambda: bool(console.app.state.devices), "colleagues listed")


def idle_colleague(console: Console) -> Any:
    return next(
        d
        for d in sorted(console.app.state.devices.values(), key=lambda d: d.extension or "")
        if d.line_state is LineState.IDLE
        and d.presence is PresenceState.AVAILABLE
        and not d.dnd
        and not d.forward_unconditional
        and d.extension
        and d.extension != "100"
    )


async def answered(pilot: Any, console: Console) -> Any:
    console.ring()
    await until(pilot, lambda: bool(my_calls(console)), "the call rings")
    await pilot.press("enter")
    await until(
        pilot,
        lambda: [c.state for c in my_calls(console)] == [ConnectionState.CONNECTED],
        "answered with Enter",
    )
    return my_calls(console)[0]


async def test_enter_answers_f7_holds_and_retrieves_f8_hangs_up(console: Console) -> None:
    async with console.app.run_test(size=SIZE) as pilot:
        await ready(pilot, console)
        await answered(pilot, console)
        await pilot.press("f7")
        await until(
            pilot, lambda: my_calls(console)[0].state is ConnectionState.HOLD, "held with F7"
        )
        await pilot.press("f7")
        await until(
            pilot,
            lambda: my_calls(console)[0].state is ConnectionState.CONNECTED,
            "retrieved with F7",
        )
        await pilot.press("f8")
        await until(pilot, lambda: not my_calls(console), "hung up with F8")


async def test_blind_transfer_to_a_typed_extension(console: Console) -> None:
    async with console.app.run_test(size=SIZE) as pilot:
        await ready(pilot, console)
        await answered(pilot, console)
        colleague = idle_colleague(console)
        await pilot.press("f2", *colleague.extension, "f4")
        await until(pilot, lambda: not my_calls(console), "the call left me")
        await until(
            pilot,
            lambda: console.app.state.devices[colleague.device_id].line_state is LineState.RINGING,
            "the colleague rings",
        )


async def test_presence_is_set_from_the_picker(console: Console) -> None:
    async with console.app.run_test(size=SIZE) as pilot:
        await ready(pilot, console)
        await pilot.press("alt+p")
        await until(pilot, lambda: console.app.screen.query("OptionList"), "the picker")
        options = console.app.screen.query_one("OptionList")
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        await pilot.press(*["down"] * (ids.index("away") - options.highlighted), "enter")
        await until(
            pilot,
            lambda: console.app.state.me.presence is PresenceState.AWAY,  # type: ignore[union-attr]
            "away",
        )


async def test_a_colleague_is_found_by_name_and_called_with_f3(console: Console) -> None:
    async with console.app.run_test(size=SIZE) as pilot:
        await ready(pilot, console)
        colleague = idle_colleague(console)
        last_name = colleague.name.split()[-1]
        await pilot.press(*last_name.lower())
        screen = console.app.screen
        await until(
            pilot,
            lambda: (
                screen._results is not None
                and any(c.name == colleague.name for c in screen._results)
            ),
            "found in the directory",
        )
        await pilot.press("enter")
        rows = screen.query_one("#contact-list")
        key = next(k for k in rows.row_keys() if rows.row(k)[0] == colleague.name)
        rows.select_key(key)
        await pilot.pause()
        await pilot.press("f3")
        await until(
            pilot,
            lambda: any(c.remote.number == colleague.extension for c in my_calls(console)),
            "calling the colleague",
        )
