"""Snapshots of an SMS conversation at 80×24 and 120×40, in French and English: the list with
two SMS conversations beside the groups, one SMS of mine delivered, the person's reply, and a
text being typed in UCS-2 (a "ç") with the segment counter above the input."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import build_console, settle
from textual.widgets import Input

from tws_tui.console.screens.chat import ChatScreen
from tws_tui.core.model import UserId
from tws_tui.platform.i18n import set_language
from tws_tui.simulator.sms import REPORT_DELAY_S

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGUAGES = [pytest.param("en", id="en"), pytest.param("fr", id="fr")]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_sms_compose_with_counter(snap_compare, size, language: str) -> None:
    console = build_console()
    gateway = console.backend.sms_gateway

    async def conversation(pilot: Any) -> None:
        set_language(language)
        await settle(pilot)
        me = console.app.state.me
        assert me is not None
        await pilot.press("alt+4")
        await settle(pilot)
        screen = console.app.screen
        assert isinstance(screen, ChatScreen)
        gateway.send(me.user_id, "+33612345699", "Le colis est arrivé.")
        screen.open_sms("+33612345678")
        await pilot.press(*"Votre colis est a l'accueil {ref 12}", "enter")
        await settle(pilot)
        console.clock.advance(REPORT_DELAY_S + 1)
        gateway.receive(me.user_id, UserId("sms:+33612345678"), "Merci, j'arrive !")
        await settle(pilot)
        screen.query_one("#chat-input", Input).insert_text_at_cursor("Reçu, à bientôt")
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=conversation)
