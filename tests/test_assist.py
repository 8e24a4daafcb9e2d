"""Assistance requests (issue 15, TWS-4.4) and broadcasts (TWP-4.1) on the simulator: the
rules (the first to take it has it, only who asked cancels it, a short text, a colleague's
words shown literally), the state, and the console's flow — a colleague asks everyone and the
banner says so on every screen; Alt+Shift+O takes it; I ask (Alt+Shift+H, whom by part of a
name) and a colleague takes mine; Alt+Shift+C cancels; a broadcast to two colleagues by name
(Alt+Shift+B) and one received, each a notice, no conversation made; without the features
(sip) each key says so."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from helpers import build_console, screen_text, settle
from textual.widgets import Input, OptionList, Static

from tws_tui.backends.sip.backend import SipChat
from tws_tui.core.errors import AlreadyTaken, InvalidValue, NotFound, PermissionDenied
from tws_tui.core.events import AssistEvent
from tws_tui.core.model import AssistRequest, AssistState, ChatFeature, UserId
from tws_tui.core.state import ConsoleState
from tws_tui.core.topics import Topic
from tws_tui.domain.assist import (
    ASSIST_TEXT_MAX,
    EVERYONE,
    banner_line,
    cancelled,
    checked_text,
    taken,
)
from tws_tui.simulator.assist import TAKE_AFTER_S

SIZE = (100, 30)


async def submit(pilot: Any, text: str) -> None:
    """The dialog's text typed at once (not a key at a time: cheaper), then Enter."""
    pilot.app.screen.query_one("#assist-text", Input).value = text
    await pilot.press("enter")


T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
ASKED = AssistRequest(
    "a1", UserId("u1"), EVERYONE, "Imprimante", T0, ("u2", "u3"), requester_name="Ann"
)


def test_the_first_to_take_it_has_it_and_only_the_requester_cancels() -> None:
    mine = taken(ASKED, "u2", "Bea", T0)
    assert (mine.state, mine.taken_by, mine.settled_at) == (AssistState.TAKEN, "u2", T0)
    with pytest.raises(AlreadyTaken, match="Bea is already on this help request"):
        taken(mine, "u3", "Cy", T0)
    with pytest.raises(PermissionDenied):
        taken(ASKED, "u9", "Dan", T0)  # not asked of them
    with pytest.raises(PermissionDenied):
        cancelled(ASKED, "u2", T0)
    with pytest.raises(AlreadyTaken):
        cancelled(mine, "u1", T0)
    assert cancelled(ASKED, "u1", T0).state is AssistState.CANCELLED
    assert checked_text("  Imprimante \n bloquée ") == "Imprimante bloquée"
    hostile = replace(ASKED, text="\x1b]0;pwned\x07[bold]x\u202e")
    line = banner_line(hostile, "u2", take_key="K", cancel_key="C")
    assert line == "Ann asks for help: \\x1b]0;pwned\\x07[bold]x\\u202e  [K] I'm on it"
    for bad in ("   ", "x" * (ASSIST_TEXT_MAX + 1)):
        with pytest.raises(InvalidValue):
            checked_text(bad)


def test_state_keeps_each_request_as_it_changes() -> None:
    state = ConsoleState()
    assert state.apply(AssistEvent(at=T0, request=ASKED)) == {Topic.ASSIST}
    assert not state.apply(AssistEvent(at=T0, request=ASKED))
    later = taken(ASKED, "u2", "Bea", T0)
    assert state.apply(AssistEvent(at=T0, request=later)) == {Topic.ASSIST}
    assert list(state.assists.values()) == [later]
    assert ChatFeature.ASSIST not in SipChat.features  # sip: off


