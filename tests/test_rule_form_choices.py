"""The profile rule form's choices (issue 17, TWS-6.10.6.1-4, -8, -10), by pilot at 80×24:
*Forward to* offers the destinations by name (English and French), *Other number* takes a
directory contact's number from part of a name, ticking *Hours* fills 08:00–18:00 (a window
crossing midnight still kept), and without the *TWS Rules* option the options and filters are
hidden and an advanced rule kept from before is shown but not applied."""

from __future__ import annotations

from dataclasses import replace
from datetime import time
from typing import Any

from helpers import build_console, screen_text, settle, until
from test_profiles_page import SIZE, error_of, fill, press
from textual.widgets import Input, Select, Static, Switch, TabbedContent

from tws_tui.backends.sim import create
from tws_tui.console.app import TwsApp
from tws_tui.console.screens.profiles.rule_form import RuleForm
from tws_tui.core.clock import ManualClock
from tws_tui.core.model import Capability, PresenceState
from tws_tui.domain.profiles import Rule, Status
from tws_tui.domain.rule_options import judged_here
from tws_tui.platform.i18n import set_language
from tws_tui.settings.prefs import PrefsStore
from tws_tui.settings.profiles_file import ProfileBook, profiles_file, save_profiles
from tws_tui.settings.schema import AlertSettings, GeneralSettings, Settings, UiSettings

VOICEMAIL = "3990"


async def shown_choices(pilot: Any, form: RuleForm, app: Any) -> str:
    """The *Forward to* drop-down opened: what it lists."""
    form.query_one("#r-target", Select).focus()
    await pilot.press("enter")
    await settle(pilot)
    text = screen_text(app)
    await pilot.press("escape")
    await settle(pilot)
    return text


async def test_forward_to_offers_the_destinations_by_name_in_english_and_french() -> None:
    console = build_console(voicemail_number=VOICEMAIL)
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        form = await pushed_form(console, pilot)
        listed = await shown_choices(pilot, form, console.app)
        for word in ("Voicemail", "Simple answering machine", "Current extension", "Other number"):
            assert word in listed, listed
        assert form.query_one("#r-target", Select).value == "number"  # a new rule
        assert form.query_one("#r-to", Input).display
        await fill(pilot, form, r_name="Mailbox")
        form.query_one("#r-target", Select).value = "voicemail"
        await settle(pilot)
        assert not form.query_one("#r-number").display  # no number to type for voicemail
        kept = form.read()  # as the console's checks keep it: my voicemail's number
        assert kept.name == "Mailbox" and kept.destination == VOICEMAIL
        await pilot.press("escape")
        await settle(pilot)
        form = RuleForm(kept, console.app.profiles.check)
        console.app.push_screen(form)
        await settle(pilot)
        assert form.query_one("#r-target", Select).value == "voicemail"  # shown again so
        form.query_one("#r-target", Select).value = "number"  # no number typed: refused
        await settle(pilot)
        await press(console, pilot, "#form-save")
        assert "Give the number to forward to" in error_of(form)
        await pilot.press("escape")
        await settle(pilot)
        await other_number_from_a_contact(console, pilot)
        await hours_ticked(console, pilot)
        await pilot.press("escape")
        await settle(pilot)
        set_language("fr")
        form = await pushed_form(console, pilot)
        listed = await shown_choices(pilot, form, console.app)
        for word in ("Messagerie vocale", "Répondeur simple", "Poste courant", "Autre numéro"):
            assert word in listed, listed
        assert "Voicemail" not in listed and "Other number" not in listed


async def pushed_form(console: Any, pilot: Any) -> RuleForm:
    """A new rule's form over the page, checked by the console's checks."""
    colleagues = console.app.state.devices.values()
    form = RuleForm(Rule("", "", enabled=False), console.app.profiles.check, colleagues=colleagues)
    console.app.push_screen(form)
    await settle(pilot)
    return form


