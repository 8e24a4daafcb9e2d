"""``PresencePicker``: choose my presence (TWS-1.6.1): available, away, busy, DND, offline.

Dismisses with the chosen :class:`PresenceChoice` value, or ``None`` on Escape.
"""

from __future__ import annotations

import enum

from tws_tui.console.screens.modals.choice import ChoiceScreen
from tws_tui.core.model import PresenceState
from tws_tui.domain.format import DND_SYMBOL, DND_WORD, PRESENCE_SYMBOL, PRESENCE_WORD
from tws_tui.platform.i18n import _


class PresenceChoice(enum.StrEnum):
    AVAILABLE = "available"
    AWAY = "away"
    BUSY = "busy"
    DND = "dnd"
    OFFLINE = "offline"


def choice_label(choice: PresenceChoice) -> str:
    if choice is PresenceChoice.DND:
        return f"{DND_SYMBOL} {_(DND_WORD)}"
    state = PresenceState(choice.value)
    return f"{PRESENCE_SYMBOL[state]} {_(PRESENCE_WORD[state])}"


class PresencePicker(ChoiceScreen):
    """Dismisses with the chosen choice's value (a :class:`PresenceChoice`), or ``None``."""

    def __init__(self, current: PresenceChoice) -> None:
        super().__init__(
            _("My presence"),
            [(choice.value, choice_label(choice)) for choice in PresenceChoice],
            current=current.value,
        )
