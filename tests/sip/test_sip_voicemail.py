"""Voicemail by phone on sip against real peers: the phone system gives the counts (SIPp's
NOTIFY of message-summary through Kamailio) but no list; Alt+B's view shows the counts, says
the list is not here, and L calls the voicemail (8500: a baresip that answers by itself and
plays a 700 Hz tone, as a voicemail plays a message). The softphone writes what it hears to
its audio backend (the WAV sink): 700 Hz. Space and → send the menu's digits for pause and
next message (RFC 4733): baresip reports them; the Calls screen's keypad line names the same
menu (the digits of ``voicemail_keys``)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sip_peers import Baresip, Kamailio, Sipp, steady_tone

from tws_tui.core.model import ConnectionState, VoicemailMenu

pytestmark = pytest.mark.sip

VOICEMAIL = "8500"
TONE_HZ = 700


@pytest.fixture(scope="module")
def voicemail_service(
    kamailio: Kamailio, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Baresip]:
    ua = Baresip(tmp_path_factory.mktemp("voicemail8500"), VOICEMAIL, kamailio, TONE_HZ, "auto")
    yield ua
    ua.stop()


async def dtmf_at(ua: Baresip, timeout: float = 5.0) -> str:
    event = await asyncio.to_thread(ua.ctl.wait_event, "CALL_DTMF_START", timeout)
    return str(event.get("param"))


async def test_the_view_counts_calls_the_voicemail_hears_it_and_drives_its_menu(
    kamailio: Kamailio,
    sipp: Sipp,
    sip_options: dict[str, Any],
    voicemail_service: Baresip,
    tmp_path: Path,
) -> None:
    from helpers import prefs_of, screen_text, settle, until

    from tws_tui.backends.sip import SipBackend
    from tws_tui.console.app import TwsApp
    from tws_tui.console.screens.history.voicemail_phone import VoicemailPhoneScreen
    from tws_tui.core.clock import ManualClock
    from tws_tui.core.events import LinkStatus
    from tws_tui.settings.schema import AlertSettings

    voicemail_service.reset()
    sink = tmp_path / "heard.wav"
    options = {**sip_options, "audio_device": f"wav:,{sink}", "codecs": "PCMU"}
    backend = SipBackend(options)
    assert backend.voicemail is None
    assert backend.voicemail_menu == VoicemailMenu("1", "0", "6", "5", "7")  # Asterisk's
    app = TwsApp(
        prefs=prefs_of(alerts=AlertSettings(popup=False), voicemail_number=VOICEMAIL),
        clock=ManualClock(),
        backend=backend,
    )
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await until(pilot, lambda: app.state.link is LinkStatus.ONLINE, "registered", 10)
        code = await asyncio.to_thread(
            sipp.run, "uac_mwi_notify.xml", f"127.0.0.1:{kamailio.port}", 0, "-s", "1001"
        )
        assert code == 0, sipp.errors()
        await until(pilot, lambda: app.state.voicemail_new == 2, "the count", 5)
        await pilot.press("alt+b")
        await settle(pilot)
        assert isinstance(app.screen, VoicemailPhoneScreen)
        text = screen_text(app)
        assert "New: 2 · Heard: 5" in text
        assert "does not list the voicemail messages one by one: l calls the voicemail (8500)" in (
            text
        )
        assert "Not connected to the voicemail." in text
        # a menu key before the call: it says to call first, and sends nothing
        await pilot.press("space")
        await settle(pilot)
        notes = [n.message for n in app._notifications]
        assert "Not connected to the voicemail: l calls it." in notes

        await pilot.press("l")
        await until(
            pilot,
            lambda: any(c.state is ConnectionState.CONNECTED for c in app.state.calls.values()),
            "the voicemail answered",
            10,
        )
        await asyncio.sleep(2)  # the "message" plays
        await pilot.press("space")
        assert await dtmf_at(voicemail_service) == "0"  # pause (listen_control_pause_key)
        await settle(pilot)
        assert "Connected to the voicemail. Sent 0 (pause/resume)." in screen_text(app)
        await pilot.press("right")
        assert await dtmf_at(voicemail_service) == "6"  # next message
        await pilot.press("l")  # already up: not a second call
        await settle(pilot)
        assert len(app.state.calls) == 1
        await pilot.press("alt+2")  # the Calls screen's keypad line names the same menu
        await settle(pilot)
        assert "Voicemail: 1 play  0 pause/resume  6 next message  5 replay  7 delete" in (
            screen_text(app)
        )
        await pilot.press("f8")
        await until(pilot, lambda: not app.state.calls, "hung up", 5)
        await asyncio.to_thread(voicemail_service.ctl.wait_event, "CALL_CLOSED", 5)
    # what the softphone's audio backend was given: the voicemail's tone
    hz, purity, level = steady_tone(sink)
    assert abs(hz - TONE_HZ) < 10 and purity > 0.8 and level > -30, (hz, purity, level)
