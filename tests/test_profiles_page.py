"""The Profiles page of Preferences (issue 17; TWS §6.10, TWP §5.1), by keyboard on the
simulator: a rule added through its form (each refusal said in the form, nothing kept), the
winner and why shown per rule and for a caller typed, a rule switched off, a profile added,
renamed and deleted (the default one cannot be), and activation from the list."""

from __future__ import annotations

from typing import Any

from helpers import build_console, settle
from textual.widgets import Button, Input, OptionList, Select, Static, Switch

from tws_tui.console.screens.profiles.page import ProfilesScreen
from tws_tui.console.screens.profiles.profile_form import ProfileForm
from tws_tui.console.screens.profiles.rule_form import RuleForm
from tws_tui.console.widgets.day_toggles import DayToggles
from tws_tui.console.widgets.rule_table import RuleTable
from tws_tui.core.model import Forward, ForwardKind, PresenceState
from tws_tui.settings.profiles_file import load_profiles, profiles_file

SIZE = (80, 24)


async def open_page(console: Any, pilot: Any) -> ProfilesScreen:
    await pilot.press("alt+6")
    await settle(pilot)
    button = console.app.screen.query_one("#pref-profiles", Button)
    button.focus()
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(console.app.screen, ProfilesScreen)
    return console.app.screen


async def press(console: Any, pilot: Any, button_id: str) -> None:
    console.app.screen.query_one(button_id, Button).press()
    await settle(pilot)


async def fill(pilot: Any, form: Any, **values: str) -> None:
    for field, value in values.items():
        form.query_one(f"#{field.replace('_', '-')}", Input).value = value
    await settle(pilot)


def error_of(form: Any) -> str:
    return str(form.query_one("#form-error", Static).render())


def rules_shown(page: ProfilesScreen) -> str:
    """Each row of the rule table ("1 | ☑ | Lunch | …") and, under it, the detail line the
    page shows when that row is highlighted (its whole sentence, filters and why)."""
    table = page.query_one("#rule-list", RuleTable)
    at = table.cursor_row
    lines = []
    for row in range(table.row_count):
        table.move_cursor(row=row, animate=False)
        page.show_rule_detail()
        cells = " | ".join(cell.plain for cell in table.get_row_at(row))
        lines.append(cells + "\n" + str(page.query_one("#rule-detail", Static).render()))
    table.move_cursor(row=at, animate=False)
    page.show_rule_detail()
    return "\n".join(lines)


async def test_a_rule_is_added_refused_and_explained_by_keyboard() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        page = await open_page(console, pilot)
        listing = page.query_one("#profile-list", OptionList)
        listing.focus()
        await pilot.press("down", "down")  # Away
        await settle(pilot)
        assert page.selected().key == "away"
        await press(console, pilot, "#r-add")
        form = console.app.screen
        assert isinstance(form, RuleForm)
        await fill(pilot, form, r_name="Lunch", r_to="100")
        await press(console, pilot, "#form-save")
        assert "own number 100" in error_of(form) and console.app.screen is form
        await fill(pilot, form, r_to="5020", r_start="14:00", r_end="14:00")
        await press(console, pilot, "#form-save")
        assert "same time" in error_of(form)
        await fill(
            pilot, form, r_start="12:00", r_end="14:00", r_since="01/08/2026", r_until="01/07/2026"
        )
        await press(console, pilot, "#form-save")
        assert "ends before it starts" in error_of(form)
        await fill(pilot, form, r_since="", r_until="", r_to="50ab")
        await press(console, pilot, "#form-save")
        assert "contains letters" in error_of(form)
        await fill(pilot, form, r_to="5020")
        form.query_one("#r-presence", Select).value = PresenceState.AWAY.value
        await pilot.press("enter")  # Enter in a field saves
        await settle(pilot)
        assert console.app.screen is page
        assert "NOT ACTIVE" in rules_shown(page)  # a new rule is off (TWS-6.10.6.1-15)
        await press(console, pilot, "#r-toggle")  # switched on by hand (TWS-6.10.6.3-1)
        shown = rules_shown(page)
        assert "Lunch" in shown and "PENDING" in shown and "12:00–14:00" in shown
        # A second rule overlapping the first is kept and said: the first in order wins
        await press(console, pilot, "#r-add")
        form = console.app.screen
        await fill(pilot, form, r_name="Noon", r_to="5021", r_start="13:00", r_end="15:00")
        form.query_one("#r-enabled", Switch).value = True
        await press(console, pilot, "#form-save")
        assert console.app.screen is page
        shown = [n.message for n in console.app._notifications]
        assert any("'Noon' overlaps 'Lunch'" in m and "'Lunch' wins" in m for m in shown), shown
        book, _problem = load_profiles(profiles_file())
        away = next(p for p in book.profiles if p.key == "away")
        assert [r.name for r in away.rules] == ["Lunch", "Noon"]
        assert away.rules[0].hours is not None and away.rules[0].destination == "5020"
        # Which rule wins for a caller: at 09:00 none; the status says why
        page.query_one("#caller-test", Input).value = "0612345678"
        await settle(pilot)
        assert "No rule forwards a call from 0612345678 now" in str(
            page.query_one("#verdict", Static).render()
        )
        # Switched off: NOT ACTIVE
        await press(console, pilot, "#r-toggle")
        assert "NOT ACTIVE" in rules_shown(page)


