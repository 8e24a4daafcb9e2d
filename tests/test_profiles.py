"""Profiles in the console (issue 17; TWS §1.7, §6.10; TWP §5.1), on the simulator and the
frozen clock: the picker switches in two keys from anywhere (its digit or first letter, in
either language), applying a profile sets my presence and the forwards its rules want through
the backend, the status bar names the active profile (the default one too), the schedule switches
profile when its hours start, a forward set by hand is left alone, and a phone system without
profiles says so."""

from __future__ import annotations

from dataclasses import replace
from datetime import time
from typing import Any

from helpers import ACME, DUPONT, build_console, local_store, settle, until

from tws_tui.console.screens.modals.profile_picker import ProfilePicker
from tws_tui.console.widgets.status_bar import StatusBar
from tws_tui.core.model import Capability, Contact, Forward, ForwardKind, PresenceState
from tws_tui.domain.profiles import Origin, Profile, Rule, Schedule
from tws_tui.platform.i18n import set_language
from tws_tui.settings.profiles_file import ProfileBook, load_profiles, profiles_file, save_profiles

SIZE = (100, 30)


def bar(console: Any) -> str:
    return console.app.screen.query_one(StatusBar).render().plain


def me(console: Any) -> Any:
    return console.app.state.me


async def test_two_keys_switch_profile_from_anywhere_and_the_bar_names_it() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "◆ Office" in bar(console)  # the default profile is named too (TWS-6.10-2)
        await pilot.press("alt+3")  # another screen: the key works from anywhere
        await settle(pilot)
        await pilot.press("alt+u")
        await settle(pilot)
        picker = console.app.screen
        assert isinstance(picker, ProfilePicker)
        await pilot.press("2")  # Meeting
        await settle(pilot)
        assert not isinstance(console.app.screen, ProfilePicker)
        assert me(console).presence is PresenceState.BUSY
        assert "◆ Meeting" in bar(console)
        await pilot.press("alt+u", "n")  # Night, by its first letter
        await settle(pilot)
        assert me(console).presence is PresenceState.OFFLINE
        assert "◆ Night" in bar(console)
        await pilot.press("alt+u", "escape")  # Esc changes nothing
        await settle(pilot)
        assert "◆ Night" in bar(console)
    book, problem = load_profiles(profiles_file())
    assert problem is None and book.active == "night"


async def test_in_french_the_first_letter_of_the_french_name_picks() -> None:
    set_language("fr")
    try:
        console = build_console()
        async with console.app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("alt+u", "r")  # Réunion
            await settle(pilot)
            assert me(console).presence is PresenceState.BUSY
            assert "◆ Réunion" in bar(console)
    finally:
        set_language("en")


def book_with(*profiles: Profile, active: str = "office") -> ProfileBook:
    book = ProfileBook(profiles or ProfileBook().profiles, active)
    save_profiles(profiles_file(), book)
    return book


async def test_a_profile_applies_its_winning_rules_and_takes_them_back() -> None:
    """Away forwards to 5020 while Away; back to Office, the forward is taken back."""
    office, meeting, away, night = ProfileBook().profiles
    away = replace(
        away, note="Back at 2", rules=(Rule("Desk", "5020", presence=PresenceState.AWAY),)
    )
    book_with(office, meeting, away, night)
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not me(console).forwards.get(ForwardKind.UNCONDITIONAL, Forward(False)).enabled
        await pilot.press("alt+u", "3")
        await settle(pilot)
        assert me(console).presence is PresenceState.AWAY
        assert me(console).presence_note == "Back at 2"
        assert me(console).forwards[ForwardKind.UNCONDITIONAL] == Forward(True, "5020", None)
        assert "5020" in bar(console)
        await pilot.press("alt+u", "1")
        await settle(pilot)
        assert me(console).presence is PresenceState.AVAILABLE
        assert not me(console).forwards[ForwardKind.UNCONDITIONAL].enabled


async def test_a_forward_set_by_hand_is_left_alone() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await console.backend.set_forward(ForwardKind.BUSY, Forward(True, "3990"))
        await settle(pilot)
        await pilot.press("alt+u", "2")
        await settle(pilot)
        assert me(console).forwards[ForwardKind.BUSY] == Forward(True, "3990", None)


async def test_the_schedule_switches_profile_on_the_frozen_clock() -> None:
    """The clock starts at 09:00: Office's hours hold; at 18:00 Night's start and it becomes
    active by itself (presence offline, its rule on); Office picked by hand at 18:30 stays
    until the next schedule starts."""
    office, meeting, away, night = ProfileBook().profiles
    office = replace(office, schedule=Schedule(frozenset(), time(8), time(18)))
    night = replace(
        night, schedule=Schedule(frozenset(), time(18), time(8)), rules=(Rule("Night", "3990"),)
    )
    book_with(office, meeting, away, night)
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert me(console).presence is PresenceState.AVAILABLE
        console.clock.advance(9 * 3600)  # 18:00
        await settle(pilot)
        assert me(console).presence is PresenceState.OFFLINE
        assert me(console).forwards[ForwardKind.UNCONDITIONAL] == Forward(True, "3990", None)
        assert "◆ Night" in bar(console)
        await pilot.press("alt+u", "1")
        await settle(pilot)
        console.clock.advance(1800)
        await settle(pilot)
        assert "◆ Office" in bar(console) and me(console).presence is PresenceState.AVAILABLE
        assert not me(console).forwards[ForwardKind.UNCONDITIONAL].enabled