async def other_number_from_a_contact(console: Any, pilot: Any) -> None:
    """*Other number*: part of a directory contact's name, Enter takes their number."""
    found = await console.app.directory("boulangerie", 5)
    contact = next(c for c in found if c.source != "colleagues" and c.numbers)
    number = contact.numbers[0][1]
    form = await pushed_form(console, pilot)
    await fill(pilot, form, r_name="Baker")
    field = form.query_one("#r-to", Input)
    field.focus()
    field.value = "boulangerie"
    match = form.query_one("#r-match", Static)
    await until(pilot, lambda: contact.name in str(match.render()), "the contact offered")
    await pilot.press("enter")  # takes the contact's number, does not save
    await settle(pilot)
    assert field.value == number and console.app.screen is form
    assert contact.name in str(match.render())
    assert form.read().destination == number
    await pilot.press("escape")
    await settle(pilot)


async def hours_ticked(console: Any, pilot: Any) -> None:
    """Ticking *Hours* fills 08:00–18:00; unticked, none; a night window is kept."""
    form = await pushed_form(console, pilot)
    hours = form.query_one("#r-hours", Switch)
    assert not hours.value
    hours.value = True
    await settle(pilot)
    start, end = form.query_one("#r-start", Input), form.query_one("#r-end", Input)
    assert (start.value, end.value) == ("08:00", "18:00")
    hours.value = False
    await settle(pilot)
    assert start.value == end.value == ""
    await fill(pilot, form, r_name="Night", r_to="5020", r_start="18:00", r_end="08:30")
    assert hours.value  # typed hours tick it
    assert form.read().hours == (time(18), time(8, 30))


def meeting_with_an_advanced_rule() -> None:
    office, meeting, away, night = ProfileBook().profiles
    rules = (Rule("Lunch", "5020", presence=PresenceState.AVAILABLE, hours=(time(0), time(23))),)
    meeting = replace(meeting, rules=rules)
    save_profiles(profiles_file(), ProfileBook((office, meeting, away, night), "office"))


async def test_without_the_tws_rules_option_options_are_hidden_and_advanced_rules_not_applied() -> (
    None
):
    meeting_with_an_advanced_rule()
    everything_but = [c for c in Capability if c is not Capability.PROFILE_RULES_ADVANCED]
    console = build_console(capabilities=everything_but)
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        profiles = console.app.profiles
        meeting = profiles.book.profiles[1]
        outcome = profiles.verdict(meeting).outcomes[0]
        assert outcome.status is Status.OFF  # kept, but not applied here
        assert "simple rules only" in outcome.why
        situation = profiles.situation()
        assert judged_here(meeting, situation, True).outcomes[0].status is not Status.OFF
        form = RuleForm(meeting.rules[0], lambda rule: rule, advanced=False)
        console.app.push_screen(form)
        await settle(pilot)
        assert not form.query_one("#r-advanced").display
        tabs = form.query_one("#r-tabs", TabbedContent)  # TWS-6.10.6.1-1, -12: no Filters tab
        assert tabs.get_tab("r-general").display and not tabs.get_tab("r-filters").display
        hint = str(form.query_one("#r-simple-only", Static).render())
        assert "simple rules only" in hint and "not applied here" in hint
        assert form.read().hours == (time(0), time(23))  # kept as they were


async def test_a_site_without_the_option_turns_the_advanced_rules_off_in_config() -> None:
    """``[general] tws_rules = false``: the phone system offers them, the site has not."""
    meeting_with_an_advanced_rule()
    clock = ManualClock()
    backend = create({"seed": 0, "traffic": False, "clock": clock})
    general = GeneralSettings(tws_rules=False)
    prefs = PrefsStore(
        Settings(
            general=general, ui=UiSettings(animations=False), alerts=AlertSettings(popup=False)
        )
    )
    app = TwsApp(prefs=prefs, clock=clock, backend=backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.can(Capability.PROFILE_RULES_ADVANCED) and not app.profiles.advanced_rules
        meeting = app.profiles.book.profiles[1]
        assert app.profiles.verdict(meeting).outcomes[0].status is Status.OFF
