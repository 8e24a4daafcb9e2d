"""A contact's event log on the cti backend against the real reference server (issue 15,
TWP-4.1.2): Alice opens Bob's log from their conversation — the message Bob sent before her
console started (kept by the server) and the voice message Bob left in her box show; a message
written in the log reaches Bob through the server; taken back with Del, it is gone for him."""

from __future__ import annotations

from cti_fixtures import ServerThread, cti_console, cti_server, http_client, login, make_backend
from helpers import settle, until
from test_chat_cti import ALICE, BOB, open_chat
from test_voicemail_backends import leave_message
from textual.widgets import OptionList

from tws_tui.console.screens.contact_log import ContactLogScreen
from tws_tui.console.screens.modals.confirm import ConfirmScreen

__all__ = ["cti_server"]

SIZE = (80, 24)


def entries_shown(screen: ContactLogScreen) -> list[str]:
    listing = screen.query_one("#log-entries", OptionList)
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def test_bobs_log_reads_and_writes_through_the_server(cti_server: ServerThread) -> None:
    server = cti_server
    with http_client(server.url) as http:
        sent = http.post(
            "/v1/chat/messages",
            json={"to": "u100", "text": "Rappelle-moi"},
            headers=login(http, "bob"),
        )
        assert sent.status_code == 201, sent.text
    leave_message(server, caller="180")  # Bob is answered by Alice's voicemail
    app = cti_console(server)
    bob = make_backend(server.url, username="bob")
    await bob.connect()
    try:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await open_chat(app, pilot, BOB)
            await pilot.press("alt+shift+e")
            await until(pilot, lambda: isinstance(app.screen, ContactLogScreen), "the log")
            screen = app.screen
            assert isinstance(screen, ContactLogScreen)

            def shows(text: str) -> bool:
                return any(text in line for line in entries_shown(screen))

            await until(pilot, lambda: shows("Rappelle-moi"), "the server's message")
            await until(pilot, lambda: shows("Voice message left"), "Bob's voice message")
            await pilot.press(*"Je te rappelle", "enter")
            await until(pilot, lambda: shows("Me: Je te rappelle"), "sent and listed")
            assert bob.chat is not None
            kept = await bob.chat.conversation(ALICE)
            assert [m.text for m in kept] == ["Rappelle-moi", "Je te rappelle"]
            listing = screen.query_one("#log-entries", OptionList)
            listing.focus()
            listing.highlighted = listing.option_count - 1
            await pilot.press("delete")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
            await pilot.press("y")
            await until(pilot, lambda: not shows("Je te rappelle"), "taken back")
            await settle(pilot)
            kept = await bob.chat.conversation(ALICE)
            assert [m.deleted for m in kept] == [False, True]
    finally:
        await bob.close()
