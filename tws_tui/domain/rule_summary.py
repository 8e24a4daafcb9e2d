"""A forwarding rule as one line of the Profiles page's rule list (TWS-6.10.6.1-16): its
summary sentence ("All calls are forwarded immediately to my voicemail"), its filters
("Filters: 1 inclusive", "No filtering"), its presence ("None"), its status word ("ACTIVE
(wins)") and its days as the manual's letters (L M M J V S D), a day not chosen told apart
without colour (``·``).

Pure: built from the rule model of :mod:`tws_tui.domain.profiles` and the words of the
current language. Textual-free and I/O-free; the table that shows them is
``console/widgets/rule_table.py``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tws_tui.contacts.rules import directory_name
from tws_tui.core.model import ForwardKind
from tws_tui.domain.profiles import (
    ALL_DAYS,
    Origin,
    Outcome,
    Rule,
    Status,
    announcement_text,
    presence_text,
    target_word,
)
from tws_tui.platform.i18n import N_, _, labelled, ngettext

#: The calls a rule forwards, by origin, as the sentence's subject (TWS-6.10.6.1-6).
CALLS_WORD: Mapping[Origin, str] = {
    Origin.ALL: N_("All calls"),
    Origin.INTERNAL: N_("Internal calls"),
    Origin.EXTERNAL: N_("External calls"),
}
#: When a kind of forward happens, as the sentence says it (TWS-6.10.6.1-5).
WHEN_WORD: Mapping[ForwardKind, str] = {
    ForwardKind.UNCONDITIONAL: N_("immediately"),
    ForwardKind.BUSY: N_("when my line is busy"),
    ForwardKind.NO_ANSWER: N_("when I do not answer"),
    ForwardKind.NOT_REACHABLE: N_("when my phone is not reachable"),
    ForwardKind.DND: N_("while I am in do not disturb"),
}
#: The days' letters, Monday first, in one string (English repeats T and S, French M).
DAY_LETTERS = N_("MTWTFSS")
#: A day the rule does not run on: a dot, so the days read without colour (NO_COLOR).
DAY_OFF = "·"


def _filter_items(
    numbers: Sequence[str], contact_list: str, contact: str, directory: str, pattern: str
) -> list[str]:
    """One side's filter lines, one item each (numbers first, as they are typed)."""
    items = list(numbers)
    if contact_list:
        items.append(_("list {name}").format(name=contact_list))
    if contact:
        items.append(_("contact {name}").format(name=contact))
    if directory:
        items.append(_("directory {name}").format(name=directory_name(directory)))
    if pattern:
        items.append(_("numbers matching {pattern}").format(pattern=pattern))
    return items


def included(rule: Rule) -> list[str]:
    """The callers the rule keeps, one item a filter line (TWS-6.10.6.1-13)."""
    return _filter_items(
        rule.numbers, rule.contact_list, rule.contact, rule.directory, rule.pattern
    )


def excluded(rule: Rule) -> list[str]:
    """The callers the rule never forwards, one item a filter line (TWS-6.10.6.1-14)."""
    return _filter_items(
        rule.exclude_numbers,
        rule.exclude_list,
        rule.exclude_contact,
        rule.exclude_directory,
        rule.exclude_pattern,
    )


def _joined(items: Sequence[str]) -> str:
    return ", ".join(items)


def calls_text(rule: Rule) -> str:
    """The sentence's subject: "All calls", "External calls from 06*, except from 0611*"."""
    calls = _(CALLS_WORD[rule.origin])
    keep, leave = included(rule), excluded(rule)
    if keep:
        calls = _("{calls} from {callers}").format(calls=calls, callers=_joined(keep))
    if leave:
        calls = _("{calls}, except from {callers}").format(calls=calls, callers=_joined(leave))
    return calls


def when_text(rule: Rule) -> str:
    """ "immediately", "when I do not answer within 20 s"."""
    if rule.kind is ForwardKind.NO_ANSWER and rule.ring_time_s:
        return _("when I do not answer within {n} s").format(n=rule.ring_time_s)
    return _(WHEN_WORD[rule.kind])


def summary(rule: Rule, voicemail: str = "", extension: str = "") -> str:
    """The rule's summary sentence (TWS-6.10.6.1-16): which calls, when, where, and the
    announcement played first — "All calls are forwarded immediately to my voicemail"."""
    text = _("{calls} are forwarded {when} to {where}").format(
        calls=calls_text(rule),
        when=when_text(rule),
        where=target_word(rule, voicemail, extension),
    )
    if rule.announcement:
        text = _("{sentence}, {announcement}").format(
            sentence=text, announcement=announcement_text(rule.announcement)
        )
    return text


def filters_text(rule: Rule) -> str:
    """ "No filtering", "Filters: 1 inclusive", "Filters: 2 inclusive, 1 exclusive"."""
    keep, leave = len(included(rule)), len(excluded(rule))
    if not keep and not leave:
        return _("No filtering")
    parts = []
    if keep:
        parts.append(ngettext("{n} inclusive", "{n} inclusive", keep).format(n=keep))
    if leave:
        parts.append(ngettext("{n} exclusive", "{n} exclusive", leave).format(n=leave))
    return labelled(_("Filters"), ", ".join(parts))


def filter_counts(rule: Rule) -> str:
    """The filters in a table's cell under "Filters": "1 incl.", "2 incl., 1 excl.", "none"."""
    keep, leave = len(included(rule)), len(excluded(rule))
    parts = []
    if keep:
        parts.append(_("{n} incl.").format(n=keep))
    if leave:
        parts.append(_("{n} excl.").format(n=leave))
    return ", ".join(parts) or _("none")


def presence_word(rule: Rule) -> str:
    """The presence the rule waits for, or "None" (TWS-6.10.6.1-3)."""
    return presence_text(rule) or _("None")


def status_word(outcome: Outcome) -> str:
    """ "ACTIVE (wins)", "ACTIVE (holds)" (another comes first), "PENDING", "NOT ACTIVE"."""
    word = _(outcome.status.value)
    if outcome.status is Status.ACTIVE:
        if outcome.wins:
            return _("{status} (wins)").format(status=word)
        return _("{status} (holds)").format(status=word)
    return word


def day_marks(days: frozenset[int]) -> list[tuple[str, bool]]:
    """Each day Monday first: its letter (``·`` when the rule does not run on it) and whether
    it runs on it; no day chosen means every day."""
    letters = _(DAY_LETTERS)
    every = not days or days == ALL_DAYS
    return [
        (letter, True) if every or n in days else (DAY_OFF, False)
        for n, letter in enumerate(letters)
    ]
