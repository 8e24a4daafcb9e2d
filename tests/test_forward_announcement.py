"""An announcement before a forward (issue 17; TWS-6.10.6.1-7, §6.8) on the simulated switch:
the caller hears it (an announcement leg on the call, a step in the call's timeline), then the
call goes on to the forward's destination; the default announcement; a no-answer forward
announces after the ring time; a caller who hangs up during it is not forwarded; a bad
name is refused; a backend without the capability (sip, or a sim without it) refuses it."""

from __future__ import annotations

from dataclasses import replace

import pytest
from filter_lines import INCLUDED, add_lines
from helpers import ACME, build_console, settle, until
from test_profiles_page import error_of, open_page, press, rules_shown
from textual.widgets import Select

from tws_tui.backends.gating import FEATURES
from tws_tui.backends.sim import create
from tws_tui.backends.sip.backend import SIP_CAPABILITIES
from tws_tui.console.screens.profiles.rule_form import RuleForm
from tws_tui.core.clock import ManualClock
from tws_tui.core.errors import InvalidValue, NotSupported
from tws_tui.core.model import (
    DEFAULT_ANNOUNCEMENT,
    Capability,
    ConnectionState,
    Forward,
    ForwardKind,
)
from tws_tui.domain.profiles import Rule
from tws_tui.settings.profiles_file import ProfileBook, profiles_file, save_profiles
from tws_tui.simulator.announcements import ANNOUNCEMENT_S
from tws_tui.simulator.testing import CALLER, Harness

COLLEAGUE = "104"


def steps(h: Harness, call_id: str) -> list[tuple[str, str]]:
    return [(s.what, s.detail) for s in h.switch.timeline(call_id)]


def names_on(h: Harness, call_id: str) -> list[str]:
    return [c.endpoint.name or "" for c in h.switch.calls[call_id].conns]


def test_the_caller_hears_the_announcement_then_is_forwarded() -> None:
    h = Harness()
    h.switch.set_forward(
        "100", ForwardKind.UNCONDITIONAL, Forward(True, COLLEAGUE, None, "welcome")
    )
    call_id = h.switch.inject_incoming_call("100", CALLER)
    assert not h.ringing()  # never rings at me: forwarded
    assert names_on(h, call_id)[-1] == "Announcement welcome"
    assert steps(h, call_id) == [("announcement", "welcome")]
    assert not h.switch.calls_at(COLLEAGUE)  # not yet: the caller is listening
    h.advance(ANNOUNCEMENT_S)
    assert steps(h, call_id) == [("announcement", "welcome"), ("forwarded", COLLEAGUE)]
    (at_colleague,) = h.switch.calls_at(COLLEAGUE)
    assert h.switch.state_of(at_colleague) is ConnectionState.ALERTING
    conn = h.switch.conns[at_colleague]
    assert conn.redirected_from is not None and conn.redirected_from.number == "100"
    assert "Announcement welcome" not in names_on(h, call_id)  # the leg left
    assert h.switch.timeline(call_id)[0].by == h.me.device_id


def test_none_is_the_default_announcement_and_a_plain_forward_plays_nothing() -> None:
    h = Harness()
    kept = Forward(True, COLLEAGUE, None, DEFAULT_ANNOUNCEMENT)
    h.switch.set_forward("100", ForwardKind.UNCONDITIONAL, kept)
    call_id = h.switch.inject_incoming_call("100", CALLER)
    assert steps(h, call_id) == [("announcement", "default announcement")]
    h.switch.set_forward("100", ForwardKind.UNCONDITIONAL, Forward(True, COLLEAGUE))
    plain = h.switch.inject_incoming_call("100", CALLER)
    assert steps(h, plain) == [] and h.switch.calls_at(COLLEAGUE)


def test_a_no_answer_forward_announces_after_the_ring_time() -> None:
    h = Harness()
    forward = Forward(True, COLLEAGUE, 10, "closed")
    h.switch.set_forward("100", ForwardKind.NO_ANSWER, forward)
    mine = h.ring_me()
    call_id = h.switch.conns[mine].call.id
    h.advance(10)
    assert h.gone(mine) and steps(h, call_id) == [("announcement", "closed")]
    h.advance(ANNOUNCEMENT_S)
    assert steps(h, call_id)[-1] == ("forwarded", COLLEAGUE) and h.switch.calls_at(COLLEAGUE)


def test_a_caller_who_hangs_up_during_the_announcement_is_not_forwarded() -> None:
    h = Harness()
    h.switch.set_forward("100", ForwardKind.UNCONDITIONAL, Forward(True, COLLEAGUE, None, "hi"))
    call_id = h.switch.inject_incoming_call("100", CALLER)
    caller = h.switch.calls[call_id].conns[0]
    h.switch.clear_connection(caller.id)
    h.advance(ANNOUNCEMENT_S)
    assert steps(h, call_id) == [("announcement", "hi")]
    assert not h.switch.calls_at(COLLEAGUE)


