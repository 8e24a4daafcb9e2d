"""A rule as a line of the Profiles page's rule list (TWS-6.10.6.1-16, issue 17): its summary
sentence for every kind, destination and origin, an announcement, a rule on the caller; its
filters, presence, status and days — in English and in French."""

from __future__ import annotations

from datetime import time

import pytest

from tws_tui.core.model import DEFAULT_ANNOUNCEMENT, ForwardKind, PresenceState
from tws_tui.domain.profiles import (
    CURRENT_EXTENSION,
    Origin,
    Outcome,
    Rule,
    Status,
)
from tws_tui.domain.rule_summary import (
    day_marks,
    filter_counts,
    filters_text,
    presence_word,
    status_word,
    summary,
)
from tws_tui.platform.i18n import set_language

VOICEMAIL = "3999"
K = ForwardKind

#: (kind, ring time) → the words of "when", English then French.
WHEN = {
    (K.UNCONDITIONAL, None): ("immediately", "immédiatement"),
    (K.BUSY, None): ("when my line is busy", "si ma ligne est occupée"),
    (K.NO_ANSWER, None): ("when I do not answer", "si je ne réponds pas"),
    (K.NO_ANSWER, 20): ("when I do not answer within 20 s", "si je ne réponds pas en 20 s"),
    (K.NOT_REACHABLE, None): (
        "when my phone is not reachable",
        "si mon poste est injoignable",
    ),
    (K.DND, None): ("while I am in do not disturb", "en mode ne pas déranger"),
}
CALLS = {
    Origin.ALL: ("All calls", "Tous les appels"),
    Origin.INTERNAL: ("Internal calls", "Les appels internes"),
    Origin.EXTERNAL: ("External calls", "Les appels externes"),
}
#: destination → its words, English then French.
WHERE = {
    VOICEMAIL: ("my voicemail", "ma messagerie"),
    CURRENT_EXTENSION: ("current extension 2004", "poste courant 2004"),
    "0612345678": ("0612345678", "0612345678"),
}


@pytest.mark.parametrize("language", [0, 1], ids=["en", "fr"])
def test_every_kind_destination_and_origin_reads_as_one_sentence(language: int) -> None:
    set_language(("en", "fr")[language])
    for (kind, ring), when in WHEN.items():
        for origin, calls in CALLS.items():
            for destination, where in WHERE.items():
                rule = Rule("R", destination, kind=kind, ring_time_s=ring, origin=origin)
                verb = ("are forwarded", "sont redirigés")[language]
                to = ("to", "vers")[language]
                expected = f"{calls[language]} {verb} {when[language]} {to} {where[language]}"
                assert summary(rule, VOICEMAIL, "2004") == expected


def test_the_manuals_example_in_english_and_french() -> None:
    rule = Rule("Lunch", VOICEMAIL)
    assert summary(rule, VOICEMAIL) == "All calls are forwarded immediately to my voicemail"
    set_language("fr")
    assert summary(rule, VOICEMAIL) == (
        "Tous les appels sont redirigés immédiatement vers ma messagerie"
    )


def test_an_announcement_is_said_after_the_destination() -> None:
    named = Rule("Closed", "104", announcement="Welcome")
    default = Rule("Closed", "104", kind=K.BUSY, announcement=DEFAULT_ANNOUNCEMENT)
    assert summary(named) == (
        "All calls are forwarded immediately to 104, after the announcement Welcome"
    )
    assert summary(default) == (
        "All calls are forwarded when my line is busy to 104, after the default announcement"
    )
    set_language("fr")
    assert summary(named) == (
        "Tous les appels sont redirigés immédiatement vers 104, après l’annonce Welcome"
    )


def test_a_rule_on_the_caller_names_the_callers_kept_and_left_out() -> None:
    rule = Rule(
        "VIP",
        "104",
        kind=K.BUSY,
        origin=Origin.EXTERNAL,
        numbers=("06*", "07*"),
        contact_list="VIP",
        exclude_numbers=("0611*",),
        exclude_pattern="0[67]99[0-9]{6}",
    )
    assert summary(rule) == (
        "External calls from 06*, 07*, list VIP, except from 0611*, numbers matching "
        "0[67]99[0-9]{6} are forwarded when my line is busy to 104"
    )
    assert filters_text(rule) == "Filters: 3 inclusive, 2 exclusive"
    assert filter_counts(rule) == "3 incl., 2 excl."
    set_language("fr")
    assert summary(rule) == (
        "Les appels externes de 06*, 07*, liste VIP, sauf de 0611*, numéros correspondant à "
        "0[67]99[0-9]{6} sont redirigés si ma ligne est occupée vers 104"
    )
    assert filters_text(rule) == "Filtrages : 3 inclusifs, 2 exclusifs"
    assert filter_counts(rule) == "3 incl., 2 excl."


def test_filters_count_each_line_and_say_when_there_is_none() -> None:
    assert filters_text(Rule("A", "104")) == "No filtering"
    assert filter_counts(Rule("A", "104")) == "none"
    one = Rule("A", "104", contact="Dupont")
    assert filters_text(one) == "Filters: 1 inclusive"
    assert filters_text(Rule("A", "104", origin=Origin.INTERNAL)) == "No filtering"
    set_language("fr")
    assert filters_text(Rule("A", "104")) == "Pas de filtrage"
    assert filters_text(one) == "Filtrages : 1 inclusif"
    assert filter_counts(Rule("A", "104")) == "aucun"


def test_presence_status_and_days() -> None:
    plain = Rule("A", "104")
    away = Rule("A", "104", presence=PresenceState.AWAY, in_meeting=True)
    assert presence_word(plain) == "None"
    assert presence_word(away) == "Away, in a meeting (calendar)"
    assert status_word(Outcome(plain, Status.ACTIVE, "", wins=True)) == "ACTIVE (wins)"
    assert status_word(Outcome(plain, Status.ACTIVE, "")) == "ACTIVE (holds)"
    assert status_word(Outcome(plain, Status.PENDING, "")) == "PENDING"
    weekdays = Rule("A", "104", days=frozenset(range(5)), hours=(time(8), time(12)))
    assert "".join(c for c, _on in day_marks(weekdays.days)) == "MTWTF··"
    assert [on for _c, on in day_marks(weekdays.days)] == [True] * 5 + [False] * 2
    assert "".join(c for c, _on in day_marks(frozenset())) == "MTWTFSS"  # every day
    set_language("fr")
    assert presence_word(plain) == "Aucune"
    assert status_word(Outcome(plain, Status.ACTIVE, "", wins=True)) == "ACTIVE (gagne)"
    assert status_word(Outcome(plain, Status.OFF, "")) == "NON ACTIVE"
    assert "".join(c for c, _on in day_marks(frozenset({0, 2, 6}))) == "L·M···D"
