"""The number callers see on the REAL reference server (uvicorn on loopback): Alice picks her
default in Preferences; her other console gets it through the event stream; the server keeps it
across a restart (same data directory, a new switch) and applies it to the calls she places
through it, as Bob's phone shows them; a number for one call overrides it; a number that is not
the company's is refused by the server."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from cti_fixtures import ServerThread, cti_console, make_backend, serving, signed_in, snapshot_of
from helpers import until
from test_custom_presence import pick
from textual.widgets import Button

from tws_tui.core.errors import CallControlError

SIZE = (120, 36)


def caller_bob_sees(server: ServerThread) -> Any:
    """The caller's number of the call ringing at Bob, as his own connection gets it."""
    return [call.remote.number for call in snapshot_of(server, "bob").calls]


async def test_my_default_is_kept_applied_by_the_server_and_seen_by_my_other_console(
    tmp_path: Path,
) -> None:
    data = tmp_path / "server"
    with serving(data) as first:
        one, two = cti_console(first), cti_console(first)
        async with signed_in(one, two, size=SIZE) as (pilot, pilot_two):
            assert one.state.me is not None and one.state.me.company_numbers
            await pilot.press("alt+6")
            await until(pilot, lambda: one.screen.query("#pref-presented"), "Preferences")
            button = one.screen.query_one("#pref-presented", Button)
            button.scroll_visible(animate=False)
            await pilot.pause()
            await pilot.click(button)
            await until(pilot, lambda: one.screen.query("OptionList"), "the picker")
            await pick(pilot, "+33142000100")
            await until(
                pilot_two,
                lambda: (
                    two.state.me is not None and two.state.me.presented_number == "+33142000100"
                ),
                "my default on my other console (SSE)",
            )
    with serving(data, users=()) as second:  # a new process and switch: same data directory
        backend = make_backend(second.url)
        snapshot = await backend.connect()
        try:
            assert snapshot.me.presented_number == "+33142000100"
            await backend.make_call("180")
            assert await asyncio.to_thread(caller_bob_sees, second) == ["+33142000100"]
            for call in (await backend.snapshot()).calls:
                await backend.hangup(call.call_id)
            await backend.make_call("180", presented="+33142000200")  # for this call only
            assert "+33142000200" in await asyncio.to_thread(caller_bob_sees, second)
            with pytest.raises(CallControlError, match="not one of the company's numbers"):
                await backend.set_presented_number("+33699999999")
        finally:
            await backend.close()


async def test_a_withheld_default_is_kept_and_bob_sees_no_number(tmp_path: Path) -> None:
    """Selfcare §2.3-3 on the server: "no number (withheld)" as my default survives a
    restart and Bob's phone shows no number for my call."""
    data = tmp_path / "server"
    with serving(data) as first:
        backend = make_backend(first.url)
        await backend.connect()
        try:
            await backend.set_presented_number("anonymous")
        finally:
            await backend.close()
    with serving(data, users=()) as second:
        backend = make_backend(second.url)
        snapshot = await backend.connect()
        try:
            assert snapshot.me.presented_number == "anonymous"
            await backend.make_call("180")
            assert await asyncio.to_thread(caller_bob_sees, second) == [None]
        finally:
            await backend.close()
