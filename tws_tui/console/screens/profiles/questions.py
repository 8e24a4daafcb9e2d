"""What the Profiles page asks and says about a change before and after it (TWS-6.10.5-1/-2,
-6.10.6.3-3, -6.10.6.4-1, -6.10.6.5-1): the Yes/No question of a deletion says what goes with
it — a profile's rules, and which profile becomes active when the active one goes; a rule's
forward that stops now, or that switching it off would keep it —, and a rule switched on or
off says the status it now has and why (ACTIVE and wins, PENDING and what it waits for, NOT
ACTIVE and kept).
"""

from __future__ import annotations

from tws_tui.domain.forwarding import KIND_WORD
from tws_tui.domain.profiles import Outcome, Profile, Status, profile_name, target_word
from tws_tui.domain.rule_summary import status_word
from tws_tui.platform.i18n import _, ngettext


def delete_profile_question(profile: Profile, default: Profile, active: bool) -> str:
    """ "Delete the profile Meeting and its 2 rules? It is the active profile: Office, the
    default profile, becomes active." (TWS-6.10.5-2)."""
    rules = len(profile.rules)
    question = _("Delete the profile {name}?").format(name=profile_name(profile))
    if rules:  # a profile from before the one-rule check may hold none
        question = ngettext(
            "Delete the profile {name} and its {n} rule?",
            "Delete the profile {name} and its {n} rules?",
            rules,
        ).format(name=profile_name(profile), n=rules)
    if active:
        question += " " + _(
            "It is the active profile: {default}, the default profile, becomes active."
        ).format(default=profile_name(default))
    return question


def delete_rule_question(outcome: Outcome, voicemail: str, extension: str) -> str:
    """ "Delete the rule Lunch? It forwards calls now (Busy → 104): that forward stops." — or,
    for a rule that sets no forward now, that switching it off would keep it."""
    rule = outcome.rule
    question = _("Delete the rule {name}?").format(name=rule.name)
    if outcome.wins:
        forward = f"{_(KIND_WORD[rule.kind])} → {target_word(rule, voicemail, extension)}"
        return (
            question
            + " "
            + _("It forwards calls now ({forward}): that forward stops.").format(forward=forward)
        )
    if rule.enabled:
        return question + " " + _("Switching it off (On/off) would keep it, not applied.")
    return question + " " + _("It is switched off: deleting it loses its settings.")


def switched_notice(outcome: Outcome) -> str:
    """ "Lunch switched on: PENDING — waits: not Monday to Friday." (TWS-6.10.6.3-3); "Lunch
    switched off: NOT ACTIVE, kept as it is." (TWS-6.10.6.4-1)."""
    rule = outcome.rule
    if outcome.status is Status.OFF:
        return _("{name} switched off: {status}, kept as it is.").format(
            name=rule.name, status=status_word(outcome)
        )
    return _("{name} switched on: {status} — {why}.").format(
        name=rule.name, status=status_word(outcome), why=outcome.why
    )
