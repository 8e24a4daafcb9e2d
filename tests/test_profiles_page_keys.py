"""The Profiles page's own keys and words (TWS-6.10.5-1/-2, -6.10.6.3-1/-3, -6.10.6.4-1,
-6.10.6.5-1; TWP-5.1.1-1, -5.1.5-1) on the simulator: Space and a click on the box switch the
highlighted rule on and off, saying the status it gets; Delete deletes the rule or the profile
focused, the Yes/No question saying what goes with it; a click on the status bar's profile
opens the profile picker."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from helpers import build_console, settle
from test_profiles_page import open_page, press
from textual.widgets import Button, Label, OptionList, Switch, TabbedContent

from tws_tui.console.screens.modals.confirm import ConfirmScreen
from tws_tui.console.screens.modals.presence import PresencePicker
from tws_tui.console.screens.modals.profile_picker import ProfilePicker
from tws_tui.console.screens.profiles.page import ProfilesScreen
from tws_tui.console.screens.profiles.rule_form import RuleForm
from tws_tui.console.widgets.day_toggles import DayToggles
from tws_tui.console.widgets.rule_table import RuleTable
from tws_tui.console.widgets.status_bar import StatusBar
from tws_tui.core.model import ForwardKind
from tws_tui.domain.profiles import Rule
from tws_tui.settings.profiles_file import load_profiles, profiles_file

SIZE = (80, 24)
#: TWP-5.1.4-4's days: Monday, Tuesday, Wednesday and Friday (0 = Monday).
WORKED = frozenset({0, 1, 2, 4})


async def with_rules(console: Any, pilot: Any) -> ProfilesScreen:
    """The page on a book whose Office holds Morning (→ 5020) and Lunch (→ 5021, on
    :data:`WORKED` days), both off, and Meeting one rule (Away → voicemail), Meeting active."""
    page = await open_page(console, pilot)
    book = page.book
    rules = {
        "office": (
            Rule("Morning", "5020", enabled=False),
            Rule("Lunch", "5021", enabled=False, days=WORKED),
        ),
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
            "Delete the profile Meeting and its 1 rule? It is the active profile: Office, the "
            "default profile, becomes active."
        )
        await pilot.press("y")
        await settle(pilot)
        book = load_profiles(profiles_file())[0]
        assert book.active == "office" and "meeting" not in [p.key for p in book.profiles]


async def test_a_click_on_the_box_switches_the_rule_and_the_form_ticks_its_days() -> None:
    """The box: on/off, not the form; Enter: the form, the rule's days as seven boxes
    (TWS-6.10.6.1-9), Thursday ticked by Tab and Space and kept."""
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
        # the manual clock's day is none of them: on, but waiting (TWS-6.10.6.3-3)
        assert "Lunch switched on: PENDING — waits: not Mon Tue Wed Fri." in notices(console)
        table.focus()
        await pilot.press("enter")  # edits Lunch
        await settle(pilot)
        form = console.app.screen
        assert isinstance(form, RuleForm)
        tabs = form.query_one("#r-tabs", TabbedContent)  # TWS-6.10.6.1-1: two tabs
        assert [str(tabs.get_tab(pane).label) for pane in ("r-general", "r-filters")] == [
            "General information",
            "Filters",
        ]
        assert tabs.active == "r-general"
        await pilot.press("shift+tab", "shift+tab", "right")  # the scroll, the tab names; Filters
        await settle(pilot)
        assert tabs.active == "r-filters", console.app.focused
        await pilot.press("left")
        await settle(pilot)
        assert tabs.active == "r-general"
        days = form.query_one("#r-days", DayToggles)
        assert days.value == WORKED
        assert [lbl.render().plain for lbl in days.query(Label)] == list("MTWTFSS")
        form.query_one("#r-days-2", Switch).focus()  # Wednesday
        await pilot.press("tab", "space")  # Thursday
        form.query_one("#r-included .f-add", Button).focus()  # a filter: its tab shows
        await settle(pilot)
        assert tabs.active == "r-filters"
        await press(console, pilot, "#form-save")
        assert console.app.screen is page
        assert page.selected().rules[1].days == WORKED | {3}
        outcome = page.tws.profiles.verdict(page.selected()).outcomes[1]
        assert outcome.why == "waits: not Mon Tue Wed Thu Fri"  # the manual clock's weekend


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
