"""Simultaneous ring / find-me, forward while DND, the immediate forward winning, and the key
that toggles the last forward (issue 17, Selfcare §4, Sophia U1) on the simulator.

Find-me is set in My forwarding (Alt+F): the simulated switch really rings the numbers with my
line (all at once, or one after the other for each one's ring time); whoever answers first —
a colleague or an outside number, when the seed says — has the caller, the others stop
ringing. Each bad number is refused with a sentence and nothing is kept. The DND forward is
its own destination, before the busy one. While "Always" is on the other rows are drawn
inactive with a line saying why. Alt+Shift+F turns the forwards off and the last one back on,
with a second call ringing too (the key acts on the forward, never on a call)."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import build_console, settle
from test_forwarding import bar, forwards, open_dialog, type_in
from textual.widgets import Static, Switch

from tws_tui.backends.sip.forwarding import ForwardPlan, decide
from tws_tui.console.screens.modals.forwarding import ForwardingScreen
from tws_tui.core.errors import InvalidDestination, InvalidValue, NotSupported
from tws_tui.core.model import (
    Capability,
    FindMe,
    FindMeMode,
    FindMeNumber,
    Forward,
    ForwardKind,
    Outcome,
)
from tws_tui.domain.find_me import parse_numbers
from tws_tui.domain.forwarding import check_destination
from tws_tui.domain.keymap import ACTIONS_BY_ID
from tws_tui.simulator.base import Behaviour

SIZE = (110, 40)
CALLER = "+33123456789"


def legs(console: Any, call_id: str) -> list[tuple[str, str]]:
    """Who is on the switch's call ``call_id`` and in which state (the caller first)."""
    call = console.backend.switch.calls.get(call_id)
    if call is None:
        return []
    return [(c.endpoint.number or "", c.state.value) for c in call.conns]


def find_me(console: Any) -> FindMe:
    me = console.app.state.me
    assert me is not None
    return me.find_me


def quiet(console: Any) -> None:
    """Nobody answers by themselves: the test answers."""
    console.backend.switch.behaviour = Behaviour(
        colleague_answer_s=None, external_answer_s=None, callee_talk_s=None
    )


async def test_simultaneous_ring_rings_every_number_and_the_first_to_answer_has_the_caller() -> (
    None
):
    """Set in the dialog: 191 (a colleague) and a mobile ring with my line; the colleague
    answers first (the seeded simulator: 2–6 s for a colleague, 3–8 s outside), the caller is
    connected to them, my line and the mobile stop ringing."""
    console = build_console(voicemail_number="888")
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert "⇶" not in bar(console)
        dialog = await open_dialog(console, pilot)
        assert dialog.query_one("#on-find_me", Switch).value is False
        await type_in(pilot, dialog, "#find-me-numbers", "191, 06 11 22 33 44")
        assert dialog.query_one("#on-find_me", Switch).value is True  # typing turns it on
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(console.app.screen, ForwardingScreen)
        assert find_me(console) == FindMe(
            True,
            FindMeMode.SIMULTANEOUS,
            (FindMeNumber("191", 20), FindMeNumber("+33611223344", 20)),
        )
        assert "⇶ Also rings 191 +1" in bar(console)

        call_id = console.ring(CALLER)
        await settle(pilot)
        assert legs(console, call_id) == [
            (CALLER, "connected"),
            ("100", "alerting"),
            ("191", "alerting"),
            ("+33611223344", "alerting"),
        ]
        assert console.app.state.ringing_calls()  # my console rings too
        console.clock.advance(10)
        await settle(pilot)
        assert legs(console, call_id) == [(CALLER, "connected"), ("191", "connected")]
        assert not console.app.state.ringing_calls()
        switch = console.backend.switch
        mine = switch.history[console.backend.device][0]  # answered on 191, not missed
        assert (mine.outcome, mine.transferred_to) == (Outcome.TRANSFERRED, "191")
        assert console.app.state.missed_calls == 0
        assert not switch.history.get(switch.by_extension["191"].device_id)  # still talking


