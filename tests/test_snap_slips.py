"""Snapshots of "take a message" at 80×24 and 120×40, in French and English: the slip dialog
prefilled from the call I am on (caller, number to call back, a colleague chosen by part of a
name, urgent, what the caller said), and a colleague's console showing the slip received in
the thread (urgent in words, typed markup literal, the call-back key) after a plain message."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import ACME, build_console, settle
from textual.widgets import Input

from tws_tui.console.screens.chat import ChatScreen
from tws_tui.core.model import MessageSlip
from tws_tui.platform.i18n import set_language

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGUAGES = [pytest.param("en", id="en"), pytest.param("fr", id="fr")]


def colleagues(console: Any) -> list[Any]:
    switch = console.backend.switch
    return sorted(
        (
            e
            for e in switch.endpoints.values()
            if e.internal and e.user_id is not None and e is not switch.operator and e.name
        ),
        key=lambda e: e.extension,
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_slip_dialog(snap_compare, size, language: str) -> None:
    console = build_console()
    absent = colleagues(console)[0]

    async def take(pilot: Any) -> None:
        set_language(language)
        await settle(pilot)
        console.ring(ACME)
        await settle(pilot)
        await pilot.press("enter", "alt+2")
        await settle(pilot)
        await pilot.press("alt+t")
        await settle(pilot)
        screen = console.app.screen
        screen.query_one("#slip-for", Input).value = absent.name.split()[0][:4]
        screen.query_one("#slip-urgent").value = True  # type: ignore[attr-defined]
        screen.query_one("#slip-text", Input).focus()
        await pilot.press(*"Commande 4521 en retard")
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=take)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_slip_in_the_thread(snap_compare, size, language: str) -> None:
    console = build_console()
    taker, other = colleagues(console)[:2]
    chat = console.backend.switch_chat

    async def received(pilot: Any) -> None:
        set_language(language)
        await settle(pilot)
        me = console.app.state.me
        assert me is not None
        chat.send(taker.user_id, me.user_id, "Un client t'a cherché")
        console.clock.advance(30)
        slip = MessageSlip(
            caller_name="Jeanne Dupont [b]",
            company="ACME Industries",
            number="+33612345678",
            call_back_on="+33612345678",
            urgent=True,
            taken_by=taker.name,
            at=console.clock.now(),
        )
        chat.send(taker.user_id, me.user_id, "Commande 4521 en retard", slip=slip)
        console.clock.advance(30)
        chat.send(other.user_id, me.user_id, "Le coursier est arrivé ?")
        console.clock.advance(30)
        await settle(pilot)
        await pilot.press("alt+4")
        await settle(pilot)
        screen = console.app.screen
        assert isinstance(screen, ChatScreen)
        screen.open_conversation(taker.user_id)
        await settle(pilot)
        console.app.clear_notifications()  # the messages' notices: a clock's toasts
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=received)
