"""Take a message on the sip backend, against real peers (Kamailio and SIPp): the slip goes as
one SIP MESSAGE whose plain text has the slip's lines (what any SIP phone shows; SIPp checks
them); the colleague is typed as an extension (SIP lists colleagues by extension only), and
the sender's thread keeps it as a slip."""

from __future__ import annotations

import asyncio
from typing import Any

from helpers import prefs_of, screen_text, settle, until
from sip_peers import Kamailio, Sipp
from textual.widgets import Input

from tws_tui.backends.sip import SipBackend
from tws_tui.console.app import TwsApp
from tws_tui.console.screens.modals.slip import SlipScreen
from tws_tui.core.clock import ManualClock
from tws_tui.core.events import LinkStatus
from tws_tui.settings.schema import AlertSettings

SIZE = (100, 30)


async def test_a_slip_goes_as_a_sip_message_with_its_lines(
    kamailio: Kamailio, sipp: Sipp, sip_options: dict[str, Any]
) -> None:
    app = TwsApp(
        prefs=prefs_of(alerts=AlertSettings(popup=False)),
        clock=ManualClock(),
        backend=SipBackend(sip_options),
    )
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: app.state.link is LinkStatus.ONLINE, "registered", 10)
        await pilot.press("alt+t")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SlipScreen)
        for field_id, value in (
            ("slip-for", "9100"),
            ("slip-caller", "Jean Martin"),
            ("slip-company", "ACME"),
            ("slip-call-back", "0612345678"),
            ("slip-text", "Colis en retard"),
        ):
            dialog.query_one(f"#{field_id}", Input).value = value
        dialog.query_one("#slip-urgent").value = True  # type: ignore[attr-defined]
        await settle(pilot)
        assert "extension 9100" in str(dialog.query_one("#slip-match").render())
        uas = sipp.start("uas_slip.xml", "", kamailio.sipp_port)
        try:
            await asyncio.sleep(0.3)
            dialog.query_one("#slip-text", Input).focus()
            await pilot.press("enter")
            await until(pilot, lambda: not isinstance(app.screen, SlipScreen), "sent", 10)
            assert await asyncio.to_thread(uas.wait, 10) == 0, sipp.errors()
        finally:
            uas.kill()
        await pilot.press("alt+4")
        await settle(pilot)
        text = screen_text(app)
        assert "☎ Message for 9100 — URGENT" in text
        assert "Colis en retard" in text
