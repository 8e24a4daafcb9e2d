"""Chat on the sip backend, the console against real peers (Kamailio and SIPp): a SIP
MESSAGE received counts unread on the Chat mode and shows in its conversation; Enter in the
Chat screen sends a MESSAGE the peer checks; a MESSAGE nobody takes (404) or whose peer is away
(480) stays in its conversation marked failed with the reason; a MESSAGE in a type the console
cannot show (HTML) is answered 415."""

from __future__ import annotations

import asyncio
from typing import Any

from helpers import prefs_of, screen_text, settle, until
from sip_peers import Kamailio, Sipp
from textual.widgets import Input

from tws_tui.backends.sip import SipBackend
from tws_tui.console.app import TwsApp
from tws_tui.console.screens.chat import ChatScreen
from tws_tui.core.clock import ManualClock
from tws_tui.core.events import LinkStatus
from tws_tui.core.model import UserId
from tws_tui.settings.schema import AlertSettings

SIZE = (100, 30)


async def test_chat_screen_on_sip(
    kamailio: Kamailio, sipp: Sipp, sip_options: dict[str, Any]
) -> None:
    app = TwsApp(
        prefs=prefs_of(alerts=AlertSettings(popup=False)),
        clock=ManualClock(),
        backend=SipBackend(sip_options),
    )
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: app.state.link is LinkStatus.ONLINE, "registered", 10)
        code = await asyncio.to_thread(
            sipp.run, "uac_message.xml", f"127.0.0.1:{kamailio.port}", 0, "-s", "1001"
        )
        assert code == 0, sipp.errors()
        await until(pilot, lambda: app.state.chat_unread == {"2001": 1}, "unread from 2001")
        await until(pilot, lambda: "Chat (1)" in screen_text(app), "counted on the Chat mode")
        await pilot.press("alt+4")
        await settle(pilot)
        assert "Bonjour, le colis est arrivé" in screen_text(app)
        assert app.state.chat_unread == {}
        screen = app.screen
        assert isinstance(screen, ChatScreen)
        field = screen.query_one("#chat-input", Input)
        uas = sipp.start("uas_message.xml", "", kamailio.sipp_port)
        try:
            await asyncio.sleep(0.3)
            screen.open_conversation(UserId("9100"))
            await pilot.press(*"Appel pour vous en ligne 2")
            await pilot.press("enter")
            await until(pilot, lambda: field.value == "", "sent", 10)
            assert await asyncio.to_thread(uas.wait, 10) == 0, sipp.errors()
        finally:
            uas.kill()
        # Nobody is 1888 (Kamailio answers 404): the message stays in the conversation marked
        # failed with the reason, the input is free again.
        screen.open_conversation(UserId("1888"))
        await pilot.press(*"personne")
        await pilot.press("enter")
        await until(pilot, lambda: bool(app.chat_outbox.pending), "the failure kept", 10)
        await settle(pilot)
        assert field.value == ""
        shown = screen_text(app)
        assert "personne  ✗ not sent: 1888 did not receive it" in shown, shown
        failure = app.chat_outbox.pending[0].failure
        assert failure == "1888 did not receive it: no such user (SIP 404)"
        # 9101 is there but not now (the peer answers 480): marked the same way.
        uas = sipp.start("uas_message_480.xml", "", kamailio.sipp_port)
        try:
            await asyncio.sleep(0.3)
            screen.open_conversation(UserId("9101"))
            await pilot.press(*"absent", "enter")
            await until(pilot, lambda: len(app.chat_outbox.pending) == 2, "the 480 kept", 10)
            assert await asyncio.to_thread(uas.wait, 10) == 0, sipp.errors()
        finally:
            uas.kill()
        await settle(pilot)
        assert "absent  ✗ not sent: 9101 did not receive it" in screen_text(app)
        assert app.chat_outbox.pending[1].failure == (
            "9101 did not receive it: not available now (SIP 480)"
        )
        assert field.value == ""
        # A MESSAGE in HTML, which the console cannot show: 415 with Accept: text/plain (the
        # scenario checks both), and nothing in the chat.
        code = await asyncio.to_thread(
            sipp.run, "uac_message_html.xml", f"127.0.0.1:{kamailio.port}", 0, "-s", "1001"
        )
        assert code == 0, sipp.errors()
        await settle(pilot)
        assert "HTML" not in screen_text(app)
        assert not any("HTML" in m.text for m in app.state.chat)
