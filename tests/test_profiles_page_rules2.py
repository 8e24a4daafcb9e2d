"""The Profiles page and the profiles controller after the TWS §6.10 audit (issue 17), on the
simulator by keyboard: Shift+↑ moves a rule and the forward that wins follows the order; a
new profile needs its first rule and is not activated; a profile's last rule is kept; a
rule to the profile's current extension; a rule on a state of my own, on my calendar's
meeting, and one that excludes callers, each carried out on the simulated line."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from helpers import (
    ACME,
    DUPONT,
    build_console,
    idle_colleagues,
    line_of,
    screen_text,
    settle,
    until,
)
from test_calendar_presence import STANDUP, ics
from test_profiles_page import error_of, fill, open_page, press, rules_shown
from textual.widgets import Input, OptionList, Select, Switch

from tws_tui.console.screens.modals.alerter import AlerterScreen
from tws_tui.console.screens.modals.help import HelpScreen
from tws_tui.console.screens.profiles.page import ProfilesScreen
from tws_tui.console.screens.profiles.profile_form import ProfileForm
from tws_tui.console.screens.profiles.rule_form import RuleForm
from tws_tui.console.widgets.rule_table import RuleTable
from tws_tui.core.model import Forward, ForwardKind, PresenceState
from tws_tui.domain.custom_presence import CustomPresence
from tws_tui.domain.keymap import ACTIONS_BY_ID
from tws_tui.domain.profiles import CURRENT_EXTENSION, Rule
from tws_tui.settings.profiles_file import ProfileBook, load_profiles, profiles_file, save_profiles
from tws_tui.settings.schema import AlertSettings, ContactSettings

SIZE = (80, 24)


def me(console: Any) -> Any:
    return console.app.state.me


def unconditional(console: Any) -> Forward:
    forward: Forward = me(console).forwards.get(ForwardKind.UNCONDITIONAL, Forward(False))
    return forward


def office_with(*rules: Rule, **book: Any) -> None:
    office, *others = ProfileBook().profiles
    save_profiles(profiles_file(), ProfileBook((replace(office, rules=rules), *others), **book))


async def test_shift_up_moves_a_rule_and_the_forward_follows_the_order() -> None:
    office_with(Rule("Wide", "5020"), Rule("Narrow", "5021", presence=PresenceState.AVAILABLE))
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert unconditional(console) == Forward(True, "5020", None)
        page = await open_page(console, pilot)
        assert "Shift+↑" in str(page.query_one("#profile-info").render())  # the keys named
        rules = page.query_one("#rule-list", RuleTable)
        rules.focus()
        await pilot.press("down")  # Narrow
        await settle(pilot)
        assert "'Wide' comes first (rule 1)" in rules_shown(page)
        await pilot.press("shift+up")
        await settle(pilot)
        shown = rules_shown(page)
        assert shown.index("1 | ☑ | Narrow") < shown.index("2 | ☑ | Wide"), shown
        assert "wins: rule 1" in shown and "'Narrow' comes first (rule 1)" in shown
        assert rules.cursor_row == 0  # the moved rule stays under the cursor
        await until(pilot, lambda: unconditional(console) == Forward(True, "5021", None), "5021")
        assert [r.name for r in load_profiles(profiles_file())[0].current().rules] == [
            "Narrow",
            "Wide",
        ]
        await pilot.press("shift+down")
        await settle(pilot)
        await until(pilot, lambda: unconditional(console) == Forward(True, "5020", None), "back")
    assert {"profiles.rule_up", "profiles.rule_down"} <= set(ACTIONS_BY_ID)
    assert ACTIONS_BY_ID["profiles.rule_up"].scope == ProfilesScreen.MODE


async def test_a_new_profile_needs_its_first_rule_and_is_not_activated() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        page = await open_page(console, pilot)
        await press(console, pilot, "#p-add")
        form = console.app.screen
        assert isinstance(form, ProfileForm)
        await fill(pilot, form, p_name="Télétravail")
        await press(console, pilot, "#form-save")
        assert isinstance(console.app.screen, RuleForm)
        await pilot.press("escape")  # no first rule: no profile
        await settle(pilot)
        assert console.app.screen is page
        said = [n.message for n in console.app._notifications]
        assert any(
            "needs at least one forwarding rule: Télétravail was not added" in m for m in said
        )
        assert [p.key for p in page.book.profiles] == ["office", "meeting", "away", "night"]
        await press(console, pilot, "#p-add")
        await fill(pilot, console.app.screen, p_name="Télétravail")
        await press(console, pilot, "#form-save")
        rule_form = console.app.screen
        assert isinstance(rule_form, RuleForm)
        assert rule_form.query_one("#r-enabled", Switch).value is False  # off until switched on
        await fill(pilot, rule_form, r_name="Home", r_to="0612345678")
        await press(console, pilot, "#form-save")
        book = load_profiles(profiles_file())[0]
        added = book.profiles[-1]
        assert added.name == "Télétravail" and [r.name for r in added.rules] == ["Home"]
        assert not added.rules[0].enabled
        assert book.active == "office"  # a new profile is inactive (TWS-6.10.1-6)
        assert "NOT ACTIVE" in rules_shown(page)
        # Its only rule cannot be deleted; nothing is asked, nothing changes
        await press(console, pilot, "#r-delete")
        assert console.app.screen is page
        said = [n.message for n in console.app._notifications]
        assert any("keeps at least one forwarding rule" in m for m in said), said
        assert [r.name for r in load_profiles(profiles_file())[0].profiles[-1].rules] == ["Home"]


async def test_a_rule_to_the_current_extension_forwards_to_the_profiles_phone() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        page = await open_page(console, pilot)
        page.query_one("#profile-list", OptionList).highlighted = 1  # Meeting
        await settle(pilot)
        await press(console, pilot, "#r-add")
        form = console.app.screen
        await fill(pilot, form, r_name="Room")
        form.query_one("#r-target", Select).value = "current"
        form.query_one("#r-enabled", Switch).value = True
        await press(console, pilot, "#form-save")
        assert "no current extension" in error_of(form)  # said in the form, nothing kept
        await pilot.press("escape")
        await settle(pilot)
        await press(console, pilot, "#p-edit")
        form = console.app.screen
        assert isinstance(form, ProfileForm)
        await fill(pilot, form, p_ext_new="100")
        await press(console, pilot, "#p-ext-add")
        assert "my own extension" in error_of(form)
        await fill(pilot, form, p_ext_new="2004")
        await press(console, pilot, "#p-ext-add")  # added to the list and chosen
        await press(console, pilot, "#form-save")
        assert console.app.screen is page
        await press(console, pilot, "#r-add")
        form = console.app.screen
        await fill(pilot, form, r_name="Room")
        form.query_one("#r-target", Select).value = "current"
        form.query_one("#r-enabled", Switch).value = True
        await press(console, pilot, "#form-save")
        assert console.app.screen is page
        assert "to current extension 2004" in rules_shown(page)
        meeting = load_profiles(profiles_file())[0].profiles[1]
        assert meeting.extension == "2004" and meeting.rules[0].destination == CURRENT_EXTENSION
        await press(console, pilot, "#p-activate")
        await until(pilot, lambda: unconditional(console) == Forward(True, "2004", None), "2004")
        # The extension cannot be taken away while a rule forwards to it
        await press(console, pilot, "#p-edit")
        form = console.app.screen
        form.query_one("#p-extension", Select).value = "own"
        await press(console, pilot, "#form-save")
        assert "give the profile a current extension first" in error_of(form)


async def test_a_rule_on_a_state_of_my_own_follows_my_presence() -> None:
    office_with(
        Rule("Training", "5020", presence_label="Formation"),
        presence_states=(CustomPresence("Formation", PresenceState.BUSY),),
    )
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not unconditional(console).enabled
        await console.backend.set_presence(PresenceState.BUSY, None, label="Formation")
        await until(pilot, lambda: unconditional(console) == Forward(True, "5020", None), "on")
        await console.backend.set_presence(PresenceState.BUSY, None)  # plain Busy: not it
        await until(pilot, lambda: not unconditional(console).enabled, "taken back")
        page = await open_page(console, pilot)
        await press(console, pilot, "#r-edit")
        form = console.app.screen
        assert isinstance(form, RuleForm)
        select = form.query_one("#r-presence", Select)
        assert select.value == "own:Formation"
        offered = [str(prompt) for prompt, _value in select._options]
        assert "Formation" in offered and "in a meeting (calendar)" in offered
        select.value = "calendar"
        await press(console, pilot, "#form-save")
        assert console.app.screen is page
        rule = load_profiles(profiles_file())[0].current().rules[0]
        assert rule.in_meeting and not rule.presence_label


async def test_a_rule_on_my_calendar_meeting_holds_while_the_event_is_on(tmp_path: Path) -> None:
    path = tmp_path / "me.ics"
    path.write_bytes(ics(STANDUP))  # 09:30–10:00
    office_with(Rule("Meeting", "3990", kind=ForwardKind.BUSY, in_meeting=True))
    console = build_console(contacts=ContactSettings(calendar=str(path)))
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)

        def busy_forward() -> Forward:
            forward: Forward = me(console).forwards.get(ForwardKind.BUSY, Forward(False))
            return forward

        assert not busy_forward().enabled
        console.clock.advance(31 * 60)  # 09:31
        await until(pilot, lambda: busy_forward() == Forward(True, "3990", None), "in meeting")
        console.clock.advance(30 * 60)  # 10:01
        await until(pilot, lambda: not busy_forward().enabled, "meeting over")


async def test_excluded_callers_keep_ringing_the_others_are_deflected() -> None:
    office_with(Rule("All but mobiles", "104", exclude_numbers=("336*",)))
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not unconditional(console).enabled  # a caller rule: the console carries it out
        page = await open_page(console, pilot)
        console.ring(DUPONT)  # +336…: excluded
        await settle(pilot)
        assert len(console.app.state.ringing_calls()) == 1
        console.ring(ACME)
        await settle(pilot)
        said = [n.message for n in console.app._notifications]
        assert any("+33123456789 forwarded to 104 by the rule 'All but mobiles'" in m for m in said)
        ringing = console.app.state.ringing_calls()
        assert [c.remote.number for c in ringing] == ["+33612345678"]
        page.query_one("#caller-test", Input).value = "+33612345678"
        await settle(pilot)
        assert "No rule forwards a call from +33612345678" in str(
            page.query_one("#verdict").render()
        )


async def test_f1_on_the_profiles_page_lists_its_keys_first() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_page(console, pilot)
        await pilot.press("f1")
        await settle(pilot)
        help_screen = console.app.screen
        assert isinstance(help_screen, HelpScreen)
        assert help_screen.screen_scope == "profiles"
        assert help_screen.groups[0].group == "profiles"
        shown = screen_text(console.app)
        assert "Profiles" in shown and "profiles.rule_up" in shown


async def test_deflect_goes_to_the_current_extension_when_the_page_says_so() -> None:
    """TWS-6.4-13: Alt+D (and the alerter's Deflect) send the ringing call to the active
    profile's current extension; switched off, to ``alerts.deflect_to`` again."""
    office, *others = ProfileBook().profiles
    colleagues = idle_colleagues(build_console())
    room, desk = colleagues[0].extension, colleagues[1].extension
    office = replace(office, extension=room, rules=(Rule("Off", "5020", enabled=False),))
    save_profiles(profiles_file(), ProfileBook((office, *others)))
    console = build_console(alerts=AlertSettings(popup=True, deflect_to=desk))
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        page = await open_page(console, pilot)
        page.query_one("#p-deflect-current", Switch).value = True
        await settle(pilot)
        assert load_profiles(profiles_file())[0].deflect_to_current
        await pilot.press("escape")
        await settle(pilot)
        console.ring(ACME)
        await settle(pilot)
        assert isinstance(console.app.screen, AlerterScreen)
        assert console.app.calls.deflect_target == room
        await pilot.press("alt+d")
        await settle(pilot)
        assert console.app.state.calls == {}
        assert line_of(console, room) == "ringing"
        page = await open_page(console, pilot)
        page.query_one("#p-deflect-current", Switch).value = False
        await settle(pilot)
        assert console.app.calls.deflect_target == desk
