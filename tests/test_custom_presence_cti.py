"""Presence states of my own on the REAL reference server (uvicorn on loopback): Alice adds
"At reception desk" (on Busy) from her presence picker; Bob's console sees her label on her
line, the base state kept; her other console gets her states with her profiles; after a server
restart (same data directory, a new switch) Bob still sees the label and her states are still
hers; a label sent straight to the server that the console would refuse is refused there too."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from cti_fixtures import ServerThread, cti_console, make_backend, serving, signed_in, snapshot_of
from helpers import until
from test_custom_presence import pick
from textual.widgets import Input

from tws_tui.console.screens.profiles.forms import CustomPresenceForm
from tws_tui.core.errors import CallControlError, InvalidValue
from tws_tui.core.model import PresenceState

SIZE = (120, 36)


def alice_as_bob_sees_her(server: ServerThread) -> Any:
    return next(d for d in snapshot_of(server, "bob").devices if d.extension == "100")


async def test_my_state_reaches_bob_and_my_other_console_and_survives_a_restart(
    tmp_path: Path,
) -> None:
    data = tmp_path / "server"
    with serving(data) as first:
        one, two = cti_console(first), cti_console(first)
        async with signed_in(one, two, size=SIZE) as (pilot, pilot_two):
            await pilot.press("alt+p")
            await until(pilot, lambda: one.screen.query("OptionList"), "the picker")
            await pick(pilot, "custom-new")
            assert isinstance(one.screen, CustomPresenceForm)
            one.screen.query_one("#cp-label", Input).value = "At reception desk"
            one.screen.query_one("#cp-label", Input).focus()
            await pilot.press("enter")
            await until(
                pilot,
                lambda: one.state.me is not None and one.state.me.presence_label is not None,
                "my label back from the server",
            )
            seen = await asyncio.to_thread(alice_as_bob_sees_her, first)
            assert (seen.presence, seen.presence_label) == (
                PresenceState.BUSY,
                "At reception desk",
            )
            await until(
                pilot_two,
                lambda: (
                    [s.label for s in two.profiles.book.presence_states] == ["At reception desk"]
                ),
                "my states on my other console",
            )
            assert two.state.me is not None
            await until(
                pilot_two,
                lambda: (
                    two.state.me is not None and two.state.me.presence_label == "At reception desk"
                ),
                "my presence on my other console (SSE)",
            )
    with serving(data, users=()) as second:  # a new process and switch: same data directory
        seen = await asyncio.to_thread(alice_as_bob_sees_her, second)
        assert (seen.presence, seen.presence_label) == (PresenceState.BUSY, "At reception desk")
        backend = make_backend(second.url)
        await backend.connect()
        try:
            assert backend.profiles is not None
            assert "At reception desk" in await backend.profiles.load()
            with pytest.raises(InvalidValue, match="at most 40 characters"):  # its own type
                await backend.set_presence(PresenceState.BUSY, label="x" * 5000)
            with pytest.raises(CallControlError, match=r"\[ \] < >"):
                await backend.set_presence(PresenceState.BUSY, label="[red]boss[/red]")
        finally:
            await backend.close()
        seen = await asyncio.to_thread(alice_as_bob_sees_her, second)
        assert seen.presence_label == "At reception desk"  # nothing changed by the refusals
