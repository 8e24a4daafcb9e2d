"""The simple answering machine (issue 17, TWS-6.10.6.1-4): a forward to ``ANSWERING_MACHINE``
plays its announcement (the default one when it names none) to the caller, then the switch
hangs up — on the simulated switch (its timeline, History's detail of a call that rang at me),
refused in words where no announcement can be played (sip: a 302 plays nothing), and chosen in
a profile rule's form as *Simple answering machine*, a rule's forward sent so."""

from __future__ import annotations

from dataclasses import replace

import pytest
from filter_lines import INCLUDED, add_lines
from helpers import ACME, build_console, settle, until
from test_history import open_history
from textual.widgets import Select

from tws_tui.backends.sim import create
from tws_tui.console.screens.history.detail import HistoryDetail
from tws_tui.console.screens.profiles.rule_form import RuleForm
from tws_tui.core.clock import ManualClock
from tws_tui.core.errors import NotSupported
from tws_tui.core.model import ANSWERING_MACHINE, Capability, Forward, ForwardKind
from tws_tui.domain.profiles import Rule, target_word
from tws_tui.platform.i18n import set_language
from tws_tui.settings.profiles_file import ProfileBook, profiles_file, save_profiles
from tws_tui.simulator.announcements import ANNOUNCEMENT_S
from tws_tui.simulator.testing import CALLER, Harness


def steps(h: Harness, call_id: str) -> list[tuple[str, str]]:
    return [(s.what, s.detail) for s in h.switch.timeline(call_id)]


def test_the_caller_hears_the_announcement_then_the_call_ends() -> None:
    h = Harness()
    h.switch.set_forward("100", ForwardKind.UNCONDITIONAL, Forward(True, ANSWERING_MACHINE))
    call_id = h.switch.inject_incoming_call("100", CALLER)
    assert not h.ringing()
    assert steps(h, call_id) == [("announcement", "default announcement")]
    assert call_id in h.switch.calls  # the caller is listening
    h.advance(ANNOUNCEMENT_S)
    assert steps(h, call_id)[-1] == ("hung up", ANSWERING_MACHINE)
    assert call_id not in h.switch.calls  # ended: nobody left on it
    named = Forward(True, ANSWERING_MACHINE, None, "closed")
    h.switch.set_forward("100", ForwardKind.UNCONDITIONAL, named)
    second = h.switch.inject_incoming_call("100", CALLER)
    assert steps(h, second) == [("announcement", "closed")]


async def test_without_announcements_the_answering_machine_is_refused_in_words() -> None:
    caps = [c.value for c in Capability if c is not Capability.FORWARD_ANNOUNCEMENT]
    backend = create({"clock": ManualClock(), "traffic": False, "capabilities": caps})
    await backend.connect()
    try:
        with pytest.raises(NotSupported, match="announcement"):
            await backend.set_forward(ForwardKind.UNCONDITIONAL, Forward(True, ANSWERING_MACHINE))
    finally:
        await backend.close()


async def test_history_says_the_answering_machine_hung_up() -> None:
    console = build_console()
    switch = console.backend.switch
    async with console.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await console.backend.set_forward(
            ForwardKind.NO_ANSWER, Forward(True, ANSWERING_MACHINE, 10, "ring")
        )
        call_id = console.ring(ACME)
        await settle(pilot)
        console.clock.advance(10)  # no answer: the answering machine
        await settle(pilot)
        console.clock.advance(2.4)
        await settle(pilot)
        assert call_id not in switch.calls
        rows = await open_history(pilot, console.app, 1)
        rows.focus()
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(console.app.screen, HistoryDetail), "detail")
        detail = console.app.screen

        def shown() -> str:
            return str(detail.query_one("#detail-timeline").render())

        await until(pilot, lambda: "hung up" in shown(), "the steps shown")
        assert "Announcement ring played to the caller at 09:00 (2.4 s)" in shown()
        assert "The answering machine hung up at 09:00" in shown()
        set_language("fr")
        try:
            detail._show()
            assert "Le répondeur simple a raccroché à 09:00" in shown()
        finally:
            set_language("en")


async def test_a_rule_to_the_answering_machine_sets_the_forward_and_its_form_checks_it() -> None:
    office, *others = ProfileBook().profiles
    rules = (Rule("Desk", ANSWERING_MACHINE),)
    save_profiles(profiles_file(), ProfileBook((replace(office, rules=rules), *others)))
    assert target_word(rules[0]) == "the answering machine"
    console = build_console()
    async with console.app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await until(
            pilot,
            lambda: (
                console.app.state.me.forwards.get(ForwardKind.UNCONDITIONAL)
                == Forward(True, ANSWERING_MACHINE)
            ),
            "the answering machine's forward sent",
        )
        form = RuleForm(Rule("Desk", "104"), console.app.profiles.check, sounds=[])
        console.app.push_screen(form)
        await settle(pilot)
        form.query_one("#r-target", Select).value = "machine"
        await settle(pilot)
        assert not form.query_one("#r-number").display
        assert form.read().destination == ANSWERING_MACHINE
        # a rule on the caller is deflected by the console, which cannot play anything
        await add_lines(pilot, form, INCLUDED, ("number", "06*"))
        with pytest.raises(ValueError, match="cannot end at the answering machine"):
            form.read()
        mute = RuleForm(Rule("M", ANSWERING_MACHINE), lambda rule: rule, sounds=None)
        console.app.push_screen(mute)
        await settle(pilot)
        assert mute.query_one("#r-target", Select).value == "machine"
        with pytest.raises(ValueError, match="no answering machine"):
            mute.read()