@pytest.mark.parametrize("name", ["", "   ", "x" * 41, "bad\x07name"])
def test_a_bad_announcement_name_is_refused_and_nothing_changes(name: str) -> None:
    h = Harness()
    with pytest.raises(InvalidValue, match="sound's name"):
        h.switch.set_forward("100", ForwardKind.UNCONDITIONAL, Forward(True, COLLEAGUE, None, name))
    assert ForwardKind.UNCONDITIONAL not in h.switch.endpoint("100").forwards


async def test_a_backend_without_the_capability_refuses_an_announcement() -> None:
    caps = [c.value for c in Capability if c is not Capability.FORWARD_ANNOUNCEMENT]
    backend = create({"clock": ManualClock(), "traffic": False, "capabilities": caps})
    await backend.connect()
    try:
        with pytest.raises(NotSupported) as refused:
            await backend.set_forward(
                ForwardKind.UNCONDITIONAL, Forward(True, COLLEAGUE, None, "welcome")
            )
        assert Capability.FORWARD_ANNOUNCEMENT in FEATURES
        assert "announcement" in str(refused.value)
        await backend.set_forward(ForwardKind.UNCONDITIONAL, Forward(True, COLLEAGUE))  # plain: ok
    finally:
        await backend.close()


# ---- the console: a rule's announcement (the Profiles page, the forward sent) ---------------


async def test_a_rules_announcement_is_chosen_in_its_form_and_sent_with_the_forward() -> None:
    office, *others = ProfileBook().profiles
    rules = (Rule("Desk", COLLEAGUE, announcement="ring"),)
    save_profiles(profiles_file(), ProfileBook((replace(office, rules=rules), *others)))
    console = build_console()
    async with console.app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        sent = console.app.state.me.forwards[ForwardKind.UNCONDITIONAL]
        assert sent == Forward(True, COLLEAGUE, None, "ring")
        call_id = console.ring(ACME)
        await settle(pilot)
        switch = console.backend.switch
        assert [s.detail for s in switch.timeline(call_id)] == ["ring"]
        console.clock.advance(ANNOUNCEMENT_S)
        await settle(pilot)
        assert [(s.what, s.detail) for s in switch.timeline(call_id)][-1] == (
            "forwarded",
            COLLEAGUE,
        )
        page = await open_page(console, pilot)
        assert "after the announcement ring" in rules_shown(page)
        await press(console, pilot, "#r-edit")
        form = console.app.screen
        assert isinstance(form, RuleForm)
        select = form.query_one("#r-announcement", Select)
        offered = [(str(shown), value) for shown, value in select._options]
        assert ("None: the default announcement", DEFAULT_ANNOUNCEMENT) in offered
        assert ("No announcement: forward at once", "-") in offered
        assert any(v == "ring" for _s, v in offered)
        assert not {"chat", "notify", "bell"} & {v for _s, v in offered}  # over 2 s only
        select.value = DEFAULT_ANNOUNCEMENT
        await press(console, pilot, "#form-save")
        assert "after the default announcement" in rules_shown(page)
        await until(
            pilot,
            lambda: (
                console.app.state.me.forwards[ForwardKind.UNCONDITIONAL].announcement
                == DEFAULT_ANNOUNCEMENT
            ),
            "the default announcement sent",
        )
        # A rule on the caller is deflected by the console: no announcement, said in the form
        await press(console, pilot, "#r-edit")
        form = console.app.screen
        await add_lines(pilot, form, INCLUDED, ("number", "06*"))
        await press(console, pilot, "#form-save")
        assert "cannot play one" in error_of(form)


async def test_without_the_capability_the_form_says_so_and_the_forward_is_plain() -> None:
    office, *others = ProfileBook().profiles
    rules = (Rule("Desk", COLLEAGUE, announcement="ring"),)
    save_profiles(profiles_file(), ProfileBook((replace(office, rules=rules), *others)))
    console = build_console(
        capabilities=[c for c in Capability if c is not Capability.FORWARD_ANNOUNCEMENT]
    )
    async with console.app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert console.app.state.me.forwards[ForwardKind.UNCONDITIONAL] == Forward(
            True, COLLEAGUE, None
        )
        await open_page(console, pilot)
        await press(console, pilot, "#r-edit")
        form = console.app.screen
        assert not form.query("#r-announcement")
        hints = " ".join(str(s.render()) for s in form.query(".form-hint"))
        assert "plays none before a forward" in hints
    assert Capability.FORWARD_ANNOUNCEMENT not in SIP_CAPABILITIES  # sip: a 302 plays nothing
