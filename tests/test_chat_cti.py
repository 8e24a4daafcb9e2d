"""Chat on the cti backend against the real reference server: Alice's console writes to Bob a
message of two lines (Bob's backend receives it and the server keeps it), Bob's answer shows
with its unread count, what the server kept from before the console started shows when the
conversation is opened, and a message the server refuses stays in the input with the server's
reason."""

from __future__ import annotations

import asyncio
from typing import Any

from cti_fixtures import ServerThread, cti_console, cti_server, http_client, login, make_backend
from helpers import screen_text, settle, until
from textual.widgets import Input

from tws_tui.console.app import TwsApp
from tws_tui.console.screens.chat import ChatScreen
from tws_tui.core.model import UserId

__all__ = ["cti_server"]

SIZE = (100, 30)
BOB = UserId("u180")
ALICE = UserId("u100")


async def open_chat(app: TwsApp, pilot: Any, peer: UserId) -> ChatScreen:
    await until(pilot, lambda: app.state.me is not None, "alice signed in")
    await pilot.press("alt+4")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, ChatScreen)
    screen.open_conversation(peer)
    await settle(pilot)
    return screen


async def test_two_users_chat_through_the_server(cti_server: ServerThread) -> None:
    server = cti_server
    with http_client(server.url) as http:
        sent = http.post(
            "/v1/chat/messages",
            json={"to": "u100", "text": "Avant ta connexion"},
            headers=login(http, "bob"),
        )
        assert sent.status_code == 201, sent.text
    app = cti_console(server)
    bob = make_backend(server.url, username="bob")
    await bob.connect()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await open_chat(app, pilot, BOB)
            await until(pilot, lambda: "Avant ta connexion" in screen_text(app), "kept message")
            await pilot.press(*"Bonjour", "ctrl+j", *"Bob")  # a message of two lines
            await pilot.press("enter")
            field = app.screen.query_one("#chat-input", Input)
            await until(pilot, lambda: field.value == "", "sent")
            assert bob.chat is not None
            kept = await bob.chat.conversation(ALICE)
            assert [m.text for m in kept] == ["Avant ta connexion", "Bonjour\nBob"]
            await bob.chat.send(ALICE, "Reçu [b]merci[/b]")
            await until(pilot, lambda: "Reçu [b]merci[/b]" in screen_text(app), "Bob's answer")
            await pilot.press("alt+1")
            await bob.chat.send(ALICE, "Et encore")
            await until(pilot, lambda: app.state.chat_unread.get(BOB) == 1, "unread")
            await settle(pilot)
            assert "Chat (1)" in screen_text(app)
    finally:
        await bob.close()


async def test_a_refused_message_stays_in_the_input(cti_server: ServerThread) -> None:
    app = cti_console(cti_server)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_chat(app, pilot, UserId("u999"))
        await pilot.press(*"Pour personne")
        await pilot.press("enter")
        await until(pilot, lambda: bool(app._notifications), "the error shown")
        await asyncio.sleep(0)
        assert app.screen.query_one("#chat-input", Input).value == "Pour personne"
        assert any("u999" in n.message for n in app._notifications), [
            n.message for n in app._notifications
        ]


async def test_a_new_session_lists_the_conversations_the_server_keeps(
    cti_server: ServerThread,
) -> None:
    with http_client(cti_server.url) as http:
        bob = login(http, "bob")
        for text in ("Premier", "Second"):
            sent = http.post("/v1/chat/messages", json={"to": "u100", "text": text}, headers=bob)
            assert sent.status_code == 201, sent.text
        sam = login(http, "sam")
        sent = http.post(
            "/v1/chat/messages", json={"to": "u180", "text": "Pas pour Alice"}, headers=sam
        )
        assert sent.status_code == 201, sent.text
    app = cti_console(cti_server)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.state.chat) == 2, "the kept messages loaded")
        assert [m.text for m in app.state.chat] == ["Premier", "Second"]
        assert {m.peer for m in app.state.chat} == {BOB}
        await pilot.press("alt+4")
        await settle(pilot)
        text = screen_text(app)
        assert "Premier" in text and "Second" in text and "Pas pour Alice" not in text
