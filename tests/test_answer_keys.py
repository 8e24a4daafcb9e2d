"""Issue 14, "keys that act on the wrong call": with a call ringing, Enter in a chooser or a
list does what Enter means there, and F12 (``call.answer_any``) answers from anywhere."""

from __future__ import annotations

from typing import Any

from helpers import ACME, DUPONT, answer_at, build_console, idle_colleagues, states

from tws_tui.console.screens.modals.choice import ChoiceScreen
from tws_tui.console.screens.modals.confirm import ConfirmScreen
from tws_tui.console.screens.modals.presence import PresencePicker
from tws_tui.console.widgets.ringing_banner import RingingBanner
from tws_tui.console.widgets.row_list import RowList
from tws_tui.core.model import ConnectionState, PresenceState

SIZE = (110, 32)


async def settle(pilot: Any, rounds: int = 4) -> None:
    for _ in range(rounds):
        await pilot.pause()


async def talking_with(console: Any, pilot: Any, caller: Any = ACME) -> None:
    console.ring(caller)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert states(console) == {caller.name: ConnectionState.CONNECTED}


async def test_enter_in_the_presence_chooser_chooses_and_f12_answers_there() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+p")
        await settle(pilot)
        assert isinstance(console.app.screen, PresencePicker)
        console.ring(ACME)
        await settle(pilot)
        await pilot.press("down", "enter")  # Away, not "answer"
        await settle(pilot)
        me = console.app.state.me
        assert me is not None and me.presence is PresenceState.AWAY
        assert states(console) == {ACME.name: ConnectionState.ALERTING}
        await pilot.press("alt+p")
        await settle(pilot)
        assert isinstance(console.app.screen, PresencePicker)
        await pilot.press("f12")  # answers whatever has the focus
        await settle(pilot)
        assert states(console) == {ACME.name: ConnectionState.CONNECTED}


async def test_enter_in_the_participant_chooser_drops_one_while_a_call_rings() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await talking_with(console, pilot)
        colleague = idle_colleagues(console)[0]
        await pilot.press("f2", *colleague.extension, "f5")
        await settle(pilot)
        answer_at(console, colleague.extension)
        await settle(pilot)
        await pilot.press("f6", "alt+x")
        await settle(pilot)
        assert isinstance(console.app.screen, ChoiceScreen)
        console.ring(DUPONT)
        await settle(pilot)
        await pilot.press("enter")  # the first participant listed: the caller
        await settle(pilot)
        assert states(console) == {
            colleague.name: ConnectionState.CONNECTED,
            DUPONT.name: ConnectionState.ALERTING,
        }


async def test_enter_on_the_parked_list_retrieves_while_a_call_rings() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await talking_with(console, pilot)
        await pilot.press("f9", "alt+2")
        await settle(pilot)
        console.ring(DUPONT)
        await settle(pilot)
        console.app.screen.query_one("#parked").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert states(console) == {
            ACME.name: ConnectionState.CONNECTED,
            DUPONT.name: ConnectionState.ALERTING,
        }


async def test_enter_on_the_waiting_list_takes_the_waiting_caller_not_the_ringing_one() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        console.backend.switch.inject_incoming_call("3900", ACME)
        await pilot.press("alt+3")
        await settle(pilot)
        await pilot.pause(0.3)
        assert console.app.screen.query_one("#waiting", RowList).row_keys()
        console.ring(DUPONT)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert states(console) == {
            ACME.name: ConnectionState.CONNECTED,
            DUPONT.name: ConnectionState.ALERTING,
        }


async def test_enter_in_the_day_night_chooser_chooses_while_a_call_rings() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+3")
        await settle(pilot)
        console.app.screen.query_one("#flows", RowList).focus()
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(console.app.screen, ChoiceScreen)
        console.ring(ACME)
        await settle(pilot)
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert isinstance(console.app.screen, ConfirmScreen)
        assert states(console) == {ACME.name: ConnectionState.ALERTING}


async def test_enter_still_answers_where_it_means_nothing_else_and_the_banner_says_f12() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        console.ring(ACME)
        await settle(pilot)
        text = console.app.screen.query_one(RingingBanner).render().plain
        assert "[Enter/F12] Answer" in text
        await pilot.press("enter")
        await settle(pilot)
        assert states(console) == {ACME.name: ConnectionState.CONNECTED}
