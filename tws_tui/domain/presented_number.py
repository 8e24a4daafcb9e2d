"""The number callers see (issue 17, Selfcare §2.3): a receptionist answering for several
companies chooses which company number the people she calls are shown, by default and for one
call. Textual-free: the words for a company number and for my choice, shared by the picker and
Preferences."""

from __future__ import annotations

from tws_tui.core.model import CompanyNumber, OperatorState
from tws_tui.platform.i18n import _


def number_label(number: CompanyNumber) -> str:
    """ "Martin Conseil · +33142000100"."""
    return f"{number.name} · {number.number}"


def label_of(me: OperatorState, number: str | None) -> str:
    """A presented number in words: its company's label, or my own line when None."""
    if number is None:
        return _("my own line ({extension})").format(extension=me.extension)
    for known in me.company_numbers:
        if known.number == number:
            return number_label(known)
    return number


def default_text(me: OperatorState) -> str:
    """The Preferences line: what callers see by default."""
    return _("Callers see: {number}").format(number=label_of(me, me.presented_number))
