"""``PresencePicker``: choose my presence (TWS-1.6.1): available, away, busy, DND, offline, then
my states of my own (a label on one of those, TWS §1.6), and the entries that add one or take
one away.

Dismisses with the chosen :class:`PresenceChoice` value, a custom state's id
(:func:`custom_id`), or ``None`` on Escape.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

from tws_tui.console.screens.modals.choice import ChoiceScreen
from tws_tui.core.model import PresenceState
from tws_tui.domain.custom_presence import CustomPresence, presence_text
from tws_tui.domain.format import DND_SYMBOL, DND_WORD, PRESENCE_WORD
from tws_tui.platform.i18n import _

CUSTOM_PREFIX = "custom:"


class PresenceChoice(enum.StrEnum):
    AVAILABLE = "available"
    AWAY = "away"
    BUSY = "busy"
    DND = "dnd"
    OFFLINE = "offline"


class PresenceEntry(enum.StrEnum):
    """The picker's entries that are no presence."""

    NEW = "custom-new"
    REMOVE = "custom-remove"


def choice_label(choice: PresenceChoice) -> str:
    if choice is PresenceChoice.DND:
        return f"{DND_SYMBOL} {_(DND_WORD)}"
    return presence_text(PresenceState(choice.value), None)


def custom_id(index: int) -> str:
    return f"{CUSTOM_PREFIX}{index}"


def custom_label(state: CustomPresence) -> str:
    """A state of my own in the picker: its label, the base state's word, its note."""
    text = f"{presence_text(state.base, state.label)} ({_(PRESENCE_WORD[state.base])})"
    return f"{text} — {state.note}" if state.note else text


class PresencePicker(ChoiceScreen):
    """Dismisses with the chosen choice's value (a :class:`PresenceChoice`), a custom state's
    id, a :class:`PresenceEntry`, or ``None``."""

    def __init__(
        self,
        current: str,
        custom: Sequence[CustomPresence] | None = None,
    ) -> None:
        """``custom``: my states of my own, or None when the phone system takes none."""
        options = [(choice.value, choice_label(choice)) for choice in PresenceChoice]
        if custom is not None:
            options += [(custom_id(i), custom_label(s)) for i, s in enumerate(custom)]
            options.append((PresenceEntry.NEW.value, "+ " + _("New state of my own…")))
            if custom:
                options.append((PresenceEntry.REMOVE.value, "− " + _("Remove a state of my own…")))
        super().__init__(_("My presence"), options, current=current)