async def test_find_me_one_after_the_other_and_i_answer_on_my_line() -> None:
    """Sequential: 191 rings for its 5 s, then 187 for its 5 s, my line all along; I answer
    with F12 while 187 rings: 187 stops, the caller is mine."""
    console = build_console()
    quiet(console)
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        dialog = await open_dialog(console, pilot)
        await type_in(pilot, dialog, "#find-me-numbers", "191:5, 187:5")
        dialog.query_one("#find-me-sequential", Switch).value = True
        await settle(pilot)
        await pilot.click("#forward-save")
        await settle(pilot)
        assert find_me(console) == FindMe(
            True, FindMeMode.SEQUENTIAL, (FindMeNumber("191", 5), FindMeNumber("187", 5))
        )
        call_id = console.ring(CALLER)
        await settle(pilot)
        assert legs(console, call_id)[1:] == [("100", "alerting"), ("191", "alerting")]
        console.clock.advance(5)
        await settle(pilot)
        assert legs(console, call_id)[1:] == [("100", "alerting"), ("187", "alerting")]
        await pilot.press("f12")
        await settle(pilot)
        assert legs(console, call_id) == [(CALLER, "connected"), ("100", "connected")]
        console.clock.advance(10)  # no turn comes after an answer
        await settle(pilot)
        assert legs(console, call_id) == [(CALLER, "connected"), ("100", "connected")]


async def test_the_caller_hanging_up_stops_every_number() -> None:
    console = build_console()
    quiet(console)
    switch = console.backend.switch
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await console.backend.set_find_me(FindMe(True, numbers=(FindMeNumber("191"),)))
        call_id = console.ring(CALLER)
        await settle(pilot)
        caller = switch.calls[call_id].conns[0]
        switch.clear_connection(caller.id)
        await settle(pilot)
        assert call_id not in switch.calls
        assert not switch.endpoint("191").conns
        assert not console.app.state.calls
        assert switch.history[console.backend.device][0].outcome is Outcome.MISSED
        assert not switch.history.get(switch.endpoint("191").device_id)  # rung for me only


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("", "needs a number: the field is empty"),
        ("Xyzzy", "is not a phone number: it contains letters"),
        ("100", "my own number 100 would ring me again"),
        ("0612" + "9" * 40, "44 characters (at most 32)"),
        ("191, 191", "191 is in the list twice"),
        ("191,,187", "An empty number between two commas"),
        ("191:2", "A ring time is a number of seconds from 5 to 120"),
        ("1,2,3,4,5,6", "At most 5 numbers"),
    ],
    ids=["empty", "letters", "own", "too-long", "twice", "empty-item", "ring-time", "too-many"],
)
async def test_a_bad_find_me_number_is_refused_and_nothing_changes(typed: str, said: str) -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        before = find_me(console)
        dialog = await open_dialog(console, pilot)
        await type_in(pilot, dialog, "#find-me-numbers", typed)
        dialog.query_one("#on-find_me", Switch).value = True
        await settle(pilot)
        await pilot.click("#forward-save")
        await settle(pilot)
        assert isinstance(console.app.screen, ForwardingScreen)  # the dialog stays
        notices = [n.message for n in console.app._notifications]
        assert any(said in message for message in notices), notices
        assert find_me(console) == before


async def test_the_switch_refuses_what_the_dialog_refuses() -> None:
    """The same checks at the switch (so at the CTI server): nothing kept."""
    console = build_console()
    for numbers in [("Xyzzy",), ("100",), ("191", "191")]:
        bad = FindMe(True, numbers=tuple(FindMeNumber(n) for n in numbers))
        with pytest.raises((InvalidValue, InvalidDestination)):
            await console.backend.set_find_me(bad)
    assert console.backend.switch.operator.find_me == FindMe()
    with pytest.raises(InvalidValue, match="empty"):
        parse_numbers(" ")


async def test_without_find_me_the_dialog_says_the_phone_system_sets_it() -> None:
    """A phone system without Capability.FIND_ME (as the SIP softphone): no find-me rows, a
    line saying it is set on the phone system; the SIP backend refuses it in words."""
    wanted = sorted(c.value for c in Capability if c is not Capability.FIND_ME)
    console = build_console(capabilities=wanted)
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dialog = await open_dialog(console, pilot)
        assert not dialog.query("#find-me-numbers")
        note = str(dialog.query_one("#find-me-on-pbx", Static).render())
        assert "set on your phone system" in note
    from tws_tui.backends.sip.backend import SIP_CAPABILITIES, SipBackend

    assert Capability.FIND_ME not in SIP_CAPABILITIES
    assert Capability.FORWARD_DND in SIP_CAPABILITIES  # 302 to it while DND
    sip = SipBackend.__new__(SipBackend)
    with pytest.raises(NotSupported, match="on the PBX"):
        await sip.set_find_me(FindMe(True, numbers=(FindMeNumber("191"),)))


# ---- forward while DND ------------------------------------------------------------------------


