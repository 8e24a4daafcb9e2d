"""Take a message on the cti backend, two consoles on the real reference server: Alice answers
an outside call, takes a message for Bob (Alt+T, Bob chosen by part of his name, urgent),
the server keeps it with its slip; Bob's console counts it unread on the Chat mode, shows it as
a slip and calls the caller back with Ctrl+R. A slip with markup and escapes is kept as typed and
shown literally; the server refuses a slip field over its limit in words."""

from __future__ import annotations

from cti_fixtures import ServerThread, cti_console, cti_server, http_client, login, signed_in
from helpers import screen_text, settle, until
from textual.widgets import Input

from tws_tui.console.app import TwsApp
from tws_tui.console.screens.chat import ChatScreen
from tws_tui.console.screens.modals.slip import SlipScreen
from tws_tui.core.model import UserId

__all__ = ["cti_server"]

SIZE = (100, 30)
BOB = UserId("u180")
ALICE = UserId("u100")
CALLER = "+33612345678"


def notes(app: TwsApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_alice_takes_a_message_for_bob_who_calls_back(cti_server: ServerThread) -> None:
    server = cti_server
    alice, bob = cti_console(server), cti_console(server, "bob")
    async with signed_in(alice, bob, size=SIZE, notifications=True) as (pa, pb):
        server.ring("100", CALLER)
        await until(pa, lambda: bool(alice.state.ringing_calls()), "alice's phone rings")
        await pa.press("enter")
        await until(pa, lambda: bool(alice.state.calls), "alice talks")
        await pa.press("alt+t")
        await settle(pa)
        dialog = alice.screen
        assert isinstance(dialog, SlipScreen)
        assert dialog.query_one("#slip-call-back", Input).value == CALLER
        dialog.query_one("#slip-for", Input).value = "bo"
        await settle(pa)
        assert "bob 180" in str(dialog.query_one("#slip-match").render())
        dialog.query_one("#slip-caller", Input).value = "Jean [b]Martin[/b]"
        dialog.query_one("#slip-urgent").value = True  # type: ignore[attr-defined]
        dialog.query_one("#slip-text", Input).focus()
        await pa.press(*"Rappeler avant 12 h", "enter")
        await until(pa, lambda: not isinstance(alice.screen, SlipScreen), "sent")

        await until(pb, lambda: bob.state.slips_unread == {ALICE: 1}, "bob's unread slip")
        await settle(pb)
        assert "Chat (1, ☎1)" in screen_text(bob)
        kept = await bob.backend.chat.conversation(ALICE)  # type: ignore[union-attr]
        assert [m.text for m in kept] == ["Rappeler avant 12 h"]
        slip = kept[0].slip
        assert slip is not None and slip.urgent and slip.call_back_on == CALLER
        assert slip.caller_name == "Jean [b]Martin[/b]" and slip.taken_by
        await pb.press("alt+4")
        await settle(pb)
        screen = bob.screen
        assert isinstance(screen, ChatScreen)
        screen.open_conversation(ALICE)
        await settle(pb)
        text = screen_text(bob)
        assert "☎ Message for you — URGENT" in text
        assert f"Jean [b]Martin[/b] ({CALLER}) called at" in text
        assert bob.state.slips_unread == {}
        await pb.press("ctrl+r")
        await until(pb, lambda: bool(bob.state.calls), "bob calls back")
        (call,) = bob.state.calls.values()
        assert call.remote.number == CALLER


def test_the_server_refuses_a_slip_field_over_its_limit(cti_server: ServerThread) -> None:
    with http_client(cti_server.url) as http:
        sent = http.post(
            "/v1/chat/messages",
            json={"to": "u180", "text": "", "slip": {"caller_name": "x" * 201}},
            headers=login(http, "alice"),
        )
        assert sent.status_code == 400, sent.text
        assert "at most 200 characters" in sent.text
        empty = http.post(
            "/v1/chat/messages", json={"to": "u180", "text": ""}, headers=login(http, "alice")
        )
        assert empty.status_code == 400, empty.text  # no slip: a message needs text
        ok = http.post(
            "/v1/chat/messages",
            json={"to": "u180", "text": "", "slip": {"number": "0612", "urgent": True}},
            headers=login(http, "alice"),
        )
        assert ok.status_code == 201, ok.text
        assert ok.json()["slip"]["urgent"] is True
