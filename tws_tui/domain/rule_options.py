"""Profile rules on a phone system without the *TWS Rules* option (issue 17, TWS-6.10.6.1-8):
there a rule has only its kind, destination, presence and origin, and an advanced rule kept
from before (an announcement, days, hours, dates, a caller filter) is kept as it is but not
applied — judged as switched off, NOT ACTIVE "not applied: …", and no forward follows it.
"""

from __future__ import annotations

from dataclasses import replace

from tws_tui.domain.profiles import Outcome, Profile, Situation, Status, Verdict, evaluate
from tws_tui.platform.i18n import N_, _

NOT_APPLIED = N_("not applied: this phone system has simple rules only")


def judged_here(profile: Profile, situation: Situation, advanced: bool) -> Verdict:
    """``profile``'s rules judged where ``advanced`` says whether the phone system has the
    *TWS Rules* option: without it, its advanced rules are left out (only for judging: the
    book keeps them as they are) and each one's outcome says why."""
    left_out = [not advanced and rule.advanced and rule.enabled for rule in profile.rules]
    if not any(left_out):
        return evaluate(profile, situation)
    rules = tuple(
        replace(rule, enabled=False) if out else rule
        for rule, out in zip(profile.rules, left_out, strict=True)
    )
    verdict = evaluate(replace(profile, rules=rules), situation)
    outcomes = tuple(
        Outcome(rule, Status.OFF, _(NOT_APPLIED)) if out else outcome
        for rule, out, outcome in zip(profile.rules, left_out, verdict.outcomes, strict=True)
    )
    return replace(verdict, outcomes=outcomes)