async def test_the_dnd_forward_is_its_own_destination_before_the_busy_one() -> None:
    console = build_console(voicemail_number="888")
    quiet(console)
    switch = console.backend.switch
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        dialog = await open_dialog(console, pilot)
        await type_in(pilot, dialog, "#to-dnd", "191")
        await type_in(pilot, dialog, "#to-busy", "187")
        await pilot.click("#forward-save")
        await settle(pilot)
        assert forwards(console)[ForwardKind.DND] == Forward(True, "191", None)
        assert "↪ busy → 187 +1" in bar(console)
        call_id = console.ring(CALLER)  # not in DND: it rings at me
        await settle(pilot)
        assert legs(console, call_id)[1:] == [("100", "alerting")]
        await console.backend.set_dnd(True)
        call_id = console.ring("+33123456780")
        await settle(pilot)
        assert legs(console, call_id)[1:] == [("191", "alerting")]  # not 187
        assert not [c for c in switch.endpoint("187").conns]


def test_the_sip_softphone_redirects_to_the_dnd_forward_first() -> None:
    assert decide(ForwardPlan(dnd=True, dnd_to="191", busy="187"), busy=False).destination == (
        "191"
    )
    assert decide(ForwardPlan(dnd=True, busy="187"), busy=False).destination == "187"
    assert decide(ForwardPlan(dnd=True), busy=False).code == 486
    assert decide(ForwardPlan(dnd=False, dnd_to="191"), busy=False).code == 0


# ---- "Always" wins ----------------------------------------------------------------------------


async def test_the_immediate_forward_shows_the_others_inactive_and_why() -> None:
    console = build_console(voicemail_number="888")
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        dialog = await open_dialog(console, pilot)
        await type_in(pilot, dialog, "#to-no_answer", "187")
        note = dialog.query_one("#forward-overridden", Static)
        assert not note.display
        assert not dialog.query_one("#row-no_answer").has_class("-overridden")
        await type_in(pilot, dialog, "#to-unconditional", "191")
        assert note.display
        assert "every call goes to 191" in str(note.render())
        assert "simultaneous ring stay set but are not used" in str(note.render())
        assert dialog.query_one("#row-no_answer").has_class("-overridden")
        assert dialog.query_one("#row-find_me").has_class("-overridden")
        await pilot.click("#forward-save")
        await settle(pilot)
        assert forwards(console)[ForwardKind.NO_ANSWER].enabled  # kept, not used
        await pilot.press("alt+6")
        await settle(pilot)
        summary = str(console.app.screen.query_one("#forwarding-summary", Static).render())
        assert "→ 187 after 20 s (inactive: “Always” wins)" in summary
        assert "→ 191" in summary
        dialog = await open_dialog(console, pilot)
        dialog.query_one("#on-unconditional", Switch).value = False
        await settle(pilot)
        assert not dialog.query_one("#forward-overridden", Static).display
        assert not dialog.query_one("#row-no_answer").has_class("-overridden")


# ---- the toggle key ---------------------------------------------------------------------------


async def test_the_toggle_key_turns_the_forward_off_and_back_on_not_a_call() -> None:
    """The "right call" rule: with a call on the line and a second one ringing, Alt+Shift+F
    acts on my forward; both calls are as they were."""
    spec = ACTIONS_BY_ID["forwarding.toggle"]
    assert (spec.keys, spec.action) == ("alt+shift+f", "toggle_forwarding")
    console = build_console(voicemail_number="888")
    quiet(console)
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("alt+shift+f")  # nothing set yet: said, nothing sent
        await settle(pilot)
        notices = [str(n.message) for n in console.app._notifications]
        assert any("No forward to turn back on" in n for n in notices), notices
        dialog = await open_dialog(console, pilot)
        await type_in(pilot, dialog, "#to-unconditional", "191")
        await pilot.press("enter")
        await settle(pilot)
        assert "↪ Forwarded → 191" in bar(console)
        await console.backend.set_forward(ForwardKind.UNCONDITIONAL, Forward(False, "191"))
        await settle(pilot)
        first = console.ring(CALLER)
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        second = console.ring("+33123456780")
        await settle(pilot)
        calls = {c.call_id: c.state for c in console.app.state.calls.values()}
        assert sorted(s.value for s in calls.values()) == ["alerting", "connected"]

        await pilot.press("alt+shift+f")  # off: on again, to 191
        await settle(pilot)
        assert forwards(console)[ForwardKind.UNCONDITIONAL] == Forward(True, "191", None)
        assert "↪ Forwarded → 191" in bar(console)
        await pilot.press("alt+shift+f")
        await settle(pilot)
        assert forwards(console)[ForwardKind.UNCONDITIONAL] == Forward(False, "191", None)
        assert "↪" not in bar(console)
        assert {c.call_id: c.state for c in console.app.state.calls.values()} == calls
        assert legs(console, first)[1:] == [("100", "connected")]
        assert legs(console, second)[1:] == [("100", "alerting")]


