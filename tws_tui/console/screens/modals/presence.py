"""``PresencePicker``: choose my presence (TWS-1.6.1): available, away, busy, DND, offline, then
my states of my own (a label on one of those, TWS §1.6), and the entries that add one or take
one away. ``Del`` on a highlighted state of my own removes it at once (TWS-1.6.1.2-1, no
confirmation, as the manual has it), ``E`` edits it (TWP-3.2.1-1); on a built-in state a
notice says those stay.

Dismisses with the chosen :class:`PresenceChoice` value, a custom state's id
(:func:`custom_id`), a removal (:data:`DELETE_PREFIX` and the state's index), or ``None`` on
Escape.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import ClassVar

from textual.widgets import OptionList

from tws_tui.console.api import console_api
from tws_tui.console.bindings import bindings_for
from tws_tui.console.screens.modals.choice import ChoiceScreen
from tws_tui.core.model import PresenceState
from tws_tui.domain.custom_presence import CustomPresence, presence_text
from tws_tui.domain.format import DND_SYMBOL, DND_WORD, PRESENCE_WORD
from tws_tui.platform.i18n import _

CUSTOM_PREFIX = "custom:"
#: The picker's answer for Del on a state of my own: this and the state's index.
DELETE_PREFIX = "custom-delete:"
#: The picker's answer for E on a state of my own: this and the state's index.
EDIT_PREFIX = "custom-edit:"


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
    id, a :class:`PresenceEntry`, a removal (:data:`DELETE_PREFIX`), or ``None``."""

    BINDINGS: ClassVar = bindings_for("presence_picker")

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

    def action_delete_custom(self) -> None:
        """Del: the highlighted state of my own is removed; a built-in state stays."""
        self._on_custom(
            DELETE_PREFIX, _("Only a state of my own can be removed; the built-in states stay.")
        )

    def action_edit_custom(self) -> None:
        """E: the highlighted state of my own is edited; a built-in state is not."""
        self._on_custom(
            EDIT_PREFIX, _("Only a state of my own can be edited; the built-in states stay.")
        )

    def _on_custom(self, prefix: str, refusal: str) -> None:
        index = self.query_one(OptionList).highlighted
        key = self.options[index][0] if index is not None else ""
        if not key.startswith(CUSTOM_PREFIX):
            console_api(self).notify(refusal, severity="warning")
            return
        self.dismiss(prefix + key.removeprefix(CUSTOM_PREFIX))
