"""Forward when my phone is not reachable (issue 17, Selfcare §4) on the simulator: the fourth
row of the forwarding dialog (Alt+F), its badge, and a call to my extension while my phone is
not registered going to the destination; my own number, a loop through a colleague, an empty
destination without voicemail and letters refused with nothing sent; a profile rule of the
fourth kind applied; a phone system without it shows no such row or rule kind."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from helpers import build_console, settle
from test_forwarding import bar, forwards, open_dialog, type_in

from tws_tui.console.screens.modals.forwarding import ForwardingScreen
from tws_tui.core.errors import NotSupported
from tws_tui.core.model import Capability, ConnectionState, Forward, ForwardKind
from tws_tui.domain.forwarding import check_destination, check_not_me, offered_kinds
from tws_tui.domain.profiles import Rule
from tws_tui.settings.profiles_file import ProfileBook, profiles_file, save_profiles

SIZE = (110, 30)


def ringing_at(console: Any, extension: str) -> list[Any]:
    ep = console.backend.switch.by_extension[extension]
    return [c for c in ep.conns if c.state is ConnectionState.ALERTING]


async def test_a_call_while_my_phone_is_offline_goes_to_the_forward() -> None:
    console = build_console()
    switch = console.backend.switch
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        dialog = await open_dialog(console, pilot)
        await type_in(pilot, dialog, "#to-not_reachable", "104")
        await pilot.press("enter")
        await settle(pilot)
        assert forwards(console)[ForwardKind.NOT_REACHABLE] == Forward(True, "104", None)
        assert "↪ unreachable → 104" in bar(console)
        assert not ringing_at(console, "104")
        console.ring(to="100")  # my phone is registered: the call rings at me
        await settle(pilot)
        assert not ringing_at(console, "104")
        switch.set_registered(console.backend.device, False)  # unplugged, offline
        console.ring(to="100")
        await settle(pilot)
        assert len(ringing_at(console, "104")) == 1


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("100", "my own number 100 would ring me again"),
        ("104", "would come back to me (100 → 104 → 100): a loop"),
        ("Reception", "it contains letters"),
    ],
    ids=["own", "loop", "letters"],
)
async def test_a_bad_not_reachable_destination_is_refused(typed: str, said: str) -> None:
    console = build_console()
    switch = console.backend.switch
    colleague = switch.by_extension["104"].device_id
    switch.set_forward(colleague, ForwardKind.UNCONDITIONAL, Forward(True, "100"))
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        before = forwards(console)
        dialog = await open_dialog(console, pilot)
        await type_in(pilot, dialog, "#to-not_reachable", typed)
        dialog.query_one("#on-not_reachable").value = True
        await pilot.press("enter")
        await settle(pilot)
        assert console.app.screen is dialog
        assert any(said in str(n.message) for n in console.app._notifications)
        assert forwards(console) == before


async def test_a_profile_rule_of_the_fourth_kind_is_applied() -> None:
    office, meeting, away, night = ProfileBook().profiles
    rule = Rule("Offline", "5020", kind=ForwardKind.NOT_REACHABLE)
    save_profiles(
        profiles_file(), ProfileBook((replace(office, rules=(rule,)), meeting, away, night))
    )
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert forwards(console)[ForwardKind.NOT_REACHABLE] == Forward(True, "5020", None)
        assert "↪ unreachable → 5020" in bar(console)


async def test_without_it_there_is_no_fourth_row() -> None:
    caps = frozenset(Capability) - {Capability.FORWARD_NOT_REACHABLE}
    console = build_console(capabilities=caps)
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dialog = await open_dialog(console, pilot)
        assert isinstance(dialog, ForwardingScreen)
        assert not dialog.query("#to-not_reachable")
        assert dialog.query("#to-busy")
        with pytest.raises(NotSupported):
            await console.backend.set_forward(ForwardKind.NOT_REACHABLE, Forward(True, "104"))
    assert ForwardKind.NOT_REACHABLE not in offered_kinds(caps.__contains__)


def test_the_loop_check_follows_colleagues_forwards() -> None:
    with pytest.raises(ValueError, match="needs a number"):
        check_destination("  ", voicemail="")  # empty means voicemail: none is known
    check_not_me("104", "100", {"104": "105"}.get)  # 105 is not forwarded: no loop
    with pytest.raises(ValueError, match="100 → 104 → 105 → 100"):
        check_not_me("104", "100", {"104": "105", "105": "100"}.get)


async def test_the_sip_softphone_refuses_a_forward_for_when_it_is_not_reachable() -> None:
    """The softphone forwards only while it runs: a not-reachable forward is the PBX's job."""
    from tws_tui.backends.sip.backend import SipBackend

    backend = SipBackend({"server": "127.0.0.1", "username": "1001", "password": "pw"})
    assert Capability.FORWARD_NOT_REACHABLE not in backend.capabilities
    with pytest.raises(NotSupported, match="only the PBX"):
        await backend.set_forward(ForwardKind.NOT_REACHABLE, Forward(True, "104", None))
    assert ForwardKind.NOT_REACHABLE not in backend.forwards