async def test_always_on_means_find_me_does_not_ring_either() -> None:
    """The switch sends every call to the immediate forward: neither my line nor my find-me
    numbers ring (the dialog strikes the row through for that)."""
    console = build_console()
    quiet(console)
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await console.backend.set_find_me(FindMe(True, numbers=(FindMeNumber("187"),)))
        await console.backend.set_forward(ForwardKind.UNCONDITIONAL, Forward(True, "191"))
        call_id = console.ring(CALLER)
        await settle(pilot)
        assert legs(console, call_id)[1:] == [("191", "alerting")]


async def test_the_toggle_key_is_in_f1_and_runs_from_the_command_palette() -> None:
    from tws_tui.console.commands import TwsCommands
    from tws_tui.domain.keymap import ACTIONS
    from tws_tui.domain.keys_help import help_groups

    rows = [row for group in help_groups({s.id: s.keys for s in ACTIONS}) for row in group.rows]
    toggle = next(row for row in rows if row.action_id == "forwarding.toggle")
    assert (toggle.keys, toggle.description) == ("Alt+Shift+F", "Forwarding on/off")
    console = build_console()
    quiet(console)
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await console.backend.set_forward(ForwardKind.UNCONDITIONAL, Forward(False, "191"))
        await settle(pilot)
        provider = TwsCommands(console.app.screen, None)
        found = [str(hit.match_display) async for hit in provider.search("forwarding on")]
        assert "Forwarding on/off" in found
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"forwarding on/off")
        await pilot.pause(0.6)
        await pilot.press("enter")
        await settle(pilot)
        assert forwards(console)[ForwardKind.UNCONDITIONAL] == Forward(True, "191", None)


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("Xyzzy", "is not a phone number: it contains letters"),
        ("100", "my own number 100 would ring me again"),
        ("0612" + "9" * 40, "44 characters (at most 32)"),
    ],
    ids=["letters", "own", "too-long"],
)
async def test_a_bad_dnd_destination_is_refused_and_nothing_changes(typed: str, said: str) -> None:
    """Empty means my voicemail (refused only when none is known: ``check_destination``)."""
    with pytest.raises(ValueError, match="no voicemail number is known"):
        check_destination("", voicemail="")
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        before = forwards(console)
        dialog = await open_dialog(console, pilot)
        await type_in(pilot, dialog, "#to-dnd", typed)
        dialog.query_one("#on-dnd", Switch).value = True
        await settle(pilot)
        await pilot.click("#forward-save")
        await settle(pilot)
        assert isinstance(console.app.screen, ForwardingScreen)
        notices = [str(n.message) for n in console.app._notifications]
        assert any(said in message for message in notices), notices
        assert forwards(console) == before


def test_the_shortest_no_answer_delay_of_the_group_runs() -> None:
    """Sophia U1.2-3: my no-answer forward waits 20 s, the colleague rung with me forwards
    after 8 s: at 8 s the call goes to the colleague's forward and my line stops ringing."""
    from tws_tui.simulator.testing import Harness

    harness = Harness(seed=0)  # nobody answers by themselves
    switch = harness.switch
    me = switch.operator
    switch.set_forward(me.device_id, ForwardKind.NO_ANSWER, Forward(True, "187", 20))
    switch.set_forward("191", ForwardKind.NO_ANSWER, Forward(True, "203", 8))
    switch.set_find_me(me.device_id, FindMe(True, numbers=(FindMeNumber("191"),)))
    call_id = switch.inject_incoming_call("100", CALLER)
    call = switch.calls[call_id]

    def ringing() -> list[str]:
        return [c.endpoint.number or "" for c in call.conns if c.state.value == "alerting"]

    assert ringing() == ["100", "191"]
    harness.advance(8)
    assert ringing() == ["203"]
    harness.advance(20)  # my own no-answer forward no longer runs: my line left the call
    assert ringing() == ["203"]


def test_a_queue_call_rings_the_agent_only_not_their_find_me_numbers() -> None:
    """A queue distributes a call to the agent at the desk: their find-me numbers stay quiet
    (find-me is for calls to them)."""
    from tws_tui.simulator.testing import Harness

    harness = Harness(seed=0)
    switch = harness.switch
    agents = [
        ep for ep in switch.endpoints.values() if "commercial" in ep.queues and not ep.operator
    ]
    for agent in agents:
        switch.set_find_me(agent.device_id, FindMe(True, numbers=(FindMeNumber("191"),)))
    switch.inject_incoming_call("3901", CALLER)
    ringing = [ep for ep in agents if ep.conns]
    assert ringing, "the queue rang no agent"
    assert not switch.endpoint("191").conns
