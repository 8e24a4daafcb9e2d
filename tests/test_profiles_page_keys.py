"""The Profiles page's own keys and words (TWS-6.10.5-1/-2, -6.10.6.3-1/-3, -6.10.6.4-1,
-6.10.6.5-1; TWP-5.1.1-1, -5.1.5-1) on the simulator: Space and a click on the box switch the
highlighted rule on and off, saying the status it gets; Delete deletes the rule or the profile
focused, the Yes/No question saying what goes with it; a click on the status bar's profile
opens the profile picker."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from helpers import build_console, settle
from test_profiles_page import open_page
from textual.widgets import OptionList

from tws_tui.console.screens.modals.confirm import ConfirmScreen
from tws_tui.console.screens.modals.presence import PresencePicker
from tws_tui.console.screens.modals.profile_picker import ProfilePicker
from tws_tui.console.screens.profiles.page import ProfilesScreen
from tws_tui.console.widgets.rule_table import RuleTable
from tws_tui.console.widgets.status_bar import StatusBar
from tws_tui.core.model import ForwardKind
from tws_tui.domain.profiles import Rule
from tws_tui.settings.profiles_file import load_profiles, profiles_file

SIZE = (80, 24)


async def with_rules(console: Any, pilot: Any) -> ProfilesScreen:
    """The page on a book whose Office holds Morning (→ 5020) and Lunch (→ 5021), both off,
    and Meeting one rule (Away → voicemail), Meeting active."""
    page = await open_page(console, pilot)
    book = page.book
    rules = {
        "office": (Rule("Morning", "5020", enabled=False), Rule("Lunch", "5021", enabled=False)),
        "meeting": (Rule("Away", "5022", enabled=False),),
    }
    profiles = tuple(replace(p, rules=rules.get(p.key, p.rules)) for p in book.profiles)
    assert page.tws.profiles.save(replace(book, profiles=profiles))
    page.show("office", 0)
    await settle(pilot)
    return page


def notices(console: Any) -> list[str]:
    return [n.message for n in console.app._notifications]


async def test_space_switches_the_rule_and_says_its_status_delete_asks_what_goes() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        page = await with_rules(console, pilot)
        page.query_one("#rule-list", RuleTable).focus()
        await pilot.press("space")
        await settle(pilot)
        assert page.selected().rules[0].enabled
        assert any(
            m.startswith("Morning switched on: ACTIVE (wins) — wins: rule 1")
            for m in notices(console)
        ), notices(console)
        assert console.app.state.me is not None
        assert console.app.state.me.forwards[ForwardKind.UNCONDITIONAL].destination == "5020"
        await pilot.press("delete")
        await settle(pilot)
        confirm = console.app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert confirm.question == (
            "Delete the rule Morning? It forwards calls now (Always → 5020): that forward stops."
        )
        await pilot.press("n")  # No: nothing changes
        await settle(pilot)
        assert [r.name for r in page.selected().rules] == ["Morning", "Lunch"]
        await pilot.press("space")  # off again: kept, NOT ACTIVE
        await settle(pilot)
        assert "Morning switched off: NOT ACTIVE, kept as it is." in notices(console)
        assert not page.selected().rules[0].enabled
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(console.app.screen, ConfirmScreen)
        assert console.app.screen.question == (
            "Delete the rule Morning? It is switched off: deleting it loses its settings."
        )
        await pilot.press("y")
        await settle(pilot)
        assert [r.name for r in load_profiles(profiles_file())[0].profiles[0].rules] == ["Lunch"]


async def test_delete_on_the_profile_list_says_which_profile_becomes_active() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        page = await with_rules(console, pilot)
        page.tws.profiles.activate("meeting")
        page.show("meeting")
        listing = page.query_one("#profile-list", OptionList)
        listing.focus()
        await settle(pilot)
        await pilot.press("delete")
        await settle(pilot)
        confirm = console.app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert confirm.question == (
            "Delete the profile Meeting and its rule? It is the active profile: Office, the "
            "default profile, becomes active."
        )
        await pilot.press("y")
        await settle(pilot)
        book = load_profiles(profiles_file())[0]
        assert book.active == "office" and "meeting" not in [p.key for p in book.profiles]


async def test_a_click_on_the_box_switches_the_rule_and_elsewhere_edits_it() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        page = await with_rules(console, pilot)
        table = page.query_one("#rule-list", RuleTable)
        box_x = 1 + 1 + 2  # "#" (a cell, padded either side), then the box's left padding
        await pilot.click(RuleTable, offset=(box_x, 2))  # row 2: Lunch
        await settle(pilot)
        assert isinstance(console.app.screen, ProfilesScreen)  # not the rule form
        assert [r.enabled for r in page.selected().rules] == [False, True]
        assert table.cursor_row == 1
        assert "Lunch switched on: ACTIVE (wins)" in " ".join(notices(console))


async def test_a_click_on_the_status_bars_profile_opens_the_profile_picker() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        bar = console.app.query_one(StatusBar)
        line = bar.render().plain
        at = line.index("◆")
        await pilot.click(StatusBar, offset=(at + 2, 0))
        await settle(pilot)
        assert isinstance(console.app.screen, ProfilePicker)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.click(StatusBar, offset=(2, 0))  # my name: the presence picker, as before
        await settle(pilot)
        assert isinstance(console.app.screen, PresencePicker)
