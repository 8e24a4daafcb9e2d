"""Callers a rule excludes (issue 17; TWS-6.10.6.1-14): the same kinds as the callers it
includes — one contact, a whole directory, a regular expression on the number, beside the
numbers and the contact list it already had —, judged before the included ones; said in the
rule's summary, kept in profiles.json, an excluded regular expression that does not compile
refused in the form (naming its field), and on the simulator by keyboard a rule "everyone but
the Known callers" leaving a known caller ringing while an unknown one is deflected; and
internal callers as long as the dial plan's extensions (``[general] internal_digits``)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from filter_lines import EXCLUDED, add_lines, set_line
from helpers import build_console, settle, until
from profile_fixtures import (
    MONDAY_NOON,
    deflected_by,
    known_caller,
    new_rule_form,
    refused_then_saved,
    wins,
)
from test_profiles_page import fill, open_page, rules_shown
from textual.widgets import Input

from tws_tui.core.model import Party, PresenceState
from tws_tui.domain.profiles import Origin, Profile, Rule, Situation, check_rule, evaluate, overlaps
from tws_tui.settings.profiles_file import ProfileBook, load_profiles, profiles_file, save_profiles


def test_a_contact_a_directory_and_a_regular_expression_are_excluded() -> None:
    but_boss = Rule("All but the boss", "104", exclude_contact="Jeanne Dupont")
    assert not wins(but_boss, "0612345678", ("company", "jeanne dupont"))
    assert wins(but_boss, "0612345678", ("company", "Marc Icksemelle"))
    assert wins(but_boss, "0612345678")  # nobody found: not her
    but_known = Rule("All but known", "104", exclude_directory="external")
    assert not wins(but_known, "0145", ("external", "ACME"))
    assert wins(but_known, "0145", ("company", "ACME"))
    assert wins(but_known, "0145")
    but_free = Rule("All but free numbers", "104", exclude_pattern=r"0800\d*")
    assert not wins(but_free, "0800123456")
    assert wins(but_free, "0145678901")
    assert wins(but_free, "1080012")  # the whole number, not a part
    # excluded first: a mobile forwarded unless it starts 061
    mobiles = Rule("Mobiles", "104", pattern=r"0[67]\d{8}", exclude_pattern=r"061\d*")
    assert not wins(mobiles, "0612345678") and wins(mobiles, "0712345678")
    for rule in (but_boss, but_known, but_free):
        assert rule.advanced and rule.by_caller
    assert but_boss.by_contact and but_known.by_contact and not but_free.by_contact
    situation = Situation(MONDAY_NOON, PresenceState.AVAILABLE)
    words = evaluate(Profile("p", PresenceState.AVAILABLE, rules=(but_known,)), situation)
    assert "except directory Known callers" in words.outcomes[0].why
    with pytest.raises(ValueError, match=r"'0\[6' is not a regular expression"):
        check_rule(replace(but_free, exclude_pattern="0[6"), own="100")


def test_a_rule_for_whom_another_excludes_does_not_overlap_it(tmp_path: Path) -> None:
    boss = Rule("Boss", "104", contact="Jeanne Dupont")
    assert overlaps(boss, Rule("Others", "5020"))
    assert not overlaps(boss, Rule("Others", "5020", exclude_contact="jeanne dupont"))
    known = Rule("Known", "104", directory="external")
    assert not overlaps(Rule("Others", "5020", exclude_directory="external"), known)
    assert overlaps(Rule("Others", "5020", exclude_directory="company"), known)
    office, *others = ProfileBook().profiles
    rule = Rule("Others", "5020", exclude_contact="Jeanne", exclude_directory="external")
    rule = replace(rule, exclude_pattern="0800.*")
    path = tmp_path / "profiles.json"
    save_profiles(path, ProfileBook((replace(office, rules=(rule,)), *others)))
    assert load_profiles(path)[0].profiles[0].rules == (rule,)


async def test_everyone_but_the_known_callers_by_keyboard_on_the_simulator() -> None:
    console = build_console()
    known = known_caller(console)
    async with console.app.run_test(size=(80, 24)) as pilot:
        page, form = await new_rule_form(console, pilot)
        lines = await add_lines(
            pilot, form, EXCLUDED, ("directory", "Known callers"), ("number", "0[6")
        )
        await fill(pilot, form, r_name="Unknown", r_to="104")
        refusal = "Callers excluded, line 2: '0[6' is not a regular expression"

        async def fix() -> None:
            await set_line(pilot, lines, 2, "contact", "  Jeanne   Dupont ")

        rule = await refused_then_saved(console, pilot, page, form, refusal, fix=fix)
        assert (rule.exclude_directory, rule.exclude_contact) == ("external", "Jeanne Dupont")
        shown = rules_shown(page)
        assert "except contact Jeanne Dupont, except directory Known callers" in shown
        console.ring(Party(known.number, None))
        await settle(pilot)
        await until(pilot, lambda: len(console.app.state.ringing_calls()) == 1, "known rings")
        console.ring(Party("+33123450000", None))
        await deflected_by(console, pilot, "Unknown", "the unknown caller deflected")
        ringing = console.app.state.ringing_calls()
        assert [c.remote.number for c in ringing] == [known.number]


async def test_internal_callers_follow_the_dial_plans_extension_length() -> None:
    """TWS-6.10.6.1-6: "internal" is ``[general] internal_digits`` digits or fewer (4 by
    default): a five-digit extension is external until the setting says 5."""
    office, *others = ProfileBook().profiles
    colleagues = Rule("Colleagues", "104", origin=Origin.INTERNAL)
    save_profiles(profiles_file(), ProfileBook((replace(office, rules=(colleagues,)), *others)))
    console = build_console()
    async with console.app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        page = await open_page(console, pilot)
        page.query_one("#caller-test", Input).value = "20001"
        await settle(pilot)
        assert "No rule forwards a call from 20001" in str(page.query_one("#verdict").render())
        console.app.prefs.change("general", internal_digits=5)
        page.query_one("#caller-test", Input).value = "2000"
        page.query_one("#caller-test", Input).value = "20001"
        await settle(pilot)
        said = str(page.query_one("#verdict").render())
        assert "A call from 20001 now: " in said and "(Colleagues)" in said
