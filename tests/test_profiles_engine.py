"""The profiles engine (issue 17, TWS §6.10, TWP §5.1): conditions, which rule wins and why,
the schedule that picks a profile, the refusals of a bad rule, and profiles.json."""

from __future__ import annotations

import json
from datetime import datetime, time
from pathlib import Path

import pytest

from tws_tui.core.model import Forward, ForwardKind, PresenceState
from tws_tui.domain.profiles import (
    Origin,
    Profile,
    Rule,
    Schedule,
    Situation,
    Status,
    check_rule,
    evaluate,
    overlap_warning,
    parse_days,
    parse_time,
    profile_name,
    put_rule,
    scheduled,
)
from tws_tui.platform.i18n import set_language
from tws_tui.settings.profiles_file import ProfileBook, load_profiles, save_profiles

MONDAY_NOON = datetime(2026, 12, 7, 12, 30)  # a Monday
THURSDAY_NOON = datetime(2026, 12, 10, 12, 30)
LUNCH = Rule("Lunch", "5020", presence=PresenceState.AWAY, hours=(time(12), time(14)))
NIGHT = Rule("Night", "3990", hours=(time(18), time(8, 30)))


def at(now: datetime, presence: PresenceState = PresenceState.AWAY, **kw: object) -> Situation:
    return Situation(now=now, presence=presence, **kw)  # type: ignore[arg-type]


def test_the_first_rule_whose_conditions_hold_wins_and_says_why() -> None:
    later = Rule("Fallback", "3991", presence=PresenceState.AWAY)
    profile = Profile("x", PresenceState.AWAY, rules=(NIGHT, LUNCH, later))
    verdict = evaluate(profile, at(MONDAY_NOON))
    assert verdict.winners[ForwardKind.UNCONDITIONAL] is LUNCH
    night, lunch, fallback = verdict.outcomes
    assert night.status is Status.PENDING and "18:00–08:30" in night.why
    assert lunch.wins and lunch.status is Status.ACTIVE
    assert (
        "rule 2, the first in order" in lunch.why
        and "presence Away" in lunch.why
        and "12:00–14:00" in lunch.why
    )
    assert fallback.status is Status.ACTIVE and not fallback.wins
    assert "'Lunch' comes first" in fallback.why
    assert verdict.forwards()[ForwardKind.UNCONDITIONAL] == Forward(True, "5020", None)
    assert verdict.forwards()[ForwardKind.BUSY] == Forward(False)


def test_presence_days_hours_crossing_midnight_and_dates() -> None:
    assert not evaluate(
        Profile("x", PresenceState.AWAY, rules=(LUNCH,)), at(MONDAY_NOON, PresenceState.BUSY)
    ).winners
    night = Profile("x", PresenceState.AWAY, rules=(NIGHT,))
    assert evaluate(night, at(datetime(2026, 12, 7, 23, 0))).winners
    assert evaluate(night, at(datetime(2026, 12, 7, 8, 0))).winners
    assert not evaluate(night, at(datetime(2026, 12, 7, 8, 30))).winners
    weekdays = Profile("x", PresenceState.AWAY, rules=(Rule("W", "5020", days=parse_days("1235")),))
    assert evaluate(weekdays, at(MONDAY_NOON)).winners
    outcome = evaluate(weekdays, at(THURSDAY_NOON)).outcomes[0]
    assert outcome.status is Status.PENDING and "Mon Tue Wed Fri" in outcome.why
    summer = Rule("Summer", "5020", dates=(datetime(2026, 7, 15, 8), datetime(2026, 8, 31, 16)))
    profile = Profile("x", PresenceState.AWAY, rules=(summer,))
    assert not evaluate(profile, at(MONDAY_NOON)).winners
    assert evaluate(profile, at(datetime(2026, 8, 31, 15, 59))).winners
    off = Profile("x", PresenceState.AWAY, rules=(Rule("Off", "5020", enabled=False),))
    assert evaluate(off, at(MONDAY_NOON)).outcomes[0].status is Status.OFF


def test_the_worked_example_of_the_manual() -> None:
    """TWP-5.1.4-4: Absent, Mon Tue Wed Fri, 08:00–18:00, a date range, external, one caller,
    no answer, to the switchboard 5020."""
    rule = Rule(
        "Renvoi au standard",
        "5020",
        kind=ForwardKind.NO_ANSWER,
        ring_time_s=20,
        presence=PresenceState.AWAY,
        days=parse_days("1235"),
        hours=(time(8), time(18)),
        dates=(datetime(2013, 6, 3, 7, 45), datetime(2013, 6, 28, 19, 15)),
        origin=Origin.EXTERNAL,
        contact_list="Marc",
    )
    profile = Profile("x", PresenceState.AWAY, rules=(rule,))
    lists = {"Marc": frozenset({"+33612345678"})}
    monday = datetime(2013, 6, 10, 9, 0)
    assert evaluate(profile, at(monday, caller="+33612345678", lists=lists)).winners
    assert not evaluate(profile, at(monday, caller="+33699999999", lists=lists)).winners
    assert not evaluate(
        profile, at(datetime(2013, 6, 13, 9), caller="+33612345678", lists=lists)
    ).winners
    # No caller: the rule waits for that caller's call (the phone system's plain forwards skip it)
    outcome = evaluate(profile, at(monday, lists=lists)).outcomes[0]
    assert outcome.status is Status.PENDING and "external callers" in outcome.why


