"""Presence states of my own (issue 17, TWS §1.6): a label and a note I choose ("At reception
desk", "Lunch until 14:00") on one of the contract's base states, so colleagues' tiles and BLF
keep their meaning (a custom state on Busy is still busy) while they read my words.

Textual-free and I/O-free: the console's picker and form, the profiles document that keeps my
states, the simulator and the CTI server all check a label and a note here, so every layer
refuses the same things with the same sentence (:class:`InvalidValue`, a ``ValueError``
whose English msgid is translated where it is shown): an empty label, one longer
than :data:`MAX_LABEL_CHARS` (a paste), markup or control characters; a note longer than
:data:`MAX_NOTE_CHARS`. Runs of blanks are folded to one space.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from tws_tui.core.errors import InvalidValue
from tws_tui.core.model import PresenceState
from tws_tui.domain.format import PRESENCE_SYMBOL, PRESENCE_WORD
from tws_tui.platform.i18n import N_, _

MAX_LABEL_CHARS = 40
MAX_NOTE_CHARS = 80
#: Characters a terminal UI could read as markup: refused in a label rather than shown raw.
MARKUP_CHARS = frozenset("[]<>")
#: The most states a user keeps (the picker stays one screen).
MAX_STATES = 12
TOO_LONG = N_("A state's label is at most {max} characters ({n} typed).")


@dataclass(frozen=True)
class CustomPresence:
    """One state of my own: what colleagues read, the base state it means, a default note."""

    label: str
    base: PresenceState
    note: str = ""


def _fold(text: str) -> str:
    return " ".join(text.split())


def check_label(text: str) -> str:
    """The label as kept (blanks folded), or :class:`InvalidValue` saying what is wrong."""
    if len(text) > 4 * MAX_LABEL_CHARS:  # a paste: not worth folding
        raise InvalidValue(TOO_LONG, max=MAX_LABEL_CHARS, n=len(text))
    label = _fold(text)
    if not label:
        raise InvalidValue(N_("A state needs a label."))
    if len(label) > MAX_LABEL_CHARS:
        raise InvalidValue(TOO_LONG, max=MAX_LABEL_CHARS, n=len(label))
    if any(c in MARKUP_CHARS or unicodedata.category(c).startswith("C") for c in label):
        raise InvalidValue(N_("A state's label cannot hold [ ] < > or control characters."))
    return label


def check_note(text: str) -> str:
    """The note as kept (control characters and blanks folded, "" for none), or
    :class:`InvalidValue`."""
    note = _fold("".join(c if not unicodedata.category(c).startswith("C") else " " for c in text))
    if len(note) > MAX_NOTE_CHARS:
        raise InvalidValue(
            N_("A presence note is at most {max} characters ({n} typed)."),
            max=MAX_NOTE_CHARS,
            n=len(note),
        )
    return note


def check_state(state: CustomPresence, taken: tuple[CustomPresence, ...] = ()) -> CustomPresence:
    """The state as kept; ``ValueError`` for a bad label or note, a label already used, or one
    state too many (``taken``: the states kept besides this one)."""
    label = check_label(state.label)
    if any(other.label.casefold() == label.casefold() for other in taken):
        raise InvalidValue(N_("A state named {label!r} already exists."), label=label)
    if len(taken) >= MAX_STATES:
        raise InvalidValue(N_("At most {max} states of my own."), max=MAX_STATES)
    return CustomPresence(label, PresenceState(state.base), check_note(state.note))


def presence_text(state: PresenceState, label: str | None) -> str:
    """A presence as shown: the base's symbol, then the custom label or the base's word."""
    return f"{PRESENCE_SYMBOL[state]} {label or _(PRESENCE_WORD[state])}"
