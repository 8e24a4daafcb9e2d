"""``PresencePicker``: choose my presence (TWS-1.6.1): available, away, busy, DND, offline.

Dismisses with the chosen :class:`PresenceChoice`, or ``None`` on Escape.
"""

from __future__ import annotations

import enum

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tws_tui.core.model import PresenceState
from tws_tui.format import DND_SYMBOL, DND_WORD, PRESENCE_SYMBOL, PRESENCE_WORD
from tws_tui.i18n import _


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


class PresencePicker(ModalScreen[PresenceChoice | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", show=False)]

    def __init__(self, current: PresenceChoice) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="presence-box", classes="modal-box"):
            yield Static(_("My presence"), classes="modal-title")
            yield OptionList(
                *(Option(choice_label(c), id=c.value) for c in PresenceChoice),
                id="presence-options",
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = list(PresenceChoice).index(self.current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(PresenceChoice(event.option.id))
