"""What the profiles engine gained from the TWS §6.10 audit (issue 17): callers excluded
(TWS-6.10.6.1-14, judged before the included ones), a state of my own and my calendar's
meeting as a rule's presence (TWS-6.10.6.1-3), the rule order the user changes and the winner
that follows it (TWS-6.10.6.3-2), a profile's last rule kept (TWS-6.10.1-5), and the current
extension of a profile (TWS-6.10.1-3) — engine, checks and profiles.json."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from test_alerting import prefs, ringing

from tws_tui.core.model import Forward, ForwardKind, PresenceState
from tws_tui.domain.alerting import plan_alert
from tws_tui.domain.profiles import (
    CURRENT_EXTENSION,
    Origin,
    Profile,
    Rule,
    Situation,
    Status,
    check_extension,
    check_extension_rules,
    check_rule,
    evaluate,
    move_rule,
    overlaps,
    put_rule,
    remove_rule,
)
from tws_tui.domain.rule_summary import summary
from tws_tui.settings.profiles_file import (
    ProfileBook,
    from_json,
    load_profiles,
    save_profiles,
    to_json,
)

MONDAY_NOON = datetime(2026, 12, 7, 12, 30)


def call_from(caller: str | None, **kw: object) -> Situation:
    return Situation(MONDAY_NOON, PresenceState.AVAILABLE, caller, **kw)  # type: ignore[arg-type]


def test_excluded_callers_are_not_forwarded_and_are_judged_first() -> None:
    """All callers but 06* and the VIP list; a rule for 06* except 0611* leaves 0611 out."""
    rule = Rule("Others", "5020", exclude_numbers=("336*",), exclude_list="VIP")
    profile = Profile("x", PresenceState.AVAILABLE, rules=(rule,))
    lists = {"VIP": frozenset({"+33 1 45 00 00 01"})}
    assert evaluate(profile, call_from("+33145000002", lists=lists)).winners
    assert not evaluate(profile, call_from("+33612345678", lists=lists)).winners
    vip = evaluate(profile, call_from("+33145000001", lists=lists))
    assert not vip.winners and vip.outcomes[0].status is Status.PENDING
    assert "except numbers 336*" in vip.outcomes[0].why and "except list VIP" in vip.outcomes[0].why
    # With no call, such a rule waits for one (the phone system cannot be told "except")
    idle = evaluate(profile, call_from(None)).outcomes[0]
    assert idle.status is Status.PENDING and "waits for a call from all callers" in idle.why
    mobiles = Rule("Mobiles", "5020", numbers=("336*",), exclude_numbers=("33611*",))
    profile = Profile("x", PresenceState.AVAILABLE, rules=(mobiles,))
    assert evaluate(profile, call_from("+33612345678")).winners
    assert not evaluate(profile, call_from("+33611111111")).winners


def test_a_rule_that_excludes_exactly_the_callers_of_another_does_not_overlap_it() -> None:
    everyone_else = Rule("Others", "5020", exclude_numbers=("0145000001",))
    boss = Rule("Boss", "5021", numbers=("0145000001",))
    assert not overlaps(everyone_else, boss) and not overlaps(boss, everyone_else)
    assert overlaps(Rule("Others", "5020", exclude_numbers=("0145000009",)), boss)


def test_a_state_of_my_own_and_my_calendar_meeting_are_presence_conditions() -> None:
    training = Rule("Training", "5020", presence_label="Formation")
    meeting = Rule("Meeting", "3990", kind=ForwardKind.BUSY, in_meeting=True)
    profile = Profile("x", PresenceState.AVAILABLE, rules=(training, meeting))
    idle = evaluate(profile, Situation(MONDAY_NOON, PresenceState.BUSY))
    assert not idle.winners
    assert "not presence Formation" in idle.outcomes[0].why
    assert "not in a meeting (calendar)" in idle.outcomes[1].why
    busy = evaluate(
        profile,
        Situation(MONDAY_NOON, PresenceState.BUSY, presence_label="formation", in_meeting=True),
    )
    assert busy.winners[ForwardKind.UNCONDITIONAL] is training
    assert busy.winners[ForwardKind.BUSY] is meeting
    # Two rules on two different states of my own never hold together
    assert not overlaps(training, Rule("Lunch", "5021", presence_label="Lunch"))
    assert overlaps(training, Rule("Any", "5021"))


def test_moving_a_rule_changes_which_one_wins_and_the_words_follow() -> None:
    wide = Rule("Wide", "5020")
    narrow = Rule("Narrow", "5021", presence=PresenceState.AVAILABLE)
    profile = Profile("x", PresenceState.AVAILABLE, rules=(wide, narrow))
    before = evaluate(profile, call_from(None))
    assert before.winners[ForwardKind.UNCONDITIONAL] is wide
    assert "rule 1, the first in order" in before.outcomes[0].why
    assert "'Wide' comes first (rule 1)" in before.outcomes[1].why
    moved, at = move_rule(profile, 1, -1)
    assert at == 0 and [r.name for r in moved.rules] == ["Narrow", "Wide"]
    after = evaluate(moved, call_from(None))
    assert after.winners[ForwardKind.UNCONDITIONAL] is narrow
    assert after.forwards()[ForwardKind.UNCONDITIONAL] == Forward(True, "5021", None)
    assert "'Narrow' comes first (rule 1)" in after.outcomes[1].why
    assert move_rule(moved, 0, -1) == (moved, 0)  # already first: stays
    assert move_rule(moved, 1, 1) == (moved, 1)  # already last: stays


def test_a_profile_keeps_at_least_one_rule() -> None:
    one = Profile("x", PresenceState.AVAILABLE, rules=(Rule("Only", "5020"),))
    with pytest.raises(ValueError, match="at least one forwarding rule"):
        remove_rule(one, 0)
    two = put_rule(one, Rule("Second", "5021", enabled=False))
    assert [r.name for r in remove_rule(two, 0).rules] == ["Second"]


def test_the_current_extension_is_where_such_a_rule_forwards() -> None:
    rule = check_rule(Rule("Room", CURRENT_EXTENSION), own="100")
    assert rule.to_current  # not refused as letters: it is resolved when it wins
    profile = Profile("m", PresenceState.BUSY, rules=(rule,), extension="2004")
    verdict = evaluate(profile, call_from(None))
    assert verdict.forwards()[ForwardKind.UNCONDITIONAL] == Forward(True, "2004", None)
    assert verdict.outcomes[0].rule is rule  # the list still says "current extension"
    assert summary(rule, "", "2004") == (
        "All calls are forwarded immediately to current extension 2004"
    )
    with pytest.raises(ValueError, match="give the profile a current extension first"):
        check_extension_rules(Profile("m", PresenceState.BUSY, rules=(rule,)))
    assert check_extension(" 20 04 ", "100") == "2004"
    assert check_extension("", "100") == ""
    with pytest.raises(ValueError, match="not an extension number"):
        check_extension("room", "100")
    with pytest.raises(ValueError, match="my own extension"):
        check_extension("100", "100")


def test_profiles_json_keeps_the_new_fields(tmp_path: Path) -> None:
    rules = (  # simple rules first, as they are kept
        Rule("Training", CURRENT_EXTENSION, presence_label="Formation", origin=Origin.EXTERNAL),
        Rule("Meeting", "3990", kind=ForwardKind.BUSY, in_meeting=True),
        Rule("Others", "5020", exclude_numbers=("336*",), exclude_list="VIP", enabled=False),
    )
    office, *others = ProfileBook().profiles
    book = ProfileBook((Profile("office", office.presence, rules=rules, extension="2004"), *others))
    path = tmp_path / "profiles.json"
    save_profiles(path, book)
    assert load_profiles(path) == (book, None)
    raw = to_json(book)
    raw["profiles"][0]["extension"] = "room 12"
    with pytest.raises(ValueError, match="not an extension number"):
        from_json(json.loads(json.dumps(raw)))


def test_the_alerters_deflect_goes_to_the_current_extension_when_given() -> None:
    settings = prefs(deflect_to="0123456789")
    chosen = plan_alert(ringing(), settings, app_focused=True, voicemail="3990", current="2004")
    assert chosen.deflect_target == "2004"
    usual = plan_alert(ringing(), settings, app_focused=True, voicemail="3990")
    assert usual.deflect_target == "0123456789"
