"""Preferences that follow the receptionist (issue 17), on the simulator: automatic connection
turned off from Preferences (kept in prefs.toml, so the sign-in screen shows again); my
forwarding set from its key (Alt+F) and from Preferences, each kind, the status-bar badge, a
bad destination refused with nothing changed, and a phone system without forwarding saying so;
my presence note (Alt+N), seen by colleagues."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest
from helpers import build_console, settle
from textual.widgets import Button, Input, Static, Switch

from tws_tui.console.screens.modals.forwarding import ForwardingScreen
from tws_tui.console.screens.modals.presence_note import PresenceNoteScreen
from tws_tui.console.widgets.status_bar import StatusBar
from tws_tui.core.errors import InvalidDestination
from tws_tui.core.model import Capability, Forward, ForwardKind, PresenceState
from tws_tui.platform import paths
from tws_tui.settings.load import load_settings
from tws_tui.settings.prefs_file import save_prefs
from tws_tui.simulator.views import device_view

SIZE = (110, 30)


async def test_automatic_connection_is_turned_off_from_preferences() -> None:
    """TWS-1.1-7: once on, only Preferences can turn it off; the switch writes
    ``general.auto_connect = false`` to prefs.toml and the next start shows the sign-in."""
    console = build_console(save_prefs=save_prefs)
    prefs = console.app.prefs
    prefs.change("general", auto_connect=True)  # as the sign-in screen leaves it
    assert load_settings()[0].general.auto_connect is True
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+6")
        await settle(pilot)
        switch = console.app.screen.query_one("#pref-auto_connect", Switch)
        assert switch.value is True
        switch.scroll_visible(animate=False)
        await settle(pilot)
        await pilot.click(switch)
        await settle(pilot)
        assert prefs.general.auto_connect is False
    written: dict[str, Any] = tomllib.loads(paths.prefs_file().read_text("utf-8"))
    assert written["general"]["auto_connect"] is False
    assert load_settings()[0].general.auto_connect is False


# ---- my forwarding ----------------------------------------------------------------------------


def forwards(console: Any) -> dict[ForwardKind, Forward]:
    return dict(console.app.state.me.forwards)


def bar(console: Any) -> str:
    return console.app.screen.query_one(StatusBar).render().plain


async def open_dialog(console: Any, pilot: Any) -> ForwardingScreen:
    await pilot.press("alt+f")
    await settle(pilot)
    assert isinstance(console.app.screen, ForwardingScreen)
    return console.app.screen


async def type_in(pilot: Any, dialog: ForwardingScreen, selector: str, text: str) -> None:
    field = dialog.query_one(selector, Input)
    field.focus()
    field.value = text
    await settle(pilot)


async def test_each_forward_kind_is_set_shown_in_the_bar_and_cleared() -> None:
    """Alt+F from the home screen: always to a colleague, then busy to voicemail and no answer
    to a mobile after 15 s; the badge says it in words (no colour needed); all off again
    takes the badge away."""
    console = build_console(voicemail_number="888")
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert "↪" not in bar(console)
        dialog = await open_dialog(console, pilot)
        await type_in(pilot, dialog, "#to-unconditional", "104")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(console.app.screen, ForwardingScreen)
        assert forwards(console)[ForwardKind.UNCONDITIONAL] == Forward(True, "104", None)
        assert "↪ Forwarded → 104" in bar(console)

        dialog = await open_dialog(console, pilot)
        assert dialog.query_one("#on-unconditional", Switch).value is True
        dialog.query_one("#on-unconditional", Switch).value = False
        dialog.query_one("#on-busy", Switch).value = True  # empty: voicemail
        await type_in(pilot, dialog, "#to-no_answer", "06 12 34 56 78")
        await type_in(pilot, dialog, "#delay", "15")
        await pilot.press("enter")
        await settle(pilot)
        got = forwards(console)
        assert got[ForwardKind.UNCONDITIONAL].enabled is False
        assert got[ForwardKind.BUSY] == Forward(True, "888", None)
        assert got[ForwardKind.NO_ANSWER] == Forward(
            True, "+33612345678", 15
        )  # the switch normalises
        assert "↪ busy → my voicemail +1" in bar(console)

        dialog = await open_dialog(console, pilot)
        assert dialog.query_one("#to-busy", Input).value == ""  # voicemail shows as empty
        assert dialog.query_one("#delay", Input).value == "15"
        for kind in ForwardKind:
            dialog.query_one(f"#on-{kind.value}", Switch).value = False
        await settle(pilot)
        await pilot.click("#forward-save")
        await settle(pilot)
        assert not any(forward.enabled for forward in forwards(console).values())
        assert "↪" not in bar(console)


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("Xyzzy", "is not a phone number: it contains letters"),  # no colleague by that name
        ("0612" + "x" * 5000, "5004 characters"),
    ],
    ids=["letters", "paste"],
)
async def test_a_bad_destination_is_refused_and_nothing_changes(typed: str, said: str) -> None:
    console = build_console(voicemail_number="888")
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        before = forwards(console)
        dialog = await open_dialog(console, pilot)
        await type_in(pilot, dialog, "#to-unconditional", typed)
        await pilot.press("enter")
        await settle(pilot)
        assert console.app.screen is dialog  # still open, what was typed kept
        assert any(said in str(n.message) for n in console.app._notifications)
        assert forwards(console) == before
        await type_in(pilot, dialog, "#to-unconditional", "104")
        await type_in(pilot, dialog, "#delay", "0")
        dialog.query_one("#on-no_answer", Switch).value = True
        await pilot.press("enter")
        await settle(pilot)
        assert console.app.screen is dialog
        assert any("from 1 to 300" in str(n.message) for n in console.app._notifications)
        await pilot.press("escape")
        await settle(pilot)
        assert forwards(console) == before
        assert "↪" not in bar(console)


async def test_my_own_number_is_refused_with_a_notice() -> None:
    """Refused in the dialog, which stays (the switch refuses it too: ``own phone``)."""
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        dialog = await open_dialog(console, pilot)
        await type_in(pilot, dialog, "#to-busy", "100")
        await pilot.press("enter")
        await settle(pilot)
        assert console.app.screen is dialog
        assert not forwards(console).get(ForwardKind.BUSY, Forward(False)).enabled
        assert any("would ring me again" in str(n.message) for n in console.app._notifications)
    with pytest.raises(InvalidDestination, match="own phone"):
        await console.backend.set_forward(ForwardKind.BUSY, Forward(True, "100"))


async def test_preferences_show_my_forwarding_and_open_the_dialog() -> None:
    console = build_console(voicemail_number="888")
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        console.app.run_command(
            lambda backend: backend.set_forward(ForwardKind.NO_ANSWER, Forward(True, "888", 25))
        )
        await settle(pilot)
        await pilot.press("alt+6")
        await settle(pilot)
        shown = str(console.app.screen.query_one("#forwarding-summary", Static).render())
        assert "When I do not answer: → my voicemail after 25 s" in shown
        assert "Always: not forwarded" in shown
        button = console.app.screen.query_one("#pref-forwarding", Button)
        button.scroll_visible(animate=False)
        await settle(pilot)
        await pilot.click(button)
        await settle(pilot)
        assert isinstance(console.app.screen, ForwardingScreen)


async def test_without_forwarding_the_console_says_so() -> None:
    """A phone system without forwarding: Alt+F says so, no dialog, and the
    Preferences section says it too, its button off."""
    caps = frozenset(Capability) - {Capability.FORWARDING}
    console = build_console(capabilities=caps)
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("alt+f")
        await settle(pilot)
        assert not isinstance(console.app.screen, ForwardingScreen)
        assert any(
            "does not let the console set call forwarding" in str(n.message)
            for n in console.app._notifications
        )
        await pilot.press("alt+6")
        await settle(pilot)
        assert console.app.screen.query_one("#pref-forwarding", Button).disabled


async def test_forwarding_done_by_the_softphone_is_said_so() -> None:
    """A backend whose softphone forwards by itself (sip: ``FORWARDING_BY_PHONE``): the dialog
    and the Preferences section say so (the phone system may do it better); the simulator's
    switch forwards itself, so it says nothing of the kind."""
    from tws_tui.backends.sip.backend import SIP_CAPABILITIES

    assert {Capability.FORWARDING, Capability.FORWARDING_BY_PHONE} <= SIP_CAPABILITIES
    console = build_console()
    assert Capability.FORWARDING_BY_PHONE not in console.backend.capabilities
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+f")
        await settle(pilot)
        assert not console.app.screen.query("#forward-by-phone")
        await pilot.press("escape")
        console.backend.capabilities = console.backend.capabilities | {
            Capability.FORWARDING_BY_PHONE
        }
        await pilot.press("alt+f")
        await settle(pilot)
        note = console.app.screen.query_one("#forward-by-phone", Static)
        assert "softphone forwards your calls itself" in str(note.render())
        await pilot.press("escape")
        await pilot.press("alt+6")
        await settle(pilot)
        summary = console.app.screen.query_one("#forwarding-summary", Static)
        assert "console is closed" in str(summary.render())


async def test_dnd_without_presence_is_left_for_available_without_a_refusal() -> None:
    """A phone with DND but no presence publishing (sip without ``presence = true``): DND from
    the picker, then Available turns DND off and says nothing is refused."""
    caps = frozenset(Capability) - {Capability.PRESENCE_SET}
    console = build_console(capabilities=caps)
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        console.app.presence.set("dnd")
        await settle(pilot)
        assert console.app.state.me.dnd
        console.app.presence.set("available")
        await settle(pilot)
        assert not console.app.state.me.dnd
        assert not [n for n in console.app._notifications if n.severity == "error"]


# ---- my presence note -------------------------------------------------------------------------


async def test_presence_note_is_set_seen_by_colleagues_kept_and_cleared() -> None:
    """Alt+N: a note with my presence, in my status bar and in the view colleagues get of my
    line; a new presence keeps it; a paste too long is refused; empty clears it."""
    console = build_console()
    async with console.app.run_test(size=(140, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("alt+n")
        await settle(pilot)
        assert isinstance(console.app.screen, PresenceNoteScreen)
        field = console.app.screen.query_one(Input)
        field.value = "x" * 5000
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(console.app.screen, PresenceNoteScreen)
        assert any("at most 80 characters" in str(n.message) for n in console.app._notifications)
        field.value = "  back at   14:00 "
        await pilot.press("enter")
        await settle(pilot)
        me = console.app.state.me
        assert me.presence_note == "back at 14:00"
        assert "(back at 14:00)" in bar(console)
        mine = device_view(console.backend.switch.endpoint(me.devices[0]))
        assert mine.presence_note == "back at 14:00"  # what a colleague's tile shows
        console.app.presence.set("busy")
        await settle(pilot)
        assert console.app.state.me.presence is PresenceState.BUSY
        assert console.app.state.me.presence_note == "back at 14:00"
        await pilot.press("alt+n")
        await settle(pilot)
        assert console.app.screen.query_one(Input).value == "back at 14:00"
        console.app.screen.query_one(Input).value = ""
        await pilot.press("enter")
        await settle(pilot)
        assert console.app.state.me.presence_note is None
        assert console.app.state.me.presence is PresenceState.BUSY
