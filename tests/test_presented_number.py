"""The number callers see (issue 17, Selfcare §2.3) on the simulator: the key on the dial
field (Alt+J, ``call.presented_number``) picks a company number for the next call, which the
callee's phone shows as the caller (then my default applies again); Preferences picks the
default, which the switch applies to every call; a number that is not the company's is refused;
a phone system without it (``sip``) says so."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import build_console, settle
from test_custom_presence import pick
from textual.widgets import Button, Static

from tws_tui.console.screens.modals.choice import ChoiceScreen
from tws_tui.console.widgets.status_bar import StatusBar
from tws_tui.core.errors import InvalidDestination, NotSupported
from tws_tui.core.model import Capability
from tws_tui.simulator.views import call_view

SIZE = (120, 36)


def seen_by(console: Any, extension: str) -> str | None:
    """The caller's number as the phone at ``extension`` shows its ringing call."""
    ep = console.backend.switch.by_extension[extension]
    views = [call_view(c, None, False) for c in ep.conns]
    return views[-1].remote.number if views else None


async def dial(console: Any, pilot: Any, number: str) -> None:
    await pilot.press("f2", *number, "f3")
    await settle(pilot)


async def hang_up(console: Any, pilot: Any) -> None:
    for conn in list(console.backend.switch.by_extension["100"].conns):
        console.backend.switch.clear_connection(conn.id)
    await settle(pilot)


async def test_the_next_call_shows_the_number_chosen_then_the_default_again() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await pilot.press("alt+j")
        await settle(pilot)
        assert isinstance(console.app.screen, ChoiceScreen)
        await pick(pilot, "+33142000100")
        assert any("Martin Conseil" in str(n.message) for n in console.app._notifications)
        await dial(console, pilot, "104")
        assert seen_by(console, "104") == "+33142000100"  # the callee sees the company
        await hang_up(console, pilot)
        await dial(console, pilot, "314")
        assert seen_by(console, "314") == "100"  # once only: my own line again


async def test_the_default_from_preferences_applies_to_every_call() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+6")
        await settle(pilot)
        note = console.app.screen.query_one("#presented-summary", Static)
        assert "my own line (100)" in str(note.render())
        button = console.app.screen.query_one("#pref-presented", Button)
        button.scroll_visible(animate=False)
        await settle(pilot)
        await pilot.click(button)
        await settle(pilot)
        await pick(pilot, "+33142000200")
        assert console.app.state.me.presented_number == "+33142000200"
        assert "Martin Immobilier" in str(note.render())
        await pilot.press("alt+1")
        await settle(pilot)
        await dial(console, pilot, "104")
        assert seen_by(console, "104") == "+33142000200"


def bar(console: Any) -> str:
    return str(console.app.screen.query_one(StatusBar).render().plain)


async def test_the_status_bar_shows_the_company_number_callers_see() -> None:
    """SLF-2.3-1: while callers see a company number, the status bar names the company — the
    one chosen for my next call until that call is placed, else my default; my own line shows
    nothing."""
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "☏" not in bar(console)  # my own line: no badge
        console.app.run_command(lambda backend: backend.set_presented_number("+33142000200"))
        await settle(pilot)
        assert "☏ Callers see Martin Immobilier" in bar(console)
        await pilot.press("f2", "alt+j")
        await settle(pilot)
        await pick(pilot, "+33142000100")
        await settle(pilot)
        assert "☏ Next call: Martin Conseil" in bar(console)
        await dial(console, pilot, "104")
        await settle(pilot)
        assert "☏ Callers see Martin Immobilier" in bar(console)  # used once, default again


async def test_a_number_not_the_companys_is_refused() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        with pytest.raises(InvalidDestination, match="not one of the company's numbers"):
            await console.backend.set_presented_number("+33699999999")
        with pytest.raises(InvalidDestination):
            await console.backend.make_call("104", presented="0612345678")
        assert console.app.state.me.presented_number is None
        assert not console.backend.switch.by_extension["104"].conns  # no call placed


async def test_without_it_the_key_says_so() -> None:
    console = build_console(capabilities=frozenset(Capability) - {Capability.PRESENTED_NUMBER})
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("alt+j")
        await settle(pilot)
        assert not isinstance(console.app.screen, ChoiceScreen)
        assert any(
            "does not let the console choose the number" in str(n.message)
            for n in console.app._notifications
        )
        with pytest.raises(NotSupported):
            await console.backend.make_call("104", presented="+33142000100")


def test_sip_offers_no_presented_number() -> None:
    from tws_tui.backends.sip.backend import SIP_CAPABILITIES

    assert Capability.PRESENTED_NUMBER not in SIP_CAPABILITIES


async def test_no_number_withheld_for_the_next_call_and_by_default() -> None:
    """Selfcare §2.3-3: last in both pickers, *No number (withheld)*: the callee's phone shows
    no number, the status bar says so; for one call, then my default again; by default, for
    every call."""
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f2", "alt+j")
        await settle(pilot)
        await pick(pilot, "anonymous")
        await settle(pilot)
        assert "☏ Next call: no number (withheld)" in bar(console)
        await dial(console, pilot, "104")
        assert seen_by(console, "104") is None  # withheld
        await hang_up(console, pilot)
        await dial(console, pilot, "314")
        assert seen_by(console, "314") == "100"  # once only
        await hang_up(console, pilot)
        console.app.run_command(lambda backend: backend.set_presented_number("anonymous"))
        await settle(pilot)
        assert console.app.state.me.presented_number == "anonymous"
        assert "☏ Callers see no number (withheld)" in bar(console)
        await dial(console, pilot, "104")
        assert seen_by(console, "104") is None