async def test_sim_asked_taken_asked_and_cancelled() -> None:
    console = build_console()
    switch = console.backend.switch_assist
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        me = console.app.state.me
        assert me is not None
        colleagues = [
            d for d in console.app.state.devices.values() if d.user_id and d.user_id != me.user_id
        ]
        ann, bea = colleagues[0], colleagues[1]
        assert ann.user_id is not None and bea.user_id is not None
        switch.ask(ann.user_id, EVERYONE, "Le client du 12 insiste")
        await settle(pilot)
        line = f"{ann.name} asks for help: Le client du 12 insiste  [Alt+Shift+O] I'm on it"
        assert line in screen_text(console.app)
        assert line in [n.message for n in console.app._notifications]  # a notice too
        await pilot.press("alt+2")  # on every screen
        await settle(pilot)
        assert "asks for help: Le client du 12 insiste" in screen_text(console.app)
        await pilot.press("alt+shift+o")
        await settle(pilot)
        assert f"You are helping {ann.name}: Le client du 12 insiste" in screen_text(console.app)
        with pytest.raises(AlreadyTaken, match=f"{me.name} is already on"):
            switch.take(bea.user_id, next(iter(switch.requests)))

        await pilot.press("alt+shift+h")
        await settle(pilot)
        to = console.app.screen.query_one("#assist-to", Input)
        to.value = "zzz"
        await settle(pilot)
        assert "nobody matches “zzz”" in screen_text(console.app)
        to.value = bea.name
        await settle(pilot)
        assert f"→ {bea.name}" in screen_text(console.app)
        await submit(pilot, "Transfert vers Lyon")
        await settle(pilot)
        assert "Your help request is waiting: Transfert vers Lyon" in screen_text(console.app)
        mine = [r for r in switch.requests.values() if r.requester == me.user_id]
        assert [(r.to, r.audience) for r in mine] == [(bea.user_id, (bea.user_id,))]
        console.clock.advance(TAKE_AFTER_S + 1)
        await settle(pilot)
        assert f"{bea.name} is on your help request: Transfert vers Lyon" in screen_text(
            console.app
        )

        await pilot.press("alt+shift+h")
        await settle(pilot)
        await submit(pilot, "Rien")
        await settle(pilot)
        await pilot.press("alt+shift+c")
        await settle(pilot)
        assert "You cancelled your help request: Rien" in screen_text(console.app)
        console.clock.advance(TAKE_AFTER_S + 1)  # nobody takes a cancelled request
        await settle(pilot)
        assert [r.state for r in switch.requests.values()][-1] is AssistState.CANCELLED

        await pilot.press("alt+shift+b")  # a broadcast to two colleagues, by name
        await settle(pilot)
        to = console.app.screen.query_one("#assist-to", Input)
        to.value = f"{ann.name}, {bea.name}"
        await settle(pilot)
        target = console.app.screen.query_one("#assist-target", Static)
        assert str(target.content) == f"→ {ann.name}, {bea.name}"
        await submit(pilot, "Réunion à 14 h")
        await settle(pilot)
        (sent,) = switch.broadcasts
        assert (sent.to, sent.audience) == ((ann.user_id, bea.user_id), (ann.user_id, bea.user_id))
        switch.broadcast(bea.user_id, (EVERYONE,), "Pause café")
        await settle(pilot)
        notes = [n.message for n in console.app._notifications]
        assert "Broadcast sent to 2 colleagues: Réunion à 14 h" in notes
        assert f"Broadcast from {bea.name}: Pause café" in notes
        assert len(console.app.state.broadcasts) == 2
        assert not switch.chat.conversation(me.user_id, ann.user_id, 10)  # no chatter made
        await pilot.press("alt+shift+l")  # my ME log, oldest first
        await settle(pilot)
        listing = console.app.screen.query_one("#me-log-entries", OptionList)
        log = "\n".join(
            str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)
        )
        assert log.index(f"{ann.name} asked for help: Le client du 12 insiste — you took it") < (
            log.index(f"You asked for help: Transfert vers Lyon — {bea.name} took it")
        )
        assert "You asked for help: Rien — cancelled" in log
        assert f"Broadcast from {bea.name}: Pause café" in log
        await pilot.press("escape")
        await settle(pilot)

        assert console.backend.chat is not None
        console.backend.chat.features = frozenset()  # type: ignore[misc]  # as SipChat's
        for key in ("alt+shift+h", "alt+shift+o", "alt+shift+c"):
            await pilot.press(key)
        await settle(pilot)
        notes = [n.message for n in console.app._notifications]
        assert notes.count("Help requests are not available with this connection.") == 3
        await pilot.press("alt+shift+b")
        await settle(pilot)
        notes = [n.message for n in console.app._notifications]
        assert "Broadcasts are not available with this connection." in notes


def test_sim_targets_a_group_of_mine_or_a_colleague_never_a_group_of_others() -> None:
    """A help request's and a broadcast's targets on the simulated switch: a chat group of the
    sender's reaches its other members, a group of others and an unknown colleague are
    refused (NotFound, nothing asked or sent), a colleague is reached alone."""
    switch = build_console().backend.switch_assist
    ann, bea, cid, *_ = (UserId(u) for u in switch._colleagues())
    ours = switch.chat.create_group(ann, "Accueil", (bea,))
    theirs = switch.chat.create_group(bea, "Compta", (cid,))
    assert switch.ask(ann, ours.id, "Client en attente").audience == (bea,)
    assert switch.ask(ann, cid, "Client en attente").audience == (cid,)
    sent = switch.broadcast(ann, (ours.id, cid), "Réunion à 14 h")
    assert sent.audience == (bea, cid)
    for to in (theirs.id, "u-nobody"):
        with pytest.raises(NotFound):
            switch.ask(ann, to, "Client en attente")
        with pytest.raises(NotFound):
            switch.broadcast(ann, (cid, to), "Réunion à 14 h")
    assert len(switch.requests) == 2 and len(switch.broadcasts) == 1