async def test_a_rule_on_hours_turns_on_and_off_with_the_clock() -> None:
    office = replace(
        ProfileBook().profiles[0], rules=(Rule("Lunch", "5020", hours=(time(12), time(14))),)
    )
    book_with(office, *ProfileBook().profiles[1:])
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not me(console).forwards.get(ForwardKind.UNCONDITIONAL, Forward(False)).enabled
        console.clock.advance(3 * 3600)  # 12:00
        await settle(pilot)
        assert me(console).forwards[ForwardKind.UNCONDITIONAL] == Forward(True, "5020", None)
        console.clock.advance(2 * 3600)  # 14:00
        await settle(pilot)
        assert not me(console).forwards[ForwardKind.UNCONDITIONAL].enabled


async def test_a_broken_profiles_file_is_said_and_the_defaults_are_used() -> None:
    profiles_file().parent.mkdir(parents=True, exist_ok=True)
    profiles_file().write_text("{not json")
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = [n.message for n in console.app._notifications]
        assert any("the default ones are used" in m for m in shown), shown
        await pilot.press("alt+u", "2")
        await settle(pilot)
        assert me(console).presence is PresenceState.BUSY


async def test_without_profiles_the_key_says_so() -> None:
    console = build_console(capabilities=[c for c in Capability if c is not Capability.PROFILES])
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+u")
        await settle(pilot)
        assert not isinstance(console.app.screen, ProfilePicker)
        shown = [n.message for n in console.app._notifications]
        assert any("does not let the console switch profiles" in m for m in shown)


async def test_a_rule_on_the_caller_deflects_the_ringing_call() -> None:
    """Immediately for 06 mobiles (+336…); an external caller after 10 s without answer; an
    internal-only rule leaves an outside caller ringing."""
    rules = (
        Rule("Mobiles", "104", numbers=("336*",)),
        Rule("Outside", "214", kind=ForwardKind.NO_ANSWER, ring_time_s=10, origin=Origin.EXTERNAL),
    )
    office = replace(ProfileBook().profiles[0], rules=rules)
    book_with(office, *ProfileBook().profiles[1:])
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not me(console).forwards.get(ForwardKind.UNCONDITIONAL, Forward(False)).enabled
        console.ring(DUPONT)
        await settle(pilot)
        assert not console.app.state.ringing_calls()
        shown = [n.message for n in console.app._notifications]
        assert any("forwarded to 104 by the rule 'Mobiles'" in m for m in shown), shown
        console.ring(ACME)
        await settle(pilot)
        assert len(console.app.state.ringing_calls()) == 1
        console.clock.advance(9)
        await settle(pilot)
        assert len(console.app.state.ringing_calls()) == 1
        console.clock.advance(1)
        await settle(pilot)
        assert not console.app.state.ringing_calls()
        shown = [n.message for n in console.app._notifications]
        assert any("by the rule 'Outside'" in m for m in shown), shown


async def test_a_rule_on_a_contact_list_deflects_only_its_callers() -> None:
    """TWP-5.1.4-4's filter: only the callers of the list VIP (a home-screen list)."""
    office = replace(ProfileBook().profiles[0], rules=(Rule("VIP", "214", contact_list="VIP"),))
    book_with(office, *ProfileBook().profiles[1:])
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        store = local_store(console)
        card = store.add(Contact("", "public", "Jeanne Dupont", (("", DUPONT.number or ""),)))
        vip = store.create_list("VIP", visible=True)
        store.add_to_list(vip.id, card.source, card.id)
        console.app.lists.refresh()
        await until(pilot, lambda: bool(console.app.lists.home_lists), "the VIP list loaded")
        console.ring(ACME)
        await settle(pilot)
        assert len(console.app.state.ringing_calls()) == 1  # not in the list: rings
        console.ring(DUPONT)
        await settle(pilot)
        assert len(console.app.state.ringing_calls()) == 1  # the VIP one went to 214
        assert console.app.state.ringing_calls()[0].remote.number == ACME.number


def test_a_name_is_alphanumeric_with_spaces_and_a_little_punctuation() -> None:
    """TWS-6.10.6.1-2: at most 40 alphanumeric characters; the manual's own examples have
    spaces and accents ("Jour férié")."""
    from tws_tui.domain.profiles import check_name

    assert check_name("  Jour   férié ") == "Jour férié"
    assert check_name("Nuit / week-end (l'été)") == "Nuit / week-end (l'été)"
    assert check_name("会議 2") == "会議 2"
    for bad, shown in (
        ("[bold]Nuit", "'['"),
        ("Nuit\x1b[2J", "'\\x1b'"),
        ("Soir 🌙", "'\\U0001f319'"),
    ):
        try:
            check_name(bad)
        except ValueError as refusal:
            assert f"not {shown}" in str(refusal), str(refusal)
        else:
            raise AssertionError(f"{bad!r} was taken")