def test_internal_external_and_number_patterns() -> None:
    internal = Rule("I", "5020", origin=Origin.INTERNAL)
    mobiles = Rule("M", "5021", numbers=("336*",))
    profile = Profile("x", PresenceState.AWAY, rules=(internal, mobiles))
    assert (
        evaluate(profile, at(MONDAY_NOON, caller="267")).winners[ForwardKind.UNCONDITIONAL]
        is internal
    )
    assert (
        evaluate(profile, at(MONDAY_NOON, caller="+33612345678")).winners[ForwardKind.UNCONDITIONAL]
        is mobiles
    )
    assert not evaluate(profile, at(MONDAY_NOON, caller="+33123456789")).winners


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (Rule("R", ""), "no voicemail number"),
        (Rule("R", "abc"), "contains letters"),
        (Rule("R", "100"), "own number 100"),
        (Rule("R", "201"), "a loop"),
        (Rule("", "201"), "A name is needed"),
        (Rule("R" * 41, "201"), "at most 40"),
        (Rule("R", "300", hours=(time(9), time(9))), "same time"),
        (
            Rule("R", "300", dates=(datetime(2026, 8, 1), datetime(2026, 7, 1))),
            "ends before it starts",
        ),
        (Rule("R", "300", kind=ForwardKind.NO_ANSWER, ring_time_s=999), "no-answer delay"),
    ],
)
def test_a_bad_rule_is_refused_with_a_sentence(rule: Rule, message: str) -> None:
    forwards = {"201": "202", "202": "100"}  # 201 → 202 → me
    with pytest.raises(ValueError, match=message):
        check_rule(rule, own="100", forwards_of=forwards.get)


def test_a_good_rule_is_cleaned_and_voicemail_fills_an_empty_destination() -> None:
    kept = check_rule(Rule("  Lunch  break ", " 50 20 "), own="100")
    assert (kept.name, kept.destination) == ("Lunch break", "5020")
    assert check_rule(Rule("V", ""), own="100", voicemail="3999").destination == "3999"


def test_an_overlapping_rule_is_said_and_the_order_decides() -> None:
    """TWS-6.10.6.3-2: overlapping rules may coexist, the first in order wins; saying so."""
    profile = Profile("x", PresenceState.AWAY, rules=(LUNCH,))
    clash = Rule("Noon", "5021", hours=(time(13), time(15)))
    warning = overlap_warning(profile.rules, clash)
    assert "'Noon' overlaps 'Lunch'" in warning and "'Lunch' wins as it comes first" in warning
    # The rule edited in place is judged where it stands: second behind Noon, Noon wins
    assert "'Noon' wins as it comes first" in overlap_warning((clash, LUNCH), LUNCH, 1)
    assert put_rule(profile, clash).rules == (LUNCH, clash)
    # Disjoint by presence, by hours, by kind, by callers, or switched off: no warning
    for fine in (
        Rule("Busy", "5021", presence=PresenceState.BUSY),
        Rule("Later", "5021", hours=(time(14), time(15))),
        Rule("NA", "5021", kind=ForwardKind.NO_ANSWER, ring_time_s=20),
        Rule("Off", "5021", enabled=False),
    ):
        assert overlap_warning(profile.rules, fine) == ""
    internal = put_rule(Profile("x", PresenceState.AWAY), Rule("I", "1", origin=Origin.INTERNAL))
    assert overlap_warning(internal.rules, Rule("E", "2", origin=Origin.EXTERNAL)) == ""
    # Editing a rule in place does not clash with itself
    assert (
        put_rule(profile, Rule("Lunch", "5099", hours=(time(12), time(13))), 0).rules[0].destination
        == "5099"
    )


def test_the_schedule_picks_a_profile() -> None:
    night = Profile(
        "night", PresenceState.OFFLINE, schedule=Schedule(frozenset(), time(18), time(8))
    )
    office = Profile(
        "office", PresenceState.AVAILABLE, schedule=Schedule(parse_days("12345"), time(8), time(18))
    )
    profiles = [office, night]
    assert scheduled(profiles, MONDAY_NOON) is office
    assert scheduled(profiles, datetime(2026, 12, 7, 19)) is night
    assert scheduled(profiles, datetime(2026, 12, 12, 12)) is None  # Saturday noon


def test_default_names_follow_the_language_and_a_given_name_is_kept() -> None:
    office = ProfileBook().profiles[0]
    set_language("fr")
    try:
        assert profile_name(office) == "Bureau"
    finally:
        set_language("en")
    assert profile_name(office) == "Office"
    assert parse_time("8:05") == time(8, 5)
    with pytest.raises(ValueError, match="not a time"):
        parse_time("25:00")


def test_profiles_json_round_trip_and_a_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "profiles.json"
    book = ProfileBook()
    away = book.profiles[2]
    rule = Rule(
        "Lunch",
        "5020",
        presence=PresenceState.AWAY,
        hours=(time(12), time(14)),
        dates=(datetime(2026, 7, 1), datetime(2026, 8, 1, 16)),
        days=frozenset({0, 4}),
        origin=Origin.EXTERNAL,
        numbers=("06*",),
        contact_list="VIP",
    )
    away = put_rule(away, rule)
    book = ProfileBook((book.profiles[0], book.profiles[1], away, book.profiles[3]), "away", False)
    save_profiles(path, book)
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_profiles(path) == (book, None)
    path.write_text(json.dumps({"profiles": [{"key": "x"}]}))
    loaded, problem = load_profiles(path)
    assert loaded == ProfileBook() and problem is not None and "default ones are used" in problem
