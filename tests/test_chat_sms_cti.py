"""SMS on the cti backend against the real reference server (issue 15): Alice's console sends
an SMS through the server's simulated gateway; a second console of hers (another session)
gets it too, then the delivery report and the person's answer as chat.message events; the
server keeps them (a new session lists them); Bob sees none of them; a landline number is
refused (400, in words) and the text stays in the input."""

from __future__ import annotations

from typing import Any

from cti_fixtures import ServerThread, cti_console, cti_server, http_client, login, make_backend
from helpers import screen_text, settle, until
from textual.widgets import Input

from tws_tui.console.app import TwsApp
from tws_tui.console.screens.chat import ChatScreen
from tws_tui.core.model import SmsDelivery
from tws_tui.simulator.sms import REPLY_DELAY_S, REPORT_DELAY_S

__all__ = ["cti_server"]

SIZE = (100, 30)
PEER = "sms:+33612345678"


async def chat_screen(app: TwsApp, pilot: Any) -> ChatScreen:
    await until(pilot, lambda: app.state.me is not None, "signed in")
    await pilot.press("alt+4")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, ChatScreen)
    return screen


def advance(server: ServerThread, seconds: float) -> None:
    server.call(lambda: server.clock.advance(seconds))


async def test_sms_sent_delivered_answered_and_kept(cti_server: ServerThread) -> None:
    server = cti_server
    app = cti_console(server)
    other = make_backend(server.url, username="alice")  # Alice's second console
    await other.connect()
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await chat_screen(app, pilot)
            screen.open_sms("+33612345678")
            await settle(pilot)
            assert screen.query_one("#chat-sms-counter").display
            await pilot.press(*"Votre colis {12}", "enter")
            field = screen.query_one("#chat-input", Input)
            await until(pilot, lambda: field.value == "", "sent")
            await until(pilot, lambda: "✓ sent" in screen_text(app), "marked sent")
            advance(server, REPORT_DELAY_S + 1)
            await until(pilot, lambda: "✓✓ delivered" in screen_text(app), "delivered")
            advance(server, REPLY_DELAY_S + 1)
            await until(
                pilot,
                lambda: sum(m.peer == PEER for m in app.state.chat) == 2,
                "the first SMS is always answered",
            )
            assert other.chat is not None
            kept = await other.chat.conversation(PEER)  # type: ignore[arg-type]
            assert (kept[0].text, kept[0].delivery) == ("Votre colis {12}", SmsDelivery.DELIVERED)
            assert len(kept) == 2 and kept[1].sender == PEER and kept[1].delivery is None
            recent = await other.chat.recent()
            assert [m.id for m in recent if m.peer == PEER] == [m.id for m in kept]
    finally:
        await other.close()
    with http_client(server.url) as http:
        bobs = http.get("/v1/sms/messages", headers=login(http, "bob"))
        assert bobs.status_code == 200 and bobs.json()["items"] == []


async def test_a_landline_is_refused_and_the_text_stays(cti_server: ServerThread) -> None:
    with http_client(cti_server.url) as http:
        refused = http.post(
            "/v1/sms/messages",
            json={"number": "01 23 45 67 89", "text": "Bonjour"},
            headers=login(http, "alice"),
        )
        assert refused.status_code == 400, refused.text
        assert "mobile number only" in refused.text
        garbage = http.post(
            "/v1/sms/messages",
            json={"number": "06 12", "text": "Bonjour"},
            headers=login(http, "alice"),
        )
        assert garbage.status_code == 400 and "Not a phone number" in garbage.text
    app = cti_console(cti_server)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await chat_screen(app, pilot)
        screen.open_sms("+33612345678")
        await settle(pilot)
        field = screen.query_one("#chat-input", Input)
        field.value = "x" * 1531  # over the SMS limit: the server refuses, the text stays
        await pilot.press("enter")
        await until(pilot, lambda: bool(app._notifications), "the error shown")
        assert field.value == "x" * 1531
        assert any("1 to 1530" in n.message for n in app._notifications)
