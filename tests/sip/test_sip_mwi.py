"""Message-waiting indication on sip (RFC 3842) against real peers: SIPp as the voicemail
server, through Kamailio. An unsolicited NOTIFY of message-summary gives my mailbox's counts
(the console's status bar); with ``mwi`` set, the softphone SUBSCRIBEs to that mailbox and
reads the NOTIFY that comes in the subscription dialog."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from sip_peers import Kamailio, Sipp

from tws_tui.core.events import VoicemailEvent

pytestmark = pytest.mark.sip


async def test_an_unsolicited_notify_gives_the_new_count(
    kamailio: Kamailio, phone: Any, sipp: Sipp
) -> None:
    backend, events = phone
    code = await asyncio.to_thread(
        sipp.run, "uac_mwi_notify.xml", f"127.0.0.1:{kamailio.port}", 0, "-s", "1001"
    )
    assert code == 0, sipp.errors()
    got = await events.wait(lambda e: isinstance(e, VoicemailEvent), 5)
    assert (got.new, got.total) == (2, 7)
    assert (await backend.snapshot()).voicemail_new == 2  # kept for a reconnection


async def test_the_mailbox_subscription_reads_its_notify(
    kamailio: Kamailio, phone_factory: Callable[..., Any], sipp: Sipp
) -> None:
    uas = sipp.start("uas_mwi_subscribe.xml", "", kamailio.sipp_port)
    try:
        await asyncio.sleep(0.3)
        _backend, events = await phone_factory(kamailio, mwi="9990")
        got = await events.wait(lambda e: isinstance(e, VoicemailEvent), 10)
        assert (got.new, got.total) == (3, 4)
        assert await asyncio.to_thread(uas.wait, 10) == 0, sipp.errors()
    finally:
        uas.kill()


async def test_the_console_counts_them_and_says_the_list_is_not_here(
    kamailio: Kamailio, sipp: Sipp, sip_options: dict[str, Any]
) -> None:
    """The status bar shows the count; Alt+B opens the voicemail-by-phone view (the list is not
    given over SIP), which says what is missing to call the voicemail: its number (with one,
    tests/sip/test_sip_voicemail.py calls it)."""
    from helpers import prefs_of, screen_text, settle, until

    from tws_tui.backends.sip import SipBackend
    from tws_tui.console.app import TwsApp
    from tws_tui.core.clock import ManualClock
    from tws_tui.core.events import LinkStatus
    from tws_tui.settings.schema import AlertSettings

    app = TwsApp(
        prefs=prefs_of(alerts=AlertSettings(popup=False)),
        clock=ManualClock(),
        backend=SipBackend(sip_options),
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.state.link is LinkStatus.ONLINE, "registered", 10)
        code = await asyncio.to_thread(
            sipp.run, "uac_mwi_notify.xml", f"127.0.0.1:{kamailio.port}", 0, "-s", "1001"
        )
        assert code == 0, sipp.errors()
        await until(pilot, lambda: app.state.voicemail_new == 2, "the count", 5)
        await settle(pilot)
        assert "⊠ 2 new voicemails" in screen_text(app)
        await pilot.press("alt+b")
        await settle(pilot)
        text = screen_text(app)
        assert "New: 2 · Heard: 5" in text
        assert "No voicemail number: set general.voicemail_number in config.toml." in text
