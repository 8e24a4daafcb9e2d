"""Snapshots of each state of the console shell, at 80×24 and 120×40.

Seeded simulator with no traffic, frozen clock (09:00 UTC), English, no cursor blink: the
pictures change only when the console's look changes. Review `snapshot_report.html` before
accepting a new picture (`pytest --snapshot-update -k <name>`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from helpers import ACME, DUPONT, answer_at, build_console, prefs_of

from tws_tui.console.app import TwsApp
from tws_tui.core.clock import ManualClock
from tws_tui.core.model import AgentState, Capability, Party, QueueForwardRule, QueueId, QueueRuleId
from tws_tui.platform.i18n import set_language

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def settle(pilot: Any) -> None:
    for _ in range(3):
        await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_contacts_home(snap_compare, size) -> None:
    """Home screen: status bar, mode strip, colleagues with line state and presence."""
    console = build_console()
    assert snap_compare(console.app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_supervised_tiles_in_every_line_state(snap_compare, size) -> None:
    """Contacts with six supervised colleagues: free, dialling, ringing, on a call, on hold,
    unavailable (busy in red, ringing in orange, each also in words); the grid focused."""
    console = build_console()

    async def tiles(pilot: Any) -> None:
        await settle(pilot)
        switch = console.backend.switch
        devices = sorted(console.app.state.devices.values(), key=lambda d: d.name)
        free = [d for d in devices if d.line_state.value == "idle"]
        away = next(d for d in devices if d.line_state.value == "unavailable")
        a, b, c, d, e = free[:5]
        switch.make_call(b.extension, c.extension)  # b dials, c rings
        call = switch.make_call(d.extension, e.extension)  # d talks with e, then holds
        answer_at(console, e.extension)
        switch.hold(call)
        ids = (a, b, c, d, e, away)
        console.app.prefs.change("contacts", supervised=tuple(x.device_id for x in ids))
        await settle(pilot)
        console.app.screen.query_one("#blf").focus()
        await pilot.press("4")
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=tiles)


@pytest.mark.parametrize("size", SIZES)
def test_incoming_call_banner(snap_compare, size) -> None:
    """A call from a queue rings: the banner names the caller and the queue, Enter answers."""
    console = build_console()

    async def ring(pilot: Any) -> None:
        await settle(pilot)
        console.ring(ACME, to="3900")
        console.clock.advance(1)  # the queue offers it; nobody picks it yet
        console.ring(DUPONT)
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=ring)


@pytest.mark.parametrize("size", SIZES)
def test_calls_mode_with_a_call_and_a_ringing_one(snap_compare, size) -> None:
    """Calls mode: one call answered 1:05 ago, another ringing; states in words and symbols."""
    console = build_console()

    async def calls(pilot: Any) -> None:
        await settle(pilot)
        console.ring(ACME)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        console.clock.advance(65)
        console.ring(DUPONT)
        await pilot.press("alt+2")
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=calls)


@pytest.mark.parametrize("size", SIZES)
def test_queues_mode_with_waiting_calls(snap_compare, size) -> None:
    """Queues mode: counts, longest wait and agents per queue; waiting calls oldest first, one
    past the red threshold (■), one past the orange one (▲); me paused for lunch; the call
    flows with their hours."""
    console = build_console()

    async def queues(pilot: Any) -> None:
        await settle(pilot)
        console.ring(ACME, to="3900", patience_s=600)
        console.clock.advance(15)
        console.ring(Party("+33698765432"), to="3900", patience_s=600)
        console.clock.advance(17)
        console.ring(DUPONT, to="3900", patience_s=600)
        console.clock.advance(3)
        console.backend.switch.set_agent_state("100", AgentState.NOT_READY, "Déjeuner")
        await pilot.press("alt+3")
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=queues)


@pytest.mark.parametrize("size", SIZES)
def test_pause_asks_for_a_reason(snap_compare, size) -> None:
    """p on the Queues screen: the backend's pause reasons (Webpilot WPL-14.2-4)."""
    console = build_console()

    async def pause(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("alt+3", "p")
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=pause)


@pytest.mark.parametrize("size", SIZES)
def test_night_mode_is_confirmed(snap_compare, size) -> None:
    """n on a call flow, then forced night: the confirmation says it affects every caller."""
    console = build_console()

    async def night(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("alt+3")
        await settle(pilot)
        console.app.screen.query_one("#flows").focus()
        await pilot.press("n", "down", "down", "enter")
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=night)


@pytest.mark.parametrize("size", SIZES)
def test_queue_forwarding_rules(snap_compare, size) -> None:
    """f on the Queues screen: the queue's forwarding rules, one applying now, one to come."""
    console = build_console()

    async def rules(pilot: Any) -> None:
        await settle(pilot)
        now = console.clock.now()
        switch = console.backend.switch
        switch.save_queue_rule(
            QueueForwardRule(QueueRuleId(""), QueueId("accueil"), "3990"), by="Camille Martin"
        )
        switch.save_queue_rule(
            QueueForwardRule(
                QueueRuleId(""),
                QueueId("accueil"),
                "0140000000",
                starts_at=now + timedelta(days=1),
                ends_at=now + timedelta(days=1, hours=2),
            ),
            by="Pierre Fournier",
        )
        await pilot.press("alt+3", "f")
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=rules)


@pytest.mark.parametrize("size", SIZES)
def test_history_with_a_missed_call(snap_compare, size) -> None:
    """History mode after a missed call (the status-bar count is cleared by opening it)."""
    console = build_console()

    async def history(pilot: Any) -> None:
        await settle(pilot)
        call_id = console.ring(DUPONT)
        console.clock.advance(20)
        console.backend.switch.caller_hangs_up(call_id)
        await settle(pilot)
        await pilot.press("alt+5")
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=history)


@pytest.mark.parametrize("size", SIZES)
def test_chat_mode_says_when_the_backend_has_no_chat(snap_compare, size) -> None:
    """Chat mode on a backend without chat: an honest sentence, not a fake list."""
    console = build_console(capabilities=[c for c in Capability if c is not Capability.CHAT])

    async def chat(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("alt+4")
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=chat)


@pytest.mark.parametrize("size", SIZES)
def test_preferences_mode(snap_compare, size) -> None:
    """Preferences: language, theme and alert switches."""
    console = build_console()

    async def prefs(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("alt+6")
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=prefs)


@pytest.mark.parametrize("size", SIZES)
def test_help_lists_every_key(snap_compare, size) -> None:
    """F1 help: every action with its key and stable id."""
    console = build_console()
    assert snap_compare(console.app, terminal_size=size, press=["f1"], run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_presence_picker(snap_compare, size) -> None:
    """The presence picker opened from the status bar key (Alt+P)."""
    console = build_console()
    assert snap_compare(console.app, terminal_size=size, press=["alt+p"], run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_do_not_disturb_in_the_status_bar(snap_compare, size) -> None:
    """DND chosen in the picker shows as a word and a symbol in the status bar."""
    console = build_console()
    press = ["alt+p", "down", "down", "down", "enter"]
    assert snap_compare(console.app, terminal_size=size, press=press, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_first_run_setup(snap_compare, size) -> None:
    """First run: the sign-in screen picks Demo, SIP account or CTI server."""
    app = TwsApp(prefs=prefs_of(), clock=ManualClock(), setup=True)
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_french_home_with_ringing_call(snap_compare, size) -> None:
    """The same console in French (the default language of the seed products)."""
    console = build_console()

    async def french(pilot: Any) -> None:
        set_language("fr")
        await settle(pilot)
        console.ring(ACME)
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=french)
