"""The number callers see (issue 17, Selfcare §2.3): a receptionist answering for several
companies chooses which company number the people she calls are shown, by default and for one
call. Textual-free: the words for a company number and for my choice, shared by the picker,
Preferences and the status bar's badge (SLF-2.3-1: the number presented always in sight while it
is not my own line)."""

from __future__ import annotations

from tws_tui.core.model import WITHHELD_NUMBER, CompanyNumber, OperatorState
from tws_tui.platform.i18n import _

#: Drawn before the badge's words: the badge reads without colour.
PRESENTED_SYMBOL = "☏"


def number_label(number: CompanyNumber) -> str:
    """ "Martin Conseil · +33142000100"."""
    return f"{number.name} · {number.number}"


def label_of(me: OperatorState, number: str | None) -> str:
    """A presented number in words: its company's label, or my own line when None."""
    if number is None:
        return _("my own line ({extension})").format(extension=me.extension)
    if number == WITHHELD_NUMBER:
        return withheld_label()
    for known in me.company_numbers:
        if known.number == number:
            return number_label(known)
    return number


def default_text(me: OperatorState) -> str:
    """The Preferences line: what callers see by default."""
    return _("Callers see: {number}").format(number=label_of(me, me.presented_number))


def withheld_label() -> str:
    """The picker's and Preferences' words for anonymous presentation (Selfcare §2.3-3)."""
    return _("no number (withheld)")


def company_name(me: OperatorState, number: str) -> str:
    """The company a presented number belongs to ("Martin Conseil"), "no number (withheld)"
    for anonymous presentation, else the number."""
    if number == WITHHELD_NUMBER:
        return withheld_label()
    for known in me.company_numbers:
        if known.number == number:
            return known.name
    return number


def badge(me: OperatorState, next_call: str | None, *, short: bool = False) -> str:
    """The status bar's badge while callers see something else than my own line: the
    number chosen for my next call ("☏ Next call: Martin Conseil"), else my default one
    ("☏ Callers see Martin Conseil"); ``short``: the company only. Empty for my own line."""
    number = next_call or me.presented_number
    if number is None:
        return ""
    name = company_name(me, number)
    if short:
        return f"{PRESENTED_SYMBOL} {name}"
    if next_call is not None:
        return f"{PRESENTED_SYMBOL} " + _("Next call: {company}").format(company=name)
    return f"{PRESENTED_SYMBOL} " + _("Callers see {company}").format(company=name)
