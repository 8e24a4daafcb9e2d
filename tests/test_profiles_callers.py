"""A rule's callers beyond numbers and lists (issue 17; TWS-6.10.6.1-13): one contact, a whole
directory, a regular expression on the number (one that does not compile refused in the form);
simple rules tried and listed before advanced ones (TWS-6.10.6.3-2) — adding, moving, and
reading a profiles.json written before, none of its rules lost — with the winner explained;
and on the simulator by keyboard, a rule on the "Known callers" directory deflecting a caller
the console's lookup finds there (one in no directory is left alone: the engine's test)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from filter_lines import INCLUDED, add_lines, set_line
from helpers import build_console
from profile_fixtures import (
    call_from,
    deflected_by,
    known_caller,
    new_rule_form,
    refused_then_saved,
    wins,
)
from test_profiles_page import fill, rules_shown

from tws_tui.core.model import ForwardKind, Party, PresenceState
from tws_tui.domain.profiles import (
    Origin,
    Profile,
    Rule,
    check_pattern,
    check_rule,
    evaluate,
    move_rule,
    put_rule,
    simple_first,
)
from tws_tui.settings.profiles_file import ProfileBook, load_profiles, save_profiles


def test_one_contact_a_directory_and_a_regular_expression() -> None:
    boss = Rule("Boss", "104", contact="Jeanne Dupont")
    assert wins(boss, "0612345678", ("company", "jeanne dupont"))
    assert not wins(boss, "0612345678", ("company", "Marc Icksemelle"))
    assert not wins(boss, "0612345678")  # nobody found: not her
    known = Rule("Known", "104", directory="external")
    assert wins(known, "0145", ("external", "ACME"))
    assert not wins(known, "0145", ("company", "ACME"))
    mobiles = Rule("Mobiles", "104", pattern=r"(33|0)[67]\d{8}")
    assert wins(mobiles, "+33612345678")
    assert not wins(mobiles, "+33145678901")
    assert not wins(mobiles, "336123456789")  # the whole number, not a part
    verdict = evaluate(Profile("p", PresenceState.AVAILABLE, rules=(known,)), call_from("0145"))
    assert "directory Known callers" in verdict.outcomes[0].why
    assert check_pattern(" 2[0-9]* ") == "2[0-9]*"
    with pytest.raises(ValueError, match=r"'0\[6' is not a regular expression"):
        check_rule(replace(mobiles, pattern="0[6"), own="100")


def test_simple_rules_come_before_advanced_ones_and_the_winner_says_why() -> None:
    advanced = Rule("Lunch", "5020", days=frozenset({0}))
    simple = Rule("Always", "3990", origin=Origin.EXTERNAL)  # the origin is no filter
    assert (advanced.advanced, simple.advanced) == (True, False)
    profile = put_rule(Profile("p", PresenceState.AVAILABLE, rules=(advanced,)), simple)
    assert [r.name for r in profile.rules] == ["Always", "Lunch"]
    assert move_rule(profile, 1, -1) == (profile, 1)  # an advanced rule stays after
    verdict = evaluate(profile, call_from("0145678901"))
    assert verdict.winners[ForwardKind.UNCONDITIONAL].name == "Always"
    assert "the simple rule 'Always' comes first (rule 1)" in verdict.outcomes[1].why
    assert simple_first([advanced, simple, advanced]) == (simple, advanced, advanced)


def test_a_profiles_file_written_before_keeps_every_rule_simple_first(tmp_path: Path) -> None:
    office, *others = ProfileBook().profiles
    assert office.rules == ()  # the default profiles start with no rule
    rules = (
        Rule("VIP", "104", numbers=("06*",)),
        Rule("Old", "3990", kind=ForwardKind.BUSY),
        Rule("Mobiles", "5020", pattern="0[67].*", contact="Jeanne", directory="company"),
    )
    path = tmp_path / "profiles.json"
    save_profiles(path, ProfileBook((replace(office, rules=rules), *others)))
    kept = load_profiles(path)[0].profiles[0].rules
    assert [r.name for r in kept] == ["Old", "VIP", "Mobiles"]
    assert kept[2] == rules[2]


async def test_a_rule_on_a_directory_by_keyboard_deflects_a_known_caller() -> None:
    console = build_console()
    known = known_caller(console)
    async with console.app.run_test(size=(80, 24)) as pilot:
        page, form = await new_rule_form(console, pilot)
        lines = await add_lines(
            pilot, form, INCLUDED, ("directory", "Known callers"), ("number", "0[6")
        )
        await fill(pilot, form, r_name="Known", r_to="104")
        refusal = "Callers included, line 2: '0[6' is not a regular expression"

        async def fix() -> None:
            await set_line(pilot, lines, 2, "number", "")

        rule = await refused_then_saved(console, pilot, page, form, refusal, fix=fix)
        assert rule.directory == "external"
        assert "directory Known callers" in rules_shown(page)
        console.ring(Party(known.number, None))
        await deflected_by(console, pilot, "Known", "the known caller deflected")
        assert not console.app.state.ringing_calls()
