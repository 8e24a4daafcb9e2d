"""Assistance requests (issue 15, TWS-4.4) on the real CTI server, two consoles: Alice asks
everyone for help (Alt+Shift+H); Bob's console shows it in its banner and Bob takes it
(Alt+Shift+O); Alice's console shows Bob is on it; Sam, asked too, is refused with who has it;
Bob broadcasts to everyone (Alt+Shift+B): a notice on Alice's console, "sent to 2" on his;
the server keeps the request: Alice's console started again shows it."""

from __future__ import annotations

from typing import Any

import pytest
from cti_fixtures import ServerThread, cti_console, cti_server, make_backend, signed_in
from helpers import screen_text, until
from textual.widgets import Input

from tws_tui.core.errors import AlreadyTaken, PermissionDenied
from tws_tui.core.model import AssistState, ChatFeature

__all__ = ["cti_server"]

SIZE = (110, 30)


async def submit(pilot: Any, text: str) -> None:
    """The dialog's text typed at once (not a key at a time: cheaper), then Enter."""
    pilot.app.screen.query_one("#assist-text", Input).value = text
    await pilot.press("enter")


def notices(app: Any) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_alice_asks_bob_takes_it_and_it_survives_a_restart(cti_server: ServerThread) -> None:
    alice, bob = cti_console(cti_server), cti_console(cti_server, "bob")
    sam = make_backend(cti_server.url, username="sam")
    await sam.connect()
    try:
        assert sam.chat is not None and ChatFeature.ASSIST in sam.chat.features
        async with signed_in(alice, bob, size=SIZE, notifications=True) as (a, b):
            await a.press("alt+shift+h")
            await until(a, lambda: "Ask for help" in screen_text(alice), "the dialog")
            await submit(a, "Imprimante bloquée")
            await until(a, lambda: "Your help request is waiting" in screen_text(alice), "sent")
            await until(
                b,
                lambda: "alice asks for help: Imprimante bloquée" in screen_text(bob),
                "bob's banner",
            )
            await b.press("alt+shift+o")
            await until(b, lambda: "You are helping alice" in screen_text(bob), "bob has it")
            await until(
                a,
                lambda: "bob is on your help request: Imprimante bloquée" in screen_text(alice),
                "alice sees it taken",
            )
            (request,) = await sam.chat.assist_requests()
            assert sorted(request.audience) == ["u180", "u181"]  # everyone but alice
            with pytest.raises(AlreadyTaken, match="bob is already on this help request"):
                await sam.chat.take_assist(request.id)
            with pytest.raises(PermissionDenied):
                await sam.chat.cancel_assist(request.id)  # not his

            await b.press("alt+shift+b")  # Bob broadcasts to everyone: a notice on Alice's
            await until(b, lambda: "Broadcast to colleagues" in screen_text(bob), "the dialog")
            await submit(b, "Je pars à 17 h")
            await until(
                a,
                lambda: "Broadcast from bob: Je pars à 17 h" in notices(alice),
                "alice's notice",
            )
            assert "Broadcast sent to 2 colleagues: Je pars à 17 h" in notices(bob)
            (sent,) = await sam.chat.broadcasts()
            assert sorted(sent.audience) == ["u100", "u181"]

        again = cti_console(cti_server)
        async with again.run_test(size=SIZE) as pilot:
            await until(
                pilot,
                lambda: "bob is on your help request" in screen_text(again),
                "kept across the restart",
            )
    finally:
        await sam.close()
    kept = again.state.assists[request.id]
    assert (kept.state, kept.taken_by, kept.taken_by_name) == (AssistState.TAKEN, "u180", "bob")