async def test_a_rule_that_wins_says_so_and_activation_applies_it() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        page = await open_page(console, pilot)
        await press(console, pilot, "#r-add")  # on Office
        form = console.app.screen
        await fill(pilot, form, r_name="Morning", r_to="5020", r_start="08:00", r_end="12:00")
        form.query_one("#r-enabled", Switch).value = True
        await press(console, pilot, "#form-save")
        assert "wins: rule 1, the first in order" in rules_shown(page)
        forward = console.app.state.me.forwards[ForwardKind.UNCONDITIONAL]
        assert forward == Forward(True, "5020", None)  # the active profile's rule applies now
        page.query_one("#caller-test", Input).value = "0612345678"
        await settle(pilot)
        assert "now: Always → 5020 (Morning)" in str(page.query_one("#verdict", Static).render())


async def test_profiles_are_added_renamed_activated_and_deleted() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        page = await open_page(console, pilot)
        await press(console, pilot, "#p-delete")  # Office: the default one
        assert isinstance(console.app.screen, ProfilesScreen)
        assert any("cannot be deleted" in n.message for n in console.app._notifications)
        await press(console, pilot, "#p-add")
        form = console.app.screen
        assert isinstance(form, ProfileForm)
        await fill(pilot, form, p_name="meeting")  # taken (any case)
        await press(console, pilot, "#form-save")
        assert "already used" in error_of(form)
        await fill(pilot, form, p_name="Télétravail", p_note="At home", p_start="9", p_end="")
        await press(console, pilot, "#form-save")
        assert "both hours" in error_of(form)
        form.query_one("#p-days", DayToggles).value = frozenset({0, 1})  # Monday, Tuesday
        await fill(pilot, form, p_end="17:00")
        await press(console, pilot, "#form-save")
        rule_form = console.app.screen  # a profile is kept with its first rule (TWS-6.10.1-5)
        assert isinstance(rule_form, RuleForm)
        await fill(pilot, rule_form, r_name="Home", r_to="0612345678")
        await press(console, pilot, "#form-save")
        assert console.app.screen is page
        assert "Home" in rules_shown(page)
        assert page.selected().name == "Télétravail"
        assert "Mon Tue 09:00–17:00" in str(page.query_one("#profile-info", Static).render())
        page.query_one("#profile-list", OptionList).focus()
        await pilot.press("enter")  # activate the highlighted profile
        await settle(pilot)
        assert console.app.state.me.presence_note == "At home"
        assert load_profiles(profiles_file())[0].current().name == "Télétravail"
        await press(console, pilot, "#p-delete")
        await pilot.press("y")
        await settle(pilot)
        book = load_profiles(profiles_file())[0]
        assert [p.key for p in book.profiles] == ["office", "meeting", "away", "night"]
        assert book.active == "office"  # the deleted profile was active: the default is


async def test_the_page_and_the_rule_form_work_by_keyboard_alone_at_80x24() -> None:
    """Tab reaches every button; Enter opens the form; Tab goes field to field; Enter saves."""
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        page = await open_page(console, pilot)
        reached = []
        for _ in range(16):
            await pilot.press("tab")
            focused = console.app.focused
            reached.append(focused.id if focused is not None else None)
            if reached[-1] == "r-add":
                break
        assert reached[-1] == "r-add", reached
        await pilot.press("enter")
        await settle(pilot)
        form = console.app.screen
        assert isinstance(form, RuleForm)
        await pilot.press(*"Lunch")
        for _ in range(4):  # name → on/off → kind → forward to (Other number) → its number
            await pilot.press("tab")
        assert console.app.focused is not None and console.app.focused.id == "r-to"
        await pilot.press(*"5020", "enter")
        await settle(pilot)
        assert console.app.screen is page
        assert "Lunch" in rules_shown(page) and "5020" in rules_shown(page)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(console.app.screen, ProfilesScreen)
