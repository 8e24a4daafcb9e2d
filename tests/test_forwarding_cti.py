"""My forwarding on the REAL reference server (uvicorn on loopback), from the console: Alice's
console sets a busy forward to Bob with Alt+F, the server keeps it (another connection reads it in
its snapshot) and the badge comes back through the event stream; a change made elsewhere (her
other console) is seen too: cleared there, the badge goes; a destination the server does not
allow is refused in words and nothing is kept. And her presence note (Alt+N) reaches Bob."""

from __future__ import annotations

import asyncio

from cti_fixtures import ServerThread, cti_console, cti_server, make_backend, snapshot_of
from helpers import until
from textual.widgets import Input

from tws_tui.console.app import TwsApp
from tws_tui.console.screens.modals.forwarding import ForwardingScreen
from tws_tui.console.screens.modals.presence_note import PresenceNoteScreen
from tws_tui.console.widgets.status_bar import StatusBar
from tws_tui.core.model import Forward, ForwardKind

__all__ = ["cti_server"]
SIZE = (120, 36)


def server_forwards(server: ServerThread) -> dict[ForwardKind, Forward]:
    """Alice's forwards as another connection of hers sees them."""
    return dict(snapshot_of(server).me.forwards)


def clear_elsewhere(server: ServerThread) -> None:
    async def clear() -> None:
        backend = make_backend(server.url)
        await backend.connect()
        try:
            await backend.set_forward(ForwardKind.BUSY, Forward(False, "180"))
        finally:
            await backend.close()

    asyncio.run(clear())


def badge(app: TwsApp) -> str:
    return app.screen.query_one(StatusBar).render().plain


async def test_forward_round_trip_through_the_server(cti_server: ServerThread) -> None:
    app = cti_console(cti_server)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: app.state.me is not None, "alice connected")
        await pilot.press("alt+f")
        await until(pilot, lambda: isinstance(app.screen, ForwardingScreen), "dialog")
        field = app.screen.query_one("#to-busy", Input)
        field.focus()
        field.value = "180"
        await pilot.pause()
        await pilot.press("enter")
        await until(pilot, lambda: "busy → 180" in badge(app), "badge from the server")
        kept = await asyncio.to_thread(server_forwards, cti_server)
        assert kept[ForwardKind.BUSY] == Forward(True, "180", None)

        await asyncio.to_thread(clear_elsewhere, cti_server)
        await until(pilot, lambda: "↪" not in badge(app), "badge gone after a change elsewhere")

        await pilot.press("alt+f")
        await until(pilot, lambda: isinstance(app.screen, ForwardingScreen), "dialog again")
        field = app.screen.query_one("#to-unconditional", Input)
        field.focus()
        field.value = "+1 212 555 0100"  # not among the server's allowed destinations
        await pilot.pause()
        await pilot.press("enter")

        def refused() -> bool:
            return any("not allowed" in str(n.message) for n in app._notifications)

        await until(pilot, refused, "the server's refusal in words")
        kept = await asyncio.to_thread(server_forwards, cti_server)
        assert not kept.get(ForwardKind.UNCONDITIONAL, Forward(False)).enabled
        assert "↪" not in badge(app)


def note_seen_by_bob(server: ServerThread) -> str | None:
    """Alice's presence note as Bob's console gets it (her line among his colleagues)."""
    alice = [d for d in snapshot_of(server, "bob").devices if d.extension == "100"]
    assert alice, "Bob does not see Alice's line"
    return alice[0].presence_note


async def test_presence_note_reaches_a_colleague(cti_server: ServerThread) -> None:
    """Alice types a note with Alt+N; Bob's console sees it beside her presence."""
    app = cti_console(cti_server)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.state.me is not None, "alice connected")
        await pilot.press("alt+n")
        await until(pilot, lambda: isinstance(app.screen, PresenceNoteScreen), "note dialog")
        app.screen.query_one(Input).value = "en réunion jusqu'à 14:00"
        await pilot.press("enter")
        await until(
            pilot,
            lambda: app.state.me is not None and app.state.me.presence_note is not None,
            "the note back from the server",
        )
        seen = await asyncio.to_thread(note_seen_by_bob, cti_server)
        assert seen == "en réunion jusqu'à 14:00"
