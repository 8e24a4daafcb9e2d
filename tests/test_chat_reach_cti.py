"""Reaching a colleague from a call on the real CTI server (issue 15; the simulator's version is
test_chat_reach): Alice talks with Bob while an outside caller rings at her; "Message"
(Alt+Shift+W) opens the chat with Bob — the call she talks on, not the one ringing —, her
message goes through the server, Bob's console notices it naming Alice with its first words,
literally (markup and an escape sequence shown as typed), and Alt+Shift+M opens her
conversation on his console with the message in it."""

from __future__ import annotations

import asyncio
from typing import Any

from cti_fixtures import ServerThread, cti_console, cti_server, signed_in
from helpers import until
from test_chat_window import thread_text
from textual.widgets import Input

from tws_tui.console.screens.chat import ChatScreen
from tws_tui.core.model import ConnectionState

__all__ = ["cti_server"]

SIZE = (110, 32)


def states(app: Any) -> dict[str, ConnectionState]:
    return {c.remote.number or "": c.state for c in app.state.calls.values()}


def message_titles(app: Any) -> list[tuple[str, str]]:
    return [(n.title, str(n.message)) for n in app._notifications if n.title.startswith("Mess")]


async def test_message_from_a_call_reaches_the_colleague_on_the_line(
    cti_server: ServerThread,
) -> None:
    alice, bob = cti_console(cti_server), cti_console(cti_server, "bob")
    switch = cti_server.pbx.switch
    async with signed_in(alice, bob, size=SIZE, notifications=True) as (a, b):
        assert alice.backend is not None
        await alice.backend.make_call("180")
        await asyncio.to_thread(cti_server.call, lambda: switch.answer(switch.calls_at("180")[0]))
        await until(a, lambda: states(alice) == {"180": ConnectionState.CONNECTED}, "talking")
        await asyncio.to_thread(cti_server.ring, "100", "+33612345678")
        await until(a, lambda: len(states(alice)) == 2, "a caller ringing at alice")
        assert states(alice)["+33612345678"] is ConnectionState.ALERTING

        await a.press("alt+2", "alt+shift+w")
        await until(a, lambda: isinstance(alice.screen, ChatScreen), "the chat")
        chat = alice.screen
        assert isinstance(chat, ChatScreen)
        assert chat.peer == "u180"  # Bob, the call she talks on — not the one ringing
        field = chat.query_one("#chat-input", Input)
        assert field.has_focus
        field.value = "[b]Un client[/b] \x1b]0;x\x07 pour toi, je te le passe"
        await a.press("enter")
        await until(a, lambda: "je te le passe" in thread_text(chat), "sent")
        assert states(alice)["+33612345678"] is ConnectionState.ALERTING  # untouched

        await until(b, lambda: message_titles(bob), "bob's notice")
        ((title, told),) = message_titles(bob)
        assert title == "Message from alice"
        assert told.startswith("[b]Un client[/b] \\x1b]0;x\\x07 pour toi")
        assert told.endswith("Alt+Shift+M: open the conversation")
        await b.press("alt+shift+m")
        await until(b, lambda: isinstance(bob.screen, ChatScreen), "bob's chat")
        opened = bob.screen
        assert isinstance(opened, ChatScreen) and opened.peer == "u100"
        await until(b, lambda: "je te le passe" in thread_text(opened), "the message in it")
